// The residual fit's standard errors from a parametric bootstrap. The least-squares formula
// sigma^2 (A'A)^-1 takes the equations' errors as independent and the regressors as exact;
// on noisy data neither holds (one cell enters five stencils and dozens of test functions;
// lap(v) and the time differences of noisy frames are noisy regressors). Each replicate adds
// noise of the data's variance to the data and refits: the spread of the replicates' estimates
// is the estimate's, their mean shift the noise's bias, and the residual they add the part
// the noise explains.
#include "Random.h"
#include "ResidualSystem.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace gs
{
namespace residual
{
namespace
{
/// A bias of up to this many standard errors is corrected: the estimate less the replicates'
/// mean shift (simulation extrapolation to no noise, linear in the noise variance). What is
/// left is the extrapolation's curvature, about twice the regressors' noise-to-signal variance
/// ratio times the bias (1e-2 of it for lap(v) at sigma = 1e-3 on the paper's pattern), and
/// the noise variance's error times the bias: together a few tenths of a standard error here.
/// A larger bias leaves no interval.
constexpr double BiasLimit = 10.0;
/// A bias below this many standard errors everywhere is left: it costs a 95% interval little
/// (92% at half a standard error) and is near the replicates' own scatter of the mean shift
/// (0.16 standard errors at 40 replicates), which a correction would add.
constexpr double CorrectedBias = 0.5;
/// The residual's mean square may exceed the part the noise explains by this share, or three
/// times its scatter if larger, before the model is taken not to fit the data (the noise
/// variance may be off by tens of per cent).
constexpr double MisfitMargin = 0.5;
/// Replicates whose refit cannot determine a parameter, beyond this share, leave it without
/// an interval: the noise moves the fit off its basin.
constexpr double LostShare = 0.1;
/// With v alone, noise of a standard deviation above this share of v's range leaves no
/// interval: the latent u makes the noise's bias nonlinear, and the replicates' shift (from
/// the data's noise to twice it) then no longer measures it. On the paper's steady target
/// (gs-coverage-study, 40 replicates) the weak form's intervals cover 92-95% at 0.29% of the
/// range, but Dv only 70% at 0.86%, and 0-40% at 2.9%; the limit lies between.
constexpr double VAloneNoiseShare = 0.005;
/// The replicates' seed: a hash of the data's bits. The same data give the same intervals,
/// and different data different replicates: with one fixed set of replicates for all data,
/// its own sampling error (a tenth of a standard error at 40) would be the same everywhere,
/// a bias of every interval instead of a scatter.
std::uint64_t seedOf(const Observations& data)
{
  std::uint64_t h = 0x6273747270ull;
  for (const State& x : data.frames)
  {
    for (std::size_t i = 0; i < x.v.size(); ++i)
    {
      std::uint64_t b;
      std::memcpy(&b, &x.v[i], sizeof b);
      h = mixSeed(h, b);
    }
  }
  return h;
}

/// max v - min v over every frame's observed cells (infinite when v is uniform, so that no
/// noise is too much for it).
double valueRange(const Observations& data)
{
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const State& x : data.frames)
  {
    for (std::size_t i = 0; i < x.v.size(); ++i)
    {
      if (data.valid.empty() || data.valid[i])
      {
        lo = std::min(lo, x.v[i]);
        hi = std::max(hi, x.v[i]);
      }
    }
  }
  return hi > lo ? hi - lo : std::numeric_limits<double>::infinity();
}

/// The data plus N(0, s) on v, and on u when it is observed, replicate r's own stream.
Observations withNoise(const Observations& data, double s, std::uint64_t seed, int r)
{
  Observations out = data;
  const double sigma = std::sqrt(s);
  for (std::size_t f = 0; f < out.frames.size(); ++f)
  {
    Random rng(mixSeed(seed, static_cast<std::uint64_t>(r)), f);
    State& x = out.frames[f];
    for (std::size_t i = 0; i < x.v.size(); ++i)
    {
      double a, b;
      rng.normalPair(a, b);
      x.v[i] += sigma * a;
      if (data.uObserved)
      {
        x.u[i] += sigma * b;
      }
    }
  }
  return out;
}

/// The second round of replicates' stream, apart from the first's.
constexpr std::uint64_t SecondRound = 0x7365636f6e64ull;

/// How much the bias correction widens parameter j's scatter. The corrected estimate is
/// 2 g(y) - m(y), with g the fit of the data y and m(y) the replicates' mean; where m follows
/// g with a slope beta along the noise's direction, its scatter is (2 - beta) times g's. For a
/// fit linear in the noise beta = 1, but the latent u's fit (v alone) shrinks the replicates'
/// response: on the paper's steady target at sigma = 1e-4 the corrected estimates scattered
/// 1.17-1.26 times the replicates' standard error (coverage 89-93%). beta is the regression
/// slope of a second round of replicates (each first-round replicate plus noise once more) on
/// the first round's estimates (sampling error about 1 / sqrt(replicates)); the result keeps
/// at least the plain scatter and the mean shift's own sampling error.
double correctionScatter(
  const std::vector<ResidualFit>& first, const std::vector<ResidualFit>& second, std::size_t j)
{
  double count = 0.0, a = 0.0, b = 0.0;
  for (std::size_t r = 0; r < first.size(); ++r)
  {
    if (std::isfinite(first[r].estimate[j]) && std::isfinite(second[r].estimate[j]))
    {
      count += 1.0;
      a += first[r].estimate[j];
      b += second[r].estimate[j];
    }
  }
  if (count < std::max(3.0, (1.0 - LostShare) * static_cast<double>(first.size())))
  {
    return std::numeric_limits<double>::quiet_NaN(); // too many replicates lost: no interval
  }
  a /= count;
  b /= count;
  double sab = 0.0, saa = 0.0;
  for (std::size_t r = 0; r < first.size(); ++r)
  {
    if (std::isfinite(first[r].estimate[j]) && std::isfinite(second[r].estimate[j]))
    {
      sab += (first[r].estimate[j] - a) * (second[r].estimate[j] - b);
      saa += (first[r].estimate[j] - a) * (first[r].estimate[j] - a);
    }
  }
  const double beta = saa > 0.0 ? sab / saa : 1.0;
  const double widen = std::max(1.0, 2.0 - beta);
  // standardError holds sqrt(var (1 + 1/count)); the corrected one sqrt(var (widen^2 + 1/count)).
  return std::sqrt((widen * widen + 1.0 / count) / (1.0 + 1.0 / count));
}

} // namespace

double bootstrap(const Observations& data, const ResidualSettings& S, ResidualFit& fit,
  Progress* progress, bool probe)
{
  const bool any =
    fit.identifiable[0] || fit.identifiable[1] || fit.identifiable[2] || fit.identifiable[3];
  if (!any || (progress && progress->aborted()))
  {
    return S.noiseVariance;
  }
  const int n = S.intervalReplicates;
  const ResidualFit from = fit; // the replicates' start (with u unobserved)
  const std::uint64_t seed = seedOf(data);
  // Half the progress for the replicates, half for the second round (when a bias is corrected).
  const double step = progress ? progress->total() / (2 * n) : 0.0;
  // Round 1: the data plus noise of its variance (twice the data's noise, fitted knowing it);
  // round 2: each replicate of round 1 plus noise once more.
  const auto replicates = [&](int round) {
    ResidualSettings Sr = S;
    Sr.noiseVariance = (1.0 + round) * S.noiseVariance;
    Sr.intervalReplicates = 0;
    std::vector<ResidualFit> out(static_cast<std::size_t>(n));
    tbb::parallel_for(tbb::blocked_range<int>(0, n, 1), [&](const tbb::blocked_range<int>& range) {
      for (int r = range.begin(); r != range.end(); ++r)
      {
        if (progress && progress->aborted())
        {
          return;
        }
        Observations o = withNoise(data, S.noiseVariance, seed, r);
        if (round == 2)
        {
          o = withNoise(o, S.noiseVariance, mixSeed(seed, SecondRound), r);
        }
        out[static_cast<std::size_t>(r)] = refit(o, Sr, nullptr, data.uObserved ? nullptr : &from);
        if (progress)
        {
          progress->add(step);
        }
      }
    });
    return out;
  };
  const auto aborted = [&] {
    const double variance = fit.noiseVariance;
    fit = FitProgress(progress, 1.0, 1.0).abortedFit(S);
    fit.noiseVariance = variance;
    return S.noiseVariance;
  };
  // Only the thread that made the Progress hears its callback: a report of no work from here
  // asks it, so that an Abort during the replicates is seen.
  const auto abortAsked = [&] {
    if (progress)
    {
      progress->add(0.0);
    }
    return progress && progress->aborted();
  };
  const std::vector<ResidualFit> reps = replicates(1);
  if (abortAsked())
  {
    return aborted();
  }

  // Sums in replicate order: the same bits for any thread count.
  double meanSquare = 0.0;
  for (const ResidualFit& r : reps)
  {
    meanSquare += r.residualNorm * r.residualNorm / n;
  }
  const double own = fit.residualNorm * fit.residualNorm;
  const double explained = meanSquare - own; // the noise's part: replicates carry it twice
  fit.misfit = explained > 0.0 ? own / explained : std::numeric_limits<double>::infinity();
  // The residual's mean square scatters from one noise to the next by about as much as the
  // replicates' do (a weak form has few independent equations: tens of per cent).
  double spread = 0.0;
  for (const ResidualFit& r : reps)
  {
    const double d = r.residualNorm * r.residualNorm - meanSquare;
    spread += d * d / (n - 1);
  }
  const double scatter = explained > 0.0 ? std::sqrt(spread) / explained : 0.0;
  const double misfitLimit = 1.0 + std::max(MisfitMargin, 3.0 * scatter);
  // The variance at which the noise explains the residual (residual mean squares scale with
  // it), when below the settings': an overestimated variance biases the estimate itself
  // through its u v^2 correction.
  const double supported = S.noiseVariance * std::min(1.0, fit.misfit);

  std::vector<std::string> biased, lost;
  for (std::size_t j = 0; j < parameterCount; ++j)
  {
    if (!fit.identifiable[j])
    {
      continue;
    }
    double mean = 0.0, count = 0.0;
    for (const ResidualFit& r : reps)
    {
      if (std::isfinite(r.estimate[j]))
      {
        mean += r.estimate[j] - fit.estimate[j];
        count += 1.0;
      }
    }
    if (count < (1.0 - LostShare) * n)
    {
      lost.push_back(parameterName(j));
      fit.standardError[j] = NaN;
      continue;
    }
    mean /= count;
    double var = 0.0;
    for (const ResidualFit& r : reps)
    {
      if (std::isfinite(r.estimate[j]))
      {
        const double d = r.estimate[j] - fit.estimate[j] - mean;
        var += d * d / (count - 1.0);
      }
    }
    fit.bias[j] = mean;
    // The estimate's own scatter, and the mean shift's from the finite replicates.
    fit.standardError[j] = std::sqrt(var * (1.0 + 1.0 / count));
    if (std::fabs(mean) > BiasLimit * fit.standardError[j])
    {
      biased.push_back(
        parameterName(j) + std::string(" by ") + formatNumber(mean / fit.standardError[j], "%.1f"));
    }
  }

  std::string why;
  const std::string variance = formatNumber(S.noiseVariance, "%.2g");
  const double share = data.uObserved ? 0.0 : std::sqrt(S.noiseVariance) / valueRange(data);
  const bool tooNoisy = share > VAloneNoiseShare;
  if (tooNoisy)
  {
    why = "Too noisy for intervals with v alone: noise of standard deviation " +
      formatNumber(std::sqrt(S.noiseVariance), "%.2g") + " is " +
      formatNumber(100.0 * share, "%.2g") + "% of v's range, beyond the " +
      formatNumber(100.0 * VAloneNoiseShare, "%.2g") +
      "% up to which the bootstrap's intervals were found to hold with u latent, so no "
      "interval is claimed, and the estimate may stay biased after the correction below. "
      "Observe u as well, or average frames to lower the noise.";
  }
  else if (!biased.empty())
  {
    std::string list;
    for (std::size_t a = 0; a < biased.size(); ++a)
    {
      list += (a == 0 ? "" : a + 1 == biased.size() ? " and " : ", ") + biased[a];
    }
    why = "Biased by noise: noise of variance " + variance + " moves " + list +
      " standard errors on average (bootstrap), too far to correct, so no interval is "
      "claimed. " +
      (S.method == ResidualMethod::WeakForm
          ? "Use larger test functions (TestFunctionSize), more frames, or less noisy data."
          : "Use WeakForm, which takes no derivative of the data.");
  }
  else if (fit.misfit > misfitLimit)
  {
    why = "Not this model to the noise: the residual's mean square is " +
      formatNumber(fit.misfit, "%.3g") + " times what noise of variance " + variance +
      " explains, so the data are not this model as the fit discretises it (frames too far "
      "apart for the time difference, another solver's frames: Discretisation Spectral or "
      "WeakForm, or too small a noise variance), and no interval is claimed.";
  }
  else if (!lost.empty())
  {
    std::string list;
    for (std::size_t a = 0; a < lost.size(); ++a)
    {
      list += (a == 0 ? "" : a + 1 == lost.size() ? " and " : ", ") + lost[a];
    }
    why = "Unstable under noise: " + list +
      " not determined in more than a tenth of the bootstrap's replicates, so no interval "
      "is claimed for them.";
  }
  const bool claims = biased.empty() && !(fit.misfit > misfitLimit);
  bool significant = false;
  for (std::size_t j = 0; j < parameterCount && claims; ++j)
  {
    fit.identifiable[j] = fit.identifiable[j] && std::isfinite(fit.standardError[j]);
    significant = significant ||
      (fit.identifiable[j] && std::fabs(fit.bias[j]) > CorrectedBias * fit.standardError[j]);
  }
  // The second round where a corrected estimate claims an interval; else its share of the
  // progress at once.
  const bool secondRound = significant && !tooNoisy && !probe;
  const std::vector<ResidualFit> second = secondRound ? replicates(2) : std::vector<ResidualFit>();
  if (progress && !secondRound)
  {
    progress->add(step * n);
  }
  if (abortAsked())
  {
    return aborted();
  }
  if (!claims)
  {
    fit.standardError = { NaN, NaN, NaN, NaN };
    fit.identifiable = {};
  }
  else
  {
    std::string corrected;
    if (significant)
    {
      for (std::size_t j = 0; j < parameterCount; ++j)
      {
        if (fit.identifiable[j])
        {
          fit.estimate[j] -= fit.bias[j];
          fit.standardError[j] *= secondRound ? correctionScatter(reps, second, j) : 1.0;
          if (!std::isfinite(fit.standardError[j]))
          {
            fit.identifiable[j] = false; // the second round lost too many replicates
          }
          corrected += (corrected.empty() ? "" : ", ") + std::string(parameterName(j)) + " by " +
            formatNumber(-fit.bias[j], "%+.2g");
        }
      }
    }
    if (!corrected.empty())
    {
      why += (why.empty() ? "" : " ") + std::string("Corrected for the noise's bias: ") +
        corrected + " (the mean shift of the bootstrap's replicates" +
        (secondRound ? "; the standard errors include the correction's own scatter)." : ").");
    }
    if (tooNoisy)
    {
      // The correction still helps the estimate (at 0.67% of the range Du's mean error is 11%
      // without it, 1.5% with it), but no interval is claimed.
      fit.standardError = { NaN, NaN, NaN, NaN };
      fit.identifiable = {};
    }
  }
  if (!why.empty())
  {
    fit.verdict = why + " " + fit.verdict;
  }
  return supported;
}

} // namespace residual
} // namespace gs
