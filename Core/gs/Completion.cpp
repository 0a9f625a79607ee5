// Completion of partially observed, noisy fields by regularised least squares on the periodic
// grid, solved by matrix-free preconditioned conjugate gradients.
#include "Completion.h"

#include "Kernel.h"
#include "Simulation.h"

#include <cmath>
#include <sstream>

namespace gs
{

namespace
{

/// Relative residual the conjugate gradients must reach: the completed fields feed
/// Laplacians and time differences, so they are converged far below any noise or
/// interpolation error (1e-12 changes the fits of the study in the eighth digit at most).
constexpr double CgTolerance = 1e-10;

double dot(const std::vector<double>& a, const std::vector<double>& b)
{
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
  {
    s += a[i] * b[i];
  }
  return s;
}

/// Solves A x = rhs for a symmetric positive definite A (given as a product) with Jacobi
/// preconditioning, from x = 0; serial, so the result is the same for any thread count.
template <typename Apply>
std::vector<double> conjugateGradients(const Apply& apply, const std::vector<double>& diagonal,
  const std::vector<double>& rhs, const char* what)
{
  const std::size_t n = rhs.size();
  std::vector<double> x(n, 0.0), r = rhs, z(n), p(n), q(n);
  const double bnorm = std::sqrt(dot(rhs, rhs));
  if (bnorm == 0.0)
  {
    return x;
  }
  for (std::size_t i = 0; i < n; ++i)
  {
    z[i] = diagonal[i] > 0.0 ? r[i] / diagonal[i] : 0.0;
  }
  p = z;
  double rz = dot(r, z);
  // Far beyond what the systems here need (hundreds of iterations); only a degenerate
  // system gets near it.
  const std::size_t maxIterations = 10 * n + 1000;
  for (std::size_t it = 0; it < maxIterations; ++it)
  {
    apply(p, q);
    const double alpha = rz / dot(p, q);
    for (std::size_t i = 0; i < n; ++i)
    {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
    }
    if (std::sqrt(dot(r, r)) <= CgTolerance * bnorm)
    {
      return x;
    }
    for (std::size_t i = 0; i < n; ++i)
    {
      z[i] = diagonal[i] > 0.0 ? r[i] / diagonal[i] : 0.0;
    }
    const double rzNew = dot(r, z);
    const double beta = rzNew / rz;
    rz = rzNew;
    for (std::size_t i = 0; i < n; ++i)
    {
      p[i] = z[i] + beta * p[i];
    }
  }
  std::ostringstream msg;
  msg << "The completion of " << what << " did not converge in " << maxIterations
      << " conjugate-gradient iterations.";
  throw Error(msg.str());
}

std::vector<double> smooth(double lambda, int order, const Grid& g, const std::vector<double>& d,
  const std::vector<unsigned char>& valid)
{
  g.validate();
  const std::size_t n = g.cells();
  if (d.size() != n || valid.size() != n)
  {
    std::ostringstream msg;
    msg << "The completion needs one value and one observed flag per cell: got " << d.size()
        << " values and " << valid.size() << " flags for " << n << " cells.";
    throw Error(msg.str());
  }
  std::size_t observed = 0;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (valid[i])
    {
      ++observed;
      if (!std::isfinite(d[i]))
      {
        throw Error(
          "The completion's data are not finite at observed cell " + std::to_string(i) + ".");
      }
    }
  }
  if (observed == 0)
  {
    throw Error("The completion needs at least one observed cell; none is marked observed.");
  }
  const kernel::Stencil st = kernel::makeStencil(g);
  std::vector<double> lap(n), tmp(n);
  // (-L)^order x, L the solver's Laplacian; its diagonal is (-cc)^order plus the squares of
  // the off-diagonal weights for order >= 2, bounded here by the leading term.
  auto power = [&](const std::vector<double>& x, std::vector<double>& out) {
    laplacian(g, x.data(), out.data());
    for (int k = 1; k < order; ++k)
    {
      laplacian(g, out.data(), tmp.data());
      out.swap(tmp);
    }
    if (order % 2 == 1)
    {
      for (double& y : out)
      {
        y = -y;
      }
    }
  };
  const double diag = std::pow(-st.cc, order);
  if (lambda > 0.0)
  {
    // (M + lambda L) f = M d with L = -lap, the gradient penalty's operator on the torus.
    std::vector<double> diagonal(n), rhs(n);
    for (std::size_t i = 0; i < n; ++i)
    {
      diagonal[i] = (valid[i] ? 1.0 : 0.0) + lambda * diag;
      rhs[i] = valid[i] ? d[i] : 0.0;
    }
    auto apply = [&](const std::vector<double>& x, std::vector<double>& y) {
      power(x, lap);
      for (std::size_t i = 0; i < n; ++i)
      {
        y[i] = (valid[i] ? x[i] : 0.0) + lambda * lap[i];
      }
    };
    return conjugateGradients(apply, diagonal, rhs, "a field");
  }
  // lambda = 0: the limit of small lambda, observed cells kept and lap f = 0 elsewhere.
  std::vector<double> f(n), diagonal(n), rhs(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    f[i] = valid[i] ? d[i] : 0.0;
    diagonal[i] = valid[i] ? 0.0 : diag;
  }
  power(f, lap);
  for (std::size_t i = 0; i < n; ++i)
  {
    rhs[i] = valid[i] ? 0.0 : -lap[i];
  }
  std::vector<double> x(n);
  auto apply = [&](const std::vector<double>& y, std::vector<double>& out) {
    for (std::size_t i = 0; i < n; ++i)
    {
      x[i] = valid[i] ? 0.0 : y[i];
    }
    power(x, lap);
    for (std::size_t i = 0; i < n; ++i)
    {
      out[i] = valid[i] ? 0.0 : lap[i];
    }
  };
  const std::vector<double> y = conjugateGradients(apply, diagonal, rhs, "a field");
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!valid[i])
    {
      f[i] = y[i];
    }
  }
  return f;
}

} // namespace

Completer smoothingCompleter(double lambda)
{
  return smoothingCompleter(lambda, 1);
}

void SmoothingSettings::validate() const
{
  if (order < 1 || order > 4)
  {
    throw Error("{smoothing.order} must be 1 to 4, got " + std::to_string(order) +
      " (1 penalises the gradient, 2 the curvature).");
  }
  if (!(std::isfinite(lambda) && lambda >= 0.0))
  {
    std::ostringstream msg;
    msg << "{smoothing.lambda} must be finite and >= 0 (got " << lambda << ").";
    throw Error(msg.str());
  }
}

Completer smoothingCompleter(double lambda, int order)
{
  SmoothingSettings{ lambda, order }.validate();
  return
    [lambda, order](const Grid& g, const std::vector<double>& values,
      const std::vector<unsigned char>& valid) { return smooth(lambda, order, g, values, valid); };
}

void checkCompletable(const Observations& data)
{
  if (!data.uObserved)
  {
    throw Error("Completion needs u observed ({uObserved}): it fills u and v together, and the "
                "fit with v alone needs every cell of v observed.");
  }
}

Observations complete(const Observations& data, const Completer& completer)
{
  checkCompletable(data);
  if (!completer)
  {
    throw Error("No completer given.");
  }
  const std::size_t n = data.grid.cells();
  if (!data.valid.empty() && data.valid.size() != n)
  {
    std::ostringstream msg;
    msg << "The observed-cell mask has " << data.valid.size() << " flags; the grid has " << n
        << " cells.";
    throw Error(msg.str());
  }
  const std::vector<unsigned char> valid =
    data.valid.empty() ? std::vector<unsigned char>(n, 1) : data.valid;
  Observations out;
  out.grid = data.grid;
  out.times = data.times;
  out.frames.reserve(data.frames.size());
  for (std::size_t f = 0; f < data.frames.size(); ++f)
  {
    const State& s = data.frames[f];
    if (s.grid != data.grid || s.u.size() != n || s.v.size() != n)
    {
      throw Error("Frame " + std::to_string(f) + " is not on the observations' grid.");
    }
    State c;
    c.grid = s.grid;
    c.u = completer(data.grid, s.u, valid);
    c.v = completer(data.grid, s.v, valid);
    if (c.u.size() != n || c.v.size() != n)
    {
      throw Error(
        "The completer returned a field of the wrong size for frame " + std::to_string(f) + ".");
    }
    out.frames.push_back(std::move(c));
  }
  out.valid.assign(n, 1);
  return out;
}

} // namespace gs
