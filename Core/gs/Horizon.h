// The horizon loss of multiple shooting: start from each observed frame, take K explicit Euler
// steps at candidate parameters, compare with the frame observed K steps later (a steady
// frame with itself). One family between the residual and the paper's unroll: for K = 1 the
// pixel loss is dt^2 times the steady residual summed over the two equations, a quadratic in
// the parameters; as K grows it becomes a trajectory mismatch like the paper's.
#pragma once

#include "Adjoint.h"
#include "Loss.h"
#include "Residual.h"

#include <array>
#include <cstdint>
#include <memory>
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

/// The start of a horizon run from v alone: v observed, u the latent solution of the steady
/// u equation Du lap(u) - (v^2 + F) u + F = 0 at the candidate's (Du, F), as the residual fit
/// of v alone takes it (ResidualLatent.cpp). The gradient of a loss through a run from it
/// carries the start's own dependence on (Du, F): with lambda_u the adjoint of the start's u
/// and A = -Du lap + diag(v^2 + F) (symmetric), z = A^-1 lambda_u adds z . lap(u) to dL/dDu
/// and z . (1 - u) to dL/dF.
class LatentStart
{
public:
  /// Takes the observed state's v (every cell observed).
  explicit LatentStart(const State& observed);
  /// v with the latent u at p.
  State at(const Parameters& p) const;
  /// d at(p) / d(Du, Dv, F, k): u's for Du and F, A^-1 lap(u) and A^-1 (1 - u); the others
  /// empty (zero).
  std::array<State, 4> derivatives(const Parameters& p) const;
  /// Adds the start's part of dL/dp to g, given x0 = at(p) and dL/dx0 (`adjoint`).
  void addGradient(
    const State& x0, const Parameters& p, const State& adjoint, ParameterVector& g) const;

private:
  Observations Observed;     ///< the frame of v (u 0)
  ResidualSettings Settings; ///< the solver's own stencil, no noise
};

/// L_K(p) = mean over segments i of loss(Phi_p^K(x_i), x_(i + K)), Phi the explicit Euler
/// step: segment i starts at frame i and ends K steps later at an observed frame.
///
/// With v alone (one steady frame, Observations::uObserved false) the start is a LatentStart
/// and the loss compares v alone.
class HorizonLoss
{
public:
  /// One frame is steady (its one segment ends at itself); several must be equally spaced
  /// by a whole number of steps that divides the horizon, with at least one segment. Needs
  /// every cell observed, and u observed unless there is one frame. Throws gs::Error naming
  /// the problem.
  HorizonLoss(const Observations& data, const HorizonSettings& settings);
  ~HorizonLoss();

  std::size_t segments() const { return Starts.size(); }
  /// Steps between the frames of `data`: 1 for one (steady) frame. Throws gs::Error unless
  /// the frames lie a whole and equal number of steps apart.
  static std::int64_t spacingOf(const Observations& data, double dt);
  /// The segments of `horizon` steps between the frames of `data`: 1 for one (steady) frame.
  /// Throws gs::Error unless the frames lie a whole and equal number of steps apart, the
  /// horizon is a multiple of that, and the frames span at least the horizon.
  static std::size_t segmentsOf(const Observations& data, std::int64_t horizon, double dt);
  /// Segment i's observed start (with u latent, u is 0 there: see startAt) and end.
  const State& start(std::size_t i) const { return Starts[i]; }
  const State& end(std::size_t i) const { return EndStates[i]; }
  const HorizonSettings& settings() const { return S; }
  /// u is not observed: the start's u is latent, and only v is compared.
  bool latent() const { return Latent != nullptr; }
  /// Segment i's start at p: the observed frame, or v with the latent u at p.
  State startAt(std::size_t i, const Parameters& p) const;
  /// d startAt(0, p) / d(Du, Dv, F, k): LatentStart::derivatives, or empty fields (zero).
  std::array<State, 4> startDerivatives(const Parameters& p) const;

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
  std::shared_ptr<const LatentStart> Latent; ///< with v alone
};

} // namespace gs
