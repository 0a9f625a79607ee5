// The explicit Euler step kernel, compiled once per x86 instruction set (SSE2, AVX2, AVX-512)
// and chosen at run time. Without contraction into fused multiply-adds every variant rounds
// identically, so results do not depend on the machine either.
#pragma once

#include "Grid.h"

#include <cstddef>

namespace gs
{
namespace kernel
{

// The types below are plain aggregates with no inline code: Kernel.cpp is compiled with wider
// instruction sets, and an inline function emitted there could be picked by the linker for
// every caller, including on CPUs without those instructions.

/// Stencil weights: lap(f) = cx (fW + fE) + cy (fS + fN) + cz (fB + fT) + cc f.
/// Axes with one cell get weight 0.
struct Stencil
{
  double cx, cy, cz, cc;
};
Stencil makeStencil(const Grid& g);

struct Coefficients
{
  Stencil s;
  double Du, Dv, F, Fk, dt; // Fk = F + k
  double vMin, vMax;        // a step that leaves v in [vMin, vMax] is a blow-up
};
/// v must stay in [-margin, 1 + margin] (RunSettings::blowUpMargin).
Coefficients makeCoefficients(const Grid& g, const Parameters& p, double dt, double margin = 0.0);

/// What one step learns about the fields; combined with | only, so any split of the grid
/// gives the same answer.
struct StepFlags
{
  int bad;    // a value is non-finite or v left [vMin, vMax]
  int moving; // some change is at or above the tolerance
};

/// Offsets of a grid row (y, z) and of its periodic neighbour rows south, north, below, above.
struct RowOffsets
{
  std::size_t c, s, n, b, t;
};
RowOffsets rowOffsets(const Grid& g, std::size_t row);


using StepRowsFn = StepFlags (*)(const Grid&, const Coefficients&, double tol, const double* u,
  const double* v, double* un, double* vn, std::size_t rowBegin, std::size_t rowEnd);

/// One step of the discrete adjoint of the explicit Euler step, for rows [rowBegin, rowEnd).
/// With (a, b) the adjoint of (u, v) one step later:
///   a' = a + dt (Du L a - (v^2 + F) a + v^2 b)
///   b' = b + dt (Dv L b - 2 u v a + (2 u v - F - k) b)
/// and each row's sums of u.La, v.Lb, a (1 - u) - b v and -b v go to rowSums[4 row ...]
/// (times dt, summed over the grid: lambda^T dPhi/d(Du, Dv, F, k)).
using AdjointRowsFn = void (*)(const Grid&, const Coefficients&, const double* u, const double* v,
  const double* a, const double* b, double* an, double* bn, double* rowSums, std::size_t rowBegin,
  std::size_t rowEnd);

enum class Isa
{
  Sse2,
  Avx2,
  Avx512
};

/// True when this build has the variant and this CPU can run it.
bool supported(Isa isa);
/// The widest supported instruction set.
Isa best();
const char* toString(Isa isa);

/// The step for rows [rowBegin, rowEnd) of a 2D or 3D grid, tracking per-step changes against
/// `tol` when `track`, compiled for `isa` (which must be supported).
StepRowsFn select(bool threeD, bool track, Isa isa = best());
AdjointRowsFn selectAdjoint(bool threeD, Isa isa = best());

} // namespace kernel
} // namespace gs
