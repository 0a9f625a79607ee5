#include <gs/Horizon.h>
#include <gs/LandscapeSweep.h>
#include <gs/Random.h>
#include <gs/Relaxation.h>
#include <gs/Residual.h>
#include <gs/Sensitivity.h>
#include <gs/Shooting.h>
#include <gs/Simulation.h>

#include "FiniteDifference.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

namespace
{

using gs_testing::parameterFD;

const gs::Grid Small{ 32, 32, 1, 1.0, 1.0, 1.0 };

/// The paper's initial condition on `g` after `steps` steps at the truth.
gs::State patternAt(const gs::Grid& g, std::int64_t steps)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { 1, 0.02, 20 });
  gs::run(s, gs::Parameters::paperTruth(), { 1.0, steps, 0.0 });
  return s;
}

gs::Observations steady(const gs::State& frame)
{
  return gs::Observations::oneFrame(frame);
}

/// `count` frames `spacing` steps apart from `first`, at the truth.
gs::Observations series(gs::State first, int count, std::int64_t spacing)
{
  gs::Observations d;
  for (int i = 0; i < count; ++i)
  {
    d.add(first, static_cast<double>(i * spacing));
    gs::run(first, gs::Parameters::paperTruth(), { 1.0, spacing, 0.0 });
  }
  d.finish();
  return d;
}

/// patternAt(Small, 3000) run on at the truth to `tolerance` per step.
gs::State steadyAt(double tolerance)
{
  gs::State s = patternAt(Small, 3000);
  gs::run(s, gs::Parameters::paperTruth(), { 1.0, 2000000, tolerance });
  return s;
}

/// The largest relative error of an estimate against the truth.
double worstError(const gs::Parameters& e)
{
  const gs::Parameters truth = gs::Parameters::paperTruth();
  double w = 0.0;
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    w = std::max(w, std::fabs(e[i] / truth[i] - 1.0));
  }
  return w;
}

/// One steady frame of which only v is observed.
gs::Observations vAlone(const gs::State& frame)
{
  gs::Observations d = steady(frame);
  d.uObserved = false;
  return d;
}

/// The adjoint gradient of `loss` at p against central finite differences, to 1e-6 relative,
/// and its loss against evaluate(); `what` names the case in a failure.
void expectGradientMatchesFiniteDifferences(
  const gs::HorizonLoss& loss, const gs::Parameters& p, const std::string& what)
{
  const gs::GradientResult g = loss.gradient(p);
  ASSERT_TRUE(g.valid) << g.message;
  EXPECT_NEAR(g.loss, loss.evaluate(p), 1e-12 * g.loss);
  for (int i = 0; i < 4; ++i)
  {
    const double fd =
      parameterFD([&](const gs::Parameters& q) { return loss.evaluate(q); }, p, i, 1e-7);
    EXPECT_LT(std::fabs(g.gradient[i] - fd), 1e-6 * std::fabs(fd))
      << what << " dL/d" << gs::parameterName(i) << ": adjoint " << g.gradient[i]
      << ", finite difference " << fd;
  }
}

/// Gaussian noise of deviation sigma on u and v.
void addNoise(gs::State& s, double sigma, std::uint64_t seed)
{
  gs::Random rng(seed);
  for (std::size_t c = 0; c < s.v.size(); ++c)
  {
    double a, b;
    rng.normalPair(a, b);
    s.u[c] += sigma * a;
    s.v[c] += sigma * b;
  }
}

/// Every point of a landscape of `data` over the horizon is the horizon loss at its parameters
/// and K, bit for bit: its steps, each loss, and the gradient's swept components.
void expectEveryPointIsTheHorizonLoss(
  const gs::LandscapeImage& image, const gs::LandscapeSettings& s, const gs::Observations& data)
{
  const gs::Landscape land(s, &data);
  const std::size_t components = image.gradientComponents.size();
  for (std::size_t t = 0; t < image.size(); ++t)
  {
    const gs::Parameters p = land.parametersAt(image.points[t]);
    gs::HorizonSettings hs;
    hs.horizon = gs::Landscape::stepsAt(s, image.points[t]);
    hs.loss = s.loss;
    EXPECT_EQ(image.steps[t], hs.horizon) << t;
    for (std::size_t l = 0; l < s.losses.size(); ++l)
    {
      hs.loss.kind = s.losses[l];
      EXPECT_EQ(image.losses[l][t], gs::HorizonLoss(data, hs).evaluate(p)) << t;
    }
    if (s.gradient)
    {
      hs.loss.kind = s.gradientLoss;
      const gs::GradientResult g = gs::HorizonLoss(data, hs).gradient(p);
      ASSERT_TRUE(g.valid) << g.message;
      for (std::size_t c = 0; c < components; ++c)
      {
        EXPECT_EQ(image.gradient[t * components + c],
          g.gradient[static_cast<std::size_t>(image.gradientComponents[c])])
          << t;
      }
    }
  }
}

} // namespace

// One explicit Euler step from x is x + dt R(x), so at K = 1 the pixel loss on u and v is
// dt^2 times the sum over both equations of the mean squared steady residual, which the
// residual form averages over both (2N equations): L_1 = 2 dt^2 residual, at every point, to
// 1e-12 relative. Near the truth the pattern is nearly steady and both losses nearly vanish;
// there the step's own rounding, fl(x + dt R) - x = dt R + e with |e| <= eps |x|, bounds the
// agreement: |L_1 - L| <= 2 eps mean |dt R| <= 2 eps sqrt(L) per species.
TEST(Horizon, OneStepIsTheResidualLoss)
{
  for (double dt : { 1.0, 0.5 })
  {
    const gs::Observations data = steady(patternAt(Small, 3000));
    gs::HorizonSettings hs;
    hs.dt = dt;
    const gs::HorizonLoss horizon(data, hs);
    gs::ResidualSettings rs;
    rs.method = gs::ResidualMethod::Steady;
    const gs::ResidualQuadratic bowl(data, rs);
    for (int i = 0; i < 5; ++i)
    {
      for (int j = 0; j < 5; ++j)
      {
        gs::Parameters p = gs::Parameters::paperTruth();
        p.F = 0.025 + 0.005 * i;
        p.k = 0.055 + 0.005 * j;
        const double expected = 2.0 * dt * dt * bowl.evaluate(p);
        EXPECT_LE(std::fabs(horizon.evaluate(p) - expected),
          1e-12 * expected + 4.0 * DBL_EPSILON * std::sqrt(expected))
          << "dt = " << dt << ", F = " << p.F << ", k = " << p.k << ": " << expected;
      }
    }
  }
}

// Segments of a series of frames 20 steps apart, 20 and 40 steps long, and a noisy steady
// frame 60 steps on; pixel and logps. Finite differences as in the adjoint's own test.
TEST(Horizon, GradientMatchesFiniteDifferences)
{
  const gs::Observations frames = series(patternAt(Small, 600), 4, 20);
  gs::State noisy = patternAt(Small, 3000);
  addNoise(noisy, 1e-2, 7);
  const gs::Parameters p{ 0.15, 0.07, 0.04, 0.06 };
  struct Case
  {
    const gs::Observations& data;
    std::int64_t horizon;
  };
  const gs::Observations one = steady(noisy);
  for (const Case& c : { Case{ frames, 20 }, Case{ frames, 40 }, Case{ one, 60 } })
  {
    for (gs::LossKind kind : { gs::LossKind::Pixel, gs::LossKind::LogPS })
    {
      gs::HorizonSettings hs;
      hs.horizon = c.horizon;
      hs.loss.kind = kind;
      const gs::HorizonLoss loss(c.data, hs);
      expectGradientMatchesFiniteDifferences(loss, p,
        std::string(gs::toString(kind)) + " K = " + std::to_string(c.horizon) + " segments " +
          std::to_string(loss.segments()));
    }
  }
}

// v alone: the start's u is the steady u equation's latent solution at the candidate's
// (Du, F). On a steady pattern it is the pattern's own u, so the loss vanishes at the truth
// (to the solves' and the steps' rounding); off the truth the adjoint gradient, which carries
// the start's dependence on (Du, F), matches finite differences for pixel and logps.
TEST(Horizon, VAloneStartsFromTheLatentU)
{
  const gs::State steadyState = steadyAt(1e-12);
  const gs::Observations data = vAlone(steadyState);
  gs::HorizonSettings hs;
  hs.horizon = 30;
  const gs::HorizonLoss atTruth(data, hs);
  EXPECT_TRUE(atTruth.latent());
  const gs::State x0 = atTruth.startAt(0, gs::Parameters::paperTruth());
  double du = 0.0;
  for (std::size_t c = 0; c < x0.u.size(); ++c)
  {
    du = std::max(du, std::fabs(x0.u[c] - steadyState.u[c]));
  }
  EXPECT_LT(du, 1e-9) << "the latent u against the pattern's own";
  EXPECT_LT(atTruth.evaluate(gs::Parameters::paperTruth()), 1e-20);

  gs::State noisy = steadyState;
  addNoise(noisy, 1e-3, 5);
  const gs::Observations noisyData = vAlone(noisy);
  const gs::Parameters p{ 0.15, 0.07, 0.04, 0.06 };
  for (const gs::Observations* d : { &data, &noisyData })
  {
    for (gs::LossKind kind : { gs::LossKind::Pixel, gs::LossKind::LogPS })
    {
      hs.loss.kind = kind;
      expectGradientMatchesFiniteDifferences(gs::HorizonLoss(*d, hs), p,
        std::string(gs::toString(kind)) + (d == &data ? " clean" : " noisy"));
    }
  }
}

// Noisy v below 0 is a legal start: the margin keeps it from counting as a blow-up.
TEST(Horizon, NoisyStartIsNotABlowUp)
{
  gs::State noisy = patternAt(Small, 3000);
  addNoise(noisy, 1e-2, 3);
  const gs::Observations data = steady(noisy);
  gs::HorizonSettings hs;
  hs.horizon = 10;
  EXPECT_TRUE(std::isfinite(gs::HorizonLoss(data, hs).evaluate(gs::Parameters::paperTruth())));
  hs.blowUpMargin = 0.0;
  EXPECT_TRUE(std::isnan(gs::HorizonLoss(data, hs).evaluate(gs::Parameters::paperTruth())));
  const gs::GradientResult g = gs::HorizonLoss(data, hs).gradient(gs::Parameters::paperTruth());
  EXPECT_FALSE(g.valid);
  EXPECT_NE(g.message.find("Segment 0"), std::string::npos) << g.message;
}

TEST(Horizon, RefusesWhatItCannotStartFrom)
{
  const gs::Observations frames = series(patternAt(Small, 600), 3, 20);
  gs::HorizonSettings hs;
  auto message = [&](const gs::Observations& d) {
    try
    {
      gs::HorizonLoss loss(d, hs);
    }
    catch (const gs::Error& e)
    {
      return std::string(e.what());
    }
    return std::string();
  };
  hs.horizon = 30;
  EXPECT_NE(message(frames).find("multiple of the frames' spacing (20"), std::string::npos);
  hs.horizon = 60;
  EXPECT_NE(message(frames).find("shorten the horizon"), std::string::npos);
  hs.horizon = 0;
  EXPECT_NE(message(frames).find("must be at least 1 step"), std::string::npos);
  hs.horizon = 20;
  EXPECT_EQ(message(frames), "");
  EXPECT_EQ(gs::HorizonLoss(frames, hs).segments(), 2u);
  gs::Observations vOnly = frames;
  vOnly.uObserved = false;
  EXPECT_NE(message(vOnly).find("observe u for a series"), std::string::npos);
  gs::Observations masked = frames;
  masked.valid.assign(Small.cells(), 1);
  masked.valid[5] = 0;
  EXPECT_NE(message(masked).find("every cell observed"), std::string::npos);
}

// The landscape's horizon: every point is the horizon loss of its parameters, bit for bit, with
// its adjoint gradient; a Horizon axis (log-spaced whole steps) is the fixed horizons side by
// side, and K = 1 is 2 dt^2 times the residual at every point.
TEST(Horizon, LandscapeOverTheHorizon)
{
  const gs::State target = patternAt(Small, 3000);
  gs::LandscapeSettings s;
  s.grid = Small;
  s.axes[0] = { 2, 0.025, 0.045, 3 };
  s.axes[1] = { 3, 0.055, 0.075, 3 };
  s.axes[2] = { gs::LandscapeAxis::Horizon, 1.0, 100.0, 3 };
  s.losses = { gs::LossKind::Pixel, gs::LossKind::LogPS };
  s.loss.includeU = true;
  s.gradient = true;
  s.gradientLoss = gs::LossKind::Pixel;
  ASSERT_TRUE(s.shooting());
  EXPECT_EQ(s.axes[2].value(1), 10.0);
  double origin, spacing;
  s.axes[2].geometry(origin, spacing);
  EXPECT_EQ(origin, 0.0);
  EXPECT_EQ(spacing, 1.0);

  const gs::Observations data = steady(target);
  gs::LandscapeSweep sweep;
  gs::LandscapeRequest request;
  request.observed = &data;
  request.residual = true;
  request.extent = { 0, 2, 0, 2, 0, 2 };
  gs::LandscapeImage image;
  sweep.compute(s, request, image);
  ASSERT_EQ(image.size(), 27u);
  // The gradient has a component per swept parameter: F and k, none for the horizon axis.
  ASSERT_EQ(
    image.gradientComponents, (std::vector<gs::Parameter>{ gs::Parameter::F, gs::Parameter::k }));

  expectEveryPointIsTheHorizonLoss(image, s, data);
  for (std::size_t t = 0; t < image.size(); ++t)
  {
    const std::size_t index = image.points[t];
    EXPECT_EQ(image.steps[t], index / 9 == 0 ? 1 : index / 9 == 1 ? 10 : 100);
    const double dF = image.gradient[t * 2 + 0], dk = image.gradient[t * 2 + 1];
    EXPECT_EQ(image.gradientNorm[t], std::sqrt(dF * dF + dk * dk)) << t;
    if (image.steps[t] == 1)
    {
      const double expected = 2.0 * image.residual[t];
      EXPECT_LE(std::fabs(image.losses[0][t] - expected),
        1e-12 * expected + 4.0 * DBL_EPSILON * std::sqrt(expected));
    }
  }

  // A fixed horizon gives the same bits as that slice of the axis.
  s.axes[2] = { -1, 0.0, 0.0, 1 };
  s.horizon = 10;
  request.extent = { 0, 2, 0, 2, 0, 0 };
  gs::LandscapeImage slice;
  gs::LandscapeSweep().compute(s, request, slice);
  for (std::size_t t = 0; t < 9; ++t)
  {
    EXPECT_EQ(slice.losses[0][t], image.losses[0][9 + t]) << t;
  }
}

// v alone over the horizon: every point is the horizon loss of v alone (the latent start) with
// its gradient, bit for bit; a latent u without a horizon, or with includeU, is refused.
TEST(Horizon, LandscapeFromVAlone)
{
  gs::State target = patternAt(Small, 3000);
  gs::LandscapeSettings s;
  s.grid = Small;
  s.axes[0] = { 0, 0.12, 0.2, 2 };
  s.axes[1] = { 2, 0.03, 0.04, 2 };
  s.axes[2] = { gs::LandscapeAxis::Horizon, 1.0, 30.0, 2 };
  s.losses = { gs::LossKind::Pixel };
  s.gradient = true;
  s.gradientLoss = gs::LossKind::Pixel;
  s.latentU = true;
  const gs::Observations data = vAlone(target);
  gs::LandscapeSweep sweep;
  gs::LandscapeRequest request;
  request.observed = &data;
  request.extent = { 0, 1, 0, 1, 0, 1 };
  gs::LandscapeImage image;
  sweep.compute(s, request, image);
  ASSERT_EQ(image.size(), 8u);
  expectEveryPointIsTheHorizonLoss(image, s, data);
  s.horizon = 0;
  s.axes[2] = { -1, 0.0, 0.0, 1 };
  EXPECT_THROW(gs::Landscape(s, &data), gs::Error);
  s.horizon = 10;
  s.loss.includeU = true;
  EXPECT_THROW(gs::Landscape(s, &data), gs::Error);
  // u observed but latentU asked (or the reverse) is a contradiction, not a guess.
  s.loss.includeU = false;
  const gs::Observations uv = steady(target);
  EXPECT_THROW(gs::Landscape(s, &uv), gs::Error);
  s.latentU = false;
  EXPECT_THROW(gs::Landscape(s, &data), gs::Error);
}

// A series target over a fixed horizon: every point is the horizon loss of the series (the
// mean over its segments) with its gradient, bit for bit; a Horizon axis, a horizon the
// frames' spacing does not divide and the steady residual are refused.
TEST(Horizon, LandscapeOfASeries)
{
  const gs::Observations data = series(patternAt(Small, 2000), 4, 10);
  gs::LandscapeSettings s;
  s.grid = Small;
  s.axes[0] = { 2, 0.025, 0.045, 3 };
  s.axes[1] = { 3, 0.055, 0.075, 2 };
  s.axes[2] = { -1, 0.0, 0.0, 1 };
  s.losses = { gs::LossKind::Pixel, gs::LossKind::LogPS };
  s.loss.includeU = true;
  s.gradient = true;
  s.gradientLoss = gs::LossKind::Pixel;
  gs::LandscapeRequest request;
  request.observed = &data;
  request.extent = { 0, 2, 0, 1, 0, 0 };
  gs::LandscapeImage image;
  // Two segments of 20 steps and three of 10: the means over segments round as the horizon
  // loss's do whatever their number.
  for (const std::int64_t horizon : { 20, 10 })
  {
    s.horizon = horizon;
    gs::LandscapeSweep sweep;
    sweep.compute(s, request, image);
    ASSERT_EQ(image.size(), 6u);
    expectEveryPointIsTheHorizonLoss(image, s, data);
    gs::HorizonSettings hs;
    hs.horizon = horizon;
    const std::size_t segments = gs::HorizonLoss(data, hs).segments();
    EXPECT_EQ(gs::Landscape::runsPerPoint(s, &data), segments);
    EXPECT_EQ(segments, horizon == 20 ? 2u : 3u);
    // The same values in another object are the same target: nothing is computed again.
    const gs::Observations copy = data;
    request.observed = &copy;
    EXPECT_EQ(sweep.compute(s, request, image).computed, 0u);
    request.observed = &data;
  }
  // At the truth the series' own steps are reproduced: the loss is round-off.
  const gs::Parameters truth = gs::Parameters::paperTruth();
  s.axes[0] = { 2, truth.F, truth.F, 1 };
  s.axes[1] = { 3, truth.k, truth.k, 1 };
  request.extent = { 0, 0, 0, 0, 0, 0 };
  gs::LandscapeSweep().compute(s, request, image);
  EXPECT_LT(image.losses[0][0], 1e-28);

  request.residual = true;
  EXPECT_THROW(gs::LandscapeSweep().compute(s, request, image), gs::Error);
  request.residual = false;
  s.horizon = 15;
  EXPECT_THROW(gs::LandscapeSweep().compute(s, request, image), gs::Error);
  s.horizon = 0;
  s.axes[2] = { gs::LandscapeAxis::Horizon, 10.0, 30.0, 2 };
  EXPECT_THROW(gs::Landscape(s, &data), gs::Error);
  // Frames not a whole number of steps apart: the frames' message, not the horizon's.
  s.horizon = 20;
  s.axes[2] = { -1, 0.0, 0.0, 1 };
  gs::Observations uneven = data;
  uneven.times[2] += 0.5;
  try
  {
    const gs::Landscape refused(s, &uneven);
    ADD_FAILURE() << "uneven frames accepted";
  }
  catch (const gs::Error& e)
  {
    const std::string message = e.what();
    EXPECT_NE(message.find("whole and equal number of time steps"), std::string::npos) << message;
    EXPECT_EQ(message.find("horizon:"), std::string::npos) << message;
  }
}

TEST(Horizon, LandscapeRefusesABadHorizon)
{
  gs::LandscapeSettings s;
  s.grid = Small;
  s.axes[0] = { 2, 0.025, 0.045, 3 };
  s.axes[1] = { gs::LandscapeAxis::Horizon, 0.0, 100.0, 3 };
  gs::LandscapeRequest request;
  request.extent = { 0, 2, 0, 2, 0, 0 };
  gs::LandscapeImage image;
  auto message = [&] {
    try
    {
      gs::LandscapeSweep().compute(s, request, image);
    }
    catch (const gs::Error& e)
    {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message().find("of the horizon must be at least 1 step"), std::string::npos);
  s.axes[1] = { 3, 0.05, 0.06, 2 };
  s.horizon = -3;
  EXPECT_NE(message().find("horizon must be 0 (none) or at least 1 step"), std::string::npos);
  s.horizon = 0;
  s.axes[0] = { gs::LandscapeAxis::Horizon, 1.0, 10.0, 2 };
  EXPECT_NE(message().find("x.parameter"), std::string::npos) << message();
}

// The tangent linear run against central differences of the solver itself (O(h^2) with
// h = 1e-6: the difference is below 1e-8 of the sensitivity's size).
TEST(Horizon, SensitivitiesMatchFiniteDifferences)
{
  const gs::State start = patternAt(Small, 500);
  const gs::Parameters p{ 0.15, 0.07, 0.04, 0.06 };
  const gs::RunSettings rs{ 1.0, 40, 0.0 };
  const gs::Sensitivities d = gs::sensitivities(start, p, rs, { true, true, true, true });
  ASSERT_EQ(d.run.steps, 40);
  for (int c = 0; c < 4; ++c)
  {
    const double h = 1e-6;
    gs::Parameters a = p, b = p;
    a[static_cast<gs::Parameter>(c)] += h;
    b[static_cast<gs::Parameter>(c)] -= h;
    gs::State xa = start, xb = start;
    gs::run(xa, a, rs);
    gs::run(xb, b, rs);
    double err = 0.0, size = 0.0;
    for (std::size_t i = 0; i < start.u.size(); ++i)
    {
      const double fu = (xa.u[i] - xb.u[i]) / (2 * h), fv = (xa.v[i] - xb.v[i]) / (2 * h);
      err = std::max({ err, std::fabs(fu - d.d[c].u[i]), std::fabs(fv - d.d[c].v[i]) });
      size = std::max({ size, std::fabs(fu), std::fabs(fv) });
    }
    EXPECT_LT(err, 1e-8 * size) << gs::parameterName(static_cast<std::size_t>(c));
  }
  // Only what is asked for is carried.
  const gs::Sensitivities f = gs::sensitivities(start, p, rs, { false, false, true, false });
  EXPECT_TRUE(f.d[0].u.empty());
  EXPECT_EQ(f.d[2].u, d.d[2].u);
  EXPECT_EQ(f.final.u, d.final.u);
}

TEST(Horizon, ShootingStagesGrowToTheFinalHorizon)
{
  gs::ShootingSettings s;
  s.finalHorizon = 100;
  EXPECT_EQ(gs::shootingHorizons(1, s), (std::vector<std::int64_t>{ 1, 2, 4, 8, 16, 32, 64, 100 }));
  s.growth = 3.0;
  EXPECT_EQ(gs::shootingHorizons(20, s), (std::vector<std::int64_t>{ 20, 60, 100 }));
  s.finalHorizon = 90;
  EXPECT_EQ(gs::shootingHorizons(20, s), (std::vector<std::int64_t>{ 20, 60, 80 }));
  s.growth = 1.0;
  EXPECT_THROW(gs::shootingHorizons(1, s), gs::Error);
}

// A steady 32 x 32 pattern (run on to 1e-11 per step): clean, the continuation keeps the
// exact answer at every horizon; with noise sigma = 1e-2 on u and v, one step is far off and
// the longer horizons average the noise out.
TEST(Horizon, ShootingRecoversTheTruthFromThePaperStart)
{
  const gs::State steadyState = steadyAt(1e-11);
  const gs::Parameters start{ 0.1269280110429725, 0.1269280110429725, 0.05, 0.05 };
  gs::ShootingSettings s;
  s.finalHorizon = 512;
  const gs::ShootingResult clean = gs::fitByShooting(steady(steadyState), start, s);
  EXPECT_EQ(clean.horizon, 512) << clean.message;
  EXPECT_LT(worstError(clean.estimate), 1e-6) << clean.message;
  EXPECT_EQ(clean.history.front().horizon, 1);
  EXPECT_EQ(clean.history.back().horizon, 512);

  gs::State noisy = steadyState;
  addNoise(noisy, 1e-2, 11);
  const gs::ShootingResult r = gs::fitByShooting(steady(noisy), start, s);
  double oneStep = 0.0;
  for (const gs::ShootingRow& row : r.history)
  {
    if (row.horizon == 1)
    {
      oneStep = worstError(row.estimate);
    }
  }
  EXPECT_EQ(r.horizon, 512) << r.message;
  EXPECT_GT(oneStep, 0.1);
  // Measured 0.13-0.35% over seeds 11-13 (one step: 43-59%).
  EXPECT_LT(worstError(r.estimate), 0.01) << "one step: " << oneStep;
}

// v alone: the sensitivities start from the latent u's own derivatives, and the continuation
// recovers the truth from v of a steady pattern, clean and with noise on v.
TEST(Horizon, ShootingFromVAlone)
{
  const gs::State steadyState = steadyAt(1e-12);
  const gs::Observations data = vAlone(steadyState);
  const gs::Parameters truth = gs::Parameters::paperTruth();
  // The start's derivatives against finite differences of the latent u.
  gs::HorizonSettings hs;
  const gs::HorizonLoss loss(data, hs);
  const gs::Parameters p{ 0.15, 0.07, 0.04, 0.06 };
  const std::array<gs::State, 4> d = loss.startDerivatives(p);
  EXPECT_TRUE(d[1].u.empty());
  EXPECT_TRUE(d[3].u.empty());
  for (int c : { 0, 2 })
  {
    const double h = 1e-6;
    gs::Parameters a = p, b = p;
    a[static_cast<gs::Parameter>(c)] += h;
    b[static_cast<gs::Parameter>(c)] -= h;
    const gs::State xa = loss.startAt(0, a), xb = loss.startAt(0, b);
    double err = 0.0, size = 0.0;
    for (std::size_t i = 0; i < xa.u.size(); ++i)
    {
      const double fd = (xa.u[i] - xb.u[i]) / (2 * h);
      err = std::max(err, std::fabs(fd - d[c].u[i]));
      size = std::max(size, std::fabs(fd));
    }
    EXPECT_LT(err, 1e-7 * size) << gs::parameterName(static_cast<std::size_t>(c));
  }

  const gs::Parameters start{ 0.15, 0.085, 0.033, 0.067 };
  gs::ShootingSettings s;
  s.finalHorizon = 256;
  const gs::ShootingResult clean = gs::fitByShooting(data, start, s);
  EXPECT_EQ(clean.horizon, 256) << clean.message;
  EXPECT_LT(worstError(clean.estimate), 1e-6) << clean.message;

  // With noise the frozen v (F = k = Dv = 0, so u = 0) is the loss's lowest point: from the
  // residual fit of v alone (1% off) the one-step stage slides towards it, below the loss at
  // the truth, and the continuation says so.
  gs::State noisy = steadyState;
  addNoise(noisy, 1e-3, 11);
  const gs::Observations noisyData = vAlone(noisy);
  gs::ResidualSettings rs;
  rs.noiseVariance = 1e-6;
  rs.method = gs::ResidualMethod::Steady;
  const gs::ResidualFit fit = gs::fitResidual(noisyData, rs);
  const gs::ShootingResult r = gs::fitByShooting(noisyData, fit.estimate, s);
  gs::HorizonSettings one;
  const double atTruth = gs::HorizonLoss(noisyData, one).evaluate(truth);
  const gs::ShootingRow& last = r.history.back();
  std::printf("shooting from v alone, 32 x 32: clean %.2e; sigma 1e-3: the residual fit %.2e, "
              "stage 1 slid to %.2e (loss %.3g, at the truth %.3g)\n",
    worstError(clean.estimate), worstError(fit.estimate), worstError(last.estimate), last.loss,
    atTruth);
  EXPECT_EQ(r.horizon, 0) << r.message;
  EXPECT_LT(last.loss, atTruth);
  EXPECT_GT(worstError(last.estimate), worstError(fit.estimate));
  EXPECT_NE(r.message.find("frozen v"), std::string::npos) << r.message;
}

// At the trivial state (1, 0) the linearised step is diagonal in Fourier modes: u modes have
// multipliers 1 - dt (Du kappa^2 + F), v modes 1 - dt (Dv kappa^2 + F + k), kappa^2 the
// stencil's symbol; on 16 x 16 the leading six are the mean of u, the four u modes of the
// lowest wave number and one of the next (a fourfold one).
TEST(Horizon, RelaxationOfTheTrivialStateIsItsFourierSymbol)
{
  const gs::Grid g{ 16, 16, 1, 1.0, 1.0, 1.0 };
  gs::State x(g);
  std::fill(x.u.begin(), x.u.end(), 1.0);
  std::fill(x.v.begin(), x.v.end(), 0.0);
  const gs::Parameters p = gs::Parameters::paperTruth();
  const gs::RelaxationResult r = gs::relaxationModes(x, p, 1.0);
  ASSERT_TRUE(r.converged);
  const double k1 = 2.0 - 2.0 * std::cos(2.0 * M_PI / 16.0);
  const double expected[6] = { 1.0 - p.F, 1.0 - p.Du * k1 - p.F, 1.0 - p.Du * k1 - p.F,
    1.0 - p.Du * k1 - p.F, 1.0 - p.Du * k1 - p.F, 1.0 - 2.0 * p.Du * k1 - p.F };
  for (int i = 0; i < 6; ++i)
  {
    EXPECT_NEAR(r.multipliers[i].real(), expected[i], 1e-9) << i;
    EXPECT_NEAR(r.multipliers[i].imag(), 0.0, 1e-9) << i;
    EXPECT_LT(r.residuals[i], 1e-6) << i;
  }
  EXPECT_NEAR(
    gs::RelaxationResult::relaxationSteps(r.multipliers[0]), -1.0 / std::log(1.0 - p.F), 1e-6);
}

// On a pattern the leading multipliers are those of the dense Jacobian (8 x 8: 128 unknowns,
// built column by column from the tangent step).
TEST(Horizon, RelaxationMatchesTheDenseJacobian)
{
  const gs::Grid g{ 8, 8, 1, 1.0, 1.0, 1.0 };
  gs::State x(g);
  gs::makeInitialCondition(x, { 4, 0.02, 4 });
  gs::run(x, gs::Parameters::paperTruth(), { 1.0, 200, 0.0 });
  const gs::Parameters p = gs::Parameters::paperTruth();
  const std::size_t n = g.cells();
  std::vector<double> Lu(n), Lv(n), La(n), Lb(n);
  gs::laplacian(g, x.u.data(), Lu.data());
  gs::laplacian(g, x.v.data(), Lv.data());
  Eigen::MatrixXd J(2 * n, 2 * n);
  for (std::size_t c = 0; c < 2 * n; ++c)
  {
    gs::State e(g);
    std::fill(e.u.begin(), e.u.end(), 0.0);
    std::fill(e.v.begin(), e.v.end(), 0.0);
    (c < n ? e.u[c] : e.v[c - n]) = 1.0;
    gs::tangentStep(x, Lu.data(), Lv.data(), p, 1.0, -1, e, La.data(), Lb.data());
    for (std::size_t i = 0; i < n; ++i)
    {
      J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = e.u[i];
      J(static_cast<Eigen::Index>(n + i), static_cast<Eigen::Index>(c)) = e.v[i];
    }
  }
  const Eigen::VectorXcd all = Eigen::EigenSolver<Eigen::MatrixXd>(J).eigenvalues();
  std::vector<double> magnitudes;
  for (Eigen::Index i = 0; i < all.size(); ++i)
  {
    magnitudes.push_back(std::abs(all[i]));
  }
  std::sort(magnitudes.rbegin(), magnitudes.rend());
  gs::RelaxationSettings rs;
  rs.modes = 4;
  const gs::RelaxationResult r = gs::relaxationModes(x, p, 1.0, rs);
  ASSERT_TRUE(r.converged);
  for (int i = 0; i < 4; ++i)
  {
    EXPECT_NEAR(std::abs(r.multipliers[i]), magnitudes[i], 1e-9) << i;
  }
}

TEST(Horizon, TimeStepsAreLogSpacedWholeStepsAndAtTimeSetsThem)
{
  gs::LandscapeSettings s = gs::LandscapeSettings::paper();
  s.horizon = 1000;
  const std::vector<std::int64_t> k = gs::landscapeTimeSteps(s, gs::LandscapeTime::Horizon, 4);
  EXPECT_EQ(k, (std::vector<std::int64_t>{ 1, 10, 100, 1000 }));
  EXPECT_EQ(gs::atTime(s, gs::LandscapeTime::Horizon, 10).horizon, 10);
  // Repeats of small counts are dropped: 1, 1.4, 2, 2.8 round to 1, 1, 2, 3.
  s.horizon = 3;
  EXPECT_EQ(gs::landscapeTimeSteps(s, gs::LandscapeTime::Horizon, 4),
    (std::vector<std::int64_t>{ 1, 2, 3 }));
  EXPECT_TRUE(gs::landscapeTimeSteps(s, gs::LandscapeTime::None, 4).empty());
  // Steps needs the paper's protocol.
  EXPECT_THROW(gs::landscapeTimeSteps(s, gs::LandscapeTime::Steps, 4), gs::Error);
  s.horizon = 0;
  s.run.steps = 40000;
  const auto t = gs::landscapeTimeSteps(s, gs::LandscapeTime::Steps, 3);
  EXPECT_EQ(t, (std::vector<std::int64_t>{ 1, 200, 40000 }));
  EXPECT_EQ(gs::atTime(s, gs::LandscapeTime::Steps, 200).run.steps, 200);
  // The time step shown: the last at or before the time asked for, else the first.
  EXPECT_EQ(gs::timeStepAt(t, 0.0), 1);
  EXPECT_EQ(gs::timeStepAt(t, 199.9), 1);
  EXPECT_EQ(gs::timeStepAt(t, 200.0), 200);
  EXPECT_EQ(gs::timeStepAt(t, 1e9), 40000);
  EXPECT_THROW(gs::landscapeTimeSteps(s, gs::LandscapeTime::Horizon, 3), gs::Error);
  EXPECT_THROW(gs::landscapeTimeSteps(s, gs::LandscapeTime::Steps, 1), gs::Error);
  s.axes[2] = { gs::LandscapeAxis::Horizon, 1.0, 100.0, 3 };
  EXPECT_THROW(gs::landscapeTimeSteps(s, gs::LandscapeTime::Steps, 3), gs::Error);
}
