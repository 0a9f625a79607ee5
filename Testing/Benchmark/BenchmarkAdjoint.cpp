// Cost of the exact gradient through the simulation: wall time as a multiple of the forward run
// and the memory of the stored states, for several checkpoint budgets. Not a test.
//   usage: gs-benchmark-adjoint [steps ...]   (default 40000 5000); medians of five rounds, and
//   the median of each round's ratio
#include "Study.h"

#include <gs/Adjoint.h>
#include <gs/Loss.h>
#include <gs/Simulation.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace
{

using study::Clock;
using study::median;
using study::since;

} // namespace

int main(int argc, char** argv)
{
  std::vector<long> counts;
  for (int i = 1; i < argc; ++i)
  {
    counts.push_back(std::atol(argv[i]));
  }
  if (counts.empty())
  {
    counts = { 40000, 5000 };
  }
  const gs::Grid g; // 128 x 128
  const gs::Parameters p = gs::Parameters::paperTruth();
  gs::State x0(g), target(g);
  gs::makeInitialCondition(x0, { 1, 0.02, 20 });
  gs::makeInitialCondition(target, { 2, 0.02, 20 });
  gs::run(target, p, { 1.0, 40000, 1e-4 });
  const gs::Loss loss(gs::LossSettings{}, target);

  std::printf(
    "Gradient of logps through N explicit Euler steps, 128 x 128, double; state = %.0f KiB\n",
    2.0 * 8 * g.cells() / 1024);
  std::printf("%8s %10s %10s %10s %8s %12s %12s %12s\n", "steps", "budget", "forward s",
    "gradient s", "ratio", "stored", "peak MiB", "recomputed");
  for (long n : counts)
  {
    const gs::RunSettings rs{ 1.0, n, 0.0 };
    for (double mib : { 16.0, 64.0, 256.0 })
    {
      gs::GradientSettings gsets;
      gsets.checkpointBytes = mib * (1 << 20);
      gs::GradientResult r;
      // Forward run and gradient side by side in each round, and the median of the rounds:
      // this machine's timings scatter by tens of percent from run to run.
      std::vector<double> forward, gradient, ratio;
      for (int round = 0; round < 5; ++round)
      {
        gs::State x = x0;
        const auto t0 = Clock::now();
        gs::run(x, p, rs);
        forward.push_back(since(t0));
        const auto t1 = Clock::now();
        r = gs::lossGradient(x0, p, rs, loss, gsets);
        gradient.push_back(since(t1));
        ratio.push_back(gradient.back() / forward.back());
      }
      std::printf("%8ld %7.0f MiB %10.3f %10.3f %7.2fx %12zu %12.1f %11.2fx%s\n", n, mib,
        median(forward), median(gradient), median(ratio), r.checkpoints, r.peakBytes / (1 << 20),
        static_cast<double>(r.forwardSteps) / n, r.valid ? "" : "  (invalid)");
    }
  }
  return 0;
}
