#include "vtkGrayScottGradient.h"
#include "vtkGrayScottImageFields.h"
#include "vtkGrayScottPropertyBlocks.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTable.h"
#include "vtkTypeInt64Array.h"

#include <gs/Adjoint.h>
#include <gs/Loss.h>
#include <gs/Names.h>
#include <gs/Progress.h>

#include <cmath>
#include <limits>
#include <string>

vtkStandardNewMacro(vtkGrayScottGradient);

namespace
{

void AddColumn(vtkTable* table, const char* name, double value)
{
  vtkNew<vtkDoubleArray> a;
  a->SetName(name);
  a->InsertNextValue(value);
  table->AddColumn(a);
}

/// The loss, its gradient and the run's figures: one row, and field data.
void FillTable(vtkTable* output, const gs::GradientResult& r)
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  AddColumn(output, "loss", r.valid ? r.loss : nan);
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    const std::string name = std::string("dL_d") + gs::parameterName(i);
    AddColumn(output, name.c_str(), r.valid ? r.gradient[i] : nan);
  }
  vtkNew<vtkTypeInt64Array> steps;
  steps->SetName("steps");
  steps->InsertNextValue(r.forward.steps);
  output->AddColumn(steps);

  vtkNew<vtkStringArray> status;
  status->SetName("Status");
  status->InsertNextValue(r.valid ? "valid" : r.message);
  output->GetFieldData()->AddArray(status);
  vtkNew<vtkIntArray> valid;
  valid->SetName("Valid");
  valid->InsertNextValue(r.valid ? 1 : 0);
  output->GetFieldData()->AddArray(valid);
  vtkNew<vtkTypeInt64Array> forward;
  forward->SetName("ForwardSteps");
  forward->InsertNextValue(r.forwardSteps);
  output->GetFieldData()->AddArray(forward);
  vtkNew<vtkDoubleArray> peak;
  peak->SetName("CheckpointMemoryPeak");
  peak->InsertNextValue(r.peakBytes);
  output->GetFieldData()->AddArray(peak);
}

} // namespace

vtkGrayScottGradient::vtkGrayScottGradient()
{
  // The defaults are Core's: the paper's truth, run, initial condition and loss.
  const gs::Parameters truth = gs::Parameters::paperTruth();
  this->Du = truth.Du;
  this->Dv = truth.Dv;
  this->F = truth.F;
  this->k = truth.k;
  gsvtk::SetSimulationDefaults(this);
  const gs::LossSettings loss;
  this->Loss = static_cast<int>(loss.kind);
  this->IncludeU = loss.includeU;
  this->TileSize = loss.tileSize;
  gsvtk::SetGradientDefaults(this);
  this->SetNumberOfInputPorts(2);
}

int vtkGrayScottGradient::FillInputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  if (port == 1)
  {
    info->Set(vtkAlgorithm::INPUT_IS_OPTIONAL(), 1);
  }
  return 1;
}

int vtkGrayScottGradient::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector*)
{
  // The whole of both images: the simulation needs every cell, and the inputs' extents need
  // not agree (a mismatch is reported in RequestData).
  for (int port = 0; port < 2; ++port)
  {
    gsvtk::RequestWholeExtent(inputVector[port]->GetInformationObject(0));
  }
  return 1;
}

int vtkGrayScottGradient::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkTable* output = vtkTable::GetData(outInfo);
  output->Initialize();
  if (this->Failure.Repeats(this, outInfo))
  {
    return 0;
  }
  vtkImageData* target = vtkImageData::GetData(inputVector[0], 0);
  vtkImageData* initial = vtkImageData::GetData(inputVector[1], 0);
  try
  {
    if (!target || target->GetNumberOfPoints() == 0)
    {
      throw gs::Error("The Target is empty" + gsvtk::WhyInputIsEmpty(gsvtk::Producer(this, 0)) +
        ": connect an image with a point array v.");
    }
    const gs::Grid grid = gsvtk::GridOf(target);
    grid.validate();
    const gs::Parameters p{ this->Du, this->Dv, this->F, this->k };
    const gs::RunSettings run = gsvtk::RunSettings(this);
    gs::validate(grid, p, run);
    const auto lossKind = gs::enumValue<gs::LossKind>(this->Loss, "Loss", gs::lossNames());
    const gs::GradientSettings gsets = gsvtk::GradientSettings(this);
    gsets.validate();

    gs::State targetState(grid);
    gsvtk::ReadField(target, "v", "Target", targetState.v);
    if (this->IncludeU)
    {
      gsvtk::ReadField(target, "u", "Target", targetState.u);
    }

    gs::State x0(grid);
    if (initial)
    {
      if (gsvtk::GridOf(initial).nx != grid.nx || gsvtk::GridOf(initial).ny != grid.ny ||
        gsvtk::GridOf(initial).nz != grid.nz)
      {
        throw gs::Error("The InitialState's dimensions differ from the Target's.");
      }
      gsvtk::ReadField(initial, "u", "InitialState", x0.u);
      gsvtk::ReadField(initial, "v", "InitialState", x0.v);
    }
    else
    {
      gs::makeInitialCondition(x0, gsvtk::InitialCondition(this));
    }

    gs::LossSettings ls;
    ls.kind = lossKind;
    ls.includeU = this->IncludeU;
    ls.tileSize = this->TileSize;
    const gs::Loss loss(ls, targetState);


    // Progress counts adjoint steps; the reverse sweep reports them on this thread.
    const double work = static_cast<double>(gsets.routing == gs::Routing::Truncated
        ? std::min(this->TruncationSteps, this->NumberOfSteps)
        : this->NumberOfSteps);
    gs::Progress progress(
      [this](double f) {
        this->UpdateProgress(f);
        return this->CheckAbort();
      },
      work);
    const gs::GradientResult r = gs::lossGradient(x0, p, run, loss, gsets, &progress);
    if (progress.aborted())
    {
      vtkWarningMacro(<< "Aborted: the output is empty.");
      return 1;
    }

    FillTable(output, r);
    if (!r.valid)
    {
      vtkWarningMacro(<< "No gradient: " << r.message);
    }
  }
  catch (const gs::Error& e)
  {
    output->Initialize();
    return this->Failure.Report(this, outInfo, gsvtk::PropertyMessage(e));
  }
  catch (const std::bad_alloc&)
  {
    output->Initialize();
    return this->Failure.Report(
      this, outInfo, "Out of memory; reduce the grid or the checkpoint memory.");
  }
  this->Failure.Clear();
  return 1;
}

void vtkGrayScottGradient::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Du: " << this->Du << "\n"
     << indent << "Dv: " << this->Dv << "\n"
     << indent << "F: " << this->F << "\n"
     << indent << "k: " << this->k << "\n"
     << indent << "TimeStep: " << this->TimeStep << "\n"
     << indent << "NumberOfSteps: " << this->NumberOfSteps << "\n"
     << indent << "SteadyStateTolerance: " << this->SteadyStateTolerance << "\n"
     << indent << "Seed: " << this->Seed << "\n"
     << indent << "NoiseAmplitude: " << this->NoiseAmplitude << "\n"
     << indent << "SeedPatchSize: " << this->SeedPatchSize << "\n"
     << indent << "Loss: " << this->Loss << "\n"
     << indent << "IncludeU: " << this->IncludeU << "\n"
     << indent << "TileSize: " << this->TileSize << "\n"
     << indent << "Routing: " << this->Routing << "\n"
     << indent << "TruncationSteps: " << this->TruncationSteps << "\n"
     << indent << "CheckpointMemory: " << this->CheckpointMemory << " MiB\n";
}
