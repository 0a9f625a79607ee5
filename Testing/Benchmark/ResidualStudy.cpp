// Parameter recovery from the residual against noise and sparsity, on the paper's target
// setting: 128 x 128, the truth, the paper's initial condition (seed 0), a 10-frame time series
// from step T0 with frames S steps apart (dt = 1). Noise N(0, sigma^2) on u and v of every
// frame and observed cell from our own gs::Random; the observed cells are a seeded random
// fraction, the same in every frame. Prints a Markdown table for README and the run time.
// Not a test.
//   usage: gs-residual-study [S [T0]]   (default 20 10000)
// Columns: the strong form (time series, forward difference) on the observed cells' complete
// stencils; the strong form after completing every frame by smoothingCompleter with the
// gradient penalty and with order 3 (whenever the data are noisy or sparse); the weak form
// on the observed cells with the noise variance from estimateNoiseVariance; and, for sparse
// data, the weak form after an order-2 completion.
#include "Study.h"

#include <gs/Completion.h>
#include <gs/Random.h>
#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace
{

/// lambda for the completion by hold-out: 10% of the observed cells of the middle frame are
/// hidden, u and v completed from the rest, and the lambda that predicts them best is kept.
double chooseLambda(const gs::Observations& o, int order)
{
  const gs::State& s = o.frames[o.frames.size() / 2];
  const std::size_t n = o.grid.cells();
  std::vector<unsigned char> fit = o.valid.empty() ? std::vector<unsigned char>(n, 1) : o.valid;
  std::vector<unsigned char> held(n, 0);
  gs::Random r(3000, 0);
  for (std::size_t i = 0; i < n; ++i)
  {
    if (fit[i] && r.uniform() < 0.1)
    {
      fit[i] = 0;
      held[i] = 1;
    }
  }
  double best = 0.0, bestErr = HUGE_VAL;
  for (double lambda : { 0.0, 1e-4, 1e-3, 1e-2, 1e-1, 1.0 })
  {
    const gs::Completer c = gs::smoothingCompleter(lambda, order);
    const std::vector<double> u = c(o.grid, s.u, fit), v = c(o.grid, s.v, fit);
    double err = 0.0;
    for (std::size_t i = 0; i < n; ++i)
    {
      if (held[i])
      {
        err += (u[i] - s.u[i]) * (u[i] - s.u[i]) + (v[i] - s.v[i]) * (v[i] - s.v[i]);
      }
    }
    if (err < bestErr)
    {
      bestErr = err;
      best = lambda;
    }
  }
  return best;
}

} // namespace

int main(int argc, char** argv)
{
  using namespace study;
  const long spacing = argc > 1 ? std::atol(argv[1]) : 20;
  const long start = argc > 2 ? std::atol(argv[2]) : 10000;
  const auto t0 = Clock::now();
  const gs::Observations clean = paperSeries(start, spacing, 10);
  const double simulation = since(t0);

  std::printf("128 x 128, the truth (Du, Dv, F, k) = (0.16, 0.08, 0.035, 0.065), seed 0; frames "
              "at steps %ld, %ld, ..., %ld (dt = 1).\n",
    start, start + spacing, start + 9 * spacing);
  std::printf("Largest relative error over the four parameters (whose); completions with lambda "
              "chosen by hold-out (in brackets).\n\n");
  std::printf("| noise sigma | observed | strong, observed stencils | strong, gradient completion "
              "| strong, order-3 completion | weak, observed cells | weak, order-2 completion |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (double sigma : { 0.0, 1e-4, 1e-3, 1e-2, 5e-2 })
  {
    for (double fraction : { 1.0, 0.5, 0.25 })
    {
      gs::Observations o = clean;
      if (sigma > 0.0)
      {
        addNoise(o, sigma);
      }
      observeFraction(o, fraction);
      const gs::ResidualSettings strong; // time series, forward difference
      gs::ResidualSettings weak;
      weak.method = gs::ResidualMethod::WeakForm;
      weak.noiseVariance = gs::estimateNoiseVariance(o);
      const bool completion = sigma > 0.0 || fraction < 1.0;

      std::string direct;
      try
      {
        direct = score(gs::fitResidual(o, strong));
      }
      catch (const gs::Error&)
      {
        direct = "too few equations";
      }
      // The strong form after completion (u_t from the completed frames).
      auto completed = [&](int order, gs::Observations& c) {
        const double lambda = chooseLambda(o, order);
        c = gs::complete(o, gs::smoothingCompleter(lambda, order));
        char buf[32];
        std::snprintf(buf, sizeof buf, " [%g]", lambda);
        return score(gs::fitResidual(c, strong)) + buf;
      };
      std::string gradient = "-", third = "-", weakCompleted = "-";
      if (completion)
      {
        gs::Observations c;
        gradient = completed(1, c);
        third = completed(3, c);
      }
      if (fraction < 1.0)
      {
        gs::Observations c;
        const double lambda = chooseLambda(o, 2);
        c = gs::complete(o, gs::smoothingCompleter(lambda, 2));
        char buf[32];
        std::snprintf(buf, sizeof buf, " [%g]", lambda);
        gs::ResidualSettings w = weak;
        w.noiseVariance = 0.0; // smoothed by the completion
        weakCompleted = score(gs::fitResidual(c, w)) + buf;
      }
      std::printf("| %g | %.0f%% | %s | %s | %s | %s | %s |\n", sigma, 100.0 * fraction,
        direct.c_str(), gradient.c_str(), third.c_str(), score(gs::fitResidual(o, weak)).c_str(),
        weakCompleted.c_str());
      std::fflush(stdout);
    }
  }
  std::printf("\nSimulation %.1f s; total %.1f s.\n", simulation, since(t0));
  return 0;
}
