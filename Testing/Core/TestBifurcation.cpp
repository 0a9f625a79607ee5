#include <gs/Bifurcation.h>

#include <gtest/gtest.h>

#include <cmath>

namespace
{

namespace bf = gs::bifurcation;

TEST(Bifurcation, CurvesSatisfyTheirDefiningEquations)
{
  const double Du = 0.16, Dv = 0.08;
  const auto curves = bf::curves(0.0, 0.1, 0.0, 0.08, Du, Dv, 300);
  int counts[3] = { 0, 0, 0 };
  for (const auto& c : curves)
  {
    for (const auto& p : c.points)
    {
      const double F = p.F, k = p.k;
      if (c.name == "saddle-node")
      {
        ++counts[0];
        ASSERT_NEAR(F - 4 * (F + k) * (F + k), 0.0, 1e-10) << F;
      }
      else if (c.name == "hopf")
      {
        ++counts[1];
        ASSERT_NEAR((F + k) * (F + k) - F * std::sqrt(k), 0.0, 1e-10) << k;
        const double v = bf::upperV(F, k);
        ASSERT_NEAR(v * v, k, 1e-10); // trace = k - v^2 = 0 on the upper branch
        ASSERT_LE(F, k);
      }
      else
      {
        ASSERT_EQ(c.name, "turing");
        ++counts[2];
        ASSERT_NEAR(bf::turingMargin(F, k, Du, Dv), 0.0, 1e-10);
      }
    }
  }
  EXPECT_GT(counts[0], 100);
  EXPECT_GT(counts[1], 100);
  EXPECT_GT(counts[2], 50);
}

TEST(Bifurcation, SaddleNodeAndHopfMeetAtOneSixteenth)
{
  EXPECT_NEAR(bf::saddleNodeK(1.0 / 16), 1.0 / 16, 1e-15);
  EXPECT_NEAR(bf::hopfF(1.0 / 16), 1.0 / 16, 1e-7); // a double root: sqrt of round-off
  EXPECT_NEAR(bf::hopfF(1.0 / 16 - 1e-9), 1.0 / 16, 1e-4);
  // The maximum of the saddle-node curve.
  EXPECT_LT(bf::saddleNodeK(0.06), 1.0 / 16);
  EXPECT_LT(bf::saddleNodeK(0.065), 1.0 / 16);
}

TEST(Bifurcation, UpperStateMatchesTheKinetics)
{
  // At the paper's truth no uniform state but (1, 0) exists: k = 0.065 > sqrt(F)/2 - F.
  EXPECT_TRUE(std::isnan(bf::upperV(0.035, 0.065)));
  // Where it exists, u = (F + k)/v makes both reaction terms vanish.
  const double F = 0.04, k = 0.05, v = bf::upperV(F, k), u = (F + k) / v;
  EXPECT_NEAR(-u * v * v + F * (1 - u), 0.0, 1e-15);
  EXPECT_NEAR(u * v * v - (F + k) * v, 0.0, 1e-15);
  EXPECT_EQ(bf::pearsonClasses().size(), 12u);
}

} // namespace
