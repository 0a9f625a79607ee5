#include <gs/Landscape.h>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <mutex>
#include <numeric>

namespace
{

gs::LandscapeSettings smallSweep()
{
  gs::LandscapeSettings s;
  s.grid = gs::Grid{ 32, 32, 1, 1.0, 1.0, 1.0 };
  s.run = { 1.0, 600, 0.0 };
  s.initialCondition = { 10, 0.02, 10 };
  s.initialConditions = 2;
  s.axes[0] = { 2, 0.030, 0.040, 3 }; // F: 0.030, 0.035 (the truth), 0.040
  s.axes[1] = { 3, 0.060, 0.065, 2 }; // k: 0.060, 0.065 (the truth)
  s.losses = { gs::LossKind::LogPS, gs::LossKind::Pixel };
  return s;
}

std::vector<gs::LandscapePoint> computeAll(const gs::Landscape& land)
{
  std::vector<gs::LandscapePoint> out(land.size());
  std::vector<std::size_t> all(land.size());
  std::iota(all.begin(), all.end(), std::size_t{ 0 });
  std::mutex m;
  land.compute(all, [&](std::size_t i, const gs::LandscapePoint& p) {
    std::lock_guard<std::mutex> lock(m);
    out[i] = p;
  });
  return out;
}

TEST(Landscape, PointsEqualDirectSimulationsBitwise)
{
  const gs::LandscapeSettings s = smallSweep();
  const gs::Landscape land(s);
  ASSERT_EQ(land.size(), 6u);
  const auto points = computeAll(land);
  for (std::size_t i : { 0u, 4u, 5u })
  {
    const gs::Parameters p = land.parametersAt(i);
    double logps = 0.0, pixel = 0.0;
    for (int j = 0; j < 2; ++j)
    {
      gs::State x(s.grid), t(s.grid);
      gs::makeInitialCondition(x, { 10u + j, 0.02, 10 });
      gs::makeInitialCondition(t, { 10u + j, 0.02, 10 });
      gs::run(x, p, s.run);
      gs::run(t, s.truth, s.run);
      gs::LossSettings ls;
      logps += gs::Loss(ls, t).evaluate(x);
      ls.kind = gs::LossKind::Pixel;
      pixel += gs::Loss(ls, t).evaluate(x);
    }
    EXPECT_EQ(points[i].losses[0], logps / 2) << i;
    EXPECT_EQ(points[i].losses[1], pixel / 2) << i;
    EXPECT_EQ(points[i].steps, 600);
  }
  // Point 4 is (F, k) = (0.035, 0.065), the truth: every loss is 0.
  EXPECT_EQ(land.parametersAt(4).F, 0.035);
  EXPECT_EQ(land.parametersAt(4).k, 0.065);
  EXPECT_EQ(points[4].losses[0], 0.0);
  EXPECT_EQ(points[4].losses[1], 0.0);
}

TEST(Landscape, SameBitsForAnyThreadCountAndAnySubset)
{
  const gs::Landscape land(smallSweep());
  std::vector<gs::LandscapePoint> r[2];
  for (int t = 0; t < 2; ++t)
  {
    const tbb::global_control c(tbb::global_control::max_allowed_parallelism, t + 1);
    r[t] = computeAll(land);
  }
  gs::LandscapePoint only;
  land.compute({ 3 }, [&](std::size_t, const gs::LandscapePoint& p) { only = p; });
  for (std::size_t i = 0; i < land.size(); ++i)
  {
    EXPECT_EQ(r[0][i].losses, r[1][i].losses);
    EXPECT_EQ(r[0][i].meanV, r[1][i].meanV);
    EXPECT_EQ(r[0][i].patternClass, r[1][i].patternClass);
  }
  EXPECT_EQ(only.losses, r[0][3].losses);
}

TEST(Landscape, BadSettingsAreNamed)
{
  gs::LandscapeSettings s = smallSweep();
  s.initialConditions = 0;
  EXPECT_THROW(gs::Landscape{ s }, gs::Error);
  s = smallSweep();
  s.axes[1].resolution = 0;
  EXPECT_THROW(gs::Landscape{ s }, gs::Error);
  s = smallSweep();
  s.axes[0].max = std::nan("");
  EXPECT_THROW(gs::Landscape{ s }, gs::Error);
  // An unstable candidate is a NaN point, not a failed sweep.
  s = smallSweep();
  s.axes[0] = { 0, 0.2, 0.3, 2 }; // Du = 0.3 is beyond the limit 0.25
  s.axes[1] = {};
  const auto points = computeAll(gs::Landscape(s));
  EXPECT_TRUE(std::isfinite(points[0].losses[0]));
  EXPECT_TRUE(std::isnan(points[1].losses[0]));
}

} // namespace
