// Frames of another solver for the fits' tests and studies: Core's ETDRK4 pseudo-spectral
// stepper (gs::SpectralStepper), the discretisation The Well's Gray-Scott frames use, so
// frames that this plugin's stencil never made.
#pragma once

#include <gs/Residual.h>
#include <gs/Simulation.h>
#include <gs/SpectralStepper.h>

#include <cmath>

namespace gs_testing
{

/// The seeded initial condition with a patch of `patch` cells, grown for `growth` time units in
/// steps of 1 (ETDRK4 is stable there; the growth only has to make a pattern).
inline gs::State spectralPattern(
  const gs::Grid& g, const gs::Parameters& p, double growth, int patch)
{
  gs::State s(g);
  gs::makeInitialCondition(s, { 0, 0.02, patch });
  gs::SpectralStepper(g, p, 1.0).advance(s, static_cast<std::int64_t>(growth));
  return s;
}

/// `frames` frames `spacing` time units apart from `start`, in steps of at most `step`: frames
/// of the continuum to the integrator's fourth order (times from 0).
inline gs::Observations spectralSeries(
  gs::State start, const gs::Parameters& p, double spacing, int frames, double step = 0.25)
{
  const int steps = static_cast<int>(std::ceil(spacing / step - 1e-9));
  const gs::SpectralStepper solver(start.grid, p, spacing / steps);
  gs::Observations data;
  for (int f = 0; f < frames; ++f)
  {
    if (f > 0)
    {
      solver.advance(start, steps);
    }
    data.add(start, f * spacing);
  }
  data.finish();
  return data;
}

} // namespace gs_testing
