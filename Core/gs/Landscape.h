// Loss landscapes: the losses of simulations over a grid of parameter values against targets,
// each grid point an independent set of simulations run in parallel by runBatch.
#pragma once

#include "Adjoint.h"
#include "Grid.h"
#include "Loss.h"
#include "Patterns.h"
#include "Simulation.h"

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace gs
{

struct Observations;

class LatentStart;
class Progress;

/// One swept parameter: `resolution` values from min to max (min alone when resolution is 1),
/// equally spaced; or the horizon, K whole steps spaced equally in log K.
struct LandscapeAxis
{
  /// `parameter` of an axis that sweeps the horizon (LandscapeSettings::horizon).
  static constexpr int Horizon = static_cast<int>(parameterCount);
  int parameter = -1; ///< 0 Du, 1 Dv, 2 F, 3 k, 4 Horizon; -1 none
  /// Whether the axis sweeps one of (Du, Dv, F, k): not none, not the horizon.
  bool sweepsParameter() const { return parameter >= 0 && parameter < Horizon; }
  double min = 0.0;
  double max = 0.0;
  int resolution = 1;
  /// The parameter value of point i; for the horizon, K_i = round(min (max/min)^t), t =
  /// i / (resolution - 1).
  double value(int i) const;
  /// The axis in the landscape image: origin = min, spacing = step (1 for a single point or
  /// an unused axis, origin 0 then); for the horizon the same in log10 K.
  void geometry(double& origin, double& spacing) const;
};

struct LandscapeSettings
{
  Parameters truth;                  ///< the unswept parameters, and the targets' parameters
  std::array<LandscapeAxis, 3> axes; ///< x, y, z; unused axes have parameter -1
  Grid grid;
  RunSettings run;
  InitialCondition initialCondition; ///< condition j uses seed + j
  int initialConditions = 4;
  std::vector<LossKind> losses = allLosses(); ///< may be empty: steps and classes only
  LossSettings loss;                          ///< tile size, epsilon, includeU
  ClassifySettings classify;
  /// Also the adjoint gradient of `gradientLoss` at every point (mean over conditions).
  bool gradient = false;
  LossKind gradientLoss = LossKind::LogPS;
  GradientSettings gradientSettings;
  /// 0: the paper's protocol, every candidate simulated `run.steps` from the initial
  /// conditions. K >= 1: the horizon loss of multiple shooting (Horizon.h), every candidate
  /// started from its target (the observed state, or target j) and compared with it after K
  /// steps; a Horizon axis sets K per point instead. Needs no steady-state tolerance: the run
  /// takes exactly K steps.
  std::int64_t horizon = 0;
  /// The candidates start from their targets (a horizon, or a Horizon axis).
  bool shooting() const;
  /// Shooting from an observed target of v alone: each candidate's start is v with the latent
  /// u at its (Du, F) (Horizon.h's LatentStart); the losses compare v (no includeU).
  bool latentU = false;

  /// The paper's sweep: 7 x 7 points over F 0.03-0.07 and k 0.053-0.068 at its truth (the
  /// z axis unswept, with a range ready for use), 128 x 128 cells, 40,000 steps, four
  /// initial conditions, every loss.
  static LandscapeSettings paper()
  {
    LandscapeSettings s;
    s.axes[0] = { static_cast<int>(Parameter::F), 0.03, 0.07, 7 };
    s.axes[1] = { static_cast<int>(Parameter::k), 0.053, 0.068, 7 };
    s.axes[2] = { -1, 0.0, 0.1, 1 };
    return s;
  }
};

struct LandscapePoint
{
  std::vector<double> losses; ///< per settings.losses: the mean over initial conditions
  std::int64_t steps = 0;     ///< most steps any initial condition took
  bool converged = true;      ///< every initial condition reached steady state
  PatternClass patternClass = PatternClass::Dead; ///< the most common class (ties: first seen)
  double meanV = 0.0;                             ///< mean of v over cells and initial conditions
  /// dL/d(Du, Dv, F, k) of settings.gradientLoss, the mean over initial conditions; NaN when
  /// not asked for or when it does not exist for some condition (blow-up, refused routing).
  ParameterVector gradient = { std::numeric_limits<double>::quiet_NaN(),
    std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(),
    std::numeric_limits<double>::quiet_NaN() };
};

/// What a landscape's time steps (ParaView's time slider) sweep: nothing; the horizon K of the
/// horizon loss up to LandscapeSettings::horizon; or the paper's loss after t of its
/// run.steps steps. Names: landscapeTimeNames().
enum class LandscapeTime
{
  None,
  Horizon,
  Steps
};

/// The time steps of `settings` for `time`: `count` log-spaced whole step counts from 1 to
/// the final one (horizon for Horizon, run.steps for Steps), repeats dropped; empty for None.
/// Throws gs::Error naming what cannot be swept: a horizon with a Horizon axis, Steps with a
/// horizon, fewer than 2 steps, a final count below 2.
std::vector<std::int64_t> landscapeTimeSteps(
  const LandscapeSettings& settings, LandscapeTime time, int count);

/// `settings` at time step value `t` (one of landscapeTimeSteps()): horizon = t for Horizon,
/// run.steps = t for Steps.
LandscapeSettings atTime(LandscapeSettings settings, LandscapeTime time, std::int64_t t);
/// The time step shown at time `asked`, as VTK's readers choose: the last of `times`
/// (ascending, not empty) at or before it, the first when none is.
std::int64_t timeStepAt(const std::vector<std::int64_t>& times, double asked);

/// Refuses what a series target (`frames` observed frames; one is steady) cannot give,
/// naming the setting: the horizon must be fixed (no Horizon axis, no horizon time steps,
/// which start at K = 1), u observed, and no steady `residual` loss. Throws gs::Error.
void checkSeriesTarget(const LandscapeSettings& settings, LandscapeTime time, bool residual,
  std::size_t frames, bool uObserved);

/// The paper's protocol: targets simulated at the truth from initial conditions 0..B-1, and
/// every candidate simulated from the same conditions and compared pairwise. Or, with an
/// observed target, every candidate compared with it; when shooting, every candidate started
/// from it, or from each frame of an observed series and compared K steps later (a series
/// needs a fixed horizon, and u observed: HorizonLoss's segments).
class Landscape
{
public:
  explicit Landscape(const LandscapeSettings& settings, const Observations* observed = nullptr,
    Progress* progress = nullptr);

  std::size_t size() const;
  /// Point index -> parameters (x fastest, then y, then z, as VTK orders points).
  Parameters parametersAt(std::size_t index) const;
  /// Steps the candidates of point `index` take: its horizon when shooting, else run.steps.
  static std::int64_t stepsAt(const LandscapeSettings& settings, std::size_t index);
  const std::vector<State>& targets() const { return Targets; }
  const LandscapeSettings& settings() const { return S; }
  /// A 64-bit digest of everything a point's result depends on: the settings and the
  /// targets' bits (so a changed solver, which changes the targets, changes it too).
  std::uint64_t fingerprint() const;
  /// A 64-bit digest of the settings alone (equal settings, equal digests).
  static std::uint64_t digest(const LandscapeSettings& settings);
  /// A 64-bit digest of an observed target's values and times (0 for none).
  static std::uint64_t digest(const Observations* observed);
  /// Simulations per point: one per initial condition; when shooting from an observed
  /// target, one, where the conditions would repeat the same run, or one per segment of a
  /// series (1 for a series the horizon does not fit: the constructor refuses it).
  static std::size_t runsPerPoint(const LandscapeSettings& settings, const Observations* observed);
  /// Euler steps point `index` costs, forward and (with the gradient) adjoint, with an
  /// `observed` target or without: the progress units of compute().
  static double workAt(
    const LandscapeSettings& settings, std::size_t index, const Observations* observed);

  /// Computes the given points; `done(index, point)` is called once per point as soon as its
  /// last simulation finishes, from a worker thread (concurrently for different points).
  /// Results do not depend on the thread count or on which points are computed together.
  /// After an abort, points not finished are never passed to `done`.
  void compute(const std::vector<std::size_t>& points,
    const std::function<void(std::size_t, const LandscapePoint&)>& done,
    Progress* progress = nullptr) const;

private:
  LandscapeSettings S;
  std::vector<State> Targets;                // compared with; for a series, the segments' ends
  std::vector<State> Starts;                 // a series' segment starts (else: Targets)
  bool Observed = false;                     // Targets is the observed target
  std::vector<Loss> Losses;                  // [loss kind][target], target-major inside each kind
  std::vector<Loss> GradientLosses;          // [target], when settings.gradient
  std::shared_ptr<const LatentStart> Latent; // settings.latentU
};

} // namespace gs
