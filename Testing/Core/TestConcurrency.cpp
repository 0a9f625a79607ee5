// Two computations of ours at once in one process (as two ParaView pipelines updating from
// different threads) give exactly what each gives alone: Core keeps no shared mutable state.
#include <gs/Adjoint.h>
#include <gs/Landscape.h>
#include <gs/Loss.h>
#include <gs/Residual.h>
#include <gs/StepTeam.h>

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>

namespace
{

std::vector<double> landscapeLosses()
{
  gs::LandscapeSettings s;
  s.grid = gs::Grid{ 32, 32, 1, 1.0, 1.0, 1.0 };
  s.run = { 1.0, 400, 0.0 };
  s.initialCondition = { 3, 0.02, 10 };
  s.initialConditions = 2;
  s.axes[0] = { 2, 0.03, 0.04, 3 };
  s.axes[1] = { 3, 0.06, 0.065, 2 };
  const gs::Landscape land(s);
  std::vector<double> out(land.size() * s.losses.size());
  std::vector<std::size_t> all(land.size());
  std::iota(all.begin(), all.end(), std::size_t{ 0 });
  std::mutex m;
  land.compute(all, [&](std::size_t i, const gs::LandscapePoint& p) {
    std::lock_guard<std::mutex> lock(m);
    std::copy(p.losses.begin(), p.losses.end(), out.begin() + i * p.losses.size());
  });
  return out;
}

std::vector<double> gradientAndFit()
{
  gs::State x(gs::Grid{ 64, 64, 1, 1.0, 1.0, 1.0 }), target(x.grid);
  gs::makeInitialCondition(x, { 1, 0.02, 16 });
  gs::makeInitialCondition(target, { 2, 0.02, 16 });
  gs::run(target, gs::Parameters{}, { 1.0, 2000, 0.0 });
  const gs::Loss loss(gs::LossSettings{}, target);
  const gs::GradientResult g = gs::lossGradient(x, gs::Parameters{}, { 1.0, 300, 0.0 }, loss);
  gs::Observations data;
  data.grid = target.grid;
  gs::State next = target;
  gs::run(next, gs::Parameters{}, { 1.0, 1, 0.0 });
  data.frames = { target, next };
  data.times = { 0.0, 1.0 };
  const gs::ResidualFit fit = gs::fitResidual(data, gs::ResidualSettings{});
  std::vector<double> out = { g.loss };
  out.insert(out.end(), g.gradient.begin(), g.gradient.end());
  const auto e = fit.estimate.asArray();
  out.insert(out.end(), e.begin(), e.end());
  return out;
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b)
{
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST(Concurrency, TwoComputationsAtOnceEqualEachAlone)
{
  const std::vector<double> a = landscapeLosses(), b = gradientAndFit();
  for (double v : b)
  {
    ASSERT_TRUE(std::isfinite(v)); // a determined fit, not NaNs that compare equal anyway
  }
  for (int round = 0; round < 3; ++round)
  {
    std::vector<double> a2, b2, a3;
    std::thread t1([&] { a2 = landscapeLosses(); });
    std::thread t2([&] { b2 = gradientAndFit(); });
    std::thread t3([&] { a3 = landscapeLosses(); });
    t1.join();
    t2.join();
    t3.join();
    EXPECT_TRUE(sameBits(a, a2));
    EXPECT_TRUE(sameBits(a, a3));
    EXPECT_TRUE(sameBits(b, b2));
  }
}

} // namespace

TEST(Concurrency, StepTeamRunsEveryPartOnceWhateverThreadsThereAre)
{
  // More helpers than cores, and a pool limited to one thread (no helper ever starts): every
  // part still runs exactly once per step, and the team never waits for a helper TBB has not
  // started.
  for (int limit : { 0, 1 })
  {
    std::unique_ptr<tbb::global_control> one;
    if (limit)
    {
      one = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, 1);
    }
    for (int helpers : { 0, 1, 3, 7 })
    {
      gs::StepTeam team(helpers);
      ASSERT_EQ(team.parts(), static_cast<std::size_t>(helpers + 1));
      std::vector<std::atomic<int>> runs(team.parts());
      constexpr int steps = 2000;
      for (int n = 0; n < steps; ++n)
      {
        team.run([&](std::size_t part) { runs[part].fetch_add(1); });
      }
      for (std::size_t j = 0; j < team.parts(); ++j)
      {
        EXPECT_EQ(runs[j].load(), steps) << "part " << j << " of " << team.parts();
      }
    }
  }
}

TEST(Concurrency, GradientsInsideAParallelLoopFinish)
{
  // Each gradient's team lives while its logps loss runs an FFT through TBB; a thread waiting
  // there may be handed its own team's helper task, which must not wait for itself. Two
  // gradients of 128 x 128 (split grids) side by side must finish and equal one alone.
  const gs::Grid g{ 128, 128, 1, 1.0, 1.0, 1.0 };
  gs::State x0(g), target(g);
  gs::makeInitialCondition(x0, { 1, 0.02, 20 });
  gs::makeInitialCondition(target, { 2, 0.02, 20 });
  const gs::Loss loss(gs::LossSettings{}, target);
  const gs::Parameters p = gs::Parameters::paperTruth();
  const gs::RunSettings run{ 1.0, 60, 0.0 };
  const gs::GradientResult alone = gs::lossGradient(x0, p, run, loss, gs::GradientSettings{});
  std::vector<gs::GradientResult> both(4);
  tbb::parallel_for(std::size_t{ 0 }, both.size(),
    [&](std::size_t i) { both[i] = gs::lossGradient(x0, p, run, loss, gs::GradientSettings{}); });
  for (const gs::GradientResult& r : both)
  {
    EXPECT_EQ(r.loss, alone.loss);
    for (int c = 0; c < 4; ++c)
    {
      EXPECT_EQ(r.gradient[c], alone.gradient[c]);
    }
  }
}

TEST(Concurrency, StepTeamRethrowsAfterEveryPartHasRun)
{
  gs::StepTeam team(1);
  std::vector<std::atomic<int>> runs(team.parts());
  EXPECT_THROW(team.run([&](std::size_t part) {
    runs[part].fetch_add(1);
    throw gs::Error("part failed");
  }),
    gs::Error);
  for (std::size_t j = 0; j < team.parts(); ++j)
  {
    EXPECT_EQ(runs[j].load(), 1);
  }
  team.run([&](std::size_t part) { runs[part].fetch_add(1); }); // still usable
  EXPECT_EQ(runs[0].load(), 2);
}
