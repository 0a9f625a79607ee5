// The paper's setup on 128 x 128: what the truth and a nearby k produce.
#include <gs/Patterns.h>
#include <gs/Simulation.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace
{

gs::State paperTarget(const gs::Parameters& p, gs::RunResult& result, std::uint64_t seed = 0)
{
  gs::Grid g; // 128 x 128, h = 1
  gs::State s(g);
  gs::makeInitialCondition(s, { seed, 0.02, 20 });
  result = gs::run(s, p, { 1.0, 40000, 1e-4 });
  return s;
}

TEST(Science, TruthReachesASpottedSteadyState)
{
  for (std::uint64_t seed : { 0, 1 })
  {
    gs::RunResult r;
    const gs::State s = paperTarget(gs::Parameters::paperTruth(), r, seed);
    EXPECT_EQ(r.status, gs::RunStatus::Converged) << gs::toString(r.status);
    EXPECT_LT(r.steps, 40000);
    const std::size_t spots = gs::countRegions(s.grid, s.v, 0.2);
    EXPECT_GE(spots, 10u) << "seed " << seed;
    const auto [vmin, vmax] = std::minmax_element(s.v.begin(), s.v.end());
    EXPECT_GE(*vmin, 0.0);
    EXPECT_GT(*vmax, 0.2);
    EXPECT_LE(*vmax, 1.0);
    std::printf("seed %llu: steady after %lld steps, %zu spots (v > 0.2), v in [%g, %g]\n",
      static_cast<unsigned long long>(seed), static_cast<long long>(r.steps), spots, *vmin, *vmax);
  }
}

TEST(Science, LargerKDiesOut)
{
  gs::Parameters p = gs::Parameters::paperTruth();
  p.k = 0.066;
  gs::RunResult r;
  const gs::State s = paperTarget(p, r);
  EXPECT_NE(r.status, gs::RunStatus::BlowUp);
  const double vmax = *std::max_element(s.v.begin(), s.v.end());
  const double umin = *std::min_element(s.u.begin(), s.u.end());
  EXPECT_LT(vmax, 1e-3);
  EXPECT_GT(umin, 0.99);
  std::printf("k = 0.066: %s after %lld steps, max v = %g\n", gs::toString(r.status),
    static_cast<long long>(r.steps), vmax);
}

TEST(Patterns, CountRegionsWrapsAround)
{
  gs::Grid g;
  g.nx = 10;
  g.ny = 8;
  std::vector<double> f(g.cells(), 0.0);
  auto set = [&](int x, int y) { f[x + 10 * y] = 1.0; };
  set(0, 0); // one region across the corner: (0,0), (9,0), (0,7)
  set(9, 0);
  set(0, 7);
  set(5, 4); // a second, 2 cells
  set(5, 5);
  set(2, 2); // diagonal neighbours are separate regions
  set(3, 3);
  EXPECT_EQ(gs::countRegions(g, f, 0.5), 4u);
  EXPECT_EQ(gs::countRegions(g, f, 1.5), 0u);
}

} // namespace

namespace
{

gs::State synthetic(int n, const std::function<double(int, int)>& v)
{
  gs::Grid g;
  g.nx = g.ny = n;
  gs::State s(g);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
    {
      s.v[x + n * y] = v(x, y);
      s.u[x + n * y] = 1.0 - v(x, y);
    }
  return s;
}

double disc(int x, int y, int cx, int cy, double r)
{
  return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r ? 0.3 : 0.01;
}

TEST(Patterns, ClassifiesSyntheticFields)
{
  using PC = gs::PatternClass;
  const auto C = gs::RunStatus::Converged;
  const gs::State spots =
    synthetic(64, [](int x, int y) { return std::max(disc(x % 16, y % 16, 8, 8, 4.0), 0.0); });
  EXPECT_EQ(gs::classify(spots, C, 0.0), PC::Spots);
  const gs::State stripes = synthetic(64, [](int x, int) { return x % 16 < 6 ? 0.3 : 0.01; });
  EXPECT_EQ(gs::classify(stripes, C, 0.0), PC::Stripes);
  const gs::State mixed = synthetic(64, [](int x, int y) {
    return y < 32 ? (x % 16 < 6 ? 0.3 : 0.01) : disc(x % 16, y % 16, 8, 8, 4.0);
  });
  EXPECT_EQ(gs::classify(mixed, C, 0.0), PC::Mixed);
  EXPECT_EQ(gs::classify(synthetic(16, [](int, int) { return 0.0; }), C, 0.0), PC::Dead);
  EXPECT_EQ(gs::classify(synthetic(16, [](int, int) { return 0.2; }), C, 0.0), PC::Uniform);
  EXPECT_EQ(gs::classify(spots, gs::RunStatus::BlowUp, 0.0), PC::BlowUp);
  EXPECT_EQ(gs::classify(spots, gs::RunStatus::Finished, 1e-3), PC::Unsettled);
  EXPECT_EQ(gs::classify(spots, gs::RunStatus::Finished, 1e-6), PC::Spots);
  EXPECT_STREQ(gs::toString(PC::Stripes), "stripes");
}

TEST(Patterns, ThePaperTargetIsSpots)
{
  gs::RunResult r;
  const gs::State s = paperTarget(gs::Parameters::paperTruth(), r);
  EXPECT_EQ(gs::classify(s, r.status, r.lastChange), gs::PatternClass::Spots);
  gs::Parameters dies = gs::Parameters::paperTruth();
  dies.k = 0.066;
  const gs::State d = paperTarget(dies, r);
  EXPECT_EQ(gs::classify(d, r.status, r.lastChange), gs::PatternClass::Dead);
}

} // namespace
