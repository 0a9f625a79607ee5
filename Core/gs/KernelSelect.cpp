#include "Kernel.h"

namespace gs
{
namespace kernel
{

// One select() per compiled variant of Kernel.cpp (see Core/CMakeLists.txt).
namespace sse2
{
StepRowsFn select(bool threeD, bool track);
AdjointRowsFn selectAdjoint(bool threeD);
}
#ifdef GS_KERNEL_AVX2
namespace avx2
{
StepRowsFn select(bool threeD, bool track);
AdjointRowsFn selectAdjoint(bool threeD);
}
#endif
#ifdef GS_KERNEL_AVX512
namespace avx512
{
StepRowsFn select(bool threeD, bool track);
AdjointRowsFn selectAdjoint(bool threeD);
}
#endif

Stencil makeStencil(const Grid& g)
{
  Stencil s;
  s.cx = g.nx > 1 ? 1.0 / (g.hx * g.hx) : 0.0;
  s.cy = g.ny > 1 ? 1.0 / (g.hy * g.hy) : 0.0;
  s.cz = g.nz > 1 ? 1.0 / (g.hz * g.hz) : 0.0;
  s.cc = -2.0 * (s.cx + s.cy + s.cz);
  return s;
}

Coefficients makeCoefficients(const Grid& g, const Parameters& p, double dt, double margin)
{
  return { makeStencil(g), p.Du, p.Dv, p.F, p.F + p.k, dt, -margin, 1.0 + margin };
}

RowOffsets rowOffsets(const Grid& g, std::size_t row)
{
  const std::size_t nx = g.nx, ny = g.ny, nz = g.nz;
  const std::size_t y = row % ny, z = row / ny;
  const std::size_t ys = (y + ny - 1) % ny, yn = (y + 1) % ny;
  const std::size_t zb = (z + nz - 1) % nz, zt = (z + 1) % nz;
  return { nx * row, nx * (ys + ny * z), nx * (yn + ny * z), nx * (y + ny * zb),
    nx * (y + ny * zt) };
}

bool supported(Isa isa)
{
  switch (isa)
  {
    case Isa::Sse2:
      return true;
    case Isa::Avx2:
#ifdef GS_KERNEL_AVX2
      return __builtin_cpu_supports("avx2");
#else
      return false;
#endif
    case Isa::Avx512:
#ifdef GS_KERNEL_AVX512
      return __builtin_cpu_supports("avx512f");
#else
      return false;
#endif
  }
  return false;
}

Isa best()
{
  static const Isa isa = supported(Isa::Avx512) ? Isa::Avx512
    : supported(Isa::Avx2)                      ? Isa::Avx2
                                                : Isa::Sse2;
  return isa;
}

const char* toString(Isa isa)
{
  switch (isa)
  {
    case Isa::Sse2:
      return "SSE2";
    case Isa::Avx2:
      return "AVX2";
    case Isa::Avx512:
      return "AVX-512";
  }
  return "unknown";
}

StepRowsFn select(bool threeD, bool track, Isa isa)
{
  switch (supported(isa) ? isa : Isa::Sse2)
  {
#ifdef GS_KERNEL_AVX2
    case Isa::Avx2:
      return avx2::select(threeD, track);
#endif
#ifdef GS_KERNEL_AVX512
    case Isa::Avx512:
      return avx512::select(threeD, track);
#endif
    default:
      return sse2::select(threeD, track);
  }
}

AdjointRowsFn selectAdjoint(bool threeD, Isa isa)
{
  switch (supported(isa) ? isa : Isa::Sse2)
  {
#ifdef GS_KERNEL_AVX2
    case Isa::Avx2:
      return avx2::selectAdjoint(threeD);
#endif
#ifdef GS_KERNEL_AVX512
    case Isa::Avx512:
      return avx512::selectAdjoint(threeD);
#endif
    default:
      return sse2::selectAdjoint(threeD);
  }
}

} // namespace kernel
} // namespace gs
