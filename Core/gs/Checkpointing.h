// Binomial checkpointing (Griewank and Walther's "revolve" bound): reversing l explicit steps
// when `free` states can be stored besides the one at the start of the range.
#pragma once

#include <cstdint>

namespace gs
{
namespace checkpointing
{

/// C(s + t, t), saturating instead of overflowing.
std::int64_t beta(std::int64_t s, std::int64_t t);

/// Fewest forward steps that reverse l steps with `free` stored states:
/// t l - beta(free + 2, t - 1), with t the least repetition count such that
/// beta(free + 1, t) >= l; l (l - 1) / 2 when nothing can be stored.
std::int64_t cost(std::int64_t l, std::int64_t free);

/// Where to store the next state (steps after the range start, in [1, l - 1]) so that the
/// schedule stays at cost(): the minimiser of m + cost(m, free) + cost(l - m, free - 1),
/// a convex function of m, found by bisection on its slope. Requires l >= 2 and free >= 1.
std::int64_t split(std::int64_t l, std::int64_t free);

} // namespace checkpointing
} // namespace gs
