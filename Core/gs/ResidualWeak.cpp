// The weak form of the residual: the equations integrated against bump test functions in
// space and time, summed by parts onto the test functions, with Gauss-Legendre quadrature.
#include "ResidualSystem.h"

#include "Kernel.h"
#include "Progress.h"
#include "Simulation.h"
#include "Spectral.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gs
{
namespace residual
{
namespace
{
/// Exponent p of the bump (1 - s^2)^p of the weak form's test functions, in time, and in
/// space on the stencil.
constexpr int BumpPower = 6;
/// In space for the continuum's derivatives: the sum over cells of a field times lap(phi) is
/// the integral up to an error that falls with the smoothness of lap(phi) ~ (1 - s^2)^(p - 2)
/// at the support's edge. On pseudo-spectral frames at a support of 16 cells: 3e-4 (p = 6),
/// 1.3e-6 (p = 12); a larger p narrows the bump and raises the noise lap(phi) passes.
constexpr int SpectralBumpPower = 12;

} // namespace

double bump(double s, int power = BumpPower)
{
  if (!(std::fabs(s) < 1.0))
  {
    return 0.0;
  }
  const double w = 1.0 - s * s;
  double r = 1.0;
  for (int i = 0; i < power; ++i)
  {
    r *= w;
  }
  return r;
}

/// d^2/ds^2 of bump(s) = (1 - s^2)^p: 2p w^(p-2) ((2p - 1) s^2 - 1), w = 1 - s^2.
double bumpCurvature(double s, int power)
{
  if (!(std::fabs(s) < 1.0))
  {
    return 0.0;
  }
  const double w = 1.0 - s * s;
  return 2.0 * power * std::pow(w, power - 2) * ((2.0 * power - 1.0) * s * s - 1.0);
}

/// Gauss-Legendre nodes and weights on [-1, 1] (Newton on the Legendre recurrence).
void gaussLegendre(int n, std::vector<double>& x, std::vector<double>& w)
{
  const double pi = 3.14159265358979323846;
  x.assign(n, 0.0);
  w.assign(n, 0.0);
  for (int i = 0; i < n; ++i)
  {
    double z = std::cos(pi * (i + 0.75) / (n + 0.5)), dp = 1.0;
    for (int it = 0; it < 100; ++it)
    {
      double p0 = 1.0, p1 = z;
      for (int k = 2; k <= n; ++k)
      {
        const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1.0);
      const double dz = p1 / dp;
      z -= dz;
      if (std::fabs(dz) < 1e-16)
      {
        break;
      }
    }
    x[i] = z;
    w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
  }
}

/// One axis of the spatial test functions: the bump and its second derivative along this axis
/// at the offsets -1 .. L of a support of L cells, whose ends -1 and L are zeros of the bump;
/// axes with one cell have the single value 1. The derivative is the solver's second
/// difference (Stencil: the sum by parts is then exact on the grid) or the bump's own
/// (Spectral: the continuum's; the periodic sum over cells of a field times it, smooth to
/// order p - 3 at the support's edge, is the integral to high order in the spacing).
struct Axis
{
  int cells = 1;              // grid cells along the axis
  std::vector<double> phi, d; // at offsets -1 .. L (or the single offset 0)
  std::vector<int> start;     // the cell of entry 0 for each test function (may be -1)
};

Axis makeAxis(int cells, double h, int size, int count, Discretisation discretisation)
{
  Axis a;
  a.cells = cells;
  if (cells == 1)
  {
    a.phi = { 1.0 };
    a.d = { 0.0 };
    a.start = { 0 };
    return a;
  }
  const int power = discretisation == Discretisation::Spectral ? SpectralBumpPower : BumpPower;
  const double centre = 0.5 * (size - 1), radius = 0.5 * (size + 1);
  std::vector<double> ext(size + 4, 0.0); // offsets -2 .. L + 1
  for (int i = -1; i <= size; ++i)
  {
    ext[i + 2] = bump((i - centre) / radius, power);
  }
  const double c = 1.0 / (h * h), curvature = 1.0 / (radius * radius * h * h);
  for (int i = -1; i <= size; ++i)
  {
    a.phi.push_back(ext[i + 2]);
    a.d.push_back(discretisation == Discretisation::Spectral
        ? curvature * bumpCurvature((i - centre) / radius, power)
        : c * (ext[i + 1] + ext[i + 3]) + (-2.0 * c) * ext[i + 2]);
  }
  for (int j = 0; j < count; ++j)
  {
    a.start.push_back(static_cast<int>((static_cast<long long>(j) * cells) / count) - 1);
  }
  return a;
}

/// Sums of one frame over one test function's region (the support and one ring around it).
struct WeakSums
{
  double count = 0, lap = 0, phi = 0, u = 0, v = 0; // observed cells, sum lap(phi), phi, u, v
  double uLap = 0, vLap = 0, phiU = 0, phiV = 0, phiUvv = 0; // phiUvv: phi (u v^2 - noise u)
  // Magnitudes for the zero-column test: (|u| + |v|) |lap(phi)|, phi |u|, phi (|u| + |v|).
  double magLap = 0, magPhiU = 0, magPhiUV = 0;
};

/// The test functions in time for frames at `t`: windows of `width` intervals. For the
/// data linear in time between frames, sum over frames alpha_m x_m = integral of psi x_t
/// (summation by parts: x is never differenced) and beta_m weighs frame m's right-hand side
/// as the integral of psi times its hat function (trapezoidal in time).
struct TimeWeights
{
  std::vector<std::vector<double>> alpha, beta;
};

TimeWeights timeWeights(const std::vector<double>& t, std::size_t width)
{
  TimeWeights w;
  const std::size_t N = t.size();
  if (N == 1)
  {
    w.alpha = { { 0.0 } };
    w.beta = { { 1.0 } };
    return w;
  }
  std::vector<double> gx, gw;
  gaussLegendre(BumpPower + 2, gx, gw); // exact: psi is a polynomial of degree 2p in t
  for (std::size_t a = 0; a + width < N; ++a)
  {
    const std::size_t b = a + width;
    const double mid = 0.5 * (t[a] + t[b]), half = 0.5 * (t[b] - t[a]);
    std::vector<double> alpha(N, 0.0), beta(N, 0.0), mean(N, 0.0);
    for (std::size_t m = a; m < b; ++m)
    {
      const double dt = t[m + 1] - t[m];
      double integral = 0.0;
      for (std::size_t q = 0; q < gx.size(); ++q)
      {
        const double s = 0.5 * (gx[q] + 1.0); // position in the interval, 0 .. 1
        const double tq = t[m] + s * dt;
        const double psi = bump((tq - mid) / half) * gw[q] * 0.5 * dt;
        integral += psi;
        beta[m] += psi * (1.0 - s);
        beta[m + 1] += psi * s;
      }
      mean[m] = integral / dt;
    }
    // integral psi x_t = sum_m (x_{m+1} - x_m) mean_m = sum_m x_m (mean_{m-1} - mean_m)
    for (std::size_t m = 0; m < N; ++m)
    {
      alpha[m] = (m > 0 ? mean[m - 1] : 0.0) - mean[m];
    }
    w.alpha.push_back(alpha);
    w.beta.push_back(beta);
  }
  return w;
}

/// Default support of the spatial test functions, in cells: the dominant wavelength of v in
/// the last frame, so that a test function spans about one spot or stripe (smaller ones see
/// more noise through lap(phi), larger ones average the pattern away). The peak over shells
/// of |k|^2 times the power spectrum (the gradient's spectrum), so the envelope of a pattern
/// that fills only part of the grid does not count, after the flat floor of noise and of a
/// random mask is taken off; wavelengths of 5 cells and more. Unobserved cells take the
/// observed mean, and the support is 1.5 wavelengths. Uniform data: a sixth of the grid.
int defaultSupport(const Observations& data)
{
  const Grid& g = data.grid;
  const int n[3] = { g.nx, g.ny, g.nz };
  int nmin = 0;
  for (int a = 0; a < 3; ++a)
  {
    if (n[a] > 1 && (nmin == 0 || n[a] < nmin))
    {
      nmin = n[a];
    }
  }
  const int largest = nmin - 2;
  const std::vector<double>& v = data.frames.back().v;
  const std::size_t cells = g.cells();
  double mean = 0.0, count = 0.0;
  for (std::size_t i = 0; i < cells; ++i)
  {
    if (data.valid.empty() || data.valid[i])
    {
      mean += v[i];
      count += 1.0;
    }
  }
  mean /= count;
  ComplexField X(cells);
  for (std::size_t i = 0; i < cells; ++i)
  {
    X[i] = (data.valid.empty() || data.valid[i]) ? v[i] - mean : 0.0;
  }
  fftForward(Shape{ g.nx, g.ny, g.nz }, X);
  // |frequency| of each mode in cycles per nmin cells.
  std::vector<double> radius2(cells);
  std::size_t i = 0;
  for (int z = 0; z < g.nz; ++z)
    for (int y = 0; y < g.ny; ++y)
      for (int x = 0; x < g.nx; ++x, ++i)
      {
        const int idx[3] = { x, y, z };
        double r2 = 0.0;
        for (int a = 0; a < 3; ++a)
        {
          const double f = (idx[a] <= n[a] / 2 ? idx[a] : idx[a] - n[a]) * double(nmin) / n[a];
          r2 += f * f;
        }
        radius2[i] = r2;
      }
  // Noise and a random mask of unobserved cells add a flat floor, which the |k|^2 weight
  // would turn into a peak at high frequencies: the mean power of the modes with wavelengths
  // below 4 cells, where patterns have next to none, is taken off every mode, and only
  // wavelengths of 5 cells or more (the smallest support) are candidates.
  double floor = 0.0, high = 0.0;
  for (std::size_t j = 0; j < cells; ++j)
  {
    if (radius2[j] > nmin * nmin / 16.0)
    {
      floor += std::norm(X[j]);
      high += 1.0;
    }
  }
  floor = high > 0.0 ? floor / high : 0.0;
  std::vector<double> shell(static_cast<std::size_t>(nmin / 5) + 1, 0.0);
  for (std::size_t j = 0; j < cells; ++j)
  {
    const std::size_t b = static_cast<std::size_t>(std::floor(std::sqrt(radius2[j]) + 0.5));
    if (b < shell.size())
    {
      shell[b] += radius2[j] * (std::norm(X[j]) - floor);
    }
  }
  std::size_t peak = 0;
  for (std::size_t b = 1; b < shell.size(); ++b)
  {
    if (shell[b] > (peak ? shell[peak] : 0.0))
    {
      peak = b;
    }
  }
  const double wavelength = peak ? double(nmin) / peak : nmin / 6.0;
  // With unobserved cells each sum is estimated from fewer cells; a wider support halves
  // the sampling error's bias on the Laplacian columns (on the paper's series, 25% observed:
  // 7% at 1.5 wavelengths against 24% at one).
  const bool masked =
    std::any_of(data.valid.begin(), data.valid.end(), [](unsigned char c) { return c == 0; });
  const double size = masked ? 1.5 * wavelength : wavelength;
  return std::max(std::min(5, largest), std::min(largest, static_cast<int>(std::lround(size))));
}

struct WeakLayout
{
  Axis axis[3];
  std::size_t functions = 0;
};

WeakLayout weakLayout(const Observations& data, const ResidualSettings& S)
{
  const Grid& g = data.grid;
  WeakLayout w;
  const int size = S.testFunctionSize > 0 ? S.testFunctionSize : defaultSupport(data);
  const int n[3] = { g.nx, g.ny, g.nz };
  const double h[3] = { g.hx, g.hy, g.hz };
  for (int a = 0; a < 3; ++a)
  {
    if (n[a] > 1 && (size < 3 || size + 2 > n[a]))
    {
      std::ostringstream msg;
      msg << "The test function size must be at least 3 cells and leave room for its ring of "
             "neighbours: "
          << size << " + 2 cells do not fit the grid's " << n[a] << " cells along "
          << "xyz"[a] << ".";
      throw Error(msg.str());
    }
  }
  w.functions = 1;
  for (int a = 0; a < 3; ++a)
  {
    int count = 1;
    if (n[a] > 1)
    {
      // Centres half a support apart: neighbouring test functions overlap by half.
      count = S.testFunctionsPerAxis > 0 ? S.testFunctionsPerAxis
                                         : std::max(1, (2 * n[a] + size - 1) / size);
      if (count > n[a])
      {
        std::ostringstream msg;
        msg << "At most one test function per cell: " << count << " per axis is more than the "
            << n[a] << " cells along "
            << "xyz"[a] << ".";
        throw Error(msg.str());
      }
    }
    w.axis[a] = makeAxis(n[a], h[a], size, count, S.discretisation);
    w.functions *= w.axis[a].start.size();
  }
  return w;
}

/// Calls visit(cell, phi, lap(phi)) for every cell of test function fn's region (its
/// support and one ring around it), x fastest.
template <typename Visit>
void visitRegion(const Grid& g, const WeakLayout& w, std::size_t fn, Visit&& visit)
{
  const Axis &ax = w.axis[0], &ay = w.axis[1], &az = w.axis[2];
  const std::size_t jx = fn % ax.start.size(), jy = (fn / ax.start.size()) % ay.start.size(),
                    jz = fn / (ax.start.size() * ay.start.size());
  for (std::size_t k = 0; k < az.phi.size(); ++k)
  {
    const std::size_t z =
      static_cast<std::size_t>((az.start[jz] + static_cast<int>(k) + az.cells) % az.cells);
    for (std::size_t j = 0; j < ay.phi.size(); ++j)
    {
      const std::size_t y =
        static_cast<std::size_t>((ay.start[jy] + static_cast<int>(j) + ay.cells) % ay.cells);
      const double pyz = ay.phi[j] * az.phi[k];
      const double dyz = ay.d[j] * az.phi[k] + ay.phi[j] * az.d[k];
      const std::size_t row = g.nx * (y + static_cast<std::size_t>(g.ny) * z);
      for (std::size_t i = 0; i < ax.phi.size(); ++i)
      {
        const std::size_t c = row +
          static_cast<std::size_t>((ax.start[jx] + static_cast<int>(i) + ax.cells) % ax.cells);
        visit(c, ax.phi[i] * pyz, ax.d[i] * pyz + ax.phi[i] * dyz);
      }
    }
  }
}

TestFunctions testFunctions(const Observations& data, const ResidualSettings& S)
{
  const WeakLayout w = weakLayout(data, S);
  TestFunctions out(w.functions);
  for (std::size_t fn = 0; fn < w.functions; ++fn)
  {
    visitRegion(data.grid, w, fn, [&](std::size_t c, double phi, double) {
      if (phi != 0.0)
      {
        out[fn].push_back({ c, phi });
      }
    });
  }
  return out;
}

WeakSums weakSums(const Grid& g, const WeakLayout& w, std::size_t fn, const State& s,
  const std::vector<unsigned char>& valid, double noise)
{
  WeakSums r;
  visitRegion(g, w, fn, [&](std::size_t c, double phi, double lap) {
    if (!valid.empty() && !valid[c])
    {
      return;
    }
    const double u = s.u[c], v = s.v[c];
    r.count += 1.0;
    r.lap += lap;
    r.phi += phi;
    r.u += u;
    r.v += v;
    r.uLap += u * lap;
    r.vLap += v * lap;
    r.phiU += phi * u;
    r.phiV += phi * v;
    r.phiUvv += phi * (u * v * v - noise * u);
    const double a = std::fabs(u) + std::fabs(v);
    r.magLap += a * std::fabs(lap);
    r.magPhiU += phi * std::fabs(u);
    r.magPhiUV += phi * a;
  });
  return r;
}

/// Estimates of the full sums from the observed cells of a region of `cells` cells whose
/// test function sums to `phiTotal`: phi-weighted sums by the ratio to the observed phi
/// mass, lap(phi)-weighted ones with lap(phi) centred on the observed cells (its full sum
/// is 0), so constants give exactly what the full sums give.
void estimateFull(WeakSums& r, double cells, double phiTotal)
{
  if (r.count == 0.0 || r.phi == 0.0)
  {
    r.count = 0.0; // only the ring observed: nothing to weigh the phi terms with
    return;
  }
  const double ratio = phiTotal / r.phi, scale = cells / r.count, c = r.lap / r.count;
  r.uLap = scale * (r.uLap - c * r.u);
  r.vLap = scale * (r.vLap - c * r.v);
  r.magLap *= scale;
  r.phi = phiTotal;
  r.phiU *= ratio;
  r.phiV *= ratio;
  r.phiUvv *= ratio;
  r.magPhiU *= ratio;
  r.magPhiUV *= ratio;
}

/// Windows of half the series, sliding by one frame: several test functions in time, each
/// long enough to average over many frames.
std::size_t timeWidth(std::size_t frames)
{
  return frames / 2;
}

System assembleWeak(const Observations& data, const ResidualSettings& S, Progress* progress)
{
  const Grid& g = data.grid;
  const WeakLayout w = weakLayout(data, S);
  const std::size_t N = data.frames.size(), J = w.functions;
  const bool masked = !data.valid.empty() &&
    std::any_of(data.valid.begin(), data.valid.end(), [](unsigned char c) { return c == 0; });
  const std::vector<unsigned char> none;
  const std::vector<unsigned char>& valid = masked ? data.valid : none;

  double regionCells = 1.0, phiTotal = 1.0;
  for (const Axis& a : w.axis)
  {
    regionCells *= static_cast<double>(a.phi.size());
    double s = 0.0;
    for (double p : a.phi)
    {
      s += p;
    }
    phiTotal *= s;
  }

  std::vector<WeakSums> sums(J * N);
  System sys;
  for (std::size_t f = 0; f < N; ++f)
  {
    tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, J, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t fn = r.begin(); fn < r.end(); ++fn)
        {
          WeakSums s = weakSums(g, w, fn, data.frames[f], valid, S.noiseVariance);
          if (masked)
          {
            estimateFull(s, regionCells, phiTotal);
          }
          sums[fn * N + f] = s;
        }
      });
    if (progress)
    {
      progress->add(1.0);
      if (progress->aborted())
      {
        sys.aborted = true;
        return sys;
      }
    }
  }

  const std::vector<double> times = N >= 2 ? data.times : std::vector<double>{ 0.0 };
  const TimeWeights tw = timeWeights(times, timeWidth(N));
  const std::size_t Q = tw.alpha.size();
  Rows rows(static_cast<Eigen::Index>(2 * J * Q), Cols);
  Eigen::Index m = 0;
  std::array<double, 4> m2 = {};
  for (std::size_t fn = 0; fn < J; ++fn)
  {
    if (sums[fn * N].count == 0.0)
    {
      continue; // no observed cell under this test function
    }
    for (std::size_t q = 0; q < Q; ++q)
    {
      double ru[Cols] = {}, rv[Cols] = {}, mu[4] = {}, mv[4] = {};
      for (std::size_t f = 0; f < N; ++f)
      {
        const WeakSums& s = sums[fn * N + f];
        const double a = tw.alpha[q][f], b = tw.beta[q][f], ab = std::fabs(b);
        ru[0] += b * s.uLap;
        ru[2] += b * (s.phi - s.phiU);
        ru[4] += a * s.phiU + b * s.phiUvv;
        rv[1] += b * s.vLap;
        rv[2] -= b * s.phiV;
        rv[3] -= b * s.phiV;
        rv[4] += a * s.phiV - b * s.phiUvv;
        mu[0] += ab * s.magLap;
        mu[2] += ab * (s.phi + s.magPhiU);
        mv[1] += ab * s.magLap;
        mv[2] += ab * s.magPhiUV;
        mv[3] += ab * s.magPhiUV;
      }
      for (int k = 0; k < Cols; ++k)
      {
        rows(m, k) = ru[k];
        rows(m + 1, k) = rv[k];
      }
      for (int j = 0; j < 4; ++j)
      {
        m2[j] += mu[j] * mu[j] + mv[j] * mv[j];
      }
      m += 2;
    }
  }
  sys.R = triangular(rows, m);
  sys.equations = static_cast<std::size_t>(m);
  for (int j = 0; j < 4; ++j)
  {
    sys.magnitude[j] = std::sqrt(m2[j]);
  }
  return sys;
}
} // namespace residual
} // namespace gs
