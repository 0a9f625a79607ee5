#include "Patterns.h"

#include "Kernel.h"

#include <algorithm>
#include <cmath>
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

/// Face-connected regions of cells with f > threshold across the periodic boundaries, with
/// each region's size (cells) and surface (faces to cells at or below the threshold), both
/// stored at the region's root cell and 0 elsewhere.
struct Regions
{
  std::vector<double> area, surface;
};

Regions labelRegions(const Grid& g, const std::vector<double>& f, double threshold)
{
  const std::size_t n = g.cells();
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), std::size_t{ 0 });
  std::vector<std::size_t> faces(n, 0);
  const bool axis[6] = { g.nx > 1, g.nx > 1, g.ny > 1, g.ny > 1, g.nz > 1, g.nz > 1 };
  const std::size_t rows = static_cast<std::size_t>(g.ny) * g.nz;
  for (std::size_t row = 0; row < rows; ++row)
  {
    const kernel::RowOffsets o = kernel::rowOffsets(g, row);
    for (int x = 0; x < g.nx; ++x)
    {
      const std::size_t i = o.c + x;
      if (!(f[i] > threshold))
      {
        continue;
      }
      const std::size_t nb[6] = { o.c + (x + 1) % g.nx, o.c + (x + g.nx - 1) % g.nx, o.n + x,
        o.s + x, o.t + x, o.b + x };
      for (int k = 0; k < 6; ++k)
      {
        if (!axis[k])
        {
          continue;
        }
        if (f[nb[k]] > threshold)
        {
          parent[findRoot(parent, i)] = findRoot(parent, nb[k]);
        }
        else
        {
          ++faces[i];
        }
      }
    }
  }
  Regions r{ std::vector<double>(n, 0.0), std::vector<double>(n, 0.0) };
  for (std::size_t i = 0; i < n; ++i)
  {
    if (f[i] > threshold)
    {
      const std::size_t root = findRoot(parent, i);
      r.area[root] += 1.0;
      r.surface[root] += static_cast<double>(faces[i]);
    }
  }
  return r;
}

} // namespace

std::size_t countRegions(const Grid& g, const std::vector<double>& f, double threshold)
{
  const Regions r = labelRegions(g, f, threshold);
  return static_cast<std::size_t>(
    std::count_if(r.area.begin(), r.area.end(), [](double a) { return a > 0.0; }));
}

const char* toString(PatternClass c)
{
  switch (c)
  {
    case PatternClass::Dead:
      return "dead";
    case PatternClass::Uniform:
      return "uniform";
    case PatternClass::Spots:
      return "spots";
    case PatternClass::Stripes:
      return "stripes";
    case PatternClass::Mixed:
      return "mixed";
    case PatternClass::Unsettled:
      return "unsettled";
    case PatternClass::BlowUp:
      return "blow-up";
  }
  return "unknown";
}

PatternClass classify(
  const State& s, RunStatus status, double lastChange, const ClassifySettings& settings)
{
  if (status == RunStatus::BlowUp)
  {
    return PatternClass::BlowUp;
  }
  // Judged on v: once v has gone, u can only relax to 1, however slowly its noise decays.
  const auto [vmin, vmax] = std::minmax_element(s.v.begin(), s.v.end());
  const double tol = settings.uniformTolerance;
  if (*vmax < tol)
  {
    return PatternClass::Dead;
  }
  if (*vmax - *vmin < tol)
  {
    return PatternClass::Uniform;
  }
  if (status != RunStatus::Converged && lastChange >= settings.settledChange)
  {
    return PatternClass::Unsettled;
  }

  // The regions above mid-range, with each one's size and surface.
  const Grid& g = s.grid;
  const Regions regions = labelRegions(g, s.v, 0.5 * (*vmin + *vmax));
  const std::vector<double>& area = regions.area;
  const std::vector<double>& surface = regions.surface;
  const std::size_t n = g.cells();
  const double pi = 3.14159265358979323846;
  const bool threeD = g.nz > 1;
  // A digital disc: A = pi r^2, P = 8 r; a digital ball: V = 4/3 pi r^3, S = 6 pi r^2.
  const double reference = threeD ? 64.0 / 216.0 : pi * pi / 16.0;
  double total = 0.0, spots = 0.0;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (area[i] > 0.0)
    {
      const double a = area[i], p = surface[i];
      const double compactness = p <= 0.0 ? 0.0
        : threeD                          ? 36.0 * pi * a * a / (p * p * p)
                                          : 4.0 * pi * a / (p * p);
      total += a;
      if (compactness >= settings.spotCompactness * reference)
      {
        spots += a;
      }
    }
  }
  const double f = total > 0.0 ? spots / total : 0.0;
  return f >= 0.8 ? PatternClass::Spots : f <= 0.2 ? PatternClass::Stripes : PatternClass::Mixed;
}

} // namespace gs
