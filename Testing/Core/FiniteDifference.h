// Finite differences that the adjoint gradients are checked against.
#pragma once

#include <gs/Grid.h>

#include <functional>

namespace gs_testing
{

/// Central difference of f in parameter i, Richardson-extrapolated (error O(h^4)).
inline double parameterFD(
  const std::function<double(const gs::Parameters&)>& f, const gs::Parameters& p, int i, double h)
{
  auto at = [&](double d) {
    gs::Parameters q = p;
    q[static_cast<gs::Parameter>(i)] += d;
    return f(q);
  };
  const double d1 = (at(h) - at(-h)) / (2 * h);
  const double d2 = (at(h / 2) - at(-h / 2)) / h;
  return (4 * d2 - d1) / 3;
}

} // namespace gs_testing
