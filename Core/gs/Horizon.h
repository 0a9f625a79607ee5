// The horizon loss of multiple shooting: start from each observed frame, take K explicit Euler
// steps at candidate parameters, compare with the frame observed K steps later (a steady
// frame with itself). One family between the residual and the paper's unroll: for K = 1 the
// pixel loss is dt^2 times the steady residual summed over the two equations, a quadratic in
// the parameters; as K grows it becomes a trajectory mismatch like the paper's.
#pragma once

#include "Adjoint.h"
#include "Loss.h"
#include "Residual.h"

#include <cstdint>
#include <vector>

namespace gs
{

class Progress;

struct HorizonSettings
{
  /// K, the Euler steps from each observed start; with several frames a multiple of their
  /// spacing in steps (frames (t1 - t0) / dt steps apart).
  std::int64_t horizon = 1;
  double dt = 1.0;
  /// The comparison; pixel on u and v by default.
  LossSettings loss = { LossKind::Pixel, 16, 1e-8, true };
  /// Observed starts carry noise, and noisy v may lie a little below 0: a step is a blow-up
  /// only when a value is non-finite or v leaves [-margin, 1 + margin] (RunSettings).
  double blowUpMargin = 1.0;
  /// Checkpoint memory of each segment's reverse sweep (the routing is always unrolled).
  double checkpointBytes = 64.0 * (1 << 20);
  /// Throws gs::Error naming the field ({horizon.horizon}, ...).
  void validate() const;
};

/// L_K(p) = mean over segments i of loss(Phi_p^K(x_i), x_(i + K)), Phi the explicit Euler
/// step: segment i starts at frame i and ends K steps later at an observed frame.
class HorizonLoss
{
public:
  /// One frame is steady (its one segment ends at itself); several must be equally spaced
  /// by a whole number of steps that divides the horizon, with at least one segment. Needs
  /// u observed and every cell observed. Throws gs::Error naming the problem.
  HorizonLoss(const Observations& data, const HorizonSettings& settings);
  ~HorizonLoss();

  std::size_t segments() const { return Starts.size(); }
  /// Segment i's observed start and end.
  const State& start(std::size_t i) const { return Starts[i]; }
  const State& end(std::size_t i) const { return EndStates[i]; }
  const HorizonSettings& settings() const { return S; }

  /// The loss at p; NaN when a segment blows up. Progress in Euler steps (segments * K);
  /// NaN after an abort. Throws gs::Error for parameters the solver refuses.
  double evaluate(const Parameters& p, Progress* progress = nullptr) const;
  /// The loss and its exact gradient by the discrete adjoint of each segment (means over
  /// segments; the costs summed). Progress in reversed steps (segments * K).
  GradientResult gradient(const Parameters& p, Progress* progress = nullptr) const;

private:
  HorizonSettings S;
  std::vector<State> Starts, EndStates;
  std::vector<Loss> Ends;
};

} // namespace gs
