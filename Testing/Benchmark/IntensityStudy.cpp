// Parameter recovery from an 8-bit image of the paper's target: 128 x 128, the truth, seed 0,
// steady to the paper's tolerance (1e-4 per step), v written as grey = round(255 (v - min) /
// (max - min)) and fitted as an intensity a v + b (a, b unknown) with one parameter fixed at
// the truth (a steady state does not fix the scale otherwise), the noise variance estimated
// (an upper bound). Prints a Markdown table for README and the run times. Not a test.
//   usage: gs-intensity-study
#include "Study.h"

#include <gs/Names.h>
#include <gs/Residual.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

int main()
{
  using namespace study;
  const gs::Parameters truth = gs::Parameters::paperTruth();
  std::int64_t steps = 0;
  gs::Observations image = paperTargetVOnly(&steps);
  std::vector<double>& v = image.frames[0].v;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  const double vmin = *lo, vmax = *hi;
  for (double& x : v)
  {
    x = std::round(255.0 * (x - vmin) / (vmax - vmin));
  }
  image.intensity = true;
  std::printf("128 x 128, the truth (Du, Dv, F, k) = (0.16, 0.08, 0.035, 0.065), seed 0, steady "
              "to 1e-4 after %lld steps; v in [%.4g, %.4g] as 8 bits (a = %.6g, b = %.6g).\n\n",
    static_cast<long long>(steps), vmin, vmax, 255.0 / (vmax - vmin),
    -255.0 * vmin / (vmax - vmin));
  std::printf("| fixed | method | Du | Dv | F | k | a | b | time (s) "
              "|\n|---|---|---|---|---|---|---|---|---|\n");
  for (int fixed : { 0, 1, 2, 3, -1 })
  {
    for (gs::ResidualMethod method : { gs::ResidualMethod::Steady, gs::ResidualMethod::WeakForm })
    {
      gs::ResidualSettings S;
      S.method = method;
      S.fixed = truth;
      if (fixed >= 0)
      {
        S.fit[static_cast<std::size_t>(fixed)] = false;
      }
      S.noiseVariance = gs::estimateNoiseVariance(image);
      S.intervalReplicates = 0; // the estimates only
      const auto t0 = Clock::now();
      const gs::ResidualFit fit = gs::fitResidual(image, S);
      const double time = since(t0);
      std::printf(
        "| %s | %s |", fixed >= 0 ? gs::parameterName(fixed) : "none", gs::toString(method));
      for (std::size_t j = 0; j < gs::parameterCount; ++j)
      {
        if (fixed == static_cast<int>(j))
        {
          std::printf(" fixed |");
        }
        else
        {
          std::printf(" %+.1e |", (fit.estimate[j] - truth[j]) / truth[j]);
        }
      }
      std::printf(" %+.1e | %.4g | %.1f |\n", fit.intensityScale * (vmax - vmin) / 255.0 - 1.0,
        fit.intensityOffset, time);
      std::fflush(stdout);
    }
  }
  return 0;
}
