// The noise of observed fields, estimated from the data alone: the residual fit removes its
// bias from u v^2.
#include "ResidualSystem.h"

#include "Kernel.h"
#include "Simulation.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gs
{
using residual::check;
using residual::neighbours;

namespace
{
/// sigma from the median of |x| for Gaussian noise of unit gain (the median of |N(0,1)|).
double medianSigma(std::vector<double>& x)
{
  const auto mid = x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2);
  std::nth_element(x.begin(), mid, x.end());
  return *mid / 0.6744897501960817;
}

/// Fewest values an estimate of the noise is taken from.
constexpr std::size_t MinNoiseSamples = 100;

} // namespace

double estimateNoiseVariance(const Observations& data)
{
  ResidualSettings S;
  S.method = ResidualMethod::WeakForm; // asks for times with two or more frames
  check(data, S, false);
  const Grid& g = data.grid;
  const std::size_t n = g.cells(), N = data.frames.size();
  auto observed = [&](std::size_t i) { return data.valid.empty() || data.valid[i] != 0; };
  double best = std::numeric_limits<double>::infinity();

  // In time: a x[n-1] - (a + c) x[n] + c x[n+1], a and c the inverse spacings, is 0 for
  // fields linear in time.
  std::vector<double> values;
  for (std::size_t f = 1; f + 1 < N; ++f)
  {
    const double a = 1.0 / (data.times[f] - data.times[f - 1]);
    const double c = 1.0 / (data.times[f + 1] - data.times[f]);
    const double gain = std::sqrt(a * a + (a + c) * (a + c) + c * c);
    const std::vector<double>&v0 = data.frames[f - 1].v, &v1 = data.frames[f].v,
          &v2 = data.frames[f + 1].v;
    for (std::size_t i = 0; i < n; ++i)
    {
      if (observed(i))
      {
        values.push_back(std::fabs(a * v0[i] - (a + c) * v1[i] + c * v2[i]) / gain);
      }
    }
  }
  if (values.size() >= MinNoiseSamples)
  {
    best = std::min(best, medianSigma(values));
  }

  // In space: the product of (1, -2, 1) along every axis of at least three cells.
  const int dims[3] = { g.nx, g.ny, g.nz };
  const std::size_t stride[3] = { 1, static_cast<std::size_t>(g.nx),
    static_cast<std::size_t>(g.nx) * g.ny };
  double gain = 1.0;
  std::vector<unsigned char> block(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    block[i] = observed(i);
  }
  auto alongAxis = [&](int a, auto&& op) {
    // op(centre, minus, plus) for every cell, neighbours along axis a (periodic).
    for (std::size_t i = 0; i < n; ++i)
    {
      const std::size_t c = (i / stride[a]) % dims[a];
      const std::size_t base = i - c * stride[a];
      op(i, base + ((c + dims[a] - 1) % dims[a]) * stride[a],
        base + ((c + 1) % dims[a]) * stride[a]);
    }
  };
  int axes = 0;
  for (int a = 0; a < 3; ++a)
  {
    if (dims[a] >= 3)
    {
      ++axes;
      gain *= 6.0;
      std::vector<unsigned char> next(n);
      alongAxis(a, [&](std::size_t i, std::size_t m, std::size_t p) {
        next[i] = block[i] && block[m] && block[p];
      });
      block.swap(next);
    }
  }
  values.clear();
  if (axes > 0)
  {
    std::vector<double> d(n), e(n);
    for (std::size_t f = 0; f < N; ++f)
    {
      d = data.frames[f].v;
      for (int a = 0; a < 3; ++a)
      {
        if (dims[a] >= 3)
        {
          alongAxis(a,
            [&](std::size_t i, std::size_t m, std::size_t p) { e[i] = d[m] - 2.0 * d[i] + d[p]; });
          d.swap(e);
        }
      }
      for (std::size_t i = 0; i < n; ++i)
      {
        if (block[i])
        {
          values.push_back(std::fabs(d[i]) / std::sqrt(gain));
        }
      }
    }
  }
  if (values.size() >= MinNoiseSamples)
  {
    best = std::min(best, medianSigma(values));
  }
  if (!std::isfinite(best))
  {
    std::ostringstream msg;
    msg << "Too little data to estimate the noise: needs " << MinNoiseSamples
        << " observed cells in three consecutive frames, or as many fully observed 3 x 3 blocks.";
    throw Error(msg.str());
  }
  return best * best;
}

} // namespace gs
