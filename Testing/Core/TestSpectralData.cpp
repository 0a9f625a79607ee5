// Frames another solver made: a Fourier pseudo-spectral ETDRK4 integrator (Cox and Matthews
// 2002, with Kassam and Trefethen's 2005 contour-integral coefficients), the discretisation
// The Well's Gray-Scott frames use. The stencil's fit is biased on them; the spectral
// discretisation recovers the parameters.
#include <gs/Residual.h>
#include <gs/Simulation.h>
#include <gs/Spectral.h>

#include "ResidualTesting.h"
#include "SpectralSolver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <vector>

namespace
{

const gs::Parameters Truth = gs::Parameters::paperTruth();

/// The two grids of these tests: unit spacing, and physical units (h = 2/3, the same domain).
const gs::Grid Grids[2] = { gs::Grid{ 64, 64, 1, 1.0, 1.0, 1.0 },
  gs::Grid{ 96, 96, 1, 2.0 / 3.0, 2.0 / 3.0, 1.0 } };

/// The pattern on Grids[i] after 1,000 time units from a patch of a quarter of the domain's
/// side, grown once for all tests.
const gs::State& grown(int i)
{
  static gs::State states[2] = { gs::State(gs::Grid{}), gs::State(gs::Grid{}) };
  static bool made[2] = { false, false };
  if (!made[i])
  {
    states[i] = gs_testing::spectralPattern(Grids[i], Truth, 1000.0, Grids[i].nx / 4);
    made[i] = true;
  }
  return states[i];
}

double worstError(const gs::ResidualFit& fit)
{
  const gs::Parameters truth = gs::Parameters::paperTruth();
  double worst = 0.0;
  for (std::size_t j = 0; j < gs::parameterCount; ++j)
  {
    worst = std::max(worst, std::fabs(fit.estimate[j] - truth[j]) / truth[j]);
  }
  return worst;
}

} // namespace

TEST(SpectralData, SpectralLaplacianIsExactOnModes)
{
  const gs::Grid g{ 16, 12, 1, 0.5, 2.0, 1.0 };
  std::vector<double> f(g.cells()), lap(g.cells());
  const double kx = 2.0 * M_PI * 3 / (16 * 0.5), ky = 2.0 * M_PI * 2 / (12 * 2.0);
  for (int y = 0; y < g.ny; ++y)
  {
    for (int x = 0; x < g.nx; ++x)
    {
      f[x + 16 * y] = std::cos(kx * x * 0.5) * std::sin(ky * y * 2.0);
    }
  }
  gs::spectralLaplacian(g, f.data(), lap.data());
  for (std::size_t i = 0; i < g.cells(); ++i)
  {
    EXPECT_NEAR(lap[i], -(kx * kx + ky * ky) * f[i], 1e-12);
  }
}

// On pseudo-spectral frames, at unit spacing and in physical units (h = 2/3, the same domain),
// the spectral discretisation fits all four to 1e-9 (measured 2e-11 and 3e-11; the central
// difference over 1e-3 costs about dt^2) and the stencil is off by far more (measured 10%, 4%).
TEST(SpectralData, SpectralFitsFramesTheStencilNeverMade)
{
  for (int i = 0; i < 2; ++i)
  {
    const gs::Grid& g = Grids[i];
    // Three frames 1e-3 apart, for the central difference.
    const gs::Observations data = gs_testing::spectralSeries(grown(i), Truth, 1e-3, 3);
    gs::ResidualSettings s;
    s.method = gs::ResidualMethod::TimeSeries;
    s.difference = gs::TimeDifference::Central;
    s.discretisation = gs::Discretisation::Spectral;
    const gs::ResidualFit spectral = gs::fitResidual(data, s);
    s.discretisation = gs::Discretisation::Stencil;
    const gs::ResidualFit stencil = gs::fitResidual(data, s);
    std::printf("h = %g: worst relative error, spectral %.2e, stencil %.2e\n", g.hx,
      worstError(spectral), worstError(stencil));
    EXPECT_LT(worstError(spectral), 1e-9) << spectral.verdict;
    EXPECT_TRUE(spectral.complete()) << spectral.verdict;
    EXPECT_GT(worstError(stencil), 100.0 * worstError(spectral));
  }
}

// Ten frames 0.5 and 1 apart: the weak form with the test functions' own Laplacian fits all
// four to 1e-4 (measured 1.3e-6 and 1.9e-8, the sum over cells' quadrature error; the data
// linear in time between frames costs less here), where the stencil's weak form is off by 1%.
// With 4 of 7 cells observed, each test function's sums are estimated from its observed cells,
// which costs more than the discretisation (measured 0.6%).
/// The weak form's fit with `d`.
gs::ResidualFit weakFit(const gs::Observations& data, gs::Discretisation d)
{
  gs::ResidualSettings s;
  s.method = gs::ResidualMethod::WeakForm;
  s.discretisation = d;
  return gs::fitResidual(data, s);
}

TEST(SpectralData, SpectralWeakFormFitsFramesFarApart)
{
  for (int i = 0; i < 2; ++i)
  {
    for (const double spacing : { 0.5, 1.0 })
    {
      const gs::Observations data = gs_testing::spectralSeries(grown(i), Truth, spacing, 10);
      const gs::ResidualFit spectral = weakFit(data, gs::Discretisation::Spectral);
      const gs::ResidualFit stencil = weakFit(data, gs::Discretisation::Stencil);
      std::printf("h = %g, frames %g apart: worst relative error, spectral %.2e, stencil %.2e\n",
        Grids[i].hx, spacing, worstError(spectral), worstError(stencil));
      EXPECT_LT(worstError(spectral), 1e-4) << spectral.verdict;
      EXPECT_TRUE(spectral.complete()) << spectral.verdict;
      EXPECT_GT(worstError(stencil), 100.0 * worstError(spectral));
    }
  }
  gs::Observations half;
  const gs::Observations all = gs_testing::spectralSeries(grown(1), Truth, 1.0, 10);
  std::vector<double> mask(all.grid.cells());
  for (std::size_t c = 0; c < mask.size(); ++c)
  {
    mask[c] = (c * 2654435761u) % 7 < 4 ? 1.0 : 0.0;
  }
  for (std::size_t f = 0; f < all.frames.size(); ++f)
  {
    half.add(all.frames[f], all.times[f], &mask);
  }
  half.finish();
  const gs::ResidualFit masked = weakFit(half, gs::Discretisation::Spectral);
  const gs::ResidualFit maskedStencil = weakFit(half, gs::Discretisation::Stencil);
  std::printf("4 of 7 cells observed: worst relative error, spectral %.2e, stencil %.2e\n",
    worstError(masked), worstError(maskedStencil));
  EXPECT_LT(worstError(masked), 1e-2) << masked.verdict;
  EXPECT_LT(worstError(masked), worstError(maskedStencil));
}

// Noise sigma = 1e-2 on u and v of forty frames 1 apart (64 x 64, h = 1, grown 10,000 time
// units as in the study; the noise variance estimated, the bootstrap's intervals): the weak form
// with Spectral within 1% (the median worst error over five noisy copies; measured 0.32%, the
// five 0.17-1.2%), where ten frames 1 apart are 1-3% off (README: the noise averages over the
// frames' span).
TEST(SpectralData, NoisyFramesOverASpanWithinOnePerCent)
{
  const gs::State pattern = gs_testing::spectralPattern(Grids[0], Truth, 10000.0, 16);
  const gs::Observations clean = gs_testing::spectralSeries(pattern, Truth, 1.0, 40);
  std::vector<double> worst;
  for (std::uint64_t r = 0; r < 5; ++r)
  {
    gs::Observations o = clean;
    gs_testing::addNoise(o, 1e-2, 900 + r);
    gs::ResidualSettings s;
    s.method = gs::ResidualMethod::WeakForm;
    s.discretisation = gs::Discretisation::Spectral;
    s.noiseVariance = gs::estimateNoiseVariance(o);
    s.noiseVarianceIsBound = true;
    worst.push_back(worstError(gs::fitResidual(o, s)));
  }
  std::sort(worst.begin(), worst.end());
  std::printf("forty frames 1 apart, sigma 1e-2: worst relative error %.2e to %.2e, median %.2e\n",
    worst.front(), worst.back(), worst[2]);
  EXPECT_LT(worst[2], 1e-2);
}

TEST(SpectralData, RulesOfTheSpectralRoute)
{
  gs::Observations data;
  gs::State s(gs::Grid{ 16, 16, 1, 1.0, 1.0, 1.0 });
  std::vector<double> mask(s.grid.cells(), 1.0);
  mask[5] = 0.0;
  data.add(s, 0.0, &mask);
  data.finish();
  gs::ResidualSettings steady;
  steady.method = gs::ResidualMethod::Steady;
  steady.discretisation = gs::Discretisation::Spectral;
  try
  {
    gs::fitResidual(data, steady);
    FAIL() << "no error";
  }
  catch (const gs::Error& e)
  {
    EXPECT_NE(std::string(e.what()).find("discretisation Spectral needs every cell observed"),
      std::string::npos)
      << e.what();
  }
}

TEST(SpectralData, VAloneOnAnotherSolversSteadyState)
{
  // A steady state of the spectral solver (ETDRK4 keeps the fixed points of the semi-discrete
  // system whatever its step, so dt = 10 gets there in 2e4 steps): the latent u solves the u
  // equation with the continuum's Laplacian, and v alone gives all four to round-off; the
  // stencil's fit of the same v is 10% off.
  const gs::Grid g{ 32, 32, 1, 1.0, 1.0, 1.0 };
  gs::State s(g);
  gs::makeInitialCondition(s, { 0, 0.02, 8 });
  const gs::RunResult run = gs::SpectralStepper(g, Truth, 10.0).advance(s, 100000, 1e-8);
  ASSERT_EQ(run.status, gs::RunStatus::Converged) << run.steps;
  gs::Observations data;
  data.add(s, 0.0);
  data.finish();
  data.uObserved = false;
  gs::ResidualSettings S;
  S.method = gs::ResidualMethod::Steady;
  S.discretisation = gs::Discretisation::Spectral;
  const gs::ResidualFit spectral = gs::fitResidual(data, S);
  S.discretisation = gs::Discretisation::Stencil;
  const gs::ResidualFit stencil = gs::fitResidual(data, S);
  std::printf("v alone, a spectral steady state (%lld steps): Spectral %.2e, Stencil %.2e\n",
    static_cast<long long>(run.steps), worstError(spectral), worstError(stencil));
  EXPECT_LT(worstError(spectral), 1e-9); // measured 2.9e-12
  EXPECT_GT(worstError(stencil), 0.05);  // measured 0.10
  EXPECT_TRUE(spectral.complete());
}
