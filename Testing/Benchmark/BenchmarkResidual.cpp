// Cost of the residual fit: a 10-frame 256 x 256 time series (consecutive steps from step
// 10,000 of the truth), fitted by the strong form (forward difference) and the weak form.
// Prints the best of five runs of each. Not a test.
//   usage: gs-benchmark-residual [repeats]   (default 5)
#include "Study.h"

#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace
{

using study::Clock;
using study::since;

} // namespace

int main(int argc, char** argv)
{
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  gs::Grid g;
  g.nx = g.ny = 256;
  const gs::Parameters truth = gs::Parameters::paperTruth();
  gs::State s(g);
  gs::makeInitialCondition(s, { 0, 0.02, 20 });
  gs::run(s, truth, { 1.0, 10000, 0.0 });
  gs::Observations o;
  o.grid = g;
  for (int f = 0; f < 10; ++f)
  {
    if (f > 0)
    {
      gs::run(s, truth, { 1.0, 1, 0.0 });
    }
    o.frames.push_back(s);
    o.times.push_back(10000.0 + f);
  }
  std::printf("Residual fit of 10 frames of 256 x 256 (best of %d):\n", repeats);
  for (gs::ResidualMethod m : { gs::ResidualMethod::TimeSeries, gs::ResidualMethod::WeakForm })
  {
    gs::ResidualSettings settings;
    settings.method = m;
    double best = HUGE_VAL;
    gs::ResidualFit fit;
    for (int r = 0; r < repeats; ++r)
    {
      const auto t0 = Clock::now();
      fit = gs::fitResidual(o, settings);
      best = std::min(best, since(t0));
    }
    const auto e = fit.estimate.asArray(), t = truth.asArray();
    double worst = 0.0;
    for (int j = 0; j < 4; ++j)
    {
      worst = std::max(worst, std::fabs(e[j] - t[j]) / t[j]);
    }
    std::printf("  %-12s %8.3f s  %9zu equations  worst relative error %.1e\n", gs::toString(m),
      best, fit.equations, worst);
  }
  return 0;
}
