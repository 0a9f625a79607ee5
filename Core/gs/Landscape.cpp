#include "Landscape.h"

#include "Progress.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <sstream>

namespace gs
{

namespace
{

double& component(Parameters& p, int i)
{
  return i == 0 ? p.Du : i == 1 ? p.Dv : i == 2 ? p.F : p.k;
}

/// With no tolerance the run still tracks changes, with one that only an exact fixed point
/// meets: stopping there changes nothing, and the last change tells an unsettled pattern.
RunSettings tracked(RunSettings run)
{
  if (run.steadyStateTolerance == 0.0)
  {
    run.steadyStateTolerance = 1e-300;
  }
  return run;
}

} // namespace

Landscape::Landscape(const LandscapeSettings& settings, const State* observed, Progress* progress)
  : S(settings)
{
  if (S.initialConditions < 1)
  {
    throw Error("The number of initial conditions must be at least 1.");
  }
  if (S.losses.empty())
  {
    throw Error("Choose at least one loss.");
  }
  for (int a = 0; a < 3; ++a)
  {
    const LandscapeAxis& ax = S.axes[a];
    if (ax.parameter < -1 || ax.parameter > 3 || ax.resolution < 1 ||
      !(std::isfinite(ax.min) && std::isfinite(ax.max)))
    {
      std::ostringstream msg;
      msg << "Axis " << "XYZ"[a] << " needs a parameter (Du, Dv, F, k or none), a finite range "
          << "and a resolution of at least 1.";
      throw Error(msg.str());
    }
  }
  S.grid.validate();
  checkMemory(4.0 * sizeof(double) * S.grid.cells() * (S.initialConditions + 2),
    "the landscape's targets");
  if (observed)
  {
    if (observed->grid != S.grid)
    {
      throw Error("The observed target's grid differs from the landscape's simulation grid.");
    }
    Targets.assign(1, *observed);
  }
  else
  {
    validate(S.grid, S.truth, S.run);
    Targets.resize(S.initialConditions);
    runBatch(
      S.initialConditions, S.grid, S.run,
      [&](std::size_t j, State& s) {
        InitialCondition ic = S.initialCondition;
        ic.seed += j;
        makeInitialCondition(s, ic);
        return S.truth;
      },
      [&](std::size_t j, const State& s, const RunResult&) { Targets[j] = s; }, progress);
  }
  for (LossKind kind : S.losses)
  {
    LossSettings ls = S.loss;
    ls.kind = kind;
    for (const State& t : Targets)
    {
      Losses.emplace_back(ls, t);
    }
  }
}

std::size_t Landscape::size() const
{
  return std::size_t(S.axes[0].resolution) * S.axes[1].resolution * S.axes[2].resolution;
}

Parameters Landscape::parametersAt(std::size_t index) const
{
  Parameters p = S.truth;
  const int i[3] = { static_cast<int>(index % S.axes[0].resolution),
    static_cast<int>((index / S.axes[0].resolution) % S.axes[1].resolution),
    static_cast<int>(index / (std::size_t(S.axes[0].resolution) * S.axes[1].resolution)) };
  for (int a = 0; a < 3; ++a)
  {
    if (S.axes[a].parameter >= 0)
    {
      component(p, S.axes[a].parameter) = S.axes[a].value(i[a]);
    }
  }
  return p;
}

void Landscape::compute(const std::vector<std::size_t>& points,
  const std::function<void(std::size_t, const LandscapePoint&)>& done, Progress* progress) const
{
  const std::size_t B = static_cast<std::size_t>(S.initialConditions);
  const std::size_t T = Targets.size(); // B, or 1 for an observed target
  const std::size_t L = S.losses.size();
  struct Item
  {
    std::vector<double> losses;
    std::int64_t steps = 0;
    bool converged = false;
    PatternClass cls = PatternClass::Dead;
    double meanV = 0.0;
  };
  std::vector<Item> items(points.size() * B);
  std::unique_ptr<std::atomic<int>[]> remaining(new std::atomic<int>[points.size()]);
  for (std::size_t p = 0; p < points.size(); ++p)
  {
    remaining[p] = static_cast<int>(B);
  }
  const RunSettings run = tracked(S.run);
  runBatch(
    items.size(), S.grid, run,
    [&](std::size_t i, State& s) {
      InitialCondition ic = S.initialCondition;
      ic.seed += i % B;
      makeInitialCondition(s, ic);
      return parametersAt(points[i / B]);
    },
    [&](std::size_t i, const State& s, const RunResult& r) {
      Item& item = items[i];
      const std::size_t j = i % B, p = i / B;
      const bool usable = r.status != RunStatus::Invalid && r.status != RunStatus::Aborted;
      item.steps = r.steps;
      item.converged = r.status == RunStatus::Converged && S.run.steadyStateTolerance > 0.0;
      // A candidate refused as an unstable explicit step counts as a blow-up: it would be one.
      item.cls = r.status == RunStatus::Invalid ? PatternClass::BlowUp
                                                : classify(s, r.status, r.lastChange, S.classify);
      item.losses.resize(L);
      for (std::size_t l = 0; l < L; ++l)
      {
        item.losses[l] = usable && r.status != RunStatus::BlowUp
          ? Losses[l * T + (T == 1 ? 0 : j)].evaluate(s)
          : std::nan("");
      }
      double sum = 0.0;
      for (double v : s.v)
      {
        sum += v;
      }
      item.meanV = sum / static_cast<double>(s.v.size());
      if (--remaining[p] == 0)
      {
        // The last condition of this point: combine in condition order, the same bits always.
        LandscapePoint out;
        out.losses.assign(L, 0.0);
        int votes[7] = { 0 };
        for (std::size_t k = 0; k < B; ++k)
        {
          const Item& it = items[p * B + k];
          for (std::size_t l = 0; l < L; ++l)
          {
            out.losses[l] += it.losses[l];
          }
          out.steps = std::max(out.steps, it.steps);
          out.converged = out.converged && it.converged;
          out.meanV += it.meanV;
          ++votes[static_cast<int>(it.cls)];
        }
        for (double& l : out.losses)
        {
          l /= static_cast<double>(B);
        }
        out.meanV /= static_cast<double>(B);
        out.patternClass = items[p * B].cls;
        for (std::size_t k = 0; k < B; ++k)
        {
          const PatternClass c = items[p * B + k].cls;
          if (votes[static_cast<int>(c)] > votes[static_cast<int>(out.patternClass)])
          {
            out.patternClass = c;
          }
        }
        done(points[p], out);
      }
    },
    progress);
}

} // namespace gs
