// The paper's setup on 128 x 128: what the truth and a nearby k produce.
#include <gs/Patterns.h>
#include <gs/Simulation.h>

#include <gtest/gtest.h>

#include <algorithm>

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
