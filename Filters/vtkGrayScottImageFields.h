/**
 * Helpers the Gray-Scott filters share to read Core grids and fields out of vtkImageData.
 * Internal to the Filters module (not wrapped).
 */

#ifndef vtkGrayScottImageFields_h
#define vtkGrayScottImageFields_h

#include "vtkDataArray.h"
#include "vtkImageData.h"
#include "vtkPointData.h"

#include <gs/Grid.h>

#include <string>
#include <vector>

namespace gsvtk
{

/// The grid of an image: its dimensions and spacing.
inline gs::Grid GridOf(vtkImageData* image)
{
  int dims[3];
  double spacing[3];
  image->GetDimensions(dims);
  image->GetSpacing(spacing);
  gs::Grid g;
  g.nx = dims[0];
  g.ny = dims[1];
  g.nz = dims[2];
  g.hx = spacing[0];
  g.hy = spacing[1];
  g.hz = spacing[2];
  return g;
}

/// Copies a one-component point array into `out`; throws gs::Error naming what is missing.
inline void ReadField(vtkImageData* image, const char* name, const char* port, std::vector<double>& out)
{
  vtkDataArray* a = image->GetPointData()->GetArray(name);
  if (!a)
  {
    throw gs::Error(std::string("The ") + port + " has no point array '" + name + "'.");
  }
  if (a->GetNumberOfComponents() != 1)
  {
    throw gs::Error(std::string("The ") + port + "'s array '" + name + "' must have one component.");
  }
  out.resize(static_cast<std::size_t>(a->GetNumberOfTuples()));
  for (vtkIdType i = 0; i < a->GetNumberOfTuples(); ++i)
  {
    out[i] = a->GetComponent(i, 0);
  }
}

} // namespace gsvtk

#endif
