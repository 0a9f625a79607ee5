#include <gs/Landscape.h>
#include <gs/LandscapeCache.h>
#include <gs/Progress.h>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <numeric>
#include <unistd.h>

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

TEST(Landscape, TheSameAxisTwiceIsNamed)
{
  gs::LandscapeSettings s = smallSweep();
  s.axes[1].parameter = 2;
  try
  {
    gs::Landscape land(s);
    FAIL() << "accepted F twice";
  }
  catch (const gs::Error& e)
  {
    EXPECT_NE(std::string(e.what()).find("same parameter"), std::string::npos) << e.what();
  }
}

TEST(Landscape, GradientIsTheMeanAdjointGradientBitwise)
{
  gs::LandscapeSettings s = smallSweep();
  s.run.steps = 200;
  s.gradient = true;
  s.gradientLoss = gs::LossKind::LogPS;
  const gs::Landscape land(s);
  const auto points = computeAll(land);
  for (std::size_t i : { 0u, 5u })
  {
    gs::ParameterVector mean = { 0, 0, 0, 0 };
    for (int j = 0; j < 2; ++j)
    {
      gs::State x(s.grid);
      gs::makeInitialCondition(x, { 10u + j, 0.02, 10 });
      gs::LossSettings ls;
      const gs::Loss loss(ls, land.targets()[j]);
      const gs::GradientResult g = gs::lossGradient(x, land.parametersAt(i), s.run, loss);
      ASSERT_TRUE(g.valid) << g.message;
      for (int c = 0; c < 4; ++c)
      {
        mean[c] += g.gradient[c];
      }
    }
    for (int c = 0; c < 4; ++c)
    {
      EXPECT_EQ(points[i].gradient[c], mean[c] / 2) << i << " " << c;
    }
  }
  // Without the gradient asked for, it is NaN.
  EXPECT_TRUE(std::isnan(computeAll(gs::Landscape(smallSweep()))[0].gradient[0]));
}

TEST(Landscape, FingerprintFollowsEverySetting)
{
  const gs::Landscape a(smallSweep());
  EXPECT_EQ(a.fingerprint(), gs::Landscape(smallSweep()).fingerprint());
  gs::LandscapeSettings s = smallSweep();
  s.axes[0].max = 0.041;
  EXPECT_NE(a.fingerprint(), gs::Landscape(s).fingerprint());
  s = smallSweep();
  s.initialCondition.seed = 11;
  EXPECT_NE(a.fingerprint(), gs::Landscape(s).fingerprint());
  s = smallSweep();
  s.classify.spotCompactness = 0.7;
  EXPECT_NE(a.fingerprint(), gs::Landscape(s).fingerprint());
  s = smallSweep();
  s.gradient = true;
  EXPECT_NE(a.fingerprint(), gs::Landscape(s).fingerprint());
}

TEST(Landscape, AbortedPointsAreNeverReported)
{
  gs::LandscapeSettings s = smallSweep();
  s.initialConditions = 1;
  const gs::Landscape land(s);
  std::vector<std::size_t> all(land.size());
  std::iota(all.begin(), all.end(), std::size_t{ 0 });
  const tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
  std::atomic<int> reported{ 0 };
  // Stop once the first point's simulation is half done.
  gs::Progress progress([](double f) { return f > 0.5 / 6; }, 6.0 * s.run.steps);
  land.compute(
    all, [&](std::size_t, const gs::LandscapePoint&) { ++reported; }, &progress);
  EXPECT_TRUE(progress.aborted());
  EXPECT_EQ(reported.load(), 0);
}

/// A fresh path in the temporary folder, removed at the end of the test.
struct TempFile
{
  std::string path;
  TempFile()
  {
    char name[] = "/tmp/gs-landscape-cache-XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path = name;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

void expectSame(const gs::LandscapePoint& a, const gs::LandscapePoint& b)
{
  ASSERT_EQ(a.losses.size(), b.losses.size());
  for (std::size_t l = 0; l < a.losses.size(); ++l)
  {
    EXPECT_EQ(std::memcmp(&a.losses[l], &b.losses[l], sizeof(double)), 0);
  }
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.converged, b.converged);
  EXPECT_EQ(a.patternClass, b.patternClass);
  EXPECT_EQ(std::memcmp(&a.meanV, &b.meanV, sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(a.gradient.data(), b.gradient.data(), sizeof(a.gradient)), 0);
}

TEST(LandscapeCache, StoresPointsBitwiseAndSkipsATornRecord)
{
  const TempFile file;
  gs::LandscapePoint p0, p1, p2;
  p0.losses = { 1.0 / 3, std::nan("") };
  p0.steps = 123;
  p0.converged = true;
  p0.patternClass = gs::PatternClass::Spots;
  p0.meanV = 0.1;
  p0.gradient = { 1e-300, -2.0, 0.5, std::nan("") };
  p1 = p0;
  p1.losses[0] = 261.55;
  p1.patternClass = gs::PatternClass::Dead;
  p2 = p0;
  p2.steps = 40000;
  {
    gs::LandscapeCache cache(file.path, 42, 2);
    EXPECT_EQ(cache.size(), 0u);
    cache.store(0, p0);
    cache.store(7, p1);
  }
  {
    // A kill during a write: half a record at the end.
    std::ofstream out(file.path, std::ios::binary | std::ios::app);
    const std::uint64_t junk[3] = { 0x31504e4c53534723ull, 42, 3 };
    out.write(reinterpret_cast<const char*>(junk), sizeof junk);
  }
  {
    gs::LandscapeCache cache(file.path, 42, 2);
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.damagedRecords(), 1u);
    cache.store(3, p2);                         // after the torn record
    gs::LandscapeCache other(file.path, 43, 2); // another sweep's fingerprint sees nothing
    EXPECT_EQ(other.size(), 0u);
  }
  gs::LandscapeCache cache(file.path, 42, 2);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.damagedRecords(), 1u);
  gs::LandscapePoint q;
  EXPECT_FALSE(cache.find(1, q));
  ASSERT_TRUE(cache.find(0, q));
  expectSame(q, p0);
  ASSERT_TRUE(cache.find(7, q));
  expectSame(q, p1);
  ASSERT_TRUE(cache.find(3, q));
  expectSame(q, p2);
}

TEST(LandscapeCache, AFlippedBitIsNotTrusted)
{
  const TempFile file;
  gs::LandscapePoint p;
  p.losses = { 2.0 };
  {
    gs::LandscapeCache cache(file.path, 1, 1);
    cache.store(5, p);
    cache.store(6, p);
  }
  {
    std::fstream f(file.path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(8 * 4 + 3); // inside the first record's payload
    f.put('\x55');
  }
  gs::LandscapeCache cache(file.path, 1, 1);
  gs::LandscapePoint q;
  EXPECT_FALSE(cache.find(5, q));
  EXPECT_TRUE(cache.find(6, q));
  EXPECT_EQ(cache.damagedRecords(), 1u);
}

TEST(LandscapeCache, AnUnusablePathIsNamed)
{
  try
  {
    gs::LandscapeCache cache("/nonexistent-folder/cache.gslc", 1, 1);
    FAIL() << "opened a file in a missing folder";
  }
  catch (const gs::Error& e)
  {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/cache.gslc"), std::string::npos);
  }
  EXPECT_THROW(gs::LandscapeCache("/tmp", 1, 1), gs::Error);
}

} // namespace
