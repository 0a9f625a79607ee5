// Solver throughput in cell updates per second (double precision), ours against a plain loop of
// the same step (PlainStep.h) run in the same process, in alternating rounds. Not a test: it
// prints figures for README's performance table.
//   usage: gs-benchmark [steps] [rounds]   (default 4000 steps, 3 rounds; the median is shown)
#include "PlainStep.h"
#include "Study.h"

#include <gs/FloatingPoint.h>
#include <gs/Kernel.h>
#include <gs/Simulation.h>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

namespace
{

using Clock = std::chrono::steady_clock;

/// One benchmark case: its grid, how many simulations, and whether they run side by side
/// (a batch, one per thread) or one at a time split across the threads per step.
struct Case
{
  const char* name;
  gs::Grid grid;
  int count;
  bool batch;
  gs::Parameters p;
  gs::RunSettings run;
};

gs::State initial(const gs::Grid& g, std::size_t i)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { i + 1, 0.02, 20 });
  return s;
}

/// Our solver: runBatch for a batch, run() split per step otherwise. Returns the first state.
gs::State runOurs(const Case& c)
{
  std::vector<gs::State> out(c.count);
  if (c.batch)
  {
    gs::runBatch(
      c.count, c.grid, c.run,
      [&](std::size_t i, gs::State& s) {
        s = initial(c.grid, i);
        return c.p;
      },
      [&](std::size_t i, const gs::State& s, const gs::RunResult&) { out[i] = s; });
  }
  else
  {
    for (int i = 0; i < c.count; ++i)
    {
      out[i] = initial(c.grid, i);
      gs::run(out[i], c.p, c.run);
    }
  }
  return out[0];
}

/// `steps` plain steps of one state over rows [0, rows), in the caller's thread.
void plainSteps(plain::StepFn step, const Case& c, gs::State& s, std::int64_t steps)
{
  const gs::DenormalsAreZero daz;
  gs::State w(c.grid);
  const std::size_t rows = static_cast<std::size_t>(c.grid.ny) * c.grid.nz;
  for (std::int64_t n = 0; n < steps; ++n)
  {
    step(c.grid, c.p, c.run.dt, s.u.data(), s.v.data(), w.u.data(), w.v.data(), 0, rows);
    s.u.swap(w.u);
    s.v.swap(w.v);
  }
}

/// The plain loop: one simulation per task for a batch; otherwise a static split of the rows
/// per step, as `omp parallel for` would do.
gs::State runPlain(plain::StepFn step, const Case& c)
{
  std::vector<gs::State> out(c.count);
  if (c.batch)
  {
    tbb::parallel_for(0, c.count, [&](int i) {
      out[i] = initial(c.grid, i);
      plainSteps(step, c, out[i], c.run.steps);
    });
    return out[0];
  }
  const std::size_t rows = static_cast<std::size_t>(c.grid.ny) * c.grid.nz;
  for (int i = 0; i < c.count; ++i)
  {
    out[i] = initial(c.grid, i);
    gs::State w(c.grid);
    gs::State& s = out[i];
    for (std::int64_t n = 0; n < c.run.steps; ++n)
    {
      tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, rows),
        [&](const tbb::blocked_range<std::size_t>& r) {
          const gs::DenormalsAreZero daz;
          step(c.grid, c.p, c.run.dt, s.u.data(), s.v.data(), w.u.data(), w.v.data(), r.begin(),
            r.end());
        },
        tbb::static_partitioner());
      s.u.swap(w.u);
      s.v.swap(w.v);
    }
  }
  return out[0];
}

double timed(const std::function<void()>& f)
{
  const auto t0 = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

using study::median;

bool sameBits(const gs::State& a, const gs::State& b)
{
  return a.u.size() == b.u.size() &&
    std::memcmp(a.u.data(), b.u.data(), a.u.size() * sizeof(double)) == 0 &&
    std::memcmp(a.v.data(), b.v.data(), a.v.size() * sizeof(double)) == 0;
}

/// Rounds of ours, plain (contracted), plain (exact), in turn; prints the median rates and the
/// ratios ours/plain. Returns the median rate of ours.
double compare(const Case& c, int rounds)
{
  const double updates = static_cast<double>(c.count) * c.grid.cells() * c.run.steps;
  std::vector<double> ours, fma, exact;
  gs::State a, b;
  for (int r = 0; r < rounds; ++r)
  {
    ours.push_back(updates / timed([&] { a = runOurs(c); }));
    fma.push_back(updates / timed([&] { runPlain(&plain::contracted::step, c); }));
    exact.push_back(updates / timed([&] { b = runPlain(&plain::exact::step, c); }));
  }
  const double o = median(ours), f = median(fma), e = median(exact);
  std::printf("%-40s %9.3e %9.3e %9.3e   %5.2f   %5.2f   %s\n", c.name, o, f, e, o / f, o / e,
    sameBits(a, b) ? "yes" : "NO");
  return o;
}

} // namespace

int main(int argc, char** argv)
{
  const long steps = argc > 1 ? std::atol(argv[1]) : 4000;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::printf("Gray-Scott solver benchmark: %ld explicit Euler steps, double precision, "
              "%d threads, %s kernel; median of %d rounds\n",
    steps, tbb::info::default_concurrency(), gs::kernel::toString(gs::kernel::best()), rounds);
  std::printf("cell updates/s: ours, plain loop with fused multiply-adds (-O3 -march=native), "
              "plain loop without;\nratios ours/plain; whether ours equals the plain loop "
              "without fused multiply-adds bit for bit\n\n");
  std::printf("%-40s %9s %9s %9s   %5s   %5s   %s\n", "", "ours", "plain fma", "plain", "/fma",
    "/plain", "equal");
  const gs::Parameters truth;
  gs::Parameters dies = truth;
  dies.k = 0.066;
  gs::Parameters p3 = truth;
  p3.Du = 0.12; // within the 3D limit 1/6
  gs::RunSettings fixed;
  fixed.steps = steps;
  gs::RunSettings tracked = fixed;
  tracked.steadyStateTolerance = 1e-12; // tracks changes every step but does not stop early
  gs::RunSettings fixed3 = fixed;
  fixed3.steps = std::max(1L, steps / 8);

  gs::Grid g128, g256, g64x3;
  g128.nx = g128.ny = 128;
  g256.nx = g256.ny = 256;
  g64x3.nx = g64x3.ny = g64x3.nz = 64;
  const double batchRate =
    compare({ "batch 4 x 128x128 (paper's batch)", g128, 4, true, truth, fixed }, rounds);
  compare({ "batch 4 x 128x128, steady-state tracking", g128, 4, true, truth, tracked }, rounds);
  compare({ "batch 4 x 128x128, pattern dies", g128, 4, true, dies, fixed }, rounds);
  const double s256 =
    compare({ "single 256x256 (split per step)", g256, 1, false, truth, fixed }, rounds);
  const double s128 =
    compare({ "single 128x128 (split per step)", g128, 1, false, truth, fixed }, rounds);
  const double s3 =
    compare({ "single 64x64x64 3D (split per step)", g64x3, 1, false, p3, fixed3 }, rounds);
  const double batch3 = compare({ "batch 2 x 64x64x64 3D", g64x3, 2, true, p3, fixed3 }, rounds);
  // 3D against 2D with rows of the same width, every field in L2 (16,384 cells a grid): what
  // the 7-point stencil costs apart from the row width and the memory of a 64^3 grid.
  gs::Grid g64x256, g64x64x4, g128x32x4;
  g64x256.nx = 64;
  g64x256.ny = 256;
  g64x64x4.nx = g64x64x4.ny = 64;
  g64x64x4.nz = 4;
  g128x32x4.nx = 128;
  g128x32x4.ny = 32;
  g128x32x4.nz = 4;
  double one = 0.0, rows64 = 0.0, in3D64 = 0.0, in3D128 = 0.0;
  {
    const tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
    one = compare({ "batch 4 x 128x128, 1 thread", g128, 4, true, truth, fixed }, rounds);
    rows64 = compare({ "batch 4 x 64x256, 1 thread", g64x256, 4, true, truth, fixed }, rounds);
    in3D64 = compare({ "batch 4 x 64x64x4 3D, 1 thread", g64x64x4, 4, true, p3, fixed }, rounds);
    in3D128 = compare({ "batch 4 x 128x32x4 3D, 1 thread", g128x32x4, 4, true, p3, fixed }, rounds);
  }
  std::printf("\nsingle grid / batch: 256x256 %.2f, 128x128 %.2f; 3D / 2D per cell: batch %.2f, "
              "split %.2f; 2 threads / 1 thread %.2f\n",
    s256 / batchRate, s128 / batchRate, batch3 / batchRate, s3 / s256, batchRate / one);
  std::printf("1 thread, in L2: 2D rows of 64 / rows of 128 %.2f; 3D / 2D with rows of 64 %.2f, "
              "of 128 %.2f\n",
    rows64 / one, in3D64 / rows64, in3D128 / one);
  return 0;
}
