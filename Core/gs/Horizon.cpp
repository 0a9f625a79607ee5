#include "Horizon.h"

#include "LatentProblem.h"
#include "Progress.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace gs
{

void HorizonSettings::validate() const
{
  if (horizon < 1)
  {
    throw Error("{horizon.horizon} must be at least 1 step (got " + std::to_string(horizon) + ").");
  }
  if (!(std::isfinite(blowUpMargin) && blowUpMargin >= 0.0))
  {
    std::ostringstream msg;
    msg << "{horizon.blowUpMargin} must be finite and non-negative (got " << blowUpMargin << ").";
    throw Error(msg.str());
  }
  GradientSettings g;
  g.checkpointBytes = checkpointBytes;
  g.validate();
}

std::int64_t HorizonLoss::spacingOf(const Observations& data, double dt)
{
  if (data.frames.size() < 2)
  {
    return 1;
  }
  const double steps = (data.times[1] - data.times[0]) / dt;
  const std::int64_t n = std::llround(steps);
  for (std::size_t i = 1; i < data.times.size(); ++i)
  {
    const double d = (data.times[i] - data.times[i - 1]) / dt;
    if (!(n >= 1 && std::abs(d - static_cast<double>(n)) <= 1e-9 * static_cast<double>(n)))
    {
      std::ostringstream msg;
      msg << "The horizon loss needs frames a whole and equal number of time steps apart; frames "
          << i - 1 << " and " << i << " are " << d << " steps of " << dt << " apart.";
      throw Error(msg.str());
    }
  }
  return n;
}


std::size_t HorizonLoss::segmentsOf(const Observations& data, std::int64_t horizon, double dt)
{
  if (data.frames.size() < 2)
  {
    return 1;
  }
  const std::int64_t spacing = spacingOf(data, dt);
  if (horizon < 1 || horizon % spacing != 0)
  {
    std::ostringstream msg;
    msg << "The horizon (" << horizon << " steps) must be a positive multiple of the frames' "
        << "spacing (" << spacing << " steps).";
    throw Error(msg.str());
  }
  const std::size_t m = static_cast<std::size_t>(horizon / spacing);
  if (m >= data.frames.size())
  {
    std::ostringstream msg;
    msg << "A horizon of " << horizon << " steps spans " << m << " frame intervals, but the "
        << data.frames.size() << " frames span " << data.frames.size() - 1
        << ": shorten the horizon.";
    throw Error(msg.str());
  }
  return data.frames.size() - m;
}

HorizonLoss::HorizonLoss(const Observations& data, const HorizonSettings& settings)
  : S(settings)
{
  S.validate();
  if (data.frames.empty())
  {
    throw Error("The horizon loss needs at least one observed frame.");
  }
  if (data.intensity)
  {
    throw Error("The horizon loss starts the simulation from the observed frames, so it needs "
                "v as a concentration.");
  }
  if (!data.uObserved && data.frames.size() != 1)
  {
    throw Error("The horizon loss with v alone takes one steady frame (its u is the steady "
                "u equation's latent solution): observe u for a series.");
  }
  if (!data.valid.empty())
  {
    throw Error("The horizon loss starts the simulation from the observed frames, so it needs "
                "every cell observed.");
  }
  for (const State& f : data.frames)
  {
    if (f.grid != data.frames[0].grid)
    {
      throw Error("The observed frames' grids differ.");
    }
  }
  // The grid and the run; the stability limit is each candidate's own (evaluate, gradient).
  validateModel(
    data.frames[0].grid, Parameters{}, RunSettings{ S.dt, S.horizon, 0.0, S.blowUpMargin });
  LossSettings ls = S.loss;
  if (data.frames.size() == 1)
  {
    State frame = data.frames[0];
    if (!data.uObserved)
    {
      Latent = std::make_shared<const LatentStart>(frame);
      ls.includeU = false;
      frame.u.assign(frame.v.size(), 0.0);
    }
    Starts.push_back(frame);
    EndStates.push_back(frame);
    Ends.emplace_back(ls, frame);
    return;
  }
  const std::size_t m = data.frames.size() - segmentsOf(data, S.horizon, S.dt);
  for (std::size_t i = 0; i + m < data.frames.size(); ++i)
  {
    Starts.push_back(data.frames[i]);
    EndStates.push_back(data.frames[i + m]);
    Ends.emplace_back(ls, data.frames[i + m]);
  }
}

HorizonLoss::~HorizonLoss() = default;

LatentStart::LatentStart(const State& observed)
{
  State frame = observed;
  frame.u.assign(frame.v.size(), 0.0);
  Observed.add(frame, 0.0);
  Observed.finish();
  Observed.uObserved = false;
}

State LatentStart::at(const Parameters& p) const
{
  State x = Observed.frames[0];
  if (!(p.Du >= 0.0 && p.F > 0.0 && std::isfinite(p.Du) && std::isfinite(p.F)))
  {
    // No latent u: parameters the solver refuses, or F = 0, where u = 0 (and the conjugate
    // gradients' diagonal may vanish). The run then refuses or sees a zero u.
    x.u.assign(x.u.size(), p.F == 0.0 ? 0.0 : std::numeric_limits<double>::quiet_NaN());
    return x;
  }
  residual::latentfit::LatentProblem lp(Observed, Settings);
  lp.latent(0, p.Du, p.F, x.u, false, residual::latentfit::FinalTolerance);
  return x;
}

std::array<State, 4> LatentStart::derivatives(const Parameters& p) const
{
  using residual::latentfit::Field;
  residual::latentfit::LatentProblem lp(Observed, Settings);
  const std::size_t n = lp.cells();
  Field u, lu(n), rest(n);
  lp.latent(0, p.Du, p.F, u, false, residual::latentfit::FinalTolerance);
  lp.laplacian(u, lu);
  for (std::size_t i = 0; i < n; ++i)
  {
    rest[i] = 1.0 - u[i];
  }
  // A du/dDu = lap(u) and A du/dF = 1 - u, from A(p) u = F 1.
  std::array<State, 4> d;
  for (const auto& [c, rhs] : { std::pair<int, const Field*>{ 0, &lu }, { 2, &rest } })
  {
    d[c].grid = Observed.grid;
    d[c].u.assign(n, 0.0);
    d[c].v.assign(n, 0.0);
    lp.solve(0, p.Du, p.F, *rhs, d[c].u, residual::latentfit::FinalTolerance);
  }
  return d;
}

void LatentStart::addGradient(
  const State& x0, const Parameters& p, const State& adjoint, ParameterVector& g) const
{
  residual::latentfit::LatentProblem lp(Observed, Settings);
  const std::size_t n = lp.cells();
  if (adjoint.u.size() != n)
  {
    throw Error("The gradient through a latent start needs the start's adjoint (unrolled "
                "routing).");
  }
  residual::latentfit::Field z(n, 0.0), lu(n);
  lp.solve(0, p.Du, p.F, adjoint.u, z, residual::latentfit::FinalTolerance);
  lp.laplacian(x0.u, lu);
  double du = 0.0, dF = 0.0;
  for (std::size_t c = 0; c < n; ++c)
  {
    du += z[c] * lu[c];
    dF += z[c] * (1.0 - x0.u[c]);
  }
  g[0] += du;
  g[2] += dF;
}

State HorizonLoss::startAt(std::size_t i, const Parameters& p) const
{
  return Latent ? Latent->at(p) : Starts[i];
}

std::array<State, 4> HorizonLoss::startDerivatives(const Parameters& p) const
{
  return Latent ? Latent->derivatives(p) : std::array<State, 4>{};
}

double HorizonLoss::evaluate(const Parameters& p, Progress* progress) const
{
  const RunSettings run{ S.dt, S.horizon, 0.0, S.blowUpMargin };
  validate(Starts[0].grid, p, run);
  std::vector<double> losses(Starts.size(), std::nan(""));
  runBatch(
    Starts.size(), Starts[0].grid, run,
    [&](std::size_t i, State& s) {
      s = startAt(i, p);
      return p;
    },
    [&](std::size_t i, const State& s, const RunResult& r) {
      if (r.status == RunStatus::Finished)
      {
        losses[i] = Ends[i].evaluate(s);
      }
    },
    progress);
  // In segment order: the same bits for any thread count.
  double sum = 0.0;
  for (double l : losses)
  {
    sum += l;
  }
  return sum / static_cast<double>(losses.size());
}

GradientResult HorizonLoss::gradient(const Parameters& p, Progress* progress) const
{
  const RunSettings run{ S.dt, S.horizon, 0.0, S.blowUpMargin };
  GradientSettings g;
  g.checkpointBytes = S.checkpointBytes;
  GradientResult out;
  out.valid = true;
  const double n = static_cast<double>(Starts.size());
  for (std::size_t i = 0; i < Starts.size(); ++i)
  {
    validate(Starts[i].grid, p, run); // before the latent start: refused parameters first
    const State x0 = startAt(i, p);
    GradientResult r = lossGradient(x0, p, run, Ends[i], g, progress);
    if (r.valid && Latent)
    {
      Latent->addGradient(x0, p, r.initialAdjoint, r.gradient);
    }
    out.forward = r.forward;
    out.forwardSteps += r.forwardSteps;
    out.adjointSteps += r.adjointSteps;
    out.checkpoints = r.checkpoints;
    out.peakBytes = std::max(out.peakBytes, r.peakBytes);
    if (!r.valid)
    {
      out.valid = false;
      out.message = "Segment " + std::to_string(i) + ": " + r.message;
      out.loss = std::nan("");
      out.gradient.fill(std::nan(""));
      return out;
    }
    out.loss += r.loss;
    for (int c = 0; c < 4; ++c)
    {
      out.gradient[c] += r.gradient[c];
    }
  }
  // Summed in segment order, then divided once: the bits evaluate() and a series landscape
  // give.
  out.loss /= n;
  for (double& g : out.gradient)
  {
    g /= n;
  }
  return out;
}

} // namespace gs
