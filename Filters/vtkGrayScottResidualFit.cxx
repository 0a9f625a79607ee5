#include "vtkGrayScottResidualFit.h"
#include "vtkGrayScottImageFields.h"

#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationDoubleVectorKey.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTable.h"
#include "vtkTypeInt64Array.h"

#include <gs/Completion.h>
#include <gs/Names.h>
#include <gs/Progress.h>
#include <gs/Residual.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <string>

vtkStandardNewMacro(vtkGrayScottResidualFit);

namespace
{

void AddStringField(vtkFieldData* fd, const char* name, const std::string& value)
{
  vtkNew<vtkStringArray> a;
  a->SetName(name);
  a->InsertNextValue(value);
  fd->AddArray(a);
}

void AddDoubleField(vtkFieldData* fd, const char* name, const std::vector<double>& values)
{
  vtkNew<vtkDoubleArray> a;
  a->SetName(name);
  for (double v : values)
  {
    a->InsertNextValue(v);
  }
  fd->AddArray(a);
}

} // namespace

vtkGrayScottResidualFit::vtkGrayScottResidualFit()
{
  this->SetNumberOfInputPorts(1);
  this->SetNumberOfOutputPorts(2);
  this->SetUArrayName("u");
  this->SetVArrayName("v");
  this->SetValidArrayName("");
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    this->FixedParameterSelection->AddArray(gs::parameterName(i), false);
  }
}

vtkGrayScottResidualFit::~vtkGrayScottResidualFit()
{
  this->SetUArrayName(nullptr);
  this->SetVArrayName(nullptr);
  this->SetValidArrayName(nullptr);
}

vtkDataArraySelection* vtkGrayScottResidualFit::GetFixedParameterSelection()
{
  return this->FixedParameterSelection;
}

int vtkGrayScottResidualFit::GetNumberOfFixedParameterArrays()
{
  return this->FixedParameterSelection->GetNumberOfArrays();
}

const char* vtkGrayScottResidualFit::GetFixedParameterArrayName(int index)
{
  return this->FixedParameterSelection->GetArrayName(index);
}

int vtkGrayScottResidualFit::GetFixedParameterArrayStatus(const char* name)
{
  return this->FixedParameterSelection->ArrayIsEnabled(name);
}

void vtkGrayScottResidualFit::SetFixedParameterArrayStatus(const char* name, int status)
{
  if (!gsvtk::SetSelected(this->FixedParameterSelection, name, status))
  {
    vtkErrorMacro(<< "No parameter named '" << (name ? name : "") << "'; valid are Du, Dv, F, k.");
  }
}

void vtkGrayScottResidualFit::DisableAllFixedParameters()
{
  this->FixedParameterSelection->DisableAllArrays();
}

vtkMTimeType vtkGrayScottResidualFit::GetMTime()
{
  return std::max(this->Superclass::GetMTime(), this->FixedParameterSelection->GetMTime());
}

int vtkGrayScottResidualFit::FillInputPortInformation(int, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  return 1;
}

int vtkGrayScottResidualFit::FillOutputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkDataObject::DATA_TYPE_NAME(), port == 0 ? "vtkTable" : "vtkImageData");
  return 1;
}

int vtkGrayScottResidualFit::RequestInformation(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  for (int port = 0; port < 2; ++port)
  {
    // One fit over the frames: the outputs have no time steps of their own.
    vtkInformation* outInfo = outputVector->GetInformationObject(port);
    outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
    outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_RANGE());
  }
  vtkInformation* image = outputVector->GetInformationObject(1);
  if (inInfo && inInfo->Has(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()))
  {
    image->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(),
      inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()), 6);
  }
  return 1;
}

int vtkGrayScottResidualFit::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  // The whole grid (derivatives and test functions couple neighbouring cells) and, for a
  // time series, its time steps; a steady fit uses the time step the view shows.
  this->RequestedTimes = gsvtk::RequestFrames(inputVector[0]->GetInformationObject(0),
    outputVector->GetInformationObject(0), this->Method != STEADY, this->FrameStride,
    vtkMultiTimeStepAlgorithm::UPDATE_TIME_STEPS());
  return 1;
}

int vtkGrayScottResidualFit::Execute(vtkInformation*,
  const std::vector<vtkSmartPointer<vtkDataObject>>& inputs, vtkInformationVector* outputVector)
{
  vtkTable* table = vtkTable::GetData(outputVector, 0);
  vtkImageData* fields = vtkImageData::GetData(outputVector, 1);
  table->Initialize();
  fields->Initialize();
  try
  {
    const auto method =
      gs::enumValue<gs::ResidualMethod>(this->Method, "Method", gs::residualMethodNames());
    const auto difference = gs::enumValue<gs::TimeDifference>(
      this->TimeDifference, "TimeDifference", gs::timeDifferenceNames());
    gs::checkedValue(this->Completion, "Completion", gs::completionNames());
    if (!(std::isfinite(this->CompletionSmoothing) && this->CompletionSmoothing >= 0.0))
    {
      throw gs::Error("CompletionSmoothing must be finite and >= 0.");
    }
    if (this->CompletionOrder < 1 || this->CompletionOrder > 4)
    {
      throw gs::Error(
        "CompletionOrder must be 1 to 4, got " + std::to_string(this->CompletionOrder) + ".");
    }
    if (!(std::isfinite(this->NoiseVariance) &&
          (this->NoiseVariance >= 0.0 || this->NoiseVariance == -1.0)))
    {
      throw gs::Error("NoiseVariance must be -1 (estimate it), 0 (none) or a positive variance.");
    }
    if (this->FrameStride < 1)
    {
      throw gs::Error(
        "FrameStride must be at least 1, got " + std::to_string(this->FrameStride) + ".");
    }
    if (this->TestFunctionSize < 0 || this->TestFunctionsPerAxis < 0)
    {
      throw gs::Error("TestFunctionSize and TestFunctionsPerAxis must be >= 0 (0: automatic).");
    }
    if (!this->UArrayName || !*this->UArrayName || !this->VArrayName || !*this->VArrayName)
    {
      throw gs::Error("Name the input's point arrays for u and v (UArrayName, VArrayName).");
    }

    gs::ResidualSettings settings;
    settings.method = method;
    settings.difference = difference;
    settings.testFunctionSize = this->TestFunctionSize;
    settings.testFunctionsPerAxis = this->TestFunctionsPerAxis;
    double* fixed[4] = { &settings.fixed.Du, &settings.fixed.Dv, &settings.fixed.F,
      &settings.fixed.k };
    for (int i = 0; i < 4; ++i)
    {
      settings.fit[i] = !this->FixedParameterSelection->ArrayIsEnabled(gs::parameterName(i));
      if (!settings.fit[i] && !std::isfinite(this->FixedValues[i]))
      {
        throw gs::Error(std::string("FixedValues: the value of the fixed parameter ") +
          gs::parameterName(i) + " must be finite.");
      }
      *fixed[i] = this->FixedValues[i];
    }

    gs::NeuralFieldSettings network;
    if (this->Completion == NEURAL_FIELD)
    {
      network = gsvtk::NetworkSettings(this->NeuralFieldIterations, this->NeuralFieldFeatures,
        this->NeuralFieldFeatureScale, this->NeuralFieldWidth, this->NeuralFieldLayers,
        this->NeuralFieldLearningRate, this->NeuralFieldSeed);
    }

    gs::Observations data = gsvtk::ReadObservations(inputs, this->UArrayName, this->VArrayName,
      this->ValidArrayName, this->RequestedTimes, gsvtk::Producer(this, 0));
    // Progress: one unit per training step of the network, then one per frame of the fit.
    const double training = this->Completion == NEURAL_FIELD ? network.iterations : 0.0;
    gs::Progress progress(
      [this](double f) {
        this->UpdateProgress(f);
        return this->CheckAbort();
      },
      training + static_cast<double>(data.frames.size()));
    if (this->Completion == SMOOTHING)
    {
      data = gs::complete(
        data, gs::smoothingCompleter(this->CompletionSmoothing, this->CompletionOrder));
    }
    else if (this->Completion == NEURAL_FIELD)
    {
      data = gs::completeWithNeuralField(data, network, &progress);
      if (progress.aborted())
      {
        vtkWarningMacro(<< "Aborted: the outputs are empty.");
        return 1;
      }
    }
    settings.noiseVariance =
      this->NoiseVariance < 0.0 ? gs::estimateNoiseVariance(data) : this->NoiseVariance;

    const gs::ResidualFit fit = gs::fitResidual(data, settings, &progress);
    if (progress.aborted())
    {
      vtkWarningMacro(<< "Aborted: the outputs are empty.");
      return 1;
    }

    // Port 0: one row per parameter.
    vtkNew<vtkStringArray> names;
    names->SetName("parameter");
    vtkNew<vtkDoubleArray> estimate, error;
    estimate->SetName("estimate");
    error->SetName("standard_error");
    vtkNew<vtkIntArray> fitted, identifiable;
    fitted->SetName("fitted");
    identifiable->SetName("identifiable");
    const std::array<double, 4> values = fit.estimate.asArray();
    for (int i = 0; i < 4; ++i)
    {
      names->InsertNextValue(gs::parameterName(i));
      estimate->InsertNextValue(values[i]);
      error->InsertNextValue(fit.standardError[i]);
      fitted->InsertNextValue(fit.fitted[i] ? 1 : 0);
      identifiable->InsertNextValue(fit.identifiable[i] ? 1 : 0);
    }
    table->AddColumn(names);
    table->AddColumn(estimate);
    table->AddColumn(error);
    table->AddColumn(fitted);
    table->AddColumn(identifiable);
    vtkFieldData* fd = table->GetFieldData();
    AddStringField(fd, "Verdict", fit.verdict);
    AddStringField(fd, "Method", gs::toString(settings.method));
    AddDoubleField(fd, "SingularValues", fit.singularValues);
    AddDoubleField(fd, "ConditionNumber", { fit.conditionNumber });
    AddDoubleField(fd, "ResidualNorm", { fit.residualNorm });
    AddDoubleField(fd, "Equations", { static_cast<double>(fit.equations) });
    AddDoubleField(fd, "Frames", { static_cast<double>(data.frames.size()) });
    AddDoubleField(fd, "NoiseVariance", { settings.noiseVariance });

    // Port 1: where the model fails, at the estimate (the given values where undetermined).
    gs::Parameters at = fit.estimate;
    double* p[4] = { &at.Du, &at.Dv, &at.F, &at.k };
    for (int i = 0; i < 4; ++i)
    {
      if (!std::isfinite(*p[i]))
      {
        *p[i] = this->FixedValues[i];
      }
    }
    std::vector<double> ru, rv;
    gs::residualFields(data, settings, at, ru, rv);
    vtkImageData* first = vtkImageData::SafeDownCast(inputs.front());
    fields->SetExtent(first->GetExtent());
    fields->SetOrigin(first->GetOrigin());
    fields->SetSpacing(first->GetSpacing());
    fields->GetPointData()->AddArray(gsvtk::ToArray("r_u", ru));
    fields->GetPointData()->AddArray(gsvtk::ToArray("r_v", rv));
    if (this->Completion != NO_COMPLETION)
    {
      // What the fit saw: the completed fields of the last frame.
      const gs::State& last = data.frames.back();
      fields->GetPointData()->AddArray(gsvtk::ToArray("u_completed", last.u));
      fields->GetPointData()->AddArray(gsvtk::ToArray("v_completed", last.v));
    }
    fields->GetPointData()->SetActiveScalars("r_v");
    if (!std::isfinite(values[0]) || !std::isfinite(values[1]) || !std::isfinite(values[2]) ||
      !std::isfinite(values[3]))
    {
      vtkWarningMacro(<< fit.verdict);
    }
    this->LastError.clear(); // a later failure is news again
  }
  catch (const gs::Error& e)
  {
    table->Initialize();
    fields->Initialize();
    if (!gsvtk::RepeatedError(this->LastError, this->LastErrorTime, e.what(), gsvtk::Stamp(this)))
    {
      vtkErrorMacro(<< e.what());
    }
  }
  catch (const std::bad_alloc&)
  {
    table->Initialize();
    fields->Initialize();
    vtkErrorMacro(<< "Out of memory; use fewer frames (a larger FrameStride) or a smaller grid.");
  }
  return 1;
}

void vtkGrayScottResidualFit::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  gsvtk::PrintSelection(os, indent, "FixedParameters", this->FixedParameterSelection);
  os << indent << "Method: " << this->Method << "\n"
     << indent << "TimeDifference: " << this->TimeDifference << "\n"
     << indent << "UArrayName: " << gsvtk::Printable(this->UArrayName) << "\n"
     << indent << "VArrayName: " << gsvtk::Printable(this->VArrayName) << "\n"
     << indent << "ValidArrayName: " << gsvtk::Printable(this->ValidArrayName) << "\n"
     << indent << "FixedValues: " << this->FixedValues[0] << " " << this->FixedValues[1] << " "
     << this->FixedValues[2] << " " << this->FixedValues[3] << "\n"
     << indent << "TestFunctionSize: " << this->TestFunctionSize << "\n"
     << indent << "TestFunctionsPerAxis: " << this->TestFunctionsPerAxis << "\n"
     << indent << "FrameStride: " << this->FrameStride << "\n"
     << indent << "Completion: " << this->Completion << "\n"
     << indent << "CompletionSmoothing: " << this->CompletionSmoothing << "\n"
     << indent << "CompletionOrder: " << this->CompletionOrder << "\n"
     << indent << "NoiseVariance: " << this->NoiseVariance << "\n"
     << indent << "NeuralFieldIterations: " << this->NeuralFieldIterations << "\n"
     << indent << "NeuralFieldFeatures: " << this->NeuralFieldFeatures << "\n"
     << indent << "NeuralFieldFeatureScale: " << this->NeuralFieldFeatureScale << "\n"
     << indent << "NeuralFieldWidth: " << this->NeuralFieldWidth << "\n"
     << indent << "NeuralFieldLayers: " << this->NeuralFieldLayers << "\n"
     << indent << "NeuralFieldLearningRate: " << this->NeuralFieldLearningRate << "\n"
     << indent << "NeuralFieldSeed: " << this->NeuralFieldSeed << "\n";
}
