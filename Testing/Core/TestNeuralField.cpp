#include <gs/Grid.h>
#include <gs/NeuralField.h>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>

namespace
{

/// Samples of (u, v) = (sin 2 pi x cos 2 pi y, 0.5 + 0.25 cos 2 pi (x + y)) on an n x n grid.
void smoothField(int n, std::vector<double>& x, std::vector<double>& y)
{
  const double pi = 3.141592653589793;
  for (int j = 0; j < n; ++j)
  {
    for (int i = 0; i < n; ++i)
    {
      const double a = (i + 0.5) / n, b = (j + 0.5) / n;
      x.insert(x.end(), { a, b });
      y.insert(y.end(),
        { std::sin(2 * pi * a) * std::cos(2 * pi * b), 0.5 + 0.25 * std::cos(2 * pi * (a + b)) });
    }
  }
}

gs::NeuralFieldSettings small()
{
  gs::NeuralFieldSettings s;
  s.features = 8;
  s.width = 16;
  s.hiddenLayers = 2;
  s.featureScale = 2.0;
  s.seed = 7;
  return s;
}

TEST(NeuralField, ParameterGradientMatchesFiniteDifferences)
{
  std::vector<double> x, y;
  smoothField(12, x, y);
  gs::NeuralField net(2, 2, small());
  std::vector<double> g;
  net.loss(x, y, &g);
  const double scale = *std::max_element(
    g.begin(), g.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
  std::vector<double>& theta = net.parameters();
  for (std::size_t i = 0; i < theta.size(); i += theta.size() / 37 + 1)
  {
    // Central differences, Richardson-extrapolated: error O(h^4) + round-off / h.
    const double keep = theta[i], h = 1e-4;
    auto at = [&](double d) {
      theta[i] = keep + d;
      const double l = net.loss(x, y);
      theta[i] = keep;
      return l;
    };
    const double d1 = (at(h) - at(-h)) / (2 * h), d2 = (at(h / 2) - at(-h / 2)) / h;
    const double fd = (4 * d2 - d1) / 3;
    EXPECT_NEAR(g[i], fd, 1e-6 * std::abs(scale)) << i;
  }
}

TEST(NeuralField, InputJacobianMatchesFiniteDifferences)
{
  gs::NeuralField net(3, 2, small());
  const double x[3] = { 0.3, 0.7, 0.45 };
  double J[6];
  net.inputJacobian(x, J);
  for (int j = 0; j < 3; ++j)
  {
    double xp[3] = { x[0], x[1], x[2] }, xm[3] = { x[0], x[1], x[2] };
    const double h = 1e-5;
    xp[j] += h;
    xm[j] -= h;
    double yp[2], ym[2];
    net.evaluate(xp, yp);
    net.evaluate(xm, ym);
    for (int o = 0; o < 2; ++o)
    {
      const double fd = (yp[o] - ym[o]) / (2 * h);
      EXPECT_NEAR(J[o * 3 + j], fd, 1e-6 * std::max(1.0, std::abs(fd))) << o << " " << j;
    }
  }
}

TEST(NeuralField, TrainingFitsASmoothField)
{
  std::vector<double> x, y;
  smoothField(32, x, y);
  gs::NeuralFieldSettings s = small();
  s.iterations = 400;
  s.learningRate = 5e-3;
  gs::NeuralField net(2, 2, s);
  const double before = net.loss(x, y);
  const double after = net.train(x, y);
  EXPECT_LT(after, before / 20) << before << " -> " << after;
}

TEST(NeuralField, SameNetworkForAnyThreadCount)
{
  std::vector<double> x, y;
  smoothField(32, x, y); // 1024 samples: four blocks of the loss
  gs::NeuralFieldSettings s = small();
  s.iterations = 30;
  std::vector<double> theta[2];
  for (int t = 0; t < 2; ++t)
  {
    const tbb::global_control c(tbb::global_control::max_allowed_parallelism, t + 1);
    gs::NeuralField net(2, 2, s);
    net.train(x, y);
    theta[t] = net.parameters();
  }
  EXPECT_EQ(theta[0], theta[1]);
}

TEST(NeuralField, BadSettingsAreNamed)
{
  gs::NeuralFieldSettings s = small();
  s.learningRate = 0.0;
  EXPECT_THROW(gs::NeuralField(2, 2, s), gs::Error);
  EXPECT_THROW(gs::NeuralField(0, 2, small()), gs::Error);
  gs::NeuralField net(2, 2, small());
  EXPECT_THROW(net.loss(std::vector<double>{ 0.1, 0.2, 0.3 }, { 1.0, 2.0 }), gs::Error);
}

} // namespace

#include <gs/Residual.h>
#include <gs/Simulation.h>

namespace
{

TEST(NeuralField, CompletesASmoothFieldFromHalfItsCells)
{
  // Smooth periodic fields on 24 x 24 cells, every other cell observed (a checkerboard): the
  // network trained on the observed half predicts the other half.
  gs::Observations data;
  data.grid = gs::Grid{ 24, 24, 1, 1.0, 1.0, 1.0 };
  data.frames.assign(1, gs::State(data.grid));
  data.times = { 0.0 };
  data.valid.resize(data.grid.cells());
  const double pi = 3.141592653589793;
  for (int j = 0; j < 24; ++j)
  {
    for (int i = 0; i < 24; ++i)
    {
      const double a = (i + 0.5) / 24, b = (j + 0.5) / 24;
      data.frames[0].u[i + 24 * j] = 0.7 + 0.2 * std::sin(2 * pi * a) * std::cos(2 * pi * b);
      data.frames[0].v[i + 24 * j] = 0.3 + 0.1 * std::cos(2 * pi * (a + b));
      data.valid[i + 24 * j] = (i + j) % 2;
    }
  }
  gs::NeuralFieldSettings s;
  s.features = 16;
  s.featureScale = 1.0;
  s.width = 24;
  s.iterations = 1500;
  s.learningRate = 5e-3;
  const gs::Observations done = gs::completeWithNeuralField(data, s);
  ASSERT_EQ(done.frames.size(), 1u);
  double worst[2] = { 0.0, 0.0 };
  for (std::size_t c = 0; c < data.grid.cells(); ++c)
  {
    if (!data.valid[c])
    {
      worst[0] = std::max(worst[0], std::abs(done.frames[0].u[c] - data.frames[0].u[c]));
      worst[1] = std::max(worst[1], std::abs(done.frames[0].v[c] - data.frames[0].v[c]));
    }
  }
  EXPECT_LT(worst[0], 0.03 * 0.4) << worst[0]; // 3% of the ranges at the unobserved cells
  EXPECT_LT(worst[1], 0.03 * 0.2) << worst[1];
}

} // namespace
