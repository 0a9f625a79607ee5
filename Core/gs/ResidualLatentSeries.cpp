// The time-series residual fit with u unobserved. Where v is not small, the v equation with
// the forward difference gives u itself:
//   u_f = (vt_f - Dv lap(v_f) + K v_f) / w_f,   K = F + k,  w_f = v_f^2 less the noise variance,
// linear in (Dv, K). The u equation between consecutive frames,
//   (u_{f+1} - u_f) / tau_f = Du lap(u_f) - u_f w_f + F (1 - u_f),
// then holds with a residual that is bilinear in (Du, F) and (Dv, K): a coarse search over
// (Dv, K) with the closed form in (Du, F), then Levenberg-Marquardt over the fitted
// parameters. The residual is divided by |u w| = |vt - Dv lap(v) + K v|: raw, it shrinks with
// Dv and K (u = vt / w alone), and the search would find that corner. On the solver's own
// consecutive frames the residual vanishes at the truth.
#include "ResidualSystem.h"

#include "LevenbergMarquardt.h"

#include "Progress.h"

#include <algorithm>
#include <cmath>

namespace gs
{
namespace residual
{
namespace
{
using Field = std::vector<double>;

/// A cell enters where v exceeds this fraction of the largest |v| (u = .../v^2 is ill
/// conditioned where v vanishes) and the noise ten times over.
constexpr double SmallV = 1e-3;
constexpr int SearchPoints = 25;
constexpr int MaxDescentSteps = 100;

/// The bilinear residual's coefficients at one equation (a cell of one frame pair):
/// r = g0 + Dv g1 + K g2 + Du (h0 + Dv h1 + K h2) + F (k0 + Dv k1 + K k2).
struct Terms
{
  double g0, g1, g2, h0, h1, h2, k0, k1, k2;
  double s0, s1, s2; // u w = s0 + Dv s1 + K s2, the normalisation
  double vt, rate;   // v's time difference and 1 / (time span), unweighted
  double scale(const double* p) const { return s0 + p[1] * s1 + (p[2] + p[3]) * s2; }
  double r(const double* p) const // p = (Du, Dv, F, k)
  {
    const double K = p[2] + p[3];
    return g0 + p[1] * g1 + K * g2 + p[0] * (h0 + p[1] * h1 + K * h2) +
      p[2] * (k0 + p[1] * k1 + K * k2);
  }
  /// dr/d(Du, Dv, F, k).
  void gradient(const double* p, double* d) const
  {
    const double K = p[2] + p[3];
    const double dK = g2 + p[0] * h2 + p[2] * k2;
    d[0] = h0 + p[1] * h1 + K * h2;
    d[1] = g1 + p[0] * h1 + p[2] * k1;
    d[2] = k0 + p[1] * k1 + K * k2 + dK;
    d[3] = dK;
  }
};

struct SeriesEquations
{
  std::vector<Terms> terms;
};

/// The |v| below which a cell does not enter: SmallV of the largest |v|, and ten noise
/// deviations.
double smallV(const Observations& data, const ResidualSettings& S)
{
  double vmax = 0.0;
  for (const State& s : data.frames)
  {
    for (double x : s.v)
    {
      vmax = std::max(vmax, std::fabs(x));
    }
  }
  return std::max(SmallV * vmax, 10.0 * std::sqrt(S.noiseVariance));
}

/// The u field of frame f split as a + Dv b + K c, from the v equation (w = v^2 less the
/// noise variance, lv = lap(v)).
struct Split
{
  Field a, b, c, w, lv;
  std::vector<unsigned char> usable;
};

Split split(const Observations& data, const ResidualSettings& S, std::size_t f, double vSmall)
{
  const Grid& g = data.grid;
  const std::size_t n = g.cells();
  const Field& v = data.frames[f].v;
  const Field& v1 = data.frames[f + 1].v;
  const double rate = 1.0 / (data.times[f + 1] - data.times[f]);
  Split s{ Field(n), Field(n), Field(n), Field(n), Field(n), std::vector<unsigned char>(n) };
  dataLaplacian(g, v.data(), s.lv.data(), S);
  for (std::size_t i = 0; i < n; ++i)
  {
    const double w = v[i] * v[i] - S.noiseVariance;
    s.usable[i] = std::fabs(v[i]) > vSmall && w > 0.0;
    const double inv = s.usable[i] ? 1.0 / w : 0.0;
    s.a[i] = (v1[i] - v[i]) * rate * inv;
    s.b[i] = -s.lv[i] * inv;
    s.c[i] = v[i] * inv;
    s.w[i] = w;
  }
  return s;
}

SeriesEquations equations(const Observations& data, const ResidualSettings& S)
{
  const Grid& g = data.grid;
  const std::size_t n = g.cells(), N = data.frames.size();
  const double vSmall = smallV(data, S);
  SeriesEquations eq;
  Split now = split(data, S, 0, vSmall);
  Field la(n), lb(n), lc(n);
  for (std::size_t f = 0; f + 2 < N; ++f)
  {
    Split next = split(data, S, f + 1, vSmall);
    const Field& v = data.frames[f].v;
    const Field& v1 = data.frames[f + 1].v;
    const double rate = 1.0 / (data.times[f + 1] - data.times[f]);
    dataLaplacian(g, now.a.data(), la.data(), S);
    dataLaplacian(g, now.b.data(), lb.data(), S);
    dataLaplacian(g, now.c.data(), lc.data(), S);
    const Field& lv = now.lv;
    for (std::size_t i = 0; i < n; ++i)
    {
      const Neighbours nb = neighbours(g, i);
      // Each equation weighed by the smallest v^2 it divides by: u ~ 1 / v^2 where v is small,
      // and unweighted those cells would dominate every parameter away from the truth.
      bool ok = next.usable[i] != 0;
      double weight = next.w[i];
      for (std::size_t c : nb.c)
      {
        ok = ok && now.usable[c] != 0;
        weight = std::min(weight, now.w[c]);
      }
      if (!ok)
      {
        continue;
      }
      const double vt = (v1[i] - v[i]) * rate;
      Terms t;
      t.g0 = (next.a[i] - now.a[i]) * rate + vt;
      t.g1 = (next.b[i] - now.b[i]) * rate - lv[i];
      t.g2 = (next.c[i] - now.c[i]) * rate + v[i];
      t.h0 = -la[i];
      t.h1 = -lb[i];
      t.h2 = -lc[i];
      t.k0 = now.a[i] - 1.0;
      t.k1 = now.b[i];
      t.k2 = now.c[i];
      t.s0 = vt;
      t.s1 = -lv[i];
      t.s2 = v[i];
      t.vt = vt;
      t.rate = rate;
      for (double* x :
        { &t.g0, &t.g1, &t.g2, &t.h0, &t.h1, &t.h2, &t.k0, &t.k1, &t.k2, &t.s0, &t.s1, &t.s2 })
      {
        *x *= weight;
      }
      eq.terms.push_back(t);
    }
    now = std::move(next);
  }
  return eq;
}

/// Above this ratio of the noise of v's time differences to their size, the errors in the
/// variables bias the fit by about its square (a regression's attenuation 1 / (1 + ratio^2)):
/// 0.1 is a bias of about 1%.
constexpr double NoisyTimeDifference = 0.1;

/// The noise of v's time differences over their size, with the larger of the given and the
/// estimated noise variance (a user who gives none still gets the warning).
double timeDifferenceNoise(
  const Observations& data, const ResidualSettings& S, const SeriesEquations& eq)
{
  const double s = std::max(S.noiseVariance, estimateNoiseVariance(data));
  double signal = 0.0, noise = 0.0;
  for (const Terms& t : eq.terms)
  {
    signal += t.vt * t.vt;
    noise += 2.0 * s * t.rate * t.rate;
  }
  return signal > 0.0 ? std::sqrt(noise / signal) : std::numeric_limits<double>::infinity();
}

/// The least-squares fit of (Du, F) for given (Dv, K), the others as given in p.
void innerFit(const SeriesEquations& eq, const ResidualSettings& S, double* p)
{
  // r = G + Du H + F Q for fixed (Dv, K): normal equations over the free ones of (Du, F).
  const double Dv = p[1], K = p[2] + p[3];
  double hh = 0, hq = 0, qq = 0, hg = 0, qg = 0;
  for (const Terms& t : eq.terms)
  {
    const double G = t.g0 + Dv * t.g1 + K * t.g2, H = t.h0 + Dv * t.h1 + K * t.h2,
                 Q = t.k0 + Dv * t.k1 + K * t.k2;
    hh += H * H;
    hq += H * Q;
    qq += Q * Q;
    hg += H * G;
    qg += Q * G;
  }
  const bool du = S.fit[0], fF = S.fit[2];
  if (du && fF)
  {
    const double det = hh * qq - hq * hq;
    if (det > 0.0)
    {
      p[0] = -(qq * hg - hq * qg) / det;
      p[2] = -(hh * qg - hq * hg) / det;
    }
  }
  else if (du && hh > 0.0)
  {
    p[0] = -(hg + p[2] * hq) / hh;
  }
  else if (fF && qq > 0.0)
  {
    p[2] = -(qg + p[0] * hq) / qq;
  }
  if (S.fit[3])
  {
    p[3] = K - p[2]; // K was the searched value: k follows F
  }
}

/// The normalised loss |r|^2 / |u w|^2 and its parts.
double loss(
  const SeriesEquations& eq, const double* p, double* raw = nullptr, double* norm = nullptr)
{
  double s = 0.0, d = 0.0;
  for (const Terms& t : eq.terms)
  {
    const double r = t.r(p), g = t.scale(p);
    s += r * r;
    d += g * g;
  }
  if (raw)
  {
    *raw = s;
    *norm = d;
  }
  return d > 0.0 ? s / d : std::numeric_limits<double>::infinity();
}

} // namespace

ResidualFit fitLatentSeries(
  const Observations& data, const ResidualSettings& S, Progress* progress, const Parameters* start)
{
  const SeriesEquations eq = equations(data, S);
  checkEquations(eq.terms.size(), S);
  FitProgress work(progress, static_cast<double>(data.frames.size()),
    SearchPoints * SearchPoints + MaxDescentSteps);
  const double h2 = data.grid.hx * data.grid.hx;

  // The coarse search over (Dv, K), the closed form in (Du, F) at each point.
  double best[4] = { S.fixed.Du, S.fixed.Dv, S.fixed.F, S.fixed.k };
  double bestLoss = std::numeric_limits<double>::infinity();
  const int nD = S.fit[1] ? SearchPoints : 1, nK = (S.fit[2] || S.fit[3]) ? SearchPoints : 1;
  if (start)
  {
    for (int j = 0; j < 4; ++j)
    {
      best[j] = (*start)[static_cast<std::size_t>(j)];
    }
    bestLoss = loss(eq, best);
  }
  for (int a = 0; a < (start ? 0 : nD) && !work.aborted(); ++a)
  {
    for (int b = 0; b < nK && !work.aborted(); ++b)
    {
      double p[4] = { S.fixed.Du, S.fixed.Dv, S.fixed.F, S.fixed.k };
      if (S.fit[1])
      {
        p[1] = 1e-3 * h2 * std::pow(1e3, a / (SearchPoints - 1.0));
      }
      if (S.fit[2] || S.fit[3])
      {
        const double K = 1e-3 * std::pow(1e3, b / (SearchPoints - 1.0));
        p[3] = K - p[2]; // F as given until the inner fit
      }
      innerFit(eq, S, p);
      const double l = loss(eq, p);
      if (l < bestLoss)
      {
        bestLoss = l;
        std::copy(p, p + 4, best);
      }
      work.tick();
    }
  }

  // Levenberg-Marquardt over the fitted parameters.
  std::vector<int> free;
  for (int j = 0; j < 4; ++j)
  {
    if (S.fit[j])
    {
      free.push_back(j);
    }
  }
  const Eigen::Index q = static_cast<Eigen::Index>(free.size());
  double trialPoint[4];
  LevenbergMarquardt lm;
  lm.normal = [&](Eigen::MatrixXd& JtJ, Eigen::VectorXd& Jtr) {
    // R = r / sqrt(D), D = |u w|^2: dR = dr / sqrt(D) - R dD / (2 D), dD = 2 sum g dg.
    double raw = 0.0, D = 0.0;
    loss(eq, best, &raw, &D);
    double dD[4] = { 0.0, 0.0, 0.0, 0.0 };
    for (const Terms& t : eq.terms)
    {
      const double g = t.scale(best);
      dD[1] += 2.0 * g * t.s1;
      dD[2] += 2.0 * g * t.s2;
      dD[3] += 2.0 * g * t.s2;
    }
    const double sD = std::sqrt(D);
    JtJ = Eigen::MatrixXd::Zero(q, q);
    Jtr = Eigen::VectorXd::Zero(q);
    for (const Terms& t : eq.terms)
    {
      double d[4];
      t.gradient(best, d);
      const double R = t.r(best) / sD;
      for (int j = 0; j < 4; ++j)
      {
        d[j] = d[j] / sD - R * dD[j] / (2.0 * D);
      }
      for (Eigen::Index a = 0; a < q; ++a)
      {
        Jtr(a) += d[free[a]] * R;
        for (Eigen::Index b = 0; b < q; ++b)
        {
          JtJ(a, b) += d[free[a]] * d[free[b]];
        }
      }
    }
  };
  lm.trial = [&](const Eigen::VectorXd& d) {
    std::copy(best, best + 4, trialPoint);
    for (Eigen::Index a = 0; a < q; ++a)
    {
      trialPoint[free[a]] += d(a);
    }
    return loss(eq, trialPoint);
  };
  lm.accept = [&] { std::copy(trialPoint, trialPoint + 4, best); };
  lm.reject = [] {};
  if (!work.aborted())
  {
    bestLoss = lm.run(bestLoss, MaxDescentSteps, work);
  }

  if (work.aborted())
  {
    return work.abortedFit(S);
  }
  work.finish();
  System sys;
  sys.latentU = true;
  // The linearised system at the estimate: rows [-J, r* - J theta*].
  const std::size_t m = eq.terms.size();
  Rows rows(static_cast<Eigen::Index>(m), Cols);
  std::array<double, 4> m2 = {};
  const double K = best[2] + best[3];
  for (std::size_t e = 0; e < m; ++e)
  {
    const Terms& t = eq.terms[e];
    double d[4];
    t.gradient(best, d);
    double y = t.r(best);
    for (int j = 0; j < 4; ++j)
    {
      rows(static_cast<Eigen::Index>(e), j) = -d[j];
      y -= d[j] * best[j];
    }
    rows(static_cast<Eigen::Index>(e), 4) = y;
    const double mk = std::fabs(t.g2) + std::fabs(best[0] * t.h2) + std::fabs(best[2] * t.k2);
    const double mag[4] = { std::fabs(t.h0) + std::fabs(best[1] * t.h1) + std::fabs(K * t.h2),
      std::fabs(t.g1) + std::fabs(best[0] * t.h1) + std::fabs(best[2] * t.k1),
      std::fabs(t.k0) + std::fabs(best[1] * t.k1) + std::fabs(K * t.k2) + mk, mk };
    for (int j = 0; j < 4; ++j)
    {
      m2[j] += mag[j] * mag[j];
    }
  }
  sys.R = triangular(rows, rows.rows());
  for (int j = 0; j < 4; ++j)
  {
    sys.magnitude[j] = std::sqrt(m2[j]);
  }
  sys.equations = m;
  const Parameters at{ best[0], best[1], best[2], best[3] };
  ResidualFit fit = solve(sys, S, &at);
  const double ratio = timeDifferenceNoise(data, S, eq);
  if (ratio > NoisyTimeDifference)
  {
    // No interval is claimed for an estimate the noise biases.
    fit.standardError = { NaN, NaN, NaN, NaN };
    fit.identifiable = {};
    fit.verdict = "Biased by noise: the noise of v's time differences is " +
      formatNumber(ratio, "%.2g") +
      " times their size, so u from the v equation is mostly noise and no estimate is "
      "determined. Use frames further apart, or Steady or WeakForm on a steady frame. " +
      fit.verdict;
  }
  return fit;
}

std::vector<double> latentSeries(
  const Observations& data, const ResidualSettings& S, const Parameters& p, std::size_t frame)
{
  const double vSmall = smallV(data, S);
  const Split s = split(data, S, frame, vSmall);
  std::vector<double> u(s.a.size(), NaN);
  const double K = p.F + p.k;
  for (std::size_t i = 0; i < u.size(); ++i)
  {
    if (s.usable[i])
    {
      u[i] = s.a[i] + p.Dv * s.b[i] + K * s.c[i];
    }
  }
  return u;
}

} // namespace residual
} // namespace gs
