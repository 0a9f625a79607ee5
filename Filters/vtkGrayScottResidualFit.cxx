#include "vtkGrayScottResidualFit.h"
#include "vtkGrayScottImageFields.h"
#include "vtkGrayScottPropertyBlocks.h"

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

/// Port 0: one row per parameter, and the fit's figures as field data.
void FillTable(vtkTable* table, const gs::ResidualFit& fit, const gs::ResidualSettings& settings,
  std::size_t frames)
{
  vtkNew<vtkStringArray> names;
  names->SetName("parameter");
  std::vector<double> estimate, error;
  std::vector<int> fitted, identifiable;
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    names->InsertNextValue(gs::parameterName(i));
    estimate.push_back(fit.estimate[i]);
    error.push_back(fit.standardError[i]);
    fitted.push_back(fit.fitted[i] ? 1 : 0);
    identifiable.push_back(fit.identifiable[i] ? 1 : 0);
  }
  table->AddColumn(names);
  table->AddColumn(gsvtk::ToArray("estimate", estimate));
  table->AddColumn(gsvtk::ToArray("standard_error", error));
  table->AddColumn(gsvtk::ToArray("bias", std::vector<double>(fit.bias.begin(), fit.bias.end())));
  table->AddColumn(gsvtk::ToArray("fitted", fitted));
  table->AddColumn(gsvtk::ToArray("identifiable", identifiable));
  vtkFieldData* fd = table->GetFieldData();
  AddStringField(fd, "Verdict", fit.verdict);
  AddStringField(fd, "Method", gs::toString(settings.method));
  AddDoubleField(fd, "SingularValues", fit.singularValues);
  AddDoubleField(fd, "ConditionNumber", { fit.conditionNumber });
  AddDoubleField(fd, "ResidualNorm", { fit.residualNorm });
  AddDoubleField(fd, "Equations", { static_cast<double>(fit.equations) });
  AddDoubleField(fd, "Frames", { static_cast<double>(frames) });
  AddDoubleField(fd, "NoiseVariance", { fit.noiseVariance });
  AddDoubleField(fd, "Misfit", { fit.misfit });
  AddDoubleField(fd, "IntensityScale", { fit.intensityScale });
  AddDoubleField(fd, "IntensityOffset", { fit.intensityOffset });
}

} // namespace

vtkGrayScottResidualFit::vtkGrayScottResidualFit()
{
  // The defaults are Core's.
  const gs::ResidualSettings core;
  this->Method = static_cast<int>(gs::ResidualMethod::Steady);
  this->TimeDifference = static_cast<int>(core.difference);
  this->Discretisation = static_cast<int>(core.discretisation);
  this->Completion = static_cast<int>(gs::Completion::None);
  const gs::SmoothingSettings smoothing;
  this->CompletionSmoothing = smoothing.lambda;
  this->CompletionOrder = smoothing.order;
  this->NoiseVariance = core.noiseVariance;
  this->IntervalReplicates = core.intervalReplicates;
  this->TestFunctionSize = core.testFunctionSize;
  this->TestFunctionsPerAxis = core.testFunctionsPerAxis;
  const std::array<double, 4> fixed = gs::Parameters::paperTruth().asArray();
  std::copy(fixed.begin(), fixed.end(), this->FixedValues);
  gsvtk::SetNetworkDefaults(this);
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
    outputVector->GetInformationObject(0),
    this->Method != static_cast<int>(gs::ResidualMethod::Steady), this->FrameStride,
    vtkMultiTimeStepAlgorithm::UPDATE_TIME_STEPS());
  return 1;
}

gs::ResidualSettings vtkGrayScottResidualFit::Settings()
{
  gs::ResidualSettings settings;
  settings.method =
    gs::enumValue<gs::ResidualMethod>(this->Method, "Method", gs::residualMethodNames());
  settings.difference = gs::enumValue<gs::TimeDifference>(
    this->TimeDifference, "TimeDifference", gs::timeDifferenceNames());
  settings.discretisation = gs::enumValue<gs::Discretisation>(
    this->Discretisation, "Discretisation", gs::discretisationNames());
  gs::checkedValue(this->Completion, "Completion", gs::completionNames());
  gs::SmoothingSettings{ this->CompletionSmoothing, this->CompletionOrder }.validate();
  gs::checkedMinimum(this->FrameStride, 1, "FrameStride");
  gs::checkedValue(this->Observation, "Observation", gs::observationNames());
  if (!this->UArrayName || !*this->UArrayName || !this->VArrayName || !*this->VArrayName)
  {
    throw gs::Error("Name the input's point arrays for u and v (UArrayName, VArrayName).");
  }
  settings.testFunctionSize = this->TestFunctionSize;
  settings.testFunctionsPerAxis = this->TestFunctionsPerAxis;
  settings.intervalReplicates = this->IntervalReplicates;
  settings.noiseVarianceIsBound = this->NoiseVariance < 0.0; // estimated: signal only raises it
  settings.fixed = gs::Parameters::fromArray(this->FixedValues);
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    settings.fit[i] = !this->FixedParameterSelection->ArrayIsEnabled(gs::parameterName(i));
  }
  settings.validate();
  gs::checkNoiseVariance(this->NoiseVariance);
  return settings;
}

int vtkGrayScottResidualFit::Execute(vtkInformation*,
  const std::vector<vtkSmartPointer<vtkDataObject>>& inputs, vtkInformationVector* outputVector)
{
  vtkTable* table = vtkTable::GetData(outputVector, 0);
  vtkImageData* fields = vtkImageData::GetData(outputVector, 1);
  table->Initialize();
  fields->Initialize();
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  if (this->Failure.Repeats(this, outInfo))
  {
    return 0;
  }
  try
  {
    gs::ResidualSettings settings = this->Settings();
    gs::NeuralFieldSettings network;
    if (this->Completion == static_cast<int>(gs::Completion::NeuralField))
    {
      network = gsvtk::NetworkSettings(this);
    }
    gs::Observations data = gsvtk::ReadObservations(inputs, this->UArrayName, this->VArrayName,
      this->ValidArrayName, this->RequestedTimes, gsvtk::Producer(this, 0));
    data.intensity = this->Observation == 1;
    // Progress: one unit per training step of the network, then one per frame of the fit.
    const double training =
      this->Completion == static_cast<int>(gs::Completion::NeuralField) ? network.iterations : 0.0;
    gs::Progress progress(
      [this](double f) {
        this->UpdateProgress(f);
        return this->CheckAbort();
      },
      training + static_cast<double>(data.frames.size()));
    if (this->Completion == static_cast<int>(gs::Completion::Smoothing))
    {
      data = gs::complete(
        data, gs::smoothingCompleter(this->CompletionSmoothing, this->CompletionOrder));
    }
    else if (this->Completion == static_cast<int>(gs::Completion::NeuralField))
    {
      data = gs::completeWithNeuralField(data, network, &progress);
    }
    if (!progress.aborted())
    {
      settings.noiseVariance = gs::noiseVarianceOf(this->NoiseVariance, data);
    }
    const gs::ResidualFit fit =
      progress.aborted() ? gs::ResidualFit() : gs::fitResidual(data, settings, &progress);
    if (progress.aborted())
    {
      vtkWarningMacro(<< "Aborted: the outputs are empty.");
      return 1;
    }
    FillTable(table, fit, settings, data.frames.size());

    // Port 1: where the model fails, at the estimate (the given values where undetermined).
    gs::Parameters at = fit.estimate;
    for (std::size_t i = 0; i < gs::parameterCount; ++i)
    {
      if (!std::isfinite(at[i]))
      {
        at[i] = this->FixedValues[i];
      }
    }
    vtkImageData* first = vtkImageData::SafeDownCast(inputs.front());
    fields->SetExtent(first->GetExtent());
    fields->SetOrigin(first->GetOrigin());
    fields->SetSpacing(first->GetSpacing());
    if (data.intensity)
    {
      // The fields take concentrations: v = (I - b) / a, where the fit determined a.
      if (!std::isfinite(fit.intensityScale))
      {
        vtkWarningMacro(<< fit.verdict);
        this->Failure.Clear();
        return 1;
      }
      data = gs::concentrationOf(data, fit);
      fields->GetPointData()->AddArray(gsvtk::ToArray("v_concentration", data.frames.back().v));
    }
    std::vector<double> ru, rv;
    gs::residualFields(data, settings, at, ru, rv);
    fields->GetPointData()->AddArray(gsvtk::ToArray("r_u", ru));
    fields->GetPointData()->AddArray(gsvtk::ToArray("r_v", rv));
    if (!data.uObserved)
    {
      // The u the fit inferred from v at the estimate (gs::latentU: steady or from a series).
      fields->GetPointData()->AddArray(gsvtk::ToArray("u_latent", gs::latentU(data, settings, at)));
    }
    if (this->Completion != static_cast<int>(gs::Completion::None))
    {
      // What the fit saw: the completed fields of the last frame.
      const gs::State& last = data.frames.back();
      fields->GetPointData()->AddArray(gsvtk::ToArray("u_completed", last.u));
      fields->GetPointData()->AddArray(gsvtk::ToArray("v_completed", last.v));
    }
    fields->GetPointData()->SetActiveScalars("r_v");
    if (!fit.complete())
    {
      vtkWarningMacro(<< fit.verdict);
    }
    this->Failure.Clear();
  }
  catch (const gs::Error& e)
  {
    table->Initialize();
    fields->Initialize();
    return this->Failure.Report(this, outInfo, gsvtk::PropertyMessage(e));
  }
  catch (const std::bad_alloc&)
  {
    table->Initialize();
    fields->Initialize();
    return this->Failure.Report(
      this, outInfo, "Out of memory; use fewer frames (a larger FrameStride) or a smaller grid.");
  }
  return 1;
}

void vtkGrayScottResidualFit::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  gsvtk::PrintSelection(os, indent, "FixedParameters", this->FixedParameterSelection);
  os << indent << "Method: " << this->Method << "\n"
     << indent << "TimeDifference: " << this->TimeDifference << "\n"
     << indent << "Discretisation: " << this->Discretisation << "\n"
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
     << indent << "IntervalReplicates: " << this->IntervalReplicates << "\n"
     << indent << "Observation: " << this->Observation << "\n"
     << indent << "NeuralFieldIterations: " << this->NeuralFieldIterations << "\n"
     << indent << "NeuralFieldFeatures: " << this->NeuralFieldFeatures << "\n"
     << indent << "NeuralFieldFeatureScale: " << this->NeuralFieldFeatureScale << "\n"
     << indent << "NeuralFieldWidth: " << this->NeuralFieldWidth << "\n"
     << indent << "NeuralFieldLayers: " << this->NeuralFieldLayers << "\n"
     << indent << "NeuralFieldLearningRate: " << this->NeuralFieldLearningRate << "\n"
     << indent << "NeuralFieldSeed: " << this->NeuralFieldSeed << "\n";
}
