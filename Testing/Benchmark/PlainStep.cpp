#include "PlainStep.h"

// PLAIN_VARIANT names this translation unit's namespace: contracted or exact.
#ifndef PLAIN_VARIANT
#define PLAIN_VARIANT exact
#endif

namespace plain
{
namespace PLAIN_VARIANT
{

namespace
{

/// The step's coefficients: stencil weights, parameters (Fk = F + k) and time step.
struct Coefficients
{
  double cx, cy, cz, cc, Du, Dv, F, Fk, dt;
};

/// One cell of one row, its x neighbours given.
template <bool ThreeD>
inline void cell(int x, int xw, int xe, const Coefficients& k, const double* uc, const double* us,
  const double* un, const double* ub, const double* ut, const double* vc, const double* vs,
  const double* vn, const double* vb, const double* vt, double* uo, double* vo)
{
  const double uu = uc[x], vv = vc[x];
  double lu = k.cx * (uc[xw] + uc[xe]) + k.cy * (us[x] + un[x]);
  double lv = k.cx * (vc[xw] + vc[xe]) + k.cy * (vs[x] + vn[x]);
  if (ThreeD)
  {
    lu += k.cz * (ub[x] + ut[x]);
    lv += k.cz * (vb[x] + vt[x]);
  }
  lu += k.cc * uu;
  lv += k.cc * vv;
  const double uvv = uu * vv * vv;
  uo[x] = uu + k.dt * (k.Du * lu - uvv + k.F * (1.0 - uu));
  vo[x] = vv + k.dt * (k.Dv * lv + uvv - k.Fk * vv);
}

/// One row: centre, south, north, below and above rows of u and v. restrict tells the
/// vectoriser that the outputs alias no input; GCC honours it only while the function is not
/// inlined into the loop over rows.
template <bool ThreeD>
__attribute__((noinline)) void row(int nx, const Coefficients k, const double* __restrict uc,
  const double* __restrict us, const double* __restrict un, const double* __restrict ub,
  const double* __restrict ut, const double* __restrict vc, const double* __restrict vs,
  const double* __restrict vn, const double* __restrict vb, const double* __restrict vt,
  double* __restrict uo, double* __restrict vo)
{
  cell<ThreeD>(0, nx - 1, 1, k, uc, us, un, ub, ut, vc, vs, vn, vb, vt, uo, vo);
  for (int x = 1; x < nx - 1; ++x)
  {
    cell<ThreeD>(x, x - 1, x + 1, k, uc, us, un, ub, ut, vc, vs, vn, vb, vt, uo, vo);
  }
  cell<ThreeD>(nx - 1, nx - 2, 0, k, uc, us, un, ub, ut, vc, vs, vn, vb, vt, uo, vo);
}

} // namespace

void step(const gs::Grid& g, const gs::Parameters& p, double dt, const double* u, const double* v,
  double* un, double* vn, std::size_t rowBegin, std::size_t rowEnd)
{
  const std::size_t nx = g.nx, ny = g.ny, nz = g.nz;
  const double cx = 1.0 / (g.hx * g.hx), cy = 1.0 / (g.hy * g.hy);
  const double cz = nz > 1 ? 1.0 / (g.hz * g.hz) : 0.0;
  const Coefficients k = { cx, cy, cz, -2.0 * (cx + cy + cz), p.Du, p.Dv, p.F, p.F + p.k, dt };
  for (std::size_t r = rowBegin; r < rowEnd; ++r)
  {
    const std::size_t y = r % ny, z = r / ny;
    const std::size_t c = nx * r, s = nx * ((y + ny - 1) % ny + ny * z),
                      n = nx * ((y + 1) % ny + ny * z), b = nx * (y + ny * ((z + nz - 1) % nz)),
                      t = nx * (y + ny * ((z + 1) % nz));
    if (nz > 1)
    {
      row<true>(static_cast<int>(nx), k, u + c, u + s, u + n, u + b, u + t, v + c, v + s, v + n,
        v + b, v + t, un + c, vn + c);
    }
    else
    {
      row<false>(static_cast<int>(nx), k, u + c, u + s, u + n, u + b, u + t, v + c, v + s, v + n,
        v + b, v + t, un + c, vn + c);
    }
  }
}

} // namespace PLAIN_VARIANT
} // namespace plain
