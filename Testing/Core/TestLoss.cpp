#include <gs/Loss.h>
#include <gs/Random.h>
#include <gs/Simulation.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace
{

gs::State pattern(const gs::Grid& g, std::uint64_t seed, std::int64_t steps)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { seed, 0.02, std::max(2, g.nx / 6) });
  gs::run(s, gs::Parameters{}, { 1.0, steps, 0.0 });
  return s;
}

/// Central difference along `dir`, Richardson-extrapolated: error O(h^4).
double directionalFD(const std::function<double(double)>& f, double h)
{
  const double d1 = (f(h) - f(-h)) / (2 * h);
  const double d2 = (f(h / 2) - f(-h / 2)) / h;
  return (4 * d2 - d1) / 3;
}

double dot(const gs::State& a, const gs::State& b)
{
  double s = 0.0;
  for (std::size_t i = 0; i < a.v.size(); ++i)
  {
    s += a.u[i] * b.u[i] + a.v[i] * b.v[i];
  }
  return s;
}

/// Random fields: u in [0.5, 1), v in [0, 0.3).
gs::State noise(const gs::Grid& g, std::uint64_t seed)
{
  gs::State s(g);
  gs::Random rng(seed);
  for (std::size_t i = 0; i < s.v.size(); ++i)
  {
    s.u[i] = 0.5 + 0.5 * rng.uniform();
    s.v[i] = 0.3 * rng.uniform();
  }
  return s;
}

/// The gradient's directional derivative against finite differences along random directions.
void checkGradient(
  const gs::LossSettings& settings, const gs::State& target, const gs::State& prediction, double h)
{
  const gs::Grid& g = target.grid;
  const gs::Loss loss(settings, target);
  gs::State grad;
  const double value = loss.evaluate(prediction, &grad);
  ASSERT_TRUE(std::isfinite(value));
  ASSERT_GT(value, 0.0);
  EXPECT_EQ(loss.evaluate(target), 0.0);
  gs::Random rng(99);
  for (int trial = 0; trial < 3; ++trial)
  {
    gs::State dir = prediction;
    for (std::size_t i = 0; i < dir.v.size(); ++i)
    {
      dir.u[i] = settings.includeU ? rng.uniform() - 0.5 : 0.0;
      dir.v[i] = rng.uniform() - 0.5;
    }
    const double fd = directionalFD(
      [&](double t) {
        gs::State p = prediction;
        for (std::size_t i = 0; i < p.v.size(); ++i)
        {
          p.u[i] += t * dir.u[i];
          p.v[i] += t * dir.v[i];
        }
        return loss.evaluate(p);
      },
      h);
    const double exact = dot(grad, dir);
    EXPECT_LT(std::fabs(fd - exact), 1e-6 * std::fabs(exact))
      << gs::toString(settings.kind) << (settings.includeU ? " with u" : "") << ": adjoint "
      << exact << " vs finite difference " << fd;
  }
}

// Steps: the round-off of a central difference is about 1e-16 |L| / h, and its truncation,
// after Richardson extrapolation, grows like h^4. Random fields have a gentle spectrum and take
// h = 1e-5; simulated patterns have near-empty modes where log(P + 1e-8) bends sharply and need
// h = 1e-7. The Gram loss has ReLU kinks where a filter response crosses 0: a step of 1e-7
// makes crossing one unlikely on random fields, and it is not checked on simulated patterns,
// whose uniform regions put many responses exactly on a kink.
double noiseStep(gs::LossKind kind)
{
  return kind == gs::LossKind::Gram ? 1e-7 : 1e-5;
}

TEST(Loss, GradientsMatchFiniteDifferences2D)
{
  const gs::Grid g{ 32, 32, 1, 1.0, 1.0, 1.0 };
  for (gs::LossKind kind : gs::allLosses())
  {
    gs::LossSettings s;
    s.kind = kind;
    s.tileSize = 16;
    checkGradient(s, noise(g, 1), noise(g, 2), noiseStep(kind));
    if (kind != gs::LossKind::Gram)
    {
      checkGradient(s, pattern(g, 1, 1500), pattern(g, 2, 1300), 1e-7);
    }
    s.includeU = true;
    checkGradient(s, noise(g, 3), noise(g, 4), noiseStep(kind));
  }
}

TEST(Loss, GradientsMatchFiniteDifferences3D)
{
  const gs::Grid g{ 12, 10, 8, 1.0, 1.0, 1.0 };
  for (gs::LossKind kind : gs::allLosses())
  {
    gs::LossSettings s;
    s.kind = kind;
    s.tileSize = 4;
    checkGradient(s, noise(g, 1), noise(g, 2), noiseStep(kind));
  }
}

TEST(Loss, SpectralLossesAreTranslationInvariant)
{
  const gs::Grid g{ 32, 32, 1, 1.0, 1.0, 1.0 };
  const gs::State a = pattern(g, 1, 1500);
  gs::State shifted = a;
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x)
    {
      shifted.v[(x + 5) % 32 + 32 * ((y + 11) % 32)] = a.v[x + 32 * y];
    }
  for (gs::LossKind kind : { gs::LossKind::LogPS, gs::LossKind::LogPSRadial, gs::LossKind::Gram })
  {
    gs::LossSettings s;
    s.kind = kind;
    EXPECT_NEAR(gs::Loss(s, a).evaluate(shifted), 0.0, 1e-12) << gs::toString(kind);
  }
  gs::LossSettings pixel;
  pixel.kind = gs::LossKind::Pixel;
  EXPECT_GT(gs::Loss(pixel, a).evaluate(shifted), 1e-4);
}

TEST(Loss, PixelByHand)
{
  const gs::Grid g{ 2, 2, 1, 1.0, 1.0, 1.0 };
  gs::State t(g), p(g);
  t.v = { 0.0, 0.1, 0.2, 0.3 };
  p.v = { 0.1, 0.1, 0.0, 0.3 };
  gs::LossSettings s;
  s.kind = gs::LossKind::Pixel;
  gs::State grad;
  EXPECT_DOUBLE_EQ(gs::Loss(s, t).evaluate(p, &grad), (0.01 + 0.04) / 4);
  EXPECT_DOUBLE_EQ(grad.v[0], 2 * 0.1 / 4);
  EXPECT_DOUBLE_EQ(grad.v[2], 2 * -0.2 / 4);
}

TEST(Loss, NamesAndBadSettings)
{
  for (gs::LossKind k : gs::allLosses())
  {
    EXPECT_EQ(gs::lossFromString(gs::toString(k)), k);
  }
  EXPECT_THROW(gs::lossFromString("vgg"), gs::Error);
  const gs::Grid g{ 8, 8, 1, 1.0, 1.0, 1.0 };
  gs::State t(g);
  gs::LossSettings s;
  s.kind = gs::LossKind::LogPSWindowed;
  s.tileSize = 16;
  EXPECT_THROW(gs::Loss(s, t), gs::Error);
  s.kind = gs::LossKind::LogPS;
  s.epsilon = 0.0;
  EXPECT_THROW(gs::Loss(s, t), gs::Error);
  s.epsilon = 1e-8;
  gs::State other(gs::Grid{ 8, 4, 1, 1.0, 1.0, 1.0 });
  EXPECT_THROW(gs::Loss(s, t).evaluate(other), gs::Error);
}

} // namespace

namespace
{

TEST(Loss, BatchIsTheMeanOverPairs)
{
  const gs::Grid g{ 16, 16, 1, 1.0, 1.0, 1.0 };
  const gs::Loss a(gs::LossSettings{}, noise(g, 1)), b(gs::LossSettings{}, noise(g, 2));
  const std::vector<gs::State> predictions = { noise(g, 3), noise(g, 4) };
  std::vector<gs::State> grads;
  const double mean = gs::batchLoss({ &a, &b }, predictions, &grads);
  gs::State ga, gb;
  const double la = a.evaluate(predictions[0], &ga), lb = b.evaluate(predictions[1], &gb);
  EXPECT_DOUBLE_EQ(mean, (la + lb) / 2);
  ASSERT_EQ(grads.size(), 2u);
  EXPECT_DOUBLE_EQ(grads[0].v[7], ga.v[7] / 2);
  EXPECT_DOUBLE_EQ(grads[1].v[9], gb.v[9] / 2);
  EXPECT_THROW(gs::batchLoss({ &a }, predictions), gs::Error);
}

} // namespace
