#include "vtkGrayScottInversion.h"
#include "vtkGrayScottImageFields.h"

#include "vtkCellArray.h"
#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
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
#include <string>

vtkStandardNewMacro(vtkGrayScottInversion);

namespace
{

vtkDoubleArray* NewColumn(vtkTable* table, const char* name)
{
  vtkNew<vtkDoubleArray> a;
  a->SetName(name);
  table->AddColumn(a);
  return a;
}

double Coordinate(int axis, const gs::InversionStep& step, double zScale)
{
  const std::array<double, 4> p = step.parameters.asArray();
  if (axis >= vtkGrayScottInversion::DU && axis <= vtkGrayScottInversion::K)
  {
    return p[axis];
  }
  return axis == vtkGrayScottInversion::LOSS ? zScale * step.loss : 0.0;
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
  this->Routing = static_cast<int>(core.gradient.routing);
  this->TruncationSteps = core.gradient.truncationSteps;
  this->CheckpointMemory = core.gradient.checkpointBytes / (1 << 20);
  this->BatchSize = core.batch;
  this->TimeStep = core.run.dt;
  this->NumberOfSteps = core.run.steps;
  this->SteadyStateTolerance = core.run.steadyStateTolerance;
  this->Seed = static_cast<vtkTypeInt64>(core.initialCondition.seed);
  this->NoiseAmplitude = core.initialCondition.noiseAmplitude;
  this->SeedPatchSize = core.initialCondition.patchSize;
  this->PINNResidualWeight = core.pinn.residualWeight;
  this->PINNParameterLearningRate = core.pinn.parameterLearningRate;
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
  const bool series = this->Method != GRADIENT && this->ResidualMethod != 0;
  this->RequestedTimes = gsvtk::RequestFrames(inputVector[0]->GetInformationObject(0),
    outputVector->GetInformationObject(0), series, this->FrameStride,
    vtkMultiTimeStepAlgorithm::UPDATE_TIME_STEPS());
  return 1;
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
    const auto method =
      gs::enumValue<gs::InversionMethod>(this->Method, "Method", gs::inversionMethodNames());
    const auto optimizer =
      gs::enumValue<gs::Optimizer>(this->Optimizer, "Optimizer", gs::optimizerNames());
    const auto lossKind = gs::enumValue<gs::LossKind>(this->Loss, "Loss", gs::lossNames());
    const auto routing = gs::enumValue<gs::Routing>(this->Routing, "Routing", gs::routingNames());
    const auto residualMethod = gs::enumValue<gs::ResidualMethod>(
      this->ResidualMethod, "ResidualMethod", gs::residualMethodNames());
    if (this->FrameStride < 1)
    {
      throw gs::Error(
        "FrameStride must be at least 1, got " + std::to_string(this->FrameStride) + ".");
    }
    gs::checkedValue(this->XParameter, "XParameter", gs::axisNames(), gs::parameterCount);
    gs::checkedValue(this->YParameter, "YParameter", gs::axisNames(), gs::parameterCount);
    gs::checkedValue(this->ZParameter, "ZParameter", gs::axisNames());
    if (!std::isfinite(this->ZScale))
    {
      throw gs::Error("ZScale must be finite.");
    }
    if (this->Seed < 0)
    {
      throw gs::Error("Seed must be non-negative (got " + std::to_string(this->Seed) + ").");
    }
    if (!(this->CheckpointMemory > 0.0 && std::isfinite(this->CheckpointMemory)))
    {
      throw gs::Error("CheckpointMemory must be a positive number of MiB.");
    }

    gs::InversionSettings s;
    s.method = method;
    s.initialGuess = { this->InitialGuess[0], this->InitialGuess[1], this->InitialGuess[2],
      this->InitialGuess[3] };
    for (int i = 0; i < 4; ++i)
    {
      s.fit[i] = this->FitParameterSelection->ArrayIsEnabled(gs::parameterName(i)) != 0;
    }
    s.iterations = this->Iterations;
    s.learningRate = this->LearningRate;
    s.optimizer = optimizer;
    s.weightDecay = this->WeightDecay;
    s.reparameterise = this->Reparameterise;
    s.loss.kind = lossKind;
    s.gradient.routing = routing;
    s.gradient.truncationSteps = this->TruncationSteps;
    s.gradient.checkpointBytes = this->CheckpointMemory * (1 << 20);
    s.run = { this->TimeStep, this->NumberOfSteps, this->SteadyStateTolerance };
    s.initialCondition = { static_cast<std::uint64_t>(this->Seed), this->NoiseAmplitude,
      this->SeedPatchSize };
    s.batch = this->BatchSize;
    s.residual.method = residualMethod;
    if (s.method == gs::InversionMethod::PINN)
    {
      s.pinn.network = gsvtk::NetworkSettings(this->NeuralFieldIterations,
        this->NeuralFieldFeatures, this->NeuralFieldFeatureScale, this->NeuralFieldWidth,
        this->NeuralFieldLayers, this->NeuralFieldLearningRate, this->NeuralFieldSeed);
      s.pinn.residualWeight = this->PINNResidualWeight;
      s.pinn.parameterLearningRate = this->PINNParameterLearningRate;
      if (!(std::isfinite(this->PINNResidualWeight) && this->PINNResidualWeight >= 0.0))
      {
        throw gs::Error("PINNResidualWeight must be finite and >= 0.");
      }
      if (!(std::isfinite(this->PINNParameterLearningRate) &&
            this->PINNParameterLearningRate > 0.0 && this->PINNParameterLearningRate <= 1.0))
      {
        throw gs::Error("PINNParameterLearningRate must be in (0, 1].");
      }
    }

    const gs::Observations data = gsvtk::ReadObservations(inputs,
      this->UArrayName ? this->UArrayName : "", this->VArrayName ? this->VArrayName : "", "",
      this->RequestedTimes, gsvtk::Producer(this, 0));
    for (int i = 0; i < 4; ++i)
    {
      if (!(std::isfinite(this->InitialGuess[i]) && this->InitialGuess[i] >= 0.0))
      {
        throw gs::Error(std::string("InitialGuess: ") + gs::parameterName(i) +
          " must be finite and non-negative.");
      }
    }
    if (s.method == gs::InversionMethod::Gradient || s.method == gs::InversionMethod::Hybrid)
    {
      gs::validate(data.grid, s.initialGuess, s.run);
    }

    // Progress: Euler steps of the adjoint sweeps, about one forward run's worth per
    // candidate; the residual fit's frames; the PINN's training steps; then the Euler steps
    // of the estimate's pattern (port 2), at most NumberOfSteps.
    const double patternWork = static_cast<double>(std::max<std::int64_t>(s.run.steps, 0));
    const double work = s.method == gs::InversionMethod::ResidualFit
      ? static_cast<double>(data.frames.size())
      : s.method == gs::InversionMethod::PINN
      ? static_cast<double>(s.pinn.network.iterations)
      : static_cast<double>(s.iterations) * s.batch * static_cast<double>(s.run.steps);
    // AbortExecute, not CheckAbort(): CheckAbort would also make the executive empty the
    // outputs, and an aborted descent keeps its history.
    gs::Progress progress(
      [this](double f) {
        this->UpdateProgress(f);
        return this->GetAbortExecute() != 0;
      },
      work + patternWork);
    const gs::InversionResult r = gs::invert(data, s, &progress);

    // Port 0: the history.
    vtkNew<vtkIntArray> iteration, accepted;
    iteration->SetName("iteration");
    accepted->SetName("accepted");
    history->AddColumn(iteration);
    vtkDoubleArray* loss = NewColumn(history, "loss");
    vtkDoubleArray* columns[4];
    for (int i = 0; i < 4; ++i)
    {
      columns[i] = NewColumn(history, gs::parameterName(i));
    }
    vtkDoubleArray* norm = NewColumn(history, "gradient_norm");
    vtkDoubleArray* rate = NewColumn(history, "learning_rate");
    history->AddColumn(accepted);
    for (const gs::InversionStep& step : r.history)
    {
      iteration->InsertNextValue(step.iteration);
      loss->InsertNextValue(step.loss);
      const std::array<double, 4> p = step.parameters.asArray();
      for (int i = 0; i < 4; ++i)
      {
        columns[i]->InsertNextValue(p[i]);
      }
      norm->InsertNextValue(step.gradientNorm);
      rate->InsertNextValue(step.learningRate);
      accepted->InsertNextValue(step.accepted ? 1 : 0);
    }
    vtkNew<vtkStringArray> message;
    message->SetName("Message");
    message->InsertNextValue(r.message);
    history->GetFieldData()->AddArray(message);
    vtkNew<vtkDoubleArray> estimate;
    estimate->SetName("Estimate");
    estimate->SetNumberOfComponents(4);
    for (int i = 0; i < 4; ++i)
    {
      estimate->SetComponentName(i, gs::parameterName(i));
    }
    const std::array<double, 4> e = r.estimate.asArray();
    estimate->InsertNextTuple(e.data());
    history->GetFieldData()->AddArray(estimate);

    // Port 1: the trajectory through parameter space, on the landscape's axes.
    vtkNew<vtkPoints> points;
    points->SetDataTypeToDouble();
    vtkNew<vtkDoubleArray> pointLoss;
    pointLoss->SetName("loss");
    vtkNew<vtkIntArray> pointIteration;
    pointIteration->SetName("iteration");
    for (const gs::InversionStep& step : r.history)
    {
      points->InsertNextPoint(Coordinate(this->XParameter, step, this->ZScale),
        Coordinate(this->YParameter, step, this->ZScale),
        Coordinate(this->ZParameter, step, this->ZScale));
      pointLoss->InsertNextValue(step.loss);
      pointIteration->InsertNextValue(step.iteration);
    }
    trajectory->SetPoints(points);
    vtkNew<vtkCellArray> lines;
    if (points->GetNumberOfPoints() > 0)
    {
      lines->InsertNextCell(static_cast<int>(points->GetNumberOfPoints()));
      for (vtkIdType i = 0; i < points->GetNumberOfPoints(); ++i)
      {
        lines->InsertCellPoint(i);
      }
    }
    trajectory->SetLines(lines);
    trajectory->GetPointData()->AddArray(pointLoss);
    trajectory->GetPointData()->AddArray(pointIteration);
    trajectory->GetPointData()->SetActiveScalars("loss");

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
    bool finite = true;
    for (double x : e)
    {
      finite = finite && std::isfinite(x);
    }
    if (r.stoppedEarly || !finite)
    {
      vtkWarningMacro(<< r.message);
    }

    // Port 2: the pattern the estimate makes, to compare with the target.
    gs::State x(data.grid);
    bool simulated = false;
    if (finite && !progress.aborted())
    {
      gs::makeInitialCondition(x, s.initialCondition);
      gs::validate(data.grid, r.estimate, s.run);
      simulated = gs::run(x, r.estimate, s.run, &progress).status != gs::RunStatus::Aborted;
      if (!simulated)
      {
        vtkWarningMacro(<< "Aborted while simulating the estimate's pattern: port 2 is empty; the "
                           "history and the trajectory are kept.");
      }
    }
    if (simulated)
    {
      vtkImageData* first = vtkImageData::SafeDownCast(inputs.front());
      pattern->SetExtent(first->GetExtent());
      pattern->SetOrigin(first->GetOrigin());
      pattern->SetSpacing(first->GetSpacing());
      pattern->GetPointData()->AddArray(gsvtk::ToArray("u", x.u));
      pattern->GetPointData()->AddArray(gsvtk::ToArray("v", x.v));
      pattern->GetPointData()->SetActiveScalars("v");
    }
    this->LastError.clear(); // a later failure is news again
  }
  catch (const gs::Error& err)
  {
    history->Initialize();
    trajectory->Initialize();
    pattern->Initialize();
    if (!gsvtk::RepeatedError(this->LastError, this->LastErrorTime, err.what(), gsvtk::Stamp(this)))
    {
      vtkErrorMacro(<< err.what());
    }
  }
  catch (const std::bad_alloc&)
  {
    history->Initialize();
    trajectory->Initialize();
    pattern->Initialize();
    vtkErrorMacro(<< "Out of memory; reduce the batch, the grid or the checkpoint memory.");
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
     << indent << "NeuralFieldIterations: " << this->NeuralFieldIterations << "\n"
     << indent << "NeuralFieldFeatures: " << this->NeuralFieldFeatures << "\n"
     << indent << "NeuralFieldFeatureScale: " << this->NeuralFieldFeatureScale << "\n"
     << indent << "NeuralFieldWidth: " << this->NeuralFieldWidth << "\n"
     << indent << "NeuralFieldLayers: " << this->NeuralFieldLayers << "\n"
     << indent << "NeuralFieldLearningRate: " << this->NeuralFieldLearningRate << "\n"
     << indent << "NeuralFieldSeed: " << this->NeuralFieldSeed << "\n"
     << indent << "PINNResidualWeight: " << this->PINNResidualWeight << "\n"
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
