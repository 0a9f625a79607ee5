#include "Patterns.h"

#include "Kernel.h"

#include <numeric>

namespace gs
{

namespace
{

std::size_t findRoot(std::vector<std::size_t>& parent, std::size_t i)
{
  while (parent[i] != i)
  {
    parent[i] = parent[parent[i]]; // path halving
    i = parent[i];
  }
  return i;
}

} // namespace

std::size_t countRegions(const Grid& g, const std::vector<double>& f, double threshold)
{
  const std::size_t n = g.cells();
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), std::size_t{ 0 });
  auto unite = [&](std::size_t a, std::size_t b) {
    if (f[a] > threshold && f[b] > threshold)
    {
      parent[findRoot(parent, a)] = findRoot(parent, b);
    }
  };
  const std::size_t rows = static_cast<std::size_t>(g.ny) * g.nz;
  for (std::size_t row = 0; row < rows; ++row)
  {
    const kernel::RowOffsets o = kernel::rowOffsets(g, row);
    for (int x = 0; x < g.nx; ++x)
    {
      // Each cell joins its east, north and upper neighbours: every face once.
      unite(o.c + x, o.c + (x + 1) % g.nx);
      unite(o.c + x, o.n + x);
      unite(o.c + x, o.t + x);
    }
  }
  std::size_t regions = 0;
  for (std::size_t i = 0; i < n; ++i)
  {
    regions += f[i] > threshold && findRoot(parent, i) == i;
  }
  return regions;
}

} // namespace gs
