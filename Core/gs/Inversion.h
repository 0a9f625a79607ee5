// Inversions: which parameters made an observed pattern? Gradient descent through the
// simulation (the paper's method, which wanders on plateaus), the closed-form residual fit,
// and the hybrid that starts the descent at the residual estimate.
#pragma once

#include "Adjoint.h"
#include "Loss.h"
#include "Names.h"
#include "Pinn.h"
#include "Reparam.h"
#include "Residual.h"
#include "Shooting.h"
#include "Simulation.h"

#include <array>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace gs
{

class Progress;

enum class InversionMethod
{
  Gradient,    ///< descent on a simulate-and-compare loss with the adjoint gradient
  ResidualFit, ///< the closed-form least-squares fit of the PDE residual
  Hybrid,      ///< the residual estimate, then gradient refinement
  /// A neural field and the parameters trained together on data plus residual loss (Adam on
  /// the network and on log(parameter); see PinnSettings)
  PINN,
  /// The horizon loss, by continuation from one step (the residual's quadratic) to the final
  /// horizon (Shooting.h)
  Shooting
};

enum class Optimizer
{
  PaperSGD, ///< SGD with weight decay and the paper's trial-step learning-rate safety
  Adam      ///< Adam (beta1 0.9, beta2 0.999, eps 1e-8), with the same trial-step safety
};

/// The names of gs::inversionMethodNames and gs::optimizerNames (Names.h).
const char* toString(InversionMethod method);
const char* toString(Optimizer optimizer);

struct InversionSettings
{
  InversionMethod method = InversionMethod::Gradient;
  /// The paper's start: a_u = a_v = -2, r_F = r_k = 0, i.e. Du = Dv = softplus(-2) = 0.1269,
  /// F = k = 0.05.
  Parameters initialGuess = reparam::toParameters({ -2.0, -2.0, 0.0, 0.0 });
  std::array<bool, 4> fit = { true, true, true, true }; ///< others stay at initialGuess
  int iterations = 100;
  double learningRate = 0.01;
  Optimizer optimizer = Optimizer::PaperSGD;
  double weightDecay = 5e-4; ///< on the optimised (raw) values, as the paper's SGD
  /// Optimise the paper's softplus/sigmoid values instead of (Du, Dv, F, k) themselves.
  bool reparameterise = true;
  /// Take a trial step only if it lowers the batch loss (besides staying finite). Off for
  /// Gradient (the paper's descent); Hybrid always refines this way, so a good residual
  /// estimate is never traded for a worse loss.
  bool monotone = false;
  LossSettings loss;
  GradientSettings gradient;
  RunSettings run{ 1.0, 40000, 5e-5 }; ///< the paper's training runs
  InitialCondition initialCondition;   ///< candidate j of a batch uses seed + j
  int batch = 4;
  ResidualSettings
    residual; ///< for ResidualFit and Hybrid (its `fit` and `fixed` are set from these settings)
  /// For PINN: the network (its iterations are the training's steps; one history row each)
  /// and the residual weight. Its residual is steady when residual.method is Steady or there
  /// is one frame, else the forward-difference time series.
  PinnSettings pinn;
  /// For Shooting: the final horizon, the growth and the steps per stage (its `fit` and
  /// `dt` are set from these settings). One steady frame when residual.method is Steady,
  /// else the series.
  ShootingSettings shooting;
};

/// One row of the history.
struct InversionStep
{
  int iteration = 0;
  double loss = 0.0;         ///< at `parameters` (the residual RMS^2 for the residual fit)
  Parameters parameters;     ///< where this iteration evaluated the loss
  double gradientNorm = 0.0; ///< of dL/d(Du, Dv, F, k) over the fitted parameters
  double learningRate = 0.0; ///< the rate of the step taken from here (0: none)
  bool accepted = true;      ///< a step was taken (false: every trial step blew up)
  std::int64_t horizon = 0;  ///< Shooting: the stage's K (0 for the other methods)
};

struct InversionResult
{
  std::vector<InversionStep> history;
  Parameters estimate;
  bool aborted = false;
  bool stoppedEarly = false; ///< the descent met a point without a gradient (see message)
  std::string message;       ///< the residual fit's verdict, and why the descent stopped early
  /// With an intensity observed (Observations::intensity): the map intensity = a v + b the
  /// residual fit found (ResidualFit::intensityScale, intensityOffset), NaN otherwise. Hybrid
  /// descends on the concentrations it gives.
  double intensityScale = std::numeric_limits<double>::quiet_NaN();
  double intensityOffset = std::numeric_limits<double>::quiet_NaN();
};

/// The rules of the settings, each message naming its field in braces ({iterations},
/// {batch}, {initialGuess}, ...); invert() checks them first.
void validate(const InversionSettings& settings);

/// Progress units of invert() on `data` (adjoint steps, frames of the residual fit or the
/// PINN's training steps), then of estimatePattern (at most run.steps Euler steps).
double inversionWork(const Observations& data, const InversionSettings& settings);

/// The pattern `estimate` makes on data's grid from settings.initialCondition in
/// settings.run: what an estimate means, to compare with the target. False when aborted.
bool estimatePattern(const Observations& data, const InversionSettings& settings,
  const Parameters& estimate, State& pattern, Progress* progress = nullptr);

/// The history as columns, one entry per row.
struct HistoryColumns
{
  std::vector<int> iteration;
  std::vector<double> loss;
  std::array<std::vector<double>, parameterCount> parameters; ///< (Du, Dv, F, k)
  std::vector<double> gradientNorm;
  std::vector<double> learningRate;
  std::vector<int> accepted;
  std::vector<std::int64_t> horizon;
};
HistoryColumns historyColumns(const std::vector<InversionStep>& history);

/// How a trajectory is drawn in parameter space: each axis a value of axisNames() (a
/// parameter, None = 0, or Loss = zScale * loss; x and y must be parameters).
struct TrajectoryAxes
{
  std::array<int, 3> axes = { 2, 3, axisNone }; ///< F, k, none
  double zScale = 1.0;
  /// Throws gs::Error naming the field ({trajectory.x}, ..., {trajectory.zScale}).
  void validate() const;
  /// The points of `history`, x y z interleaved.
  std::vector<double> points(const std::vector<InversionStep>& history) const;
};

/// The shooting fit's settings: settings.shooting with the inversion's fit and time step.
ShootingSettings shootingSettings(const InversionSettings& settings);

/// Method PINN of invert() (Pinn.cpp): the joint training of the network and the parameters.
InversionResult trainPinn(const Observations& data, const InversionSettings& settings,
  Progress* progress, const std::function<void(const InversionStep&)>& onStep);

/// Inverts `data` (its last frame is the target of simulate-and-compare losses; all frames
/// feed the residual fit and the PINN). The PINN's rows: loss = data + weight * residual
/// term, gradientNorm of that loss over the fitted parameters, a last row at the estimate.
/// `onStep` sees every history row as it is made (for progress and partial output). Throws
/// gs::Error for unusable settings. Progress counts adjoint steps (PINN: training steps).
InversionResult invert(const Observations& data, const InversionSettings& settings,
  Progress* progress = nullptr, const std::function<void(const InversionStep&)>& onStep = {});

} // namespace gs
