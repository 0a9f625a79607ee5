// How fast a steady pattern forgets a perturbation: the leading eigenvalues (multipliers) of
// the linearised explicit Euler step at the state, by subspace iteration on a power of the
// step (which spreads the multipliers near 1 apart) and Rayleigh-Ritz with the step itself.
// A multiplier mu decays by e in -1 / log|mu| steps: the horizons after which a shooting
// loss has forgotten its start.
#pragma once

#include "Grid.h"

#include <complex>
#include <cstdint>
#include <vector>

namespace gs
{

class Progress;

struct RelaxationSettings
{
  int modes = 6;            ///< leading multipliers wanted
  int extra = 6;            ///< more vectors in the block: the convergence rate is set by them
  int power = 50;           ///< linearised steps per iteration (the operator is J^power)
  int maxIterations = 400;  ///< block iterations at most
  double tolerance = 1e-10; ///< stop when no wanted multiplier moves by more (absolute)
  std::uint64_t seed = 1;   ///< the start block
  /// Throws gs::Error naming the field ({relaxation.modes}, ...).
  void validate() const;
};

struct RelaxationResult
{
  /// Multipliers of J = d Phi / d x, largest |mu| first (complex pairs adjacent).
  std::vector<std::complex<double>> multipliers;
  /// |J q - mu q| / |q| of each Ritz vector: the accuracy each multiplier can claim.
  std::vector<double> residuals;
  int iterations = 0;
  bool converged = false;
  bool aborted = false;
  /// Steps to decay by e: -1 / log|mu| (infinite for |mu| >= 1).
  static double relaxationSteps(std::complex<double> mu);
};

/// The leading multipliers of the explicit Euler step with `p` and `dt` linearised at `state`
/// (a steady state, for the relaxation of perturbations of it). Deterministic for any thread
/// count. Progress in block iterations (total maxIterations). Throws gs::Error for settings
/// or parameters the solver refuses.
RelaxationResult relaxationModes(const State& state, const Parameters& p, double dt,
  const RelaxationSettings& settings = {}, Progress* progress = nullptr);

} // namespace gs
