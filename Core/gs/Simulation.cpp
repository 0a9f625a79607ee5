#include "Simulation.h"

#include "FloatingPoint.h"
#include "Kernel.h"
#include "Progress.h"
#include "Random.h"
#include "StepTeam.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <memory>
#include <sstream>
#include <type_traits>

namespace gs
{

namespace
{

using kernel::StepFlags;

StepFlags join(StepFlags a, const StepFlags& b)
{
  return { a.bad | b.bad, a.moving | b.moving };
}

using kernel::ParallelCellThreshold;
using kernel::RowsPerTask;

double maxAbsDifference(const std::vector<double>& a, const std::vector<double>& b)
{
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
  {
    m = std::max(m, std::fabs(a[i] - b[i]));
  }
  return m;
}

} // namespace

const char* toString(RunStatus status)
{
  switch (status)
  {
    case RunStatus::Finished:
      return "finished";
    case RunStatus::Converged:
      return "converged";
    case RunStatus::BlowUp:
      return "blow-up";
    case RunStatus::Aborted:
      return "aborted";
    case RunStatus::Invalid:
      return "invalid";
  }
  return "unknown";
}

void makeInitialCondition(State& state, const InitialCondition& ic)
{
  const Grid& g = state.grid;
  if (!(std::isfinite(ic.noiseAmplitude) && ic.noiseAmplitude >= 0.0))
  {
    throw Error("{initialCondition.noiseAmplitude} must be finite and non-negative (got " +
      std::to_string(ic.noiseAmplitude) + ").");
  }
  if (ic.patchSize < 0)
  {
    throw Error("{initialCondition.patchSize} must be non-negative (got " +
      std::to_string(ic.patchSize) + ").");
  }
  state.u.resize(g.cells());
  state.v.resize(g.cells());
  // The patch covers cells [n/2 - P/2, n/2 - P/2 + P) of each axis with more than one cell.
  auto inPatch = [&](int i, int n) {
    if (n == 1)
    {
      return true;
    }
    const int lo = n / 2 - ic.patchSize / 2;
    return i >= lo && i < lo + ic.patchSize;
  };
  const double a = ic.noiseAmplitude;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, static_cast<std::size_t>(g.ny) * g.nz),
    [&](const tbb::blocked_range<std::size_t>& rows) {
      for (std::size_t row = rows.begin(); row < rows.end(); ++row)
      {
        const int y = static_cast<int>(row % g.ny), z = static_cast<int>(row / g.ny);
        const bool rowInPatch = ic.patchSize > 0 && inPatch(y, g.ny) && inPatch(z, g.nz);
        for (int x = 0; x < g.nx; ++x)
        {
          const std::size_t i = x + g.nx * row;
          Random rng(ic.seed, i);
          double nu = 0.0, nv = 0.0;
          rng.normalPair(nu, nv);
          double uu = 1.0 + a * nu, vv = a * nv;
          if (rowInPatch && inPatch(x, g.nx))
          {
            uu = 0.5;
            vv = 0.25;
          }
          state.u[i] = std::min(std::max(uu, 0.0), 1.5);
          state.v[i] = std::min(std::max(vv, 0.0), 1.0);
        }
      }
    });
}

double maxStableDiffusion(const Grid& grid, double dt)
{
  const double s = grid.inverseSpacingSquaredSum();
  return s > 0.0 ? 0.5 / (dt * s) : HUGE_VAL;
}

void validate(const Grid& grid, const Parameters& p, const RunSettings& settings)
{
  grid.validate();
  const auto values = p.asArray();
  for (int i = 0; i < 4; ++i)
  {
    if (!std::isfinite(values[i]) || values[i] < 0.0)
    {
      std::ostringstream msg;
      msg << "Parameter " << parameterName(static_cast<std::size_t>(i))
          << " must be finite and non-negative (got " << values[i] << ").";
      throw Error(msg.str());
    }
  }
  if (!(std::isfinite(settings.dt) && settings.dt > 0.0))
  {
    std::ostringstream msg;
    msg << "{run.dt} must be finite and positive (got " << settings.dt << ").";
    throw Error(msg.str());
  }
  if (settings.steps < 0)
  {
    throw Error("{run.steps} must be non-negative (got " + std::to_string(settings.steps) + ").");
  }
  if (!(std::isfinite(settings.steadyStateTolerance) && settings.steadyStateTolerance >= 0.0))
  {
    std::ostringstream msg;
    msg << "{run.steadyStateTolerance} must be finite and non-negative (got "
        << settings.steadyStateTolerance << ").";
    throw Error(msg.str());
  }
  if (!(std::isfinite(settings.blowUpMargin) && settings.blowUpMargin >= 0.0))
  {
    std::ostringstream msg;
    msg << "{run.blowUpMargin} must be finite and non-negative (got " << settings.blowUpMargin
        << ").";
    throw Error(msg.str());
  }
  const double limit = maxStableDiffusion(grid, settings.dt);
  const double D = std::max(p.Du, p.Dv);
  if (D > limit)
  {
    std::ostringstream msg;
    msg << "Unstable explicit step: dt * D * (sum over axes of 1/h^2) = "
        << settings.dt * D * grid.inverseSpacingSquaredSum()
        << " exceeds 1/2. With dt = " << settings.dt
        << " on this grid, Du and Dv must be <= " << limit << " (got "
        << (p.Du >= p.Dv ? "Du = " : "Dv = ") << D
        << "); reduce the time step or the diffusion coefficient.";
    throw Error(msg.str());
  }
}

Stepper::Stepper(
  const Grid& grid, const Parameters& p, double dt, bool parallel, double blowUpMargin)
  : G(grid)
  , P(p)
  , Dt(dt)
  , Margin(blowUpMargin)
{
  validate(grid, p, RunSettings{ dt, 0, 0.0, blowUpMargin });
  const std::size_t rows = static_cast<std::size_t>(G.ny) * G.nz;
  Split = parallel && G.cells() >= ParallelCellThreshold && rows >= 2 * RowsPerTask;
  checkMemory(2.0 * sizeof(double) * G.cells(), "the solver's work fields");
  U.resize(G.cells());
  V.resize(G.cells());
}

RunResult Stepper::advance(State& state, std::int64_t steps, double tol, Progress* progress)
{
  return advanceImpl(nullptr, state, steps, tol, progress);
}

RunResult Stepper::advance(
  const State& from, State& to, std::int64_t steps, double tol, Progress* progress)
{
  if (steps <= 0)
  {
    to = from;
    return {};
  }
  to.grid = from.grid;
  to.u.resize(from.u.size());
  to.v.resize(from.v.size());
  return advanceImpl(&from, to, steps, tol, progress);
}

RunResult Stepper::advanceImpl(
  const State* from, State& state, std::int64_t steps, double tol, Progress* progress)
{
  const State& first = from ? *from : state;
  if (first.grid != G || first.u.size() != G.cells() || first.v.size() != G.cells())
  {
    throw Error("State fields do not match the grid size.");
  }
  const std::size_t rows = static_cast<std::size_t>(G.ny) * G.nz;
  const kernel::Coefficients coeffs = kernel::makeCoefficients(G, P, Dt, Margin);
  const bool track = tol > 0.0;
  const kernel::StepRowsFn step = kernel::select(G.nz > 1, track);
  // Report progress about every 2^22 cell updates, and at least every 64 steps.
  const std::int64_t reportEvery = std::max<std::int64_t>(
    1, std::min<std::int64_t>(64, (1 << 22) / std::max<std::size_t>(1, G.cells())));

  // A split grid's rows go in equal parts to a team that lasts the whole run.
  std::unique_ptr<StepTeam> team;
  if (Split)
  {
    const std::size_t most = rows / RowsPerTask;
    team = std::make_unique<StepTeam>(static_cast<int>(
      std::min<std::size_t>(most, std::max(1, tbb::this_task_arena::max_concurrency())) - 1));
  }
  const std::size_t parts = team ? team->parts() : 1;
  std::vector<StepFlags> partFlags(parts);

  RunResult result;
  std::int64_t reported = 0;
  for (std::int64_t n = 0; n < steps; ++n)
  {
    // The first step of a copy-advance reads `from` and writes `state` directly; every other
    // step writes the work fields, which are then swapped in.
    const bool direct = from && n == 0;
    const State& in = direct ? *from : state;
    double* uo = direct ? state.u.data() : U.data();
    double* vo = direct ? state.v.data() : V.data();
    StepFlags flags = { 0, 0 };
    if (Split)
    {
      team->run([&](std::size_t i) {
        const DenormalsAreZero daz;
        partFlags[i] = step(G, coeffs, tol, in.u.data(), in.v.data(), uo, vo, i * rows / parts,
          (i + 1) * rows / parts);
      });
      for (const StepFlags& f : partFlags)
      {
        flags = join(flags, f);
      }
    }
    else
    {
      const DenormalsAreZero daz;
      flags = step(G, coeffs, tol, in.u.data(), in.v.data(), uo, vo, 0, rows);
    }
    if (!direct)
    {
      state.u.swap(U);
      state.v.swap(V);
    }
    result.steps = n + 1;
    if (flags.bad)
    {
      result.status = RunStatus::BlowUp;
      break;
    }
    if (track && !flags.moving)
    {
      result.status = RunStatus::Converged;
      break;
    }
    if (progress && result.steps % reportEvery == 0)
    {
      progress->add(static_cast<double>(result.steps - reported));
      reported = result.steps;
      if (progress->aborted())
      {
        result.status = RunStatus::Aborted;
        break;
      }
    }
  }
  if (track && result.steps > 0)
  {
    // The state before the last step: `from` after one step, else the swapped-out work fields.
    const bool one = from && result.steps == 1;
    result.lastChange = std::max(
      maxAbsDifference(state.u, one ? from->u : U), maxAbsDifference(state.v, one ? from->v : V));
  }
  if (progress)
  {
    // Steps not taken because the run stopped early still count as finished work.
    progress->add(static_cast<double>(steps - reported));
  }
  return result;
}

RunResult run(
  State& state, const Parameters& p, const RunSettings& settings, Progress* progress, bool parallel)
{
  validate(state.grid, p, settings);
  Stepper stepper(state.grid, p, settings.dt, parallel, settings.blowUpMargin);
  return stepper.advance(state, settings.steps, settings.steadyStateTolerance, progress);
}

void runBatch(std::size_t count, const Grid& grid, const RunSettings& settings,
  const std::function<Parameters(std::size_t, State&)>& setup,
  const std::function<void(std::size_t, const State&, const RunResult&)>& finish,
  Progress* progress)
{
  grid.validate();
  // Each concurrent item holds its state and the solver's two work fields.
  const double perItem = 4.0 * sizeof(double) * grid.cells();
  checkMemory(
    perItem * std::min<std::size_t>(count, std::max(1u, std::thread::hardware_concurrency())),
    "the batch's concurrent simulations");
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1),
    [&](const tbb::blocked_range<std::size_t>& items) {
      for (std::size_t i = items.begin(); i < items.end(); ++i)
      {
        State state(grid);
        RunResult result;
        if (progress && progress->aborted())
        {
          result.status = RunStatus::Aborted;
          finish(i, state, result);
          continue;
        }
        const Parameters p = setup(i, state);
        try
        {
          validate(grid, p, settings);
          Stepper stepper(grid, p, settings.dt, false, settings.blowUpMargin);
          result = stepper.advance(state, settings.steps, settings.steadyStateTolerance, progress);
        }
        catch (const Error& e)
        {
          result.status = RunStatus::Invalid;
          result.message = e.what();
          if (progress)
          {
            progress->add(static_cast<double>(settings.steps));
          }
        }
        finish(i, state, result);
      }
    });
}

void laplacian(const Grid& g, const double* f, double* out)
{
  const kernel::Stencil s = kernel::makeStencil(g);
  const std::size_t rows = static_cast<std::size_t>(g.ny) * g.nz;
  const bool threeD = g.nz > 1;
  for (std::size_t row = 0; row < rows; ++row)
  {
    const kernel::RowOffsets o = kernel::rowOffsets(g, row);
    const double *c = f + o.c, *south = f + o.s, *north = f + o.n, *below = f + o.b,
                 *above = f + o.t;
    double* r = out + o.c;
    // One cell, its x neighbours given: the same operations in the same order everywhere, so
    // the periodic ends and the vectorised interior round alike.
    auto cell = [&](int x, int xw, int xe) {
      double l = s.cx * (c[xw] + c[xe]) + s.cy * (south[x] + north[x]);
      if (threeD)
      {
        l += s.cz * (below[x] + above[x]);
      }
      r[x] = l + s.cc * c[x];
    };
    cell(0, g.nx - 1, 1 % g.nx);
    if (threeD)
    {
      for (int x = 1; x < g.nx - 1; ++x)
      {
        const double l = s.cx * (c[x - 1] + c[x + 1]) + s.cy * (south[x] + north[x]);
        r[x] = (l + s.cz * (below[x] + above[x])) + s.cc * c[x];
      }
    }
    else
    {
      for (int x = 1; x < g.nx - 1; ++x)
      {
        r[x] = (s.cx * (c[x - 1] + c[x + 1]) + s.cy * (south[x] + north[x])) + s.cc * c[x];
      }
    }
    if (g.nx > 1)
    {
      cell(g.nx - 1, g.nx - 2, 0);
    }
  }
}

} // namespace gs
