// Frames another solver made: the fits on a Fourier pseudo-spectral ETDRK4 solver's frames (the
// discretisation The Well uses), with this solver's stencil and with the continuum's
// derivatives (Discretisation Spectral). Ten frames 0.5 and 1 time units apart after 10,000
// time units of growth, the paper's truth; 96 x 96 and 128 x 128 at h = 1 from a patch of a
// quarter of the side, and 128 x 128 at h = 0.5 (physical units: a 64 x 64 domain) from a patch
// of 32 x 32 length units, half the side (a quarter dies out there). Clean
// frames, then noise N(0, sigma^2) on u and v with the noise variance estimated: the median and
// largest worst relative error over replicates, and how often the 95% intervals cover the
// truth; the noise is averaged over the frames' span, so the weak form is also run on ten
// frames 5 apart and forty 1 apart. Prints Markdown tables. Not a test.
//   usage: gs-spectral-study [replicates]   (default 10)
#include "SpectralSolver.h"
#include "Study.h"

#include <gs/Residual.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace
{

const gs::Parameters Truth = gs::Parameters::paperTruth();

struct Method
{
  const char* name;
  gs::ResidualMethod method;
  gs::TimeDifference difference;
  gs::Discretisation discretisation;
};

const Method Methods[] = {
  { "TimeSeries forward, Stencil", gs::ResidualMethod::TimeSeries, gs::TimeDifference::Forward,
    gs::Discretisation::Stencil },
  { "TimeSeries forward, Spectral", gs::ResidualMethod::TimeSeries, gs::TimeDifference::Forward,
    gs::Discretisation::Spectral },
  { "TimeSeries central, Spectral", gs::ResidualMethod::TimeSeries, gs::TimeDifference::Central,
    gs::Discretisation::Spectral },
  { "WeakForm, Stencil", gs::ResidualMethod::WeakForm, gs::TimeDifference::Forward,
    gs::Discretisation::Stencil },
  { "WeakForm, Spectral", gs::ResidualMethod::WeakForm, gs::TimeDifference::Forward,
    gs::Discretisation::Spectral },
};

gs::ResidualSettings settingsOf(const Method& m)
{
  gs::ResidualSettings s;
  s.method = m.method;
  s.difference = m.difference;
  s.discretisation = m.discretisation;
  return s;
}

/// The worst relative error over the four parameters, and which.
double worst(const gs::Parameters& estimate, std::size_t* which = nullptr)
{
  double w = 0.0;
  for (std::size_t j = 0; j < gs::parameterCount; ++j)
  {
    const double e = std::fabs(estimate[j] - Truth[j]) / Truth[j];
    if (!(e <= w))
    {
      w = e;
      if (which)
      {
        *which = j;
      }
    }
  }
  return w;
}

struct Setting
{
  std::string name;
  gs::State pattern;
};

} // namespace

int main(int argc, char** argv)
{
  const int replicates = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
  const char* names[] = { "Du", "Dv", "F", "k" };
  std::vector<Setting> settings;
  for (const gs::Grid g : { gs::Grid{ 96, 96, 1, 1.0, 1.0, 1.0 },
         gs::Grid{ 128, 128, 1, 1.0, 1.0, 1.0 }, gs::Grid{ 128, 128, 1, 0.5, 0.5, 1.0 } })
  {
    const auto t0 = study::Clock::now();
    char name[64];
    std::snprintf(name, sizeof name, "%d x %d, h = %g", g.nx, g.ny, g.hx);
    const int patch = std::min(g.nx / 2, static_cast<int>(std::lround(g.nx / (4.0 * g.hx))));
    settings.push_back({ name, gs_testing::spectralPattern(g, Truth, 10000.0, patch) });
    std::printf("%s: grown in %.0f s\n", name, study::since(t0));
    std::fflush(stdout);
  }

  std::printf("\nClean frames: worst relative error (its parameter).\n\n| grid | spacing |");
  for (const Method& m : Methods)
  {
    std::printf(" %s |", m.name);
  }
  std::printf("\n|---|---|---|---|---|---|---|\n");
  for (const Setting& s : settings)
  {
    for (const double spacing : { 0.5, 1.0 })
    {
      const gs::Observations data = gs_testing::spectralSeries(s.pattern, Truth, spacing, 10);
      std::printf("| %s | %g |", s.name.c_str(), spacing);
      for (const Method& m : Methods)
      {
        const gs::ResidualFit fit = gs::fitResidual(data, settingsOf(m));
        std::size_t j = 0;
        const double w = worst(fit.estimate, &j);
        std::printf(" %.1e (%s) |", w, names[j]);
      }
      std::printf("\n");
      std::fflush(stdout);
    }
  }

  std::printf(
    "\nNoisy frames, %d replicates, the noise variance estimated: median and "
    "largest worst relative error; coverage of the 95%% intervals per parameter "
    "(replicates that claimed none apart); seconds per fit. Ten frames 1 apart, and "
    "for the weak form with Spectral also ten 5 apart and forty 1 apart (spans of 45 "
    "and 39 time units).\n\n"
    "| grid | frames x spacing | sigma | method | median | largest | Du | Dv | F | k | no "
    "interval | s |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    replicates);
  for (const Setting& s : settings)
  {
    // Ten frames 1 apart; for the continuum's weak form also ten 5 apart and forty 1 apart.
    for (const auto& [spacing, frames] : { std::pair{ 1.0, 10 }, { 5.0, 10 }, { 1.0, 40 } })
    {
      const gs::Observations clean = gs_testing::spectralSeries(s.pattern, Truth, spacing, frames);
      for (const double sigma : { 1e-3, 1e-2 })
      {
        for (const Method& m : { Methods[2], Methods[3], Methods[4] })
        {
          if ((spacing != 1.0 || frames != 10) && std::string(m.name) != Methods[4].name)
          {
            continue; // the longer span for the continuum's weak form only
          }
          std::vector<double> errors;
          int covered[4] = {}, noInterval = 0;
          const auto t0 = study::Clock::now();
          for (int r = 0; r < replicates; ++r)
          {
            gs::Observations o = clean;
            study::addNoise(o, sigma, 7000 + static_cast<std::uint64_t>(r));
            gs::ResidualSettings S = settingsOf(m);
            S.noiseVariance = gs::estimateNoiseVariance(o);
            S.noiseVarianceIsBound = true;
            const gs::ResidualFit fit = gs::fitResidual(o, S);
            errors.push_back(worst(fit.estimate));
            bool none = false;
            for (std::size_t j = 0; j < gs::parameterCount; ++j)
            {
              const double se = fit.standardError[j];
              none = none || !std::isfinite(se);
              covered[j] += std::fabs(fit.estimate[j] - Truth[j]) <= 1.96 * se;
            }
            noInterval += none;
          }
          std::sort(errors.begin(), errors.end());
          std::printf("| %s | %d x %g | %g | %s | %.1e | %.1e |", s.name.c_str(), frames, spacing,
            sigma, m.name, errors[errors.size() / 2], errors.back());
          for (int j = 0; j < 4; ++j)
          {
            std::printf(" %.0f%% |", 100.0 * covered[j] / replicates);
          }
          std::printf(" %d | %.1f |\n", noInterval, study::since(t0) / replicates);
          std::fflush(stdout);
        }
      }
    }
  }
  return 0;
}
