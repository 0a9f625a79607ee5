#include "PatternSeries.h"

#include "Progress.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <sstream>

namespace gs
{

void SeriesSetup::validate() const
{
  if (interval < 0)
  {
    throw Error("{series.interval} must be non-negative (got " + std::to_string(interval) +
      "); 0 means no time steps.");
  }
  validateScheme(scheme, grid);
  if (scheme == Scheme::Euler)
  {
    gs::validate(grid, parameters, run);
  }
  else
  {
    validateModel(grid, parameters, run);
  }
}

bool SeriesSetup::operator==(const SeriesSetup& o) const
{
  return grid == o.grid && parameters.asArray() == o.parameters.asArray() && run.dt == o.run.dt &&
    run.steps == o.run.steps && run.steadyStateTolerance == o.run.steadyStateTolerance &&
    initial.seed == o.initial.seed && initial.noiseAmplitude == o.initial.noiseAmplitude &&
    initial.patchSize == o.initial.patchSize && interval == o.interval && scheme == o.scheme;
}

namespace
{

std::int64_t frameCount(const SeriesSetup& s)
{
  const std::int64_t n = std::max<std::int64_t>(0, s.run.steps);
  return s.interval <= 0 ? 1 : n / s.interval + 1 + (n % s.interval != 0 ? 1 : 0);
}

} // namespace

std::vector<std::int64_t> SeriesSetup::frameSteps() const
{
  const std::int64_t n = std::max<std::int64_t>(0, run.steps);
  std::vector<std::int64_t> steps;
  if (interval > 0)
  {
    steps.reserve(static_cast<std::size_t>(frameCount(*this)));
    for (std::int64_t k = 0; k < n; k += interval)
    {
      steps.push_back(k);
    }
  }
  steps.push_back(n);
  return steps;
}

void SeriesSetup::checkMemory() const
{
  const double fieldsBytes = 2.0 * sizeof(double) * static_cast<double>(grid.cells());
  // The solver's work, in pairs of fields: Euler's two work fields; the spectral stepper's 22
  // complex fields and 12 coefficients per cell.
  const double work = scheme == Scheme::Spectral ? 28.0 : 1.0;
  if (interval > 0)
  {
    const std::int64_t frames = frameCount(*this);
    std::ostringstream what;
    what << "the " << frames << " cached time steps of u and v ({series.interval} = " << interval
         << "; a larger {series.interval} caches fewer time steps), the solver's work fields and "
            "the output";
    gs::checkMemory((static_cast<double>(frames) + 1.0 + work) * fieldsBytes, what.str());
  }
  else
  {
    gs::checkMemory(
      (2.0 + work) * fieldsBytes, "the fields u and v, the solver's work fields and the output");
  }
}

bool PatternSeries::holds(const SeriesSetup& setup, std::uint64_t version) const
{
  return Valid && S == setup && Version == version;
}

void PatternSeries::clear()
{
  Valid = false;
  Initial.reset();
  Steps.clear();
  Frames.clear();
  Solver.reset();
  Spectral.reset();
}

void PatternSeries::reset(const SeriesSetup& setup, const State* initial, std::uint64_t version)
{
  clear();
  S = setup;
  Version = version;
  if (initial)
  {
    Initial.reset(new State(*initial));
  }
  Steps = S.frameSteps();
  Valid = true;
}

std::size_t PatternSeries::frameAt(const double* time) const
{
  std::size_t index = S.interval > 0 ? 0 : Steps.size() - 1;
  if (S.interval > 0 && time)
  {
    const double slack = 1e-9 * std::max(1.0, std::abs(*time));
    for (std::size_t i = 0; i < Steps.size(); ++i)
    {
      if (static_cast<double>(Steps[i]) * S.run.dt <= *time + slack)
      {
        index = i;
      }
    }
  }
  return index;
}

const Frame* PatternSeries::frame(
  std::size_t index, const std::function<bool(double)>& report, std::int64_t& taken)
{
  const std::int64_t target = Steps.at(index);
  // The latest kept frame at or before the target.
  const Frame* start = nullptr;
  std::int64_t startStep = 0;
  auto after = Frames.upper_bound(target);
  if (after != Frames.begin())
  {
    auto it = std::prev(after);
    start = &it->second;
    startStep = it->first;
    if (startStep == target || start->final())
    {
      return start;
    }
  }
  Progress owned(report, static_cast<double>(target - startStep));
  Progress* progress = &owned;
  // Either solver's advance, from `from` into `to`.
  auto advance = [this](const State& from, State& to, std::int64_t steps, double tol,
                   Progress* progress) {
    if (S.scheme == Scheme::Spectral)
    {
      if (!Spectral)
      {
        Spectral = std::make_unique<SpectralStepper>(S.grid, S.parameters, S.run.dt);
      }
      return Spectral->advance(from, to, steps, tol, progress);
    }
    if (!Solver)
    {
      Solver = std::make_unique<Stepper>(S.grid, S.parameters, S.run.dt);
    }
    return Solver->advance(from, to, steps, tol, progress);
  };

  // Without a kept frame, start from the initial state.
  Frame first;
  if (!start)
  {
    if (Initial)
    {
      first.state = *Initial;
    }
    else
    {
      first.state = State(S.grid);
      makeInitialCondition(first.state, S.initial);
    }
    if (S.interval > 0 || target == 0)
    {
      // Frame 0 of a series is the initial state itself.
      start = &(Frames[0] = std::move(first));
      if (target == 0)
      {
        return start;
      }
    }
  }

  const double tol = S.run.steadyStateTolerance;
  if (!start)
  {
    // One frame (interval 0): advance in place, then keep it as the only frame.
    const RunResult r = advance(first.state, first.state, target, tol, progress);
    taken += r.steps;
    if (r.status == RunStatus::Aborted)
    {
      return nullptr;
    }
    first.steps = r.steps;
    first.status = r.status;
    first.lastChange = r.lastChange;
    return &(Frames[target] = std::move(first));
  }

  // A series: extend frame by frame from the start, keeping each finished frame.
  for (auto next = std::upper_bound(Steps.begin(), Steps.end(), startStep);
       next != Steps.end() && *next <= target; ++next)
  {
    Frame frame;
    const RunResult r = advance(start->state, frame.state, *next - startStep, tol, progress);
    taken += r.steps;
    if (r.status == RunStatus::Aborted)
    {
      return nullptr;
    }
    frame.steps = start->steps + r.steps;
    frame.status = r.status;
    frame.lastChange = r.lastChange;
    start = &(Frames[*next] = std::move(frame));
    startStep = *next;
    if (start->final())
    {
      break;
    }
  }
  return start;
}

} // namespace gs
