#include <gs/Kernel.h>
#include <gs/Progress.h>
#include <gs/Simulation.h>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace
{

const double Pi = 3.14159265358979323846;

gs::Grid grid(int nx, int ny, int nz = 1, double hx = 1.0, double hy = 1.0, double hz = 1.0)
{
  gs::Grid g;
  g.nx = nx;
  g.ny = ny;
  g.nz = nz;
  g.hx = hx;
  g.hy = hy;
  g.hz = hz;
  return g;
}

gs::State seeded(const gs::Grid& g, std::uint64_t seed)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { seed, 0.02, std::min(20, g.nx / 2) });
  return s;
}

bool bitwiseEqual(const std::vector<double>& a, const std::vector<double>& b)
{
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// Each Fourier mode is an eigenfunction of the periodic discrete Laplacian, with eigenvalue
/// sum over axes of (2 cos(2 pi m / n) - 2) / h^2: checks the stencil, the wrap-around and
/// the spacing in every axis.
void expectFourierEigenfunction(const gs::Grid& g, int mx, int my, int mz)
{
  std::vector<double> f(g.cells()), lap(g.cells());
  double lambda = 0.0;
  const int n[3] = { g.nx, g.ny, g.nz };
  const int m[3] = { mx, my, mz };
  const double h[3] = { g.hx, g.hy, g.hz };
  for (int a = 0; a < 3; ++a)
  {
    if (n[a] > 1)
    {
      lambda += (2.0 * std::cos(2.0 * Pi * m[a] / n[a]) - 2.0) / (h[a] * h[a]);
    }
  }
  for (int z = 0; z < g.nz; ++z)
    for (int y = 0; y < g.ny; ++y)
      for (int x = 0; x < g.nx; ++x)
      {
        f[x + g.nx * (y + g.ny * z)] = std::cos(2.0 * Pi * mx * x / g.nx + 0.3) *
          std::cos(2.0 * Pi * my * y / g.ny + 0.7) * std::cos(2.0 * Pi * mz * z / g.nz + 1.1);
      }
  gs::laplacian(g, f.data(), lap.data());
  for (std::size_t i = 0; i < f.size(); ++i)
  {
    // |f| <= 1 and |lambda| <= 12 / h^2: round-off is a few ulp of the stencil's terms.
    ASSERT_NEAR(lap[i], lambda * f[i], 1e-12 * (1.0 + std::fabs(lambda))) << "cell " << i;
  }
}

TEST(Laplacian, FourierModes2D)
{
  expectFourierEigenfunction(grid(32, 24), 3, 5, 0);
  expectFourierEigenfunction(grid(32, 24, 1, 0.5, 2.0), 1, 11, 0);
  expectFourierEigenfunction(grid(17, 9), 8, 4, 0); // odd sizes, highest modes
}

TEST(Laplacian, FourierModes3D)
{
  expectFourierEigenfunction(grid(16, 12, 10), 2, 3, 4);
  expectFourierEigenfunction(grid(16, 12, 10, 1.0, 0.7, 1.9), 7, 1, 5);
}

TEST(Laplacian, DegenerateAxesDoNotDiffuse)
{
  // A 1-cell axis has no neighbours: the field along x alone decides the Laplacian.
  expectFourierEigenfunction(grid(20, 1), 3, 0, 0);
  expectFourierEigenfunction(grid(1, 20), 0, 3, 0);
}

TEST(Solver, OneStepMatchesHandCalculation)
{
  // 4 x 3 grid, h = (0.5, 2), dt = 0.7; cell (1, 1) and the wrapped corner cell (3, 0).
  const gs::Grid g = grid(4, 3, 1, 0.5, 2.0);
  gs::State s(g);
  for (std::size_t i = 0; i < g.cells(); ++i)
  {
    s.u[i] = 0.3 + 0.05 * i;
    s.v[i] = 0.02 * ((i * 7) % 11);
  }
  const gs::State before = s;
  const gs::Parameters p{ 0.05, 0.02, 0.04, 0.06 };
  const double dt = 0.7;
  const gs::RunResult r = gs::run(s, p, { dt, 1, 0.0 });
  EXPECT_EQ(r.steps, 1);
  EXPECT_EQ(r.status, gs::RunStatus::Finished);

  auto at = [&](const std::vector<double>& f, int x, int y) {
    return f[((x + 4) % 4) + 4 * ((y + 3) % 3)];
  };
  for (auto [x, y] : { std::pair<int, int>{ 1, 1 }, { 3, 0 }, { 0, 2 } })
  {
    const double u = at(before.u, x, y), v = at(before.v, x, y);
    const double lapU = (at(before.u, x - 1, y) - 2 * u + at(before.u, x + 1, y)) / 0.25 +
      (at(before.u, x, y - 1) - 2 * u + at(before.u, x, y + 1)) / 4.0;
    const double lapV = (at(before.v, x - 1, y) - 2 * v + at(before.v, x + 1, y)) / 0.25 +
      (at(before.v, x, y - 1) - 2 * v + at(before.v, x, y + 1)) / 4.0;
    const double uExpected = u + dt * (0.05 * lapU - u * v * v + 0.04 * (1 - u));
    const double vExpected = v + dt * (0.02 * lapV + u * v * v - (0.04 + 0.06) * v);
    EXPECT_NEAR(at(s.u, x, y), uExpected, 1e-15) << x << ", " << y;
    EXPECT_NEAR(at(s.v, x, y), vExpected, 1e-15) << x << ", " << y;
  }
}

TEST(Solver, TrivialStateIsAFixedPoint)
{
  gs::State s(grid(40, 30));
  const gs::RunResult r = gs::run(s, gs::Parameters{}, { 1.0, 500, 0.0 });
  EXPECT_EQ(r.steps, 500);
  for (std::size_t i = 0; i < s.u.size(); ++i)
  {
    ASSERT_EQ(s.u[i], 1.0);
    ASSERT_EQ(s.v[i], 0.0);
  }
  // With a tolerance, the first step already changes nothing.
  const gs::RunResult t = gs::run(s, gs::Parameters{}, { 1.0, 500, 1e-12 });
  EXPECT_EQ(t.status, gs::RunStatus::Converged);
  EXPECT_EQ(t.steps, 1);
  EXPECT_EQ(t.lastChange, 0.0);
}

TEST(InitialCondition, FollowsThePaperRecipe)
{
  const gs::Grid g = grid(128, 128);
  gs::State s(g);
  gs::makeInitialCondition(s, { 7, 0.02, 20 });
  double sumU = 0.0, sumV = 0.0;
  int outside = 0;
  for (int y = 0; y < 128; ++y)
    for (int x = 0; x < 128; ++x)
    {
      const std::size_t i = x + 128 * y;
      const bool patch = x >= 54 && x < 74 && y >= 54 && y < 74;
      if (patch)
      {
        ASSERT_EQ(s.u[i], 0.5);
        ASSERT_EQ(s.v[i], 0.25);
      }
      else
      {
        ASSERT_GE(s.u[i], 0.0);
        ASSERT_LE(s.u[i], 1.5);
        ASSERT_GE(s.v[i], 0.0);
        ASSERT_LE(s.v[i], 1.0);
        sumU += s.u[i];
        sumV += s.v[i];
        ++outside;
      }
    }
  // u = 1 + 0.02 N clamped (almost never): mean 1; v = max(0, 0.02 N): mean 0.02/sqrt(2 pi).
  EXPECT_NEAR(sumU / outside, 1.0, 1e-3);
  EXPECT_NEAR(sumV / outside, 0.02 / std::sqrt(2 * Pi), 5e-4);
}

TEST(InitialCondition, PatchIsACubeIn3D)
{
  gs::State s(grid(10, 10, 10));
  gs::makeInitialCondition(s, { 1, 0.0, 4 });
  int patch = 0;
  for (std::size_t i = 0; i < s.u.size(); ++i)
  {
    patch += s.v[i] == 0.25;
  }
  EXPECT_EQ(patch, 4 * 4 * 4);
  EXPECT_EQ(s.v[3 + 10 * (3 + 10 * 3)], 0.25);
  EXPECT_EQ(s.v[2 + 10 * (3 + 10 * 3)], 0.0);
}

TEST(InitialCondition, SeedDeterminism)
{
  const gs::Grid g = grid(64, 48);
  const gs::State a = seeded(g, 11), b = seeded(g, 11), c = seeded(g, 12);
  EXPECT_TRUE(bitwiseEqual(a.u, b.u));
  EXPECT_TRUE(bitwiseEqual(a.v, b.v));
  EXPECT_FALSE(bitwiseEqual(a.u, c.u));
  EXPECT_FALSE(bitwiseEqual(a.v, c.v));
}

TEST(InitialCondition, KnownValuesOnEveryMachine)
{
  // The generator, the polar method and our own logarithm use only correctly rounded
  // operations, so these digits hold on every machine and compiler.
  gs::State s(grid(8, 8));
  gs::makeInitialCondition(s, { 2026, 0.02, 4 });
  EXPECT_EQ(s.u[0], 0x1.ff544556f2ba1p-1);
  EXPECT_EQ(s.v[0], 0.0); // clamped at 0
  EXPECT_EQ(s.u[5], 0x1.fe3d0b6ba5ec5p-1);
  EXPECT_EQ(s.v[5], 0x1.2d521e56e13f3p-5);
}

/// Runs `work` once with one TBB thread and once with two.
template <typename Work>
void withOneAndTwoThreads(Work work)
{
  {
    const tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    work(0);
  }
  {
    const tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    work(1);
  }
}

TEST(Determinism, OneAndTwoThreadsGiveIdenticalBits)
{
  // 256 x 256 is above the size at which a single run splits rows across threads.
  const gs::Grid g = grid(256, 256);
  gs::State out[2];
  gs::RunResult res[2];
  withOneAndTwoThreads([&](int i) {
    out[i] = seeded(g, 3);
    res[i] = gs::run(out[i], gs::Parameters{}, { 1.0, 300, 1e-9 });
  });
  EXPECT_TRUE(bitwiseEqual(out[0].u, out[1].u));
  EXPECT_TRUE(bitwiseEqual(out[0].v, out[1].v));
  EXPECT_EQ(res[0].steps, res[1].steps);
  EXPECT_EQ(res[0].lastChange, res[1].lastChange);

  // The batch (parallel over simulations) equals the single runs too.
  std::vector<gs::State> batch[2];
  withOneAndTwoThreads([&](int i) {
    batch[i].resize(3);
    gs::runBatch(
      3, g, { 1.0, 300, 1e-9 },
      [](std::size_t, gs::State& s) {
        gs::makeInitialCondition(s, { 3, 0.02, 20 });
        return gs::Parameters{};
      },
      [&](std::size_t j, const gs::State& s, const gs::RunResult&) { batch[i][j] = s; });
  });
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
    {
      EXPECT_TRUE(bitwiseEqual(batch[i][j].u, out[0].u));
      EXPECT_TRUE(bitwiseEqual(batch[i][j].v, out[0].v));
    }
}

TEST(Determinism, EveryInstructionSetGivesIdenticalBits)
{
  using gs::kernel::Isa;
  for (const gs::Grid& g : { grid(37, 21), grid(13, 11, 9) })
  {
    const gs::State start = seeded(g, 5);
    std::vector<double> reference[2];
    for (Isa isa : { Isa::Sse2, Isa::Avx2, Isa::Avx512 })
    {
      if (!gs::kernel::supported(isa))
      {
        continue;
      }
      std::vector<double> u = start.u, v = start.v, un(u.size()), vn(v.size());
      const auto step = gs::kernel::select(g.nz > 1, true, isa);
      const auto c = gs::kernel::makeCoefficients(g, gs::Parameters{ 0.1, 0.05, 0.03, 0.06 }, 1.0);
      for (int n = 0; n < 50; ++n)
      {
        step(g, c, 1e-6, u.data(), v.data(), un.data(), vn.data(), 0, std::size_t(g.ny) * g.nz);
        u.swap(un);
        v.swap(vn);
      }
      if (reference[0].empty())
      {
        reference[0] = u;
        reference[1] = v;
      }
      EXPECT_TRUE(bitwiseEqual(u, reference[0])) << gs::kernel::toString(isa);
      EXPECT_TRUE(bitwiseEqual(v, reference[1])) << gs::kernel::toString(isa);
    }
  }
}

TEST(Determinism, EveryRowWidthGivesIdenticalBitsOnEveryInstructionSet)
{
  // Each width splits a row differently into vectors, an overlapping last vector and scalar
  // cells; every split must give the bits and the flags of every other.
  using gs::kernel::Isa;
  for (int nx = 1; nx <= 41; ++nx)
  {
    const gs::Grid g = grid(nx, 3);
    const gs::State start = seeded(g, 7);
    const auto c = gs::kernel::makeCoefficients(g, gs::Parameters{ 0.1, 0.05, 0.03, 0.06 }, 1.0);
    std::vector<double> reference[2];
    gs::kernel::StepFlags referenceFlags = { 0, 0 };
    for (Isa isa : { Isa::Sse2, Isa::Avx2, Isa::Avx512 })
    {
      if (!gs::kernel::supported(isa))
      {
        continue;
      }
      std::vector<double> u = start.u, v = start.v, un(u.size()), vn(v.size());
      const auto step = gs::kernel::select(false, true, isa);
      gs::kernel::StepFlags flags = { 0, 0 };
      for (int n = 0; n < 5; ++n)
      {
        const gs::kernel::StepFlags f =
          step(g, c, 1e-3, u.data(), v.data(), un.data(), vn.data(), 0, 3);
        flags.bad |= f.bad;
        flags.moving |= f.moving << n;
        u.swap(un);
        v.swap(vn);
      }
      if (reference[0].empty())
      {
        reference[0] = u;
        reference[1] = v;
        referenceFlags = flags;
      }
      EXPECT_TRUE(bitwiseEqual(u, reference[0])) << gs::kernel::toString(isa) << ", nx " << nx;
      EXPECT_TRUE(bitwiseEqual(v, reference[1])) << gs::kernel::toString(isa) << ", nx " << nx;
      EXPECT_EQ(flags.bad, referenceFlags.bad) << gs::kernel::toString(isa) << ", nx " << nx;
      EXPECT_EQ(flags.moving, referenceFlags.moving) << gs::kernel::toString(isa) << ", nx " << nx;
    }
  }
}

TEST(Determinism, AdjointKernelGivesIdenticalBitsOnEveryInstructionSet)
{
  using gs::kernel::Isa;
  for (const gs::Grid& g : { grid(37, 21), grid(64, 8), grid(13, 11, 9) })
  {
    const gs::State x = seeded(g, 5), lambda = seeded(g, 6);
    const std::size_t rows = std::size_t(g.ny) * g.nz;
    const auto c = gs::kernel::makeCoefficients(g, gs::Parameters{ 0.1, 0.05, 0.03, 0.06 }, 1.0);
    std::vector<double> ref[3];
    for (Isa isa : { Isa::Sse2, Isa::Avx2, Isa::Avx512 })
    {
      if (!gs::kernel::supported(isa))
      {
        continue;
      }
      std::vector<double> a(g.cells()), b(g.cells()), sums(4 * rows);
      gs::kernel::selectAdjoint(g.nz > 1, isa)(g, c, x.u.data(), x.v.data(), lambda.u.data(),
        lambda.v.data(), a.data(), b.data(), sums.data(), 0, rows);
      if (ref[0].empty())
      {
        ref[0] = a;
        ref[1] = b;
        ref[2] = sums;
      }
      EXPECT_TRUE(bitwiseEqual(a, ref[0])) << gs::kernel::toString(isa);
      EXPECT_TRUE(bitwiseEqual(b, ref[1])) << gs::kernel::toString(isa);
      EXPECT_TRUE(bitwiseEqual(sums, ref[2])) << gs::kernel::toString(isa);
    }
  }
}

TEST(Solver, SteadyStateDetection)
{
  // A pattern that dies decays to (1, 0): with a tolerance the run stops there, before the cap.
  gs::State s = seeded(grid(64, 64), 1);
  gs::Parameters p;
  p.k = 0.066;
  const gs::RunResult r = gs::run(s, p, { 1.0, 40000, 1e-6 });
  EXPECT_EQ(r.status, gs::RunStatus::Converged);
  EXPECT_LT(r.steps, 40000);
  EXPECT_LT(r.lastChange, 1e-6);
  EXPECT_GT(r.lastChange, 0.0);

  // Without a tolerance, exactly the steps asked for.
  gs::State f = seeded(grid(64, 64), 1);
  const gs::RunResult q = gs::run(f, p, { 1.0, 123, 0.0 });
  EXPECT_EQ(q.status, gs::RunStatus::Finished);
  EXPECT_EQ(q.steps, 123);

  // Not steady at the cap: finished, not converged.
  gs::State c = seeded(grid(64, 64), 1);
  const gs::RunResult capped = gs::run(c, p, { 1.0, 10, 1e-12 });
  EXPECT_EQ(capped.status, gs::RunStatus::Finished);
  EXPECT_EQ(capped.steps, 10);
}

TEST(Solver, BlowUpIsReportedNotThrown)
{
  // F = 5 with dt = 1 overshoots: v + dt (... - (F + k) v) goes negative in the first step.
  gs::State s = seeded(grid(32, 32), 1);
  gs::Parameters p;
  p.F = 5.0;
  const gs::RunResult r = gs::run(s, p, { 1.0, 1000, 0.0 });
  EXPECT_EQ(r.status, gs::RunStatus::BlowUp);
  EXPECT_EQ(r.steps, 1);

  // A non-finite value in the state is reported the same way.
  gs::State n = seeded(grid(32, 32), 1);
  n.u[100] = std::nan("");
  EXPECT_EQ(gs::run(n, gs::Parameters{}, { 1.0, 10, 0.0 }).status, gs::RunStatus::BlowUp);
  n = seeded(grid(32, 32), 1);
  n.v[5] = HUGE_VAL;
  EXPECT_EQ(gs::run(n, gs::Parameters{}, { 1.0, 10, 0.0 }).status, gs::RunStatus::BlowUp);
}

std::string refusal(const gs::Grid& g, const gs::Parameters& p, const gs::RunSettings& rs)
{
  try
  {
    gs::validate(g, p, rs);
  }
  catch (const gs::Error& e)
  {
    return e.what();
  }
  return "";
}

TEST(Solver, UnstableStepRefusedWithTheLimit)
{
  gs::Parameters p;
  p.Du = 0.2501;
  const std::string m2 = refusal(grid(16, 16), p, {});
  EXPECT_NE(m2.find("Unstable"), std::string::npos) << m2;
  EXPECT_NE(m2.find("<= 0.25"), std::string::npos) << m2;

  p.Du = 0.17;
  const std::string m3 = refusal(grid(8, 8, 8), p, {});
  EXPECT_NE(m3.find("<= 0.166667"), std::string::npos) << m3;

  p.Du = 0.16;
  p.Dv = 0.3;
  EXPECT_NE(refusal(grid(16, 16), p, {}).find("Dv = 0.3"), std::string::npos);

  // On the limit is allowed, and so are Pearson's published settings (h = 2.5/256).
  p.Du = 0.25;
  p.Dv = 0.25;
  EXPECT_EQ(refusal(grid(16, 16), p, {}), "");
  const double h = 2.5 / 256;
  EXPECT_EQ(refusal(grid(256, 256, 1, h, h), { 2e-5, 1e-5, 0.035, 0.065 }, { 1.0, 10, 0.0 }), "");
  EXPECT_NE(refusal(grid(256, 256, 1, h, h), { 2e-5, 1e-5, 0.035, 0.065 }, { 1.2, 10, 0.0 }), "");

  // run() refuses too, before touching the state.
  gs::State s = seeded(grid(16, 16), 1);
  EXPECT_THROW(gs::run(s, { 0.3, 0.08, 0.035, 0.065 }, {}), gs::Error);
}

TEST(Solver, BadParametersAndSizesAreNamed)
{
  const gs::Grid g = grid(16, 16);
  EXPECT_NE(refusal(g, { std::nan(""), 0.08, 0.035, 0.065 }, {}).find("Du"), std::string::npos);
  EXPECT_NE(refusal(g, { 0.16, 0.08, -0.1, 0.065 }, {}).find("F must be"), std::string::npos);
  EXPECT_NE(refusal(g, { 0.16, 0.08, 0.035, HUGE_VAL }, {}).find("k must be"), std::string::npos);
  EXPECT_NE(refusal(g, {}, { 0.0, 10, 0.0 }).find("run.dt"), std::string::npos);
  EXPECT_NE(refusal(g, {}, { 1.0, -1, 0.0 }).find("steps"), std::string::npos);
  EXPECT_NE(refusal(g, {}, { 1.0, 1, -1e-3 }).find("run.steadyStateTolerance"), std::string::npos);
  EXPECT_NE(refusal(grid(0, 16), {}, {}).find("dimensions"), std::string::npos);
  EXPECT_NE(refusal(grid(16, -3), {}, {}).find("dimensions"), std::string::npos);
  EXPECT_NE(refusal(grid(16, 16, 1, 0.0), {}, {}).find("spacing"), std::string::npos);
  EXPECT_THROW(gs::State(grid(0, 5)), gs::Error);
}

TEST(Solver, TooLargeForMemoryIsRefusedBeforeAllocating)
{
  try
  {
    gs::State s(grid(100000, 100000, 1000));
    FAIL() << "allocated 1e13 cells";
  }
  catch (const gs::Error& e)
  {
    EXPECT_NE(std::string(e.what()).find("Not enough memory"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("MiB"), std::string::npos) << e.what();
  }
}

TEST(Solver, InitialConditionSettingsAreChecked)
{
  gs::State s(grid(8, 8));
  EXPECT_THROW(gs::makeInitialCondition(s, { 0, -0.1, 4 }), gs::Error);
  EXPECT_THROW(gs::makeInitialCondition(s, { 0, std::nan(""), 4 }), gs::Error);
  EXPECT_THROW(gs::makeInitialCondition(s, { 0, 0.02, -1 }), gs::Error);
}

TEST(Solver, ProgressAndAbort)
{
  gs::State s = seeded(grid(128, 128), 1);
  double last = 0.0;
  int calls = 0;
  gs::Progress progress(
    [&](double f) {
      EXPECT_GE(f, last);
      last = f;
      ++calls;
      return f >= 0.25; // abort a quarter of the way
    },
    4000);
  const gs::RunResult r = gs::run(s, gs::Parameters{}, { 1.0, 4000, 0.0 }, &progress);
  EXPECT_EQ(r.status, gs::RunStatus::Aborted);
  EXPECT_GE(r.steps, 1000);
  EXPECT_LT(r.steps, 1100);
  EXPECT_GT(calls, 10);
  EXPECT_TRUE(progress.aborted());
}

TEST(Batch, InvalidItemsAreReportedAndOthersRun)
{
  const gs::Grid g = grid(32, 32);
  std::vector<gs::RunResult> results(4);
  gs::runBatch(
    4, g, { 1.0, 50, 0.0 },
    [](std::size_t i, gs::State& s) {
      gs::makeInitialCondition(s, { i, 0.02, 8 });
      gs::Parameters p;
      p.Du = i == 2 ? 0.4 : 0.16;
      return p;
    },
    [&](std::size_t i, const gs::State&, const gs::RunResult& r) { results[i] = r; });
  for (int i : { 0, 1, 3 })
  {
    EXPECT_EQ(results[i].status, gs::RunStatus::Finished);
    EXPECT_EQ(results[i].steps, 50);
  }
  EXPECT_EQ(results[2].status, gs::RunStatus::Invalid);
  EXPECT_NE(results[2].message.find("Unstable"), std::string::npos);
}

TEST(Solver, DyingPatternLeavesNoDenormals)
{
  // A decaying v passes through denormal numbers, which are flushed to zero (they would slow
  // the run down a hundredfold on x86). Checked all along the decay, 250 steps at a time.
  gs::State s = seeded(grid(64, 64), 2);
  gs::Parameters p;
  p.k = 0.066;
  int denormal = 0;
  for (int chunk = 0; chunk < 80; ++chunk)
  {
    gs::run(s, p, { 1.0, 250, 0.0 });
    for (double v : s.v)
    {
      denormal += std::fpclassify(v) == FP_SUBNORMAL;
    }
  }
  EXPECT_EQ(denormal, 0);
  double vmax = 0.0;
  for (double v : s.v)
  {
    vmax = std::max(vmax, v);
  }
  EXPECT_LT(vmax, 1e-300); // it did die
}

} // namespace

TEST(Stepper, EveryStepCountAndEveryStopLeavesTheSameState)
{
  // The steps alternate between the state's fields and the work fields, and the last one
  // lands in the state by the choice of the first: in place or copying, odd or even, split or
  // not, stopping at the end or at a blow-up, the state and lastChange must be those of one
  // step at a time; in 2D and 3D.
  for (const gs::Grid& g : { grid(24, 20), grid(128, 96), grid(12, 10, 9), grid(24, 20, 18) })
  {
    const gs::State start = seeded(g, 11);
    const gs::Parameters p{ 0.1, 0.05, 0.03, 0.06 };
    for (bool parallel : { false, true })
    {
      for (std::int64_t steps : { 1, 2, 3, 4, 7 })
      {
        gs::Stepper stepper(g, p, 1.0, parallel);
        gs::State once = start;
        gs::RunResult last;
        for (std::int64_t n = 0; n < steps; ++n)
        {
          last = stepper.advance(once, 1, 1e-300);
        }
        gs::State inPlace = start, copied, untracked = start;
        const gs::RunResult a = stepper.advance(inPlace, steps, 1e-300);
        const gs::RunResult b = stepper.advance(start, copied, steps, 1e-300);
        EXPECT_EQ(stepper.advance(untracked, steps).steps, steps);
        for (const gs::State* s : { &inPlace, &copied, &untracked })
        {
          EXPECT_TRUE(bitwiseEqual(s->u, once.u)) << steps << " steps";
          EXPECT_TRUE(bitwiseEqual(s->v, once.v)) << steps << " steps";
        }
        EXPECT_EQ(a.steps, steps);
        EXPECT_EQ(b.steps, steps);
        EXPECT_EQ(a.lastChange, last.lastChange);
        EXPECT_EQ(b.lastChange, last.lastChange);
      }
    }
    // A blow-up after a few steps (v pushed past the bound in one cell) stops the run there
    // with the state of that step.
    gs::State hot = start;
    hot.v[5] = 0.999;
    hot.u[5] = 400.0;
    gs::Stepper stepper(g, p, 1.0);
    gs::State once = hot;
    std::int64_t stepsToBlowUp = 0;
    for (;;)
    {
      ++stepsToBlowUp;
      if (stepper.advance(once, 1).status == gs::RunStatus::BlowUp)
      {
        break;
      }
      ASSERT_LT(stepsToBlowUp, 50);
    }
    gs::State inPlace = hot, copied;
    const gs::RunResult a = stepper.advance(inPlace, 100);
    const gs::RunResult b = stepper.advance(hot, copied, 100);
    EXPECT_EQ(a.status, gs::RunStatus::BlowUp);
    EXPECT_EQ(a.steps, stepsToBlowUp);
    EXPECT_EQ(b.steps, stepsToBlowUp);
    EXPECT_TRUE(bitwiseEqual(inPlace.v, once.v));
    EXPECT_TRUE(bitwiseEqual(copied.v, once.v));

    // A stop at steady state, after an odd and after an even number of steps: a tolerance just
    // above a step's change that is below every earlier step's stops the run at that step.
    std::vector<double> changes;
    gs::State probe = start;
    for (int n = 0; n < 60; ++n)
    {
      changes.push_back(stepper.advance(probe, 1, 1e-300).lastChange);
    }
    std::int64_t stops[2] = { 0, 0 }; // the first odd and even steps that are new minima
    for (std::size_t n = 1; n < changes.size(); ++n)
    {
      const bool minimum = changes[n] < *std::min_element(changes.begin(), changes.begin() + n);
      const std::int64_t step = static_cast<std::int64_t>(n) + 1;
      if (minimum && step > 2 && stops[step % 2] == 0)
      {
        stops[step % 2] = step;
      }
    }
    for (const std::int64_t stopAt : stops)
    {
      ASSERT_GT(stopAt, 0) << "the run settles";
      const double tol = changes[static_cast<std::size_t>(stopAt - 1)] * (1.0 + 1e-12);
      gs::State reference = start;
      stepper.advance(reference, stopAt);
      gs::State inPlace2 = start, copied2;
      const gs::RunResult c = stepper.advance(inPlace2, 1000, tol);
      const gs::RunResult d = stepper.advance(start, copied2, 1000, tol);
      EXPECT_EQ(c.status, gs::RunStatus::Converged);
      EXPECT_EQ(c.steps, stopAt);
      EXPECT_EQ(d.steps, stopAt);
      EXPECT_TRUE(bitwiseEqual(inPlace2.v, reference.v)) << stopAt;
      EXPECT_TRUE(bitwiseEqual(copied2.u, reference.u)) << stopAt;
      EXPECT_TRUE(bitwiseEqual(copied2.v, reference.v)) << stopAt;
    }
  }
}
