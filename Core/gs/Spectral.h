// Multi-dimensional discrete Fourier transforms on a Grid's shape (Eigen's FFT module, one
// axis at a time). Lines are independent, so the TBB-parallel result is the same bits for any
// thread count.
#pragma once

#include "Grid.h"

#include <complex>
#include <vector>

namespace gs
{

using ComplexField = std::vector<std::complex<double>>;

/// Shape of a box of cells, in the Grid's point order (x fastest); spacing is not used.
struct Shape
{
  int nx = 1, ny = 1, nz = 1;
  std::size_t size() const { return std::size_t(nx) * ny * nz; }
};

/// Unnormalised forward transform, in place: X_k = sum_n x_n exp(-2 pi i k.n / N).
void fftForward(const Shape& shape, ComplexField& data);
/// Inverse transform with the 1/N factor, in place.
void fftInverse(const Shape& shape, ComplexField& data);

/// The Laplacian of the periodic band-limited interpolant of `f` on `grid` (its spacings
/// count): -|k|^2 on every Fourier mode, k = 2 pi m / (n h) with m in [-n/2, n/2) (the
/// Nyquist mode of an even axis takes -(pi/h)^2). Exact for fields the grid resolves, so
/// it is the continuum's Laplacian, not the solver's stencil.
void spectralLaplacian(const Grid& grid, const double* f, double* out);
/// The largest |k|^2 of spectralLaplacian on `grid`: sum over axes of (pi / h)^2.
double spectralLaplacianBound(const Grid& grid);

} // namespace gs
