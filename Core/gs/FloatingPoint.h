// Scoped floating-point mode for Core's hot loops.
#pragma once

#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#define GS_HAVE_MXCSR 1
#endif

namespace gs
{

/// Flushes denormal results and inputs to zero for the lifetime of the object. A pattern that
/// dies out decays towards v = 0 through denormal numbers, which x86 handles about a hundred
/// times slower than normal ones. Every worker sets the same mode, so results stay identical
/// for any thread count.
class DenormalsAreZero
{
public:
  DenormalsAreZero()
  {
#ifdef GS_HAVE_MXCSR
    Saved = _mm_getcsr();
    _mm_setcsr(Saved | 0x8040); // FTZ (bit 15) and DAZ (bit 6)
#endif
  }
  ~DenormalsAreZero()
  {
#ifdef GS_HAVE_MXCSR
    _mm_setcsr(Saved);
#endif
  }
  DenormalsAreZero(const DenormalsAreZero&) = delete;
  DenormalsAreZero& operator=(const DenormalsAreZero&) = delete;

private:
  unsigned int Saved = 0;
};

} // namespace gs
