// The paper's PINN ablation: does a neural network make the parameters findable, or does it
// only complete the data? On the paper's target (its parameters and initial condition, seed
// 0, run to the steady state: change below 1e-4 per step, cap 40,000) with a seeded random
// fraction of the cells observed and noise N(0, sigma^2) on u and v, the parameters are
// recovered by
//   - the residual fit on the raw data (steady strong form on the observed cells' complete
//     stencils, and the weak form on the observed cells; both told the noise variance),
//   - the strong fit after smoothing completion (order 3, lambda 0 up to sigma 1e-3, 0.01
//     above: the residual study's choice),
//   - the strong and the weak fit after neural-field completion (one network, 64 features,
//     2 x 64 tanh units, 2,000 Adam steps: 12,546 weights),
//   - the joint PINN (the same network and the parameters from the paper's start, 2,000 steps).
// Then v alone observed (u never read): the v-only residual fits (the latent u; every cell
// observed) against the joint PINN, whose network must complete u from the physics alone.
// Prints Markdown tables for README (largest relative error over the four parameters, and
// whose) and the run times. Not a test.
//   usage: gs-pinn-ablation [N [FEATURES WIDTH [ROWS [TABLES]]]]
//   (an N x N grid, default 64, the paper's is 128; the network's features and units per
//   layer, default 64 and 64; the first ROWS rows of each table, default all; TABLES "both",
//   "uv" or "v", default both)
#include "Study.h"

#include <gs/Completion.h>
#include <gs/Inversion.h>
#include <gs/NeuralField.h>
#include <gs/Residual.h>
#include <gs/Simulation.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

namespace
{

gs::NeuralFieldSettings network(int features, int width)
{
  gs::NeuralFieldSettings s;
  s.features = features;
  s.featureScale = 0.0; // one cycle per 10 cells
  s.width = width;
  s.hiddenLayers = 2;
  s.iterations = 2000;
  s.learningRate = 5e-3;
  s.finalLearningRate = 5e-5;
  return s;
}

/// The joint PINN on the steady target, the network's training from the paper's start.
gs::InversionSettings pinnSettings(int features, int width)
{
  gs::InversionSettings s;
  s.method = gs::InversionMethod::PINN;
  s.residual.method = gs::ResidualMethod::Steady;
  s.pinn.network = network(features, width);
  return s;
}

/// The score and the seconds `f` took; "failed: ..." when it throws.
std::string timed(const std::function<gs::Parameters()>& f, double& seconds)
{
  const auto t0 = study::Clock::now();
  std::string out;
  try
  {
    out = study::score(f());
  }
  catch (const gs::Error& e)
  {
    out = std::string("failed: ") + e.what();
    if (out.find("too few") != std::string::npos || out.find("equations") != std::string::npos)
    {
      out = "too few equations";
    }
    else if (out.find("every cell of v must be observed") != std::string::npos)
    {
      out = "refused (a mask)";
    }
  }
  seconds = study::since(t0);
  return out;
}

/// The clean target with noise N(0, sigma^2) and a seeded random fraction of the cells observed.
gs::Observations observed(const gs::Observations& clean, double sigma, double fraction)
{
  gs::Observations o = clean;
  if (sigma > 0.0)
  {
    study::addNoise(o, sigma);
  }
  study::observeFraction(o, fraction);
  return o;
}

} // namespace

int main(int argc, char** argv)
{
  const int n = argc > 1 ? std::atoi(argv[1]) : 64;
  const int features = argc > 3 ? std::atoi(argv[2]) : 64,
            width = argc > 3 ? std::atoi(argv[3]) : 64;
  const int maxRows = argc > 4 ? std::atoi(argv[4]) : 12;
  const std::string tables = argc > 5 ? argv[5] : "both";
  if (n < 16 || n > 1024 || features < 1 || features > 1024 || width < 1 || width > 1024 ||
    maxRows < 1 || (tables != "both" && tables != "uv" && tables != "v"))
  {
    std::fprintf(stderr,
      "usage: gs-pinn-ablation [N [FEATURES WIDTH [ROWS [both|uv|v]]]], 16 <= N <= 1024, "
      "1 <= FEATURES, WIDTH <= 1024, ROWS >= 1\n");
    return 2;
  }
  const auto t0 = study::Clock::now();
  gs::Grid grid;
  grid.nx = grid.ny = n;
  gs::State target(grid);
  gs::makeInitialCondition(target, { 0, 0.02, 20 });
  const gs::RunResult run = gs::run(target, gs::Parameters::paperTruth(), { 1.0, 40000, 1e-4 });
  const gs::Observations clean{ grid, { target }, { 0.0 }, {} };

  std::printf(
    "%d x %d, the truth (Du, Dv, F, k) = (0.16, 0.08, 0.035, 0.065), seed 0, steady after %lld "
    "steps; networks of %d features and 2 x %d units.\nLargest relative error over the four "
    "parameters (whose); seconds in brackets for the networks.\n\n",
    n, n, static_cast<long long>(run.steps), features, width);
  if (tables != "v")
  {
    std::printf("| noise sigma | observed | raw, strong | raw, weak | smoothing, strong | neural "
                "field, strong "
                "| neural field, weak | joint PINN |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    double neuralSeconds = 0.0, pinnSeconds = 0.0;
    int rows = 0;
    for (double sigma : { 0.0, 1e-3, 1e-2 })
    {
      for (double fraction : { 1.0, 0.5, 0.25, 0.1 })
      {
        if (rows == maxRows)
        {
          break;
        }
        const gs::Observations o = observed(clean, sigma, fraction);
        gs::ResidualSettings strong, weak;
        strong.method = gs::ResidualMethod::Steady;
        weak.method = gs::ResidualMethod::WeakForm;
        double seconds = 0.0;

        gs::ResidualSettings told = strong;
        told.noiseVariance = sigma * sigma;
        const std::string rawStrong =
          timed([&] { return gs::fitResidual(o, told).estimate; }, seconds);
        told = weak;
        told.noiseVariance = sigma * sigma;
        const std::string rawWeak =
          timed([&] { return gs::fitResidual(o, told).estimate; }, seconds);

        const double lambda = sigma > 1e-3 ? 0.01 : 0.0;
        const std::string smoothing = timed(
          [&] {
            return gs::fitResidual(gs::complete(o, gs::smoothingCompleter(lambda, 3)), strong)
              .estimate;
          },
          seconds);

        gs::Observations field;
        double trained = 0.0;
        const std::string neuralStrong = timed(
          [&] {
            field = gs::completeWithNeuralField(o, network(features, width));
            return gs::fitResidual(field, strong).estimate;
          },
          trained);
        const std::string neuralWeak =
          timed([&] { return gs::fitResidual(field, weak).estimate; }, seconds);

        double joint = 0.0;
        const std::string pinnScore =
          timed([&] { return gs::invert(o, pinnSettings(features, width)).estimate; }, joint);

        std::printf("| %g | %.0f%% | %s | %s | %s | %s [%.0f s] | %s | %s [%.0f s] |\n", sigma,
          100.0 * fraction, rawStrong.c_str(), rawWeak.c_str(), smoothing.c_str(),
          neuralStrong.c_str(), trained, neuralWeak.c_str(), pinnScore.c_str(), joint);
        std::fflush(stdout);
        neuralSeconds += trained;
        pinnSeconds += joint;
        ++rows;
      }
    }
    std::printf("\nMean time per row: neural-field completion %.0f s, joint PINN %.0f s.\n",
      neuralSeconds / rows, pinnSeconds / rows);
  }


  if (tables != "uv")
  {
    std::printf(
      "\nv alone observed (u never read).\n\n"
      "| noise sigma | observed | raw, steady (latent u) | raw, weak (latent u) | joint PINN "
      "(u from the physics) |\n|---|---|---|---|---|\n");
    int rows = 0;
    for (double sigma : { 0.0, 1e-3, 1e-2 })
    {
      for (double fraction : { 1.0, 0.5 })
      {
        if (rows == maxRows)
        {
          break;
        }
        gs::Observations o = observed(clean, sigma, fraction);
        o.uObserved = false;
        double seconds = 0.0;
        gs::ResidualSettings told;
        told.noiseVariance = sigma * sigma;
        told.method = gs::ResidualMethod::Steady;
        const std::string steady =
          timed([&] { return gs::fitResidual(o, told).estimate; }, seconds);
        told.method = gs::ResidualMethod::WeakForm;
        const std::string weak = timed([&] { return gs::fitResidual(o, told).estimate; }, seconds);
        double joint = 0.0;
        const std::string pinnScore =
          timed([&] { return gs::invert(o, pinnSettings(features, width)).estimate; }, joint);
        std::printf("| %g | %.0f%% | %s | %s | %s [%.0f s] |\n", sigma, 100.0 * fraction,
          steady.c_str(), weak.c_str(), pinnScore.c_str(), joint);
        std::fflush(stdout);
        ++rows;
      }
    }
  }
  std::printf("\nTotal %.0f s.\n", study::since(t0));
  return 0;
}
