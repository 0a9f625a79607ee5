// Forward sensitivities of the explicit Euler trajectory, d x_K / d(Du, Dv, F, k), carried
// along the run by the tangent linear step: no stored states, four fields per parameter. The
// Jacobian that a Gauss-Newton fit over a horizon of K steps needs (Shooting.h).
#pragma once

#include "Grid.h"
#include "Simulation.h"

#include <array>

namespace gs
{

class Progress;

struct Sensitivities
{
  State final;            ///< x_K
  std::array<State, 4> d; ///< d x_K / d p_c for each wanted c (empty otherwise)
  RunResult run;          ///< how the forward run ended (a blow-up stops it)
};

/// Runs settings.steps steps from `start` at p (no tolerance) and the tangent linear step of
/// each wanted parameter c alongside: with s = (a, b) = d(u, v)/d p_c,
///   a' = a + dt (Du L a - (v^2 + F) a - 2 u v b + g_u)
///   b' = b + dt (Dv L b + v^2 a + (2 u v - F - k) b + g_v),
/// g = (L u, 0) for Du, (0, L v) for Dv, (1 - u, -v) for F, (0, -v) for k, all at the state
/// before the step. Parameters are independent tasks: the same bits for any thread count.
/// `initial` (may be null) holds d start / d p_c where the start itself depends on the
/// parameters (a latent u, Horizon.h); an empty field there is 0.
/// Throws gs::Error as validate() does.
Sensitivities sensitivities(const State& start, const Parameters& p, const RunSettings& settings,
  const std::array<bool, 4>& wanted, Progress* progress = nullptr,
  const std::array<State, 4>* initial = nullptr);

/// One tangent linear step in place, s <- s + dt (A s + g), at the state x whose Laplacians are
/// Lu and Lv: A the Jacobian of the right-hand side, g the source of parameter `source` (none
/// when -1: the linearised step itself). La and Lb are work fields of one cell per value.
void tangentStep(const State& x, const double* Lu, const double* Lv, const Parameters& p, double dt,
  int source, State& s, double* La, double* Lb);

} // namespace gs
