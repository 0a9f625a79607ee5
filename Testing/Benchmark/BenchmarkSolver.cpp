// Solver throughput in cell updates per second (double precision). Not a test: it prints
// figures for README's performance table.
//   usage: gs-benchmark [steps]   (default 4000)
#include <gs/Kernel.h>
#include <gs/Progress.h>
#include <gs/Simulation.h>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace
{

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point t0)
{
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void report(const char* name, double cellUpdates, double s)
{
  std::printf("%-46s %10.3f s  %9.3e cell updates/s\n", name, s, cellUpdates / s);
}

/// `count` simulations of n x n through runBatch (parallel over simulations).
void batch(const char* name, int count, int n, const gs::Parameters& p, const gs::RunSettings& rs)
{
  gs::Grid g;
  g.nx = g.ny = n;
  const auto t0 = Clock::now();
  gs::runBatch(
    count, g, rs,
    [&](std::size_t i, gs::State& s) {
      gs::makeInitialCondition(s, { i, 0.02, 20 });
      return p;
    },
    [](std::size_t, const gs::State&, const gs::RunResult&) {});
  report(name, static_cast<double>(count) * g.cells() * rs.steps, seconds(t0));
}

/// One simulation of n x n (x nz), split across threads per step.
void single(const char* name, int n, int nz, const gs::Parameters& p, const gs::RunSettings& rs)
{
  gs::Grid g;
  g.nx = g.ny = n;
  g.nz = nz;
  gs::State s(g);
  gs::makeInitialCondition(s, { 1, 0.02, 20 });
  const auto t0 = Clock::now();
  const gs::RunResult r = gs::run(s, p, rs);
  report(name, static_cast<double>(g.cells()) * r.steps, seconds(t0));
}

} // namespace

int main(int argc, char** argv)
{
  const long steps = argc > 1 ? std::atol(argv[1]) : 4000;
  std::printf("Gray-Scott solver benchmark: %ld explicit Euler steps, double precision, "
              "%d threads, %s kernel\n",
    steps, tbb::info::default_concurrency(), gs::kernel::toString(gs::kernel::best()));
  const gs::Parameters truth;
  gs::Parameters dies = truth;
  dies.k = 0.066;
  gs::Parameters p3 = truth;
  p3.Du = 0.12; // within the 3D limit 1/6
  gs::RunSettings fixed;
  fixed.steps = steps;
  gs::RunSettings tracked = fixed;
  tracked.steadyStateTolerance = 1e-12; // tracks changes every step but does not stop early

  batch("batch 4 x 128x128 (paper's batch)", 4, 128, truth, fixed);
  batch("batch 4 x 128x128, steady-state tracking", 4, 128, truth, tracked);
  batch("batch 4 x 128x128, pattern dies (denormals)", 4, 128, dies, fixed);
  single("single 256x256 (split per step)", 256, 1, truth, fixed);
  single("single 128x128 (split per step)", 128, 1, truth, fixed);
  single("single 64x64x64 3D (split per step)", 64, 64, p3, gs::RunSettings{ 1.0, steps / 8, 0.0 });
  {
    const tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    batch("batch 4 x 128x128, 1 thread", 4, 128, truth, fixed);
  }
  return 0;
}
