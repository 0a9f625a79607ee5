// The shooting horizon, from one step (the residual's quadratic) to the paper's unroll, on
// 128 x 128 steady targets: spots at the paper's truth, stripes, and a pattern next to the cliff at
// k = 0.056. For each, the (F, k) landscape of the pixel horizon loss over the paper's window at K
// = 1 to 10,000 (log-spaced): the share of flat points along F, the largest cliff, the blow-ups;
// and the target's slowest relaxation multipliers (the linearised step's leading eigenvalues) with
// the steps they take to decay by e. Then the shooting inversion from the paper's start on the
// paper's target, clean and with noise on one steady snapshot, against the residual fits; and
// the time of a 25 x 25 x 8 (F, k, K) landscape at 64 x 64 up to K = 10,000. Prints Markdown
// tables. Not a test.
//   usage: gs-horizon-study [resolution]   (default 21 points per axis)
//          gs-horizon-study volume         (the volume's time alone)
#include "Study.h"

#include <gs/Inversion.h>
#include <gs/LandscapeSweep.h>
#include <gs/Relaxation.h>
#include <gs/Shooting.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

namespace
{

struct Target
{
  const char* name;
  double F, k;
};

/// The pattern at p from the paper's initial condition, run on until steady to 1e-10 per step
/// or for 2,000,000 steps (spots glide on: their slowest modes take 1e7-1e8 steps).
gs::State steadyPattern(const gs::Parameters& p, gs::RunResult& run)
{
  gs::State s(gs::Grid{});
  gs::makeInitialCondition(s, { 0, 0.02, 20 });
  run = gs::run(s, p, { 1.0, 2000000, 1e-10 });
  return s;
}

struct SliceStatistics
{
  double flat = 0.0;  ///< share of F neighbours whose loss changes by < 1e-3 of the range
  double cliff = 0.0; ///< largest neighbour jump (F or k) over the range
  int blowUps = 0;
};

/// Over one K slice of n x n points (x fastest) of `loss`.
SliceStatistics statistics(const std::vector<double>& loss, std::size_t offset, int n)
{
  SliceStatistics s;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int i = 0; i < n * n; ++i)
  {
    const double l = loss[offset + i];
    if (!std::isfinite(l))
    {
      ++s.blowUps;
      continue;
    }
    lo = std::min(lo, l);
    hi = std::max(hi, l);
  }
  const double range = hi - lo;
  int flat = 0, pairs = 0;
  for (int y = 0; y < n; ++y)
  {
    for (int x = 0; x < n; ++x)
    {
      const double l = loss[offset + x + n * y];
      const double right = x + 1 < n ? loss[offset + x + 1 + n * y] : std::nan("");
      const double up = y + 1 < n ? loss[offset + x + n * (y + 1)] : std::nan("");
      if (std::isfinite(l) && std::isfinite(right))
      {
        ++pairs;
        flat += std::fabs(right - l) < 1e-3 * range;
        s.cliff = std::max(s.cliff, std::fabs(right - l) / range);
      }
      if (std::isfinite(l) && std::isfinite(up))
      {
        s.cliff = std::max(s.cliff, std::fabs(up - l) / range);
      }
    }
  }
  s.flat = pairs ? static_cast<double>(flat) / pairs : 0.0;
  return s;
}

void landscapes(int n)
{
  const Target targets[] = { { "spots at the truth", 0.035, 0.065 }, { "stripes", 0.04, 0.06 },
    { "next to the k = 0.056 cliff", 0.035, 0.057 } };
  const int nk = 9; // K = 1, 3, 10, 32, ..., 10,000
  for (const Target& t : targets)
  {
    gs::Parameters p = gs::Parameters::paperTruth();
    p.F = t.F;
    p.k = t.k;
    const study::Clock::time_point t0 = study::Clock::now();
    gs::RunResult run;
    const gs::State target = steadyPattern(p, run);
    std::printf("\n### Target: %s (F = %.4f, k = %.4f): %s after %lld steps, last change %.1e "
                "per step\n\n",
      t.name, t.F, t.k, gs::toString(gs::classify(target, run.status, run.lastChange, {})),
      static_cast<long long>(run.steps), run.lastChange);

    gs::RelaxationSettings rs;
    const gs::RelaxationResult modes = gs::relaxationModes(target, p, 1.0, rs);
    std::printf("Slowest multipliers of the linearised step (%s after %d iterations):\n\n",
      modes.converged ? "converged" : "not converged", modes.iterations);
    std::printf("| mode | multiplier | steps to decay by e | residual |\n|---|---|---|---|\n");
    for (std::size_t i = 0; i < modes.multipliers.size(); ++i)
    {
      const std::complex<double> mu = modes.multipliers[i];
      std::printf("| %zu | %.8f%+.2ei | %.4g | %.1e |\n", i + 1, mu.real(), mu.imag(),
        gs::RelaxationResult::relaxationSteps(mu), modes.residuals[i]);
    }

    gs::LandscapeSettings s;
    s.truth = p;
    s.axes[0] = { 2, 0.03, 0.07, n };
    s.axes[1] = { 3, 0.053, 0.068, n };
    s.axes[2] = { gs::LandscapeAxis::Horizon, 1.0, 10000.0, nk };
    s.losses = { gs::LossKind::Pixel };
    s.loss.includeU = true;
    const gs::Observations observed = gs::Observations::oneFrame(target);
    gs::LandscapeRequest request;
    request.observed = &observed;
    request.extent = { 0, n - 1, 0, n - 1, 0, nk - 1 };
    gs::LandscapeImage image;
    gs::LandscapeSweep().compute(s, request, image);
    std::printf("\nThe pixel horizon loss over F 0.03-0.07, k 0.053-0.068 (%d x %d):\n\n", n, n);
    std::printf("| K | flat along F | largest cliff / range | blow-ups |\n|---|---|---|---|\n");
    for (int z = 0; z < nk; ++z)
    {
      const SliceStatistics st =
        statistics(image.losses[0], static_cast<std::size_t>(z) * n * n, n);
      std::printf("| %.0f | %.0f%% | %.3f | %d |\n", s.axes[2].value(z), 100.0 * st.flat, st.cliff,
        st.blowUps);
    }
    std::printf("\n(%.0f s)\n", study::since(t0));
  }
}

void inversions()
{
  gs::RunResult run;
  const gs::State target = steadyPattern(gs::Parameters::paperTruth(), run);
  const gs::Parameters start{ 0.1269280110429725, 0.1269280110429725, 0.05, 0.05 };
  std::printf("\n### Inversion from the paper's start, one steady snapshot of the paper's target "
              "(u and v after %lld steps, last change %.1e per step)\n\n",
    static_cast<long long>(run.steps), run.lastChange);
  std::printf("| sigma | the paper's descent | hybrid | residual fit, Steady | residual fit, "
              "WeakForm | shooting to K = 1,000 | shooting to K = 4,000 | v alone: shooting to "
              "K = 1,000 |\n"
              "|---|---|---|---|---|---|---|---|\n");
  for (double sigma : { 0.0, 1e-3, 1e-2 })
  {
    gs::Observations o = gs::Observations::oneFrame(target);
    if (sigma > 0.0)
    {
      study::addNoise(o, sigma);
    }
    std::printf("| %g |", sigma);
    // The paper's descent (its start, SGD on logps through 40,000 unrolled steps, a batch of 4
    // seeds, 100 iterations) and the hybrid (the steady residual fit, then 10 monotone steps
    // of the same descent at a tenth of the rate), as Scripts/paper_inversion.py runs them.
    for (gs::InversionMethod m : { gs::InversionMethod::Gradient, gs::InversionMethod::Hybrid })
    {
      gs::InversionSettings is;
      is.method = m;
      is.initialCondition.seed = 1;
      is.residual.method = gs::ResidualMethod::Steady;
      is.residual.intervalReplicates = 0;
      if (m == gs::InversionMethod::Hybrid)
      {
        is.iterations = 10;
        is.learningRate = 1e-3;
      }
      const study::Clock::time_point t0 = study::Clock::now();
      const gs::InversionResult r = gs::invert(o, is);
      std::printf(" %s, %.0f s |", study::score(r.estimate).c_str(), study::since(t0));
      std::fflush(stdout);
    }
    for (gs::ResidualMethod m : { gs::ResidualMethod::Steady, gs::ResidualMethod::WeakForm })
    {
      gs::ResidualSettings rs;
      rs.method = m;
      rs.intervalReplicates = 0;
      std::printf(" %s |", study::score(gs::fitResidual(o, rs)).c_str());
    }
    for (std::int64_t K : { 1000, 4000 })
    {
      gs::ShootingSettings ss;
      ss.finalHorizon = K;
      const study::Clock::time_point t0 = study::Clock::now();
      const gs::ShootingResult r = gs::fitByShooting(o, start, ss);
      std::printf(" %s%s, %.0f s |", study::score(r.estimate).c_str(),
        r.horizon == K ? "" : (" (stopped at K = " + std::to_string(r.horizon) + ")").c_str(),
        study::since(t0));
    }
    {
      // v alone: the start's u latent (Horizon.h); with noise a frozen v is the loss's floor.
      gs::Observations v = o;
      v.uObserved = false;
      gs::ShootingSettings ss;
      ss.finalHorizon = 1000;
      const study::Clock::time_point t0 = study::Clock::now();
      const gs::ShootingResult r = gs::fitByShooting(v, start, ss);
      const gs::ShootingRow& last = r.history.back();
      std::printf(" %s%s, %.0f s |",
        study::score(r.horizon > 0 ? r.estimate : last.estimate).c_str(),
        r.horizon == ss.finalHorizon
          ? ""
          : (" (stage " + std::to_string(last.stage) + " unsettled, at its last step)").c_str(),
        study::since(t0));
    }
    std::printf("\n");
  }
}

void volumeTiming()
{
  std::int64_t steps = 0;
  gs::State target(gs::Grid{ 64, 64, 1, 1.0, 1.0, 1.0 });
  gs::makeInitialCondition(target, { 0, 0.02, 20 });
  steps = gs::run(target, gs::Parameters::paperTruth(), { 1.0, 40000, 1e-4 }).steps;
  gs::LandscapeSettings s;
  s.grid = target.grid;
  s.axes[0] = { 2, 0.03, 0.07, 25 };
  s.axes[1] = { 3, 0.053, 0.068, 25 };
  s.axes[2] = { gs::LandscapeAxis::Horizon, 1.0, 10000.0, 8 };
  s.losses = { gs::LossKind::Pixel, gs::LossKind::LogPS };
  s.loss.includeU = true;
  const gs::Observations observed = gs::Observations::oneFrame(target);
  gs::LandscapeRequest request;
  request.observed = &observed;
  request.extent = { 0, 24, 0, 24, 0, 7 };
  gs::LandscapeImage image;
  const study::Clock::time_point t0 = study::Clock::now();
  gs::LandscapeSweep().compute(s, request, image);
  double cells = 0.0;
  for (std::size_t index : image.points)
  {
    cells += static_cast<double>(gs::Landscape::stepsAt(s, index)) * 64 * 64;
  }
  const double seconds = study::since(t0);
  std::printf("\nA 25 x 25 x 8 (F, k, K) landscape at 64 x 64, K = 1 to 10,000 (pixel and logps, "
              "target steady to 1e-4 after %lld steps): %.1f s, %.2e cell updates/s\n",
    static_cast<long long>(steps), seconds, cells / seconds);
}

} // namespace

int main(int argc, char** argv)
{
  // "volume" times the (F, k, K) landscape alone (README's performance table); "inversions"
  // runs the inversions' table alone.
  if (argc > 1 && std::strcmp(argv[1], "volume") == 0)
  {
    volumeTiming();
    return 0;
  }
  if (argc > 1 && std::strcmp(argv[1], "inversions") == 0)
  {
    inversions();
    return 0;
  }
  const int n = argc > 1 ? std::atoi(argv[1]) : 21;
  if (n < 2)
  {
    std::fprintf(stderr, "usage: gs-horizon-study [resolution >= 2 | volume | inversions]\n");
    return 1;
  }
  volumeTiming();
  inversions();
  landscapes(n);
  return 0;
}
