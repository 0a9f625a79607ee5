// Bifurcation structure of the well-mixed Gray-Scott system in the (F, k) plane, and the
// Turing boundary of its upper uniform state for given diffusion rates.
//
// Uniform states other than (1, 0) satisfy u v = F + k and
//   (F + k) v^2 - F v + F (F + k) = 0,  v = [F +- sqrt(F^2 - 4 F (F + k)^2)] / (2 (F + k)),
// so they exist iff F >= 4 (F + k)^2 (saddle-node: k = sqrt(F)/2 - F). On the upper branch
// (v^2 >= F) the Jacobian of the reaction terms is
//   [[-(v^2 + F), -2 (F + k)], [v^2, F + k]],  trace = k - v^2,  det = (F + k)(v^2 - F),
// so the Hopf curve is v^2 = k, i.e. (F + k)^2 = F sqrt(k) with F < k; it meets the
// saddle-node curve at F = k = 1/16. Diffusion destabilises the upper state (Turing) where
//   h = Du (F + k) - Dv (v^2 + F) > 0  and  h^2 > 4 Du Dv det.
#pragma once

#include <string>
#include <vector>

namespace gs
{
class Progress;

namespace bifurcation
{

struct Point
{
  double F, k;
};

struct Curve
{
  std::string name; ///< "saddle-node", "hopf", "turing"
  std::vector<Point> points;
};

/// k on the saddle-node curve for a given F: sqrt(F)/2 - F.
double saddleNodeK(double F);
/// F on the Hopf curve for a given k in (0, 1/16]: the root of (F + k)^2 = F sqrt(k) below k.
double hopfF(double k);
/// v on the upper uniform branch; NaN where it does not exist.
double upperV(double F, double k);
/// h - 2 sqrt(Du Dv det) on the upper branch (> 0: Turing unstable, if also h > 0).
double turingMargin(double F, double k, double Du, double Dv);

/// The three curves sampled over F in [Fmin, Fmax] (and the k range for clipping), with
/// `samples` points each; the Turing boundary for the given Du, Dv, where it exists.
/// Saddle-node and Turing are sampled evenly in F, Hopf evenly in k up to min(kmax, 1/16).
/// Points outside the ranges are dropped, so a curve that leaves the box and comes back is
/// two pieces. When F = 1/16 lies inside (Fmin, Fmax) without being a sample, the tip of the
/// saddle-node curve (1/16, 1/16) is added to it as one more point; with kmax >= 1/16 it is
/// also the Hopf curve's end point, so the two curves meet exactly.
/// The Turing search takes most of the time (about 30 us per sample): it reports one unit of
/// work per sample to `progress` (so construct it with totalWork = samples) and stops when
/// asked to; the result is then empty and progress->aborted() is true.
std::vector<Curve> curves(double Fmin, double Fmax, double kmin, double kmax, double Du, double Dv,
  int samples = 400, Progress* progress = nullptr);

/// Pearson's (1993) named pattern classes at their published (F, k).
struct NamedPoint
{
  std::string label;
  double F, k;
};
const std::vector<NamedPoint>& pearsonClasses();

/// A picture of the curves and of Pearson's classes in the (F, k) plane, as the Bifurcation
/// Curves filter draws it.
struct DrawingSettings
{
  double Fmin = 0.0, Fmax = 0.1, kmin = 0.0, kmax = 0.08;
  double Du = 0.16, Dv = 0.08; ///< for the Turing boundary
  int samples = 400;           ///< points per curve
  bool fOnX = true;            ///< F along x and k along y, or the other way round
  double elevation = 0.0;      ///< z of every point
  /// Throws gs::Error naming the field ({fRange}, {kRange}, {Du}, {Dv}, {samples},
  /// {elevation}) unless the ranges are finite, non-negative and increasing, the diffusion
  /// rates finite and non-negative, samples >= 2 and the elevation finite; and when the
  /// curves would not fit in memory.
  void validate() const;
};

struct Drawing
{
  std::vector<double> curvePoints;     ///< x y z per point, curve after curve
  std::vector<long long> curveOffsets; ///< curve i holds points [offsets[i], offsets[i + 1])
  std::vector<std::string> curveNames;
  std::vector<int> curveIds;       ///< 0 saddle-node, 1 hopf, 2 turing
  std::vector<double> classPoints; ///< x y z of each of Pearson's classes inside the ranges
  std::vector<std::string> classLabels;
};

/// The curves of `settings` (after validate()) drawn as points; reports like curves() and
/// returns an empty drawing when aborted.
Drawing draw(const DrawingSettings& settings, Progress* progress = nullptr);

} // namespace bifurcation
} // namespace gs
