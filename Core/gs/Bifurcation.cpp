#include "Bifurcation.h"

#include "Grid.h"
#include "Progress.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gs
{
namespace bifurcation
{

double saddleNodeK(double F)
{
  return std::sqrt(F) / 2.0 - F;
}

double hopfF(double k)
{
  // F^2 + (2k - sqrt(k)) F + k^2 = 0; the roots' product is k^2, so one lies below k.
  const double b = std::sqrt(k) - 2.0 * k;
  const double disc = std::max(0.0, b * b - 4.0 * k * k);
  // The smaller root, written without cancellation: 2 k^2 / (b + sqrt(disc)).
  return 2.0 * k * k / (b + std::sqrt(disc));
}

double upperV(double F, double k)
{
  const double disc = F * F - 4.0 * F * (F + k) * (F + k);
  if (!(disc >= 0.0) || F <= 0.0)
  {
    return std::nan("");
  }
  return (F + std::sqrt(disc)) / (2.0 * (F + k));
}

double turingMargin(double F, double k, double Du, double Dv)
{
  const double v = upperV(F, k);
  const double v2 = v * v;
  const double h = Du * (F + k) - Dv * (v2 + F);
  const double det = (F + k) * (v2 - F);
  return h - 2.0 * std::sqrt(Du * Dv * std::max(det, 0.0));
}

namespace
{

void addPiece(std::vector<Curve>& out, const std::string& name, std::vector<Point>& piece)
{
  if (piece.size() >= 2)
  {
    out.push_back({ name, piece });
  }
  piece.clear();
}

bool inside(const Point& p, double Fmin, double Fmax, double kmin, double kmax)
{
  return p.F >= Fmin && p.F <= Fmax && p.k >= kmin && p.k <= kmax;
}

/// Sample i of n evenly spaced from lo to hi; the last is hi itself (lo + (hi - lo) can round
/// past hi and fall outside the range).
double sample(double lo, double hi, int i, int n)
{
  return i == n - 1 ? hi : lo + (hi - lo) * i / (n - 1);
}

/// Bisection on a sign change of f in [a, b], to the last bit.
template <typename Fn>
double bisect(Fn f, double a, double b)
{
  double fa = f(a);
  for (int i = 0; i < 200 && b - a > 0.0; ++i)
  {
    const double m = 0.5 * (a + b);
    if (m <= a || m >= b)
    {
      break;
    }
    const double fm = f(m);
    if ((fm < 0.0) == (fa < 0.0))
    {
      a = m;
      fa = fm;
    }
    else
    {
      b = m;
    }
  }
  return 0.5 * (a + b);
}

} // namespace

std::vector<Curve> curves(double Fmin, double Fmax, double kmin, double kmax, double Du, double Dv,
  int samples, Progress* progress)
{
  std::vector<Curve> out;
  samples = std::max(samples, 2);
  std::vector<Point> piece;

  // The saddle-node curve, with its tip F = k = 1/16 (where the Hopf curve ends) as one more
  // point when the F range holds it, so the two curves meet exactly at any sampling.
  const double tip = 1.0 / 16.0;
  auto saddleNodePoint = [&](double F) {
    const Point p{ F, saddleNodeK(F) };
    if (F > 0.0 && inside(p, Fmin, Fmax, kmin, kmax))
    {
      piece.push_back(p);
    }
    else
    {
      addPiece(out, "saddle-node", piece);
    }
  };
  double previousF = Fmin;
  for (int i = 0; i < samples; ++i)
  {
    const double F = sample(Fmin, Fmax, i, samples);
    if (i > 0 && previousF < tip && F > tip)
    {
      saddleNodePoint(tip);
    }
    saddleNodePoint(F);
    previousF = F;
  }
  addPiece(out, "saddle-node", piece);

  const double khi = std::min(kmax, tip), klo = std::max(kmin, 1e-12);
  for (int i = 0; i < samples && klo < khi; ++i)
  {
    const double k = sample(klo, khi, i, samples); // the last is the tip when khi = 1/16
    const Point p{ hopfF(k), k };
    if (inside(p, Fmin, Fmax, kmin, kmax))
    {
      piece.push_back(p);
    }
    else
    {
      addPiece(out, "hopf", piece);
    }
  }
  addPiece(out, "hopf", piece);

  // Turing boundary: for each F, the k where the margin changes sign with h > 0, found on a
  // fine scan and refined by bisection.
  // It reports one unit of work per sample, every 64 samples.
  int reported = 0;
  auto report = [&](int done) {
    if (progress)
    {
      progress->add(done - reported);
      reported = done;
    }
  };
  const int scan = 2000;
  for (int i = 0; i < samples; ++i)
  {
    if (i % 64 == 0)
    {
      report(i);
      if (progress && progress->aborted())
      {
        return {};
      }
    }
    const double F = sample(Fmin, Fmax, i, samples);
    const double top = std::min(kmax, saddleNodeK(F));
    bool found = false;
    if (F > 0.0 && top > kmin)
    {
      auto margin = [&](double k) { return turingMargin(F, k, Du, Dv); };
      double k0 = kmin, m0 = margin(k0);
      for (int j = 1; j <= scan && !found; ++j)
      {
        const double k1 = kmin + (top - kmin) * j / scan;
        const double m1 = margin(k1);
        if (std::isfinite(m0) && std::isfinite(m1) && (m0 < 0.0) != (m1 < 0.0))
        {
          const double k = bisect(margin, k0, k1);
          const double v = upperV(F, k);
          if (Du * (F + k) - Dv * (v * v + F) > 0.0)
          {
            piece.push_back({ F, k });
            found = true;
          }
        }
        k0 = k1;
        m0 = m1;
      }
    }
    if (!found)
    {
      addPiece(out, "turing", piece);
    }
  }
  addPiece(out, "turing", piece);
  report(samples);
  return out;
}

const std::vector<NamedPoint>& pearsonClasses()
{
  static const std::vector<NamedPoint> points = { { "alpha", 0.010, 0.047 },
    { "beta", 0.014, 0.039 }, { "gamma", 0.022, 0.051 }, { "delta", 0.030, 0.055 },
    { "epsilon", 0.018, 0.055 }, { "zeta", 0.022, 0.061 }, { "eta", 0.034, 0.063 },
    { "theta", 0.030, 0.057 }, { "iota", 0.046, 0.0594 }, { "kappa", 0.050, 0.063 },
    { "lambda", 0.026, 0.061 }, { "mu", 0.046, 0.065 } };
  return points;
}


namespace
{

std::string format(double value)
{
  std::ostringstream s;
  s << value;
  return s.str();
}

void checkRange(const char* field, const char* parameter, double lo, double hi)
{
  const std::string got = " (got " + format(lo) + " " + format(hi) + ").";
  const std::string name = std::string("{") + field + "}";
  if (!std::isfinite(lo) || !std::isfinite(hi))
  {
    throw Error(name + " must be two finite numbers, min max" + got);
  }
  if (lo < 0.0)
  {
    throw Error(name + " must not go below 0: " + parameter + " is a non-negative rate" + got);
  }
  if (lo == hi)
  {
    throw Error(name + " is empty: min must be less than max" + got);
  }
  if (lo > hi)
  {
    throw Error(name + " is inverted: min must be less than max" + got);
  }
}

void checkDiffusion(const char* field, double value)
{
  if (!(std::isfinite(value) && value >= 0.0))
  {
    throw Error(
      std::string("{") + field + "} must be finite and non-negative (got " + format(value) + ").");
  }
}

/// curve_id of a curve name: 0 saddle-node, 1 hopf, 2 turing.
int curveId(const std::string& name)
{
  return name == "saddle-node" ? 0 : name == "hopf" ? 1 : 2;
}

/// Bytes per sample: three curves, each point held twice (piece and result) as two doubles,
/// and in the drawing and its VTK copy as three doubles plus its connectivity and offset.
constexpr double BytesPerSample = 3.0 * (2.0 * 16.0 + 24.0 + 16.0);

} // namespace

void DrawingSettings::validate() const
{
  checkRange("fRange", "F", Fmin, Fmax);
  checkRange("kRange", "k", kmin, kmax);
  checkDiffusion("Du", Du);
  checkDiffusion("Dv", Dv);
  if (samples < 2)
  {
    throw Error(
      "{samples} must be at least 2 points per curve (got " + std::to_string(samples) + ").");
  }
  if (!std::isfinite(elevation))
  {
    throw Error("{elevation} must be finite (got " + format(elevation) + ").");
  }
  checkMemory(BytesPerSample * (static_cast<double>(samples) + 1.0),
    "the curves at {samples} = " + std::to_string(samples) +
      " points each (fewer samples need less)");
}

Drawing draw(const DrawingSettings& s, Progress* progress)
{
  const std::vector<Curve> found =
    curves(s.Fmin, s.Fmax, s.kmin, s.kmax, s.Du, s.Dv, s.samples, progress);
  Drawing d;
  if (progress && progress->aborted())
  {
    return d;
  }
  auto place = [&](double F, double k, std::vector<double>& xyz) {
    xyz.push_back(s.fOnX ? F : k);
    xyz.push_back(s.fOnX ? k : F);
    xyz.push_back(s.elevation);
  };
  d.curveOffsets.push_back(0);
  for (const Curve& c : found)
  {
    for (const Point& p : c.points)
    {
      place(p.F, p.k, d.curvePoints);
    }
    d.curveOffsets.push_back(d.curveOffsets.back() + static_cast<long long>(c.points.size()));
    d.curveNames.push_back(c.name);
    d.curveIds.push_back(curveId(c.name));
  }
  for (const NamedPoint& c : pearsonClasses())
  {
    if (c.F >= s.Fmin && c.F <= s.Fmax && c.k >= s.kmin && c.k <= s.kmax)
    {
      place(c.F, c.k, d.classPoints);
      d.classLabels.push_back(c.label);
    }
  }
  return d;
}

} // namespace bifurcation
} // namespace gs
