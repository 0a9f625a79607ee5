#include "Spectral.h"

#include <cmath>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unsupported/Eigen/FFT>

namespace gs
{

namespace
{

/// Transforms every line along each axis with more than one cell.
void transform(const Shape& s, ComplexField& data, bool inverse)
{
  const int n[3] = { s.nx, s.ny, s.nz };
  const std::size_t stride[3] = { 1, std::size_t(s.nx), std::size_t(s.nx) * s.ny };
  for (int axis = 0; axis < 3; ++axis)
  {
    const int len = n[axis];
    if (len < 2)
    {
      continue;
    }
    const std::size_t lines = s.size() / len;
    auto work = [&](const tbb::blocked_range<std::size_t>& r) {
      Eigen::FFT<double> fft; // plans are cached per object: one per task, no sharing
      std::vector<std::complex<double>> in(len), out(len);
      for (std::size_t line = r.begin(); line < r.end(); ++line)
      {
        // Line number -> first cell: split it into the coordinates of the other two axes.
        const std::size_t lo = line % stride[axis], hi = line / stride[axis];
        const std::size_t first = lo + hi * stride[axis] * len;
        for (int i = 0; i < len; ++i)
        {
          in[i] = data[first + i * stride[axis]];
        }
        if (inverse)
        {
          fft.inv(out.data(), in.data(), len);
        }
        else
        {
          fft.fwd(out.data(), in.data(), len);
        }
        for (int i = 0; i < len; ++i)
        {
          data[first + i * stride[axis]] = out[i];
        }
      }
    };
    // Small boxes (tiles of a windowed loss) are transformed serially: same code, same bits.
    const tbb::blocked_range<std::size_t> all(0, lines, 16);
    if (s.size() < 4096)
    {
      work(all);
    }
    else
    {
      tbb::parallel_for(all, work);
    }
  }
}

} // namespace

void fftForward(const Shape& shape, ComplexField& data)
{
  transform(shape, data, false);
}

void fftInverse(const Shape& shape, ComplexField& data)
{
  transform(shape, data, true);
}

namespace
{

/// k^2 of mode index m on an axis of n cells of spacing h.
double wavenumberSquared(int m, int n, double h)
{
  const int signedM = m <= n / 2 ? m : m - n; // m = n/2 of an even axis: the Nyquist mode
  const double k = 2.0 * M_PI * signedM / (n * h);
  return n > 1 ? k * k : 0.0;
}

} // namespace

void spectralLaplacian(const Grid& g, const double* f, double* out)
{
  const Shape shape{ g.nx, g.ny, g.nz };
  ComplexField data(f, f + g.cells());
  fftForward(shape, data);
  for (int z = 0; z < g.nz; ++z)
  {
    const double kz = wavenumberSquared(z, g.nz, g.hz);
    for (int y = 0; y < g.ny; ++y)
    {
      const double kyz = wavenumberSquared(y, g.ny, g.hy) + kz;
      for (int x = 0; x < g.nx; ++x)
      {
        data[x + std::size_t(g.nx) * (y + std::size_t(g.ny) * z)] *=
          -(wavenumberSquared(x, g.nx, g.hx) + kyz);
      }
    }
  }
  fftInverse(shape, data);
  for (std::size_t i = 0; i < g.cells(); ++i)
  {
    out[i] = data[i].real();
  }
}

double spectralLaplacianBound(const Grid& g)
{
  double sum = 0.0;
  const int n[3] = { g.nx, g.ny, g.nz };
  const double h[3] = { g.hx, g.hy, g.hz };
  for (int a = 0; a < 3; ++a)
  {
    if (n[a] > 1)
    {
      sum += (M_PI / h[a]) * (M_PI / h[a]);
    }
  }
  return sum;
}

} // namespace gs
