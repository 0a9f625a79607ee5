#include "Landscape.h"

#include "Horizon.h"
#include "Progress.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <type_traits>

namespace gs
{

namespace
{

double& component(Parameters& p, int i)
{
  return i == 0 ? p.Du : i == 1 ? p.Dv : i == 2 ? p.F : p.k;
}

/// With no tolerance the run still tracks changes, with one that only an exact fixed point
/// meets: stopping there changes nothing, and the last change tells an unsettled pattern.
RunSettings tracked(RunSettings run)
{
  if (run.steadyStateTolerance == 0.0)
  {
    run.steadyStateTolerance = 1e-300;
  }
  return run;
}

/// FNV-1a, 64 bits: a stable digest of plain bytes.
class Digest
{
public:
  template <typename T>
  Digest& add(const T& value)
  {
    static_assert(std::is_arithmetic<T>::value, "plain numbers only");
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    return addBytes(bytes, sizeof(T));
  }
  Digest& add(const std::vector<double>& values)
  {
    add(values.size());
    return addBytes(values.data(), values.size() * sizeof(double));
  }
  Digest& addBytes(const void* data, std::size_t n)
  {
    const unsigned char* b = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i)
    {
      H = (H ^ b[i]) * 0x100000001b3ull;
    }
    return *this;
  }
  std::uint64_t value() const { return H; }

private:
  std::uint64_t H = 0xcbf29ce484222325ull;
};

} // namespace

double LandscapeAxis::value(int i) const
{
  if (resolution <= 1)
  {
    return parameter == Horizon ? std::round(min) : min;
  }
  const double t = static_cast<double>(i) / (resolution - 1);
  return parameter == Horizon ? std::round(min * std::pow(max / min, t)) : min + (max - min) * t;
}

void LandscapeAxis::geometry(double& origin, double& spacing) const
{
  const bool log = parameter == Horizon;
  const double lo = log ? std::log10(min) : min;
  const double hi = log ? std::log10(max) : max;
  origin = parameter >= 0 ? lo : 0.0;
  spacing = resolution > 1 ? (hi - lo) / (resolution - 1) : 1.0;
}

std::vector<std::int64_t> landscapeTimeSteps(
  const LandscapeSettings& S, LandscapeTime time, int count)
{
  if (time == LandscapeTime::None)
  {
    return {};
  }
  const bool horizon = time == LandscapeTime::Horizon;
  for (const LandscapeAxis& a : S.axes)
  {
    if (a.parameter == LandscapeAxis::Horizon)
    {
      throw Error("{landscapeTime} cannot sweep time while an axis sweeps the horizon.");
    }
  }
  if (!horizon && S.horizon > 0)
  {
    throw Error("{landscapeTime} Steps needs the paper's protocol: set {horizon} to 0 or sweep "
                "the Horizon in time instead.");
  }
  if (count < 2)
  {
    throw Error("{landscapeTimeCount} must be at least 2, got " + std::to_string(count) + ".");
  }
  const std::int64_t last = horizon ? S.horizon : S.run.steps;
  if (last < 2)
  {
    throw Error(std::string(horizon ? "{horizon}" : "{run.steps}") +
      " must be at least 2 to sweep it in time, got " + std::to_string(last) + ".");
  }
  // The Horizon axis's spacing: K_i = round(last^(i / (count - 1))).
  const LandscapeAxis axis{ LandscapeAxis::Horizon, 1.0, static_cast<double>(last), count };
  std::vector<std::int64_t> steps;
  for (int i = 0; i < count; ++i)
  {
    const auto t = static_cast<std::int64_t>(axis.value(i));
    if (steps.empty() || t > steps.back())
    {
      steps.push_back(t);
    }
  }
  return steps;
}

LandscapeSettings atTime(LandscapeSettings S, LandscapeTime time, std::int64_t t)
{
  if (time == LandscapeTime::Horizon)
  {
    S.horizon = t;
  }
  else if (time == LandscapeTime::Steps)
  {
    S.run.steps = t;
  }
  return S;
}

std::int64_t timeStepAt(const std::vector<std::int64_t>& times, double asked)
{
  std::size_t i = 0;
  while (i + 1 < times.size() && static_cast<double>(times[i + 1]) <= asked)
  {
    ++i;
  }
  return times.at(i);
}

bool LandscapeSettings::shooting() const
{
  return horizon > 0 || axes[1].parameter == LandscapeAxis::Horizon ||
    axes[2].parameter == LandscapeAxis::Horizon;
}

Landscape::Landscape(
  const LandscapeSettings& settings, const Observations* observed, Progress* progress)
  : S(settings)
{
  if (S.initialConditions < 1)
  {
    throw Error("The number of initial conditions must be at least 1.");
  }
  for (int a = 0; a < 3; ++a)
  {
    const LandscapeAxis& ax = S.axes[a];
    const bool horizon = ax.parameter == LandscapeAxis::Horizon;
    if (ax.parameter < -1 || ax.parameter > LandscapeAxis::Horizon || (horizon && a == 0) ||
      ax.resolution < 1 || !(std::isfinite(ax.min) && std::isfinite(ax.max)) ||
      (horizon && !(ax.min >= 1.0 && ax.max >= ax.min)))
    {
      std::ostringstream msg;
      msg << "Axis "
          << "XYZ"[a] << " needs a parameter (Du, Dv, F, k, none, or for Y and Z the horizon), "
          << "a finite range (for the horizon, at least 1 step) and a resolution of at least 1.";
      throw Error(msg.str());
    }
    for (int b = 0; b < a; ++b)
    {
      if (ax.parameter >= 0 && S.axes[b].parameter == ax.parameter)
      {
        throw Error(std::string("Axes ") + "XYZ"[b] + " and " + "XYZ"[a] +
          " sweep the same parameter; choose different ones.");
      }
    }
  }
  S.grid.validate();
  if (S.horizon < 0)
  {
    throw Error("The horizon must be 0 (none) or at least 1 step.");
  }
  if (S.gradient)
  {
    S.gradientSettings.validate();
  }
  checkMemory(
    4.0 * sizeof(double) * S.grid.cells() * (S.initialConditions + 2), "the landscape's targets");
  if (S.latentU && !(observed && S.shooting()))
  {
    throw Error("{latentU}: a latent u is for the horizon loss from an observed target of v "
                "alone.");
  }
  if (S.latentU && S.loss.includeU)
  {
    throw Error("{loss.includeU}: u is not observed (latent), so the losses compare v alone.");
  }
  if (observed)
  {
    if (observed->frames.empty() || observed->frames[0].grid != S.grid)
    {
      throw Error("The observed target's grid differs from the landscape's simulation grid.");
    }
    Observed = true;
    const bool series = observed->frames.size() > 1;
    checkSeriesTarget(S, LandscapeTime::None, false, observed->frames.size(), observed->uObserved);
    if (!S.shooting())
    {
      if (!observed->uObserved && S.loss.includeU)
      {
        throw Error("{loss.includeU}: the observed target has no u to compare.");
      }
      Targets.assign(1, observed->frames[0]);
    }
    else
    {
      if (S.latentU == observed->uObserved)
      {
        throw Error("{latentU}: shooting starts from the latent u exactly when the observed "
                    "target has no u.");
      }
      // The segments as the horizon loss takes them: a steady frame compared with itself, or
      // frame i with frame i + K / spacing.
      HorizonSettings hs;
      hs.horizon = series ? S.horizon : 1;
      hs.dt = S.run.dt;
      hs.loss = S.loss;
      if (series)
      {
        // Frames a whole and equal number of steps apart (its own message: the Target's times
        // or TimeStep, not the horizon, are to change).
        HorizonLoss::spacingOf(*observed, S.run.dt);
        std::size_t n = 0;
        try
        {
          n = HorizonLoss::segmentsOf(*observed, S.horizon, S.run.dt);
        }
        catch (const Error& e)
        {
          // About the horizon against the frames' spacing: named as the Horizon it is.
          throw Error(
            "{horizon}: " + e.renamed([](const std::string& f) { return "{" + f + "}"; }));
        }
        // Each segment's start and end, besides the frames.
        checkMemory(4.0 * sizeof(double) * S.grid.cells() * (2 * n + observed->frames.size()),
          "the series' segments");
      }
      const HorizonLoss segments(*observed, hs);
      for (std::size_t i = 0; i < segments.segments(); ++i)
      {
        Targets.push_back(segments.end(i));
        if (series)
        {
          Starts.push_back(segments.start(i));
        }
      }
      if (S.latentU)
      {
        Latent = std::make_shared<const LatentStart>(observed->frames[0]);
      }
    }
  }
  else
  {
    validate(S.grid, S.truth, S.run);
    Targets.resize(S.initialConditions);
    runBatch(
      S.initialConditions, S.grid, S.run,
      [&](std::size_t j, State& s) {
        InitialCondition ic = S.initialCondition;
        ic.seed += j;
        makeInitialCondition(s, ic);
        return S.truth;
      },
      [&](std::size_t j, const State& s, const RunResult&) { Targets[j] = s; }, progress);
  }
  for (LossKind kind : S.losses)
  {
    LossSettings ls = S.loss;
    ls.kind = kind;
    for (const State& t : Targets)
    {
      Losses.emplace_back(ls, t);
    }
  }
  if (S.gradient)
  {
    LossSettings ls = S.loss;
    ls.kind = S.gradientLoss;
    for (const State& t : Targets)
    {
      GradientLosses.emplace_back(ls, t);
    }
  }
}

std::uint64_t Landscape::fingerprint() const
{
  Digest d;
  d.add(digest(S));
  d.add(Targets.size());
  for (const State& t : Targets)
  {
    d.add(t.u).add(t.v);
  }
  if (!Starts.empty())
  {
    for (const State& t : Starts) // a series' starts (any other target starts from itself)
    {
      d.add(t.u).add(t.v);
    }
  }
  return d.value();
}

std::uint64_t Landscape::digest(const LandscapeSettings& S)
{
  Digest d;
  d.add(std::uint64_t{ 1 }); // the layout of this digest and of a point's results
  d.add(S.truth.Du).add(S.truth.Dv).add(S.truth.F).add(S.truth.k);
  for (const LandscapeAxis& a : S.axes)
  {
    d.add(a.parameter).add(a.min).add(a.max).add(a.resolution);
  }
  const Grid& g = S.grid;
  d.add(g.nx).add(g.ny).add(g.nz).add(g.hx).add(g.hy).add(g.hz);
  d.add(S.run.dt).add(S.run.steps).add(S.run.steadyStateTolerance);
  d.add(S.initialCondition.seed).add(S.initialCondition.noiseAmplitude);
  d.add(S.initialCondition.patchSize).add(S.initialConditions);
  d.add(S.losses.size());
  for (LossKind k : S.losses)
  {
    d.add(static_cast<int>(k));
  }
  d.add(S.loss.tileSize).add(S.loss.epsilon).add(S.loss.includeU);
  d.add(S.classify.uniformTolerance).add(S.classify.settledChange);
  d.add(S.classify.spotCompactness);
  if (S.shooting())
  {
    d.add(S.horizon); // digests without a horizon stay as they were
  }
  if (S.latentU)
  {
    d.add(S.latentU);
  }
  d.add(S.gradient);
  if (S.gradient)
  {
    const GradientSettings& gs = S.gradientSettings;
    d.add(static_cast<int>(S.gradientLoss)).add(static_cast<int>(gs.routing));
    d.add(gs.truncationSteps).add(gs.implicitTolerance).add(gs.implicitMaxIterations);
    // The checkpoint schedule can change the last bits of a gradient.
    d.add(gs.checkpointBytes);
  }
  return d.value();
}

std::size_t Landscape::runsPerPoint(const LandscapeSettings& S, const Observations* observed)
{
  if (!(S.shooting() && observed))
  {
    return static_cast<std::size_t>(S.initialConditions);
  }
  try
  {
    return HorizonLoss::segmentsOf(*observed, S.horizon, S.run.dt);
  }
  catch (const Error&)
  {
    return 1; // the Landscape refuses the horizon, naming it
  }
}

std::uint64_t Landscape::digest(const Observations* observed)
{
  if (!observed)
  {
    return 0;
  }
  Digest d;
  d.add(observed->frames.size()).add(observed->uObserved);
  for (std::size_t f = 0; f < observed->frames.size(); ++f)
  {
    d.add(observed->times[f]).add(observed->frames[f].u).add(observed->frames[f].v);
  }
  return d.value();
}

void checkSeriesTarget(
  const LandscapeSettings& S, LandscapeTime time, bool residual, std::size_t frames, bool uObserved)
{
  if (frames < 2)
  {
    return;
  }
  if (S.horizon < 1 || S.axes[1].parameter == LandscapeAxis::Horizon ||
    S.axes[2].parameter == LandscapeAxis::Horizon)
  {
    throw Error("{horizon}: a series target is compared over one horizon, a multiple of its "
                "frames' spacing; a Horizon axis needs one steady frame.");
  }
  if (time == LandscapeTime::Horizon)
  {
    throw Error("{landscapeTime}: the horizon's time steps start at K = 1, which a series' "
                "spacing does not divide; give one steady frame, or sweep nothing.");
  }
  if (!uObserved)
  {
    throw Error("{uObserved}: a series target needs u; the latent u of v alone is the steady "
                "u equation's, of one frame.");
  }
  if (residual)
  {
    throw Error("The residual loss is the steady one, of one frame: deselect it for a series "
                "target (the time series residual is the Residual Fit's).");
  }
}

double Landscape::workAt(
  const LandscapeSettings& S, std::size_t index, const Observations* observed)
{
  const std::int64_t n = stepsAt(S, index);
  double steps = static_cast<double>(n);
  if (S.gradient)
  {
    // A shooting gradient is always unrolled over its K steps.
    steps += S.shooting() ? steps
      : S.gradientSettings.routing == Routing::Truncated
      ? static_cast<double>(std::min(n, S.gradientSettings.truncationSteps))
      : S.gradientSettings.routing == Routing::Implicit ? 0.0
                                                        : steps;
  }
  return steps * static_cast<double>(runsPerPoint(S, observed));
}

std::size_t Landscape::size() const
{
  return std::size_t(S.axes[0].resolution) * S.axes[1].resolution * S.axes[2].resolution;
}

Parameters Landscape::parametersAt(std::size_t index) const
{
  Parameters p = S.truth;
  const int i[3] = { static_cast<int>(index % S.axes[0].resolution),
    static_cast<int>((index / S.axes[0].resolution) % S.axes[1].resolution),
    static_cast<int>(index / (std::size_t(S.axes[0].resolution) * S.axes[1].resolution)) };
  for (int a = 0; a < 3; ++a)
  {
    if (S.axes[a].sweepsParameter())
    {
      component(p, S.axes[a].parameter) = S.axes[a].value(i[a]);
    }
  }
  return p;
}

std::int64_t Landscape::stepsAt(const LandscapeSettings& S, std::size_t index)
{
  const std::size_t nx = S.axes[0].resolution, ny = S.axes[1].resolution;
  if (S.axes[1].parameter == LandscapeAxis::Horizon)
  {
    return static_cast<std::int64_t>(S.axes[1].value(static_cast<int>((index / nx) % ny)));
  }
  if (S.axes[2].parameter == LandscapeAxis::Horizon)
  {
    return static_cast<std::int64_t>(S.axes[2].value(static_cast<int>(index / (nx * ny))));
  }
  return S.horizon > 0 ? S.horizon : S.run.steps;
}

void Landscape::compute(const std::vector<std::size_t>& points,
  const std::function<void(std::size_t, const LandscapePoint&)>& done, Progress* progress) const
{
  const bool shooting = S.shooting();
  // Targets: the conditions', an observed one, or a series' segment ends.
  const std::size_t T = Targets.size();
  // Simulations per point (R) and the results averaged (B): one per initial condition; one
  // from a steady observed target, filling every condition's slot (the combination over
  // conditions then gives the bits it always gave); or one per segment of a series.
  const std::size_t R =
    Observed && shooting ? Targets.size() : static_cast<std::size_t>(S.initialConditions);
  const std::size_t B =
    Starts.empty() ? static_cast<std::size_t>(S.initialConditions) : Starts.size();
  // Shooting starts: a series' own, else the targets themselves.
  const std::vector<State>& starts = Starts.empty() ? Targets : Starts;
  const std::size_t L = S.losses.size();
  struct Item
  {
    std::vector<double> losses;
    std::int64_t steps = 0;
    bool converged = false;
    PatternClass cls = PatternClass::Dead;
    double meanV = 0.0;
    ParameterVector gradient;
    bool aborted = false;
  };
  std::vector<Item> items(points.size() * B);
  std::unique_ptr<std::atomic<int>[]> remaining(new std::atomic<int>[points.size()]);
  for (std::size_t p = 0; p < points.size(); ++p)
  {
    remaining[p] = static_cast<int>(R);
  }
  // What each candidate's run gives; the last condition of a point emits it.
  auto finishItem = [&](std::size_t p, std::size_t j, const State& s, const RunResult& r,
                      const RunSettings& run) {
    Item& item = items[p * B + j];
    const bool usable = r.status != RunStatus::Invalid && r.status != RunStatus::Aborted;
    item.aborted = r.status == RunStatus::Aborted;
    item.steps = r.steps;
    item.converged =
      !shooting && r.status == RunStatus::Converged && S.run.steadyStateTolerance > 0.0;
    // A candidate refused as an unstable explicit step counts as a blow-up: it would be one.
    item.cls = r.status == RunStatus::Invalid ? PatternClass::BlowUp
                                              : classify(s, r.status, r.lastChange, S.classify);
    item.losses.resize(L);
    for (std::size_t l = 0; l < L; ++l)
    {
      item.losses[l] = usable && r.status != RunStatus::BlowUp
        ? Losses[l * T + (T == 1 ? 0 : j)].evaluate(s)
        : std::nan("");
    }
    double sum = 0.0;
    for (double v : s.v)
    {
      sum += v;
    }
    item.meanV = sum / static_cast<double>(s.v.size());
    item.gradient.fill(std::nan(""));
    if (S.gradient && usable && r.status != RunStatus::BlowUp)
    {
      // Its own forward run: the adjoint recomputes states from the start anyway. Shooting
      // differentiates all of its K steps.
      State x0(S.grid);
      GradientSettings gs = S.gradientSettings;
      if (shooting)
      {
        x0 = Latent ? Latent->at(parametersAt(points[p])) : starts[T == 1 ? 0 : j];
        gs.routing = Routing::Unrolled;
      }
      else
      {
        InitialCondition ic = S.initialCondition;
        ic.seed += j;
        makeInitialCondition(x0, ic);
      }
      RunSettings exact = run;
      exact.steadyStateTolerance = shooting ? 0.0 : S.run.steadyStateTolerance;
      const GradientResult g = lossGradient(
        x0, parametersAt(points[p]), exact, GradientLosses[T == 1 ? 0 : j], gs, progress);
      item.aborted = item.aborted || (progress && progress->aborted());
      if (g.valid)
      {
        item.gradient = g.gradient;
        if (Latent)
        {
          Latent->addGradient(x0, parametersAt(points[p]), g.initialAdjoint, item.gradient);
        }
      }
    }
    for (std::size_t k = R; k < B; ++k)
    {
      items[p * B + k] = item;
    }
    if (--remaining[p] == 0)
    {
      // The last condition of this point: combine in condition order, the same bits always.
      LandscapePoint out;
      out.losses.assign(L, 0.0);
      if (S.gradient)
      {
        out.gradient.fill(0.0);
      }
      int votes[7] = { 0 };
      for (std::size_t k = 0; k < B; ++k)
      {
        const Item& it = items[p * B + k];
        if (it.aborted)
        {
          return; // unfinished: not a result
        }
        if (S.gradient)
        {
          for (int c = 0; c < 4; ++c)
          {
            out.gradient[c] += it.gradient[c];
          }
        }
        for (std::size_t l = 0; l < L; ++l)
        {
          out.losses[l] += it.losses[l];
        }
        out.steps = std::max(out.steps, it.steps);
        out.converged = out.converged && it.converged;
        out.meanV += it.meanV;
        ++votes[static_cast<int>(it.cls)];
      }
      for (double& l : out.losses)
      {
        l /= static_cast<double>(B);
      }
      out.meanV /= static_cast<double>(B);
      if (S.gradient)
      {
        for (double& g : out.gradient)
        {
          g /= static_cast<double>(B);
        }
      }
      out.patternClass = items[p * B].cls;
      for (std::size_t k = 0; k < B; ++k)
      {
        const PatternClass c = items[p * B + k].cls;
        if (votes[static_cast<int>(c)] > votes[static_cast<int>(out.patternClass)])
        {
          out.patternClass = c;
        }
      }
      done(points[p], out);
    }
  };

  // Points whose candidates take the same number of steps run as one batch.
  std::map<std::int64_t, std::vector<std::size_t>> batches;
  for (std::size_t p = 0; p < points.size(); ++p)
  {
    batches[stepsAt(S, points[p])].push_back(p);
  }
  for (const auto& [steps, batch] : batches)
  {
    if (progress && progress->aborted())
    {
      break;
    }
    // Shooting takes exactly K steps from a possibly noisy observed start (Horizon.h).
    const RunSettings run = shooting
      ? RunSettings{ S.run.dt, steps, 1e-300, HorizonSettings{}.blowUpMargin }
      : tracked(S.run);
    runBatch(
      batch.size() * R, S.grid, run,
      [&](std::size_t i, State& s) {
        if (Latent)
        {
          s = Latent->at(parametersAt(points[batch[i / R]]));
        }
        else if (shooting)
        {
          s = starts[T == 1 ? 0 : i % R];
        }
        else
        {
          InitialCondition ic = S.initialCondition;
          ic.seed += i % R;
          makeInitialCondition(s, ic);
        }
        return parametersAt(points[batch[i / R]]);
      },
      [&](std::size_t i, const State& s, const RunResult& r) {
        finishItem(batch[i / R], i % R, s, r, run);
      },
      progress);
  }
}

} // namespace gs
