// The strong form of the residual: the solver's discrete equations at every usable cell of
// every frame, steady or differenced in time, as rows of the least-squares system.
#include "ResidualSystem.h"

#include "Kernel.h"
#include "Progress.h"
#include "Simulation.h"
#include "Spectral.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace gs
{
namespace residual
{
namespace
{
/// Cells per block of strong-form equations: a fixed split of the grid, so the blocks (and
/// with them every rounding) do not depend on the thread count.
constexpr std::size_t BlockCells = 1024;

} // namespace

Factor combine(const std::vector<Factor>& parts)
{
  Rows stacked(static_cast<Eigen::Index>(parts.size()) * Cols, Cols);
  for (std::size_t i = 0; i < parts.size(); ++i)
  {
    stacked.middleRows(static_cast<Eigen::Index>(i) * Cols, Cols) = parts[i];
  }
  return triangular(stacked, stacked.rows());
}

double laplacianScale(const Grid& g, const ResidualSettings& S)
{
  if (S.discretisation == Discretisation::Spectral)
  {
    return spectralLaplacianBound(g);
  }
  const kernel::Stencil st = kernel::makeStencil(g);
  return 2.0 * (std::fabs(st.cx) + std::fabs(st.cy) + std::fabs(st.cz)) + std::fabs(st.cc);
}

Neighbours neighbours(const Grid& g, std::size_t i)
{
  const std::size_t nx = g.nx, ny = g.ny, nz = g.nz;
  const std::size_t x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
  auto at = [&](
              std::size_t xx, std::size_t yy, std::size_t zz) { return xx + nx * (yy + ny * zz); };
  return { { i, at((x + nx - 1) % nx, y, z), at((x + 1) % nx, y, z), at(x, (y + ny - 1) % ny, z),
    at(x, (y + 1) % ny, z), at(x, y, (z + nz - 1) % nz), at(x, y, (z + 1) % nz) } };
}

std::vector<unsigned char> usableCells(const Grid& g, const std::vector<unsigned char>& valid)
{
  if (valid.empty() ||
    std::all_of(valid.begin(), valid.end(), [](unsigned char c) { return c != 0; }))
  {
    return {};
  }
  std::vector<unsigned char> usable(g.cells());
  for (std::size_t i = 0; i < g.cells(); ++i)
  {
    const Neighbours nb = neighbours(g, i);
    bool ok = true;
    for (std::size_t c : nb.c)
    {
      ok = ok && valid[c] != 0;
    }
    usable[i] = ok;
  }
  return usable;
}

void dataLaplacian(const Grid& g, const double* f, double* out, const ResidualSettings& S)
{
  if (S.discretisation == Discretisation::Spectral)
  {
    spectralLaplacian(g, f, out);
  }
  else
  {
    laplacian(g, f, out);
  }
}

StrongFrames strongFrames(const Observations& data, const ResidualSettings& S)
{
  const std::size_t N = data.frames.size();
  if (S.method == ResidualMethod::Steady)
  {
    return { 0, N, 0, 0 };
  }
  if (S.difference == TimeDifference::Central && S.method == ResidualMethod::TimeSeries)
  {
    return { 1, N - 1, 1, 1 };
  }
  return { 0, N - 1, 0, 1 };
}

StrongCell strongCell(const Observations& data, const StrongFrames& sf, std::size_t f,
  const std::vector<double>& lu, const std::vector<double>& lv, const ResidualSettings& S)
{
  const State& s = data.frames[f];
  const State& a = data.frames[f + sf.ahead];
  const State& b = data.frames[f - sf.back];
  const double lapScale = laplacianScale(data.grid, S);
  StrongCell c{ s.u.data(), s.v.data(), lu.data(), lv.data(), a.u.data(), a.v.data(), b.u.data(),
    b.v.data(), 0.0, lapScale, S.noiseVariance };
  if (S.method != ResidualMethod::Steady)
  {
    c.rate = 1.0 / (data.times[f + sf.ahead] - data.times[f - sf.back]);
  }
  return c;
}

System assembleStrong(const Observations& data, const ResidualSettings& S, Progress* progress)
{
  const Grid& g = data.grid;
  const std::size_t n = g.cells();
  const StrongFrames sf = strongFrames(data, S);
  const std::vector<unsigned char> usable = usableCells(g, data.valid);
  const std::size_t blocks = (n + BlockCells - 1) / BlockCells;
  const std::size_t frames = sf.last - sf.first;
  std::vector<Factor> parts(frames * blocks);
  std::vector<std::array<double, 4>> mags(frames * blocks);
  std::vector<std::size_t> counts(frames * blocks);
  std::vector<double> lu(n), lv(n);
  System sys;
  for (std::size_t f = sf.first; f < sf.last; ++f)
  {
    dataLaplacian(g, data.frames[f].u.data(), lu.data(), S);
    dataLaplacian(g, data.frames[f].v.data(), lv.data(), S);
    const StrongCell cell = strongCell(data, sf, f, lu, lv, S);
    const std::size_t slot0 = (f - sf.first) * blocks;
    tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        Rows rows(2 * BlockCells, Cols);
        double ru[Cols], rv[Cols];
        for (std::size_t b = r.begin(); b < r.end(); ++b)
        {
          const std::size_t c0 = b * BlockCells, c1 = std::min(n, c0 + BlockCells);
          Eigen::Index m = 0;
          std::array<double, 4> mag = {};
          for (std::size_t i = c0; i < c1; ++i)
          {
            if (!usable.empty() && !usable[i])
            {
              continue;
            }
            cell.rows(i, ru, rv);
            cell.magnitudes(i, mag.data());
            for (int k = 0; k < Cols; ++k)
            {
              rows(m, k) = ru[k];
              rows(m + 1, k) = rv[k];
            }
            m += 2;
          }
          parts[slot0 + b] = triangular(rows, m);
          mags[slot0 + b] = mag;
          counts[slot0 + b] = static_cast<std::size_t>(m);
        }
      });
    if (progress)
    {
      progress->add(1.0);
      if (progress->aborted())
      {
        sys.aborted = true;
        return sys;
      }
    }
  }
  if (progress)
  {
    progress->add(static_cast<double>(data.frames.size() - frames));
  }
  sys.R = combine(parts);
  std::array<double, 4> m2 = {};
  for (std::size_t i = 0; i < parts.size(); ++i)
  {
    for (int j = 0; j < 4; ++j)
    {
      m2[j] += mags[i][j];
    }
    sys.equations += counts[i];
  }
  for (int j = 0; j < 4; ++j)
  {
    sys.magnitude[j] = std::sqrt(m2[j]);
  }
  return sys;
}
} // namespace residual
} // namespace gs
