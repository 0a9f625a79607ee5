#include "Spectral.h"

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

} // namespace gs
