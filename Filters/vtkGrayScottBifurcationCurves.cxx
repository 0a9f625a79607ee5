#include "vtkGrayScottBifurcationCurves.h"
#include "vtkGrayScottImageFields.h"

#include "vtkCellArray.h"
#include "vtkCellData.h"
#include "vtkIdTypeArray.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkPoints.h"
#include "vtkPolyData.h"
#include "vtkStringArray.h"

#include <gs/Bifurcation.h>
#include <gs/Grid.h>
#include <gs/Names.h>
#include <gs/Progress.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <new>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

vtkStandardNewMacro(vtkGrayScottBifurcationCurves);

namespace
{

vtkSmartPointer<vtkStringArray> ToStrings(const char* name, const std::vector<std::string>& values)
{
  auto array = vtkSmartPointer<vtkStringArray>::New();
  array->SetName(name);
  for (const std::string& v : values)
  {
    array->InsertNextValue(v);
  }
  return array;
}

} // namespace

vtkGrayScottBifurcationCurves::vtkGrayScottBifurcationCurves()
{
  // The defaults are Core's.
  const gs::bifurcation::DrawingSettings core;
  this->FRange[0] = core.Fmin;
  this->FRange[1] = core.Fmax;
  this->KRange[0] = core.kmin;
  this->KRange[1] = core.kmax;
  this->Du = core.Du;
  this->Dv = core.Dv;
  this->Samples = core.samples;
  this->XParameter = gs::valueOf(core.fOnX ? "F" : "k", "XParameter", gs::curveAxisNames());
  this->Elevation = core.elevation;
  this->SetNumberOfInputPorts(0);
  this->SetNumberOfOutputPorts(2);
}

int vtkGrayScottBifurcationCurves::RequestData(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  vtkPolyData* curvesOut = vtkPolyData::GetData(outputVector, 0);
  vtkPolyData* classesOut = vtkPolyData::GetData(outputVector, 1);
  // Empty unless everything below succeeds.
  curvesOut->Initialize();
  classesOut->Initialize();
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  if (this->Failure.Repeats(this, outInfo))
  {
    return 0;
  }
  try
  {
    gs::bifurcation::DrawingSettings s;
    s.Fmin = this->FRange[0];
    s.Fmax = this->FRange[1];
    s.kmin = this->KRange[0];
    s.kmax = this->KRange[1];
    s.Du = this->Du;
    s.Dv = this->Dv;
    s.samples = this->Samples;
    s.fOnX = gs::checkedValue(this->XParameter, "XParameter", gs::curveAxisNames()) ==
      gs::valueOf("F", "XParameter", gs::curveAxisNames());
    s.elevation = this->Elevation;
    s.validate();

    gs::Progress progress(
      [this](double fraction) {
        this->UpdateProgress(fraction);
        return this->CheckAbort();
      },
      this->Samples);
    const gs::bifurcation::Drawing d = gs::bifurcation::draw(s, &progress);
    if (progress.aborted())
    {
      vtkWarningMacro(<< "Aborted: the outputs are empty.");
      return 1;
    }

    // One polyline per piece, over consecutive points; float would move points off their
    // curves by ~1e-9.
    vtkNew<vtkPoints> points;
    points->SetData(gsvtk::ToArray("Points", d.curvePoints, 3));
    vtkNew<vtkIdTypeArray> offsets, connectivity;
    offsets->SetNumberOfValues(static_cast<vtkIdType>(d.curveOffsets.size()));
    std::copy(d.curveOffsets.begin(), d.curveOffsets.end(), offsets->GetPointer(0));
    connectivity->SetNumberOfValues(points->GetNumberOfPoints());
    std::iota(connectivity->GetPointer(0),
      connectivity->GetPointer(0) + points->GetNumberOfPoints(), vtkIdType(0));
    vtkNew<vtkCellArray> lines;
    lines->SetData(offsets, connectivity);
    curvesOut->SetPoints(points);
    curvesOut->SetLines(lines);
    curvesOut->GetCellData()->AddArray(ToStrings("curve", d.curveNames));
    curvesOut->GetCellData()->SetScalars(gsvtk::ToArray("curve_id", d.curveIds));

    // Pearson's classes inside the ranges, one vertex each.
    vtkNew<vtkPoints> classPoints;
    classPoints->SetData(gsvtk::ToArray("Points", d.classPoints, 3));
    const vtkIdType classes = classPoints->GetNumberOfPoints();
    vtkNew<vtkIdTypeArray> vertexOffsets, vertexIds;
    vertexOffsets->SetNumberOfValues(classes + 1);
    std::iota(
      vertexOffsets->GetPointer(0), vertexOffsets->GetPointer(0) + classes + 1, vtkIdType(0));
    vertexIds->SetNumberOfValues(classes);
    std::iota(vertexIds->GetPointer(0), vertexIds->GetPointer(0) + classes, vtkIdType(0));
    vtkNew<vtkCellArray> vertices;
    vertices->SetData(vertexOffsets, vertexIds);
    classesOut->SetPoints(classPoints);
    classesOut->SetVerts(vertices);
    classesOut->GetPointData()->AddArray(ToStrings("label", d.classLabels));
  }
  catch (const gs::Error& e)
  {
    curvesOut->Initialize();
    classesOut->Initialize();
    return this->Failure.Report(this, outInfo, gsvtk::PropertyMessage(e));
  }
  catch (const std::bad_alloc&)
  {
    curvesOut->Initialize();
    classesOut->Initialize();
    return this->Failure.Report(this, outInfo,
      "Out of memory for the curves at Samples = " + std::to_string(this->Samples) +
        "; use fewer Samples.");
  }
  this->Failure.Clear();
  return 1;
}

void vtkGrayScottBifurcationCurves::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "FRange: (" << this->FRange[0] << ", " << this->FRange[1] << ")\n"
     << indent << "KRange: (" << this->KRange[0] << ", " << this->KRange[1] << ")\n"
     << indent << "Du: " << this->Du << "\n"
     << indent << "Dv: " << this->Dv << "\n"
     << indent << "Samples: " << this->Samples << "\n"
     << indent << "XParameter: " << this->XParameter << " ("
     << (this->XParameter >= 0 && this->XParameter < static_cast<int>(gs::curveAxisNames().size())
            ? gs::curveAxisNames()[static_cast<std::size_t>(this->XParameter)]
            : "invalid")
     << ")\n"
     << indent << "Elevation: " << this->Elevation << "\n";
}
