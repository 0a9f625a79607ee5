#include "Checkpointing.h"

#include <limits>

namespace gs
{
namespace checkpointing
{

std::int64_t beta(std::int64_t s, std::int64_t t)
{
  if (t < 0)
  {
    return 0;
  }
  const std::int64_t cap = std::numeric_limits<std::int64_t>::max() / 4;
  std::int64_t r = 1;
  for (std::int64_t i = 1; i <= t; ++i)
  {
    if (r > cap / (s + i))
    {
      return cap;
    }
    r = r * (s + i) / i; // C(s + i, i) = C(s + i - 1, i - 1) (s + i) / i, exactly
  }
  return r;
}

std::int64_t cost(std::int64_t l, std::int64_t free)
{
  if (l <= 1)
  {
    return 0;
  }
  if (free <= 0)
  {
    return l * (l - 1) / 2;
  }
  std::int64_t t = 0;
  while (beta(free + 1, t) < l)
  {
    ++t;
  }
  return t * l - beta(free + 2, t - 1);
}

std::int64_t split(std::int64_t l, std::int64_t free)
{
  auto total = [&](std::int64_t m) { return m + cost(m, free) + cost(l - m, free - 1); };
  std::int64_t lo = 1, hi = l - 1; // the minimiser is in [lo, hi]
  while (lo < hi)
  {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (total(mid + 1) - total(mid) >= 0)
    {
      hi = mid;
    }
    else
    {
      lo = mid + 1;
    }
  }
  return lo;
}

} // namespace checkpointing
} // namespace gs
