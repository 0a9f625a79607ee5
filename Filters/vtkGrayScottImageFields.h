/**
 * Helpers the Gray-Scott filters share to read Core grids and fields out of vtkImageData.
 * Internal to the Filters module (not wrapped).
 */

#ifndef vtkGrayScottImageFields_h
#define vtkGrayScottImageFields_h

#include "vtkAlgorithm.h"
#include "vtkDataArray.h"
#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkGrayScottPropertyNames.h"
#include "vtkGrayScottXMLFiles.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkPointData.h"
#include "vtkSmartPointer.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTypeInt64Array.h"

#include <gs/Grid.h>
#include <gs/Names.h>
#include <gs/NeuralField.h>
#include <gs/Residual.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace gsvtk
{

/// The neural-field settings from a filter's NeuralField* properties, checked by Core; the
/// learning rate decays to 1/100 of its first value.
inline gs::NeuralFieldSettings NetworkSettings(int iterations, int features, double featureScale,
  int width, int layers, double learningRate, int seed)
{
  gs::NeuralFieldSettings s;
  s.iterations = iterations;
  s.features = features;
  s.featureScale = featureScale;
  s.width = width;
  s.hiddenLayers = layers;
  s.learningRate = learningRate;
  s.finalLearningRate = learningRate / 100.0;
  s.seed = gs::checkedSeed(seed, "NeuralFieldSeed");
  s.validate();
  return s;
}

/// Adds a one-value field-data array.
template <typename ArrayT, typename T>
void AddFieldValue(vtkFieldData* fd, const char* name, const T& value)
{
  vtkNew<ArrayT> array;
  array->SetName(name);
  array->InsertNextValue(value);
  fd->AddArray(array);
}

/// Adds the field-data array `name`: one tuple (Du, Dv, F, k), components so named.
inline void AddParameters(
  vtkFieldData* fd, const gs::Parameters& p, const char* name = "Parameters")
{
  vtkNew<vtkDoubleArray> parameters;
  parameters->SetName(name);
  parameters->SetNumberOfComponents(4);
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    parameters->SetComponentName(static_cast<vtkIdType>(i), gs::parameterName(i));
  }
  parameters->InsertNextTuple(p.asArray().data());
  fd->AddArray(parameters);
}

/// VTK to Core: one component of an array as doubles, in tuple order (a double array's
/// single component is copied as a block).
inline std::vector<double> ToValues(vtkDataArray* array, int component = 0)
{
  const vtkIdType n = array->GetNumberOfTuples();
  std::vector<double> values(static_cast<std::size_t>(n));
  auto* doubles = vtkDoubleArray::SafeDownCast(array);
  if (doubles && doubles->GetNumberOfComponents() == 1)
  {
    std::copy(doubles->GetPointer(0), doubles->GetPointer(0) + n, values.begin());
    return values;
  }
  for (vtkIdType i = 0; i < n; ++i)
  {
    values[static_cast<std::size_t>(i)] = array->GetComponent(i, component);
  }
  return values;
}

/// The VTK array that holds values of type T.
template <typename T>
struct ArrayOf;
template <>
struct ArrayOf<double>
{
  using type = vtkDoubleArray;
};
template <>
struct ArrayOf<int>
{
  using type = vtkIntArray;
};
template <>
struct ArrayOf<std::int64_t>
{
  using type = vtkTypeInt64Array;
};

/// Core to VTK: values as a new array named `name` of `components` interleaved components.
template <typename T>
vtkSmartPointer<typename ArrayOf<T>::type> ToArray(
  const char* name, const std::vector<T>& values, int components = 1)
{
  auto array = vtkSmartPointer<typename ArrayOf<T>::type>::New();
  array->SetName(name);
  array->SetNumberOfComponents(components);
  array->SetNumberOfTuples(static_cast<vtkIdType>(values.size() / components));
  std::copy(values.begin(), values.end(), array->GetPointer(0));
  return array;
}

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
inline void ReadField(
  vtkImageData* image, const char* name, const char* port, std::vector<double>& out)
{
  vtkDataArray* a = image->GetPointData()->GetArray(name);
  if (!a)
  {
    throw gs::Error(std::string("The ") + port + " has no point array '" + name + "'.");
  }
  if (a->GetNumberOfComponents() != 1)
  {
    throw gs::Error(
      std::string("The ") + port + "'s array '" + name + "' must have one component.");
  }
  out = ToValues(a);
}

/// Refuses one point array named for both species: ParaView fills an array list with the
/// input's first array, so an input holding only v would otherwise fit v as u.
inline void CheckDistinctArrays(const char* uName, const char* vName)
{
  if (uName && vName && std::string(uName) == vName)
  {
    throw gs::Error(std::string("UArrayName and VArrayName both name the point array '") + uName +
      "': u and v must be different arrays.");
  }
}

/// Asks an image input (if connected) for its whole extent, exactly: the simulations and
/// fits couple every cell. As one piece of one, without ghosts: the executive otherwise passes
/// the output's piece request on, and the input's producer cuts its extent to that piece.
inline void RequestWholeExtent(vtkInformation* inInfo)
{
  if (inInfo && inInfo->Has(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()))
  {
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(),
      inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()), 6);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::EXACT_EXTENT(), 1);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_PIECE_NUMBER(), 0);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES(), 1);
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS(), 0);
  }
}

/// PrintSelf's line for an array selection: its name and the entries enabled.
inline void PrintSelection(
  ostream& os, vtkIndent indent, const char* name, vtkDataArraySelection* selection)
{
  os << indent << name << ":";
  for (int i = 0; i < selection->GetNumberOfArrays(); ++i)
  {
    if (selection->GetArraySetting(i))
    {
      os << " " << selection->GetArrayName(i);
    }
  }
  os << "\n";
}

/// PrintSelf's text for an optional string setting.
inline const char* Printable(const char* text)
{
  return text && *text ? text : "(none)";
}

/// Sets the status of `name` in a selection of fixed names; false when there is no such name.
inline bool SetSelected(vtkDataArraySelection* selection, const char* name, int status)
{
  if (!name || !selection->ArrayExists(name))
  {
    return false;
  }
  if (status)
  {
    selection->EnableArray(name);
  }
  else
  {
    selection->DisableArray(name);
  }
  return true;
}

/// Every `stride`-th of the input's time steps (none for an input without time).
inline std::vector<double> EveryNthTimeStep(vtkInformation* inInfo, int stride)
{
  std::vector<double> times;
  const int n = inInfo->Length(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  const double* all = n > 0 ? inInfo->Get(vtkStreamingDemandDrivenPipeline::TIME_STEPS()) : nullptr;
  for (int i = 0; i < n; i += std::max(stride, 1))
  {
    times.push_back(all[i]);
  }
  return times;
}

/// Asks the input for the whole grid and its frames: for a time series every `stride`-th time
/// step, otherwise the one time the output is asked for (or the first time step, or 0 for an
/// input without time). The key is vtkMultiTimeStepAlgorithm's protected UPDATE_TIME_STEPS,
/// passed in by the caller, which must always be set. Returns the times asked for.
template <typename Key>
std::vector<double> RequestFrames(
  vtkInformation* inInfo, vtkInformation* outInfo, bool series, int stride, Key* timeStepsKey)
{
  RequestWholeExtent(inInfo);
  std::vector<double> times;
  const int n = inInfo->Length(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  const double* all = n > 0 ? inInfo->Get(vtkStreamingDemandDrivenPipeline::TIME_STEPS()) : nullptr;
  if (series && n > 0)
  {
    times = EveryNthTimeStep(inInfo, stride);
  }
  else if (outInfo && outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP()))
  {
    times.push_back(outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP()));
  }
  else
  {
    times.push_back(n > 0 ? all[0] : 0.0);
  }
  inInfo->Set(timeStepsKey, times.data(), static_cast<int>(times.size()));
  return times;
}

/// The algorithm feeding `port` of `self`, or nullptr.
inline vtkAlgorithm* Producer(vtkAlgorithm* self, int port)
{
  return self->GetNumberOfInputConnections(port) > 0 ? self->GetInputAlgorithm(port, 0) : nullptr;
}

/// The name an array list shows for "no array": ParaView's none_string of the u array.
constexpr const char* NoArray = "None";

/// The input frames as Core observations: u and v from the named point arrays (u unobserved
/// when uName is NoArray); a cell is unobserved where v (or an observed u) is NaN or where
/// the optional `valid` array is 0. Frame times come
/// from the data (DATA_TIME_STEP) or else from `times`. An empty input is an error that says
/// why its `producer` gave nothing, where it can tell; messages call the input `port`.
inline gs::Observations ReadObservations(const std::vector<vtkSmartPointer<vtkDataObject>>& inputs,
  const char* uName, const char* vName, const char* validName, const std::vector<double>& times,
  vtkAlgorithm* producer, const char* port = "input")
{
  CheckDistinctArrays(uName, vName);
  gs::Observations data;
  data.uObserved = std::string(uName) != NoArray;
  const bool haveValid = validName && *validName;
  for (std::size_t f = 0; f < inputs.size(); ++f)
  {
    vtkImageData* image = vtkImageData::SafeDownCast(inputs[f]);
    if (!image || image->GetNumberOfPoints() == 0)
    {
      throw gs::Error(std::string("The ") + port + " is empty" + WhyInputIsEmpty(producer) + ".");
    }
    const gs::Grid grid = GridOf(image);
    grid.validate();
    gs::State s(grid);
    if (data.uObserved)
    {
      ReadField(image, uName, port, s.u);
    }
    ReadField(image, vName, port, s.v);
    std::vector<double> valid;
    if (haveValid)
    {
      ReadField(image, validName, port, valid);
    }
    double time = f < times.size() ? times[f] : 0.0;
    if (image->GetInformation()->Has(vtkDataObject::DATA_TIME_STEP()))
    {
      time = image->GetInformation()->Get(vtkDataObject::DATA_TIME_STEP());
    }
    data.add(std::move(s), time, haveValid ? &valid : nullptr);
  }
  if (data.frames.empty())
  {
    throw gs::Error("The input has no data.");
  }
  data.finish();
  return data;
}

} // namespace gsvtk

#endif
