#include "Residual.h"
#include "Names.h"
#include "ResidualSystem.h"

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

void ResidualSettings::validate() const
{
  if (!(identifiabilityTolerance >= 0.0 && identifiabilityTolerance < 1.0))
  {
    std::ostringstream msg;
    msg << "{identifiabilityTolerance} must be in [0, 1) (got " << identifiabilityTolerance << ").";
    throw Error(msg.str());
  }
  if (testFunctionSize < 0 || testFunctionsPerAxis < 0)
  {
    std::ostringstream msg;
    msg << "{testFunctionSize} and {testFunctionsPerAxis} must be >= 0 (0: automatic; got "
        << testFunctionSize << " and " << testFunctionsPerAxis << ").";
    throw Error(msg.str());
  }
  if (!(std::isfinite(noiseVariance) && noiseVariance >= 0.0))
  {
    std::ostringstream msg;
    msg << "{noiseVariance} must be finite and non-negative (got " << noiseVariance << ").";
    throw Error(msg.str());
  }
  if (intervalReplicates != 0 && (intervalReplicates < 10 || intervalReplicates > 1000))
  {
    std::ostringstream msg;
    msg << "{intervalReplicates} must be 0 (the least-squares formula) or 10 to 1000 (got "
        << intervalReplicates << ").";
    throw Error(msg.str());
  }
  for (std::size_t j = 0; j < parameterCount; ++j)
  {
    if (!fit[j] && !std::isfinite(fixed[j]))
    {
      throw Error(std::string("{fixed}: the value of the fixed parameter ") + parameterName(j) +
        " must be finite.");
    }
  }
}

void checkNoiseVariance(double value)
{
  if (!(std::isfinite(value) && (value >= 0.0 || value == -1.0)))
  {
    throw Error("{noiseVariance} must be -1 (estimate it), 0 (none) or a positive variance.");
  }
}

double noiseVarianceOf(double value, const Observations& data)
{
  checkNoiseVariance(value);
  return value < 0.0 ? estimateNoiseVariance(data) : value;
}

Observations Observations::oneFrame(const State& frame)
{
  Observations o;
  o.add(frame, 0.0);
  o.finish();
  return o;
}

void Observations::add(State frame, double time, const std::vector<double>* mask)
{
  if (frames.empty())
  {
    frame.grid.validate();
    grid = frame.grid;
    valid.assign(grid.cells(), 1);
  }
  else if (frame.grid != grid)
  {
    throw Error("The input's time steps have different grids.");
  }
  if (valid.size() != grid.cells())
  {
    valid.assign(grid.cells(), 1); // finish() cleared it: every cell was observed so far
  }
  for (std::size_t c = 0; c < grid.cells(); ++c)
  {
    if ((uObserved && !std::isfinite(frame.u[c])) || !std::isfinite(frame.v[c]) ||
      (mask && (*mask)[c] == 0.0))
    {
      valid[c] = 0;
    }
  }
  frames.push_back(std::move(frame));
  times.push_back(time);
}

void Observations::finish()
{
  if (std::all_of(valid.begin(), valid.end(), [](unsigned char v) { return v != 0; }))
  {
    valid.clear();
  }
}
const char* toString(ResidualMethod method)
{
  return residualMethodNames()[static_cast<std::size_t>(method)];
}

const char* toString(TimeDifference difference)
{
  return timeDifferenceNames()[static_cast<std::size_t>(difference)];
}

const char* toString(Discretisation d)
{
  return discretisationNames()[static_cast<std::size_t>(d)];
}

namespace residual
{
namespace
{
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

} // namespace

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

// ---- input checks ---------------------------------------------------------------------------

void check(const Observations& data, const ResidualSettings& S, bool forFit)
{
  const std::size_t N = data.frames.size();
  if (N == 0)
  {
    throw Error("No frames to fit: the observations hold no fields.");
  }
  if (S.discretisation == Discretisation::Spectral && S.method != ResidualMethod::WeakForm &&
    std::any_of(data.valid.begin(), data.valid.end(), [](unsigned char c) { return c == 0; }))
  {
    throw Error("{discretisation} Spectral needs every cell observed (the spectral Laplacian "
                "couples all cells): complete the data first, or use the WeakForm.");
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
    if ((data.uObserved && s.u.size() != n) || s.v.size() != n)
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

  S.validate();
  const bool any = S.fit[0] || S.fit[1] || S.fit[2] || S.fit[3];
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
        !((!data.uObserved || std::isfinite(s.u[i])) && std::isfinite(s.v[i])))
      {
        throw Error("Frame " + std::to_string(f) + " has a non-finite u or v at observed " +
          cellName(data.grid, i) + ": mark it unobserved or repair it.");
      }
    }
  }
}

void checkLatent(const Observations& data, const ResidualSettings& S)
{
  if (S.method == ResidualMethod::TimeSeries && S.difference != TimeDifference::Forward)
  {
    throw Error("{difference} central with v alone ({uObserved}): u comes from the v equation "
                "with the forward difference.");
  }
  if (S.method == ResidualMethod::TimeSeries && data.frames.size() < 3)
  {
    throw Error("Too few frames: a time series with v alone ({uObserved}) needs at least 3 (got " +
      std::to_string(data.frames.size()) + "): u comes from each pair of frames.");
  }
  if (S.method == ResidualMethod::WeakForm && data.frames.size() != 1)
  {
    throw Error("{method} WeakForm with v alone ({uObserved}) takes one steady frame (got " +
      std::to_string(data.frames.size()) + "): its test functions in time need u observed.");
  }
  const auto unobserved = std::count(data.valid.begin(), data.valid.end(), 0);
  if (unobserved > 0 && data.intensity)
  {
    throw Error("{observation} Intensity: " + std::to_string(unobserved) +
      " cells of the image are not finite (NaN or infinite) or masked; the latent u couples all "
      "cells, so every cell must be observed.");
  }
  if (unobserved > 0)
  {
    throw Error("With u unobserved ({uObserved}) every cell of v must be observed: the latent u "
                "couples all cells.");
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

ResidualFit refit(
  const Observations& data, const ResidualSettings& S, Progress* progress, const ResidualFit* from)
{
  if (data.intensity)
  {
    return fitIntensity(data, S, progress, from);
  }
  Parameters p;
  const Parameters* start = nullptr;
  if (from)
  {
    p = from->estimate;
    for (std::size_t j = 0; j < parameterCount; ++j)
    {
      if (!std::isfinite(p[j]))
      {
        p[j] = S.fixed[j];
      }
    }
    start = std::isfinite(p.Du) && std::isfinite(p.F) ? &p : nullptr;
  }
  if (!data.uObserved)
  {
    return S.method == ResidualMethod::TimeSeries ? fitLatentSeries(data, S, progress, start)
                                                  : fitLatent(data, S, progress, start);
  }
  return solve(assemble(data, S, progress), S);
}

System assemble(const Observations& data, const ResidualSettings& S, Progress* progress)
{
  if (!data.uObserved)
  {
    throw Error("The residual's quadratic form needs u observed ({uObserved}): with v alone "
                "u is latent, and the loss is not quadratic in the parameters.");
  }
  check(data, S, true);
  System sys = S.method == ResidualMethod::WeakForm ? assembleWeak(data, S, progress)
                                                    : assembleStrong(data, S, progress);
  if (!sys.aborted)
  {
    checkEquations(sys.equations, S);
  }
  return sys;
}

} // namespace residual

// The public functions below are made of the residual's parts.
using namespace residual;

namespace
{
/// A bound on the noise variance is lowered in at most this many rounds, each with this many
/// replicates, until it changes by less than this share.
constexpr int MaxVarianceRounds = 3;
constexpr int ProbeReplicates = 10;
constexpr double VarianceChange = 0.1;
} // namespace

ResidualFit fitResidual(
  const Observations& data, const ResidualSettings& settings, Progress* progress)
{
  if (!data.uObserved)
  {
    checkLatent(data, settings); // first: the reason a method cannot take v alone
    check(data, settings, true);
  }
  if (data.intensity)
  {
    checkIntensity(data, settings);
  }
  if (!(settings.noiseVariance > 0.0 && settings.intervalReplicates > 0))
  {
    ResidualFit fit = refit(data, settings, progress, nullptr);
    fit.noiseVariance = settings.noiseVariance;
    return fit;
  }
  // Each replicate costs about a fit. A bound on the noise variance is first lowered to what
  // the residual supports, with a few replicates a round (only their residual is wanted).
  const int B = settings.intervalReplicates, probe = std::min(B, ProbeReplicates);
  const int rounds = settings.noiseVarianceIsBound ? MaxVarianceRounds : 0;
  const double unit = 1.0 / (1.0 + rounds * (1.0 + probe) + B);
  ResidualSettings S = settings;
  ResidualFit fit;
  {
    ProgressPart part(progress, unit);
    fit = refit(data, S, part.get(), nullptr);
  }
  double left = 1.0 - unit; // of the total, not yet reported
  for (int round = 0; round < rounds && !(progress && progress->aborted()); ++round)
  {
    ResidualSettings P = S;
    P.intervalReplicates = probe;
    ResidualFit trial = fit;
    ProgressPart part(progress, unit * probe), again(progress, unit);
    const double supported = bootstrap(data, P, trial, part.get(), true);
    left -= unit * probe;
    if (!(supported < (1.0 - VarianceChange) * S.noiseVariance))
    {
      break;
    }
    // Residual mean squares scale with the noise variance: the noise explained more than the
    // residual, so the variance is below the bound, and the residual shows how far.
    S.noiseVariance = supported;
    const ResidualFit from = fit;
    fit = refit(data, S, again.get(), &from);
    left -= unit;
  }
  fit.noiseVariance = S.noiseVariance;
  {
    ProgressPart part(progress, unit * B);
    bootstrap(data, S, fit, part.get());
    left -= unit * B;
  }
  if (progress && left > 0.0)
  {
    progress->add(progress->total() * left); // the rounds not needed
  }
  return fit;
}

std::size_t residual::latentFrame(const Observations& data, const ResidualSettings& settings)
{
  if (data.intensity)
  {
    throw Error("The latent u and the residual take concentrations: map an intensity with "
                "concentrationOf() first.");
  }
  checkLatent(data, settings);
  return settings.method == ResidualMethod::TimeSeries ? data.frames.size() - 3
                                                       : data.frames.size() - 1;
}

std::vector<double> latentU(
  const Observations& data, const ResidualSettings& settings, const Parameters& p)
{
  const std::size_t frame = latentFrame(data, settings);
  check(data, settings, false);
  for (double x : p.asArray())
  {
    if (!std::isfinite(x))
    {
      throw Error("The parameters of the latent u must be finite.");
    }
  }
  if (settings.method == ResidualMethod::TimeSeries)
  {
    return latentSeries(data, settings, p, frame);
  }
  if (!(p.Du >= 0.0 && p.F > 0.0))
  {
    throw Error("The latent u needs Du >= 0 and F > 0.");
  }
  return latent(data, settings, p, frame);
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
  if (!data.uObserved)
  {
    // The latent u where the fit took it (with the next frame's for a series), as data.
    const std::size_t f = latentFrame(data, settings);
    Observations withU;
    State s = data.frames[f];
    s.u = latentU(data, settings, p);
    withU.add(std::move(s), data.times.empty() ? 0.0 : data.times[f]);
    if (settings.method == ResidualMethod::TimeSeries)
    {
      State next = data.frames[f + 1];
      next.u = latentSeries(data, settings, p, f + 1);
      withU.add(std::move(next), data.times[f + 1]);
    }
    withU.finish();
    residualFields(withU, S, p, ru, rv);
    return;
  }
  const Grid& g = data.grid;
  const std::size_t n = g.cells();
  const StrongFrames sf = strongFrames(data, S);
  const std::size_t f = sf.last - 1;
  std::vector<double> lu(n), lv(n);
  dataLaplacian(g, data.frames[f].u.data(), lu.data(), S);
  dataLaplacian(g, data.frames[f].v.data(), lv.data(), S);
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
