#include "vtkGrayScottSource.h"
#include "vtkGrayScottImageFields.h"
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

/// Everything that decides the pattern: the cache is valid while this stays equal.
struct Setup
{
  gs::Grid Grid;
  gs::Parameters Params;
  gs::RunSettings Run;
  gs::InitialCondition Initial;
  int Interval = 0;
};

bool operator==(const Setup& a, const Setup& b)
{
  // Plain == on doubles: NaN never matches, which only means no cache for a bad setup.
  return a.Grid == b.Grid && a.Params.asArray() == b.Params.asArray() && a.Run.dt == b.Run.dt &&
    a.Run.steps == b.Run.steps && a.Run.steadyStateTolerance == b.Run.steadyStateTolerance &&
    a.Initial.seed == b.Initial.seed && a.Initial.noiseAmplitude == b.Initial.noiseAmplitude &&
    a.Initial.patchSize == b.Initial.patchSize && a.Interval == b.Interval;
}

/// Number of output frames: 0, I, 2I, ..., N (N also when not a multiple of I), or one.
std::int64_t FrameCount(const Setup& s)
{
  const std::int64_t n = std::max<std::int64_t>(0, s.Run.steps);
  if (s.Interval <= 0)
  {
    return 1;
  }
  return n / s.Interval + 1 + (n % s.Interval != 0 ? 1 : 0);
}

/// Refuses (gs::Error) before anything is allocated when the frames the cache may hold, the
/// solver's work fields and the output do not fit in memory.
void CheckMemory(const Setup& s)
{
  const double fieldsBytes = 2.0 * sizeof(double) * static_cast<double>(s.Grid.cells());
  if (s.Interval > 0)
  {
    const std::int64_t frames = FrameCount(s);
    std::ostringstream what;
    what << "the " << frames << " cached time steps of u and v (OutputInterval = " << s.Interval
         << "; a larger OutputInterval caches fewer time steps), the solver's work fields and the "
            "output";
    gs::checkMemory((static_cast<double>(frames) + 2.0) * fieldsBytes, what.str());
  }
  else
  {
    gs::checkMemory(
      3.0 * fieldsBytes, "the fields u and v, the solver's work fields and the output");
  }
}

/// Target step of each frame, in order (call after CheckMemory: the list can be long).
std::vector<std::int64_t> FrameSteps(const Setup& s)
{
  const std::int64_t n = std::max<std::int64_t>(0, s.Run.steps);
  std::vector<std::int64_t> steps;
  if (s.Interval <= 0)
  {
    steps.push_back(n);
    return steps;
  }
  steps.reserve(static_cast<std::size_t>(FrameCount(s)));
  for (std::int64_t k = 0; k < n; k += s.Interval)
  {
    steps.push_back(k);
  }
  steps.push_back(n);
  return steps;
}

/// Checks the properties Core does not see before allocating (Core validates the rest).
void CheckSourceProperties(int seed, int interval)
{
  if (seed < 0)
  {
    throw gs::Error("Seed must be non-negative (got " + std::to_string(seed) + ").");
  }
  if (interval < 0)
  {
    throw gs::Error("OutputInterval must be non-negative (got " + std::to_string(interval) +
      "); 0 means no time steps.");
  }
}

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

/// One output frame: the state after its target step (or after steady state, if earlier).
struct vtkGrayScottSource::vtkFrame
{
  gs::State State;
  std::int64_t Steps = 0; ///< from the initial state
  gs::RunStatus Status = gs::RunStatus::Finished;
  double LastChange = 0.0;

  /// Converged or blown up: every later frame is this one.
  bool Final() const
  {
    return Status == gs::RunStatus::Converged || Status == gs::RunStatus::BlowUp;
  }
};

/// The frame cache and the solver that extends it.
struct vtkGrayScottSource::vtkInternals
{
  bool HaveSetup = false;
  Setup Current;
  vtkDataObject* Input = nullptr;
  vtkMTimeType InputTime = 0;
  std::vector<std::int64_t> FrameSteps;
  std::map<std::int64_t, vtkFrame> Frames; ///< by target step
  std::unique_ptr<gs::Stepper> Stepper;
  vtkSmartPointer<vtkGrayScottReadyReader> Ready; ///< reads ReadyFile
  vtkSmartPointer<ErrorCollector> ReadyErrors;    ///< its messages
  std::string ReadyPath;                          ///< the file it read last
  std::filesystem::file_time_type ReadyWritten;   ///< and when that was written

  void Clear()
  {
    this->HaveSetup = false;
    this->Input = nullptr;
    this->FrameSteps.clear();
    this->Frames.clear();
    this->Stepper.reset();
  }
};

vtkStandardNewMacro(vtkGrayScottSource);

vtkGrayScottSource::vtkGrayScottSource()
  : Internals(new vtkInternals)
{
  // Defaults from Core, so the paper's truth and setup are written down once.
  const gs::Parameters truth = gs::Parameters::paperTruth();
  const gs::Grid grid;
  const gs::RunSettings run;
  const gs::InitialCondition initial;
  this->Du = truth.Du;
  this->Dv = truth.Dv;
  this->F = truth.F;
  this->K = truth.k;
  this->Dimensions[0] = grid.nx;
  this->Dimensions[1] = grid.ny;
  this->Dimensions[2] = grid.nz;
  this->Spacing[0] = grid.hx;
  this->Spacing[1] = grid.hy;
  this->Spacing[2] = grid.hz;
  this->TimeStep = run.dt;
  this->NumberOfSteps = static_cast<int>(run.steps);
  this->SteadyStateTolerance =
    1e-4; // Core's default is 0 (exact steps); the paper stops at steady state
  this->Seed = static_cast<int>(initial.seed);
  this->NoiseAmplitude = initial.noiseAmplitude;
  this->SeedPatchSize = initial.patchSize;
  this->OutputInterval = 0;
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
  return static_cast<int>(this->Internals->Frames.size());
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
Setup MakeSetup(vtkGrayScottSource* self, vtkImageData* ready)
{
  Setup s;
  const int* dims = self->GetDimensions();
  const double* spacing = self->GetSpacing();
  s.Grid.nx = dims[0];
  s.Grid.ny = dims[1];
  s.Grid.nz = dims[2];
  s.Grid.hx = spacing[0];
  s.Grid.hy = spacing[1];
  s.Grid.hz = spacing[2];
  s.Params.Du = self->GetDu();
  s.Params.Dv = self->GetDv();
  s.Params.F = self->GetF();
  s.Params.k = self->GetK();
  s.Run.dt = self->GetTimeStep();
  s.Run.steps = self->GetNumberOfSteps();
  s.Run.steadyStateTolerance = self->GetSteadyStateTolerance();
  // A negative seed is reported by CheckSourceProperties; never wrap it to a huge one.
  s.Initial.seed = static_cast<std::uint64_t>(std::max(0, self->GetSeed()));
  s.Initial.noiseAmplitude = self->GetNoiseAmplitude();
  s.Initial.patchSize = self->GetSeedPatchSize();
  s.Interval = self->GetOutputInterval();
  if (ready)
  {
    s.Grid = gsvtk::GridOf(ready);
    const double* p = ready->GetFieldData()->GetArray("Parameters")->GetTuple(0);
    s.Params = gs::Parameters{ p[0], p[1], p[2], p[3] };
    s.Run.dt = ready->GetFieldData()->GetArray("TimeStep")->GetTuple1(0);
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
  const Setup setup = MakeSetup(this, ready);
  // Bad dimensions give an empty extent here; RequestData reports them.
  const int extent[6] = { 0, std::max(setup.Grid.nx, 0) - 1, 0, std::max(setup.Grid.ny, 0) - 1, 0,
    std::max(setup.Grid.nz, 0) - 1 };
  const double origin[3] = { 0.0, 0.0, 0.0 };
  const double spacing[3] = { setup.Grid.hx, setup.Grid.hy, setup.Grid.hz };
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), extent, 6);
  outInfo->Set(vtkDataObject::SPACING(), spacing, 3);
  outInfo->Set(vtkDataObject::ORIGIN(), origin, 3);
  vtkDataObject::SetPointDataActiveScalarInfo(outInfo, VTK_DOUBLE, 1);
  // Every piece is cut from the whole simulation, so any sub-extent can be produced.
  outInfo->Set(vtkAlgorithm::CAN_PRODUCE_SUB_EXTENT(), 1);

  // The executive copies the InitialState's time steps downstream; ours replace them.
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_RANGE());
  if (this->OutputInterval > 0 && this->NumberOfSteps >= 0 && std::isfinite(setup.Run.dt) &&
    setup.Run.dt > 0.0)
  {
    const Setup& s = setup;
    try
    {
      // Publishing a list of time steps the cache could never hold helps nobody;
      // RequestData reports the memory error.
      CheckMemory(s);
      std::vector<double> times;
      for (std::int64_t step : FrameSteps(s))
      {
        times.push_back(static_cast<double>(step) * s.Run.dt);
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
    const Setup s = MakeSetup(this, ready);

    // Checked on every request (cheap, allocates nothing), so a bad value is always reported.
    CheckSourceProperties(this->Seed, this->OutputInterval);
    gs::validate(s.Grid, s.Params, s.Run);
    const bool same = internals.HaveSetup && internals.Current == s && internals.Input == input &&
      (!input || internals.InputTime == input->GetMTime());
    if (!same)
    {
      // Free the old cache before checking whether the new one fits.
      internals.Clear();
      if (input && input != ready)
      {
        CheckInitialState(input, s.Grid, gsvtk::Producer(this, 0));
      }
      CheckMemory(s);
      internals.FrameSteps = FrameSteps(s);
      internals.Current = s;
      internals.Input = input;
      internals.InputTime = input ? input->GetMTime() : 0;
      internals.HaveSetup = true;
    }

    // The frame asked for: the last time step at or before the requested time (the first
    // without a time request, as VTK readers do). A small slack absorbs round-off in step*dt.
    std::size_t frameIndex = s.Interval > 0 ? 0 : internals.FrameSteps.size() - 1;
    if (s.Interval > 0 && outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP()))
    {
      const double t = outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP());
      const double slack = 1e-9 * std::max(1.0, std::abs(t));
      for (std::size_t i = 0; i < internals.FrameSteps.size(); ++i)
      {
        if (static_cast<double>(internals.FrameSteps[i]) * s.Run.dt <= t + slack)
        {
          frameIndex = i;
        }
      }
    }
    const std::int64_t target = internals.FrameSteps[frameIndex];

    const vtkFrame* frame = this->ComputeFrame(target, input);
    if (!frame)
    {
      vtkWarningMacro(<< "Aborted: the output is empty and nothing partial was kept.");
      output->Initialize();
      return 1;
    }
    this->FillOutput(*frame, outInfo, output);
    if (s.Interval > 0)
    {
      output->GetInformation()->Set(
        vtkDataObject::DATA_TIME_STEP(), static_cast<double>(target) * s.Run.dt);
    }
    if (frame->Status == gs::RunStatus::BlowUp)
    {
      vtkWarningMacro(<< "The simulation blew up at step " << frame->Steps
                      << " (a value became non-finite or v left [0, 1]); try a smaller TimeStep.");
    }
  }
  catch (const gs::Error& e)
  {
    internals.Clear();
    output->Initialize();
    vtkErrorMacro(<< e.what());
  }
  catch (const std::bad_alloc&)
  {
    internals.Clear();
    output->Initialize();
    vtkErrorMacro(<< "Out of memory while running the simulation; reduce Dimensions"
                  << (this->OutputInterval > 0 ? " or use a larger OutputInterval." : "."));
  }
  return 1;
}

const vtkGrayScottSource::vtkFrame* vtkGrayScottSource::ComputeFrame(
  vtkTypeInt64 target, vtkImageData* input)
{
  vtkInternals& internals = *this->Internals;
  const Setup& s = internals.Current;

  // The latest cached frame at or before the target.
  const vtkFrame* start = nullptr;
  std::int64_t startStep = 0;
  auto after = internals.Frames.upper_bound(target);
  if (after != internals.Frames.begin())
  {
    auto it = std::prev(after);
    start = &it->second;
    startStep = it->first;
    if (startStep == target || start->Final())
    {
      return start;
    }
  }

  gs::Progress progress(
    [this](double fraction) {
      this->UpdateProgress(fraction);
      return this->CheckAbort();
    },
    static_cast<double>(target - startStep));
  if (!internals.Stepper)
  {
    internals.Stepper = std::make_unique<gs::Stepper>(s.Grid, s.Params, s.Run.dt);
  }

  // Without a cached frame, start from the InitialState or the seeded initial condition.
  vtkFrame first;
  if (!start)
  {
    first.State = gs::State(s.Grid);
    if (input)
    {
      first.State.u = gsvtk::ToValues(input->GetPointData()->GetArray("u"));
      first.State.v = gsvtk::ToValues(input->GetPointData()->GetArray("v"));
    }
    else
    {
      gs::makeInitialCondition(first.State, s.Initial);
    }
    if (s.Interval > 0 || target == 0)
    {
      // Frame 0 of a time series is the initial state itself.
      start = &(internals.Frames[0] = std::move(first));
      if (target == 0)
      {
        return start;
      }
    }
  }

  if (!start)
  {
    // One run (OutputInterval = 0): advance in place, then keep it as the only frame.
    const gs::RunResult r =
      internals.Stepper->advance(first.State, target, s.Run.steadyStateTolerance, &progress);
    this->NumberOfStepsComputed += r.steps;
    if (r.status == gs::RunStatus::Aborted)
    {
      return nullptr;
    }
    first.Steps = r.steps;
    first.Status = r.status;
    first.LastChange = r.lastChange;
    return &(internals.Frames[target] = std::move(first));
  }

  // A time series: extend frame by frame from the start, caching each finished frame.
  auto next = std::upper_bound(internals.FrameSteps.begin(), internals.FrameSteps.end(), startStep);
  for (; next != internals.FrameSteps.end() && *next <= target; ++next)
  {
    vtkFrame frame;
    const gs::RunResult r = internals.Stepper->advance(
      start->State, frame.State, *next - startStep, s.Run.steadyStateTolerance, &progress);
    this->NumberOfStepsComputed += r.steps;
    if (r.status == gs::RunStatus::Aborted)
    {
      return nullptr;
    }
    frame.Steps = start->Steps + r.steps;
    frame.Status = r.status;
    frame.LastChange = r.lastChange;
    start = &(internals.Frames[*next] = std::move(frame));
    startStep = *next;
    if (start->Final())
    {
      break;
    }
  }
  return start;
}

void vtkGrayScottSource::FillOutput(
  const vtkFrame& frame, vtkInformation* outInfo, vtkImageData* output)
{
  const gs::Grid& g = frame.State.grid;
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

  const vtkIdType n = output->GetNumberOfPoints();
  vtkNew<vtkDoubleArray> u;
  vtkNew<vtkDoubleArray> v;
  u->SetName("u");
  v->SetName("v");
  u->SetNumberOfTuples(n);
  v->SetNumberOfTuples(n);
  if (n > 0)
  {
    double* uo = u->GetPointer(0);
    double* vo = v->GetPointer(0);
    const std::size_t row = static_cast<std::size_t>(extent[1] - extent[0] + 1);
    for (int z = extent[4]; z <= extent[5]; ++z)
    {
      for (int y = extent[2]; y <= extent[3]; ++y)
      {
        // Core's cell order is VTK's point order: x fastest.
        const std::size_t from = static_cast<std::size_t>(extent[0]) +
          static_cast<std::size_t>(g.nx) *
            (static_cast<std::size_t>(y) + static_cast<std::size_t>(g.ny) * z);
        std::copy_n(frame.State.u.data() + from, row, uo);
        std::copy_n(frame.State.v.data() + from, row, vo);
        uo += row;
        vo += row;
      }
    }
  }
  output->GetPointData()->AddArray(u);
  // v is the pattern one looks at: make it the default colouring.
  output->GetPointData()->SetScalars(v);

  vtkFieldData* fd = output->GetFieldData();
  gsvtk::AddFieldValue<vtkTypeInt64Array>(fd, "StepsTaken", static_cast<vtkTypeInt64>(frame.Steps));
  gsvtk::AddFieldValue<vtkIntArray>(
    fd, "Converged", frame.Status == gs::RunStatus::Converged ? 1 : 0);
  gsvtk::AddFieldValue<vtkIntArray>(fd, "BlowUp", frame.Status == gs::RunStatus::BlowUp ? 1 : 0);
  gsvtk::AddFieldValue<vtkStringArray>(fd, "Status", gs::toString(frame.Status));
  gsvtk::AddFieldValue<vtkDoubleArray>(fd, "LastChange", frame.LastChange);
  gsvtk::AddParameters(fd, this->Internals->Current.Params);
}

void vtkGrayScottSource::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Du: " << this->Du << "\n";
  os << indent << "Dv: " << this->Dv << "\n";
  os << indent << "F: " << this->F << "\n";
  os << indent << "K: " << this->K << "\n";
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
  os << indent << "ReadyFile: " << gsvtk::Printable(this->ReadyFile) << "\n";
  os << indent << "NumberOfStepsComputed: " << this->NumberOfStepsComputed << "\n";
  os << indent << "NumberOfCachedFrames: " << this->Internals->Frames.size() << "\n";
}
