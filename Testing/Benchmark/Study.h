// Helpers the parameter-recovery studies and the benchmarks share: timing, noise and sparsity
// applied to observations (seeded, our own generator) and the score of an estimate against the
// paper's truth.
#pragma once

#include <gs/Random.h>
#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace study
{

using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t0)
{
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The median of rounds' timings (the upper one of an even count).
inline double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// The paper's setting (128 x 128, the truth, seed 0): `frames` frames `spacing` steps (dt = 1)
/// apart from step `start`.
inline gs::Observations paperSeries(long start, long spacing, int frames)
{
  gs::State s(gs::Grid{});
  gs::makeInitialCondition(s, { 0, 0.02, 20 });
  const gs::Parameters truth = gs::Parameters::paperTruth();
  gs::run(s, truth, { 1.0, start, 0.0 });
  gs::Observations o;
  o.grid = s.grid;
  for (int f = 0; f < frames; ++f)
  {
    if (f > 0)
    {
      gs::run(s, truth, { 1.0, spacing, 0.0 });
    }
    o.frames.push_back(s);
    o.times.push_back(static_cast<double>(start + f * spacing));
  }
  return o;
}

/// The paper's target, steady to its tolerance (1e-4 per step, at most 40,000 steps), as v
/// alone; `steps` receives the steps it took.
inline gs::Observations paperTargetVOnly(std::int64_t* steps = nullptr)
{
  gs::State s(gs::Grid{});
  gs::makeInitialCondition(s, { 0, 0.02, 20 });
  const gs::RunResult run = gs::run(s, gs::Parameters::paperTruth(), { 1.0, 40000, 1e-4 });
  if (steps)
  {
    *steps = run.steps;
  }
  gs::Observations o;
  o.grid = s.grid;
  o.frames = { s };
  o.times = { 0.0 };
  o.uObserved = false;
  return o;
}

/// The paper's target run on until it is steady to `tolerance` per step (at most 10^6 more
/// steps): the steady state the steady fits assume, which the paper's tolerance only
/// approaches (u_t up to 1e-4 there). v alone; `steps` receives the steps it took in all.
inline gs::Observations paperTargetSteady(double tolerance, std::int64_t* steps = nullptr)
{
  std::int64_t first = 0;
  gs::Observations o = paperTargetVOnly(&first);
  const gs::RunResult run =
    gs::run(o.frames[0], gs::Parameters::paperTruth(), { 1.0, 1000000, tolerance });
  if (steps)
  {
    *steps = first + run.steps;
  }
  return o;
}

/// N(0, sigma^2) on u and v of every cell of every frame (stream = frame).
inline void addNoise(gs::Observations& o, double sigma, std::uint64_t seed = 1000)
{
  for (std::size_t f = 0; f < o.frames.size(); ++f)
  {
    gs::Random r(seed, f);
    gs::State& s = o.frames[f];
    for (std::size_t i = 0; i < s.u.size(); ++i)
    {
      double a, b;
      r.normalPair(a, b);
      s.u[i] += sigma * a;
      s.v[i] += sigma * b;
    }
  }
}

/// A seeded random `fraction` of the cells observed, the same in every frame (seed 2000).
inline void observeFraction(gs::Observations& o, double fraction)
{
  if (fraction >= 1.0)
  {
    return;
  }
  gs::Random r(2000, 0);
  o.valid.resize(o.grid.cells());
  for (unsigned char& c : o.valid)
  {
    c = r.uniform() < fraction;
  }
}

/// The largest relative error over the four parameters and whose it is, "2.1e-02 (Dv)";
/// "not determined (Du, Dv)" when the fit gives NaN.
inline std::string score(const gs::Parameters& estimate)
{
  const auto e = estimate.asArray(), t = gs::Parameters::paperTruth().asArray();
  double worst = 0.0;
  int which = 0;
  std::string nan;
  for (int j = 0; j < 4; ++j)
  {
    if (std::isnan(e[j]))
    {
      nan += nan.empty() ? gs::parameterName(j) : std::string(", ") + gs::parameterName(j);
      continue;
    }
    const double r = std::fabs(e[j] - t[j]) / t[j];
    if (r >= worst)
    {
      worst = r;
      which = j;
    }
  }
  if (!nan.empty())
  {
    return "not determined (" + nan + ")";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1e (%s)", worst, gs::parameterName(which));
  return buf;
}

inline std::string score(const gs::ResidualFit& fit)
{
  return score(fit.estimate);
}

} // namespace study
