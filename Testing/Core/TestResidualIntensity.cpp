// The fit of an intensity a v + b with a, b unknown: exact on an affine image once one
// parameter fixes the scale; the scale symmetry of a steady state named when none does (and
// the two roots when k alone is fixed); an 8-bit image; what it refuses.
#include "ResidualTesting.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace
{
using namespace gs_testing;

/// v of the steady 48 x 48 spots as the intensity a v + b, or as 8 bits of its range.
gs::Observations image(double a, double b, bool eightBit = false)
{
  gs::Observations o = vOnly(single(steadySpots()));
  o.intensity = true;
  const auto [lo, hi] = std::minmax_element(o.frames[0].v.begin(), o.frames[0].v.end());
  const double vmin = *lo, vmax = *hi;
  for (double& x : o.frames[0].v)
  {
    x = eightBit ? std::round(255.0 * (x - vmin) / (vmax - vmin)) : a * x + b;
  }
  return o;
}

gs::ResidualSettings fixing(int j, gs::ResidualMethod m = gs::ResidualMethod::Steady)
{
  gs::ResidualSettings S = settings(m);
  S.fixed = Truth;
  if (j >= 0)
  {
    S.fit[static_cast<std::size_t>(j)] = false;
  }
  return S;
}

TEST(ResidualIntensity, OneKnownParameterFixesTheScale)
{
  for (int j : { 0, 1, 2 })
  {
    const gs::ResidualFit fit = gs::fitResidual(image(3.0, 0.2), fixing(j));
    EXPECT_LT(worstError(fit.estimate), 1e-10) << gs::parameterName(j) << " fixed: " << fit.verdict;
    EXPECT_NEAR(fit.intensityScale, 3.0, 3e-10);
    EXPECT_NEAR(fit.intensityOffset, 0.2, 1e-10);
    EXPECT_TRUE(fit.complete()) << fit.verdict;
    EXPECT_TRUE(contains(fit.verdict, "The intensity is a v + b with a = 3")) << fit.verdict;
  }
}

TEST(ResidualIntensity, SteadyStateLeavesTheScaleOpen)
{
  const gs::ResidualFit fit = gs::fitResidual(image(3.0, 0.2), fixing(-1));
  for (std::size_t j = 0; j < 4; ++j)
  {
    EXPECT_TRUE(std::isnan(fit.estimate[j]));
    EXPECT_FALSE(fit.identifiable[j]);
  }
  EXPECT_TRUE(std::isnan(fit.intensityScale));
  EXPECT_NEAR(fit.intensityOffset, 0.2, 1e-10);
  // The orbit's invariants of the truth: Du / F = 0.16 / 0.035, Dv / (F + k) = 0.8,
  // (F + k)^2 / F = 0.01 / 0.035.
  EXPECT_TRUE(contains(fit.verdict, "does not fix the scale a")) << fit.verdict;
  EXPECT_TRUE(contains(fit.verdict, "Du / F = 4.57143")) << fit.verdict;
  EXPECT_TRUE(contains(fit.verdict, "Dv / (F + k) = 0.8,")) << fit.verdict;
  EXPECT_TRUE(contains(fit.verdict, "(F + k)^2 / F = 0.285714")) << fit.verdict;
}

TEST(ResidualIntensity, KAloneLeavesTwoRoots)
{
  const gs::ResidualFit fit = gs::fitResidual(image(3.0, 0.2), fixing(3));
  EXPECT_TRUE(
    std::isnan(fit.estimate.Du) && std::isnan(fit.estimate.Dv) && std::isnan(fit.estimate.F));
  EXPECT_FALSE(fit.identifiable[0]);
  // The truth is one root, lambda = k / F = 0.065 / 0.035 from it the other.
  EXPECT_TRUE(contains(fit.verdict, "two parameter sets")) << fit.verdict;
  EXPECT_TRUE(contains(fit.verdict, "Du = 0.16,") || contains(fit.verdict, "Du = 0.16;"))
    << fit.verdict;
  EXPECT_TRUE(contains(fit.verdict, "Fix Du, Dv or F instead")) << fit.verdict;
}

TEST(ResidualIntensity, EightBitImage)
{
  // Quantisation is noise of variance 1/12 grey level^2 (sd 4e-4 in v here), its estimate a
  // bound; on this small image the fit of v alone is some percent off at such noise.
  gs::Observations o = image(0.0, 0.0, true);
  gs::ResidualSettings S = fixing(1);
  S.noiseVariance = gs::estimateNoiseVariance(o);
  S.intervalReplicates = 0;
  const gs::ResidualFit fit = gs::fitResidual(o, S);
  EXPECT_LT(worstError(fit.estimate), 0.1) << fit.verdict;
  std::printf("8-bit 48 x 48, Dv fixed: worst relative error %.3g\n", worstError(fit.estimate));
  EXPECT_TRUE(fit.complete()) << fit.verdict;
}

TEST(ResidualIntensity, Refusals)
{
  gs::Observations flat = image(3.0, 0.2);
  std::fill(flat.frames[0].v.begin(), flat.frames[0].v.end(), 7.0);
  expectError([&] { gs::fitResidual(flat, fixing(0)); }, "the image is constant");
  gs::Observations withU = single(steadySpots());
  withU.intensity = true;
  expectError([&] { gs::fitResidual(withU, fixing(0)); }, "Intensity is for v observed alone");
  gs::Observations two = image(3.0, 0.2);
  two.frames.push_back(two.frames[0]);
  two.frames.push_back(two.frames[0]);
  two.times = { 0.0, 1.0, 2.0 };
  expectError([&] { gs::fitResidual(two, fixing(0, gs::ResidualMethod::TimeSeries)); },
    "Intensity takes steady frames");
  const gs::Observations img = image(3.0, 0.2);
  expectError([&] { gs::latentU(img, fixing(0), Truth); }, "concentrationOf");
  gs::Observations holed;
  holed.uObserved = false; // before add(): the frame's u is not read
  holed.intensity = true;
  gs::State frame = img.frames[0];
  frame.v[5] = std::numeric_limits<double>::infinity();
  holed.add(frame, 0.0);
  holed.finish();
  expectError([&] { gs::fitResidual(holed, fixing(0)); },
    "observation Intensity: 1 cells of the image are not finite");
}

} // namespace
