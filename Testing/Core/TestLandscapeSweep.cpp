#include <gs/Landscape.h>
#include <gs/LandscapeSweep.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <string>
#include <unistd.h>
#include <vector>

namespace
{

gs::LandscapeSettings sweep()
{
  gs::LandscapeSettings s;
  s.grid = gs::Grid{ 24, 24, 1, 1.0, 1.0, 1.0 };
  // Long enough runs that an abort at half the progress finds points unfinished, however fast
  // the solver and however loaded the machine (300 steps let all six finish in 4 of 30 runs).
  s.run = { 1.0, 3000, 0.0 };
  s.initialCondition = { 3, 0.02, 8 };
  s.initialConditions = 2;
  s.axes[0] = { 2, 0.030, 0.040, 3 };
  s.axes[1] = { 3, 0.060, 0.065, 2 };
  s.losses = { gs::LossKind::LogPS, gs::LossKind::Pixel };
  return s;
}

gs::LandscapeRequest whole(const gs::LandscapeSettings& s)
{
  gs::LandscapeRequest r;
  r.extent = { 0, s.axes[0].resolution - 1, 0, s.axes[1].resolution - 1, 0, 0 };
  return r;
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b)
{
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

std::string errorOf(const std::function<void()>& f)
{
  try
  {
    f();
  }
  catch (const gs::Error& e)
  {
    return e.what();
  }
  return "";
}

} // namespace

// The sweep's image equals the Landscape's points, and pieces computed separately (another
// extent, another sweep) give the same bits as the whole.
TEST(LandscapeSweep, PiecesEqualTheWholeAndTheLandscape)
{
  const gs::LandscapeSettings s = sweep();
  gs::LandscapeSweep sweepAll;
  gs::LandscapeImage all;
  const gs::LandscapeOutcome outcome = sweepAll.compute(s, whole(s), all);
  EXPECT_FALSE(outcome.aborted);
  EXPECT_EQ(outcome.computed, 6u);
  ASSERT_EQ(all.size(), 6u);

  const gs::Landscape land(s);
  std::vector<std::size_t> points(land.size());
  std::iota(points.begin(), points.end(), std::size_t{ 0 });
  std::vector<gs::LandscapePoint> direct(land.size());
  land.compute(points, [&](std::size_t i, const gs::LandscapePoint& p) { direct[i] = p; });
  for (std::size_t t = 0; t < all.size(); ++t)
  {
    EXPECT_EQ(all.points[t], t); // VTK order, x fastest
    EXPECT_EQ(std::memcmp(&all.losses[0][t], &direct[t].losses[0], sizeof(double)), 0);
    EXPECT_EQ(all.steps[t], direct[t].steps);
  }

  gs::LandscapeSweep pieces;
  gs::LandscapeRequest row = whole(s);
  row.extent = { 0, 2, 1, 1, 0, 0 }; // the second row of k
  gs::LandscapeImage second;
  pieces.compute(s, row, second);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_TRUE(sameBits(second.losses[1], { all.losses[1][3], all.losses[1][4], all.losses[1][5] }));
  // Asked again with the whole extent, only the missing row is simulated.
  gs::LandscapeImage again;
  EXPECT_EQ(pieces.compute(s, whole(s), again).computed, 3u);
  EXPECT_TRUE(sameBits(again.losses[0], all.losses[0]));
  EXPECT_TRUE(sameBits(again.meanV, all.meanV));
}

// The gradient's components are the swept parameters and its norm their Euclidean norm; the
// residual loss alone needs no simulation of the candidates.
TEST(LandscapeSweep, GradientNormAndResidualAlone)
{
  gs::LandscapeSettings s = sweep();
  s.run.steps = 60;
  s.gradient = true;
  gs::LandscapeSweep sweepG;
  gs::LandscapeImage image;
  sweepG.compute(s, whole(s), image);
  ASSERT_EQ(image.gradientComponents.size(), 2u);
  EXPECT_EQ(image.gradientComponents[0], gs::Parameter::F);
  EXPECT_EQ(image.gradientComponents[1], gs::Parameter::k);
  for (std::size_t t = 0; t < image.size(); ++t)
  {
    const double gF = image.gradient[2 * t], gk = image.gradient[2 * t + 1];
    EXPECT_EQ(image.gradientNorm[t], std::sqrt(gF * gF + gk * gk));
  }

  gs::LandscapeSettings residualOnly = sweep();
  residualOnly.losses.clear();
  gs::LandscapeRequest r = whole(residualOnly);
  r.residual = true;
  gs::LandscapeSweep sweepR;
  gs::LandscapeImage bowl;
  const gs::LandscapeOutcome o = sweepR.compute(residualOnly, r, bowl);
  EXPECT_EQ(o.computed, 0u);
  ASSERT_EQ(bowl.residual.size(), 6u);
  EXPECT_TRUE(bowl.steps.empty());
  for (double value : bowl.residual)
  {
    EXPECT_TRUE(std::isfinite(value) && value >= 0.0);
  }
}

// An abort keeps the finished points and leaves the image empty; the rerun completes it with
// the same bits. Progress is monotone within (0, 1] (reports come from the calling thread
// only, so the last may fall short of 1: the pipeline ends at 1).
TEST(LandscapeSweep, AbortKeepsFinishedPointsAndProgressIsMonotone)
{
  const gs::LandscapeSettings s = sweep();
  gs::LandscapeSweep reference;
  gs::LandscapeImage expected;
  reference.compute(s, whole(s), expected);

  gs::LandscapeSweep sweepA;
  gs::LandscapeImage image;
  const gs::LandscapeOutcome aborted =
    sweepA.compute(s, whole(s), image, [](double f) { return f > 0.5; });
  EXPECT_TRUE(aborted.aborted);
  EXPECT_EQ(image.size(), 0u);
  EXPECT_EQ(aborted.requested, 6u);
  EXPECT_LT(aborted.finished, 6u);

  double last = 0.0;
  bool monotone = true;
  const gs::LandscapeOutcome rest = sweepA.compute(s, whole(s), image, [&](double f) {
    monotone = monotone && f >= last;
    last = f;
    return false;
  });
  EXPECT_FALSE(rest.aborted);
  EXPECT_EQ(rest.computed + aborted.finished, 6u);
  EXPECT_TRUE(monotone);
  EXPECT_GT(last, 0.0);
  EXPECT_LE(last, 1.0);
  EXPECT_TRUE(sameBits(image.losses[0], expected.losses[0]));
}

// With a cache file, a new sweep (a new process) reads every point back.
TEST(LandscapeSweep, CacheFileServesANewSweep)
{
  const gs::LandscapeSettings s = sweep();
  char path[] = "/tmp/gs-sweep-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  gs::LandscapeRequest r = whole(s);
  r.cacheFile = path;
  gs::LandscapeImage first, second;
  {
    gs::LandscapeSweep one;
    EXPECT_EQ(one.compute(s, r, first).computed, 6u);
  }
  gs::LandscapeSweep two;
  const gs::LandscapeOutcome o = two.compute(s, r, second);
  EXPECT_EQ(o.fromCache, 6u);
  EXPECT_EQ(o.computed, 0u);
  EXPECT_TRUE(sameBits(first.losses[1], second.losses[1]));
  std::remove(path);
}

// Every rule names its field in braces; what() shows Core's name, renamed() a front end's.
TEST(LandscapeSweep, RulesNameTheirFields)
{
  gs::LandscapeSweep sweepV;
  gs::LandscapeImage image;
  auto with = [&](const std::function<void(gs::LandscapeSettings&)>& change) {
    gs::LandscapeSettings s = sweep();
    change(s);
    return errorOf([&] { sweepV.compute(s, whole(s), image); });
  };
  EXPECT_EQ(with([](gs::LandscapeSettings& s) { s.axes[1].resolution = 0; }),
    "y.resolution must be at least 1, got 0.");
  EXPECT_EQ(with([](gs::LandscapeSettings& s) { s.axes[0].max = NAN; }), "x.range must be finite.");
  EXPECT_EQ(with([](gs::LandscapeSettings& s) { s.initialConditions = 0; }),
    "initialConditions must be at least 1, got 0.");
  EXPECT_EQ(
    with([](gs::LandscapeSettings& s) { s.losses.clear(); }), "losses: select at least one loss.");
  EXPECT_EQ(
    with([](gs::LandscapeSettings& s) { s.truth.F = -1.0; }), "truth: F must be finite and >= 0.");
  EXPECT_EQ(with([](gs::LandscapeSettings& s) {
    s.gradient = true;
    s.gradientSettings.checkpointBytes = 0.0;
  }),
    "gradient.checkpointBytes must be positive.");
  EXPECT_EQ(with([](gs::LandscapeSettings& s) { s.run.steps = -2; }),
    "run.steps must be non-negative (got -2).");

  try
  {
    gs::LandscapeSettings s = sweep();
    s.axes[2] = { 7, 0.0, 1.0, 2 };
    sweepV.compute(s, whole(s), image);
    FAIL() << "no error";
  }
  catch (const gs::Error& e)
  {
    const std::string shown =
      e.renamed([](const std::string& field) { return field == "z.parameter" ? "Z" : field; });
    EXPECT_EQ(shown.rfind("Z must be 0 (Du)", 0), 0u) << shown;
    EXPECT_EQ(std::string(e.what()).rfind("z.parameter must be 0 (Du)", 0), 0u) << e.what();
  }
}
