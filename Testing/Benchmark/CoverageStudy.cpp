// How often the residual fits' 95% intervals (estimate +- 1.96 standard_error) cover the truth
// over noisy replicates, per parameter: u and v observed, ten frames of 128 x 128 20 steps
// apart from step 10,000 (the weak form and the strong time series); v alone, the paper's
// steady target (the weak form and the strong steady form). Noise N(0, sigma^2) from our own
// gs::Random, one seed per replicate; the noise variance estimated. A fit that claims no
// interval (NaN standard errors) is counted apart. Prints Markdown tables. Not a test.
//   usage: gs-coverage-study [replicates] [rows]   (default 100; rows: the cases whose
//   "observed method sigma" contains this text, e.g. "v (steady target) Steady")
#include "Study.h"

#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace
{

struct Case
{
  const char* observed;
  gs::ResidualMethod method;
  double sigma;
};

/// The first verdict of a replicate that claimed no interval, per row: printed after the table.
std::vector<std::string> reasons;

/// Prints one row: coverage per parameter, the replicates with no interval, the mean error.
void row(const gs::Observations& clean, const Case& c, int replicates)
{
  std::string reason;
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
    S.noiseVarianceIsBound = true;
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
    if (std::getenv("GS_COVERAGE_VERBOSE"))
    {
      std::printf(
        "  rep %d: misfit %.3g bias/se %+.2f %+.2f %+.2f %+.2f error/se %+.2f %+.2f %+.2f "
        "%+.2f\n",
        r, fit.misfit, fit.bias[0] / fit.standardError[0], fit.bias[1] / fit.standardError[1],
        fit.bias[2] / fit.standardError[2], fit.bias[3] / fit.standardError[3],
        (fit.estimate[0] - truth[0]) / fit.standardError[0],
        (fit.estimate[1] - truth[1]) / fit.standardError[1],
        (fit.estimate[2] - truth[2]) / fit.standardError[2],
        (fit.estimate[3] - truth[3]) / fit.standardError[3]);
      std::printf("  raw %d: error %+.3e %+.3e %+.3e %+.3e se %.3e %.3e %.3e %.3e\n", r,
        fit.estimate[0] - truth[0], fit.estimate[1] - truth[1], fit.estimate[2] - truth[2],
        fit.estimate[3] - truth[3], fit.standardError[0], fit.standardError[1],
        fit.standardError[2], fit.standardError[3]);
    }
    if (any && reason.empty())
    {
      reason = std::string(c.observed) + ", " + gs::toString(c.method) + ", sigma " +
        std::to_string(c.sigma) + ": " + fit.verdict;
    }
  }
  if (!reason.empty())
  {
    reasons.push_back(reason);
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
  std::int64_t steps = 0;
  const gs::Observations steady = study::paperTargetSteady(1e-10, &steps);
  gs::Observations steadyUV = steady;
  steadyUV.uObserved = true;
  std::printf("The steady target: the paper's run on to 1e-10 per step (%lld steps).\n\n",
    static_cast<long long>(steps));

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
    { "u, v (steady target)", gs::ResidualMethod::Steady, 1e-4 },
    { "u, v (steady target)", gs::ResidualMethod::Steady, 1e-3 },
    { "u, v (steady target)", gs::ResidualMethod::WeakForm, 1e-3 },
    { "u, v (steady target)", gs::ResidualMethod::WeakForm, 1e-2 },
    { "v (steady target)", gs::ResidualMethod::WeakForm, 1e-3 },
    { "v (steady target)", gs::ResidualMethod::WeakForm, 3e-3 },
    { "v (steady target)", gs::ResidualMethod::WeakForm, 1e-2 },
    { "v (steady target)", gs::ResidualMethod::Steady, 1e-4 },
    { "v (steady target)", gs::ResidualMethod::Steady, 1e-3 },
    { "v (paper's target)", gs::ResidualMethod::WeakForm, 1e-3 },
    { "v (paper's target)", gs::ResidualMethod::Steady, 1e-4 },
  };
  for (const Case& c : cases)
  {
    const std::string what = c.observed;
    const std::string name = what + " " + gs::toString(c.method) + " " + std::to_string(c.sigma);
    if (argc > 2 && name.find(argv[2]) == std::string::npos)
    {
      continue;
    }
    row(what == "v (steady target)"      ? steady
        : what == "u, v (steady target)" ? steadyUV
        : what == "v (paper's target)"   ? target
                                         : series,
      c, replicates);
  }
  std::printf("\nWhy no interval (the first such replicate of a row):\n\n");
  for (const std::string& r : reasons)
  {
    std::printf("- %s\n", r.c_str());
  }
  return 0;
}
