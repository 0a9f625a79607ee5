#include <gs/Bifurcation.h>
#include <gs/Progress.h>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

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

/// The pieces of `curves` named `name`.
std::vector<bf::Curve> piecesNamed(const std::vector<bf::Curve>& curves, const std::string& name)
{
  std::vector<bf::Curve> out;
  for (const auto& c : curves)
  {
    if (c.name == name)
    {
      out.push_back(c);
    }
  }
  return out;
}

TEST(Bifurcation, SaddleNodeAndHopfCurvesMeetExactlyAtTheTip)
{
  const double tip = 1.0 / 16;
  // F = 1/16 is not a sample of any of these samplings of [Fmin, 0.1]; the boxes hold all of
  // the Hopf curve and one piece of the saddle-node curve.
  const bf::Point lowerLeft[] = { { 0.0, 0.0 }, { 0.001, 0.01 }, { 0.03, 0.055 } };
  for (const auto& corner : lowerLeft)
  {
    for (const int samples : { 2, 3, 7, 400 })
    {
      const auto all = bf::curves(corner.F, 0.1, corner.k, 0.08, 0.16, 0.08, samples);
      const auto sn = piecesNamed(all, "saddle-node");
      const auto hopf = piecesNamed(all, "hopf");
      ASSERT_EQ(sn.size(), 1u);
      ASSERT_EQ(hopf.size(), 1u);
      // The tip is a vertex of the saddle-node curve, its highest, between samples.
      int tips = 0;
      for (std::size_t i = 0; i < sn[0].points.size(); ++i)
      {
        const auto& p = sn[0].points[i];
        EXPECT_LE(p.k, tip);
        if (p.F == tip)
        {
          ++tips;
          EXPECT_EQ(p.k, tip);
          // In order (F = 0 itself is never a point: the first sample may be missing).
          EXPECT_TRUE(i == 0 || sn[0].points[i - 1].F < tip);
          ASSERT_LT(i + 1, sn[0].points.size());
          EXPECT_GT(sn[0].points[i + 1].F, tip);
        }
      }
      EXPECT_EQ(tips, 1) << corner.F << " " << samples;
      EXPECT_LE(sn[0].points.size(), static_cast<std::size_t>(samples) + 1);
      // The Hopf curve ends there (hopfF has a double root at the tip: sqrt of round-off).
      const auto& end = hopf[0].points.back();
      EXPECT_EQ(end.k, tip);
      EXPECT_NEAR(end.F, tip, 1e-7);
      EXPECT_LE(end.F, end.k);
    }
  }
  // Where the F range ends at the tip, it is the saddle-node curve's last point.
  const auto sn = piecesNamed(bf::curves(0.0, tip, 0.0, 0.08, 0.16, 0.08, 400), "saddle-node");
  ASSERT_EQ(sn.size(), 1u);
  EXPECT_EQ(sn[0].points.back().F, tip);
  EXPECT_EQ(sn[0].points.back().k, tip);
  // Outside the F range it is not added.
  for (const auto& c : bf::curves(0.07, 0.1, 0.0, 0.08, 0.16, 0.08, 50))
  {
    for (const auto& p : c.points)
    {
      EXPECT_GE(p.F, 0.07) << c.name;
    }
  }
}

TEST(Bifurcation, RangesAreKeptAndTheirEndsAreSamples)
{
  // 0.001 + (0.1 - 0.001) rounds past 0.1: the last sample is still 0.1 and kept.
  const auto sn = piecesNamed(bf::curves(0.001, 0.1, 0.0, 0.08, 0.16, 0.08, 400), "saddle-node");
  ASSERT_EQ(sn.size(), 1u);
  EXPECT_EQ(sn[0].points.front().F, 0.001);
  EXPECT_EQ(sn[0].points.back().F, 0.1);
  // A curve that leaves the box and comes back is two pieces, every point inside.
  const double kmax = 0.06;
  const auto all = bf::curves(0.0, 0.1, 0.0, kmax, 0.16, 0.08, 400);
  EXPECT_EQ(piecesNamed(all, "saddle-node").size(), 2u);
  for (const auto& c : all)
  {
    EXPECT_GE(c.points.size(), 2u);
    for (const auto& p : c.points)
    {
      EXPECT_TRUE(p.F >= 0.0 && p.F <= 0.1 && p.k >= 0.0 && p.k <= kmax) << c.name;
    }
  }
}

TEST(Bifurcation, CurvesReportProgressAndStopWhenAsked)
{
  const int samples = 1000;
  std::vector<double> fractions;
  gs::Progress progress(
    [&](double f) {
      fractions.push_back(f);
      return false;
    },
    samples);
  const auto reported = bf::curves(0.0, 0.1, 0.0, 0.08, 0.16, 0.08, samples, &progress);
  ASSERT_FALSE(fractions.empty());
  EXPECT_EQ(fractions.back(), 1.0);
  for (std::size_t i = 1; i < fractions.size(); ++i)
  {
    EXPECT_LE(fractions[i - 1], fractions[i]);
  }
  EXPECT_FALSE(progress.aborted());
  // Reporting changes nothing.
  const auto plain = bf::curves(0.0, 0.1, 0.0, 0.08, 0.16, 0.08, samples);
  ASSERT_EQ(reported.size(), plain.size());
  for (std::size_t c = 0; c < plain.size(); ++c)
  {
    ASSERT_EQ(reported[c].points.size(), plain[c].points.size());
    for (std::size_t i = 0; i < plain[c].points.size(); ++i)
    {
      EXPECT_EQ(reported[c].points[i].F, plain[c].points[i].F);
      EXPECT_EQ(reported[c].points[i].k, plain[c].points[i].k);
    }
  }

  // Asked to stop half-way: stops there, with nothing.
  double last = 0.0;
  gs::Progress stopper(
    [&](double f) {
      last = f;
      return f >= 0.5;
    },
    samples);
  EXPECT_TRUE(bf::curves(0.0, 0.1, 0.0, 0.08, 0.16, 0.08, samples, &stopper).empty());
  EXPECT_TRUE(stopper.aborted());
  EXPECT_GE(last, 0.5);
  EXPECT_LT(last, 0.6);
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
