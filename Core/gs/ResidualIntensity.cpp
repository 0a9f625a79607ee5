// The steady fit of an intensity I = a v + b with a, b unknown (a camera's grey level, an
// 8-bit image). With the image scaled to [0, 1], I~ = (I - min) / (max - min), the
// concentration is v = alpha I~ + beta, and the fit of v alone (ResidualLatent.cpp) holds at
// the true (alpha, beta) only: the latent u's equation Du lap(u) - (v^2 + F) u + F = 0 and the
// reaction u v^2 are not invariant under v -> alpha v + beta, which fixes the scale. So the
// map joins (log Du, log F) outside the variable projection, the closed form in (Dv, k)
// staying inside. The residual is divided by the spread of u w about its mean: divided by
// |u w| as the fit of v is, it vanishes as alpha -> 0 (v uniform, its equation met by k).
//
// A steady state does not fix the scale a, though: v -> lambda v with (Du, F) -> lambda^2
// (Du, F) and (Dv, F + k) -> lambda (Dv, F + k) maps steady states to steady states (divide
// the u equation by lambda^2, the v equation by lambda), the same u, so a steady image
// determines the offset b and the combinations Du / F, Dv / (F + k), (F + k)^2 / F, not the
// four. One of them known (fixed) fixes lambda, but k alone leaves two roots: k = lambda (F +
// k) - lambda^2 F holds at lambda = 1 and lambda = k / F. The time derivatives of a series
// would fix it too (u_t and v_t scale as 1 and lambda), which the fit of steady frames does
// not take.
#include "LatentProblem.h"
#include "LevenbergMarquardt.h"

#include "Progress.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>
#include <tuple>

namespace gs
{
namespace residual
{
namespace
{
using namespace latentfit;

/// Slopes alpha (v's range over the image's) tried with beta = 0 before the descent: a
/// Gray-Scott pattern's v spans a few hundredths to about one.
constexpr double SearchSlopes[] = { 0.05, 0.1, 0.2, 0.4, 0.8 };
/// Forward-difference steps of the Jacobian: relative in log Du, log F and alpha, times alpha
/// in beta. The solves' tolerance (1e-13) keeps the differences to about 1e-7.
constexpr double DifferenceStep = 1e-6;
/// Steps of the joint descent: each costs five solves or more; the final fit of v polishes
/// (Du, F) at the map found.
constexpr int MapDescentSteps = 40;

/// The outer variables: the fitted ones of (log Du, log F), then alpha, beta.
struct Point
{
  double Du = 0.0, F = 0.0, alpha = 0.0, beta = 0.0;
};

/// The data's range: the image's smallest and largest value over every frame.
std::pair<double, double> rangeOf(const Observations& data)
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const State& s : data.frames)
  {
    for (double x : s.v)
    {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  }
  return { lo, hi };
}

/// The variable projection over the map as well as (Du, F).
class IntensityProblem
{
public:
  IntensityProblem(const Observations& data, const ResidualSettings& S)
    : Data(data)
    , Settings(S)
    , Eq(data, S)
  {
    std::tie(Lo, Hi) = rangeOf(data);
    Ones = Eq.apply(Field(data.grid.cells() * data.frames.size(), 1.0));
  }

  double lo() const { return Lo; }
  double hi() const { return Hi; }

  /// The concentration v = alpha I~ + beta as v-only observations.
  Observations concentration(double alpha, double beta) const
  {
    Observations o = Data;
    o.intensity = false;
    const double scale = alpha / (Hi - Lo);
    for (State& s : o.frames)
    {
      for (double& x : s.v)
      {
        x = scale * (x - Lo) + beta;
      }
    }
    return o;
  }
  /// The settings of the fit of that concentration: the noise variance in its units.
  ResidualSettings settings(double alpha) const
  {
    ResidualSettings s = Settings;
    const double scale = alpha / (Hi - Lo);
    s.noiseVariance *= scale * scale;
    s.intervalReplicates = 0;
    return s;
  }

  /// The residual at p, divided by the spread of u w, in `r`; returns its squared norm. The
  /// solves start from the last point's latent u (`warm`) and stop at `tol`.
  double evaluate(const Point& p, Field& r, bool warm = true, double tol = FinalTolerance)
  {
    if (!At || p.alpha != At->alpha || p.beta != At->beta)
    {
      auto next = std::make_unique<Map>(*this, p.alpha, p.beta);
      if (At)
      {
        next->ev.warmStart(At->ev.latent());
      }
      At = std::move(next);
    }
    At->ev.evaluate(p.Du, p.F, warm, tol);
    const Field& raw = At->ev.projected();
    const Field& g = At->ev.reaction();
    const double spread = dot(g, g) - dot(g, Ones) * dot(g, Ones) / dot(Ones, Ones);
    if (!(spread > 0.0))
    {
      r.assign(raw.size(), 0.0);
      return std::numeric_limits<double>::infinity();
    }
    r = raw;
    const double scale = 1.0 / std::sqrt(spread);
    for (double& x : r)
    {
      x *= scale;
    }
    return dot(r, r);
  }

private:
  /// One map's observations and the variable projection on them.
  struct Map
  {
    Map(const IntensityProblem& ip, double a, double b)
      : alpha(a)
      , beta(b)
      , o(ip.concentration(a, b))
      , s(ip.settings(a))
      , lp(o, s)
      , basis(innerBasis(lp, s, ip.Eq))
      , ev(lp, s, ip.Eq, basis)
    {
      ev.normalise(false);
    }
    double alpha, beta;
    Observations o;
    ResidualSettings s;
    LatentProblem lp;
    InnerBasis basis;
    Evaluator ev;
  };

  const Observations& Data;
  const ResidualSettings& Settings;
  Equations Eq;
  double Lo = 0.0, Hi = 0.0;
  Field Ones;
  std::unique_ptr<Map> At;
};

/// The outer point moved by d over the free variables (log Du, log F where fitted; alpha, beta).
Point moved(const Point& p, const std::vector<int>& free, const Eigen::VectorXd& d)
{
  Point q = p;
  for (std::size_t a = 0; a < free.size(); ++a)
  {
    const double step = d(static_cast<Eigen::Index>(a));
    switch (free[a])
    {
      case 0:
        q.Du *= std::exp(std::clamp(step, -2.0, 2.0));
        break;
      case 2:
        q.F *= std::exp(std::clamp(step, -2.0, 2.0));
        break;
      case 4:
        q.alpha *= std::exp(std::clamp(step, -2.0, 2.0));
        break;
      default:
        q.beta += step * p.alpha;
        break;
    }
  }
  return q;
}

/// The fit at one point of the scale's orbit becomes what a steady image determines: the offset
/// and the orbit's invariants, named in the verdict; the four parameters are not determined.
void unscaled(ResidualFit& fit)
{
  const Parameters& e = fit.estimate;
  std::ostringstream s;
  s.precision(6);
  s << "Du, Dv, F, k are not determined: a steady intensity a v + b does not fix the scale a "
       "(v -> lambda v with Du, F -> lambda^2 Du, lambda^2 F and Dv, F + k -> lambda Dv, "
       "lambda (F + k) is a steady state as well). Fix one of them to fix the scale. Determined: "
       "b = "
    << fit.intensityOffset << ", Du / F = " << e.Du / e.F
    << ", Dv / (F + k) = " << e.Dv / (e.F + e.k)
    << ", (F + k)^2 / F = " << (e.F + e.k) * (e.F + e.k) / e.F
    << ". (u is not observed: it is the latent solution of the steady u equation.)";
  fit.verdict = s.str();
  fit.intensityScale = ResidualFit::NaN;
  for (std::size_t j = 0; j < parameterCount; ++j)
  {
    fit.estimate[j] = ResidualFit::NaN;
    fit.standardError[j] = ResidualFit::NaN;
    fit.identifiable[j] = false;
  }
}

/// With k alone fixed, the second root lambda = k / F of the scale's orbit fits as well: both
/// are named and neither is claimed (unless they coincide).
void twinOfFixedK(ResidualFit& fit)
{
  const Parameters e = fit.estimate;
  const double lambda = e.k / e.F;
  if (!(std::fabs(lambda - 1.0) > 1e-3))
  {
    return;
  }
  std::ostringstream s;
  s.precision(6);
  s << "Du, Dv, F are not determined: with k alone fixed, a steady intensity a v + b fits two "
       "parameter sets equally (v -> lambda v with Du, F -> lambda^2 Du, lambda^2 F and Dv, F + "
       "k -> lambda Dv, lambda (F + k), at lambda = k / F = "
    << lambda << "): Du = " << e.Du << ", Dv = " << e.Dv << ", F = " << e.F
    << ", a = " << fit.intensityScale << "; or Du = " << lambda * lambda * e.Du
    << ", Dv = " << lambda * e.Dv << ", F = " << lambda * lambda * e.F
    << ", a = " << fit.intensityScale / lambda
    << ". Fix Du, Dv or F instead. b = " << fit.intensityOffset
    << ". (u is not observed: it is the latent solution of the steady u equation.)";
  fit.verdict = s.str();
  fit.intensityScale = ResidualFit::NaN;
  for (int j : { 0, 1, 2 })
  {
    fit.estimate[static_cast<std::size_t>(j)] = ResidualFit::NaN;
    fit.standardError[j] = ResidualFit::NaN;
    fit.identifiable[j] = false;
  }
}

} // namespace

void checkIntensity(const Observations& data, const ResidualSettings& S)
{
  if (data.uObserved)
  {
    throw Error("{observation} Intensity is for v observed alone ({uObserved}): a camera sees "
                "one species.");
  }
  if (S.method == ResidualMethod::TimeSeries)
  {
    throw Error("{observation} Intensity takes steady frames ({method} Steady or WeakForm).");
  }
  const auto [lo, hi] = rangeOf(data);
  if (!(hi > lo))
  {
    throw Error("{observation} Intensity: the image is constant, so it shows no pattern whose "
                "equation could fix the parameters.");
  }
}

ResidualFit fitIntensity(
  const Observations& data, const ResidualSettings& S, Progress* progress, const ResidualFit* from)
{
  checkIntensity(data, S);
  IntensityProblem ip(data, S);
  const double range = ip.hi() - ip.lo();
  std::vector<int> free;
  for (int j : { 0, 2 })
  {
    if (S.fit[j])
    {
      free.push_back(j);
    }
  }
  // With all four fitted, alpha moves along the symmetry only: held at a search slope.
  const bool scaleFixed = !(S.fit[0] && S.fit[1] && S.fit[2] && S.fit[3]);
  if (scaleFixed)
  {
    free.push_back(4); // log alpha
  }
  free.push_back(5); // beta / alpha
  constexpr int Searches = sizeof(SearchSlopes) / sizeof(SearchSlopes[0]);
  ProgressPart searchPart(progress, 0.5), finalPart(progress, 0.5);
  FitProgress work(searchPart.get(), 1.0, Searches + MapDescentSteps);

  Point p;
  Field r;
  double loss = std::numeric_limits<double>::infinity();
  if (from && std::isfinite(from->intensityScale) && std::isfinite(from->intensityOffset) &&
    from->intensityScale != 0.0 && std::isfinite(from->estimate.Du) &&
    std::isfinite(from->estimate.F))
  {
    // I = a v + b: v = (I - b) / a = alpha I~ + beta.
    p = { from->estimate.Du, from->estimate.F, range / from->intensityScale,
      (ip.lo() - from->intensityOffset) / from->intensityScale };
    loss = ip.evaluate(p, r);
  }
  else
  {
    // The coarse search of the fit of v alone (F, and the length sqrt(Du / F)) at a few
    // slopes, the background at v = 0.
    const double h = spacing(data.grid);
    const int nF = S.fit[2] ? SearchPoints : 1, nL = S.fit[0] ? SearchPoints : 1;
    for (double alpha : SearchSlopes)
    {
      if (!work.tick())
      {
        break;
      }
      for (int a = 0; a < nF; ++a)
      {
        const double Fa = S.fit[2] ? 1e-3 * std::pow(300.0, a / (SearchPoints - 1.0)) : S.fixed.F;
        for (int b = 0; b < nL; ++b)
        {
          const double len = 0.25 * std::pow(160.0, b / (SearchPoints - 1.0)) * h;
          const Point q{ S.fit[0] ? Fa * len * len : S.fixed.Du, Fa, alpha, 0.0 };
          const double l = ip.evaluate(q, r, false, SearchTolerance);
          if (l < loss)
          {
            loss = l;
            p = q;
          }
        }
      }
    }
    loss = ip.evaluate(p, r);
  }
  if (!std::isfinite(loss) && !work.aborted())
  {
    throw Error("{observation} Intensity: no map of the image to a concentration gives a "
                "Gray-Scott steady state with Du, F > 0.");
  }

  // Levenberg-Marquardt over the map and (Du, F), forward-difference Jacobian.
  Point trial = p;
  Field rt;
  LevenbergMarquardt lm;
  lm.normal = [&](Eigen::MatrixXd& JtJ, Eigen::VectorXd& Jtr) {
    const Eigen::Index n = static_cast<Eigen::Index>(free.size());
    std::vector<Field> jac(free.size());
    ip.evaluate(p, r);
    for (Eigen::Index a = 0; a < n; ++a)
    {
      Eigen::VectorXd d = Eigen::VectorXd::Zero(n);
      d(a) = DifferenceStep;
      Field ra;
      ip.evaluate(moved(p, free, d), ra);
      jac[a].resize(r.size());
      for (std::size_t i = 0; i < r.size(); ++i)
      {
        jac[a][i] = (ra[i] - r[i]) / DifferenceStep;
      }
    }
    ip.evaluate(p, r);
    JtJ.resize(n, n);
    Jtr.resize(n);
    for (Eigen::Index a = 0; a < n; ++a)
    {
      Jtr(a) = dot(jac[a], r);
      for (Eigen::Index b = 0; b < n; ++b)
      {
        JtJ(a, b) = dot(jac[a], jac[b]);
      }
    }
  };
  lm.trial = [&](const Eigen::VectorXd& d) {
    trial = moved(p, free, d);
    return ip.evaluate(trial, rt);
  };
  lm.accept = [&] { p = trial; };
  lm.reject = [] {};
  if (!work.aborted())
  {
    lm.run(loss, MapDescentSteps, work);
  }
  if (work.aborted())
  {
    return work.abortedFit(S);
  }
  work.finish();

  // The fit of v at the map found: (Du, F) polished there, (Dv, k), the errors, the verdict.
  const Observations v = ip.concentration(p.alpha, p.beta);
  Parameters start = S.fixed;
  start.Du = p.Du;
  start.F = p.F;
  ResidualFit fit = fitLatent(v, ip.settings(p.alpha), finalPart.get(), &start);
  fit.intensityScale = range / p.alpha;
  fit.intensityOffset = ip.lo() - fit.intensityScale * p.beta;
  std::ostringstream map;
  map.precision(6);
  map << " The intensity is a v + b with a = " << fit.intensityScale
      << ", b = " << fit.intensityOffset << ".";
  fit.verdict += map.str();
  if (!scaleFixed)
  {
    unscaled(fit);
  }
  else if (S.fit[0] && S.fit[1] && S.fit[2] && fit.complete())
  {
    twinOfFixedK(fit);
  }
  return fit;
}

} // namespace residual

Observations concentrationOf(const Observations& data, const ResidualFit& fit)
{
  Observations o = data;
  o.intensity = false;
  for (State& s : o.frames)
  {
    for (double& x : s.v)
    {
      x = (x - fit.intensityOffset) / fit.intensityScale;
    }
  }
  return o;
}

} // namespace gs
