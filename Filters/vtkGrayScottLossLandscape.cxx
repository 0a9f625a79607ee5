#include "vtkGrayScottLossLandscape.h"
#include "vtkGrayScottImageFields.h"
#include "vtkGrayScottPropertyBlocks.h"

#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTypeInt64Array.h"

#include <gs/Landscape.h>
#include <gs/LandscapeSweep.h>
#include <gs/Names.h>
#include <gs/Progress.h>
#include <gs/Residual.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <new>
#include <string>
#include <vector>

vtkStandardNewMacro(vtkGrayScottLossLandscape);

namespace
{

/// An axis's name from LandscapeAxis::parameter: a parameter's, "Horizon" or "None".
const char* AxisName(int parameter)
{
  return gs::landscapeAxisNames()[parameter == gs::LandscapeAxis::Horizon ? gs::axisHorizon
      : parameter >= 0 && parameter < gs::axisNone                        ? parameter
                                                                          : gs::axisNone];
}
/// The residual loss: an entry of the Losses list that needs no simulation.
const char* const ResidualName = "residual";

/// The axes as Core structs; throws gs::Error naming an axis property that is not a parameter
/// (or None, for Y and Z). Core checks the rest.
std::array<gs::LandscapeAxis, 3> Axes(
  const int parameter[3], const double* range[3], const int resolution[3])
{
  std::array<gs::LandscapeAxis, 3> axes;
  for (int a = 0; a < 3; ++a)
  {
    const int p =
      gs::landscapeAxisParameter(parameter[a], std::string(1, "XYZ"[a]) + "Parameter", a == 0);
    if (p >= 0)
    {
      axes[a] = { p, range[a][0], range[a][1], resolution[a] };
    }
  }
  return axes;
}

template <typename ArrayT, typename T>
void AddField(vtkFieldData* fd, const char* name, std::initializer_list<T> values)
{
  vtkNew<ArrayT> a;
  a->SetName(name);
  a->SetNumberOfComponents(static_cast<int>(values.size()));
  a->SetNumberOfTuples(1);
  int c = 0;
  for (T v : values)
  {
    a->SetTypedComponent(0, c++, v);
  }
  fd->AddArray(a);
}

void AddStrings(vtkFieldData* fd, const char* name, const std::vector<std::string>& values)
{
  vtkNew<vtkStringArray> a;
  a->SetName(name);
  for (const std::string& v : values)
  {
    a->InsertNextValue(v);
  }
  fd->AddArray(a);
}

/// The point arrays of a computed piece.
void AddPointArrays(vtkImageData* output, const gs::LandscapeSettings& s,
  const gs::LandscapeImage& image, bool residual)
{
  vtkPointData* pd = output->GetPointData();
  for (std::size_t l = 0; l < s.losses.size(); ++l)
  {
    pd->AddArray(gsvtk::ToArray(gs::toString(s.losses[l]), image.losses[l]));
  }
  if (residual)
  {
    pd->AddArray(gsvtk::ToArray(ResidualName, image.residual));
  }
  if (s.losses.empty())
  {
    pd->SetActiveScalars(ResidualName);
    return;
  }
  pd->AddArray(gsvtk::ToArray("steps", image.steps));
  pd->AddArray(gsvtk::ToArray("converged", image.converged));
  pd->AddArray(gsvtk::ToArray("pattern_class", image.patternClass));
  pd->AddArray(gsvtk::ToArray("mean_v", image.meanV));
  if (s.gradient)
  {
    const int components = static_cast<int>(image.gradientComponents.size());
    auto gradient = gsvtk::ToArray("gradient", image.gradient, components);
    for (int c = 0; c < components; ++c)
    {
      gradient->SetComponentName(c, gs::parameterName(image.gradientComponents[c]));
    }
    pd->AddArray(gradient);
    pd->AddArray(gsvtk::ToArray("gradient_norm", image.gradientNorm));
  }
  // Colour by logps when it is there (the paper's loss), else by the first loss.
  const auto logps = std::find(s.losses.begin(), s.losses.end(), gs::LossKind::LogPS);
  pd->SetActiveScalars(gs::toString(logps != s.losses.end() ? *logps : s.losses.front()));
}

/// The settings and the truth, as field data.
void AddSettings(vtkFieldData* fd, const gs::LandscapeSettings& s, bool residual,
  std::size_t observedFrames, vtkTypeInt64 seed)
{
  gsvtk::AddParameters(fd, s.truth, "TrueParameters");
  AddStrings(fd, "AxisParameters",
    { AxisName(s.axes[0].parameter), AxisName(s.axes[1].parameter),
      AxisName(s.axes[2].parameter) });
  AddField<vtkDoubleArray, double>(fd, "AxisRanges",
    { s.axes[0].min, s.axes[0].max, s.axes[1].min, s.axes[1].max, s.axes[2].min, s.axes[2].max });
  AddField<vtkIntArray, int>(
    fd, "AxisResolutions", { s.axes[0].resolution, s.axes[1].resolution, s.axes[2].resolution });
  AddField<vtkIntArray, int>(fd, "Dimensions", { s.grid.nx, s.grid.ny, s.grid.nz });
  AddField<vtkDoubleArray, double>(fd, "Spacing", { s.grid.hx, s.grid.hy, s.grid.hz });
  AddField<vtkDoubleArray, double>(fd, "TimeStep", { s.run.dt });
  AddField<vtkTypeInt64Array, vtkTypeInt64>(fd, "NumberOfSteps", { s.run.steps });
  AddField<vtkTypeInt64Array, vtkTypeInt64>(fd, "Horizon", { s.horizon });
  AddField<vtkDoubleArray, double>(fd, "SteadyStateTolerance", { s.run.steadyStateTolerance });
  AddField<vtkTypeInt64Array, vtkTypeInt64>(fd, "Seed", { seed });
  AddField<vtkDoubleArray, double>(fd, "NoiseAmplitude", { s.initialCondition.noiseAmplitude });
  AddField<vtkIntArray, int>(fd, "SeedPatchSize", { s.initialCondition.patchSize });
  AddField<vtkIntArray, int>(fd, "NumberOfInitialConditions", { s.initialConditions });
  AddStrings(fd, "Target",
    { observedFrames > 1      ? "observed series"
        : observedFrames == 1 ? "observed"
                              : "simulated at TrueParameters" });
  AddField<vtkIntArray, int>(fd, "TargetFrames", { static_cast<int>(observedFrames) });
  std::vector<std::string> lossNames;
  for (gs::LossKind kind : s.losses)
  {
    lossNames.push_back(gs::toString(kind));
  }
  if (residual)
  {
    lossNames.push_back(ResidualName);
  }
  AddStrings(fd, "Losses", lossNames);
  if (s.gradient)
  {
    AddStrings(fd, "GradientLoss", { gs::toString(s.gradientLoss) });
    AddStrings(fd, "Routing", { gs::toString(s.gradientSettings.routing) });
  }
  std::vector<std::string> classNames;
  for (int c = 0; c <= static_cast<int>(gs::PatternClass::BlowUp); ++c)
  {
    classNames.push_back(gs::toString(static_cast<gs::PatternClass>(c)));
  }
  AddStrings(fd, "PatternClassNames", classNames);
}

} // namespace

struct vtkGrayScottLossLandscape::vtkInternals
{
  gs::LandscapeSweep Sweep;
};

vtkGrayScottLossLandscape::vtkGrayScottLossLandscape()
  : Internals(new vtkInternals)
{
  // The defaults are Core's: the paper's sweep.
  const gs::LandscapeSettings paper = gs::LandscapeSettings::paper();
  const std::array<double, 4> truth = paper.truth.asArray();
  std::copy(truth.begin(), truth.end(), this->TrueParameters);
  int* parameter[3] = { &this->XParameter, &this->YParameter, &this->ZParameter };
  double* range[3] = { this->XRange, this->YRange, this->ZRange };
  int* resolution[3] = { &this->XResolution, &this->YResolution, &this->ZResolution };
  for (int a = 0; a < 3; ++a)
  {
    const gs::LandscapeAxis& axis = paper.axes[a];
    *parameter[a] = axis.parameter < 0 ? gs::axisNone : axis.parameter;
    range[a][0] = axis.min;
    range[a][1] = axis.max;
    *resolution[a] = axis.resolution;
  }
  this->Horizon = paper.horizon;
  const gs::Grid& grid = paper.grid;
  this->Dimensions[0] = grid.nx;
  this->Dimensions[1] = grid.ny;
  this->Dimensions[2] = grid.nz;
  this->Spacing[0] = grid.hx;
  this->Spacing[1] = grid.hy;
  this->Spacing[2] = grid.hz;
  gsvtk::SetSimulationDefaults(this, paper.run, paper.initialCondition);
  this->NumberOfInitialConditions = paper.initialConditions;
  this->IncludeU = paper.loss.includeU;
  this->TileSize = paper.loss.tileSize;
  this->ComputeGradient = paper.gradient;
  this->GradientLoss = static_cast<int>(paper.gradientLoss);
  gsvtk::SetGradientDefaults(this, paper.gradientSettings);
  this->SetNumberOfInputPorts(1);
  for (gs::LossKind kind : gs::allLosses())
  {
    this->LossSelection->AddArray(gs::toString(kind), true);
  }
  this->LossSelection->AddArray(ResidualName, true);
  this->SetUArrayName("u");
  this->SetVArrayName("v");
}

vtkGrayScottLossLandscape::~vtkGrayScottLossLandscape()
{
  this->SetCacheFile(nullptr);
  this->SetUArrayName(nullptr);
  this->SetVArrayName(nullptr);
}

vtkDataArraySelection* vtkGrayScottLossLandscape::GetLossSelection()
{
  return this->LossSelection;
}

int vtkGrayScottLossLandscape::GetNumberOfLossArrays()
{
  return this->LossSelection->GetNumberOfArrays();
}

const char* vtkGrayScottLossLandscape::GetLossArrayName(int index)
{
  return this->LossSelection->GetArrayName(index);
}

int vtkGrayScottLossLandscape::GetLossArrayStatus(const char* name)
{
  return this->LossSelection->ArrayIsEnabled(name);
}

void vtkGrayScottLossLandscape::SetLossArrayStatus(const char* name, int status)
{
  if (!gsvtk::SetSelected(this->LossSelection, name, status))
  {
    vtkErrorMacro(<< "No loss named '" << (name ? name : "") << "'.");
  }
}

void vtkGrayScottLossLandscape::DisableAllLosses()
{
  this->LossSelection->DisableAllArrays();
}

vtkMTimeType vtkGrayScottLossLandscape::GetMTime()
{
  return std::max(this->Superclass::GetMTime(), this->LossSelection->GetMTime());
}

int vtkGrayScottLossLandscape::FillInputPortInformation(int, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  info->Set(vtkAlgorithm::INPUT_IS_OPTIONAL(), 1);
  return 1;
}

int vtkGrayScottLossLandscape::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  this->TargetFrames.clear(); // a gathering cut short starts again
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  int extent[6] = { 0, 0, 0, 0, 0, 0 };
  double origin[3] = { 0.0, 0.0, 0.0 }, spacing[3] = { 1.0, 1.0, 1.0 };
  const int parameter[3] = { this->XParameter, this->YParameter, this->ZParameter };
  const double* range[3] = { this->XRange, this->YRange, this->ZRange };
  const int resolution[3] = { this->XResolution, this->YResolution, this->ZResolution };
  try
  {
    const auto axes = Axes(parameter, range, resolution);
    for (int a = 0; a < 3; ++a)
    {
      // A bad axis gets one point, so RequestData runs and reports the problem.
      const gs::LandscapeAxis& x = axes[a];
      const bool usable = x.resolution >= 1 && std::isfinite(x.min) && std::isfinite(x.max) &&
        (x.resolution == 1 || x.min < x.max);
      extent[2 * a + 1] = usable ? x.resolution - 1 : 0;
      if (usable)
      {
        x.geometry(origin[a], spacing[a]);
      }
    }
  }
  catch (const gs::Error&)
  {
    std::fill(extent, extent + 6, 0); // RequestData reports it
  }
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), extent, 6);
  outInfo->Set(vtkDataObject::ORIGIN(), origin, 3);
  outInfo->Set(vtkDataObject::SPACING(), spacing, 3);
  // Points are independent: any sub-extent is computed on its own.
  outInfo->Set(vtkAlgorithm::CAN_PRODUCE_SUB_EXTENT(), 1);
  // The Target's time steps do not describe parameter space; ours, if any, replace them.
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_RANGE());
  try
  {
    const std::vector<std::int64_t> steps = this->TimeValues();
    if (!steps.empty())
    {
      const std::vector<double> times(steps.begin(), steps.end());
      outInfo->Set(vtkStreamingDemandDrivenPipeline::TIME_STEPS(), times.data(),
        static_cast<int>(times.size()));
      const double span[2] = { times.front(), times.back() };
      outInfo->Set(vtkStreamingDemandDrivenPipeline::TIME_RANGE(), span, 2);
    }
  }
  catch (const gs::Error&)
  {
    // RequestData reports it.
  }
  return 1;
}

std::vector<std::int64_t> vtkGrayScottLossLandscape::TimeValues()
{
  const auto time =
    gs::enumValue<gs::LandscapeTime>(this->TimeSteps, "TimeSteps", gs::landscapeTimeNames());
  return gs::landscapeTimeSteps(this->Settings(), time, this->NumberOfTimeSteps);
}

std::vector<double> vtkGrayScottLossLandscape::TargetTimesToGather(vtkInformation* inInfo)
{
  const int n = inInfo->Length(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  if (n < 1)
  {
    return {}; // a Target without time
  }
  if (this->TargetSeries)
  {
    return gsvtk::EveryNthTimeStep(inInfo, this->FrameStride);
  }
  const double* all = inInfo->Get(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  bool ownTime = false;
  try
  {
    ownTime = !this->TimeValues().empty();
  }
  catch (const gs::Error&)
  {
    // RequestData reports it.
  }
  // Our time steps are horizons or step counts, not the Target's times: hold its last frame.
  return ownTime ? std::vector<double>{ all[n - 1] } : std::vector<double>{};
}

int vtkGrayScottLossLandscape::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector*)
{
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  if (!inInfo)
  {
    return 1; // no Target: the targets are simulated
  }
  // Every point compares with the whole target, whatever piece of parameter space is asked.
  gsvtk::RequestWholeExtent(inInfo);
  if (this->TargetFrames.empty())
  {
    this->TargetTimes = this->TargetTimesToGather(inInfo);
  }
  if (this->TargetFrames.size() < this->TargetTimes.size())
  {
    inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP(),
      this->TargetTimes[this->TargetFrames.size()]);
  }
  return 1;
}

gs::LandscapeSettings vtkGrayScottLossLandscape::Settings()
{
  const int parameter[3] = { this->XParameter, this->YParameter, this->ZParameter };
  const double* range[3] = { this->XRange, this->YRange, this->ZRange };
  const int resolution[3] = { this->XResolution, this->YResolution, this->ZResolution };
  gs::LandscapeSettings s;
  s.axes = Axes(parameter, range, resolution);
  s.truth = gs::Parameters::fromArray(this->TrueParameters);
  s.grid = { this->Dimensions[0], this->Dimensions[1], this->Dimensions[2], this->Spacing[0],
    this->Spacing[1], this->Spacing[2] };
  s.run = gsvtk::RunSettings(this);
  s.initialCondition = gsvtk::InitialCondition(this);
  s.initialConditions = this->NumberOfInitialConditions;
  s.horizon = this->Horizon;
  s.losses.clear();
  for (gs::LossKind kind : gs::allLosses())
  {
    if (this->LossSelection->ArrayIsEnabled(gs::toString(kind)))
    {
      s.losses.push_back(kind);
    }
  }
  s.loss.includeU = this->IncludeU;
  s.loss.tileSize = this->TileSize;
  s.gradient = this->ComputeGradient;
  if (s.gradient)
  {
    s.gradientLoss =
      gs::enumValue<gs::LossKind>(this->GradientLoss, "GradientLoss", gs::lossNames());
    s.gradientSettings = gsvtk::GradientSettings(this);
  }
  return s;
}

int vtkGrayScottLossLandscape::RequestData(
  vtkInformation* pass, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkImageData* output = vtkImageData::GetData(outInfo);
  vtkImageData* input = vtkImageData::GetData(inputVector[0], 0);
  output->Initialize();
  if (this->TargetFrames.empty())
  {
    this->NumberOfPointsFromCache = 0;
    if (this->Failure.Repeats(this, outInfo))
    {
      this->TargetTimes.clear(); // no gathering for a failure already reported
      return 0;
    }
  }
  // A series Target arrives one frame per pass: keep it, and ask for another pass until all
  // are here (as vtkMultiTimeStepAlgorithm does; this filter also runs without a Target).
  std::vector<vtkSmartPointer<vtkDataObject>> frames;
  if (input && this->TargetTimes.size() > 1)
  {
    vtkSmartPointer<vtkDataObject> frame =
      vtkSmartPointer<vtkDataObject>::Take(input->NewInstance());
    frame->ShallowCopy(input);
    this->TargetFrames.push_back(frame);
    if (this->TargetFrames.size() < this->TargetTimes.size())
    {
      pass->Set(vtkStreamingDemandDrivenPipeline::CONTINUE_EXECUTING(), 1);
      return 1;
    }
    pass->Remove(vtkStreamingDemandDrivenPipeline::CONTINUE_EXECUTING());
    frames.swap(this->TargetFrames);
  }
  else if (input)
  {
    frames.emplace_back(input);
  }
  const std::vector<double> targetTimes = std::move(this->TargetTimes);
  this->TargetFrames.clear();
  this->TargetTimes.clear();
  try
  {
    gs::LandscapeSettings s = this->Settings();
    const std::vector<std::int64_t> times = this->TimeValues();
    if (!times.empty())
    {
      const std::int64_t t = gs::timeStepAt(times,
        outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP())
          ? outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_TIME_STEP())
          : static_cast<double>(times.front()));
      s = gs::atTime(s, static_cast<gs::LandscapeTime>(this->TimeSteps), t);
      output->GetInformation()->Set(vtkDataObject::DATA_TIME_STEP(), static_cast<double>(t));
    }
    gs::LandscapeRequest request;
    request.residual = this->LossSelection->ArrayIsEnabled(ResidualName) != 0;
    request.cacheFile = this->CacheFile ? this->CacheFile : "";
    gs::Observations observed;
    if (this->TargetSeries && frames.empty())
    {
      throw gs::Error("TargetSeries shoots across the Target's time steps: connect a Target, or "
                      "turn TargetSeries off.");
    }
    if (!frames.empty())
    {
      // The Target's grid; its v (and u, when a loss needs it).
      const char* uName = this->UArrayName ? this->UArrayName : "";
      const char* vName = this->VArrayName ? this->VArrayName : "";
      // U Array None: v alone; the horizon loss then starts from the latent u.
      const bool vAlone = std::string(uName) == gsvtk::NoArray;
      if (this->TargetSeries)
      {
        if (frames.size() < 2)
        {
          throw gs::Error("TargetSeries shoots across the Target's time steps, but it gives " +
            std::to_string(frames.size()) +
            " frame: give a Target with time steps (and a FrameStride that leaves two), or turn "
            "TargetSeries off.");
        }
        gs::checkSeriesTarget(s,
          gs::enumValue<gs::LandscapeTime>(this->TimeSteps, "TimeSteps", gs::landscapeTimeNames()),
          request.residual, frames.size(), !vAlone);
      }
      if (vAlone && (this->IncludeU || request.residual))
      {
        throw gs::Error(std::string(this->IncludeU ? "IncludeU" : "The residual loss") +
          " needs u, but UArrayName is None (v alone): choose the Target's u array, or " +
          (this->IncludeU ? "turn IncludeU off." : "deselect residual in Losses."));
      }
      vtkImageData* first = vtkImageData::SafeDownCast(frames.front());
      if (request.residual && first && first->GetNumberOfPoints() > 0)
      {
        // v's own problems first, then the residual's need of u, before the frames are read.
        std::vector<double> v;
        gsvtk::ReadField(first, vName, "Target", v);
        if (!first->GetPointData()->GetArray(uName))
        {
          throw gs::Error(std::string("The residual loss needs u, but the Target has no point "
                                      "array '") +
            uName + "'; deselect residual in Losses.");
        }
      }
      s.latentU = vAlone && s.shooting();
      const bool needU = !vAlone && (this->IncludeU || request.residual || s.shooting());
      observed = gsvtk::ReadObservations(frames, needU ? uName : gsvtk::NoArray, vName, nullptr,
        targetTimes, gsvtk::Producer(this, 0), "Target");
      s.grid = observed.grid;
      request.observed = &observed;
    }
    outInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), request.extent.data());
    if (outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT()))
    {
      outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), request.extent.data());
    }

    gs::LandscapeImage image;
    const gs::LandscapeOutcome outcome =
      this->Internals->Sweep.compute(s, request, image, [this](double f) {
        this->UpdateProgress(f);
        return this->CheckAbort() != 0;
      });
    this->NumberOfPointsFromCache = static_cast<vtkTypeInt64>(outcome.fromCache);
    this->NumberOfPointsComputed += static_cast<vtkTypeInt64>(outcome.computed);
    if (outcome.aborted)
    {
      if (outcome.abortedInTargets)
      {
        vtkWarningMacro(<< "Aborted while simulating the targets: the output is empty.");
      }
      else
      {
        vtkWarningMacro(<< "Aborted with " << outcome.finished << " of " << outcome.requested
                        << " points finished: the output is empty. The finished points are kept"
                        << (request.cacheFile.empty() ? "" : " (also in the cache file)")
                        << ", so updating again computes only the rest.");
      }
      this->Failure.Clear();
      return 1;
    }
    if (image.size() == 0)
    {
      this->Failure.Clear();
      return 1; // an empty piece
    }
    double origin[3], spacing[3];
    for (int a = 0; a < 3; ++a)
    {
      s.axes[a].geometry(origin[a], spacing[a]);
    }
    output->SetExtent(image.extent.data());
    output->SetOrigin(origin);
    output->SetSpacing(spacing);
    AddPointArrays(output, s, image, request.residual);
    AddSettings(output->GetFieldData(), s, request.residual, observed.frames.size(), this->Seed);
  }
  catch (const gs::Error& e)
  {
    output->Initialize();
    return this->Failure.Report(this, outInfo, gsvtk::PropertyMessage(e));
  }
  catch (const std::bad_alloc&)
  {
    output->Initialize();
    this->Internals->Sweep.clear();
    return this->Failure.Report(this, outInfo,
      "Out of memory; reduce the resolutions, the grid or the number of initial conditions.");
  }
  this->Failure.Clear();
  return 1;
}

void vtkGrayScottLossLandscape::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "TrueParameters: " << this->TrueParameters[0] << " " << this->TrueParameters[1]
     << " " << this->TrueParameters[2] << " " << this->TrueParameters[3] << "\n";
  const int parameter[3] = { this->XParameter, this->YParameter, this->ZParameter };
  const double* range[3] = { this->XRange, this->YRange, this->ZRange };
  const int resolution[3] = { this->XResolution, this->YResolution, this->ZResolution };
  for (int a = 0; a < 3; ++a)
  {
    os << indent << "XYZ"[a] << "Parameter: " << parameter[a] << " ("
       << (parameter[a] >= 0 && parameter[a] <= gs::axisHorizon
              ? gs::landscapeAxisNames()[parameter[a]]
              : "invalid")
       << ")\n"
       << indent << "XYZ"[a] << "Range: " << range[a][0] << " " << range[a][1] << "\n"
       << indent << "XYZ"[a] << "Resolution: " << resolution[a] << "\n";
  }
  gsvtk::PrintSelection(os, indent, "Losses", this->LossSelection);
  os << indent << "Dimensions: " << this->Dimensions[0] << " " << this->Dimensions[1] << " "
     << this->Dimensions[2] << "\n"
     << indent << "Spacing: " << this->Spacing[0] << " " << this->Spacing[1] << " "
     << this->Spacing[2] << "\n"
     << indent << "NoiseAmplitude: " << this->NoiseAmplitude << "\n"
     << indent << "SeedPatchSize: " << this->SeedPatchSize << "\n"
     << indent << "Horizon: " << this->Horizon << "\n"
     << indent << "TargetSeries: " << this->TargetSeries << "\n"
     << indent << "FrameStride: " << this->FrameStride << "\n"
     << indent << "TimeSteps: " << this->TimeSteps << "\n"
     << indent << "NumberOfTimeSteps: " << this->NumberOfTimeSteps << "\n"
     << indent << "IncludeU: " << this->IncludeU << "\n"
     << indent << "TileSize: " << this->TileSize << "\n"
     << indent << "GradientLoss: " << this->GradientLoss << "\n"
     << indent << "Routing: " << this->Routing << "\n"
     << indent << "TruncationSteps: " << this->TruncationSteps << "\n"
     << indent << "CheckpointMemory: " << this->CheckpointMemory << "\n"
     << indent << "UArrayName: " << gsvtk::Printable(this->UArrayName) << "\n"
     << indent << "VArrayName: " << gsvtk::Printable(this->VArrayName) << "\n"
     << indent << "TimeStep: " << this->TimeStep << "\n"
     << indent << "NumberOfSteps: " << this->NumberOfSteps << "\n"
     << indent << "SteadyStateTolerance: " << this->SteadyStateTolerance << "\n"
     << indent << "Seed: " << this->Seed << "\n"
     << indent << "NumberOfInitialConditions: " << this->NumberOfInitialConditions << "\n"
     << indent << "ComputeGradient: " << this->ComputeGradient << "\n"
     << indent << "CacheFile: " << gsvtk::Printable(this->CacheFile) << "\n"
     << indent << "NumberOfPointsComputed: " << this->NumberOfPointsComputed << "\n";
}
