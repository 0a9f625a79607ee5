#include "Kernel.h"

#include <cfloat>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>

// GS_KERNEL_ISA names this translation unit's variant: sse2, avx2 or avx512.
#ifndef GS_KERNEL_ISA
#define GS_KERNEL_ISA sse2
#endif

namespace gs
{
namespace kernel
{
namespace GS_KERNEL_ISA
{

/// SIMD lanes of the interior loop (GCC/Clang vector extensions: the compiler maps them to
/// whatever vector instructions the target has). The comparisons the blow-up and steady-state
/// checks need stop the auto-vectoriser, so the loop is vectorised by hand.
#if defined(__AVX512F__)
constexpr int Lanes = 8;
#elif defined(__AVX__)
constexpr int Lanes = 4;
#else
constexpr int Lanes = 2;
#endif
typedef double Vec __attribute__((vector_size(Lanes * sizeof(double))));
typedef long long Mask __attribute__((vector_size(Lanes * sizeof(double))));

struct LoadVec
{
  Vec operator()(const double* p) const
  {
    Vec r;
    std::memcpy(&r, p, sizeof r);
    return r;
  }
};

inline void store(double* p, const Vec& a)
{
  std::memcpy(p, &a, sizeof a);
}

struct AbsVec
{
  Vec operator()(const Vec& a) const { return (Vec)((Mask)a & 0x7fffffffffffffffLL); }
};

struct LoadScalar
{
  double operator()(const double* p) const { return *p; }
};

struct AbsScalar
{
  double operator()(double a) const { return std::fabs(a); }
};

/// The offsets of consecutive rows (y, z), as rowOffsets() gives them, without its divisions:
/// at 128 cells a row, six integer divisions cost about a quarter of the row's arithmetic.
class RowWalker
{
public:
  RowWalker(const Grid& g, std::size_t row)
    : Nx(g.nx)
    , Ny(g.ny)
    , Nz(g.nz)
    , Y(row % Ny)
    , Z(row / Ny)
  {}
  RowOffsets offsets() const
  {
    const std::size_t ys = Y > 0 ? Y - 1 : Ny - 1, yn = Y + 1 < Ny ? Y + 1 : 0;
    const std::size_t zb = Z > 0 ? Z - 1 : Nz - 1, zt = Z + 1 < Nz ? Z + 1 : 0;
    return { Nx * (Y + Ny * Z), Nx * (ys + Ny * Z), Nx * (yn + Ny * Z), Nx * (Y + Ny * zb),
      Nx * (Y + Ny * zt) };
  }
  void next()
  {
    if (++Y == Ny)
    {
      Y = 0;
      ++Z;
    }
  }

private:
  std::size_t Nx, Ny, Nz, Y, Z;
};

/// Lanes Offset .. Offset + Lanes - 1 of the vectors a and b side by side. The row's
/// neighbours along x of the lanes of `cur` are lanesFrom<Lanes - 1>(prev, cur) (west) and
/// lanesFrom<1>(cur, next) (east): moving lanes between registers instead of loading the cells
/// again at x - 1 and x + 1 (loads that never align, each touching two cache lines) makes the
/// batch 6-9% faster; the values, and so the bits, are the same.
#if defined(__clang__)
template <int Offset, int... L>
inline Vec lanesFrom(const Vec& a, const Vec& b, std::integer_sequence<int, L...>)
{
  return __builtin_shufflevector(a, b, (Offset + L)...);
}
template <int Offset>
inline Vec lanesFrom(const Vec& a, const Vec& b)
{
  return lanesFrom<Offset>(a, b, std::make_integer_sequence<int, Lanes>());
}
#else
template <int Offset>
inline Vec lanesFrom(const Vec& a, const Vec& b)
{
  Mask m;
  for (int l = 0; l < Lanes; ++l)
  {
    m[l] = Offset + l;
  }
  return __builtin_shuffle(a, b, m);
}
#endif

inline Vec westOf(const Vec& prev, const Vec& cur)
{
  return lanesFrom<Lanes - 1>(prev, cur);
}

inline Vec eastOf(const Vec& cur, const Vec& next)
{
  return lanesFrom<1>(cur, next);
}

/// One Euler step for the cells of one row. `T` is double (scalar ends) or Vec (interior);
/// the expression is written once, so both round identically. uu, vv are the cells at x, and
/// uw, ue, vw, ve their neighbours along x.
template <bool ThreeD, bool Track, typename T, typename M, typename Load, typename Abs>
inline void cellUpdateFrom(const Coefficients& c, double tol, const double* const* in, double* uo,
  double* vo, int x, const T& uu, const T& vv, const T& uw, const T& ue, const T& vw, const T& ve,
  Load ld, Abs abs, M& bad, M& moving)
{
  // in: uc, us, un, ub, ut, vc, vs, vn, vb, vt
  T lu = c.s.cx * (uw + ue) + c.s.cy * (ld(in[1] + x) + ld(in[2] + x));
  T lv = c.s.cx * (vw + ve) + c.s.cy * (ld(in[6] + x) + ld(in[7] + x));
  if (ThreeD)
  {
    lu += c.s.cz * (ld(in[3] + x) + ld(in[4] + x));
    lv += c.s.cz * (ld(in[8] + x) + ld(in[9] + x));
  }
  lu += c.s.cc * uu;
  lv += c.s.cc * vv;
  const T uvv = uu * vv * vv;
  const T du = c.dt * (c.Du * lu - uvv + c.F * (1.0 - uu));
  const T dv = c.dt * (c.Dv * lv + uvv - c.Fk * vv);
  const T u1 = uu + du;
  const T v1 = vv + dv;
  if constexpr (std::is_same<T, double>::value)
  {
    uo[x] = u1;
    vo[x] = v1;
  }
  else
  {
    store(uo + x, u1);
    store(vo + x, v1);
  }
  // Non-finite values fail every comparison, so they count as bad.
  bad |= !((v1 >= c.vMin) & (v1 <= c.vMax) & (abs(u1) <= DBL_MAX));
  if (Track)
  {
    moving |= (abs(u1 - uu) >= tol) | (abs(v1 - vv) >= tol);
  }
}

/// The same with every cell loaded: neighbours along x at xw and xe.
template <bool ThreeD, bool Track, typename T, typename M, typename Load, typename Abs>
inline void cellUpdate(const Coefficients& c, double tol, const double* const* in, double* uo,
  double* vo, int x, int xw, int xe, Load ld, Abs abs, M& bad, M& moving)
{
  cellUpdateFrom<ThreeD, Track, T, M>(c, tol, in, uo, vo, x, ld(in[0] + x), ld(in[5] + x),
    ld(in[0] + xw), ld(in[0] + xe), ld(in[5] + xw), ld(in[5] + xe), ld, abs, bad, moving);
}

template <bool ThreeD, bool Track>
inline StepFlags stepRow(const Grid& g, const Coefficients& c, double tol, const double* u,
  const double* v, double* un, double* vn, const RowOffsets& o)
{
  const double* in[10] = { u + o.c, u + o.s, u + o.n, u + o.b, u + o.t, v + o.c, v + o.s, v + o.n,
    v + o.b, v + o.t };
  double* uo = un + o.c;
  double* vo = vn + o.c;
  const int nx = g.nx;

  int bad = 0, moving = 0;
  auto scalar = [&](int x, int xw, int xe) {
    bool b = false, m = false;
    cellUpdate<ThreeD, Track, double, bool>(
      c, tol, in, uo, vo, x, xw, xe, LoadScalar(), AbsScalar(), b, m);
    bad |= b;
    moving |= m;
  };

  scalar(0, nx - 1, nx > 1 ? 1 : 0);
  int x = 1;
  if (nx - 1 > Lanes)
  {
    Mask vbad = {}, vmoving = {};
    auto vector = [&](int at) {
      cellUpdate<ThreeD, Track, Vec, Mask>(
        c, tol, in, uo, vo, at, at - 1, at + 1, LoadVec(), AbsVec(), vbad, vmoving);
    };
    // The first vector loads its neighbours; the next ones take them from the vectors before
    // and after, while a whole vector follows within the row.
    if (x + Lanes <= nx - 1)
    {
      vector(x);
      const LoadVec ld;
      Vec pu = ld(in[0] + x), pv = ld(in[5] + x);
      x += Lanes;
      if (x + 2 * Lanes <= nx)
      {
        Vec cu = ld(in[0] + x), cv = ld(in[5] + x);
        for (; x + 2 * Lanes <= nx; x += Lanes)
        {
          const Vec nu = ld(in[0] + x + Lanes), nv = ld(in[5] + x + Lanes);
          cellUpdateFrom<ThreeD, Track, Vec, Mask>(c, tol, in, uo, vo, x, cu, cv, westOf(pu, cu),
            eastOf(cu, nu), westOf(pv, cv), eastOf(cv, nv), ld, AbsVec(), vbad, vmoving);
          pu = cu;
          pv = cv;
          cu = nu;
          cv = nv;
        }
      }
    }
    for (; x + Lanes <= nx - 1; x += Lanes)
    {
      vector(x);
    }
    // The cells left over take one more vector that overlaps the last: the step is out of
    // place, so a cell computed twice gets the same bits and the same flags.
    if (x < nx - 1)
    {
      vector(nx - 1 - Lanes);
      x = nx - 1;
    }
    for (int l = 0; l < Lanes; ++l)
    {
      bad |= vbad[l] != 0;
      moving |= vmoving[l] != 0;
    }
  }
  for (; x < nx - 1; ++x)
  {
    scalar(x, x - 1, x + 1);
  }
  if (nx > 1)
  {
    scalar(nx - 1, nx - 2, 0);
  }
  return { bad, moving };
}

template <bool ThreeD, bool Track>
StepFlags stepRows(const Grid& g, const Coefficients& coefficients, double tol, const double* u,
  const double* v, double* un, double* vn, std::size_t r0, std::size_t r1)
{
  // A local copy: no store to the fields can change it, so the coefficients stay in registers
  // instead of being loaded again for every vector of cells.
  const Coefficients c = coefficients;
  StepFlags f = { 0, 0 };
  RowWalker rows(g, r0);
  for (std::size_t r = r0; r < r1; ++r, rows.next())
  {
    // Once one cell has moved the step is known to be moving: the rest of the rows skip the
    // comparisons. The values do not depend on tracking, and the flags are the same.
    const StepFlags rf = Track && !f.moving
      ? stepRow<ThreeD, true>(g, c, tol, u, v, un, vn, rows.offsets())
      : stepRow<ThreeD, false>(g, c, tol, u, v, un, vn, rows.offsets());
    f.bad |= rf.bad;
    f.moving |= rf.moving;
  }
  return f;
}

StepRowsFn select(bool threeD, bool track)
{
  if (threeD)
  {
    return track ? &stepRows<true, true> : &stepRows<true, false>;
  }
  return track ? &stepRows<false, true> : &stepRows<false, false>;
}


/// Running sums of one adjoint step's parameter terms: u.La, v.Lb, a(1 - u) - b v, -b v.
template <typename T>
struct AdjointSums
{
  T du, dv, f, k;
};

/// One adjoint step for one cell (see Kernel.h); written once for double and Vec. aa, bb are
/// the adjoint's cells at x, and aw, ae, bw, be their neighbours along x.
template <bool ThreeD, typename T, typename Load>
inline void cellAdjointFrom(const Coefficients& c, const double* const* in, double* ao, double* bo,
  int x, const T& aa, const T& bb, const T& aw, const T& ae, const T& bw, const T& be, Load ld,
  AdjointSums<T>& sum)
{
  // in: u, v at the row; a at row, s, n, b, t; b at row, s, n, b, t
  const T uu = ld(in[0] + x), vv = ld(in[1] + x);
  T la = c.s.cx * (aw + ae) + c.s.cy * (ld(in[3] + x) + ld(in[4] + x));
  T lb = c.s.cx * (bw + be) + c.s.cy * (ld(in[8] + x) + ld(in[9] + x));
  if (ThreeD)
  {
    la += c.s.cz * (ld(in[5] + x) + ld(in[6] + x));
    lb += c.s.cz * (ld(in[10] + x) + ld(in[11] + x));
  }
  la += c.s.cc * aa;
  lb += c.s.cc * bb;
  const T v2 = vv * vv, uv2 = 2.0 * uu * vv;
  const T a1 = aa + c.dt * (c.Du * la - (v2 + c.F) * aa + v2 * bb);
  const T b1 = bb + c.dt * (c.Dv * lb - uv2 * aa + (uv2 - c.Fk) * bb);
  if constexpr (std::is_same<T, double>::value)
  {
    ao[x] = a1;
    bo[x] = b1;
  }
  else
  {
    store(ao + x, a1);
    store(bo + x, b1);
  }
  // L is symmetric, so a.Lu summed over the grid equals u.La: no Laplacian of u or v needed.
  sum.du += uu * la;
  sum.dv += vv * lb;
  sum.f += aa * (1.0 - uu) - bb * vv;
  sum.k -= bb * vv;
}

/// The same with every cell loaded: neighbours along x at xw and xe.
template <bool ThreeD, typename T, typename Load>
inline void cellAdjoint(const Coefficients& c, const double* const* in, double* ao, double* bo,
  int x, int xw, int xe, Load ld, AdjointSums<T>& sum)
{
  cellAdjointFrom<ThreeD, T>(c, in, ao, bo, x, ld(in[2] + x), ld(in[7] + x), ld(in[2] + xw),
    ld(in[2] + xe), ld(in[7] + xw), ld(in[7] + xe), ld, sum);
}

/// Cells per block of the vectorised loop: 8 logical lanes whatever the instruction set, so
/// the sums are added in the same order, and give the same bits, on every machine.
constexpr int AdjointBlock = 8;

template <bool ThreeD>
void adjointRows(const Grid& g, const Coefficients& coefficients, const double* u, const double* v,
  const double* a, const double* b, double* an, double* bn, double* rowSums, std::size_t r0,
  std::size_t r1)
{
  const Coefficients c = coefficients; // in registers, as in stepRows

  const int nx = g.nx;
  RowWalker rows(g, r0);
  for (std::size_t row = r0; row < r1; ++row, rows.next())
  {
    const RowOffsets o = rows.offsets();
    const double* in[12] = { u + o.c, v + o.c, a + o.c, a + o.s, a + o.n, a + o.b, a + o.t, b + o.c,
      b + o.s, b + o.n, b + o.b, b + o.t };
    double* ao = an + o.c;
    double* bo = bn + o.c;
    AdjointSums<double> ends = { 0.0, 0.0, 0.0, 0.0 };
    AdjointSums<double> blocks = { 0.0, 0.0, 0.0, 0.0 };
    cellAdjoint<ThreeD, double>(c, in, ao, bo, 0, nx - 1, nx > 1 ? 1 : 0, LoadScalar(), ends);
    int x = 1;
    if (nx - 1 >= AdjointBlock)
    {
      constexpr int perBlock = AdjointBlock / Lanes;
      AdjointSums<Vec> acc[perBlock];
      for (auto& s : acc)
      {
        s = { Vec{}, Vec{}, Vec{}, Vec{} };
      }
      // As in stepRow: after the first vector, the neighbours along x come from the vectors
      // before and after, while a whole vector follows the block within the row.
      const LoadVec ld;
      if (x + AdjointBlock + Lanes <= nx)
      {
        // The first vector loads its neighbours: the one before it would leave the row.
        cellAdjoint<ThreeD, Vec>(c, in, ao, bo, x, x - 1, x + 1, ld, acc[0]);
        Vec pa = ld(in[2] + x), pb = ld(in[7] + x);
        Vec ca = ld(in[2] + x + Lanes), cb = ld(in[7] + x + Lanes);
        for (int j = 1;; ++j)
        {
          if (j == perBlock)
          {
            j = 0;
            x += AdjointBlock;
            if (!(x + AdjointBlock + Lanes <= nx))
            {
              break;
            }
          }
          const int xj = x + j * Lanes;
          const Vec na = ld(in[2] + xj + Lanes), nb = ld(in[7] + xj + Lanes);
          cellAdjointFrom<ThreeD, Vec>(c, in, ao, bo, xj, ca, cb, westOf(pa, ca), eastOf(ca, na),
            westOf(pb, cb), eastOf(cb, nb), ld, acc[j]);
          pa = ca;
          pb = cb;
          ca = na;
          cb = nb;
        }
      }
      for (; x + AdjointBlock <= nx - 1; x += AdjointBlock)
      {
        for (int j = 0; j < perBlock; ++j)
        {
          const int xj = x + j * Lanes;
          cellAdjoint<ThreeD, Vec>(c, in, ao, bo, xj, xj - 1, xj + 1, ld, acc[j]);
        }
      }
      for (int j = 0; j < perBlock; ++j)
      {
        for (int l = 0; l < Lanes; ++l)
        {
          blocks.du += acc[j].du[l];
          blocks.dv += acc[j].dv[l];
          blocks.f += acc[j].f[l];
          blocks.k += acc[j].k[l];
        }
      }
    }
    for (; x < nx - 1; ++x)
    {
      cellAdjoint<ThreeD, double>(c, in, ao, bo, x, x - 1, x + 1, LoadScalar(), ends);
    }
    if (nx > 1)
    {
      cellAdjoint<ThreeD, double>(c, in, ao, bo, nx - 1, nx - 2, 0, LoadScalar(), ends);
    }
    double* r = rowSums + 4 * row;
    r[0] = blocks.du + ends.du;
    r[1] = blocks.dv + ends.dv;
    r[2] = blocks.f + ends.f;
    r[3] = blocks.k + ends.k;
  }
}

AdjointRowsFn selectAdjoint(bool threeD)
{
  return threeD ? &adjointRows<true> : &adjointRows<false>;
}

} // namespace GS_KERNEL_ISA
} // namespace kernel
} // namespace gs
