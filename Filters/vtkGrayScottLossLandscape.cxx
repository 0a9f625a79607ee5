#include "vtkGrayScottLossLandscape.h"
#include "vtkGrayScottImageFields.h"

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
#include <gs/LandscapeCache.h>
#include <gs/Names.h>
#include <gs/Progress.h>
#include <gs/Residual.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

vtkStandardNewMacro(vtkGrayScottLossLandscape);

namespace
{

/// An axis's name: its parameter's, or "None" (index 4, the axis enumeration's last entry).
const char* AxisName(int parameter)
{
  return parameter >= 0 && parameter < static_cast<int>(gs::parameterCount)
    ? gs::parameterName(static_cast<std::size_t>(parameter))
    : "None";
}
/// The residual loss: an entry of the Losses list that needs no simulation.
const char* const ResidualName = "residual";

/// The axes as Core structs; throws gs::Error naming a bad axis.
std::array<gs::LandscapeAxis, 3> MakeAxes(
  const int parameter[3], const double* range[3], const int resolution[3])
{
  std::array<gs::LandscapeAxis, 3> axes;
  for (int a = 0; a < 3; ++a)
  {
    const std::string name(1, "XYZ"[a]);
    // X sweeps a parameter; Y and Z may be None.
    gs::checkedValue(parameter[a], name + "Parameter", gs::axisNames(),
      a == 0 ? gs::parameterCount : gs::parameterCount + 1);
    if (parameter[a] == vtkGrayScottLossLandscape::NONE)
    {
      continue; // axes[a] stays unswept: one point
    }
    const double lo = range[a][0], hi = range[a][1];
    if (!(std::isfinite(lo) && std::isfinite(hi)))
    {
      throw gs::Error(name + "Range must be finite.");
    }
    if (resolution[a] < 1)
    {
      throw gs::Error(
        name + "Resolution must be at least 1, got " + std::to_string(resolution[a]) + ".");
    }
    if (resolution[a] > 1 && !(lo < hi))
    {
      std::ostringstream msg;
      msg << name << "Range (" << lo << ", " << hi << ") must have min < max when " << name
          << "Resolution > 1.";
      throw gs::Error(msg.str());
    }
    axes[a] = { parameter[a], lo, hi, resolution[a] };
  }
  return axes;
}

/// Output geometry of one axis: origin = min, spacing = step (1 for a single point).
void AxisGeometry(const gs::LandscapeAxis& axis, double& origin, double& spacing)
{
  origin = axis.parameter >= 0 ? axis.min : 0.0;
  spacing = axis.resolution > 1 ? (axis.max - axis.min) / (axis.resolution - 1) : 1.0;
}

template <typename ArrayT>
ArrayT* NewPointArray(vtkImageData* image, const char* name, int components, vtkIdType n)
{
  vtkNew<ArrayT> a;
  a->SetName(name);
  a->SetNumberOfComponents(components);
  a->SetNumberOfTuples(n);
  image->GetPointData()->AddArray(a);
  return a;
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

} // namespace

struct vtkGrayScottLossLandscape::vtkInternals
{
  std::unique_ptr<gs::Landscape> Landscape;
  std::uint64_t Settings = 0; // gs::Landscape::digest of Landscape's settings
  vtkImageData* Input = nullptr;
  vtkMTimeType InputTime = 0;
  /// Finished points of Landscape, so another extent or a rerun after Abort reuses them.
  std::unordered_map<std::size_t, gs::LandscapePoint> Points;
  std::unique_ptr<gs::LandscapeCache> Cache;
  std::string CachePath;
  std::uint64_t CacheFingerprint = 0;

  void Clear()
  {
    Landscape.reset();
    Points.clear();
    Cache.reset();
    Settings = 0;
    Input = nullptr;
  }
};

vtkGrayScottLossLandscape::vtkGrayScottLossLandscape()
  : Internals(new vtkInternals)
{
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
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  int extent[6] = { 0, 0, 0, 0, 0, 0 };
  double origin[3] = { 0.0, 0.0, 0.0 }, spacing[3] = { 1.0, 1.0, 1.0 };
  try
  {
    const int parameter[3] = { this->XParameter, this->YParameter, this->ZParameter };
    const double* range[3] = { this->XRange, this->YRange, this->ZRange };
    const int resolution[3] = { this->XResolution, this->YResolution, this->ZResolution };
    const auto axes = MakeAxes(parameter, range, resolution);
    for (int a = 0; a < 3; ++a)
    {
      extent[2 * a + 1] = axes[a].resolution - 1;
      AxisGeometry(axes[a], origin[a], spacing[a]);
    }
  }
  catch (const gs::Error&)
  {
    // One point, so RequestData runs and reports the problem.
  }
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), extent, 6);
  outInfo->Set(vtkDataObject::ORIGIN(), origin, 3);
  outInfo->Set(vtkDataObject::SPACING(), spacing, 3);
  // Points are independent: any sub-extent is computed on its own.
  outInfo->Set(vtkAlgorithm::CAN_PRODUCE_SUB_EXTENT(), 1);
  // The Target's time steps do not describe parameter space.
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_STEPS());
  outInfo->Remove(vtkStreamingDemandDrivenPipeline::TIME_RANGE());
  return 1;
}

int vtkGrayScottLossLandscape::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector*)
{
  // Every point compares with the whole target, whatever piece of parameter space is asked.
  gsvtk::RequestWholeExtent(inputVector[0]->GetInformationObject(0));
  return 1;
}

int vtkGrayScottLossLandscape::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkImageData* output = vtkImageData::GetData(outInfo);
  vtkImageData* input = vtkImageData::GetData(inputVector[0], 0);
  vtkInternals& internals = *this->Internals;
  output->Initialize();
  this->NumberOfPointsFromCache = 0;

  try
  {
    // Properties -> Core settings; everything is checked before anything runs.
    const int parameter[3] = { this->XParameter, this->YParameter, this->ZParameter };
    const double* range[3] = { this->XRange, this->YRange, this->ZRange };
    const int resolution[3] = { this->XResolution, this->YResolution, this->ZResolution };
    gs::LandscapeSettings s;
    s.axes = MakeAxes(parameter, range, resolution);
    if (s.axes[0].parameter < 0)
    {
      throw gs::Error("XParameter must be a parameter (Du, Dv, F or k), not None.");
    }
    s.truth = { this->TrueParameters[0], this->TrueParameters[1], this->TrueParameters[2],
      this->TrueParameters[3] };
    for (int i = 0; i < 4; ++i)
    {
      if (!(std::isfinite(this->TrueParameters[i]) && this->TrueParameters[i] >= 0.0))
      {
        throw gs::Error(
          std::string("TrueParameters: ") + gs::parameterName(i) + " must be finite and >= 0.");
      }
    }
    if (this->NumberOfInitialConditions < 1)
    {
      throw gs::Error("NumberOfInitialConditions must be at least 1, got " +
        std::to_string(this->NumberOfInitialConditions) + ".");
    }
    if (this->Seed < 0)
    {
      throw gs::Error("Seed must be non-negative (got " + std::to_string(this->Seed) + ").");
    }
    if (this->TileSize < 1)
    {
      throw gs::Error("TileSize must be at least 1, got " + std::to_string(this->TileSize) + ".");
    }
    s.run = { this->TimeStep, this->NumberOfSteps, this->SteadyStateTolerance };
    s.initialCondition = { static_cast<std::uint64_t>(this->Seed), this->NoiseAmplitude,
      this->SeedPatchSize };
    s.initialConditions = this->NumberOfInitialConditions;
    s.losses.clear();
    for (gs::LossKind kind : gs::allLosses())
    {
      if (this->LossSelection->ArrayIsEnabled(gs::toString(kind)))
      {
        s.losses.push_back(kind);
      }
    }
    const bool residual = this->LossSelection->ArrayIsEnabled(ResidualName) != 0;
    if (s.losses.empty() && !residual)
    {
      throw gs::Error("Losses: select at least one loss.");
    }
    s.loss.includeU = this->IncludeU;
    s.loss.tileSize = this->TileSize;
    s.gradient = this->ComputeGradient;
    if (s.gradient)
    {
      s.gradientLoss =
        gs::enumValue<gs::LossKind>(this->GradientLoss, "GradientLoss", gs::lossNames());
      s.gradientSettings.routing =
        gs::enumValue<gs::Routing>(this->Routing, "Routing", gs::routingNames());
      if (!(this->CheckpointMemory > 0.0 && std::isfinite(this->CheckpointMemory)))
      {
        throw gs::Error("CheckpointMemory must be a positive number of MiB.");
      }
      s.gradientSettings.truncationSteps = this->TruncationSteps;
      s.gradientSettings.checkpointBytes = this->CheckpointMemory * (1 << 20);
    }

    gs::State observed;
    if (input)
    {
      if (input->GetNumberOfPoints() == 0)
      {
        throw gs::Error(
          "The Target is empty" + gsvtk::WhyInputIsEmpty(gsvtk::Producer(this, 0)) + ".");
      }
      s.grid = gsvtk::GridOf(input);
      s.grid.validate();
      observed = gs::State(s.grid);
      const char* uName = this->UArrayName ? this->UArrayName : "";
      const char* vName = this->VArrayName ? this->VArrayName : "";
      gsvtk::ReadField(input, vName, "Target", observed.v);
      if (residual && !input->GetPointData()->GetArray(uName))
      {
        throw gs::Error(
          std::string("The residual loss needs u, but the Target has no point array '") + uName +
          "'; deselect residual in Losses.");
      }
      if (this->IncludeU || residual)
      {
        gsvtk::ReadField(input, uName, "Target", observed.u);
      }
    }
    else
    {
      s.grid = { this->Dimensions[0], this->Dimensions[1], this->Dimensions[2], this->Spacing[0],
        this->Spacing[1], this->Spacing[2] };
      s.grid.validate();
    }
    // The run settings are checked with the truth; candidates beyond the stability limit
    // become NaN points.
    gs::validate(s.grid, s.truth, s.run);

    // The extent asked for, and the memory of its arrays.
    int whole[6], extent[6];
    outInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
    std::copy(whole, whole + 6, extent);
    if (outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT()))
    {
      outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), extent);
    }
    for (int a = 0; a < 3; ++a)
    {
      extent[2 * a] = std::max(extent[2 * a], 0);
      extent[2 * a + 1] = std::min(extent[2 * a + 1], s.axes[a].resolution - 1);
    }
    const int n[3] = { extent[1] - extent[0] + 1, extent[3] - extent[2] + 1,
      extent[5] - extent[4] + 1 };
    if (n[0] <= 0 || n[1] <= 0 || n[2] <= 0)
    {
      return 1; // an empty piece
    }
    const double count = static_cast<double>(n[0]) * n[1] * n[2];
    gs::checkMemory(
      count * (s.losses.size() + 10) * sizeof(double) * 2, "the landscape's output arrays");

    // The targets (simulated once per settings) and the points already finished.
    const std::uint64_t settingsDigest = gs::Landscape::digest(s);
    const bool rebuild = !internals.Landscape || internals.Settings != settingsDigest ||
      internals.Input != input || (input && internals.InputTime < input->GetMTime());
    const double targetWork = input ? 0.0 : static_cast<double>(s.run.steps) * s.initialConditions;
    std::vector<std::size_t> indices;
    indices.reserve(static_cast<std::size_t>(count));
    for (int k = extent[4]; k <= extent[5]; ++k)
    {
      for (int j = extent[2]; j <= extent[3]; ++j)
      {
        for (int i = extent[0]; i <= extent[1]; ++i)
        {
          indices.push_back(static_cast<std::size_t>(i) +
            static_cast<std::size_t>(s.axes[0].resolution) *
              (j + static_cast<std::size_t>(s.axes[1].resolution) * k));
        }
      }
    }
    // Progress: the targets first (if simulated), then the missing points.
    const double pointWork =
      static_cast<double>(s.run.steps) * s.initialConditions * (s.gradient ? 2.0 : 1.0);
    const double totalWork = (rebuild ? targetWork : 0.0) + pointWork * count;
    double doneWork = 0.0;
    auto report = [this, &doneWork, totalWork](double work) {
      this->UpdateProgress(totalWork > 0.0 ? std::min(1.0, (doneWork + work) / totalWork) : 1.0);
      return this->CheckAbort();
    };

    if (rebuild)
    {
      internals.Clear();
      gs::Progress progress([&](double f) { return report(f * targetWork); }, targetWork);
      internals.Landscape.reset(new gs::Landscape(s, input ? &observed : nullptr, &progress));
      if (progress.aborted())
      {
        internals.Clear();
        vtkWarningMacro(<< "Aborted while simulating the targets: the output is empty.");
        return 1;
      }
      internals.Settings = settingsDigest;
      internals.Input = input;
      internals.InputTime = input ? input->GetMTime() : 0;
      doneWork += targetWork;
    }
    const gs::Landscape& land = *internals.Landscape;

    const std::string cachePath = this->CacheFile ? this->CacheFile : "";
    if (cachePath.empty())
    {
      internals.Cache.reset();
    }
    else if (!internals.Cache || internals.CachePath != cachePath ||
      internals.CacheFingerprint != land.fingerprint())
    {
      internals.Cache.reset();
      internals.Cache.reset(new gs::LandscapeCache(cachePath, land.fingerprint(), s.losses.size()));
      internals.CachePath = cachePath;
      internals.CacheFingerprint = land.fingerprint();
    }

    // The residual alone needs no simulation of the candidates.
    const bool simulate = !s.losses.empty();
    std::vector<std::size_t> missing;
    for (std::size_t index : indices)
    {
      if (!simulate)
      {
        break;
      }
      gs::LandscapePoint p;
      if (internals.Points.count(index))
      {
        continue;
      }
      if (internals.Cache && internals.Cache->find(index, p))
      {
        internals.Points.emplace(index, std::move(p));
        ++this->NumberOfPointsFromCache;
        continue;
      }
      missing.push_back(index);
    }

    if (!missing.empty())
    {
      const double work = pointWork * static_cast<double>(missing.size());
      doneWork += pointWork * (count - static_cast<double>(missing.size()));
      gs::Progress progress([&](double f) { return report(f * work); }, work);
      std::mutex mutex;
      gs::LandscapeCache* cache = internals.Cache.get();
      land.compute(
        missing,
        [&](std::size_t index, const gs::LandscapePoint& p) {
          if (cache)
          {
            cache->store(index, p);
          }
          std::lock_guard<std::mutex> lock(mutex);
          internals.Points.emplace(index, p);
          ++this->NumberOfPointsComputed;
        },
        &progress);
      if (progress.aborted())
      {
        std::size_t finished = 0;
        for (std::size_t index : indices)
        {
          finished += internals.Points.count(index);
        }
        vtkWarningMacro(<< "Aborted with " << finished << " of " << indices.size()
                        << " points finished: the output is empty. The finished points are kept"
                        << (cache ? " (also in the cache file)" : "")
                        << ", so updating again computes only the rest.");
        return 1;
      }
    }

    // The image: geometry, then one value per point from the finished points.
    double origin[3], spacing[3];
    for (int a = 0; a < 3; ++a)
    {
      AxisGeometry(s.axes[a], origin[a], spacing[a]);
    }
    output->SetExtent(extent);
    output->SetOrigin(origin);
    output->SetSpacing(spacing);
    const vtkIdType np = static_cast<vtkIdType>(count);
    std::vector<vtkDoubleArray*> losses;
    for (gs::LossKind kind : s.losses)
    {
      losses.push_back(NewPointArray<vtkDoubleArray>(output, gs::toString(kind), 1, np));
    }
    if (residual)
    {
      // L_res(p), the mean over the targets of an exact quadratic in p: the smooth bowl
      // beside the simulate-and-compare losses.
      std::vector<gs::ResidualQuadratic> bowls;
      for (const gs::State& target : land.targets())
      {
        gs::Observations one;
        one.grid = s.grid;
        one.frames = { target };
        one.times = { 0.0 };
        gs::ResidualSettings rs;
        rs.method = gs::ResidualMethod::Steady;
        bowls.emplace_back(one, rs);
      }
      auto* array = NewPointArray<vtkDoubleArray>(output, ResidualName, 1, np);
      for (vtkIdType t = 0; t < np; ++t)
      {
        const gs::Parameters p = land.parametersAt(indices[static_cast<std::size_t>(t)]);
        double sum = 0.0;
        for (const gs::ResidualQuadratic& bowl : bowls)
        {
          sum += bowl.evaluate(p);
        }
        array->SetValue(t, sum / static_cast<double>(bowls.size()));
      }
    }
    if (!simulate)
    {
      output->GetPointData()->SetActiveScalars(ResidualName);
    }
    else
    {
      auto* steps = NewPointArray<vtkTypeInt64Array>(output, "steps", 1, np);
      auto* converged = NewPointArray<vtkIntArray>(output, "converged", 1, np);
      auto* cls = NewPointArray<vtkIntArray>(output, "pattern_class", 1, np);
      auto* meanV = NewPointArray<vtkDoubleArray>(output, "mean_v", 1, np);
      std::vector<int> swept;
      for (const gs::LandscapeAxis& a : s.axes)
      {
        if (a.parameter >= 0)
        {
          swept.push_back(a.parameter);
        }
      }
      vtkDoubleArray* gradient = nullptr;
      vtkDoubleArray* gradientNorm = nullptr;
      if (s.gradient)
      {
        gradient =
          NewPointArray<vtkDoubleArray>(output, "gradient", static_cast<int>(swept.size()), np);
        for (std::size_t c = 0; c < swept.size(); ++c)
        {
          gradient->SetComponentName(static_cast<vtkIdType>(c), AxisName(swept[c]));
        }
        gradientNorm = NewPointArray<vtkDoubleArray>(output, "gradient_norm", 1, np);
      }
      for (vtkIdType t = 0; t < np; ++t)
      {
        const gs::LandscapePoint& p = internals.Points.at(indices[static_cast<std::size_t>(t)]);
        for (std::size_t l = 0; l < losses.size(); ++l)
        {
          losses[l]->SetValue(t, p.losses[l]);
        }
        steps->SetValue(t, p.steps);
        converged->SetValue(t, p.converged ? 1 : 0);
        cls->SetValue(t, static_cast<int>(p.patternClass));
        meanV->SetValue(t, p.meanV);
        if (gradient)
        {
          double norm2 = 0.0;
          for (std::size_t c = 0; c < swept.size(); ++c)
          {
            const double g = p.gradient[swept[c]];
            gradient->SetTypedComponent(t, static_cast<int>(c), g);
            norm2 += g * g;
          }
          gradientNorm->SetValue(t, std::sqrt(norm2));
        }
      }
      // Colour by logps when it is there (the paper's loss), else by the first loss.
      const auto logps = std::find(s.losses.begin(), s.losses.end(), gs::LossKind::LogPS);
      output->GetPointData()->SetActiveScalars(
        gs::toString(logps != s.losses.end() ? *logps : s.losses.front()));
    }

    vtkFieldData* fd = output->GetFieldData();
    AddField<vtkDoubleArray, double>(
      fd, "TrueParameters", { s.truth.Du, s.truth.Dv, s.truth.F, s.truth.k });
    for (int i = 0; i < 4; ++i)
    {
      fd->GetArray("TrueParameters")->SetComponentName(i, gs::parameterName(i));
    }
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
    AddField<vtkDoubleArray, double>(fd, "SteadyStateTolerance", { s.run.steadyStateTolerance });
    AddField<vtkTypeInt64Array, vtkTypeInt64>(fd, "Seed", { this->Seed });
    AddField<vtkDoubleArray, double>(fd, "NoiseAmplitude", { s.initialCondition.noiseAmplitude });
    AddField<vtkIntArray, int>(fd, "SeedPatchSize", { s.initialCondition.patchSize });
    AddField<vtkIntArray, int>(fd, "NumberOfInitialConditions", { s.initialConditions });
    AddStrings(fd, "Target", { input ? "observed" : "simulated at TrueParameters" });
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
  catch (const gs::Error& e)
  {
    output->Initialize();
    vtkErrorMacro(<< e.what());
  }
  catch (const std::bad_alloc&)
  {
    output->Initialize();
    internals.Clear();
    vtkErrorMacro(<< "Out of memory; reduce the resolutions, the grid or the number of initial "
                     "conditions.");
  }
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
       << (parameter[a] >= 0 && parameter[a] <= 4 ? AxisName(parameter[a]) : "invalid") << ")\n"
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
