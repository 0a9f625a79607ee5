#include "vtkGrayScottBifurcationCurves.h"

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

#include <cmath>
#include <cstddef>
#include <new>
#include <sstream>
#include <string>
#include <vector>

vtkStandardNewMacro(vtkGrayScottBifurcationCurves);

namespace
{

std::string Format(double value)
{
  std::ostringstream s;
  s << value;
  return s.str();
}

/// Throws gs::Error unless `range` is finite, non-negative and increasing.
void CheckRange(const char* name, const char* parameter, const double range[2])
{
  const std::string got = " (got " + Format(range[0]) + " " + Format(range[1]) + ").";
  if (!std::isfinite(range[0]) || !std::isfinite(range[1]))
  {
    throw gs::Error(std::string(name) + " must be two finite numbers, min max" + got);
  }
  if (range[0] < 0.0)
  {
    throw gs::Error(
      std::string(name) + " must not go below 0: " + parameter + " is a non-negative rate" + got);
  }
  if (range[0] == range[1])
  {
    throw gs::Error(std::string(name) + " is empty: min must be less than max" + got);
  }
  if (range[0] > range[1])
  {
    throw gs::Error(std::string(name) + " is inverted: min must be less than max" + got);
  }
}

void CheckDiffusion(const char* name, double value)
{
  if (!(std::isfinite(value) && value >= 0.0))
  {
    throw gs::Error(
      std::string(name) + " must be finite and non-negative (got " + Format(value) + ").");
  }
}

/// Bytes per sample: three curves, each point held by Core twice (piece and result) as two
/// doubles, and in the output as three doubles plus its connectivity and offset entries.
constexpr double BytesPerSample = 3.0 * (2.0 * 16.0 + 24.0 + 16.0);

/// curve_id of a Core curve name: 0 saddle-node, 1 hopf, 2 turing.
int CurveId(const std::string& name)
{
  if (name == "saddle-node")
  {
    return 0;
  }
  if (name == "hopf")
  {
    return 1;
  }
  if (name == "turing")
  {
    return 2;
  }
  throw gs::Error("Unknown curve '" + name + "' from Core.");
}

} // namespace

vtkGrayScottBifurcationCurves::vtkGrayScottBifurcationCurves()
{
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
  try
  {
    CheckRange("FRange", "F", this->FRange);
    CheckRange("KRange", "k", this->KRange);
    CheckDiffusion("Du", this->Du);
    CheckDiffusion("Dv", this->Dv);
    if (this->Samples < 2)
    {
      throw gs::Error(
        "Samples must be at least 2 points per curve (got " + std::to_string(this->Samples) + ").");
    }
    gs::checkedValue(this->XParameter, "XParameter", gs::curveAxisNames());
    if (!std::isfinite(this->Elevation))
    {
      throw gs::Error("Elevation must be finite (got " + Format(this->Elevation) + ").");
    }
    gs::checkMemory(BytesPerSample * (static_cast<double>(this->Samples) + 1.0),
      "the curves at Samples = " + std::to_string(this->Samples) +
        " points each (fewer Samples need less)");

    gs::Progress progress(
      [this](double fraction) {
        this->UpdateProgress(fraction);
        return this->CheckAbort();
      },
      this->Samples);
    const std::vector<gs::bifurcation::Curve> curves =
      gs::bifurcation::curves(this->FRange[0], this->FRange[1], this->KRange[0], this->KRange[1],
        this->Du, this->Dv, this->Samples, &progress);
    if (progress.aborted())
    {
      vtkWarningMacro(<< "Aborted: the outputs are empty.");
      return 1;
    }

    // (F, k) -> (x, y, Elevation) in the order of XParameter.
    const bool fOnX = this->XParameter == PARAMETER_F;
    auto place = [&](double F, double k, double xyz[3]) {
      xyz[0] = fOnX ? F : k;
      xyz[1] = fOnX ? k : F;
      xyz[2] = this->Elevation;
    };
    double xyz[3];

    // One polyline per piece, over consecutive points.
    vtkNew<vtkIdTypeArray> offsets;
    offsets->SetNumberOfTuples(static_cast<vtkIdType>(curves.size()) + 1);
    offsets->SetValue(0, 0);
    vtkIdType total = 0;
    for (std::size_t i = 0; i < curves.size(); ++i)
    {
      total += static_cast<vtkIdType>(curves[i].points.size());
      offsets->SetValue(static_cast<vtkIdType>(i) + 1, total);
    }
    vtkNew<vtkPoints> points;
    points->SetDataTypeToDouble(); // float would move points off their curves by ~1e-9
    points->SetNumberOfPoints(total);
    vtkNew<vtkIdTypeArray> connectivity;
    connectivity->SetNumberOfTuples(total);
    vtkNew<vtkStringArray> names;
    names->SetName("curve");
    vtkNew<vtkIntArray> ids;
    ids->SetName("curve_id");
    vtkIdType next = 0;
    for (const auto& c : curves)
    {
      for (const auto& p : c.points)
      {
        place(p.F, p.k, xyz);
        points->SetPoint(next, xyz);
        connectivity->SetValue(next, next);
        ++next;
      }
      names->InsertNextValue(c.name);
      ids->InsertNextValue(CurveId(c.name));
    }
    vtkNew<vtkCellArray> lines;
    lines->SetData(offsets, connectivity);

    // Pearson's classes inside the ranges, one vertex each.
    vtkNew<vtkPoints> classPoints;
    classPoints->SetDataTypeToDouble();
    vtkNew<vtkCellArray> vertices;
    vtkNew<vtkStringArray> labels;
    labels->SetName("label");
    for (const auto& c : gs::bifurcation::pearsonClasses())
    {
      if (c.F >= this->FRange[0] && c.F <= this->FRange[1] && c.k >= this->KRange[0] &&
        c.k <= this->KRange[1])
      {
        place(c.F, c.k, xyz);
        const vtkIdType id = classPoints->InsertNextPoint(xyz);
        vertices->InsertNextCell(1, &id);
        labels->InsertNextValue(c.label);
      }
    }

    curvesOut->SetPoints(points);
    curvesOut->SetLines(lines);
    curvesOut->GetCellData()->AddArray(names);
    curvesOut->GetCellData()->SetScalars(ids);
    classesOut->SetPoints(classPoints);
    classesOut->SetVerts(vertices);
    classesOut->GetPointData()->AddArray(labels);
  }
  catch (const gs::Error& e)
  {
    curvesOut->Initialize();
    classesOut->Initialize();
    vtkErrorMacro(<< e.what());
  }
  catch (const std::bad_alloc&)
  {
    curvesOut->Initialize();
    classesOut->Initialize();
    vtkErrorMacro(<< "Out of memory for the curves at Samples = " << this->Samples
                  << "; use fewer Samples.");
  }
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
     << indent << "XParameter: " << this->XParameter
     << (this->XParameter == PARAMETER_F      ? " (F)"
            : this->XParameter == PARAMETER_K ? " (k)"
                                              : "")
     << "\n"
     << indent << "Elevation: " << this->Elevation << "\n";
}
