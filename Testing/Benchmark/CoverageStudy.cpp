// How often the residual fits' 95% intervals (estimate +- 1.96 standard_error) cover the truth
// over noisy replicates, per parameter: u and v observed, ten frames of 128 x 128 20 steps
// apart from step 10,000 (the weak form and the strong time series); v alone, the paper's
// steady target (the weak form and the strong steady form). Noise N(0, sigma^2) from our own
// gs::Random, one seed per replicate; the noise variance estimated. A fit that claims no
// interval (NaN standard errors) is counted apart. Prints Markdown tables. Not a test.
//   usage: gs-coverage-study [replicates]   (default 100)
#include "Study.h"

#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace
{

struct Case
{
  const char* observed;
  gs::ResidualMethod method;
  double sigma;
};

/// Prints one row: coverage per parameter, the replicates with no interval, the mean error.
void row(const gs::Observations& clean, const Case& c, int replicates)
{
  const gs::Parameters truth = gs::Parameters::paperTruth();
  int covered[4] = {}, noInterval = 0;
  double meanError[4] = {};
  const auto t0 = study::Clock::now();
  for (int r = 0; r < replicates; ++r)
  {
    gs::Observations o = clean;
    study::addNoise(o, c.sigma, 5000 + static_cast<std::uint64_t>(r));
    gs::ResidualSettings S;
    S.method = c.method;
    S.noiseVariance = gs::estimateNoiseVariance(o);
    const gs::ResidualFit fit = gs::fitResidual(o, S);
    bool any = false;
    for (std::size_t j = 0; j < gs::parameterCount; ++j)
    {
      const double e = fit.estimate[j] - truth[j], se = fit.standardError[j];
      meanError[j] += e / truth[j] / replicates;
      if (!std::isfinite(se))
      {
        any = true;
        continue;
      }
      covered[j] += std::fabs(e) <= 1.96 * se;
    }
    noInterval += any;
  }
  std::printf("| %s | %s | %g |", c.observed, gs::toString(c.method), c.sigma);
  for (int j = 0; j < 4; ++j)
  {
    std::printf(" %.0f%% (%+.1e) |", 100.0 * covered[j] / replicates, meanError[j]);
  }
  std::printf(" %d | %.0f |\n", noInterval, study::since(t0));
  std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
  const int replicates = argc > 1 ? std::atoi(argv[1]) : 100;
  const gs::Observations series = study::paperSeries(10000, 20, 10);
  const gs::Observations target = study::paperTargetVOnly();

  std::printf("Coverage of 95%% intervals over %d replicates (mean relative error in brackets); "
              "the last columns: replicates with no interval claimed, seconds.\n\n",
    replicates);
  std::printf("| observed | method | sigma | Du | Dv | F | k | no interval | s |\n"
              "|---|---|---|---|---|---|---|---|---|\n");
  const Case cases[] = {
    { "u, v (10 frames)", gs::ResidualMethod::WeakForm, 1e-3 },
    { "u, v (10 frames)", gs::ResidualMethod::WeakForm, 1e-2 },
    { "u, v (10 frames)", gs::ResidualMethod::TimeSeries, 1e-4 },
    { "u, v (10 frames)", gs::ResidualMethod::TimeSeries, 1e-3 },
    { "v (steady target)", gs::ResidualMethod::WeakForm, 1e-3 },
    { "v (steady target)", gs::ResidualMethod::WeakForm, 1e-2 },
    { "v (steady target)", gs::ResidualMethod::Steady, 1e-4 },
    { "v (steady target)", gs::ResidualMethod::Steady, 1e-3 },
  };
  for (const Case& c : cases)
  {
    row(std::string(c.observed)[0] == 'u' ? series : target, c, replicates);
  }
  return 0;
}
