#include "Simulation.h"

#include "FloatingPoint.h"
#include "Kernel.h"
#include "Progress.h"
#include "Random.h"
#include "StepTeam.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
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


double maxAbsDifference(const double* a, const double* b, std::size_t n)
{
  double m = 0.0;
  for (std::size_t i = 0; i < n; ++i)
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

void validateModel(const Grid& grid, const Parameters& p, const RunSettings& settings)
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
}

void validate(const Grid& grid, const Parameters& p, const RunSettings& settings)
{
  validateModel(grid, p, settings);
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
  Split = parallel && stepHelpers(G) > 0;
  checkMemory(2.0 * sizeof(double) * (G.cells() + 512), "the solver's work fields");
  // Each work field with 4 KiB of room to be placed in (see advanceImpl).
  Work.resize(2 * (G.cells() + 512));
}

RunResult Stepper::advance(State& state, std::int64_t steps, double tol, Progress* progress)
{
  return advanceImpl(nullptr, state, steps, tol, progress);
}

RunResult Stepper::advance(
  const State& from, State& to, std::int64_t steps, double tol, Progress* progress)
{
  if (&from == &to)
  {
    return advanceImpl(nullptr, to, steps, tol, progress); // every step out of place
  }
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

namespace
{

/// Distance of two addresses modulo 4 KiB, going round.
std::size_t pageDistance(std::uintptr_t a, std::uintptr_t b)
{
  const std::size_t d = (a - b) & 4095u;
  return std::min(d, 4096 - d);
}

/// The start in [region, region + 512) doubles, a multiple of 8 doubles (64 bytes) in, whose
/// address modulo 4 KiB lies farthest from that of every field in `avoid` and of its rows
/// either side (`rowBytes` away): a step stores one row while it loads those three.
double* placeApart(double* region, std::initializer_list<const double*> avoid, std::size_t rowBytes)
{
  double* best = region;
  std::size_t bestDistance = 0;
  for (int j = 0; j < 64; ++j)
  {
    double* candidate = region + 8 * j;
    const auto c = reinterpret_cast<std::uintptr_t>(candidate);
    std::size_t d = 4096;
    for (const double* field : avoid)
    {
      const auto f = reinterpret_cast<std::uintptr_t>(field);
      d = std::min(
        { d, pageDistance(c, f), pageDistance(c, f + rowBytes), pageDistance(c, f - rowBytes) });
    }
    if (d > bestDistance)
    {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

} // namespace

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
  std::unique_ptr<StepTeam> own;
  StepTeam* team = Split ? Shared : nullptr;
  if (Split && !team)
  {
    own = std::make_unique<StepTeam>(stepHelpers(G));
    team = own.get();
  }
  const std::size_t parts = team ? team->parts() : 1;
  std::vector<StepFlags> partFlags(parts);

  // Steps alternate between the state's fields and the work fields; the first output is
  // chosen so that the last step writes the state (an in-place run of an odd number of steps
  // ends with one copy). The work fields start at addresses far, modulo 4 KiB, from the
  // state's and from its neighbour rows': where a step's stores and the next cells' loads
  // share their low 12 address bits, the processor stalls each load on a false dependence on
  // the store (4K aliasing), which cost a quarter of the rate on 128 x 128 and three quarters
  // on 64 x 64.
  double* su = state.u.data();
  double* sv = state.v.data();
  const double* fu = from ? from->u.data() : su;
  const double* fv = from ? from->v.data() : sv;
  const std::size_t span = G.cells() + 512;
  const std::size_t rowBytes = sizeof(double) * G.nx;
  double* wu = placeApart(Work.data(), { su, sv, fu, fv }, rowBytes);
  double* wv = placeApart(Work.data() + span, { su, sv, fu, fv }, rowBytes);
  auto toWork = [&](std::int64_t n) { return from ? (steps - 1 - n) % 2 != 0 : n % 2 == 0; };

  RunResult result;
  std::int64_t reported = 0;
  const double *iu = fu, *iv = fv; // the last step's input
  double *ou = su, *ov = sv;       // and output
  for (std::int64_t n = 0; n < steps; ++n)
  {
    iu = n == 0 ? fu : ou;
    iv = n == 0 ? fv : ov;
    ou = toWork(n) ? wu : su;
    ov = toWork(n) ? wv : sv;
    StepFlags flags = { 0, 0 };
    if (Split)
    {
      team->run([&](std::size_t i) {
        const DenormalsAreZero daz;
        partFlags[i] =
          step(G, coeffs, tol, iu, iv, ou, ov, i * rows / parts, (i + 1) * rows / parts);
      });
      for (const StepFlags& f : partFlags)
      {
        flags = join(flags, f);
      }
    }
    else
    {
      const DenormalsAreZero daz;
      flags = step(G, coeffs, tol, iu, iv, ou, ov, 0, rows);
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
    result.lastChange =
      std::max(maxAbsDifference(ou, iu, G.cells()), maxAbsDifference(ov, iv, G.cells()));
  }
  if (result.steps > 0 && ou != su)
  {
    std::copy(ou, ou + G.cells(), su);
    std::copy(ov, ov + G.cells(), sv);
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
