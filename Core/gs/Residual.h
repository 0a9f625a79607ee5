// Parameter recovery from the PDE residual. The residual of the model,
//   r_u = u_t - [Du lap(u) - u v^2 + F (1 - u)],
//   r_v = v_t - [Dv lap(v) + u v^2 - (F + k) v],
// is linear in (Du, Dv, F, k), so its squared norm is a quadratic in the parameters with a
// closed-form minimum (linear least squares). Strong forms take derivatives of the data; the
// weak form multiplies by smooth test functions and moves every derivative onto them.
#pragma once

#include "Grid.h"

#include <array>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace gs
{

class Progress;

enum class ResidualMethod
{
  Steady,     ///< every frame taken as a steady state: u_t = v_t = 0
  TimeSeries, ///< u_t, v_t from consecutive frames
  /// Test functions in space (and time for two or more frames). In space: products over the
  /// axes of bumps (1 - s^2)^6 with support testFunctionSize cells, centres on a regular
  /// lattice; sum(phi lap_h u) = sum(u lap_h phi) exactly (periodic, symmetric stencil), so
  /// no derivative of the data is taken. In time: bumps over windows of half the series,
  /// sliding by one frame; the data taken linear in time between frames, sum(psi u_t) is
  /// summed by parts onto psi and the right-hand side is integrated against psi exactly
  /// (trapezoidal in the data: second order in the frame spacing, so consecutive Euler
  /// steps are met to O(dt / time scale), not to round-off). One frame: the weak steady
  /// form. Unobserved cells: each sum over a test function's region is estimated from its
  /// observed cells (phi-weighted sums scaled by the ratio of the full to the observed phi
  /// mass, lap(phi)-weighted ones with lap(phi) centred on the observed cells), exact for
  /// constant fields; test functions without observed cells give no equations.
  WeakForm
};

enum class TimeDifference
{
  Forward, ///< (x[n+1] - x[n]) / dt with the rest at frame n: exact for the explicit scheme
  Central  ///< (x[n+1] - x[n-1]) / (2 dt) with the rest at frame n
};

/// The names of gs::residualMethodNames and gs::timeDifferenceNames (Names.h).
const char* toString(ResidualMethod method);
const char* toString(TimeDifference difference);

/// How the fits take the Laplacian of the data.
enum class Discretisation
{
  /// The solver's stencil (5-point in 2D, 7-point in 3D): exact for this plugin's frames.
  Stencil,
  /// The continuum's derivatives, for frames another solver made (pseudo-spectral, finer
  /// grids, experiments), which never had the stencil's error. Strong forms: the Fourier
  /// Laplacian of the data (Spectral.h's spectralLaplacian; every cell observed). WeakForm:
  /// the test functions' own Laplacian (smoother bumps, (1 - s^2)^12, whose sum over cells is
  /// the integral to about 1e-6 at a support of 16 cells); masks allowed. u and v observed.
  Spectral
};
const char* toString(Discretisation d);

struct ResidualSettings
{
  ResidualMethod method = ResidualMethod::TimeSeries;
  TimeDifference difference = TimeDifference::Forward;
  Discretisation discretisation = Discretisation::Stencil;
  /// Which of (Du, Dv, F, k) to estimate; the others are held at `fixed`.
  std::array<bool, 4> fit = { true, true, true, true };
  Parameters fixed;
  /// Weak form: side of a test function's support in cells (0: the dominant wavelength of v
  /// in the last frame, from the peak of its gradient's power spectrum, 1.5 times that with
  /// unobserved cells; at least 5 and at most the smallest axis - 2) and the number of test
  /// functions per axis (0: centres half a support apart).
  int testFunctionSize = 0;
  int testFunctionsPerAxis = 0;
  /// A direction of parameter space whose singular value (of the column-scaled design matrix)
  /// is below this fraction of the largest is reported as not identifiable. A parameter's
  /// column counts as zero when its norm is below this fraction of the norm it would have
  /// with every field value replaced by |u| + |v| and every sum of terms by the sum of
  /// their magnitudes: it cancelled to round-off (lap of a uniform field) or vanished beside
  /// the data (v decayed to 1e-40 next to u = 1).
  double identifiabilityTolerance = 1e-8;
  /// Variance of the noise on the observed v (0: none), known or from
  /// estimateNoiseVariance(). With noise of variance s on v, u v^2 of the data is biased by
  /// u s (the square of the noise does not average out); the fit subtracts s u from u v^2.
  /// The other noise terms average out or are of higher order.
  double noiseVariance = 0.0;
  /// With noise (noiseVariance > 0), the standard errors come from a parametric bootstrap of
  /// this many replicates (0: the least-squares formula alone). The formula takes the
  /// equations' errors as independent, but one noisy cell enters several stencils and test
  /// functions, and the regressors are noisy themselves; the replicates (the data plus noise
  /// of the same variance, seeded, refitted) carry both. They also measure the noise's bias
  /// and the part of the residual the noise explains. A bias of half to 10 standard errors is
  /// corrected (the estimate less the mean shift, extrapolating to no noise), and a second
  /// round of replicates measures the scatter the correction adds to the standard errors; a
  /// fit biased by more, or whose residual the noise does not explain, claims no interval.
  int intervalReplicates = 40;
  /// noiseVariance is an upper bound (estimateNoiseVariance's, which signal only raises; on one
  /// steady frame it can be a hundred times the truth): the bootstrap lowers it to the variance
  /// at which the noise explains the fit's residual, and fits again with it.
  bool noiseVarianceIsBound = false;

  /// Throws gs::Error naming the field ({testFunctionSize}, {noiseVariance}, {fixed}, ...).
  void validate() const;
};

/// Observed data: frames on one grid at increasing times. Cells marked 0 in `valid` (when
/// given, one flag per cell, shared by all frames) are not observed; fields there are ignored.
struct Observations
{
  Grid grid;
  std::vector<State> frames;
  std::vector<double> times;        ///< one per frame, strictly increasing (any values for Steady)
  std::vector<unsigned char> valid; ///< empty: every cell observed
  /// False when only v is observed (a camera, a microscope, the paper's targets): the frames'
  /// u is never read, and the fits take u as the latent solution of its equation.
  bool uObserved = true;
  /// v holds an intensity a v + b with a, b unknown (a camera's grey level, an 8-bit image; u
  /// unobserved, steady frames): the fits estimate a and b with the parameters, and the noise
  /// variance is the intensity's.
  bool intensity = false;

  /// Appends an observed frame at `time` (its grid must be the first frame's). A cell where v
  /// (or an observed u) is not finite, or where `mask` (one value per cell; may be null) is 0,
  /// is unobserved in every frame. Throws gs::Error when the grids differ.
  void add(State frame, double time, const std::vector<double>* mask = nullptr);
  /// Clears `valid` when every cell is observed (after the last add()).
  void finish();
  /// One frame at time 0, u and v observed (a steady target).
  static Observations oneFrame(const State& frame);
};

struct ResidualFit
{
  static constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
  /// The estimate; NaN for a parameter the data do not determine. Fixed parameters keep their
  /// given values.
  Parameters estimate;
  /// sqrt of the diagonal of sigma^2 (A'A)^-1 over the determined directions, with
  /// sigma^2 = |r|^2 / (equations - rank); with noise, the bootstrap's
  /// (ResidualSettings::intervalReplicates). NaN where not estimated or not determined, or
  /// where no interval is claimed.
  ParameterVector standardError;
  std::array<bool, 4> fitted = {}; ///< estimated (not fixed)
  /// Estimated, determined by the data and plausible (a rate >= 0; the verdict names an
  /// implausible estimate, which keeps its value but no standard error).
  std::array<bool, 4> identifiable = {};
  double residualNorm = 0.0; ///< RMS of the residual over the equations used
  /// From the bootstrap (NaN without one): the mean shift of each estimate when noise of the
  /// data's variance is added (the noise's bias at that variance, to first order), and the
  /// residual's mean square over the part of it the noise explains (about 1 when the model
  /// fits to the noise; larger when the data are not this model as discretised).
  /// The noise variance the fit and its intervals assume: the settings', or the bootstrap's
  /// when it lowered a bound.
  double noiseVariance = 0.0;
  ParameterVector bias = { NaN, NaN, NaN, NaN };
  double misfit = NaN;
  /// With an intensity observed (Observations::intensity): the map intensity = a v + b found,
  /// a = intensityScale, b = intensityOffset; NaN otherwise.
  double intensityScale = NaN;
  double intensityOffset = NaN;
  /// Every fitted parameter is identifiable: an estimate to trust.
  bool complete() const
  {
    return (!fitted[0] || identifiable[0]) && (!fitted[1] || identifiable[1]) &&
      (!fitted[2] || identifiable[2]) && (!fitted[3] || identifiable[3]);
  }
  /// Of the column-scaled design matrix of the fitted parameters, descending (0 for a zero
  /// column).
  std::vector<double> singularValues;
  double conditionNumber = 0.0; ///< largest / smallest singular value (inf if 0)
  std::size_t equations = 0;    ///< rows of the least-squares system
  /// Plain words: "All of Du, Dv, F, k are determined.", or which parameters the data cannot
  /// determine and why: a zero column with its cause ("Du and Dv are not determined: the
  /// fields are uniform, so lap(u) = lap(v) = 0."), or a combination, named by the direction
  /// along which the residual does not change ("... along 0.71 F - 0.71 k"); then which are.
  std::string verdict;
};

/// The closed-form fit. Throws gs::Error for unusable input (no frames, grids or sizes that
/// differ, non-increasing or non-finite times, too few frames for the method, nothing to
/// fit, a non-finite fixed value, a non-finite observed value, too few observed equations).
/// Strong forms: two equations per cell and frame whose stencil (the cell and its
/// neighbours) is observed. Reports progress in frames (total work = number of frames); on
/// abort returns with every fitted parameter NaN and the verdict "Aborted: ...".
/// Deterministic: the same bits for any thread count.
///
/// With u unobserved (data.uObserved false; Method Steady, or WeakForm on one frame, every cell
/// observed; a time series below): at a steady
/// state the u equation Du lap(u) - (v^2 + F) u + F = 0 is linear in u for given (Du, F), a
/// periodic symmetric positive definite system, and with that latent u the v equation is
/// linear in (Dv, k). Variable projection: the closed form in (Dv, k) inside, a coarse search
/// and Levenberg-Marquardt over (log Du, log F) outside, on the residual divided by |u v^2|
/// (raw, it vanishes at the trivial F = 0, u = 0, Dv = k = 0). The errors and the verdict
/// come from the v equation linearised at the estimate. A time series (forward difference, at
/// least 3 frames): where v is not small the v equation gives u = (v_t - Dv lap(v) + (F + k) v)
/// / v^2, and the u equation between consecutive frames is bilinear in (Du, F) and (Dv, F + k):
/// a coarse search, the closed form in (Du, F), then Levenberg-Marquardt.
///
/// With an intensity observed (data.intensity): the fit of v alone at the map v = (I - b) / a
/// that fits best, searched with the parameters (a handful of fits of v alone at trial scales,
/// then Levenberg-Marquardt over the map and (log Du, log F)).
ResidualFit fitResidual(
  const Observations& data, const ResidualSettings& settings, Progress* progress = nullptr);

/// The concentrations an intensity fit found: v = (I - b) / a with the fit's a, b, as v-only
/// observations (for residualFields() and latentU(), which take concentrations).
Observations concentrationOf(const Observations& intensity, const ResidualFit& fit);

/// The residual fields r_u, r_v of the strong form at `p`, one value per cell, at the frames
/// the method uses (the last usable frame for TimeSeries; the last frame for Steady; for
/// WeakForm the forward-difference time series, or steady with one frame). NaN at cells
/// without equations (unobserved, or a stencil neighbour unobserved). With u unobserved, u is
/// latentU() at `p` (so r_u vanishes to the solver's tolerance).
void residualFields(const Observations& data, const ResidualSettings& settings, const Parameters& p,
  std::vector<double>& ru, std::vector<double>& rv);

/// The u the fit with u unobserved takes at `p`, at the frame residualFields() shows: steady,
/// the solution of Du lap(u) - (v^2 - noiseVariance + F) u + F = 0 with the last frame's v;
/// a time series, u from the v equation at the last frame with two after it (NaN where v is
/// below 1e-3 of its largest value or ten noise deviations).
std::vector<double> latentU(
  const Observations& data, const ResidualSettings& settings, const Parameters& p);

/// The residual loss L(p) = mean of r_u^2 + r_v^2 over the equations of the fit, as an exact
/// quadratic form L(p) = p' Q p - 2 b' p + c (over all four parameters, the fixed ones
/// included), so a landscape of it is smooth to round-off. Needs u observed (with v alone the
/// loss is not quadratic: u is latent). Evaluated through the triangular
/// factor R of the system (R'R = m [Q b; b' c]) as |R [p; -1]|^2 / m, which is the same
/// quadratic without the cancellation of its three terms near the minimum.
class ResidualQuadratic
{
public:
  ResidualQuadratic(const Observations& data, const ResidualSettings& settings);
  double evaluate(const Parameters& p) const;
  /// The unconstrained minimiser over the parameters settings.fit marks (others fixed):
  /// fitResidual's estimate, bit for bit, when it makes no bootstrap (noiseVariance or
  /// intervalReplicates 0; NaN where the data do not determine it).
  Parameters minimiser() const;

  /// The form's terms (equal to R'R / m for the triangular factor R of the system).
  const std::array<std::array<double, 4>, 4>& matrix() const { return Q; }
  const std::array<double, 4>& vector() const { return b; }
  double constant() const { return c; }
  /// m: the number of equations the mean is over.
  std::size_t equations() const { return Equations; }

private:
  std::array<std::array<double, 4>, 4> Q{};
  std::array<double, 4> b{};
  double c = 0.0;
  ResidualSettings S;
  /// Upper triangular R with R'R = [A y]'[A y] over (Du, Dv, F, k, right-hand side).
  std::array<std::array<double, 5>, 5> R{};
  std::array<double, 4> Magnitude{};
  std::size_t Equations = 0;
};

/// A robust estimate of the variance of the noise on v, for ResidualSettings::noiseVariance:
/// the median absolute value of differences that annihilate smooth signals, scaled for
/// Gaussian noise: second differences in time over three frames at each observed cell
/// (weights exact for fields linear in time), and the product over the axes of second
/// differences in space (3^d blocks of observed cells). Signal leaks into both and only
/// raises them, so the smaller is returned. Throws gs::Error when neither is available (fewer
/// than three frames and no fully observed block).
double estimateNoiseVariance(const Observations& data);
/// A noise variance as a user gives it: -1 estimates it from `data`, 0 is none, a positive
/// value is known. Throws gs::Error naming {noiseVariance} for anything else.
double noiseVarianceOf(double value, const Observations& data);
/// noiseVarianceOf's rule alone, before there are data.
void checkNoiseVariance(double value);

} // namespace gs
