// Parameter recovery from v alone on the paper's target: 128 x 128, the truth, the paper's
// initial condition (seed 0), run to its steady-state tolerance (1e-4 per step, at most 40,000
// steps), beside the same fits with u observed; then a series of ten consecutive frames. Noise N(0,
// sigma^2) on v (our own gs::Random); the fit takes u as the latent solution of the steady u
// equation, with the noise variance from estimateNoiseVariance (a bound, as the filter takes it)
// and the bootstrap's intervals. Prints a Markdown table for README and the run times (a whole
// fit with its intervals). Not a test.
//   usage: gs-v-only-study [replicates]   (default 1)
#include "Study.h"

#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv)
{
  using namespace study;
  const int replicates = argc > 1 ? std::atoi(argv[1]) : 1;
  const int support = argc > 2 ? std::atoi(argv[2]) : 0;
  const gs::Parameters truth = gs::Parameters::paperTruth();
  std::int64_t steps = 0;
  const gs::Observations clean = paperTargetVOnly(&steps);
  std::printf("128 x 128, the truth (Du, Dv, F, k) = (0.16, 0.08, 0.035, 0.065), seed 0, steady "
              "to 1e-4 after %lld steps; v alone.\n\n",
    static_cast<long long>(steps));
  std::printf("| noise sigma | observed | method | Du | Dv | F | k | time (s) "
              "|\n|---|---|---|---|---|---|---|---|\n");
  for (double sigma : { 0.0, 1e-4, 1e-3, 1e-2 })
  {
    for (int r = 0; r < (sigma > 0.0 ? replicates : 1); ++r)
    {
      gs::Observations o = clean;
      addNoise(o, sigma, 1000 + static_cast<std::uint64_t>(r));
      for (bool uObserved : { true, false })
        for (gs::ResidualMethod method :
          { gs::ResidualMethod::Steady, gs::ResidualMethod::WeakForm })
        {
          o.uObserved = uObserved;
          gs::ResidualSettings S;
          S.method = method;
          S.testFunctionSize = support;
          S.noiseVariance = sigma > 0.0 ? gs::estimateNoiseVariance(o) : 0.0;
          S.noiseVarianceIsBound = true; // as the filter takes an estimate (NoiseVariance -1)
          const auto t0 = Clock::now();
          const gs::ResidualFit fit = gs::fitResidual(o, S);
          const double time = since(t0);
          std::printf("| %g | %s | %s |", sigma, uObserved ? "u, v" : "v", gs::toString(method));
          for (std::size_t j = 0; j < gs::parameterCount; ++j)
          {
            std::printf(" %.1e (+- %.1e) |", (fit.estimate[j] - truth[j]) / truth[j],
              1.96 * fit.standardError[j] / truth[j]);
          }
          std::printf(" %.2f |\n", time);
          std::fflush(stdout);
        }
    }
  }

  // A series: ten consecutive frames (dt = 1) from step 10,000 of the same setting.
  gs::Observations series = paperSeries(10000, 1, 10);
  series.uObserved = false;
  std::printf("\nv alone, 10 consecutive frames from step 10,000 (TimeSeries, forward):\n\n");
  std::printf("| noise sigma | Du | Dv | F | k | time (s) |\n|---|---|---|---|---|---|\n");
  for (double sigma : { 0.0, 1e-4, 1e-3 })
  {
    gs::Observations o = series;
    addNoise(o, sigma, 1000);
    gs::ResidualSettings S;
    S.method = gs::ResidualMethod::TimeSeries;
    S.noiseVariance = sigma > 0.0 ? gs::estimateNoiseVariance(o) : 0.0;
    const auto t0 = Clock::now();
    const gs::ResidualFit fit = gs::fitResidual(o, S);
    const double time = since(t0);
    std::printf("| %g |", sigma);
    for (std::size_t j = 0; j < gs::parameterCount; ++j)
    {
      std::printf(" %.1e (+- %.1e) |", (fit.estimate[j] - truth[j]) / truth[j],
        1.96 * fit.standardError[j] / truth[j]);
    }
    std::printf(" %.2f |\n", time);
    std::fflush(stdout);
  }
  return 0;
}
