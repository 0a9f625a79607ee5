#include "SpectralStepper.h"

#include "Progress.h"

#include <algorithm>
#include <cmath>

namespace gs
{

void validateScheme(Scheme scheme, const Grid& grid)
{
  if (scheme == Scheme::Spectral && grid.nz != 1)
  {
    throw Error("{series.scheme} Spectral runs on 2D grids (the third dimension 1; got " +
      std::to_string(grid.nz) + "): choose Euler for 3D.");
  }
}

namespace
{

/// |k|^2 of Fourier index m on an axis of n cells of spacing h.
double wavenumberSquared(int m, int n, double h)
{
  const int s = m <= n / 2 ? m : m - n;
  const double k = 2.0 * M_PI * s / (n * h);
  return k * k;
}

void toPhysical(const Shape& shape, const ComplexField& hat, ComplexField& out)
{
  out = hat;
  fftInverse(shape, out);
}

} // namespace

SpectralStepper::SpectralStepper(const Grid& grid, const Parameters& p, double dt)
  : G(grid)
  , P(p)
  , Dt(dt)
  , S{ grid.nx, grid.ny, 1 }
{
  RunSettings settings;
  settings.dt = dt;
  validateModel(grid, p, settings);
  validateScheme(Scheme::Spectral, grid);
  const std::size_t n = grid.cells();
  for (int species = 0; species < 2; ++species)
  {
    Coefficients& c = C[species];
    for (auto* f : { &c.E, &c.E2, &c.Q, &c.f1, &c.f2, &c.f3 })
    {
      f->resize(n);
    }
    const double D = species == 0 ? p.Du : p.Dv;
    for (int y = 0; y < grid.ny; ++y)
    {
      for (int x = 0; x < grid.nx; ++x)
      {
        const std::size_t i = x + std::size_t(grid.nx) * y;
        const double L =
          -D * (wavenumberSquared(x, grid.nx, grid.hx) + wavenumberSquared(y, grid.ny, grid.hy));
        c.E[i] = std::exp(L * dt);
        c.E2[i] = std::exp(L * dt / 2.0);
        // Means over a circle of radius 1 around L dt: the weights' series have removable
        // singularities at L = 0 that direct formulas would lose to cancellation.
        const int M = 32;
        std::complex<double> q = 0.0, a = 0.0, b = 0.0, d = 0.0;
        for (int j = 1; j <= M; ++j)
        {
          const std::complex<double> z =
            L * dt + std::exp(std::complex<double>(0.0, M_PI * (j - 0.5) / M));
          const std::complex<double> ez = std::exp(z), z3 = z * z * z;
          q += (std::exp(z / 2.0) - 1.0) / z;
          a += (-4.0 - z + ez * (4.0 - 3.0 * z + z * z)) / z3;
          b += (2.0 + z + ez * (-2.0 + z)) / z3;
          d += (-4.0 - 3.0 * z - z * z + ez * (4.0 - z)) / z3;
        }
        c.Q[i] = dt * (q / double(M)).real();
        c.f1[i] = dt * (a / double(M)).real();
        c.f2[i] = dt * (b / double(M)).real();
        c.f3[i] = dt * (d / double(M)).real();
      }
    }
  }
}

void SpectralStepper::reaction(
  const ComplexField& u, const ComplexField& v, ComplexField& nu, ComplexField& nv) const
{
  nu.resize(u.size());
  nv.resize(u.size());
  for (std::size_t i = 0; i < u.size(); ++i)
  {
    const double uu = u[i].real(), vv = v[i].real(), uvv = uu * vv * vv;
    nu[i] = -uvv + P.F * (1.0 - uu);
    nv[i] = uvv - (P.F + P.k) * vv;
  }
  fftForward(S, nu);
  fftForward(S, nv);
}

RunResult SpectralStepper::advance(
  const State& from, State& to, std::int64_t steps, double tol, Progress* progress) const
{
  const std::size_t n = G.cells();
  // The state in space (pu, pv) and in Fourier modes (uh, vh), both kept along the steps.
  ComplexField pu(from.u.begin(), from.u.end()), pv(from.v.begin(), from.v.end());
  ComplexField uh = pu, vh = pv;
  fftForward(S, uh);
  fftForward(S, vh);
  ComplexField Nu, Nv, Au, Av, Nau, Nav, Bu, Bv, Nbu, Nbv, Mu, Mv, Cu, Cv, Ncu, Ncv, Tu, Tv;
  // A half step of the linear part from (bu, bv) plus the reaction (nu, nv) weighed by Q.
  auto half = [&](const ComplexField& bu, const ComplexField& bv, const ComplexField& nu,
                const ComplexField& nv, ComplexField& ou, ComplexField& ov) {
    ou.resize(n);
    ov.resize(n);
    for (std::size_t i = 0; i < n; ++i)
    {
      ou[i] = C[0].E2[i] * bu[i] + C[0].Q[i] * nu[i];
      ov[i] = C[1].E2[i] * bv[i] + C[1].Q[i] * nv[i];
    }
  };
  // The reaction of a state given by its modes.
  auto reactionOf = [&](const ComplexField& hu, const ComplexField& hv, ComplexField& nu,
                      ComplexField& nv) {
    toPhysical(S, hu, Tu);
    toPhysical(S, hv, Tv);
    reaction(Tu, Tv, nu, nv);
  };

  RunResult result;
  for (std::int64_t step = 0; step < steps; ++step)
  {
    if (progress && progress->aborted())
    {
      result.status = RunStatus::Aborted;
      break;
    }
    reaction(pu, pv, Nu, Nv);
    half(uh, vh, Nu, Nv, Au, Av);
    reactionOf(Au, Av, Nau, Nav);
    half(uh, vh, Nau, Nav, Bu, Bv);
    reactionOf(Bu, Bv, Nbu, Nbv);
    Mu.resize(n);
    Mv.resize(n);
    for (std::size_t i = 0; i < n; ++i)
    {
      Mu[i] = 2.0 * Nbu[i] - Nu[i];
      Mv[i] = 2.0 * Nbv[i] - Nv[i];
    }
    half(Au, Av, Mu, Mv, Cu, Cv);
    reactionOf(Cu, Cv, Ncu, Ncv);
    for (std::size_t i = 0; i < n; ++i)
    {
      uh[i] = C[0].E[i] * uh[i] + C[0].f1[i] * Nu[i] + 2.0 * C[0].f2[i] * (Nau[i] + Nbu[i]) +
        C[0].f3[i] * Ncu[i];
      vh[i] = C[1].E[i] * vh[i] + C[1].f1[i] * Nv[i] + 2.0 * C[1].f2[i] * (Nav[i] + Nbv[i]) +
        C[1].f3[i] * Ncv[i];
    }
    toPhysical(S, uh, Tu);
    toPhysical(S, vh, Tv);
    double change = 0.0;
    bool blowUp = false;
    for (std::size_t i = 0; i < n; ++i)
    {
      const double u = Tu[i].real(), v = Tv[i].real();
      blowUp = blowUp || !std::isfinite(u) || !(v >= -BlowUpMargin && v <= 1.0 + BlowUpMargin);
      change = std::max({ change, std::abs(u - pu[i].real()), std::abs(v - pv[i].real()) });
    }
    std::swap(pu, Tu);
    std::swap(pv, Tv);
    ++result.steps;
    result.lastChange = change;
    if (progress)
    {
      progress->add(1.0);
    }
    if (blowUp)
    {
      result.status = RunStatus::BlowUp;
      break;
    }
    if (tol > 0.0 && change < tol)
    {
      result.status = RunStatus::Converged;
      break;
    }
  }
  if (&to != &from)
  {
    to = State(G);
  }
  for (std::size_t i = 0; i < n; ++i)
  {
    to.u[i] = pu[i].real();
    to.v[i] = pv[i].real();
  }
  return result;
}

} // namespace gs
