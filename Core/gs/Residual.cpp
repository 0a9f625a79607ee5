#include "Residual.h"
#include "Names.h"

#include "Kernel.h"
#include "Progress.h"
#include "Simulation.h"
#include "Spectral.h"

#include <Eigen/Dense>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace gs
{

const char* toString(ResidualMethod method)
{
  return residualMethodNames()[static_cast<std::size_t>(method)];
}

const char* toString(TimeDifference difference)
{
  return timeDifferenceNames()[static_cast<std::size_t>(difference)];
}

namespace
{

const double NaN = std::numeric_limits<double>::quiet_NaN();

/// Columns of the least-squares system: Du, Dv, F, k and the right-hand side.
constexpr int Cols = 5;
using Factor = Eigen::Matrix<double, Cols, Cols>;
using Rows = Eigen::Matrix<double, Eigen::Dynamic, Cols>;

/// Cells per block of strong-form equations: a fixed split of the grid, so the blocks (and
/// with them every rounding) do not depend on the thread count.
constexpr std::size_t BlockCells = 1024;

/// Exponent p of the bump (1 - s^2)^p of the weak form's test functions, in space and time.
constexpr int BumpPower = 6;

/// A parameter whose weight in a direction the data do not determine exceeds this is not
/// determined either (structural dependences give weights of order 1 or of round-off).
constexpr double InvolvedWeight = 1e-6;

/// The least-squares system over all four parameters, kept as the triangular factor R of
/// [A y] (R' R = [A y]' [A y]): any subset of columns, the quadratic form and the residual
/// norm follow from it without the squared condition number of the normal equations.
struct System
{
  Factor R = Factor::Zero();
  /// Norm of each column's terms taken in absolute value: a column whose norm is below the
  /// tolerance times this has cancelled to round-off (uniform fields).
  std::array<double, 4> magnitude = {};
  std::size_t equations = 0;
  bool aborted = false;
};

/// The triangular factor of the first `count` rows of `rows` (zero rows when count < 5).
Factor triangular(const Rows& rows, Eigen::Index count)
{
  Factor R = Factor::Zero();
  if (count == 0)
  {
    return R;
  }
  const Rows top = rows.topRows(count);
  const Eigen::HouseholderQR<Rows> qr(top);
  const Eigen::Index k = std::min<Eigen::Index>(count, Cols);
  R.topRows(k) = qr.matrixQR().topRows(k).triangularView<Eigen::Upper>();
  return R;
}

/// The factor of the stacked factors, in their order.
Factor combine(const std::vector<Factor>& parts)
{
  Rows stacked(static_cast<Eigen::Index>(parts.size()) * Cols, Cols);
  for (std::size_t i = 0; i < parts.size(); ++i)
  {
    stacked.middleRows(static_cast<Eigen::Index>(i) * Cols, Cols) = parts[i];
  }
  return triangular(stacked, stacked.rows());
}

std::string nameList(const std::vector<int>& which)
{
  std::string s;
  for (std::size_t i = 0; i < which.size(); ++i)
  {
    if (i > 0)
    {
      s += i + 1 == which.size() ? " and " : ", ";
    }
    s += parameterName(static_cast<std::size_t>(which[i]));
  }
  return s;
}

std::string notDetermined(const std::vector<int>& which)
{
  return nameList(which) + (which.size() == 1 ? " is" : " are") + " not determined";
}

std::string cellName(const Grid& g, std::size_t i)
{
  std::ostringstream s;
  s << "cell " << i << " (x " << i % g.nx << ", y " << (i / g.nx) % g.ny;
  if (g.nz > 1)
  {
    s << ", z " << i / (static_cast<std::size_t>(g.nx) * g.ny);
  }
  s << ")";
  return s.str();
}

// ---- input checks ---------------------------------------------------------------------------

/// Checks the data and settings; `forFit` also asks for something to fit.
void check(const Observations& data, const ResidualSettings& S, bool forFit)
{
  const std::size_t N = data.frames.size();
  if (N == 0)
  {
    throw Error("No frames to fit: the observations hold no fields.");
  }
  data.grid.validate();
  const std::size_t n = data.grid.cells();
  for (std::size_t f = 0; f < N; ++f)
  {
    const State& s = data.frames[f];
    if (s.grid != data.grid)
    {
      std::ostringstream msg;
      msg << "Frame " << f << " is on a " << s.grid.nx << " x " << s.grid.ny << " x " << s.grid.nz
          << " grid (spacing " << s.grid.hx << ", " << s.grid.hy << ", " << s.grid.hz
          << "), the observations on " << data.grid.nx << " x " << data.grid.ny << " x "
          << data.grid.nz << " (spacing " << data.grid.hx << ", " << data.grid.hy << ", "
          << data.grid.hz << "): every frame must be on the observations' grid.";
      throw Error(msg.str());
    }
    if (s.u.size() != n || s.v.size() != n)
    {
      std::ostringstream msg;
      msg << "Frame " << f << " has " << s.u.size() << " values of u and " << s.v.size()
          << " of v; the grid has " << n << " cells.";
      throw Error(msg.str());
    }
  }
  if (!data.valid.empty() && data.valid.size() != n)
  {
    std::ostringstream msg;
    msg << "The observed-cell mask has " << data.valid.size() << " flags; the grid has " << n
        << " cells (or leave it empty: every cell observed).";
    throw Error(msg.str());
  }

  const bool series = S.method == ResidualMethod::TimeSeries;
  const bool central = series && S.difference == TimeDifference::Central;
  if (series && N < (central ? 3u : 2u))
  {
    std::ostringstream msg;
    msg << "Too few frames: a time series with the " << toString(S.difference)
        << " difference needs at least " << (central ? 3 : 2) << " frames (got " << N << ").";
    throw Error(msg.str());
  }
  const bool needTimes = series || (S.method == ResidualMethod::WeakForm && N >= 2);
  if (needTimes)
  {
    if (data.times.size() != N)
    {
      std::ostringstream msg;
      msg << "The observations have " << N << " frames but " << data.times.size()
          << " times: give one time per frame.";
      throw Error(msg.str());
    }
    for (std::size_t f = 0; f < N; ++f)
    {
      if (!std::isfinite(data.times[f]))
      {
        throw Error("The time of frame " + std::to_string(f) + " is not finite.");
      }
      if (f > 0 && !(data.times[f] > data.times[f - 1]))
      {
        std::ostringstream msg;
        msg.precision(17);
        msg << "Frame times must increase strictly: frame " << f << " is at " << data.times[f]
            << ", frame " << f - 1 << " at " << data.times[f - 1] << ".";
        throw Error(msg.str());
      }
    }
  }

  if (!(S.identifiabilityTolerance >= 0.0 && S.identifiabilityTolerance < 1.0))
  {
    std::ostringstream msg;
    msg << "The identifiability tolerance must be in [0, 1) (got " << S.identifiabilityTolerance
        << ").";
    throw Error(msg.str());
  }
  if (S.testFunctionSize < 0 || S.testFunctionsPerAxis < 0)
  {
    std::ostringstream msg;
    msg << "The test function size and count must be non-negative (0: automatic; got "
        << S.testFunctionSize << " and " << S.testFunctionsPerAxis << ").";
    throw Error(msg.str());
  }
  if (!(std::isfinite(S.noiseVariance) && S.noiseVariance >= 0.0))
  {
    std::ostringstream msg;
    msg << "The noise variance must be finite and non-negative (got " << S.noiseVariance << ").";
    throw Error(msg.str());
  }
  const double fixed[4] = { S.fixed.Du, S.fixed.Dv, S.fixed.F, S.fixed.k };
  bool any = false;
  for (int j = 0; j < 4; ++j)
  {
    any |= S.fit[j];
    if (forFit && !S.fit[j] && !std::isfinite(fixed[j]))
    {
      throw Error(std::string("The fixed value of ") + parameterName(static_cast<std::size_t>(j)) +
        " is not finite.");
    }
  }
  if (forFit && !any)
  {
    throw Error("Nothing to fit: the settings mark none of Du, Dv, F, k to estimate.");
  }

  // Every frame enters some method's equations, so every observed value must be a number.
  for (std::size_t f = 0; f < N; ++f)
  {
    const State& s = data.frames[f];
    for (std::size_t i = 0; i < n; ++i)
    {
      if ((data.valid.empty() || data.valid[i]) &&
        !(std::isfinite(s.u[i]) && std::isfinite(s.v[i])))
      {
        throw Error("Frame " + std::to_string(f) + " has a non-finite u or v at observed " +
          cellName(data.grid, i) + ": mark it unobserved or repair it.");
      }
    }
  }
}

void checkEquations(std::size_t equations, const ResidualSettings& S)
{
  const std::size_t p = static_cast<std::size_t>(std::count(S.fit.begin(), S.fit.end(), true));
  if (equations < p + 1)
  {
    std::ostringstream msg;
    msg << "Too few observed equations: " << equations << " for " << p << " parameters (at least "
        << p + 1 << " are needed). ";
    if (S.method == ResidualMethod::WeakForm)
    {
      msg << "Test functions without observed cells give none.";
    }
    else
    {
      msg << "A cell gives equations only when it and its stencil neighbours are observed.";
    }
    throw Error(msg.str());
  }
}

// ---- strong form ----------------------------------------------------------------------------

/// Neighbour offsets of the solver's stencil for cell i (itself for axes with one cell).
struct Neighbours
{
  std::size_t c[7];
};

Neighbours neighbours(const Grid& g, std::size_t i)
{
  const std::size_t nx = g.nx, ny = g.ny, nz = g.nz;
  const std::size_t x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
  auto at = [&](
              std::size_t xx, std::size_t yy, std::size_t zz) { return xx + nx * (yy + ny * zz); };
  return { { i, at((x + nx - 1) % nx, y, z), at((x + 1) % nx, y, z), at(x, (y + ny - 1) % ny, z),
    at(x, (y + 1) % ny, z), at(x, y, (z + nz - 1) % nz), at(x, y, (z + 1) % nz) } };
}

/// Cells whose strong-form equations can be written: observed, with every stencil neighbour
/// observed. Empty when every cell is observed.
std::vector<unsigned char> usableCells(const Grid& g, const std::vector<unsigned char>& valid)
{
  if (valid.empty() ||
    std::all_of(valid.begin(), valid.end(), [](unsigned char c) { return c != 0; }))
  {
    return {};
  }
  std::vector<unsigned char> usable(g.cells());
  for (std::size_t i = 0; i < g.cells(); ++i)
  {
    const Neighbours nb = neighbours(g, i);
    bool ok = true;
    for (std::size_t c : nb.c)
    {
      ok = ok && valid[c] != 0;
    }
    usable[i] = ok;
  }
  return usable;
}

/// The frames the strong form writes equations at, and how it differences time there.
struct StrongFrames
{
  std::size_t first = 0, last = 0; // equations at frames [first, last)
  int back = 0, ahead = 0;         // frames the time difference reaches
};

StrongFrames strongFrames(const Observations& data, const ResidualSettings& S)
{
  const std::size_t N = data.frames.size();
  if (S.method == ResidualMethod::Steady)
  {
    return { 0, N, 0, 0 };
  }
  if (S.difference == TimeDifference::Central && S.method == ResidualMethod::TimeSeries)
  {
    return { 1, N - 1, 1, 1 };
  }
  return { 0, N - 1, 0, 1 };
}

/// The strong-form equations of one frame: rows() gives cell i's two rows (u, then v) of
/// [A y], magnitudes() adds the squares of their terms' magnitudes for the zero-column test.
struct StrongCell
{
  const double *u, *v, *lu, *lv, *ua, *va, *ub, *vb; // frame f, its Laplacians, ahead, back
  double rate;     // 1 / (time span of the difference); 0 for steady
  double lapScale; // sum of the stencil's absolute weights
  double noise;    // the variance of v's noise: u v^2 of the data is biased by u noise

  void rows(std::size_t i, double* ru, double* rv) const
  {
    const double uu = u[i], vv = v[i];
    const double ut = rate == 0.0 ? 0.0 : (ua[i] - ub[i]) * rate;
    const double vt = rate == 0.0 ? 0.0 : (va[i] - vb[i]) * rate;
    const double uvv = uu * vv * vv - noise * uu;
    ru[0] = lu[i];
    ru[1] = 0.0;
    ru[2] = 1.0 - uu;
    ru[3] = 0.0;
    ru[4] = ut + uvv;
    rv[0] = 0.0;
    rv[1] = lv[i];
    rv[2] = -vv;
    rv[3] = -vv;
    rv[4] = vt - uvv;
  }
  void magnitudes(std::size_t i, double* m) const
  {
    // Every field value counted at the fields' magnitude |u| + |v|: a column that vanished
    // beside the data (v decayed to 1e-40 next to u = 1) is as empty as a cancelled one.
    const double au = std::fabs(u[i]), a = au + std::fabs(v[i]);
    m[0] += lapScale * lapScale * a * a;
    m[1] += lapScale * lapScale * a * a;
    m[2] += (1.0 + au) * (1.0 + au) + a * a;
    m[3] += a * a;
  }
};

StrongCell strongCell(const Observations& data, const StrongFrames& sf, std::size_t f,
  const std::vector<double>& lu, const std::vector<double>& lv, const ResidualSettings& S)
{
  const State& s = data.frames[f];
  const State& a = data.frames[f + sf.ahead];
  const State& b = data.frames[f - sf.back];
  const kernel::Stencil st = kernel::makeStencil(data.grid);
  StrongCell c{ s.u.data(), s.v.data(), lu.data(), lv.data(), a.u.data(), a.v.data(), b.u.data(),
    b.v.data(), 0.0,
    2.0 * (std::fabs(st.cx) + std::fabs(st.cy) + std::fabs(st.cz)) + std::fabs(st.cc),
    S.noiseVariance };
  if (S.method != ResidualMethod::Steady)
  {
    c.rate = 1.0 / (data.times[f + sf.ahead] - data.times[f - sf.back]);
  }
  return c;
}

System assembleStrong(const Observations& data, const ResidualSettings& S, Progress* progress)
{
  const Grid& g = data.grid;
  const std::size_t n = g.cells();
  const StrongFrames sf = strongFrames(data, S);
  const std::vector<unsigned char> usable = usableCells(g, data.valid);
  const std::size_t blocks = (n + BlockCells - 1) / BlockCells;
  const std::size_t frames = sf.last - sf.first;
  std::vector<Factor> parts(frames * blocks);
  std::vector<std::array<double, 4>> mags(frames * blocks);
  std::vector<std::size_t> counts(frames * blocks);
  std::vector<double> lu(n), lv(n);
  System sys;
  for (std::size_t f = sf.first; f < sf.last; ++f)
  {
    laplacian(g, data.frames[f].u.data(), lu.data());
    laplacian(g, data.frames[f].v.data(), lv.data());
    const StrongCell cell = strongCell(data, sf, f, lu, lv, S);
    const std::size_t slot0 = (f - sf.first) * blocks;
    tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        Rows rows(2 * BlockCells, Cols);
        double ru[Cols], rv[Cols];
        for (std::size_t b = r.begin(); b < r.end(); ++b)
        {
          const std::size_t c0 = b * BlockCells, c1 = std::min(n, c0 + BlockCells);
          Eigen::Index m = 0;
          std::array<double, 4> mag = {};
          for (std::size_t i = c0; i < c1; ++i)
          {
            if (!usable.empty() && !usable[i])
            {
              continue;
            }
            cell.rows(i, ru, rv);
            cell.magnitudes(i, mag.data());
            for (int k = 0; k < Cols; ++k)
            {
              rows(m, k) = ru[k];
              rows(m + 1, k) = rv[k];
            }
            m += 2;
          }
          parts[slot0 + b] = triangular(rows, m);
          mags[slot0 + b] = mag;
          counts[slot0 + b] = static_cast<std::size_t>(m);
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
  if (progress)
  {
    progress->add(static_cast<double>(data.frames.size() - frames));
  }
  sys.R = combine(parts);
  std::array<double, 4> m2 = {};
  for (std::size_t i = 0; i < parts.size(); ++i)
  {
    for (int j = 0; j < 4; ++j)
    {
      m2[j] += mags[i][j];
    }
    sys.equations += counts[i];
  }
  for (int j = 0; j < 4; ++j)
  {
    sys.magnitude[j] = std::sqrt(m2[j]);
  }
  return sys;
}

// ---- weak form ------------------------------------------------------------------------------

double bump(double s)
{
  if (!(std::fabs(s) < 1.0))
  {
    return 0.0;
  }
  const double w = 1.0 - s * s;
  double r = 1.0;
  for (int i = 0; i < BumpPower; ++i)
  {
    r *= w;
  }
  return r;
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

/// One axis of the spatial test functions: the bump and its second difference (the solver's
/// stencil along this axis) at the offsets -1 .. L of a support of L cells, whose ends -1
/// and L are zeros of the bump; axes with one cell have the single value 1.
struct Axis
{
  int cells = 1;              // grid cells along the axis
  std::vector<double> phi, d; // at offsets -1 .. L (or the single offset 0)
  std::vector<int> start;     // the cell of entry 0 for each test function (may be -1)
};

Axis makeAxis(int cells, double h, int size, int count)
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
  const double centre = 0.5 * (size - 1), radius = 0.5 * (size + 1);
  std::vector<double> ext(size + 4, 0.0); // offsets -2 .. L + 1
  for (int i = -1; i <= size; ++i)
  {
    ext[i + 2] = bump((i - centre) / radius);
  }
  const double c = 1.0 / (h * h);
  for (int i = -1; i <= size; ++i)
  {
    a.phi.push_back(ext[i + 2]);
    a.d.push_back(c * (ext[i + 1] + ext[i + 3]) + (-2.0 * c) * ext[i + 2]);
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
    w.axis[a] = makeAxis(n[a], h[a], size, count);
    w.functions *= w.axis[a].start.size();
  }
  return w;
}

WeakSums weakSums(const Grid& g, const WeakLayout& w, std::size_t fn, const State& s,
  const std::vector<unsigned char>& valid, double noise)
{
  const Axis &ax = w.axis[0], &ay = w.axis[1], &az = w.axis[2];
  const std::size_t jx = fn % ax.start.size(), jy = (fn / ax.start.size()) % ay.start.size(),
                    jz = fn / (ax.start.size() * ay.start.size());
  WeakSums r;
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
        if (!valid.empty() && !valid[c])
        {
          continue;
        }
        const double phi = ax.phi[i] * pyz;
        const double lap = ax.d[i] * pyz + ax.phi[i] * dyz;
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
      }
    }
  }
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

System assemble(const Observations& data, const ResidualSettings& S, Progress* progress)
{
  check(data, S, true);
  System sys = S.method == ResidualMethod::WeakForm ? assembleWeak(data, S, progress)
                                                    : assembleStrong(data, S, progress);
  if (!sys.aborted)
  {
    checkEquations(sys.equations, S);
  }
  return sys;
}

// ---- the solution ---------------------------------------------------------------------------

std::string formatNumber(double x, const char* format)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

/// "0.71 F - 0.71 k": a direction of parameter space, largest component positive.
std::string combination(const std::vector<int>& params, const Eigen::VectorXd& w)
{
  Eigen::Index big = 0;
  w.cwiseAbs().maxCoeff(&big);
  const double sign = w(big) < 0.0 ? -1.0 : 1.0;
  std::string s;
  for (Eigen::Index a = 0; a < w.size(); ++a)
  {
    const double c = sign * w(a);
    if (std::fabs(c) < 0.005)
    {
      continue;
    }
    if (s.empty())
    {
      s += c < 0.0 ? "-" : "";
    }
    else
    {
      s += c < 0.0 ? " - " : " + ";
    }
    if (std::fabs(std::fabs(c) - 1.0) >= 0.005)
    {
      s += formatNumber(std::fabs(c), "%.2f") + " ";
    }
    s += parameterName(static_cast<std::size_t>(params[a]));
  }
  return s;
}

std::string zeroColumnReason(const std::vector<int>& zero)
{
  auto has = [&](int j) { return std::find(zero.begin(), zero.end(), j) != zero.end(); };
  if (has(2) && has(3))
  {
    return notDetermined(zero) +
      ": the data are the trivial state (u, v) = (1, 0) to round-off, where every term of the "
      "residual vanishes.";
  }
  std::string out;
  std::vector<int> lap, rest;
  for (int j : zero)
  {
    (j < 2 ? lap : rest).push_back(j);
  }
  if (lap.size() == 2)
  {
    out += notDetermined(lap) + ": the fields are uniform, so lap(u) = lap(v) = 0.";
  }
  else if (!lap.empty())
  {
    out += notDetermined(lap) +
      (lap[0] == 0 ? ": u is uniform, so lap(u) = 0." : ": v is uniform, so lap(v) = 0.");
  }
  for (int j : rest)
  {
    out += out.empty() ? "" : " ";
    out += notDetermined({ j }) +
      (j == 3 ? ": v = 0 wherever the residual is evaluated."
              : ": u = 1 and v = 0 wherever the residual is evaluated.");
  }
  return out;
}

ResidualFit solve(const System& sys, const ResidualSettings& S)
{
  ResidualFit fit;
  fit.fitted = S.fit;
  fit.equations = sys.equations;
  fit.standardError = { NaN, NaN, NaN, NaN };
  const std::array<double, 4> fixed = S.fixed.asArray();
  std::array<double, 4> est = fixed;
  for (int j = 0; j < 4; ++j)
  {
    if (S.fit[j])
    {
      est[j] = NaN;
    }
  }
  auto finish = [&]() {
    fit.estimate = { est[0], est[1], est[2], est[3] };
    return fit;
  };
  if (sys.aborted)
  {
    fit.residualNorm = NaN;
    fit.conditionNumber = NaN;
    fit.verdict = "Aborted: nothing was estimated.";
    return finish();
  }

  // The fixed columns move to the right-hand side.
  Eigen::Matrix<double, Cols, 1> g = sys.R.col(4);
  for (int j = 0; j < 4; ++j)
  {
    if (!S.fit[j])
    {
      g -= sys.R.col(j) * fixed[j];
    }
  }
  const double tol = S.identifiabilityTolerance;
  std::vector<int> live, zero;
  std::array<double, 4> norm = {};
  for (int j = 0; j < 4; ++j)
  {
    if (!S.fit[j])
    {
      continue;
    }
    norm[j] = sys.R.col(j).norm();
    (norm[j] > tol * sys.magnitude[j] && norm[j] > 0.0 ? live : zero).push_back(j);
  }

  // Unit-norm columns: the singular values compare directions, not units.
  const Eigen::Index q = static_cast<Eigen::Index>(live.size());
  Eigen::MatrixXd B(Cols, q);
  for (Eigen::Index a = 0; a < q; ++a)
  {
    B.col(a) = sys.R.col(live[a]) / norm[live[a]];
  }
  Eigen::VectorXd s = Eigen::VectorXd::Zero(q);
  Eigen::MatrixXd U, V;
  if (q > 0)
  {
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(B, Eigen::ComputeThinU | Eigen::ComputeThinV);
    s = svd.singularValues();
    U = svd.matrixU();
    V = svd.matrixV();
  }
  Eigen::Index rank = 0;
  while (rank < q && s(rank) > 0.0 && s(rank) >= tol * s(0))
  {
    ++rank;
  }
  Eigen::VectorXd x = Eigen::VectorXd::Zero(q);
  for (Eigen::Index i = 0; i < rank; ++i)
  {
    x += V.col(i) * (U.col(i).dot(g) / s(i));
  }
  const double rss = (g - B * x).squaredNorm();
  const double m = static_cast<double>(sys.equations);
  fit.residualNorm = std::sqrt(rss / m);
  const double sigma2 = rss / (m - static_cast<double>(rank));

  std::vector<int> determined, undetermined;
  for (Eigen::Index a = 0; a < q; ++a)
  {
    const int j = live[a];
    const double weight = V.row(a).tail(q - rank).norm();
    if (weight > InvolvedWeight)
    {
      undetermined.push_back(j);
      continue;
    }
    determined.push_back(j);
    fit.identifiable[j] = true;
    est[j] = x(a) / norm[j];
    double var = 0.0;
    for (Eigen::Index i = 0; i < rank; ++i)
    {
      var += V(a, i) * V(a, i) / (s(i) * s(i));
    }
    fit.standardError[j] = std::sqrt(sigma2 * var) / norm[j];
  }

  for (Eigen::Index i = 0; i < q; ++i)
  {
    fit.singularValues.push_back(s(i));
  }
  fit.singularValues.insert(fit.singularValues.end(), zero.size(), 0.0);
  const double smax = fit.singularValues.front(), smin = fit.singularValues.back();
  fit.conditionNumber = smin > 0.0 ? smax / smin : std::numeric_limits<double>::infinity();

  // The verdict: what cannot be determined and why, then what is.
  std::vector<std::string> parts;
  if (!zero.empty())
  {
    parts.push_back(zeroColumnReason(zero));
  }
  for (Eigen::Index i = rank; i < q; ++i)
  {
    std::vector<int> involved;
    std::vector<double> w;
    for (Eigen::Index a = 0; a < q; ++a)
    {
      if (std::fabs(V(a, i)) > InvolvedWeight)
      {
        involved.push_back(live[a]);
        w.push_back(V(a, i) / norm[live[a]]); // back to parameter units
      }
    }
    parts.push_back(notDetermined(involved) + ": the residual does not change along " +
      combination(involved,
        Eigen::Map<Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size())).normalized()) +
      " (singular value " + formatNumber(s(i) / s(0), "%.1e") + " of the largest).");
  }
  std::vector<int> fixedList;
  for (int j = 0; j < 4; ++j)
  {
    if (!S.fit[j])
    {
      fixedList.push_back(j);
    }
  }
  const std::string fixedNote = fixedList.empty() ? "" : " (" + nameList(fixedList) + " fixed)";
  if (determined.size() == 4)
  {
    parts.insert(parts.begin(), "All of Du, Dv, F, k are determined.");
  }
  else if (!determined.empty() && parts.empty())
  {
    parts.push_back(
      "Every fitted parameter is determined: " + nameList(determined) + fixedNote + ".");
  }
  else if (!determined.empty())
  {
    parts.push_back(nameList(determined) + (determined.size() == 1 ? " is" : " are") +
      " determined" + fixedNote + ".");
  }
  for (const std::string& p : parts)
  {
    fit.verdict += (fit.verdict.empty() ? "" : " ") + p;
  }
  return finish();
}

} // namespace

ResidualFit fitResidual(
  const Observations& data, const ResidualSettings& settings, Progress* progress)
{
  return solve(assemble(data, settings, progress), settings);
}

void residualFields(const Observations& data, const ResidualSettings& settings, const Parameters& p,
  std::vector<double>& ru, std::vector<double>& rv)
{
  ResidualSettings S = settings;
  if (S.method == ResidualMethod::WeakForm)
  {
    S.method = data.frames.size() >= 2 ? ResidualMethod::TimeSeries : ResidualMethod::Steady;
    S.difference = TimeDifference::Forward;
  }
  check(data, S, false);
  for (double x : p.asArray())
  {
    if (!std::isfinite(x))
    {
      throw Error("The parameters of the residual must be finite.");
    }
  }
  const Grid& g = data.grid;
  const std::size_t n = g.cells();
  const StrongFrames sf = strongFrames(data, S);
  const std::size_t f = sf.last - 1;
  std::vector<double> lu(n), lv(n);
  laplacian(g, data.frames[f].u.data(), lu.data());
  laplacian(g, data.frames[f].v.data(), lv.data());
  const StrongCell cell = strongCell(data, sf, f, lu, lv, S);
  const std::vector<unsigned char> usable = usableCells(g, data.valid);
  ru.assign(n, NaN);
  rv.assign(n, NaN);
  const double c[4] = { p.Du, p.Dv, p.F, p.k };
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!usable.empty() && !usable[i])
    {
      continue;
    }
    double a[Cols], b[Cols];
    cell.rows(i, a, b);
    ru[i] = a[4] - (c[0] * a[0] + c[2] * a[2]);
    rv[i] = b[4] - (c[1] * b[1] + c[2] * b[2] + c[3] * b[3]);
  }
}

namespace
{

/// sigma from the median of |x| for Gaussian noise of unit gain (the median of |N(0,1)|).
double medianSigma(std::vector<double>& x)
{
  const auto mid = x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2);
  std::nth_element(x.begin(), mid, x.end());
  return *mid / 0.6744897501960817;
}

/// Fewest values an estimate of the noise is taken from.
constexpr std::size_t MinNoiseSamples = 100;

} // namespace

double estimateNoiseVariance(const Observations& data)
{
  ResidualSettings S;
  S.method = ResidualMethod::WeakForm; // asks for times with two or more frames
  check(data, S, false);
  const Grid& g = data.grid;
  const std::size_t n = g.cells(), N = data.frames.size();
  auto observed = [&](std::size_t i) { return data.valid.empty() || data.valid[i] != 0; };
  double best = std::numeric_limits<double>::infinity();

  // In time: a x[n-1] - (a + c) x[n] + c x[n+1], a and c the inverse spacings, is 0 for
  // fields linear in time.
  std::vector<double> values;
  for (std::size_t f = 1; f + 1 < N; ++f)
  {
    const double a = 1.0 / (data.times[f] - data.times[f - 1]);
    const double c = 1.0 / (data.times[f + 1] - data.times[f]);
    const double gain = std::sqrt(a * a + (a + c) * (a + c) + c * c);
    const std::vector<double>&v0 = data.frames[f - 1].v, &v1 = data.frames[f].v,
          &v2 = data.frames[f + 1].v;
    for (std::size_t i = 0; i < n; ++i)
    {
      if (observed(i))
      {
        values.push_back(std::fabs(a * v0[i] - (a + c) * v1[i] + c * v2[i]) / gain);
      }
    }
  }
  if (values.size() >= MinNoiseSamples)
  {
    best = std::min(best, medianSigma(values));
  }

  // In space: the product of (1, -2, 1) along every axis of at least three cells.
  const int dims[3] = { g.nx, g.ny, g.nz };
  const std::size_t stride[3] = { 1, static_cast<std::size_t>(g.nx),
    static_cast<std::size_t>(g.nx) * g.ny };
  double gain = 1.0;
  std::vector<unsigned char> block(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    block[i] = observed(i);
  }
  auto alongAxis = [&](int a, auto&& op) {
    // op(centre, minus, plus) for every cell, neighbours along axis a (periodic).
    for (std::size_t i = 0; i < n; ++i)
    {
      const std::size_t c = (i / stride[a]) % dims[a];
      const std::size_t base = i - c * stride[a];
      op(i, base + ((c + dims[a] - 1) % dims[a]) * stride[a],
        base + ((c + 1) % dims[a]) * stride[a]);
    }
  };
  int axes = 0;
  for (int a = 0; a < 3; ++a)
  {
    if (dims[a] >= 3)
    {
      ++axes;
      gain *= 6.0;
      std::vector<unsigned char> next(n);
      alongAxis(a, [&](std::size_t i, std::size_t m, std::size_t p) {
        next[i] = block[i] && block[m] && block[p];
      });
      block.swap(next);
    }
  }
  values.clear();
  if (axes > 0)
  {
    std::vector<double> d(n), e(n);
    for (std::size_t f = 0; f < N; ++f)
    {
      d = data.frames[f].v;
      for (int a = 0; a < 3; ++a)
      {
        if (dims[a] >= 3)
        {
          alongAxis(a,
            [&](std::size_t i, std::size_t m, std::size_t p) { e[i] = d[m] - 2.0 * d[i] + d[p]; });
          d.swap(e);
        }
      }
      for (std::size_t i = 0; i < n; ++i)
      {
        if (block[i])
        {
          values.push_back(std::fabs(d[i]) / std::sqrt(gain));
        }
      }
    }
  }
  if (values.size() >= MinNoiseSamples)
  {
    best = std::min(best, medianSigma(values));
  }
  if (!std::isfinite(best))
  {
    std::ostringstream msg;
    msg << "Too little data to estimate the noise: needs " << MinNoiseSamples
        << " observed cells in three consecutive frames, or as many fully observed 3 x 3 blocks.";
    throw Error(msg.str());
  }
  return best * best;
}

ResidualQuadratic::ResidualQuadratic(const Observations& data, const ResidualSettings& settings)
  : S(settings)
{
  const System sys = assemble(data, settings, nullptr);
  for (int i = 0; i < Cols; ++i)
  {
    for (int j = 0; j < Cols; ++j)
    {
      R[i][j] = sys.R(i, j);
    }
  }
  const double m = static_cast<double>(sys.equations);
  const Factor G = sys.R.transpose() * sys.R / m;
  for (int i = 0; i < 4; ++i)
  {
    for (int j = 0; j < 4; ++j)
    {
      Q[i][j] = G(i, j);
    }
    b[i] = G(i, 4);
  }
  c = G(4, 4);
  Magnitude = sys.magnitude;
  Equations = sys.equations;
}

double ResidualQuadratic::evaluate(const Parameters& p) const
{
  // |R [p; -1]|^2 / m: the same quadratic as p'Qp - 2b'p + c, without the cancellation of
  // those terms near the minimum.
  const double w[Cols] = { p.Du, p.Dv, p.F, p.k, -1.0 };
  double sum = 0.0;
  for (int i = 0; i < Cols; ++i)
  {
    double r = 0.0;
    for (int j = i; j < Cols; ++j)
    {
      r += R[i][j] * w[j];
    }
    sum += r * r;
  }
  return sum / static_cast<double>(Equations);
}

Parameters ResidualQuadratic::minimiser() const
{
  System sys;
  for (int i = 0; i < Cols; ++i)
  {
    for (int j = 0; j < Cols; ++j)
    {
      sys.R(i, j) = R[i][j];
    }
  }
  sys.magnitude = Magnitude;
  sys.equations = Equations;
  return solve(sys, S).estimate;
}

} // namespace gs
