// The residual fit's parts, shared by the files that hold them (internal to Core): the
// least-squares system every assembly fills, the strong form's cells, the input checks. The
// public API is Residual.h.
#pragma once

#include "Progress.h"
#include "Residual.h"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace gs
{
class Progress;

namespace residual
{
const double NaN = std::numeric_limits<double>::quiet_NaN();

/// Columns of the least-squares system: Du, Dv, F, k and the right-hand side.
constexpr int Cols = 5;
using Factor = Eigen::Matrix<double, Cols, Cols>;
using Rows = Eigen::Matrix<double, Eigen::Dynamic, Cols>;

/// The least-squares system over all four parameters, kept as the triangular factor R of
/// [A y] (R' R = [A y]' [A y]): any subset of columns, the quadratic form and the residual
/// norm follow from it without the squared condition number of the normal equations.
struct System
{
  Factor R = Factor::Zero();
  /// Norm of each column's terms taken in absolute value: a column whose norm is below the
  /// tolerance times this has cancelled to round-off (uniform fields).
  std::array<double, 4> magnitude = {};
  std::size_t equations = 0;
  bool aborted = false;
  /// u was not observed: the system is the v equation linearised at the latent fit.
  bool latentU = false;
};

/// Progress of an iterative fit: `frames` units of work shared by at most `evaluations`
/// evaluations; abort is checked at each.
class FitProgress
{
public:
  FitProgress(Progress* progress, double frames, double evaluations)
    : P(progress)
    , Step(frames / evaluations)
    , Left(frames)
  {}
  /// One evaluation done; false once aborted.
  bool tick()
  {
    if (P && !Aborted)
    {
      const double w = std::min(Step, Left);
      P->add(w);
      Left -= w;
      Aborted = P->aborted();
    }
    return !Aborted;
  }
  bool aborted() const { return Aborted; }
  /// Adds the work the fit did not need.
  void finish()
  {
    if (P)
    {
      P->add(Left);
    }
    Left = 0.0;
  }
  /// An aborted fit's result: every fitted parameter NaN, the verdict "Aborted: ...".
  ResidualFit abortedFit(const ResidualSettings& S) const;

private:
  Progress* P;
  double Step, Left;
  bool Aborted = false;
};

/// The triangular factor of the first `count` rows of `rows` (zero rows when count < 5).
Factor triangular(const Rows& rows, Eigen::Index count);
/// The factor of the stacked factors, in their order: ResidualStrong.cpp.
Factor combine(const std::vector<Factor>& parts);
/// The sum of the absolute weights of the data's Laplacian (the stencil's, or the spectral
/// bound): the magnitude a Laplacian term is measured against.
double laplacianScale(const Grid& g, const ResidualSettings& S);

/// Checks the data and settings; `forFit` also asks for something to fit.
void check(const Observations& data, const ResidualSettings& S, bool forFit);
/// Refuses what the fit with u unobserved cannot take: a method other than Steady, a mask.
void checkLatent(const Observations& data, const ResidualSettings& S);
/// Refuses a system with fewer equations than fitted parameters.
void checkEquations(std::size_t equations, const ResidualSettings& S);

/// Neighbour offsets of the solver's stencil for cell i (itself for axes with one cell).
struct Neighbours
{
  std::size_t c[7];
};

Neighbours neighbours(const Grid& g, std::size_t i);

/// Cells whose strong-form equations can be written: observed, with every stencil neighbour
/// observed. Empty when every cell is observed.
std::vector<unsigned char> usableCells(const Grid& g, const std::vector<unsigned char>& valid);

/// The Laplacian of a field of the data, as settings.discretisation takes it.
void dataLaplacian(const Grid& g, const double* f, double* out, const ResidualSettings& settings);

/// The frames the strong form writes equations at, and how it differences time there.
struct StrongFrames
{
  std::size_t first = 0, last = 0; // equations at frames [first, last)
  int back = 0, ahead = 0;         // frames the time difference reaches
};

StrongFrames strongFrames(const Observations& data, const ResidualSettings& S);

/// The strong-form equations of one frame: rows() gives cell i's two rows (u, then v) of
/// [A y], magnitudes() adds the squares of their terms' magnitudes for the zero-column test.
struct StrongCell
{
  const double *u, *v, *lu, *lv, *ua, *va, *ub, *vb; // frame f, its Laplacians, ahead, back
  double rate;     // 1 / (time span of the difference); 0 for steady
  double lapScale; // sum of the stencil's absolute weights
  double noise;    // the variance of v's noise: u v^2 of the data is biased by u noise

  void rows(std::size_t i, double* ru, double* rv) const
  {
    const double uu = u[i], vv = v[i];
    const double ut = rate == 0.0 ? 0.0 : (ua[i] - ub[i]) * rate;
    const double vt = rate == 0.0 ? 0.0 : (va[i] - vb[i]) * rate;
    const double uvv = uu * vv * vv - noise * uu;
    ru[0] = lu[i];
    ru[1] = 0.0;
    ru[2] = 1.0 - uu;
    ru[3] = 0.0;
    ru[4] = ut + uvv;
    rv[0] = 0.0;
    rv[1] = lv[i];
    rv[2] = -vv;
    rv[3] = -vv;
    rv[4] = vt - uvv;
  }
  void magnitudes(std::size_t i, double* m) const
  {
    // Every field value counted at the fields' magnitude |u| + |v|: a column that vanished
    // beside the data (v decayed to 1e-40 next to u = 1) is as empty as a cancelled one.
    const double au = std::fabs(u[i]), a = au + std::fabs(v[i]);
    m[0] += lapScale * lapScale * a * a;
    m[1] += lapScale * lapScale * a * a;
    m[2] += (1.0 + au) * (1.0 + au) + a * a;
    m[3] += a * a;
  }
};

StrongCell strongCell(const Observations& data, const StrongFrames& sf, std::size_t f,
  const std::vector<double>& lu, const std::vector<double>& lv, const ResidualSettings& S);

/// printf-formatted x: ResidualSolve.cpp.
std::string formatNumber(double x, const char* format);

/// The weak form's spatial test functions (ResidualSettings' size and count): for each, its
/// nonzero values phi as (cell, phi). Summing a strong residual against phi is the weak
/// form: sum phi lap(v) = sum lap(phi) v for the symmetric Laplacians.
using TestFunctions = std::vector<std::vector<std::pair<std::size_t, double>>>;
TestFunctions testFunctions(const Observations& data, const ResidualSettings& S);

/// The strong form's system (steady or time series): ResidualStrong.cpp.
System assembleStrong(const Observations& data, const ResidualSettings& S, Progress* progress);
/// The weak form's system: ResidualWeak.cpp.
System assembleWeak(const Observations& data, const ResidualSettings& S, Progress* progress);
/// The system of the settings' method, checked.
System assemble(const Observations& data, const ResidualSettings& S, Progress* progress);
/// The least-squares solution, its errors and the verdict: ResidualSolve.cpp. With `at`, the
/// system is a linearisation at `at`, which a nonlinear fit found: the determined estimates
/// are its values, the errors those of the linearisation there.
ResidualFit solve(const System& sys, const ResidualSettings& S, const Parameters* at = nullptr);
/// The fit of the settings' method, without the bootstrap; a fit with u unobserved starts its
/// descent at the estimate (and intensity map) of `from` (when given) instead of its coarse
/// search.
ResidualFit refit(
  const Observations& data, const ResidualSettings& S, Progress* progress, const ResidualFit* from);
/// The parametric bootstrap of ResidualSettings::intervalReplicates: replaces the fit's
/// standard errors, sets its bias and misfit, and claims no interval where the noise biases
/// the fit or does not explain its residual (ResidualBootstrap.cpp). The replicates report
/// the progress's total between them. Returns the largest noise variance the fit's residual
/// supports (at most the settings'). A `probe` (only that variance is wanted) runs no second
/// round of replicates.
double bootstrap(const Observations& data, const ResidualSettings& S, ResidualFit& fit,
  Progress* progress, bool probe = false);
/// The steady fit with u unobserved: ResidualLatent.cpp.
ResidualFit fitLatent(const Observations& data, const ResidualSettings& S, Progress* progress,
  const Parameters* start = nullptr);
/// The steady fit of an intensity a v + b (data.intensity), a and b estimated too, starting
/// from `from`'s estimate and map when given: ResidualIntensity.cpp.
ResidualFit fitIntensity(const Observations& data, const ResidualSettings& S, Progress* progress,
  const ResidualFit* from = nullptr);
/// Refuses what the intensity fit cannot take: u observed, a time series, a constant image.
void checkIntensity(const Observations& data, const ResidualSettings& S);
/// The latent u of one frame: ResidualLatent.cpp.
std::vector<double> latent(
  const Observations& data, const ResidualSettings& S, const Parameters& p, std::size_t frame);
/// The time-series fit with u unobserved: ResidualLatentSeries.cpp.
ResidualFit fitLatentSeries(const Observations& data, const ResidualSettings& S, Progress* progress,
  const Parameters* start = nullptr);
/// u of frame `frame` (below the last) from the v equation; NaN where v is too small.
std::vector<double> latentSeries(
  const Observations& data, const ResidualSettings& S, const Parameters& p, std::size_t frame);
/// The frame whose latent u latentU() gives: the last (steady), the last with two after it
/// (a series). Checks checkLatent().
std::size_t latentFrame(const Observations& data, const ResidualSettings& S);

} // namespace residual
} // namespace gs
