// A second solver of the Gray-Scott model, so that the plugin can make frames its own stencil
// never made: Fourier pseudo-spectral in space and exponential time differencing of fourth
// order in time (ETDRK4: Cox and Matthews 2002, with Kassam and Trefethen's 2005
// contour-integral coefficients), the discretisation of The Well's Gray-Scott frames. Periodic
// 2D grids; the stiff diffusion is integrated exactly, so no explicit stability limit applies.
#pragma once

#include "Simulation.h"
#include "Spectral.h"

namespace gs
{

/// The solver a simulation runs with.
enum class Scheme
{
  Euler,   ///< explicit Euler with the 5-point (7-point) stencil: the paper's, and Stepper's
  Spectral ///< ETDRK4, Fourier pseudo-spectral in space: SpectralStepper
};

/// Throws gs::Error naming {series.scheme} when `scheme` cannot run on `grid`: Spectral is 2D.
void validateScheme(Scheme scheme, const Grid& grid);

/// Advances states with ETDRK4 steps of dt on one 2D grid and parameter set (as Stepper does
/// with Euler steps). A step is a blow-up when a value is non-finite or v leaves [-1, 2]:
/// the spectral interpolant may dip a little below 0 at a steep front. Fourier lines are
/// transformed in parallel, each alone, so the bits do not depend on the thread count.
class SpectralStepper
{
public:
  /// v may leave [0, 1] by this much before a step counts as a blow-up.
  static constexpr double BlowUpMargin = 1.0;

  /// Validates the grid (2D), parameters and dt (throws gs::Error); computes the
  /// coefficients.
  SpectralStepper(const Grid& grid, const Parameters& p, double dt);
  /// Up to `steps` steps from `from` into `to` (`from` may be `to`); stops at steady state
  /// when tol > 0 (the largest change of a cell in one step below tol), at a blow-up, or on
  /// abort. Progress counts steps.
  RunResult advance(const State& from, State& to, std::int64_t steps, double tol = 0.0,
    Progress* progress = nullptr) const;
  RunResult advance(
    State& state, std::int64_t steps, double tol = 0.0, Progress* progress = nullptr) const
  {
    return advance(state, state, steps, tol, progress);
  }

private:
  /// exp(L dt), exp(L dt / 2) and the ETDRK4 weights per Fourier mode, for one species.
  struct Coefficients
  {
    std::vector<double> E, E2, Q, f1, f2, f3;
  };
  /// The reaction terms of physical u, v, transformed.
  void reaction(
    const ComplexField& u, const ComplexField& v, ComplexField& nu, ComplexField& nv) const;

  Grid G;
  Parameters P;
  double Dt;
  Shape S;
  Coefficients C[2];
};

} // namespace gs
