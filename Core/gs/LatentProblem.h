// The steady fit with u unobserved, its parts (internal to Core): the latent-u problem, the v
// equation's rows, the inner (linear) parameters' basis and the variable projection's
// evaluator, shared by the fit of v (ResidualLatent.cpp) and of an intensity a v + b
// (ResidualIntensity.cpp).
#pragma once

#include "ResidualSystem.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace gs
{
namespace residual
{
namespace latentfit
{
using Field = std::vector<double>;

/// Relative residual of the linear solves: loose while searching, near round-off after.
constexpr double SearchTolerance = 1e-6;
constexpr double FinalTolerance = 1e-13;
constexpr int MaxSolverIterations = 5000;
/// The coarse search: F over [1e-3, 0.3], the length sqrt(Du / F) over [0.25, 40] cells.
constexpr int SearchPoints = 9;
constexpr int MaxDescentSteps = 200;

inline double dot(const Field& a, const Field& b)
{
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
  {
    s += a[i] * b[i];
  }
  return s;
}

/// One frame's v and the terms built from it.
struct Frame
{
  const double* v;
  Field w;  // v^2 less the noise variance, at least 0 (A stays positive definite)
  Field lv; // lap(v)
};

/// The latent-u problem of every frame at one (Du, F).
class LatentProblem
{
public:
  LatentProblem(const Observations& data, const ResidualSettings& S)
    : G(data.grid)
    , Settings(S)
    , N(data.grid.cells())
  {
    for (const State& s : data.frames)
    {
      Frame f{ s.v.data(), Field(N), Field(N) };
      for (std::size_t i = 0; i < N; ++i)
      {
        f.w[i] = std::max(0.0, s.v[i] * s.v[i] - S.noiseVariance);
      }
      dataLaplacian(G, f.v, f.lv.data(), S);
      Frames.push_back(std::move(f));
    }
    // The diagonal of -lap is the same at every cell (periodic, translation invariant).
    Field e(N, 0.0), le(N);
    e[0] = 1.0;
    dataLaplacian(G, e.data(), le.data(), S);
    LapDiagonal = -le[0];
    Tmp.resize(N);
    R.resize(N);
    Z.resize(N);
    P.resize(N);
    Q.resize(N);
  }

  std::size_t cells() const { return N; }
  const std::vector<Frame>& frames() const { return Frames; }

  void laplacian(const Field& x, Field& y) const { dataLaplacian(G, x.data(), y.data(), Settings); }

  /// Solves A x = b for frame f at (Du, F) by Jacobi-preconditioned conjugate gradients from
  /// the given x, to |b - A x| <= tol |b|.
  void solve(std::size_t f, double Du, double F, const Field& b, Field& x, double tol)
  {
    const Field& w = Frames[f].w;
    auto apply = [&](const Field& in, Field& out) {
      laplacian(in, Tmp);
      for (std::size_t i = 0; i < N; ++i)
      {
        out[i] = (w[i] + F) * in[i] - Du * Tmp[i];
      }
    };
    const double bb = dot(b, b);
    if (bb == 0.0)
    {
      std::fill(x.begin(), x.end(), 0.0);
      return;
    }
    apply(x, Q);
    Diagonal.resize(N);
    double rz = 0.0;
    for (std::size_t i = 0; i < N; ++i)
    {
      Diagonal[i] = w[i] + F + Du * LapDiagonal;
      R[i] = b[i] - Q[i];
      Z[i] = R[i] / Diagonal[i];
      rz += R[i] * Z[i];
    }
    P = Z;
    double rr = dot(R, R);
    // The updates, the preconditioner and both dot products in one pass over the grid; each
    // sum in cell order, as dot() takes it.
    for (int it = 0; it < MaxSolverIterations && rr > tol * tol * bb; ++it)
    {
      apply(P, Q);
      const double alpha = rz / dot(P, Q);
      double rzNew = 0.0;
      rr = 0.0;
      for (std::size_t i = 0; i < N; ++i)
      {
        x[i] += alpha * P[i];
        R[i] -= alpha * Q[i];
        Z[i] = R[i] / Diagonal[i];
        rzNew += R[i] * Z[i];
        rr += R[i] * R[i];
      }
      const double beta = rzNew / rz;
      rz = rzNew;
      for (std::size_t i = 0; i < N; ++i)
      {
        P[i] = Z[i] + beta * P[i];
      }
    }
  }

  /// The latent u of frame f: A u = F 1, started from the diagonal's solution unless `warm`.
  void latent(std::size_t f, double Du, double F, Field& u, bool warm, double tol)
  {
    const Field& w = Frames[f].w;
    if (!warm || u.size() != N)
    {
      u.resize(N);
      for (std::size_t i = 0; i < N; ++i)
      {
        u[i] = F / (w[i] + F);
      }
    }
    solve(f, Du, F, Field(N, F), u, tol);
  }

private:
  const Grid& G;
  const ResidualSettings& Settings;
  std::size_t N;
  std::vector<Frame> Frames;
  double LapDiagonal = 0.0;
  Field Tmp, R, Z, P, Q, Diagonal; // solver work space
};

/// How the v equation's residual, a field per frame stacked, becomes equations: every cell
/// (Steady) or its sum against each test function (WeakForm).
class Equations
{
public:
  Equations(const Observations& data, const ResidualSettings& S)
    : N(data.grid.cells())
    , Frames(data.frames.size())
  {
    if (S.method == ResidualMethod::WeakForm)
    {
      Phi = testFunctions(data, S);
    }
  }
  std::size_t size() const { return (Phi.empty() ? N : Phi.size()) * Frames; }
  Field apply(const Field& cells) const
  {
    if (Phi.empty())
    {
      return cells;
    }
    Field out(size());
    for (std::size_t f = 0; f < Frames; ++f)
    {
      for (std::size_t m = 0; m < Phi.size(); ++m)
      {
        double sum = 0.0;
        for (const auto& [cell, phi] : Phi[m])
        {
          sum += phi * cells[f * N + cell];
        }
        out[f * Phi.size() + m] = sum;
      }
    }
    return out;
  }

private:
  std::size_t N, Frames;
  TestFunctions Phi;
};

/// Orthonormal columns spanning the inner (linear) parameters' columns, stacked over frames;
/// a column that depends on the others (to the tolerance) is left out.
struct InnerBasis
{
  std::vector<int> params;  // 1 (Dv) and/or 3 (k): the inner parameters kept
  std::vector<Field> q;     // orthonormal, one per kept parameter
  Eigen::MatrixXd r;        // columns = q r (upper triangular)
  std::vector<int> dropped; // inner parameters whose columns depend on the others
};

inline Field innerColumn(const LatentProblem& lp, int param)
{
  const std::size_t n = lp.cells();
  Field c(n * lp.frames().size());
  for (std::size_t f = 0; f < lp.frames().size(); ++f)
  {
    const Frame& fr = lp.frames()[f];
    for (std::size_t i = 0; i < n; ++i)
    {
      c[f * n + i] = param == 1 ? fr.lv[i] : -fr.v[i];
    }
  }
  return c;
}

inline InnerBasis innerBasis(
  const LatentProblem& lp, const ResidualSettings& S, const Equations& eq)
{
  InnerBasis b;
  std::vector<Field> cols;
  for (int j : { 1, 3 })
  {
    if (S.fit[j])
    {
      cols.push_back(eq.apply(innerColumn(lp, j)));
      b.params.push_back(j);
    }
  }
  const Eigen::Index q = static_cast<Eigen::Index>(cols.size());
  b.r = Eigen::MatrixXd::Zero(q, q);
  std::vector<int> kept;
  for (Eigen::Index a = 0; a < q; ++a)
  {
    Field c = cols[a];
    const double norm0 = std::sqrt(dot(c, c));
    for (int pass = 0; pass < 2; ++pass) // twice is enough (Kahan's rule)
    {
      for (std::size_t m = 0; m < b.q.size(); ++m)
      {
        const double d = dot(b.q[m], c);
        b.r(static_cast<Eigen::Index>(m), a) += d;
        for (std::size_t i = 0; i < c.size(); ++i)
        {
          c[i] -= d * b.q[m][i];
        }
      }
    }
    const double norm = std::sqrt(dot(c, c));
    if (!(norm > S.identifiabilityTolerance * norm0) || norm0 == 0.0)
    {
      b.dropped.push_back(b.params[a]);
      continue;
    }
    for (double& x : c)
    {
      x /= norm;
    }
    b.r(static_cast<Eigen::Index>(b.q.size()), a) = norm;
    b.q.push_back(std::move(c));
    kept.push_back(b.params[a]);
  }
  // Keep the factor of the kept columns only, in their order.
  const Eigen::Index k = static_cast<Eigen::Index>(kept.size());
  Eigen::MatrixXd r(k, k);
  for (Eigen::Index a = 0, col = 0; a < q; ++a)
  {
    if (std::find(b.dropped.begin(), b.dropped.end(), b.params[a]) != b.dropped.end())
    {
      continue;
    }
    r.col(col++) = b.r.col(a).head(k);
  }
  b.r = r;
  b.params = kept;
  return b;
}

/// x -= Q Q' x: the part of x the inner parameters cannot explain.
inline void project(const InnerBasis& b, Field& x)
{
  for (const Field& q : b.q)
  {
    const double d = dot(q, x);
    for (std::size_t i = 0; i < x.size(); ++i)
    {
      x[i] -= d * q[i];
    }
  }
}

/// The outer variables: the fitted ones of (Du, F), in log coordinates.
struct Outer
{
  std::vector<int> params; // 0 (Du) and/or 2 (F)
};

/// The fit's state at one (Du, F): latent u per frame, the normalised projected residual, and
/// (on request) its Jacobian in the outer log coordinates.
class Evaluator
{
public:
  Evaluator(
    LatentProblem& lp, const ResidualSettings& S, const Equations& eq, const InnerBasis& basis)
    : Lp(lp)
    , S(S)
    , Eq(eq)
    , Basis(basis)
  {
    U.resize(lp.frames().size());
  }

  /// Returns rho = |(I - P) c|^2 / |u w|^2 at (Du, F); fills the residual.
  double evaluate(double Du, double F, bool warm, double tol)
  {
    const std::size_t n = Lp.cells(), nf = Lp.frames().size();
    C.assign(n * nf, 0.0);
    Gv.assign(n * nf, 0.0);
    for (std::size_t f = 0; f < nf; ++f)
    {
      Lp.latent(f, Du, F, U[f], warm, tol);
      const Frame& fr = Lp.frames()[f];
      for (std::size_t i = 0; i < n; ++i)
      {
        const double g = U[f][i] * fr.w[i];
        double c = g - F * fr.v[i];
        if (!S.fit[1])
        {
          c += S.fixed.Dv * fr.lv[i];
        }
        if (!S.fit[3])
        {
          c -= S.fixed.k * fr.v[i];
        }
        Gv[f * n + i] = g;
        C[f * n + i] = c;
      }
    }
    C = Eq.apply(C);
    Gv = Eq.apply(Gv);
    Raw = C;
    project(Basis, Raw);
    GNorm2 = dot(Gv, Gv);
    if (!Normalised)
    {
      return dot(Raw, Raw);
    }
    return GNorm2 > 0.0 ? dot(Raw, Raw) / GNorm2 : std::numeric_limits<double>::infinity();
  }

  /// The normalised residual Raw / |g| and its Jacobian in log(Du), log(F) (the fitted ones),
  /// at the last evaluate().
  void jacobian(double Du, double F, const Outer& outer, Field& res, std::vector<Field>& jac)
  {
    const std::size_t n = Lp.cells(), nf = Lp.frames().size();
    const double gn = Normalised ? std::sqrt(GNorm2) : 1.0;
    res.resize(Raw.size());
    for (std::size_t i = 0; i < res.size(); ++i)
    {
      res[i] = Raw[i] / gn;
    }
    jac.assign(outer.params.size(), Field(Raw.size()));
    Field rhs(n), x(n), lu(n);
    for (std::size_t a = 0; a < outer.params.size(); ++a)
    {
      const int j = outer.params[a];
      const double scale = j == 0 ? Du : F; // d/d log x = x d/dx
      Field dc(n * nf), dg(n * nf);
      for (std::size_t f = 0; f < nf; ++f)
      {
        const Frame& fr = Lp.frames()[f];
        if (j == 0)
        {
          Lp.laplacian(U[f], lu);
          rhs = lu; // du/dDu = A^-1 lap(u)
        }
        else
        {
          for (std::size_t i = 0; i < n; ++i)
          {
            rhs[i] = 1.0 - U[f][i]; // du/dF = A^-1 (1 - u)
          }
        }
        std::fill(x.begin(), x.end(), 0.0);
        Lp.solve(f, Du, F, rhs, x, FinalTolerance);
        for (std::size_t i = 0; i < n; ++i)
        {
          dg[f * n + i] = scale * fr.w[i] * x[i];
          dc[f * n + i] = dg[f * n + i] - (j == 2 ? scale * fr.v[i] : 0.0);
        }
      }
      dc = Eq.apply(dc);
      dg = Eq.apply(dg);
      project(Basis, dc);
      const double gdg = Normalised ? dot(Gv, dg) / GNorm2 : 0.0;
      for (std::size_t i = 0; i < dc.size(); ++i)
      {
        jac[a][i] = dc[i] / gn - res[i] * gdg;
      }
    }
  }

  /// The inner parameters minimising |c + C theta| at the last evaluate(): -R^-1 Q' c.
  std::array<double, 4> inner() const
  {
    std::array<double, 4> theta = { 0.0, 0.0, 0.0, 0.0 };
    const Eigen::Index k = static_cast<Eigen::Index>(Basis.q.size());
    if (k == 0)
    {
      return theta;
    }
    Eigen::VectorXd qc(k);
    for (Eigen::Index a = 0; a < k; ++a)
    {
      qc(a) = dot(Basis.q[a], C);
    }
    const Eigen::VectorXd t = -Basis.r.triangularView<Eigen::Upper>().solve(qc);
    for (Eigen::Index a = 0; a < k; ++a)
    {
      theta[Basis.params[a]] = t(a);
    }
    return theta;
  }

  const std::vector<Field>& latent() const { return U; }
  /// The next evaluate(..., warm = true) starts its solves from these latent fields.
  void warmStart(const std::vector<Field>& u) { U = u; }
  /// At the last evaluate(): the equations' residual less its inner parameters' part, and the
  /// equations of u w alone.
  const Field& projected() const { return Raw; }
  const Field& reaction() const { return Gv; }

  /// Whether evaluate() and jacobian() divide the residual by |u w| (the default).
  void normalise(bool on) { Normalised = on; }

private:
  LatentProblem& Lp;
  const ResidualSettings& S;
  const Equations& Eq;
  const InnerBasis& Basis;
  std::vector<Field> U;
  Field C, Gv, Raw;
  double GNorm2 = 0.0;
  bool Normalised = true;
};

/// The smallest spacing over the grid's axes with more than one cell.
inline double spacing(const Grid& g)
{
  double h = g.hx;
  if (g.ny > 1)
  {
    h = std::min(h, g.hy);
  }
  if (g.nz > 1)
  {
    h = std::min(h, g.hz);
  }
  return h;
}

} // namespace latentfit
} // namespace residual
} // namespace gs
