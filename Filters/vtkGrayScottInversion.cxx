#include "vtkGrayScottInversion.h"
#include "vtkGrayScottImageFields.h"
#include "vtkGrayScottPropertyBlocks.h"

#include "vtkCellArray.h"
#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkIdTypeArray.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkPoints.h"
#include "vtkPolyData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTable.h"

#include <gs/Inversion.h>
#include <gs/Names.h>
#include <gs/Progress.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <new>
#include <numeric>
#include <string>

vtkStandardNewMacro(vtkGrayScottInversion);

namespace
{

/// The history, one row per iteration, and the estimate and the message as field data.
void FillHistory(vtkTable* history, const gs::InversionResult& r, bool shooting)
{
  const gs::HistoryColumns c = gs::historyColumns(r.history);
  history->AddColumn(gsvtk::ToArray("iteration", c.iteration));
  history->AddColumn(gsvtk::ToArray("loss", c.loss));
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    history->AddColumn(gsvtk::ToArray(gs::parameterName(i), c.parameters[i]));
  }
  history->AddColumn(gsvtk::ToArray("gradient_norm", c.gradientNorm));
  history->AddColumn(gsvtk::ToArray("learning_rate", c.learningRate));
  history->AddColumn(gsvtk::ToArray("accepted", c.accepted));
  if (shooting)
  {
    history->AddColumn(gsvtk::ToArray("horizon", c.horizon));
  }
  vtkNew<vtkStringArray> message;
  message->SetName("Message");
  message->InsertNextValue(r.message);
  history->GetFieldData()->AddArray(message);
  gsvtk::AddParameters(history->GetFieldData(), r.estimate, "Estimate");
  if (std::isfinite(r.intensityScale))
  {
    gsvtk::AddFieldValue<vtkDoubleArray>(
      history->GetFieldData(), "IntensityScale", r.intensityScale);
    gsvtk::AddFieldValue<vtkDoubleArray>(
      history->GetFieldData(), "IntensityOffset", r.intensityOffset);
  }
}

/// The trajectory through parameter space as one polyline, on the landscape's axes.
void FillTrajectory(
  vtkPolyData* trajectory, const gs::InversionResult& r, const gs::TrajectoryAxes& axes)
{
  const std::vector<double> xyz = axes.points(r.history);
  vtkNew<vtkPoints> points;
  points->SetData(gsvtk::ToArray("Points", xyz, 3));
  trajectory->SetPoints(points);
  const vtkIdType n = static_cast<vtkIdType>(r.history.size());
  vtkNew<vtkIdTypeArray> offsets, connectivity;
  offsets->InsertNextValue(0);
  if (n > 0)
  {
    offsets->InsertNextValue(n);
  }
  connectivity->SetNumberOfValues(n);
  std::iota(connectivity->GetPointer(0), connectivity->GetPointer(0) + n, vtkIdType(0));
  vtkNew<vtkCellArray> lines;
  lines->SetData(offsets, connectivity);
  trajectory->SetLines(lines);
  const gs::HistoryColumns c = gs::historyColumns(r.history);
  trajectory->GetPointData()->AddArray(gsvtk::ToArray("loss", c.loss));
  trajectory->GetPointData()->AddArray(gsvtk::ToArray("iteration", c.iteration));
  trajectory->GetPointData()->SetActiveScalars("loss");
}

} // namespace

vtkGrayScottInversion::vtkGrayScottInversion()
{
  // The defaults are Core's (the paper's setting); the XML's are checked against them.
  const gs::InversionSettings core;
  this->Method = static_cast<int>(core.method);
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    this->InitialGuess[i] = core.initialGuess[static_cast<gs::Parameter>(i)];
  }
  this->Iterations = core.iterations;
  this->LearningRate = core.learningRate;
  this->Optimizer = static_cast<int>(core.optimizer);
  this->WeightDecay = core.weightDecay;
  this->Reparameterise = core.reparameterise;
  this->Loss = static_cast<int>(core.loss.kind);
  gsvtk::SetGradientDefaults(this, core.gradient);
  this->BatchSize = core.batch;
  gsvtk::SetSimulationDefaults(this, core.run, core.initialCondition);
  gsvtk::SetNetworkDefaults(this);
  this->ResidualMethod = static_cast<int>(gs::ResidualMethod::Steady);
  this->Discretisation = static_cast<int>(core.residual.discretisation);
  const gs::TrajectoryAxes axes;
  this->XParameter = axes.axes[0];
  this->YParameter = axes.axes[1];
  this->ZParameter = axes.axes[2];
  this->ZScale = axes.zScale;
  this->PINNResidualWeight = core.pinn.residualWeight;
  this->PINNParameterLearningRate = core.pinn.parameterLearningRate;
  this->FinalHorizon = core.shooting.finalHorizon;
  this->HorizonGrowth = core.shooting.growth;
  this->StageIterations = core.shooting.iterationsPerStage;
  this->SetNumberOfInputPorts(1);
  this->SetNumberOfOutputPorts(3);
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    this->FitParameterSelection->AddArray(gs::parameterName(i), true);
  }
  this->SetUArrayName("u");
  this->SetVArrayName("v");
}

vtkGrayScottInversion::~vtkGrayScottInversion()
{
  this->SetUArrayName(nullptr);
  this->SetVArrayName(nullptr);
}

vtkDataArraySelection* vtkGrayScottInversion::GetFitParameterSelection()
{
  return this->FitParameterSelection;
}

int vtkGrayScottInversion::GetNumberOfFitParameterArrays()
{
  return this->FitParameterSelection->GetNumberOfArrays();
}

const char* vtkGrayScottInversion::GetFitParameterArrayName(int index)
{
  return this->FitParameterSelection->GetArrayName(index);
}

int vtkGrayScottInversion::GetFitParameterArrayStatus(const char* name)
{
  return this->FitParameterSelection->ArrayIsEnabled(name);
}

void vtkGrayScottInversion::SetFitParameterArrayStatus(const char* name, int status)
{
  if (!gsvtk::SetSelected(this->FitParameterSelection, name, status))
  {
    vtkErrorMacro(<< "No parameter named '" << (name ? name : "") << "'; valid are Du, Dv, F, k.");
  }
}

void vtkGrayScottInversion::DisableAllFitParameters()
{
  this->FitParameterSelection->DisableAllArrays();
}

vtkMTimeType vtkGrayScottInversion::GetMTime()
{
  return std::max(this->Superclass::GetMTime(), this->FitParameterSelection->GetMTime());
}

int vtkGrayScottInversion::FillInputPortInformation(int, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  return 1;
}

int vtkGrayScottInversion::FillOutputPortInformation(int port, vtkInformation* info)
{
  const char* types[3] = { "vtkTable", "vtkPolyData", "vtkImageData" };
  info->Set(vtkDataObject::DATA_TYPE_NAME(), types[port]);
  return 1;
}

int vtkGrayScottInversion::RequestInformation(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  for (int port = 0; port < 3; ++port)
  {
    vtkInformation* outInfo = outputVector->GetInformationObject(port);
    outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
    outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_RANGE());
  }
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  if (inInfo && inInfo->Has(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()))
  {
    outputVector->GetInformationObject(2)->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(),
      inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT()), 6);
  }
  return 1;
}

int vtkGrayScottInversion::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  // A time series only for a residual fit that uses one.
  const bool series = this->Method != static_cast<int>(gs::InversionMethod::Gradient) &&
    this->ResidualMethod != static_cast<int>(gs::ResidualMethod::Steady);
  this->RequestedTimes = gsvtk::RequestFrames(inputVector[0]->GetInformationObject(0),
    outputVector->GetInformationObject(0), series, this->FrameStride,
    vtkMultiTimeStepAlgorithm::UPDATE_TIME_STEPS());
  return 1;
}

gs::InversionSettings vtkGrayScottInversion::Settings()
{
  gs::InversionSettings s;
  s.method = gs::enumValue<gs::InversionMethod>(this->Method, "Method", gs::inversionMethodNames());
  s.initialGuess = gs::Parameters::fromArray(this->InitialGuess);
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    s.fit[i] = this->FitParameterSelection->ArrayIsEnabled(gs::parameterName(i)) != 0;
  }
  s.iterations = this->Iterations;
  s.learningRate = this->LearningRate;
  s.optimizer = gs::enumValue<gs::Optimizer>(this->Optimizer, "Optimizer", gs::optimizerNames());
  s.weightDecay = this->WeightDecay;
  s.reparameterise = this->Reparameterise;
  s.loss.kind = gs::enumValue<gs::LossKind>(this->Loss, "Loss", gs::lossNames());
  s.gradient = gsvtk::GradientSettings(this);
  s.run = gsvtk::RunSettings(this);
  s.initialCondition = gsvtk::InitialCondition(this);
  s.batch = this->BatchSize;
  s.residual.method = gs::enumValue<gs::ResidualMethod>(
    this->ResidualMethod, "ResidualMethod", gs::residualMethodNames());
  s.residual.discretisation = gs::enumValue<gs::Discretisation>(
    this->Discretisation, "Discretisation", gs::discretisationNames());
  if (s.method == gs::InversionMethod::PINN)
  {
    s.pinn.network = gsvtk::NetworkSettings(this);
    s.pinn.residualWeight = this->PINNResidualWeight;
    s.pinn.parameterLearningRate = this->PINNParameterLearningRate;
  }
  s.shooting.finalHorizon = this->FinalHorizon;
  s.shooting.growth = this->HorizonGrowth;
  s.shooting.iterationsPerStage = this->StageIterations;
  gs::validate(s);
  return s;
}

int vtkGrayScottInversion::Execute(vtkInformation*,
  const std::vector<vtkSmartPointer<vtkDataObject>>& inputs, vtkInformationVector* outputVector)
{
  vtkTable* history = vtkTable::GetData(outputVector, 0);
  vtkPolyData* trajectory = vtkPolyData::GetData(outputVector, 1);
  vtkImageData* pattern = vtkImageData::GetData(outputVector, 2);
  history->Initialize();
  trajectory->Initialize();
  pattern->Initialize();
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  if (this->Failure.Repeats(this, outInfo))
  {
    return 0;
  }
  if (this->GetAbortExecute() && this->AbortedHistory)
  {
    history->ShallowCopy(this->AbortedHistory);
    trajectory->ShallowCopy(this->AbortedTrajectory);
    return 1;
  }
  this->AbortedHistory = nullptr;
  this->AbortedTrajectory = nullptr;
  try
  {
    gs::checkedMinimum(this->FrameStride, 1, "FrameStride");
    gs::TrajectoryAxes axes;
    axes.axes = { this->XParameter, this->YParameter, this->ZParameter };
    axes.zScale = this->ZScale;
    axes.validate();
    const gs::InversionSettings s = this->Settings();
    gs::checkedValue(this->Observation, "Observation", gs::observationNames());
    gs::Observations data = gsvtk::ReadObservations(inputs,
      this->UArrayName ? this->UArrayName : "", this->VArrayName ? this->VArrayName : "", "",
      this->RequestedTimes, gsvtk::Producer(this, 0));
    data.intensity = this->Observation == 1;

    // AbortExecute, not CheckAbort(): CheckAbort would also make the executive empty the
    // outputs, and an aborted descent keeps its history.
    gs::Progress progress(
      [this](double f) {
        this->UpdateProgress(f);
        return this->GetAbortExecute() != 0;
      },
      gs::inversionWork(data, s));
    const gs::InversionResult r = gs::invert(data, s, &progress);
    FillHistory(history, r, s.method == gs::InversionMethod::Shooting);
    FillTrajectory(trajectory, r, axes);
    if (r.aborted)
    {
      this->AbortedHistory = vtkSmartPointer<vtkTable>::New();
      this->AbortedHistory->ShallowCopy(history);
      this->AbortedTrajectory = vtkSmartPointer<vtkPolyData>::New();
      this->AbortedTrajectory->ShallowCopy(trajectory);
      vtkWarningMacro(<< "Aborted after " << r.history.size()
                      << " iterations: the history so far is output.");
      return 1;
    }
    const bool finite = r.estimate.isFinite();
    if (r.stoppedEarly || !finite)
    {
      vtkWarningMacro(<< r.message);
    }

    // Port 2: the pattern the estimate makes, to compare with the target.
    gs::State x;
    if (finite && !progress.aborted())
    {
      if (gs::estimatePattern(data, s, r.estimate, x, &progress))
      {
        vtkImageData* first = vtkImageData::SafeDownCast(inputs.front());
        pattern->SetExtent(first->GetExtent());
        pattern->SetOrigin(first->GetOrigin());
        pattern->SetSpacing(first->GetSpacing());
        pattern->GetPointData()->AddArray(gsvtk::ToArray("u", x.u));
        pattern->GetPointData()->AddArray(gsvtk::ToArray("v", x.v));
        pattern->GetPointData()->SetActiveScalars("v");
      }
      else
      {
        vtkWarningMacro(<< "Aborted while simulating the estimate's pattern: port 2 is empty; the "
                           "history and the trajectory are kept.");
      }
    }
    this->Failure.Clear();
  }
  catch (const gs::Error& err)
  {
    history->Initialize();
    trajectory->Initialize();
    pattern->Initialize();
    return this->Failure.Report(this, outInfo, gsvtk::PropertyMessage(err));
  }
  catch (const std::bad_alloc&)
  {
    history->Initialize();
    trajectory->Initialize();
    pattern->Initialize();
    return this->Failure.Report(
      this, outInfo, "Out of memory; reduce the batch, the grid or the checkpoint memory.");
  }
  return 1;
}

void vtkGrayScottInversion::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Method: " << this->Method << "\n"
     << indent << "InitialGuess: " << this->InitialGuess[0] << " " << this->InitialGuess[1] << " "
     << this->InitialGuess[2] << " " << this->InitialGuess[3] << "\n"
     << indent << "Iterations: " << this->Iterations << "\n"
     << indent << "LearningRate: " << this->LearningRate << "\n"
     << indent << "Optimizer: " << this->Optimizer << "\n"
     << indent << "Loss: " << this->Loss << "\n"
     << indent << "Routing: " << this->Routing << "\n"
     << indent << "BatchSize: " << this->BatchSize << "\n"
     << indent << "NumberOfSteps: " << this->NumberOfSteps << "\n"
     << indent << "ResidualMethod: " << this->ResidualMethod << "\n"
     << indent << "Discretisation: " << this->Discretisation << "\n"
     << indent << "Observation: " << this->Observation << "\n"
     << indent << "NeuralFieldIterations: " << this->NeuralFieldIterations << "\n"
     << indent << "NeuralFieldFeatures: " << this->NeuralFieldFeatures << "\n"
     << indent << "NeuralFieldFeatureScale: " << this->NeuralFieldFeatureScale << "\n"
     << indent << "NeuralFieldWidth: " << this->NeuralFieldWidth << "\n"
     << indent << "NeuralFieldLayers: " << this->NeuralFieldLayers << "\n"
     << indent << "NeuralFieldLearningRate: " << this->NeuralFieldLearningRate << "\n"
     << indent << "NeuralFieldSeed: " << this->NeuralFieldSeed << "\n"
     << indent << "PINNResidualWeight: " << this->PINNResidualWeight << "\n"
     << indent << "FinalHorizon: " << this->FinalHorizon << "\n"
     << indent << "HorizonGrowth: " << this->HorizonGrowth << "\n"
     << indent << "StageIterations: " << this->StageIterations << "\n"
     << indent << "PINNParameterLearningRate: " << this->PINNParameterLearningRate << "\n"
     << indent << "UArrayName: " << gsvtk::Printable(this->UArrayName) << "\n"
     << indent << "VArrayName: " << gsvtk::Printable(this->VArrayName) << "\n"
     << indent << "WeightDecay: " << this->WeightDecay << "\n"
     << indent << "Reparameterise: " << this->Reparameterise << "\n"
     << indent << "TruncationSteps: " << this->TruncationSteps << "\n"
     << indent << "CheckpointMemory: " << this->CheckpointMemory << "\n"
     << indent << "TimeStep: " << this->TimeStep << "\n"
     << indent << "SteadyStateTolerance: " << this->SteadyStateTolerance << "\n"
     << indent << "Seed: " << this->Seed << "\n"
     << indent << "NoiseAmplitude: " << this->NoiseAmplitude << "\n"
     << indent << "SeedPatchSize: " << this->SeedPatchSize << "\n"
     << indent << "FrameStride: " << this->FrameStride << "\n"
     << indent << "XParameter: " << this->XParameter << "\n"
     << indent << "YParameter: " << this->YParameter << "\n"
     << indent << "ZParameter: " << this->ZParameter << "\n"
     << indent << "ZScale: " << this->ZScale << "\n";
  gsvtk::PrintSelection(os, indent, "FitParameters", this->FitParameterSelection);
}
