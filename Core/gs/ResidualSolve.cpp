// The least-squares solution of the residual system for the fitted parameters: a
// column-scaled SVD, standard errors, the condition number, and the verdict that names what
// the data do not determine.
#include "ResidualSystem.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace gs
{
namespace residual
{
namespace
{
/// A parameter whose weight in a direction the data do not determine exceeds this is not
/// determined either (structural dependences give weights of order 1 or of round-off).
constexpr double InvolvedWeight = 1e-6;

std::string nameList(const std::vector<int>& which)
{
  std::string s;
  for (std::size_t i = 0; i < which.size(); ++i)
  {
    if (i > 0)
    {
      s += i + 1 == which.size() ? " and " : ", ";
    }
    s += parameterName(static_cast<std::size_t>(which[i]));
  }
  return s;
}

std::string notDetermined(const std::vector<int>& which)
{
  return nameList(which) + (which.size() == 1 ? " is" : " are") + " not determined";
}

} // namespace

std::string formatNumber(double x, const char* format)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

/// "0.71 F - 0.71 k": a direction of parameter space, largest component positive.
std::string combination(const std::vector<int>& params, const Eigen::VectorXd& w)
{
  Eigen::Index big = 0;
  w.cwiseAbs().maxCoeff(&big);
  const double sign = w(big) < 0.0 ? -1.0 : 1.0;
  std::string s;
  for (Eigen::Index a = 0; a < w.size(); ++a)
  {
    const double c = sign * w(a);
    if (std::fabs(c) < 0.005)
    {
      continue;
    }
    if (s.empty())
    {
      s += c < 0.0 ? "-" : "";
    }
    else
    {
      s += c < 0.0 ? " - " : " + ";
    }
    if (std::fabs(std::fabs(c) - 1.0) >= 0.005)
    {
      s += formatNumber(std::fabs(c), "%.2f") + " ";
    }
    s += parameterName(static_cast<std::size_t>(params[a]));
  }
  return s;
}

std::string zeroColumnReason(const std::vector<int>& zero)
{
  auto has = [&](int j) { return std::find(zero.begin(), zero.end(), j) != zero.end(); };
  if (has(2) && has(3))
  {
    return notDetermined(zero) +
      ": the data are the trivial state (u, v) = (1, 0) to round-off, where every term of the "
      "residual vanishes.";
  }
  std::string out;
  std::vector<int> lap, rest;
  for (int j : zero)
  {
    (j < 2 ? lap : rest).push_back(j);
  }
  if (lap.size() == 2)
  {
    out += notDetermined(lap) + ": the fields are uniform, so lap(u) = lap(v) = 0.";
  }
  else if (!lap.empty())
  {
    out += notDetermined(lap) +
      (lap[0] == 0 ? ": u is uniform, so lap(u) = 0." : ": v is uniform, so lap(v) = 0.");
  }
  for (int j : rest)
  {
    out += out.empty() ? "" : " ";
    out += notDetermined({ j }) +
      (j == 3 ? ": v = 0 wherever the residual is evaluated."
              : ": u = 1 and v = 0 wherever the residual is evaluated.");
  }
  return out;
}

ResidualFit FitProgress::abortedFit(const ResidualSettings& S) const
{
  System sys;
  sys.aborted = true;
  return solve(sys, S);
}

ResidualFit solve(const System& sys, const ResidualSettings& S, const Parameters* at)
{
  ResidualFit fit;
  fit.fitted = S.fit;
  fit.equations = sys.equations;
  fit.standardError = { NaN, NaN, NaN, NaN };
  const std::array<double, 4> fixed = S.fixed.asArray();
  std::array<double, 4> est = fixed;
  for (int j = 0; j < 4; ++j)
  {
    if (S.fit[j])
    {
      est[j] = NaN;
    }
  }
  auto finish = [&]() {
    fit.estimate = { est[0], est[1], est[2], est[3] };
    return fit;
  };
  if (sys.aborted)
  {
    fit.residualNorm = NaN;
    fit.conditionNumber = NaN;
    fit.verdict = "Aborted: nothing was estimated.";
    return finish();
  }

  // The fixed columns move to the right-hand side.
  Eigen::Matrix<double, Cols, 1> g = sys.R.col(4);
  for (int j = 0; j < 4; ++j)
  {
    if (!S.fit[j])
    {
      g -= sys.R.col(j) * fixed[j];
    }
  }
  const double tol = S.identifiabilityTolerance;
  std::vector<int> live, zero;
  std::array<double, 4> norm = {};
  for (int j = 0; j < 4; ++j)
  {
    if (!S.fit[j])
    {
      continue;
    }
    norm[j] = sys.R.col(j).norm();
    (norm[j] > tol * sys.magnitude[j] && norm[j] > 0.0 ? live : zero).push_back(j);
  }

  // Unit-norm columns: the singular values compare directions, not units.
  const Eigen::Index q = static_cast<Eigen::Index>(live.size());
  Eigen::MatrixXd B(Cols, q);
  for (Eigen::Index a = 0; a < q; ++a)
  {
    B.col(a) = sys.R.col(live[a]) / norm[live[a]];
  }
  Eigen::VectorXd s = Eigen::VectorXd::Zero(q);
  Eigen::MatrixXd U, V;
  if (q > 0)
  {
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(B, Eigen::ComputeThinU | Eigen::ComputeThinV);
    s = svd.singularValues();
    U = svd.matrixU();
    V = svd.matrixV();
  }
  Eigen::Index rank = 0;
  while (rank < q && s(rank) > 0.0 && s(rank) >= tol * s(0))
  {
    ++rank;
  }
  Eigen::VectorXd x = Eigen::VectorXd::Zero(q);
  for (Eigen::Index i = 0; i < rank; ++i)
  {
    x += V.col(i) * (U.col(i).dot(g) / s(i));
  }
  if (at)
  {
    // A linearisation at the estimate of a nonlinear fit: its residual is the fit's.
    for (Eigen::Index a = 0; a < q; ++a)
    {
      x(a) = (*at)[static_cast<std::size_t>(live[a])] * norm[live[a]];
    }
  }
  const double rss = (g - B * x).squaredNorm();
  const double m = static_cast<double>(sys.equations);
  fit.residualNorm = std::sqrt(rss / m);
  const double sigma2 = rss / (m - static_cast<double>(rank));

  std::vector<int> determined, undetermined;
  for (Eigen::Index a = 0; a < q; ++a)
  {
    const int j = live[a];
    const double weight = V.row(a).tail(q - rank).norm();
    if (weight > InvolvedWeight)
    {
      undetermined.push_back(j);
      continue;
    }
    determined.push_back(j);
    fit.identifiable[j] = true;
    est[j] = x(a) / norm[j];
    double var = 0.0;
    for (Eigen::Index i = 0; i < rank; ++i)
    {
      var += V(a, i) * V(a, i) / (s(i) * s(i));
    }
    fit.standardError[j] = std::sqrt(sigma2 * var) / norm[j];
  }

  for (Eigen::Index i = 0; i < q; ++i)
  {
    fit.singularValues.push_back(s(i));
  }
  fit.singularValues.insert(fit.singularValues.end(), zero.size(), 0.0);
  const double smax = fit.singularValues.front(), smin = fit.singularValues.back();
  fit.conditionNumber = smin > 0.0 ? smax / smin : std::numeric_limits<double>::infinity();

  // A rate below 0 is not a Gray-Scott model: the data are not what the fit assumes (the
  // wrong arrays, another model, or noise the method cannot take). Never "determined", and no
  // interval is claimed for it.
  std::vector<int> implausible;
  for (auto it = determined.begin(); it != determined.end();)
  {
    if (est[*it] < 0.0)
    {
      implausible.push_back(*it);
      fit.identifiable[*it] = false;
      fit.standardError[*it] = NaN;
      it = determined.erase(it);
    }
    else
    {
      ++it;
    }
  }

  // The verdict: what cannot be determined and why, then what is.
  std::vector<std::string> parts;
  if (!zero.empty())
  {
    parts.push_back(zeroColumnReason(zero));
  }
  for (Eigen::Index i = rank; i < q; ++i)
  {
    std::vector<int> involved;
    std::vector<double> w;
    for (Eigen::Index a = 0; a < q; ++a)
    {
      if (std::fabs(V(a, i)) > InvolvedWeight)
      {
        involved.push_back(live[a]);
        w.push_back(V(a, i) / norm[live[a]]); // back to parameter units
      }
    }
    parts.push_back(notDetermined(involved) + ": the residual does not change along " +
      combination(involved,
        Eigen::Map<Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size())).normalized()) +
      " (singular value " + formatNumber(s(i) / s(0), "%.1e") + " of the largest).");
  }
  if (!implausible.empty())
  {
    std::string values;
    for (int j : implausible)
    {
      values += (values.empty() ? "" : ", ") + std::string(parameterName(j)) + " = " +
        formatNumber(est[j], "%.3g");
    }
    parts.push_back(values + (implausible.size() == 1 ? " is" : " are") +
      " not plausible: rates of the model are >= 0, so the data are not what the fit assumes "
      "(check that u and v are the right arrays, that the data follow this model, and the noise); "
      "the other estimates are suspect too.");
  }
  std::vector<int> fixedList;
  for (int j = 0; j < 4; ++j)
  {
    if (!S.fit[j])
    {
      fixedList.push_back(j);
    }
  }
  const std::string fixedNote = fixedList.empty() ? "" : " (" + nameList(fixedList) + " fixed)";
  if (determined.size() == 4)
  {
    parts.insert(parts.begin(), "All of Du, Dv, F, k are determined.");
  }
  else if (!determined.empty() && parts.empty())
  {
    parts.push_back(
      "Every fitted parameter is determined: " + nameList(determined) + fixedNote + ".");
  }
  else if (!determined.empty())
  {
    parts.push_back(nameList(determined) + (determined.size() == 1 ? " is" : " are") +
      " determined" + fixedNote + ".");
  }
  if (sys.latentU)
  {
    parts.push_back("(u is not observed: it is the latent solution of the steady u equation.)");
  }
  for (const std::string& p : parts)
  {
    fit.verdict += (fit.verdict.empty() ? "" : " ") + p;
  }
  return finish();
}
} // namespace residual
} // namespace gs
