#include <gs/Adjoint.h>
#include <gs/Loss.h>
#include <gs/Progress.h>
#include <gs/Reparam.h>
#include <gs/Simulation.h>

#include "FiniteDifference.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <functional>

namespace
{

using gs_testing::parameterFD;

const gs::Grid Small{ 32, 32, 1, 1.0, 1.0, 1.0 };

gs::State initialState(const gs::Grid& g, std::uint64_t seed)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { seed, 0.02, 20 });
  return s;
}

gs::State simulated(
  const gs::Grid& g, std::uint64_t seed, const gs::Parameters& p, std::int64_t steps)
{
  gs::State s = initialState(g, seed);
  gs::run(s, p, { 1.0, steps, 0.0 });
  return s;
}

double lossAt(
  const gs::State& x0, const gs::Parameters& p, const gs::RunSettings& rs, const gs::Loss& loss)
{
  gs::State x = x0;
  gs::run(x, p, rs);
  return loss.evaluate(x);
}


// 200 steps from the paper's initial condition (a 20 x 20 patch and noise) on 32 x 32. Even
// after so few steps the spectral losses bend sharply in the parameters (near-empty modes of
// log(P + 1e-8)): central differences of dL/dk at the paper's start move from -5.6e3 (h = 1e-3)
// to -9.8580e4 (h = 1e-8) towards the adjoint's -9.8582e4. So h = 1e-7, Richardson-extrapolated;
// its round-off, about 1e-16 |L| / h, stays below 1e-7 relative here.
TEST(Adjoint, UnrolledMatchesFiniteDifferences)
{
  const gs::Parameters p = gs::Parameters::paperTruth();
  const gs::RunSettings rs{ 1.0, 200, 0.0 };
  const gs::State x0 = initialState(Small, 1);
  for (gs::LossKind kind : { gs::LossKind::LogPS, gs::LossKind::Pixel, gs::LossKind::Gram })
  {
    gs::LossSettings ls;
    ls.kind = kind;
    ls.includeU = kind == gs::LossKind::Pixel;
    const gs::Loss loss(ls, simulated(Small, 2, { 0.15, 0.07, 0.04, 0.06 }, 200));
    const gs::GradientResult g = gs::lossGradient(x0, p, rs, loss);
    ASSERT_TRUE(g.valid) << g.message;
    EXPECT_EQ(g.forward.steps, 200);
    EXPECT_NEAR(g.loss, lossAt(x0, p, rs, loss), 1e-12 * g.loss);
    for (int i = 0; i < 4; ++i)
    {
      const double fd =
        parameterFD([&](const gs::Parameters& q) { return lossAt(x0, q, rs, loss); }, p, i, 1e-7);
      EXPECT_LT(std::fabs(g.gradient[i] - fd), 1e-6 * std::fabs(fd))
        << gs::toString(kind) << " dL/d" << gs::parameterName(i) << ": adjoint " << g.gradient[i]
        << ", finite difference " << fd;
    }
  }
}

TEST(Adjoint, ThreeDimensionalAndWithTolerance)
{
  const gs::Grid g3{ 10, 8, 6, 1.0, 1.0, 1.0 };
  const gs::Parameters p{ 0.12, 0.06, 0.035, 0.062 };
  gs::State x0(g3);
  gs::makeInitialCondition(x0, { 3, 0.02, 4 });
  gs::LossSettings ls;
  ls.kind = gs::LossKind::Pixel;
  gs::State target(g3);
  gs::makeInitialCondition(target, { 4, 0.05, 4 });
  const gs::Loss loss(ls, target);
  // A tolerance loose enough to stop the run early: the gradient is that of the run as taken.
  const gs::RunSettings rs{ 1.0, 300, 1e-3 };
  const gs::GradientResult g = gs::lossGradient(x0, p, rs, loss);
  ASSERT_TRUE(g.valid) << g.message;
  ASSERT_LT(g.forward.steps, 300);
  const gs::RunSettings fixed{ 1.0, g.forward.steps, 0.0 };
  for (int i = 0; i < 4; ++i)
  {
    const double fd =
      parameterFD([&](const gs::Parameters& q) { return lossAt(x0, q, fixed, loss); }, p, i, 1e-7);
    EXPECT_LT(std::fabs(g.gradient[i] - fd), 1e-6 * std::fabs(fd)) << gs::parameterName(i);
  }
}

TEST(Adjoint, CheckpointedEqualsFullyStored)
{
  const gs::Parameters p = gs::Parameters::paperTruth();
  const gs::RunSettings rs{ 1.0, 500, 0.0 };
  const gs::State x0 = initialState(Small, 1);
  gs::LossSettings ls;
  const gs::Loss loss(ls, simulated(Small, 2, p, 500));
  const double state = 2.0 * 8 * Small.cells();
  gs::GradientSettings stored, tight, none;
  stored.checkpointBytes = 600 * state; // every step fits
  tight.checkpointBytes = 12 * state;   // 7 stored states for 500 steps
  none.checkpointBytes = 5 * state;     // none: each step recomputed from the start
  const gs::GradientResult a = gs::lossGradient(x0, p, rs, loss, stored);
  const gs::GradientResult b = gs::lossGradient(x0, p, rs, loss, tight);
  const gs::RunSettings shortRun{ 1.0, 40, 0.0 };
  const gs::GradientResult c0 = gs::lossGradient(x0, p, shortRun, loss, stored);
  const gs::GradientResult c = gs::lossGradient(x0, p, shortRun, loss, none);
  ASSERT_TRUE(a.valid && b.valid && c.valid && c0.valid);
  for (int i = 0; i < 4; ++i)
  {
    EXPECT_NEAR(a.gradient[i], b.gradient[i], 1e-12 * std::fabs(a.gradient[i]));
    EXPECT_NEAR(c0.gradient[i], c.gradient[i], 1e-12 * std::fabs(c0.gradient[i]));
  }
  EXPECT_EQ(a.forwardSteps, 500);  // stored: one forward sweep
  EXPECT_GT(b.forwardSteps, 1000); // recomputations
  EXPECT_LE(b.peakBytes, tight.checkpointBytes);
  EXPECT_EQ(b.checkpoints, 7u);
  EXPECT_EQ(c.checkpoints, 0u);
  EXPECT_EQ(c.forwardSteps, 40 * 39 / 2 + 1); // quadratic without stored states
  EXPECT_EQ(a.adjointSteps, 500);
}

TEST(Adjoint, TruncatedWithAllStepsIsUnrolledAndOtherwiseHoldsTheEarlyStateFixed)
{
  const gs::Parameters p = gs::Parameters::paperTruth();
  const gs::RunSettings rs{ 1.0, 300, 0.0 };
  const gs::State x0 = initialState(Small, 1);
  gs::LossSettings ls;
  const gs::Loss loss(ls, simulated(Small, 2, p, 300));
  gs::GradientSettings full, truncated;
  truncated.routing = full.routing = gs::Routing::Truncated;
  full.truncationSteps = 300;
  truncated.truncationSteps = 50;
  const gs::GradientResult u = gs::lossGradient(x0, p, rs, loss);
  const gs::GradientResult f = gs::lossGradient(x0, p, rs, loss, full);
  const gs::GradientResult t = gs::lossGradient(x0, p, rs, loss, truncated);
  ASSERT_TRUE(u.valid && f.valid && t.valid);
  EXPECT_EQ(u.gradient, f.gradient);
  EXPECT_EQ(t.adjointSteps, 50);
  // The truncated gradient is the exact gradient of the last 50 steps from a fixed state.
  gs::State x250 = x0;
  gs::run(x250, p, { 1.0, 250, 0.0 });
  for (int i = 0; i < 4; ++i)
  {
    const double fd = parameterFD(
      [&](const gs::Parameters& q) {
        return lossAt(x250, q, { 1.0, 50, 0.0 }, loss);
      },
      p, i, 1e-7);
    EXPECT_LT(std::fabs(t.gradient[i] - fd), 1e-6 * std::fabs(fd)) << gs::parameterName(i);
  }
}

TEST(Adjoint, ImplicitAgreesWithUnrolledAtASteadyState)
{
  // F = 0.04, k = 0.05 has a stable uniform state with v > 0 (no Turing instability at these
  // diffusion rates), and the pixel loss against a fixed field depends on where it sits.
  const gs::Parameters p{ 0.16, 0.08, 0.04, 0.05 };
  const gs::State x0 = initialState(Small, 1);
  gs::LossSettings ls;
  ls.kind = gs::LossKind::Pixel;
  ls.includeU = true;
  const gs::Loss loss(ls, initialState(Small, 9));
  const gs::RunSettings rs{ 1.0, 100000, 1e-13 };
  gs::GradientSettings implicit;
  implicit.routing = gs::Routing::Implicit;
  const gs::GradientResult im = gs::lossGradient(x0, p, rs, loss, implicit);
  ASSERT_TRUE(im.valid) << im.message;
  ASSERT_EQ(im.forward.status, gs::RunStatus::Converged);
  const gs::GradientResult un = gs::lossGradient(x0, p, rs, loss);
  ASSERT_TRUE(un.valid) << un.message;
  // Relative to the gradient's norm: dL/dDu and dL/dDv vanish at a uniform state (L u = 0),
  // where the unrolled run keeps only a 1e-11 trace of its transient.
  double diff = 0.0, norm = 0.0;
  for (int i = 0; i < 4; ++i)
  {
    diff += (im.gradient[i] - un.gradient[i]) * (im.gradient[i] - un.gradient[i]);
    norm += un.gradient[i] * un.gradient[i];
  }
  EXPECT_LT(std::sqrt(diff), 1e-4 * std::sqrt(norm));
  EXPECT_GT(std::fabs(un.gradient[2]), 1e-3);
  std::printf("implicit: %d GMRES iterations, residual %g; unrolled over %lld steps\n",
    im.solverIterations, im.solverResidual, static_cast<long long>(un.forward.steps));
}

TEST(Adjoint, ReparameterisedGradientFollowsTheChainRule)
{
  const gs::ParameterVector raw = { -2.0, -2.0, 0.0, 0.0 }; // the paper's start
  const gs::Parameters p = gs::reparam::toParameters(raw);
  EXPECT_NEAR(p.Du, 0.126928, 1e-6);
  EXPECT_DOUBLE_EQ(p.F, 0.05);
  const gs::ParameterVector back = gs::reparam::fromParameters(p);
  for (int i = 0; i < 4; ++i)
  {
    EXPECT_NEAR(back[i], raw[i], 1e-12);
  }
  const gs::RunSettings rs{ 1.0, 150, 0.0 };
  const gs::State x0 = initialState(Small, 1);
  const gs::Loss loss(gs::LossSettings{}, simulated(Small, 2, gs::Parameters::paperTruth(), 150));
  const gs::GradientResult g = gs::lossGradient(x0, p, rs, loss);
  const gs::ParameterVector graw = gs::reparam::gradient(raw, g.gradient);
  for (int i = 0; i < 4; ++i)
  {
    auto at = [&](double d) {
      gs::ParameterVector r = raw;
      r[i] += d;
      return lossAt(x0, gs::reparam::toParameters(r), rs, loss);
    };
    const double h = 1e-7;
    const double fd = (4 * (at(h / 2) - at(-h / 2)) / h - (at(h) - at(-h)) / (2 * h)) / 3;
    EXPECT_LT(std::fabs(graw[i] - fd), 1e-6 * std::fabs(fd)) << i;
  }
  EXPECT_THROW(gs::reparam::fromParameters({ 0.1, 0.1, 0.2, 0.05 }), gs::Error);
}

TEST(Adjoint, BlowUpAndBadSettingsAreReported)
{
  gs::Parameters p;
  p.F = 5.0;
  const gs::Loss loss(gs::LossSettings{}, initialState(Small, 2));
  const gs::GradientResult g = gs::lossGradient(initialState(Small, 1), p, { 1.0, 100, 0.0 }, loss);
  EXPECT_FALSE(g.valid);
  EXPECT_NE(g.message.find("blew up"), std::string::npos) << g.message;

  gs::GradientSettings tiny;
  tiny.checkpointBytes = 1000;
  EXPECT_THROW(
    gs::lossGradient(initialState(Small, 1), gs::Parameters{}, { 1.0, 10, 0.0 }, loss, tiny),
    gs::Error);
  gs::GradientSettings implicit;
  implicit.routing = gs::Routing::Implicit;
  const gs::GradientResult notSteady =
    gs::lossGradient(initialState(Small, 1), gs::Parameters{}, { 1.0, 10, 1e-12 }, loss, implicit);
  EXPECT_FALSE(notSteady.valid);
  EXPECT_NE(notSteady.message.find("steady"), std::string::npos);
  EXPECT_EQ(gs::routingFromString("truncated"), gs::Routing::Truncated);
  EXPECT_THROW(gs::routingFromString("surrogate"), gs::Error);
}

TEST(Adjoint, OneAndTwoThreadsGiveIdenticalBits)
{
  const gs::Grid g{ 128, 128, 1, 1.0, 1.0, 1.0 };
  const gs::State x0 = initialState(g, 1);
  const gs::Loss loss(gs::LossSettings{}, initialState(g, 2));
  gs::GradientResult r[2];
  for (int t = 0; t < 2; ++t)
  {
    const tbb::global_control c(tbb::global_control::max_allowed_parallelism, t + 1);
    r[t] = gs::lossGradient(x0, gs::Parameters{}, { 1.0, 100, 0.0 }, loss);
  }
  EXPECT_EQ(r[0].gradient, r[1].gradient);
  EXPECT_EQ(r[0].loss, r[1].loss);
}

TEST(Adjoint, AbortStopsTheReverseSweep)
{
  const gs::Loss loss(gs::LossSettings{}, initialState(Small, 2));
  gs::Progress progress([](double f) { return f > 0.1; }, 1000);
  const gs::GradientResult g = gs::lossGradient(
    initialState(Small, 1), gs::Parameters{}, { 1.0, 1000, 0.0 }, loss, {}, &progress);
  EXPECT_FALSE(g.valid);
  EXPECT_LT(g.adjointSteps, 1000);
}

/// The truth on 48 x 48 from seed `seed`, after `steps` steps: it settles into 12 spots.
gs::State spotStart(std::uint64_t seed, std::int64_t steps = 0)
{
  gs::State s(gs::Grid{ 48, 48, 1, 1.0, 1.0, 1.0 });
  gs::makeInitialCondition(s, { seed, 0.02, 16 });
  gs::run(s, gs::Parameters{}, { 1.0, steps, 0.0 });
  return s;
}

TEST(Adjoint, ImplicitAgreesWithUnrolledOnASpotPattern)
{
  // logps is translation invariant, so the nearly
  // singular transposed system (spots can slide) is consistent and GMRES solves it.
  const gs::State x0 = spotStart(1), target = spotStart(2, 3000);
  const gs::Loss loss(gs::LossSettings{}, target);
  const gs::RunSettings rs{ 1.0, 400000, 1e-12 };
  gs::GradientSettings implicit;
  implicit.routing = gs::Routing::Implicit;
  const gs::GradientResult im = gs::lossGradient(x0, gs::Parameters{}, rs, loss, implicit);
  ASSERT_TRUE(im.valid) << im.message;
  const gs::GradientResult un = gs::lossGradient(x0, gs::Parameters{}, rs, loss);
  ASSERT_TRUE(un.valid) << un.message;
  for (int i = 0; i < 4; ++i)
  {
    EXPECT_NEAR(im.gradient[i], un.gradient[i], 1e-4 * std::fabs(un.gradient[i]))
      << gs::parameterName(i);
  }
  std::printf("spots: steady after %lld steps; implicit %d GMRES iterations (residual %g)\n",
    static_cast<long long>(im.forward.steps), im.solverIterations, im.solverResidual);
}

TEST(Adjoint, ImplicitReportsALossThatIsNotTranslationInvariant)
{
  const gs::State x0 = spotStart(1), target = spotStart(2, 3000);
  gs::LossSettings pixel;
  pixel.kind = gs::LossKind::Pixel;
  gs::GradientSettings implicit;
  implicit.routing = gs::Routing::Implicit;
  const gs::GradientResult r = gs::lossGradient(
    x0, gs::Parameters{}, { 1.0, 400000, 1e-9 }, gs::Loss(pixel, target), implicit);
  EXPECT_FALSE(r.valid);
  EXPECT_GT(r.translationAlignment, 1e-3);
  EXPECT_NE(r.message.find("not translation invariant"), std::string::npos) << r.message;
}

} // namespace

#include <gs/Checkpointing.h>

namespace
{

TEST(Checkpointing, ClosedFormCostIsTheOptimumAndTheSplitReachesIt)
{
  // Brute force: best[l][s] = min over m of m + best[l - m][s - 1] + best[m][s].
  const int L = 90, S = 6;
  std::vector<std::vector<std::int64_t>> best(L + 1, std::vector<std::int64_t>(S + 1, 0));
  for (int l = 2; l <= L; ++l)
  {
    best[l][0] = std::int64_t(l) * (l - 1) / 2;
    for (int s = 1; s <= S; ++s)
    {
      std::int64_t b = INT64_MAX;
      for (int m = 1; m < l; ++m)
      {
        b = std::min(b, m + best[l - m][s - 1] + best[m][s]);
      }
      best[l][s] = b;
    }
  }
  for (int l = 1; l <= L; ++l)
    for (int s = 0; s <= S; ++s)
    {
      ASSERT_EQ(gs::checkpointing::cost(l, s), best[l][s]) << "l = " << l << ", free = " << s;
      if (l >= 2 && s >= 1)
      {
        const std::int64_t m = gs::checkpointing::split(l, s);
        ASSERT_EQ(m + best[l - m][s - 1] + best[m][s], best[l][s]) << l << ", " << s;
      }
    }
  EXPECT_EQ(gs::checkpointing::beta(3, 2), 10);
}

TEST(Checkpointing, ReverseSweepCostsTheOptimum)
{
  const gs::Loss loss(gs::LossSettings{}, initialState(Small, 2));
  const double state = 2.0 * 8 * Small.cells();
  for (int slots : { 1, 3, 10 })
  {
    gs::GradientSettings gsets;
    gsets.checkpointBytes = (slots + 5) * state; // 4 work states and the start are reserved
    const gs::GradientResult r =
      gs::lossGradient(initialState(Small, 1), gs::Parameters{}, { 1.0, 300, 0.0 }, loss, gsets);
    ASSERT_TRUE(r.valid);
    EXPECT_EQ(r.checkpoints, static_cast<std::size_t>(slots));
    // Plus one step for the final state, which the first chain of stores stops short of.
    EXPECT_EQ(r.forwardSteps, gs::checkpointing::cost(300, slots) + 1) << slots;
  }
}

} // namespace
