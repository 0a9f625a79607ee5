// Exact gradients of a loss on the final pattern with respect to (Du, Dv, F, k), through the
// explicit Euler program itself (the discrete adjoint), in bounded memory.
#pragma once

#include "Grid.h"
#include "Simulation.h"

#include <array>
#include <cstdint>
#include <string>

namespace gs
{

class Loss;
class Progress;

/// How the gradient reaches the parameters.
enum class Routing
{
  Unrolled,  ///< through all N steps (the paper's full backpropagation)
  Truncated, ///< through the last K steps only; the state K steps before the end is held fixed
  Implicit   ///< at a converged steady state, by the implicit function theorem
};

const char* toString(Routing routing);
/// "unrolled", "truncated", "implicit"; throws gs::Error listing them otherwise.
Routing routingFromString(const std::string& name);

struct GradientSettings
{
  Routing routing = Routing::Unrolled;
  /// K for Routing::Truncated.
  std::int64_t truncationSteps = 100;
  /// Memory for stored states during the reverse sweep (binomial checkpointing). The more
  /// states fit, the fewer forward steps are recomputed; enough for all steps means none.
  double checkpointBytes = 64.0 * (1 << 20);
  /// Routing::Implicit: relative residual the linear solve must reach, and its iteration cap.
  double implicitTolerance = 1e-10;
  int implicitMaxIterations = 5000;
  /// Throws gs::Error naming the field ({gradient.truncationSteps},
  /// {gradient.checkpointBytes}).
  void validate() const;
};


struct GradientResult
{
  double loss = 0.0;
  ParameterVector gradient = { 0.0, 0.0, 0.0, 0.0 }; ///< dL/d(Du, Dv, F, k)
  RunResult forward;  ///< the forward run: steps taken and how it ended
  bool valid = false; ///< false: see message (blow-up, abort, singular system...)
  std::string message;
  // What the computation cost.
  std::int64_t forwardSteps = 0; ///< Euler steps computed, including recomputations
  std::int64_t adjointSteps = 0;
  std::size_t checkpoints = 0; ///< states the schedule could hold
  double peakBytes = 0.0;      ///< largest memory the gradient's own states held
  /// dL/d(u, v) of the initial state (unrolled routing; empty otherwise): the derivative
  /// through a start that itself depends on the parameters (a latent u, Horizon.h).
  State initialAdjoint;
  // Routing::Implicit only.
  int solverIterations = 0;
  double solverResidual = 0.0;       ///< relative residual of the transposed steady system
  double translationAlignment = 0.0; ///< |cos| of dL/dx with a shift of the pattern (must be ~0)
};

/// Simulates from `initial` with `p` and `settings` (fixed steps, or until steady state with
/// steps as the cap), evaluates `loss` on the final state and returns its gradient.
/// Throws gs::Error for invalid input; a blow-up or a failed implicit solve is reported in
/// the result (valid = false, with the message), not thrown.
GradientResult lossGradient(const State& initial, const Parameters& p, const RunSettings& settings,
  const Loss& loss, const GradientSettings& gradient = {}, Progress* progress = nullptr);


} // namespace gs
