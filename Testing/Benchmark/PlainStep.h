// A plain reference for the solver benchmark: the explicit Euler step written the simple way,
// with no intrinsics and no vector types, for the compiler's own vectoriser (-O3
// -march=native). PlainStep.cpp is compiled twice: `contracted` with the compiler's default
// fused multiply-adds, `exact` without (-ffp-contract=off, as Core rounds).
#pragma once

#include <gs/Grid.h>

#include <cstddef>

namespace plain
{

/// One periodic 5-point (7-point in 3D) explicit Euler step of rows [rowBegin, rowEnd).
using StepFn = void (*)(const gs::Grid& g, const gs::Parameters& p, double dt, const double* u,
  const double* v, double* un, double* vn, std::size_t rowBegin, std::size_t rowEnd);

namespace contracted
{
void step(const gs::Grid& g, const gs::Parameters& p, double dt, const double* u, const double* v,
  double* un, double* vn, std::size_t rowBegin, std::size_t rowEnd);
}
namespace exact
{
void step(const gs::Grid& g, const gs::Parameters& p, double dt, const double* u, const double* v,
  double* un, double* vn, std::size_t rowBegin, std::size_t rowEnd);
}

} // namespace plain
