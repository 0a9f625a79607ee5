// Observations and comparisons the residual fits' tests share.
#pragma once

#include <gs/Random.h>
#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

namespace gs_testing
{

const gs::Parameters Truth = gs::Parameters::paperTruth();

inline gs::Grid grid(int nx, int ny, int nz = 1, double h = 1.0)
{
  gs::Grid g;
  g.nx = nx;
  g.ny = ny;
  g.nz = nz;
  g.hx = g.hy = g.hz = h;
  return g;
}

/// `frames` frames `spacing` Euler steps (dt = 1) apart, the first after `start` steps from
/// the seeded initial condition.
inline gs::Observations timeSeries(const gs::Grid& g, const gs::InitialCondition& ic,
  std::int64_t start, std::int64_t spacing, int frames, const gs::Parameters& p = Truth)
{
  gs::State s(g);
  gs::makeInitialCondition(s, ic);
  gs::run(s, p, { 1.0, start, 0.0 });
  gs::Observations o;
  o.grid = g;
  for (int f = 0; f < frames; ++f)
  {
    if (f > 0)
    {
      gs::run(s, p, { 1.0, spacing, 0.0 });
    }
    o.frames.push_back(s);
    o.times.push_back(static_cast<double>(start + f * spacing));
  }
  return o;
}

/// One frame at time 0.
inline gs::Observations single(const gs::State& s)
{
  return gs::Observations::oneFrame(s);
}

inline gs::ResidualSettings settings(
  gs::ResidualMethod method, gs::TimeDifference difference = gs::TimeDifference::Forward)
{
  gs::ResidualSettings s;
  s.method = method;
  s.difference = difference;
  return s;
}

inline double relativeError(double estimate, double truth)
{
  return std::isnan(estimate) ? std::numeric_limits<double>::infinity()
                              : std::fabs(estimate - truth) / std::fabs(truth);
}

/// Largest relative error over the four parameters (infinite for NaN).
inline double worstError(const gs::Parameters& e, const gs::Parameters& t = Truth)
{
  double w = 0.0;
  for (std::size_t j = 0; j < gs::parameterCount; ++j)
  {
    w = std::max(w, relativeError(e[j], t[j]));
  }
  return w;
}

inline void expectEachWithin(
  const gs::ResidualFit& fit, double tol, const gs::Parameters& t = Truth)
{
  for (std::size_t j = 0; j < gs::parameterCount; ++j)
  {
    EXPECT_LT(relativeError(fit.estimate[j], t[j]), tol)
      << gs::parameterName(j) << " = " << fit.estimate[j] << "; " << fit.verdict;
  }
}

/// Independent Gaussian noise of deviation sigma on u and v of every frame (seeded per frame).
inline void addNoise(gs::Observations& o, double sigma, std::uint64_t seed)
{
  for (std::size_t f = 0; f < o.frames.size(); ++f)
  {
    gs::Random r(seed, f);
    for (std::size_t i = 0; i < o.frames[f].u.size(); ++i)
    {
      double a, b;
      r.normalPair(a, b);
      o.frames[f].u[i] += sigma * a;
      o.frames[f].v[i] += sigma * b;
    }
  }
}

/// v alone: u is unobserved (and NaN, to show that it is never read).
inline gs::Observations vOnly(gs::Observations o)
{
  o.uObserved = false;
  for (gs::State& s : o.frames)
  {
    s.u.assign(s.u.size(), std::numeric_limits<double>::quiet_NaN());
  }
  return o;
}

/// 48 x 48 spots from seed 1, steady to 1e-10 per step (59,620 steps).
inline const gs::State& steadySpots()
{
  static const gs::State s = [] {
    gs::State st(grid(48, 48));
    gs::makeInitialCondition(st, { 1, 0.02, 16 });
    gs::run(st, Truth, { 1.0, 200000, 1e-10 });
    return st;
  }();
  return s;
}

inline bool contains(const std::string& s, const std::string& part)
{
  return s.find(part) != std::string::npos;
}

/// f throws gs::Error with `part` in its message.
inline void expectError(const std::function<void()>& f, const std::string& part)
{
  try
  {
    f();
    ADD_FAILURE() << "no error; expected one mentioning \"" << part << "\"";
  }
  catch (const gs::Error& e)
  {
    EXPECT_TRUE(contains(e.what(), part)) << e.what();
  }
}

} // namespace gs_testing
