// The second solver, ETDRK4 with Fourier pseudo-spectral derivatives: exact on pure
// diffusion, fourth order in time on the full model, the same bits for any thread count, and
// the Pattern source's frames (PatternSeries with Scheme::Spectral).
#include <gs/PatternSeries.h>
#include <gs/Progress.h>
#include <gs/SpectralStepper.h>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>

namespace
{

double largestDifference(const gs::State& a, const gs::State& b)
{
  double d = 0.0;
  for (std::size_t i = 0; i < a.u.size(); ++i)
  {
    d = std::max({ d, std::abs(a.u[i] - b.u[i]), std::abs(a.v[i] - b.v[i]) });
  }
  return d;
}

gs::State seeded(const gs::Grid& g, int patch)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { 3, 0.02, patch });
  return s;
}

} // namespace

TEST(SpectralStepper, DiffusionOfAFourierModeIsExact)
{
  // F = k = 0 and v = 0: u_t = Du lap(u), whose cosine mode decays by exp(-Du |k|^2 t).
  const gs::Grid g{ 32, 24, 1, 0.5, 1.5, 1.0 };
  const gs::Parameters p{ 0.3, 0.1, 0.0, 0.0 };
  const double kx = 2.0 * M_PI * 3 / (32 * 0.5), ky = 2.0 * M_PI * 2 / (24 * 1.5);
  gs::State s(g);
  for (int y = 0; y < g.ny; ++y)
  {
    for (int x = 0; x < g.nx; ++x)
    {
      s.u[x + g.nx * y] = 1.0 + 0.1 * std::cos(kx * x * g.hx + ky * y * g.hy);
      s.v[x + g.nx * y] = 0.0;
    }
  }
  const double dt = 0.7;
  const int steps = 10;
  // Far beyond Euler's limit dt Du sum(1/h^2) <= 1/2: here 0.93.
  const gs::RunResult r = gs::SpectralStepper(g, p, dt).advance(s, steps);
  EXPECT_EQ(r.status, gs::RunStatus::Finished);
  EXPECT_EQ(r.steps, steps);
  const double decay = std::exp(-p.Du * (kx * kx + ky * ky) * dt * steps);
  double worst = 0.0;
  for (int y = 0; y < g.ny; ++y)
  {
    for (int x = 0; x < g.nx; ++x)
    {
      const double exact = 1.0 + 0.1 * decay * std::cos(kx * x * g.hx + ky * y * g.hy);
      worst = std::max({ worst, std::abs(s.u[x + g.nx * y] - exact), std::abs(s.v[x + g.nx * y]) });
    }
  }
  EXPECT_LT(worst, 1e-13);
}

TEST(SpectralStepper, FourthOrderInTime)
{
  // The full model from the seeded patch over 8 time units at dt = 1, 1/2, 1/4 against
  // dt = 1/16: each halving divides the error by about 2^4.
  const gs::Grid g{ 32, 32, 1, 1.0, 1.0, 1.0 };
  const gs::Parameters p = gs::Parameters::paperTruth();
  const double T = 8.0;
  auto run = [&](double dt) {
    gs::State s = seeded(g, 10);
    gs::SpectralStepper(g, p, dt).advance(s, static_cast<std::int64_t>(std::lround(T / dt)));
    return s;
  };
  const gs::State reference = run(1.0 / 16.0);
  double error[3];
  for (int i = 0; i < 3; ++i)
  {
    error[i] = largestDifference(run(std::ldexp(1.0, -i)), reference);
  }
  EXPECT_GT(error[2], 0.0);
  EXPECT_GT(error[0] / error[1], 12.0) << error[0] << " " << error[1];
  EXPECT_GT(error[1] / error[2], 12.0) << error[1] << " " << error[2];
}

TEST(SpectralStepper, SameBitsForAnyThreadCountAndAStopAtSteadyState)
{
  const gs::Grid g{ 48, 40, 1, 1.0, 1.0, 1.0 };
  const gs::Parameters p = gs::Parameters::paperTruth();
  gs::State one = seeded(g, 12), two = one;
  {
    const tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    gs::SpectralStepper(g, p, 1.0).advance(one, 200);
  }
  {
    const tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    gs::SpectralStepper(g, p, 1.0).advance(two, 200);
  }
  EXPECT_EQ(one.u, two.u);
  EXPECT_EQ(one.v, two.v);

  // A uniform fixed point (u, v) = (1, 0) does not move: a stop at the first step.
  gs::State rest(g);
  std::fill(rest.u.begin(), rest.u.end(), 1.0);
  std::fill(rest.v.begin(), rest.v.end(), 0.0);
  const gs::RunResult r = gs::SpectralStepper(g, p, 1.0).advance(rest, 100, 1e-12);
  EXPECT_EQ(r.status, gs::RunStatus::Converged);
  EXPECT_EQ(r.steps, 1);
  EXPECT_LT(r.lastChange, 1e-12);
}

TEST(SpectralStepper, PatternSeriesFramesAndRefusals)
{
  gs::SeriesSetup setup;
  setup.grid = { 32, 32, 1, 1.0, 1.0, 1.0 };
  setup.initial.patchSize = 10;
  setup.run = { 2.0, 40, 0.0 }; // dt = 2: beyond Euler's limit 0.5 / (2 * 0.16 * 2) = 0.78
  setup.interval = 20;
  setup.scheme = gs::Scheme::Spectral;
  EXPECT_NO_THROW(setup.validate());
  gs::SeriesSetup euler = setup;
  euler.scheme = gs::Scheme::Euler;
  EXPECT_THROW(euler.validate(), gs::Error);
  EXPECT_FALSE(setup == euler);

  gs::PatternSeries series;
  series.reset(setup, nullptr, 0);
  std::int64_t taken = 0;
  const gs::Frame* last = series.frame(2, {}, taken);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(taken, 40);
  EXPECT_EQ(last->steps, 40);
  gs::State direct(setup.grid);
  gs::makeInitialCondition(direct, setup.initial);
  gs::SpectralStepper stepper(setup.grid, setup.parameters, setup.run.dt);
  stepper.advance(direct, 20);
  stepper.advance(direct, 20);
  EXPECT_EQ(last->state.u, direct.u);
  EXPECT_EQ(last->state.v, direct.v);

  // Abort stops a frame; 3D is refused naming the scheme.
  gs::PatternSeries aborted;
  aborted.reset(setup, nullptr, 0);
  EXPECT_EQ(aborted.frame(
              2, [](double) { return true; }, taken),
    nullptr);
  gs::SeriesSetup cube = setup;
  cube.grid = { 16, 16, 16, 1.0, 1.0, 1.0 };
  try
  {
    cube.validate();
    ADD_FAILURE() << "a 3D spectral setup was accepted";
  }
  catch (const gs::Error& e)
  {
    EXPECT_EQ(std::string(e.what()).rfind("series.scheme Spectral runs on 2D grids", 0), 0u)
      << e.what();
  }
}
