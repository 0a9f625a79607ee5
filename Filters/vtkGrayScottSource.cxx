#include "vtkGrayScottSource.h"
#include "vtkGrayScottImageFields.h"
#include "vtkGrayScottPropertyBlocks.h"
#include "vtkGrayScottReadyReader.h"

#include "vtkCommand.h"
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
#include "vtkSmartPointer.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTypeInt64Array.h"

#include <gs/Grid.h>
#include <gs/Names.h>
#include <gs/PatternSeries.h>
#include <gs/Progress.h>
#include <gs/Simulation.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <vector>

namespace
{

/// Throws gs::Error naming what is wrong with an InitialState for this grid.
void CheckInitialState(vtkImageData* input, const gs::Grid& grid, vtkAlgorithm* producer)
{
  if (input->GetNumberOfPoints() == 0)
  {
    throw gs::Error("InitialState is empty" + gsvtk::WhyInputIsEmpty(producer) + ".");
  }
  int dims[3];
  input->GetDimensions(dims);
  if (dims[0] != grid.nx || dims[1] != grid.ny || dims[2] != grid.nz)
  {
    std::ostringstream msg;
    msg << "InitialState has dimensions " << dims[0] << " x " << dims[1] << " x " << dims[2]
        << ", but Dimensions is " << grid.nx << " x " << grid.ny << " x " << grid.nz
        << "; they must be equal.";
    throw gs::Error(msg.str());
  }
  for (const char* name : { "u", "v" })
  {
    vtkDataArray* array = input->GetPointData()->GetArray(name);
    if (!array)
    {
      throw gs::Error(std::string("InitialState has no point array '") + name +
        "'; it needs numeric point arrays 'u' and 'v'.");
    }
    if (array->GetNumberOfComponents() != 1)
    {
      throw gs::Error(std::string("InitialState's point array '") + name + "' has " +
        std::to_string(array->GetNumberOfComponents()) + " components; it must have one.");
    }
  }
}

/// Collects the error messages of the object it observes (instead of printing them).
class ErrorCollector : public vtkCommand
{
public:
  static ErrorCollector* New() { return new ErrorCollector; }
  void Execute(vtkObject*, unsigned long, void* callData) override
  {
    std::string message = callData ? static_cast<const char*>(callData) : "";
    // VTK's messages read "ERROR: In file, line N\nvtkClass (0x...): text\n\n": keep the text.
    const std::size_t object = message.find("): ");
    if (object != std::string::npos)
    {
      message = message.substr(object + 3);
    }
    while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
    {
      message.pop_back();
    }
    this->Messages += (this->Messages.empty() ? "" : " ") + message;
  }
  std::string Messages;
};

} // namespace

/// The frames of the current setup, and the Ready file's reader.
struct vtkGrayScottSource::vtkInternals
{
  gs::PatternSeries Series;
  vtkSmartPointer<vtkGrayScottReadyReader> Ready; ///< reads ReadyFile
  vtkSmartPointer<ErrorCollector> ReadyErrors;    ///< its messages
  std::string ReadyPath;                          ///< the file it read last
  std::filesystem::file_time_type ReadyWritten;   ///< and when that was written
};

vtkStandardNewMacro(vtkGrayScottSource);

vtkGrayScottSource::vtkGrayScottSource()
  : Internals(new vtkInternals)
{
  // Defaults from Core, so the paper's truth and setup are written down once.
  const gs::SeriesSetup core;
  const gs::Parameters& truth = core.parameters;
  const gs::Grid& grid = core.grid;
  this->Du = truth.Du;
  this->Dv = truth.Dv;
  this->F = truth.F;
  this->k = truth.k;
  this->Dimensions[0] = grid.nx;
  this->Dimensions[1] = grid.ny;
  this->Dimensions[2] = grid.nz;
  this->Spacing[0] = grid.hx;
  this->Spacing[1] = grid.hy;
  this->Spacing[2] = grid.hz;
  this->NumberOfSteps = 0; // the setters below only store a changed value
  this->Seed = 0;
  this->TimeStep = this->SteadyStateTolerance = this->NoiseAmplitude = 0.0;
  this->SeedPatchSize = 0;
  gsvtk::SetSimulationDefaults(this, core.run, core.initial);
  this->OutputInterval = core.interval;
  this->Scheme = static_cast<int>(core.scheme);
  this->ReadyFile = nullptr;
  this->NumberOfStepsComputed = 0;
  this->SetNumberOfInputPorts(1);
  this->SetNumberOfOutputPorts(1);
}

vtkGrayScottSource::~vtkGrayScottSource()
{
  this->SetReadyFile(nullptr);
}

int vtkGrayScottSource::GetNumberOfCachedFrames()
{
  return static_cast<int>(this->Internals->Series.frameCount());
}

int vtkGrayScottSource::FillInputPortInformation(int port, vtkInformation* info)
{
  if (port == 0)
  {
    info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
    info->Set(vtkAlgorithm::INPUT_IS_OPTIONAL(), 1);
  }
  return 1;
}

namespace
{
/// The properties as Core structs (not validated here); a Ready file's rule and grid replace
/// the model's properties.
gs::SeriesSetup MakeSetup(vtkGrayScottSource* self, vtkImageData* ready)
{
  gs::SeriesSetup s;
  const int* dims = self->GetDimensions();
  const double* spacing = self->GetSpacing();
  s.grid = { dims[0], dims[1], dims[2], spacing[0], spacing[1], spacing[2] };
  s.parameters = { self->GetDu(), self->GetDv(), self->GetF(), self->Getk() };
  s.run = gsvtk::RunSettings(self);
  // A negative seed is reported by RequestData; never wrap it to a huge one.
  s.initial = { static_cast<std::uint64_t>(std::max<vtkTypeInt64>(0, self->GetSeed())),
    self->GetNoiseAmplitude(), self->GetSeedPatchSize() };
  s.interval = self->GetOutputInterval();
  s.scheme = static_cast<gs::Scheme>(self->GetScheme());
  if (ready)
  {
    s.grid = gsvtk::GridOf(ready);
    s.parameters =
      gs::Parameters::fromArray(ready->GetFieldData()->GetArray("Parameters")->GetTuple(0));
    s.run.dt = ready->GetFieldData()->GetArray("TimeStep")->GetTuple1(0);
  }
  return s;
}
} // namespace

vtkImageData* vtkGrayScottSource::ReadReadyFile()
{
  if (!this->ReadyFile || !*this->ReadyFile)
  {
    this->Internals->Ready = nullptr;
    return nullptr;
  }
  vtkInternals& internals = *this->Internals;
  if (!internals.Ready)
  {
    internals.Ready = vtkSmartPointer<vtkGrayScottReadyReader>::New();
    internals.ReadyErrors = vtkSmartPointer<ErrorCollector>::New();
    internals.Ready->AddObserver(vtkCommand::ErrorEvent, internals.ReadyErrors);
    internals.ReadyPath.clear();
  }
  vtkGrayScottReadyReader* reader = internals.Ready;
  // The reader runs again only for another file or a file changed on disk; its messages are
  // kept from the run that made them, so every request reports them.
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(this->ReadyFile, ec);
  if (internals.ReadyPath != this->ReadyFile || internals.ReadyWritten != written)
  {
    internals.ReadyPath = this->ReadyFile;
    internals.ReadyWritten = written;
    internals.ReadyErrors->Messages.clear();
    reader->SetFileName(this->ReadyFile);
    reader->Modified();
  }
  reader->Update();
  vtkImageData* image = reader->GetOutput();
  if (!internals.ReadyErrors->Messages.empty())
  {
    // The reader's messages name the file.
    throw gs::Error("ReadyFile: " + internals.ReadyErrors->Messages);
  }
  const std::string file = std::string("ReadyFile '") + this->ReadyFile + "'";
  if (!image || image->GetNumberOfPoints() == 0)
  {
    throw gs::Error(file + " holds no image.");
  }
  if (!reader->GetIsReadyFile())
  {
    throw gs::Error(file + " is not a Ready file: it has no <RD> element with Ready's rule.");
  }
  return image;
}

int vtkGrayScottSource::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkImageData* ready = nullptr;
  try
  {
    ready = this->ReadReadyFile();
  }
  catch (const gs::Error&)
  {
    // RequestData reports it; until then the properties describe the output.
  }
  const gs::SeriesSetup setup = MakeSetup(this, ready);
  // Bad dimensions give an empty extent here; RequestData reports them.
  const int extent[6] = { 0, std::max(setup.grid.nx, 0) - 1, 0, std::max(setup.grid.ny, 0) - 1, 0,
    std::max(setup.grid.nz, 0) - 1 };
  const double origin[3] = { 0.0, 0.0, 0.0 };
  const double spacing[3] = { setup.grid.hx, setup.grid.hy, setup.grid.hz };
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), extent, 6);
  outInfo->Set(vtkDataObject::SPACING(), spacing, 3);
  outInfo->Set(vtkDataObject::ORIGIN(), origin, 3);
  vtkDataObject::SetPointDataActiveScalarInfo(outInfo, VTK_DOUBLE, 1);
  // Every piece is cut from the whole simulation, so any sub-extent can be produced.
  outInfo->Set(vtkAlgorithm::CAN_PRODUCE_SUB_EXTENT(), 1);

  // The executive copies the InitialState's time steps downstream; ours replace them.
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_RANGE());
  if (this->OutputInterval > 0 && this->NumberOfSteps >= 0 && std::isfinite(setup.run.dt) &&
    setup.run.dt > 0.0)
  {
    try
    {
      // Publishing a list of time steps the cache could never hold helps nobody;
      // RequestData reports the memory error.
      setup.checkMemory();
      std::vector<double> times;
      for (std::int64_t step : setup.frameSteps())
      {
        times.push_back(static_cast<double>(step) * setup.run.dt);
      }
      outInfo->Set(vtkStreamingDemandDrivenPipeline::TIME_STEPS(), times.data(),
        static_cast<int>(times.size()));
      const double range[2] = { times.front(), times.back() };
      outInfo->Set(vtkStreamingDemandDrivenPipeline::TIME_RANGE(), range, 2);
    }
    catch (const gs::Error&)
    {}
  }
  return 1;
}

int vtkGrayScottSource::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector*)
{
  // The simulation couples every cell, so it always needs the whole InitialState.
  gsvtk::RequestWholeExtent(inputVector[0]->GetInformationObject(0));
  return 1;
}

int vtkGrayScottSource::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkImageData* output = vtkImageData::GetData(outInfo);
  vtkImageData* input = vtkImageData::GetData(inputVector[0], 0);
  vtkInternals& internals = *this->Internals;
  // Empty unless everything below succeeds.
  output->Initialize();
  if (this->Failure.Repeats(this, outInfo))
  {
    return 0;
  }

  try
  {
    vtkImageData* ready = this->ReadReadyFile();
    if (ready && input)
    {
      throw gs::Error("ReadyFile and InitialState are both given; the Ready file's state is the "
                      "initial state: disconnect InitialState, or clear ReadyFile.");
    }
    // The Ready file's chemicals, when they hold a state, are the initial state.
    if (ready && ready->GetPointData()->GetArray("u"))
    {
      input = ready;
    }
    const gs::SeriesSetup s = MakeSetup(this, ready);

    // Checked on every request (cheap, allocates nothing), so a bad value is always reported.
    gs::checkedSeed(this->Seed, "Seed");
    gs::checkedValue(this->Scheme, "Scheme", gs::schemeNames());
    s.validate();
    gs::PatternSeries& series = internals.Series;
    const std::uint64_t version = input ? input->GetMTime() : 0;
    if (!series.holds(s, version))
    {
      // Free the old frames before checking whether the new ones fit.
      series.clear();
      if (input && input != ready)
      {
        CheckInitialState(input, s.grid, gsvtk::Producer(this, 0));
      }
      s.checkMemory();
      gs::State initial;
      if (input)
      {
        initial = gs::State(s.grid);
        initial.u = gsvtk::ToValues(input->GetPointData()->GetArray("u"));
        initial.v = gsvtk::ToValues(input->GetPointData()->GetArray("v"));
      }
      series.reset(s, input ? &initial : nullptr, version);
    }

    // The frame asked for: the last time step at or before the requested time (the first
    // without a time request, as VTK readers do).
    double time = 0.0;
    const bool timed = outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP());
    if (timed)
    {
      time = outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP());
    }
    const std::size_t index = series.frameAt(timed ? &time : nullptr);
    std::int64_t taken = 0;
    const gs::Frame* frame = series.frame(
      index,
      [this](double fraction) {
        this->UpdateProgress(fraction);
        return this->CheckAbort() != 0;
      },
      taken);
    this->NumberOfStepsComputed += taken;
    if (!frame)
    {
      vtkWarningMacro(<< "Aborted: the output is empty and nothing partial was kept.");
      output->Initialize();
      return 1;
    }
    this->FillOutput(*frame, s.parameters, outInfo, output);
    if (s.interval > 0)
    {
      output->GetInformation()->Set(vtkDataObject::DATA_TIME_STEP(),
        static_cast<double>(series.frameSteps()[index]) * s.run.dt);
    }
    if (frame->status == gs::RunStatus::BlowUp)
    {
      const double margin =
        s.scheme == gs::Scheme::Spectral ? gs::SpectralStepper::BlowUpMargin : s.run.blowUpMargin;
      vtkWarningMacro(<< "The simulation blew up at step " << frame->steps
                      << " (a value became non-finite or v left [" << 0.0 - margin << ", "
                      << 1.0 + margin << "]); try a smaller TimeStep.");
    }
  }
  catch (const gs::Error& e)
  {
    internals.Series.clear();
    output->Initialize();
    return this->Failure.Report(this, outInfo, gsvtk::PropertyMessage(e));
  }
  catch (const std::bad_alloc&)
  {
    internals.Series.clear();
    output->Initialize();
    return this->Failure.Report(this, outInfo,
      std::string("Out of memory while running the simulation; reduce Dimensions") +
        (this->OutputInterval > 0 ? " or use a larger OutputInterval." : "."));
  }
  this->Failure.Clear();
  return 1;
}

void vtkGrayScottSource::FillOutput(const gs::Frame& frame, const gs::Parameters& parameters,
  vtkInformation* outInfo, vtkImageData* output)
{
  const gs::Grid& g = frame.state.grid;
  // The requested piece, within the whole grid (all of it when not running in parallel).
  int extent[6] = { 0, g.nx - 1, 0, g.ny - 1, 0, g.nz - 1 };
  if (outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT()))
  {
    int update[6];
    outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), update);
    for (int i = 0; i < 6; i += 2)
    {
      extent[i] = std::max(extent[i], update[i]);
      extent[i + 1] = std::min(extent[i + 1], update[i + 1]);
    }
  }
  output->SetExtent(extent);
  output->SetOrigin(0.0, 0.0, 0.0);
  output->SetSpacing(g.hx, g.hy, g.hz);

  const std::array<int, 6> box = { extent[0], extent[1], extent[2], extent[3], extent[4],
    extent[5] };
  auto u = gsvtk::ToArray("u", gs::extentValues(g, frame.state.u, box));
  auto v = gsvtk::ToArray("v", gs::extentValues(g, frame.state.v, box));
  output->GetPointData()->AddArray(u);
  // v is the pattern one looks at: make it the default colouring.
  output->GetPointData()->SetScalars(v);

  vtkFieldData* fd = output->GetFieldData();
  gsvtk::AddFieldValue<vtkTypeInt64Array>(fd, "StepsTaken", static_cast<vtkTypeInt64>(frame.steps));
  gsvtk::AddFieldValue<vtkIntArray>(
    fd, "Converged", frame.status == gs::RunStatus::Converged ? 1 : 0);
  gsvtk::AddFieldValue<vtkIntArray>(fd, "BlowUp", frame.status == gs::RunStatus::BlowUp ? 1 : 0);
  gsvtk::AddFieldValue<vtkStringArray>(fd, "Status", gs::toString(frame.status));
  gsvtk::AddFieldValue<vtkDoubleArray>(fd, "LastChange", frame.lastChange);
  gsvtk::AddParameters(fd, parameters);
}

void vtkGrayScottSource::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Du: " << this->Du << "\n";
  os << indent << "Dv: " << this->Dv << "\n";
  os << indent << "F: " << this->F << "\n";
  os << indent << "k: " << this->k << "\n";
  os << indent << "Dimensions: (" << this->Dimensions[0] << ", " << this->Dimensions[1] << ", "
     << this->Dimensions[2] << ")\n";
  os << indent << "Spacing: (" << this->Spacing[0] << ", " << this->Spacing[1] << ", "
     << this->Spacing[2] << ")\n";
  os << indent << "TimeStep: " << this->TimeStep << "\n";
  os << indent << "NumberOfSteps: " << this->NumberOfSteps << "\n";
  os << indent << "SteadyStateTolerance: " << this->SteadyStateTolerance << "\n";
  os << indent << "Seed: " << this->Seed << "\n";
  os << indent << "NoiseAmplitude: " << this->NoiseAmplitude << "\n";
  os << indent << "SeedPatchSize: " << this->SeedPatchSize << "\n";
  os << indent << "OutputInterval: " << this->OutputInterval << "\n";
  os << indent << "Scheme: " << this->Scheme << "\n";
  os << indent << "ReadyFile: " << gsvtk::Printable(this->ReadyFile) << "\n";
  os << indent << "NumberOfStepsComputed: " << this->NumberOfStepsComputed << "\n";
  os << indent << "NumberOfCachedFrames: " << this->Internals->Series.frameCount() << "\n";
}
