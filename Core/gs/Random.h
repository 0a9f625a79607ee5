// A seeded random number generator we own, so that a seed gives the same numbers on every
// machine, compiler and thread count (std:: distributions are implementation-defined).
#pragma once

#include <cstdint>

namespace gs
{

/// Mixes two 64-bit words into one (the SplitMix64 finaliser): used to derive independent
/// streams, e.g. one per grid cell, from a user seed.
std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b);

/// Natural logarithm from +, -, *, / and frexp only, so it is bitwise the same everywhere
/// (libm's log is not guaranteed to be). Accurate to a few ulp for finite x > 0.
double portableLog(double x);

/// SplitMix64 stream with uniform and normal variates.
class Random
{
public:
  explicit Random(std::uint64_t seed, std::uint64_t stream = 0);

  std::uint64_t next();
  /// Uniform in [0, 1), 53 random bits.
  double uniform();
  /// Two independent standard normal variates (Marsaglia's polar method).
  void normalPair(double& a, double& b);

private:
  std::uint64_t State;
};

} // namespace gs
