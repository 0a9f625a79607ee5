// The steady residual fit with u unobserved. At a steady state the u equation
//   Du lap(u) - (w + F) u + F = 0,   w = v^2 less the noise variance,
// is linear in u for given (Du, F): A u = F 1 with A = -Du lap + diag(w + F), symmetric and
// positive definite on the periodic grid (conjugate gradients). The latent u it gives makes
// the v equation
//   Dv lap(v) + u w - (F + k) v = 0
// linear in (Dv, k): variable projection, the closed form inside and Levenberg-Marquardt over
// (log Du, log F) outside, after a coarse search. The residual is divided by |u w|: raw, it
// vanishes at the trivial solution F = 0, u = 0, Dv = k = 0. Method WeakForm sums the v
// equation against the weak form's test functions: lap(v) then meets only the smooth
// lap(phi), and the noise of the equations, which a least-squares fit would otherwise trade
// against the parameters (the strong form is 12% off at sigma = 1e-3), averages out.
#include "LatentProblem.h"
#include "LevenbergMarquardt.h"

#include "Progress.h"
#include "Simulation.h"

#include <algorithm>
#include <cmath>

namespace gs
{
namespace residual
{
using namespace latentfit;

ResidualFit fitLatent(
  const Observations& data, const ResidualSettings& S, Progress* progress, const Parameters* start)
{
  LatentProblem lp(data, S);
  const std::size_t n = lp.cells(), nf = data.frames.size();
  const Equations eq(data, S);
  const InnerBasis basis = innerBasis(lp, S, eq);
  Evaluator ev(lp, S, eq, basis);
  Outer outer;
  for (int j : { 0, 2 })
  {
    if (S.fit[j])
    {
      outer.params.push_back(j);
    }
  }
  FitProgress work(
    progress, static_cast<double>(nf), SearchPoints * SearchPoints + MaxDescentSteps);

  bool vanishes = true; // v = 0 (to the noise) everywhere: the v equation says nothing
  for (const Frame& f : lp.frames())
  {
    vanishes = vanishes && std::all_of(f.w.begin(), f.w.end(), [](double x) { return x == 0.0; });
  }

  double Du = S.fit[0] ? 0.0 : S.fixed.Du, F = S.fit[2] ? 0.0 : S.fixed.F;
  double rho = std::numeric_limits<double>::infinity();
  if (!vanishes && start)
  {
    Du = start->Du;
    F = start->F;
  }
  else if (!vanishes)
  {
    // The coarse search over the outer variables.
    const double h = spacing(data.grid);
    const int nF = S.fit[2] ? SearchPoints : 1, nL = S.fit[0] ? SearchPoints : 1;
    for (int a = 0; a < nF && !work.aborted(); ++a)
    {
      const double Fa = S.fit[2] ? 1e-3 * std::pow(300.0, a / (SearchPoints - 1.0)) : S.fixed.F;
      for (int b = 0; b < nL && !work.aborted(); ++b)
      {
        const double len = 0.25 * std::pow(160.0, b / (SearchPoints - 1.0)) * h;
        const double Db = S.fit[0] ? Fa * len * len : S.fixed.Du;
        const double r = ev.evaluate(Db, Fa, false, SearchTolerance);
        if (r < rho)
        {
          rho = r;
          Du = Db;
          F = Fa;
        }
        work.tick();
      }
    }
  }
  if (!vanishes)
  {
    // Levenberg-Marquardt from the best point, in log coordinates.
    rho = ev.evaluate(Du, F, false, FinalTolerance);
    Field res;
    std::vector<Field> jac;
    double Dn = Du, Fn = F;
    LevenbergMarquardt lm;
    lm.normal = [&](Eigen::MatrixXd& JtJ, Eigen::VectorXd& Jtr) {
      ev.jacobian(Du, F, outer, res, jac);
      const Eigen::Index p = static_cast<Eigen::Index>(outer.params.size());
      JtJ.resize(p, p);
      Jtr.resize(p);
      for (Eigen::Index a = 0; a < p; ++a)
      {
        Jtr(a) = dot(jac[a], res);
        for (Eigen::Index b = 0; b < p; ++b)
        {
          JtJ(a, b) = dot(jac[a], jac[b]);
        }
      }
    };
    lm.trial = [&](const Eigen::VectorXd& d) {
      Dn = Du;
      Fn = F;
      for (Eigen::Index a = 0; a < d.size(); ++a)
      {
        (outer.params[a] == 0 ? Dn : Fn) *= std::exp(std::clamp(d(a), -2.0, 2.0));
      }
      return ev.evaluate(Dn, Fn, true, FinalTolerance);
    };
    lm.accept = [&] {
      Du = Dn;
      F = Fn;
    };
    lm.reject = [&] { ev.evaluate(Du, F, true, FinalTolerance); }; // back to the accepted point
    if (!outer.params.empty())
    {
      rho = lm.run(rho, MaxDescentSteps, work);
      if (S.noiseVariance == 0.0 && !work.aborted())
      {
        // Data declared clean: in the basin found, the raw residual's least squares (on the
        // paper's target 1.7e-5 against 1.8e-4). With noise the raw loss's noise floor grows
        // with the parameters and pulls them (4.8e-3 against 3.8e-4 at sigma = 1e-4), which
        // the division by |u w| largely offsets.
        ev.normalise(false);
        rho = lm.run(ev.evaluate(Du, F, true, FinalTolerance), MaxDescentSteps, work);
      }
    }
  }

  if (work.aborted())
  {
    return work.abortedFit(S);
  }
  work.finish();
  System sys;
  sys.latentU = true;
  if (vanishes)
  {
    ResidualFit fit = solve(sys, S);
    fit.verdict = "Du, Dv, F, k are not determined: v is 0 (within the noise) everywhere, so the "
                  "v equation holds for any parameters, and u is not observed.";
    return fit;
  }

  // The estimate, and the linearised system at it for the errors and the verdict: the v
  // equation's residual r(theta) ~ r* + J (theta - theta*), as rows [-J, r* - J theta*].
  Parameters at = S.fixed;
  ev.evaluate(Du, F, true, FinalTolerance);
  const std::array<double, 4> theta = ev.inner();
  at.Du = Du;
  at.F = F;
  for (int j : basis.params)
  {
    at[static_cast<std::size_t>(j)] = theta[j];
  }
  for (int j : basis.dropped)
  {
    at[static_cast<std::size_t>(j)] = 0.0; // any value: the verdict names it not determined
  }
  const std::vector<Field>& U = ev.latent();
  const double lapScale = laplacianScale(data.grid, S);
  // Per cell and frame: the four columns of J, the right-hand side, the columns' magnitudes.
  std::array<Field, Cols> cols;
  std::array<Field, 4> mags;
  for (int j = 0; j < Cols; ++j)
  {
    cols[j].resize(n * nf);
  }
  for (int j = 0; j < 4; ++j)
  {
    mags[j].resize(n * nf);
  }
  Field rhsF(n), xDu(n), xF(n), lu(n);
  for (std::size_t f = 0; f < nf; ++f)
  {
    const Frame& fr = lp.frames()[f];
    const Field& u = U[f];
    lp.laplacian(u, lu);
    double umax = 0.0, wmin = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i)
    {
      rhsF[i] = 1.0 - u[i];
      umax = std::max(umax, std::fabs(u[i]));
      wmin = std::min(wmin, fr.w[i]);
    }
    std::fill(xDu.begin(), xDu.end(), 0.0);
    std::fill(xF.begin(), xF.end(), 0.0);
    lp.solve(f, at.Du, at.F, lu, xDu, FinalTolerance);
    lp.solve(f, at.Du, at.F, rhsF, xF, FinalTolerance);
    const double gain = 1.0 / (at.F + wmin); // |A^-1| in the maximum norm is at most this
    for (std::size_t i = 0; i < n; ++i)
    {
      const std::size_t c = f * n + i;
      const double w = fr.w[i], v = fr.v[i];
      const double J[4] = { w * xDu[i], fr.lv[i], w * xF[i] - v, -v };
      double y = u[i] * w + at.Dv * fr.lv[i] - (at.F + at.k) * v; // r*
      for (int j = 0; j < 4; ++j)
      {
        cols[j][c] = -J[j];
        y -= J[j] * at[static_cast<std::size_t>(j)];
      }
      cols[4][c] = y;
      const double av = std::fabs(v), aw = std::fabs(w);
      mags[0][c] = aw * lapScale * umax * gain;
      mags[1][c] = lapScale * av;
      mags[2][c] = av + aw * (1.0 + umax) * gain;
      mags[3][c] = av;
    }
  }
  // The equations (cells or test functions) as rows, factored a block at a time.
  std::array<Field, Cols> rowsOf;
  for (int j = 0; j < Cols; ++j)
  {
    rowsOf[j] = eq.apply(cols[j]);
  }
  const std::size_t m = eq.size();
  constexpr std::size_t Block = 4096;
  std::vector<Factor> parts;
  for (std::size_t b0 = 0; b0 < m; b0 += Block)
  {
    const std::size_t b1 = std::min(m, b0 + Block);
    Rows rows(static_cast<Eigen::Index>(b1 - b0), Cols);
    for (std::size_t e = b0; e < b1; ++e)
    {
      for (int j = 0; j < Cols; ++j)
      {
        rows(static_cast<Eigen::Index>(e - b0), j) = rowsOf[j][e];
      }
    }
    parts.push_back(triangular(rows, rows.rows()));
  }
  sys.R = combine(parts);
  for (int j = 0; j < 4; ++j)
  {
    const Field mag = eq.apply(mags[j]); // phi >= 0: the magnitudes' sums
    sys.magnitude[j] = std::sqrt(dot(mag, mag));
  }
  sys.equations = m;
  checkEquations(sys.equations, S);
  return solve(sys, S, &at);
}

std::vector<double> latent(
  const Observations& data, const ResidualSettings& S, const Parameters& p, std::size_t frame)
{
  LatentProblem lp(data, S);
  Field u;
  lp.latent(frame, p.Du, p.F, u, false, FinalTolerance);
  return u;
}

} // namespace residual
} // namespace gs
