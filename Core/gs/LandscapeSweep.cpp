#include "LandscapeSweep.h"

#include "LandscapeCache.h"
#include "Names.h"
#include "Progress.h"
#include "Residual.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <sstream>

namespace gs
{

namespace
{

/// The rules a landscape's settings follow before anything runs; the Landscape itself checks
/// what it needs again (it is also used alone).
void validate(const LandscapeSettings& s, bool residual)
{
  for (int a = 0; a < 3; ++a)
  {
    const LandscapeAxis& axis = s.axes[a];
    const std::string name(1, "xyz"[a]);
    // x sweeps a parameter; y and z may be none or the horizon.
    if (axis.parameter < 0)
    {
      continue;
    }
    if (!(axis.parameter == LandscapeAxis::Horizon && a > 0))
    {
      checkedValue(axis.parameter, "{" + name + ".parameter}", axisNames(), parameterCount);
    }
    if (!(std::isfinite(axis.min) && std::isfinite(axis.max)))
    {
      throw Error("{" + name + ".range} must be finite.");
    }
    if (axis.resolution < 1)
    {
      throw Error("{" + name + ".resolution} must be at least 1, got " +
        std::to_string(axis.resolution) + ".");
    }
    if (axis.resolution > 1 && !(axis.min < axis.max))
    {
      std::ostringstream msg;
      msg << "{" << name << ".range} (" << axis.min << ", " << axis.max
          << ") must have min < max when {" << name << ".resolution} > 1.";
      throw Error(msg.str());
    }
    if (axis.parameter == LandscapeAxis::Horizon && !(axis.min >= 1.0 && axis.max >= axis.min))
    {
      std::ostringstream msg;
      msg << "{" << name << ".range} (" << axis.min << ", " << axis.max
          << ") of the horizon must be at least 1 step, min <= max.";
      throw Error(msg.str());
    }
  }
  for (std::size_t i = 0; i < parameterCount; ++i)
  {
    if (!(std::isfinite(s.truth[i]) && s.truth[i] >= 0.0))
    {
      throw Error(std::string("{truth}: ") + parameterName(i) + " must be finite and >= 0.");
    }
  }
  if (s.initialConditions < 1)
  {
    throw Error(
      "{initialConditions} must be at least 1, got " + std::to_string(s.initialConditions) + ".");
  }
  if (s.horizon < 0)
  {
    throw Error(
      "{horizon} must be 0 (none) or at least 1 step, got " + std::to_string(s.horizon) + ".");
  }
  if (s.losses.empty() && !residual)
  {
    throw Error("{losses}: select at least one loss.");
  }
  if (s.loss.tileSize < 1)
  {
    throw Error("{loss.tileSize} must be at least 1, got " + std::to_string(s.loss.tileSize) + ".");
  }
  if (s.gradient)
  {
    s.gradientSettings.validate();
  }
  s.grid.validate();
  // Checked with the truth; candidates beyond the stability limit become NaN points.
  gs::validate(s.grid, s.truth, s.run);
}

std::size_t pointIndex(const LandscapeSettings& s, int i, int j, int k)
{
  return static_cast<std::size_t>(i) +
    static_cast<std::size_t>(s.axes[0].resolution) *
    (j + static_cast<std::size_t>(s.axes[1].resolution) * k);
}

LandscapeExtent clipped(LandscapeExtent e, const LandscapeSettings& s)
{
  for (int a = 0; a < 3; ++a)
  {
    e[2 * a] = std::max(e[2 * a], 0);
    e[2 * a + 1] = std::min(e[2 * a + 1], s.axes[a].resolution - 1);
  }
  return e;
}

} // namespace

LandscapeSweep::LandscapeSweep() = default;
LandscapeSweep::~LandscapeSweep() = default;

void LandscapeSweep::clear()
{
  Land.reset();
  Bowls.clear();
  Points.clear();
  Cache.reset();
  Settings = 0;
  Observed = false;
  ObservedDigest = 0;
}

void LandscapeSweep::rebuild(const LandscapeSettings& s, const LandscapeRequest& request,
  std::uint64_t observedDigest, const std::function<bool(double)>& report, double targetWork,
  LandscapeOutcome& outcome)
{
  clear();
  Progress progress(report, targetWork);
  std::unique_ptr<Landscape> land(new Landscape(s, request.observed, &progress));
  if (progress.aborted())
  {
    outcome.aborted = outcome.abortedInTargets = true;
    return;
  }
  Land = std::move(land);
  Settings = Landscape::digest(s);
  Observed = request.observed != nullptr;
  ObservedDigest = observedDigest;
}

void LandscapeSweep::openCache(const std::string& path)
{
  if (path.empty())
  {
    Cache.reset();
  }
  else if (!Cache || CachePath != path || CacheFingerprint != Land->fingerprint())
  {
    Cache.reset();
    Cache.reset(new LandscapeCache(path, Land->fingerprint(), Land->settings().losses.size()));
    CachePath = path;
    CacheFingerprint = Land->fingerprint();
  }
}

LandscapeOutcome LandscapeSweep::compute(const LandscapeSettings& s,
  const LandscapeRequest& request, LandscapeImage& image, const std::function<bool(double)>& report)
{
  image = LandscapeImage();
  validate(s, request.residual);
  if (request.observed)
  {
    checkSeriesTarget(s, LandscapeTime::None, request.residual, request.observed->frames.size(),
      request.observed->uObserved);
  }
  LandscapeOutcome outcome;
  image.extent = clipped(request.extent, s);
  const LandscapeExtent& e = image.extent;
  const int n[3] = { e[1] - e[0] + 1, e[3] - e[2] + 1, e[5] - e[4] + 1 };
  if (n[0] <= 0 || n[1] <= 0 || n[2] <= 0)
  {
    return outcome; // an empty piece
  }
  const double count = static_cast<double>(n[0]) * n[1] * n[2];
  checkMemory(count * (s.losses.size() + 10) * sizeof(double) * 2, "the landscape's output arrays");

  image.points.reserve(static_cast<std::size_t>(count));
  for (int k = e[4]; k <= e[5]; ++k)
  {
    for (int j = e[2]; j <= e[3]; ++j)
    {
      for (int i = e[0]; i <= e[1]; ++i)
      {
        image.points.push_back(pointIndex(s, i, j, k));
      }
    }
  }

  // Progress: the targets first (if simulated anew), then the missing points.
  // An observed target counts as new when its values are, whatever object holds them.
  const std::uint64_t observedDigest = Landscape::digest(request.observed);
  const bool fresh = !Land || Settings != Landscape::digest(s) ||
    Observed != (request.observed != nullptr) || ObservedDigest != observedDigest;
  const double targetWork =
    fresh && !request.observed ? static_cast<double>(s.run.steps) * s.initialConditions : 0.0;
  double pointsWork = 0.0;
  for (std::size_t index : s.losses.empty() ? std::vector<std::size_t>() : image.points)
  {
    pointsWork += Landscape::workAt(s, index, request.observed);
  }
  const double totalWork = targetWork + pointsWork;
  double doneWork = 0.0;
  auto stage = [&](double work) {
    return [&report, &doneWork, totalWork, work](double f) {
      return report &&
        report(totalWork > 0.0 ? std::min(1.0, (doneWork + f * work) / totalWork) : 1.0);
    };
  };
  if (fresh)
  {
    rebuild(s, request, observedDigest, stage(targetWork), targetWork, outcome);
    if (outcome.aborted)
    {
      return outcome;
    }
    doneWork += targetWork;
  }
  openCache(request.cacheFile);

  outcome.requested = image.points.size();

  // The residual alone needs no simulation of the candidates.
  std::vector<std::size_t> missing;
  for (std::size_t index : s.losses.empty() ? std::vector<std::size_t>() : image.points)
  {
    LandscapePoint p;
    if (Points.count(index))
    {
      continue;
    }
    if (Cache && Cache->find(index, p))
    {
      Points.emplace(index, std::move(p));
      ++outcome.fromCache;
      continue;
    }
    missing.push_back(index);
  }

  if (!missing.empty())
  {
    double work = 0.0;
    for (std::size_t index : missing)
    {
      work += Landscape::workAt(s, index, request.observed);
    }
    doneWork = totalWork - work;
    Progress progress(stage(work), work);
    std::mutex mutex;
    Land->compute(
      missing,
      [&](std::size_t index, const LandscapePoint& p) {
        if (Cache)
        {
          Cache->store(index, p);
        }
        std::lock_guard<std::mutex> lock(mutex);
        Points.emplace(index, p);
        ++outcome.computed;
      },
      &progress);
    if (progress.aborted())
    {
      outcome.aborted = true;
      for (std::size_t index : image.points)
      {
        outcome.finished += Points.count(index);
      }
      image = LandscapeImage();
      return outcome;
    }
  }
  outcome.finished = image.points.size();
  fill(request, image);
  return outcome;
}

void LandscapeSweep::fill(const LandscapeRequest& request, LandscapeImage& image)
{
  const LandscapeSettings& s = Land->settings();
  const std::size_t np = image.points.size();
  if (request.residual)
  {
    // Made here, not with the targets: a request without the residual never pays for it.
    for (std::size_t t = Bowls.size(); t < Land->targets().size(); ++t)
    {
      ResidualSettings rs;
      rs.method = ResidualMethod::Steady;
      Bowls.emplace_back(Observations::oneFrame(Land->targets()[t]), rs);
    }
    image.residual.resize(np);
    for (std::size_t t = 0; t < np; ++t)
    {
      const Parameters p = Land->parametersAt(image.points[t]);
      double sum = 0.0;
      for (const ResidualQuadratic& bowl : Bowls)
      {
        sum += bowl.evaluate(p);
      }
      image.residual[t] = sum / static_cast<double>(Bowls.size());
    }
  }
  if (s.losses.empty())
  {
    return;
  }
  image.losses.assign(s.losses.size(), std::vector<double>(np));
  image.steps.resize(np);
  image.converged.resize(np);
  image.patternClass.resize(np);
  image.meanV.resize(np);
  if (s.gradient)
  {
    // A component per swept parameter: the horizon axis has no derivative.
    for (const LandscapeAxis& a : s.axes)
    {
      if (a.sweepsParameter())
      {
        image.gradientComponents.push_back(static_cast<Parameter>(a.parameter));
      }
    }
    image.gradient.resize(np * image.gradientComponents.size());
    image.gradientNorm.resize(np);
  }
  const std::size_t nc = image.gradientComponents.size();
  for (std::size_t t = 0; t < np; ++t)
  {
    const LandscapePoint& p = Points.at(image.points[t]);
    for (std::size_t l = 0; l < s.losses.size(); ++l)
    {
      image.losses[l][t] = p.losses[l];
    }
    image.steps[t] = p.steps;
    image.converged[t] = p.converged ? 1 : 0;
    image.patternClass[t] = static_cast<int>(p.patternClass);
    image.meanV[t] = p.meanV;
    double norm2 = 0.0;
    for (std::size_t c = 0; c < nc; ++c)
    {
      const double g = p.gradient[static_cast<std::size_t>(image.gradientComponents[c])];
      image.gradient[t * nc + c] = g;
      norm2 += g * g;
    }
    if (s.gradient)
    {
      image.gradientNorm[t] = std::sqrt(norm2);
    }
  }
}

} // namespace gs
