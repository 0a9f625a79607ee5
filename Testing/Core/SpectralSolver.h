// A Fourier pseudo-spectral ETDRK4 integrator of the Gray-Scott model (Cox and Matthews 2002,
// with Kassam and Trefethen's 2005 contour-integral coefficients): the discretisation The
// Well's Gray-Scott frames use, so frames that this plugin's stencil never made.
#pragma once

#include <gs/Residual.h>
#include <gs/Simulation.h>
#include <gs/Spectral.h>

#include <cmath>
#include <complex>
#include <vector>

namespace gs_testing
{

using Complex = std::complex<double>;

/// ETDRK4 for u_t = Du lap u - u v^2 + F (1 - u), v_t = Dv lap v + u v^2 - (F + k) v on a
/// periodic 2D grid.
class SpectralSolver
{
public:
  SpectralSolver(const gs::Grid& g, const gs::Parameters& p, double h)
    : G(g)
    , P(p)
    , H(h)
    , Shape{ g.nx, g.ny, 1 }
  {
    const std::size_t n = g.cells();
    for (int species = 0; species < 2; ++species)
    {
      Coefficients& c = C[species];
      c.E.resize(n);
      c.E2.resize(n);
      c.Q.resize(n);
      c.f1.resize(n);
      c.f2.resize(n);
      c.f3.resize(n);
      const double D = species == 0 ? p.Du : p.Dv;
      for (int y = 0; y < g.ny; ++y)
      {
        for (int x = 0; x < g.nx; ++x)
        {
          const std::size_t i = x + std::size_t(g.nx) * y;
          const double L = -D * (k2(x, g.nx, g.hx) + k2(y, g.ny, g.hy));
          c.E[i] = std::exp(L * h);
          c.E2[i] = std::exp(L * h / 2.0);
          // Means over a circle of radius 1 around L h: no cancellation near L = 0.
          const int M = 32;
          Complex q = 0.0, a = 0.0, b = 0.0, d = 0.0;
          for (int j = 1; j <= M; ++j)
          {
            const Complex z = L * h + std::exp(Complex(0.0, M_PI * (j - 0.5) / M));
            const Complex ez = std::exp(z);
            q += (std::exp(z / 2.0) - 1.0) / z;
            a += (-4.0 - z + ez * (4.0 - 3.0 * z + z * z)) / (z * z * z);
            b += (2.0 + z + ez * (-2.0 + z)) / (z * z * z);
            d += (-4.0 - 3.0 * z - z * z + ez * (4.0 - z)) / (z * z * z);
          }
          c.Q[i] = h * (q / double(M)).real();
          c.f1[i] = h * (a / double(M)).real();
          c.f2[i] = h * (b / double(M)).real();
          c.f3[i] = h * (d / double(M)).real();
        }
      }
    }
  }

  /// Advances `s` by `steps` steps of h.
  void advance(gs::State& s, int steps) const
  {
    gs::ComplexField u(s.u.begin(), s.u.end()), v(s.v.begin(), s.v.end());
    gs::fftForward(Shape, u);
    gs::fftForward(Shape, v);
    const std::size_t n = G.cells();
    gs::ComplexField Nu, Nv, Au, Av, Nau, Nav, Bu, Bv, Nbu, Nbv, Cu, Cv, Ncu, Ncv, Mu, Mv;
    // A half step of the linear part from (bu, bv) plus the nonlinear (nu, nv) weighed by Q.
    auto half = [&](const gs::ComplexField& bu, const gs::ComplexField& bv,
                  const gs::ComplexField& nu, const gs::ComplexField& nv, gs::ComplexField& ou,
                  gs::ComplexField& ov) {
      ou.resize(n);
      ov.resize(n);
      for (std::size_t i = 0; i < n; ++i)
      {
        ou[i] = C[0].E2[i] * bu[i] + C[0].Q[i] * nu[i];
        ov[i] = C[1].E2[i] * bv[i] + C[1].Q[i] * nv[i];
      }
    };
    for (int step = 0; step < steps; ++step)
    {
      nonlinear(u, v, Nu, Nv);
      half(u, v, Nu, Nv, Au, Av);
      nonlinear(Au, Av, Nau, Nav);
      half(u, v, Nau, Nav, Bu, Bv);
      nonlinear(Bu, Bv, Nbu, Nbv);
      Mu.resize(n);
      Mv.resize(n);
      for (std::size_t i = 0; i < n; ++i)
      {
        Mu[i] = 2.0 * Nbu[i] - Nu[i];
        Mv[i] = 2.0 * Nbv[i] - Nv[i];
      }
      half(Au, Av, Mu, Mv, Cu, Cv);
      nonlinear(Cu, Cv, Ncu, Ncv);
      for (std::size_t i = 0; i < n; ++i)
      {
        u[i] = C[0].E[i] * u[i] + C[0].f1[i] * Nu[i] + 2.0 * C[0].f2[i] * (Nau[i] + Nbu[i]) +
          C[0].f3[i] * Ncu[i];
        v[i] = C[1].E[i] * v[i] + C[1].f1[i] * Nv[i] + 2.0 * C[1].f2[i] * (Nav[i] + Nbv[i]) +
          C[1].f3[i] * Ncv[i];
      }
    }
    gs::fftInverse(Shape, u);
    gs::fftInverse(Shape, v);
    for (std::size_t i = 0; i < n; ++i)
    {
      s.u[i] = u[i].real();
      s.v[i] = v[i].real();
    }
  }

private:
  struct Coefficients
  {
    std::vector<double> E, E2, Q, f1, f2, f3;
  };

  static double k2(int m, int n, double h)
  {
    const int s = m <= n / 2 ? m : m - n;
    const double k = 2.0 * M_PI * s / (n * h);
    return k * k;
  }

  /// The reaction terms of the fields whose transforms are u, v, transformed.
  void nonlinear(const gs::ComplexField& uh, const gs::ComplexField& vh, gs::ComplexField& nu,
    gs::ComplexField& nv) const
  {
    gs::ComplexField u = uh, v = vh;
    gs::fftInverse(Shape, u);
    gs::fftInverse(Shape, v);
    nu.resize(u.size());
    nv.resize(u.size());
    for (std::size_t i = 0; i < u.size(); ++i)
    {
      const double uu = u[i].real(), vv = v[i].real(), uvv = uu * vv * vv;
      nu[i] = -uvv + P.F * (1.0 - uu);
      nv[i] = uvv - (P.F + P.k) * vv;
    }
    gs::fftForward(Shape, nu);
    gs::fftForward(Shape, nv);
  }

  gs::Grid G;
  gs::Parameters P;
  double H;
  gs::Shape Shape;
  Coefficients C[2];
};

/// The seeded initial condition with a patch of `patch` cells, grown for `growth` time units in
/// steps of 1 (ETDRK4 is stable there; the growth only has to make a pattern).
inline gs::State spectralPattern(
  const gs::Grid& g, const gs::Parameters& p, double growth, int patch)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { 0, 0.02, patch });
  SpectralSolver(g, p, 1.0).advance(s, static_cast<int>(growth));
  return s;
}

/// `frames` frames `spacing` time units apart from `start`, in steps of at most `step`: frames
/// of the continuum to the integrator's fourth order (times from 0).
inline gs::Observations spectralSeries(
  gs::State start, const gs::Parameters& p, double spacing, int frames, double step = 0.25)
{
  const int steps = static_cast<int>(std::ceil(spacing / step - 1e-9));
  const SpectralSolver solver(start.grid, p, spacing / steps);
  gs::Observations data;
  for (int f = 0; f < frames; ++f)
  {
    if (f > 0)
    {
      solver.advance(start, steps);
    }
    data.add(start, f * spacing);
  }
  data.finish();
  return data;
}

} // namespace gs_testing
