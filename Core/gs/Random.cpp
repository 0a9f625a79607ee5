#include "Random.h"

#include <cmath>

namespace gs
{

std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b)
{
  std::uint64_t z = a + 0x9e3779b97f4a7c15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double portableLog(double x)
{
  int e = 0;
  double m = std::frexp(x, &e); // x = m 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440)
  {
    m *= 2.0;
    e -= 1;
  }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: the series converges fast.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double series = 1.0 / 25.0;
  for (int n = 11; n >= 0; --n)
  {
    series = 1.0 / (2 * n + 1) + s2 * series;
  }
  const double ln2Hi = 6.93147180369123816490e-01; // ln 2 split so e * ln2Hi is exact
  const double ln2Lo = 1.90821492927058770002e-10;
  return e * ln2Hi + (2.0 * s * series + e * ln2Lo);
}

Random::Random(std::uint64_t seed, std::uint64_t stream)
  : State(mixSeed(seed, stream))
{}

std::uint64_t Random::next()
{
  std::uint64_t z = (State += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Random::uniform()
{
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

void Random::normalPair(double& a, double& b)
{
  for (;;)
  {
    const double x = 2.0 * uniform() - 1.0;
    const double y = 2.0 * uniform() - 1.0;
    const double s = x * x + y * y;
    if (s > 0.0 && s < 1.0)
    {
      const double f = std::sqrt(-2.0 * portableLog(s) / s);
      a = x * f;
      b = y * f;
      return;
    }
  }
}

} // namespace gs
