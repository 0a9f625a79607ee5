#include <gs/Random.h>

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>

namespace
{

// SplitMix64 is fully specified, so its numbers are the same on every machine: these were
// computed once and guard against any change to the generator.
TEST(Random, KnownSequence)
{
  gs::Random rng(42, 7);
  const std::uint64_t expected[3] = { 0x001dcf1b277a0c18ULL, 0xff6a03ddcc9b51e2ULL,
    0x2a9c423cf344298eULL };
  for (std::uint64_t e : expected)
  {
    EXPECT_EQ(rng.next(), e);
  }
}

TEST(Random, SameSeedSameStreamDifferentSeedsDiffer)
{
  gs::Random a(1, 5), b(1, 5), c(2, 5), d(1, 6);
  int differC = 0, differD = 0;
  for (int i = 0; i < 100; ++i)
  {
    const std::uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    differC += x != c.next();
    differD += x != d.next();
  }
  EXPECT_EQ(differC, 100);
  EXPECT_EQ(differD, 100);
}

TEST(Random, PortableLogMatchesLibmToAFewUlp)
{
  // Covers [1e-300, 1e300], including the interval of the polar method, (0, 1).
  for (double x = 1e-300; x < 1e300; x *= 1.0371)
  {
    const double ref = std::log(x);
    const double ulp = std::nextafter(std::fabs(ref), HUGE_VAL) - std::fabs(ref);
    ASSERT_LE(std::fabs(gs::portableLog(x) - ref), 4 * ulp + 1e-300) << "x = " << x;
  }
  EXPECT_EQ(gs::portableLog(1.0), 0.0);
}

TEST(Random, UniformAndNormalMoments)
{
  // 2e5 normal variates: the sample mean has standard error 1/sqrt(2e5) = 0.0022 and the
  // sample variance about sqrt(2/2e5) = 0.0032; 5 standard errors are allowed.
  gs::Random rng(123);
  const int n = 100000;
  double s = 0.0, s2 = 0.0, umin = 1.0, umax = 0.0;
  for (int i = 0; i < n; ++i)
  {
    double a = 0.0, b = 0.0;
    rng.normalPair(a, b);
    s += a + b;
    s2 += a * a + b * b;
    const double u = rng.uniform();
    umin = std::min(umin, u);
    umax = std::max(umax, u);
  }
  const double mean = s / (2.0 * n), var = s2 / (2.0 * n) - mean * mean;
  EXPECT_NEAR(mean, 0.0, 5 * 0.0022);
  EXPECT_NEAR(var, 1.0, 5 * 0.0032);
  EXPECT_GE(umin, 0.0);
  EXPECT_LT(umax, 1.0);
}

} // namespace
