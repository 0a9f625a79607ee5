#include "Pinn.h"
#include "Inversion.h"
#include "NeuralField.h"
#include "Progress.h"

#include "Simulation.h"

#include <cmath>
#include <string>

namespace gs
{

PinnResidual::PinnResidual(
  const Grid& grid, const std::vector<double>& times, bool steady, double scale)
  : G(grid)
  , Times(times)
  , Steady(steady)
  , Scale(scale)
{
  G.validate();
  if (times.empty() || (!steady && times.size() < 2))
  {
    throw Error(steady ? "The PINN's residual needs at least one frame."
                       : "The PINN's time-series residual needs at least two frames.");
  }
  for (std::size_t f = 0; f < times.size(); ++f)
  {
    if (!std::isfinite(times[f]) || (f > 0 && !(times[f] > times[f - 1])))
    {
      throw Error("The PINN's residual needs finite, increasing frame times.");
    }
  }
  if (!(std::isfinite(scale) && scale > 0.0))
  {
    throw Error("The PINN's residual scale must be finite and positive.");
  }
}

double PinnResidual::reactionScale(const Observations& data)
{
  double sum = 0.0;
  std::size_t n = 0;
  for (const State& s : data.frames)
  {
    for (std::size_t c = 0; c < s.u.size(); ++c)
    {
      if ((data.valid.empty() || data.valid[c]) && (!data.uObserved || std::isfinite(s.u[c])) &&
        std::isfinite(s.v[c]))
      {
        // u unobserved: its bound 1, so the scale is the largest u v^2 could be.
        const double r = (data.uObserved ? s.u[c] : 1.0) * s.v[c] * s.v[c];
        sum += r * r;
        ++n;
      }
    }
  }
  const double rms = n ? std::sqrt(sum / static_cast<double>(n)) : 0.0;
  return rms > 0.0 && std::isfinite(rms) ? rms : 1.0;
}

double PinnResidual::evaluate(const std::vector<State>& frames, const Parameters& p,
  std::vector<State>* fieldGradient, ParameterVector* parameterGradient) const
{
  const std::size_t cells = G.cells();
  if (frames.size() != Times.size())
  {
    throw Error("The PINN's residual was given " + std::to_string(frames.size()) + " frames for " +
      std::to_string(Times.size()) + " times.");
  }
  for (const State& s : frames)
  {
    if (s.grid != G || s.u.size() != cells || s.v.size() != cells)
    {
      throw Error("The PINN's residual was given a frame off its grid.");
    }
  }
  const std::size_t used = Steady ? frames.size() : frames.size() - 1;
  const double c =
    1.0 / (2.0 * static_cast<double>(cells) * static_cast<double>(used) * Scale * Scale);
  if (fieldGradient)
  {
    fieldGradient->assign(frames.size(), State());
    for (State& d : *fieldGradient)
    {
      d.grid = G;
      d.u.assign(cells, 0.0);
      d.v.assign(cells, 0.0);
    }
  }
  ParameterVector dp = { 0.0, 0.0, 0.0, 0.0 };
  std::vector<double> lu(cells), lv(cells), ru(cells), rv(cells), back(cells);
  double total = 0.0;
  for (std::size_t n = 0; n < used; ++n)
  {
    const State& s = frames[n];
    laplacian(G, s.u.data(), lu.data());
    laplacian(G, s.v.data(), lv.data());
    const double dt = Steady ? 0.0 : Times[n + 1] - Times[n];
    for (std::size_t i = 0; i < cells; ++i)
    {
      const double u = s.u[i], v = s.v[i], uvv = u * v * v;
      double ut = 0.0, vt = 0.0;
      if (!Steady)
      {
        ut = (frames[n + 1].u[i] - u) / dt;
        vt = (frames[n + 1].v[i] - v) / dt;
      }
      ru[i] = ut - (p.Du * lu[i] - uvv + p.F * (1.0 - u));
      rv[i] = vt - (p.Dv * lv[i] + uvv - (p.F + p.k) * v);
      total += ru[i] * ru[i] + rv[i] * rv[i];
      dp[0] -= ru[i] * lu[i];
      dp[1] -= rv[i] * lv[i];
      dp[2] += rv[i] * v - ru[i] * (1.0 - u);
      dp[3] += rv[i] * v;
    }
    if (!fieldGradient)
    {
      continue;
    }
    // The adjoint of the residual: the Laplacian is symmetric on the periodic grid.
    State& d = (*fieldGradient)[n];
    laplacian(G, ru.data(), back.data());
    for (std::size_t i = 0; i < cells; ++i)
    {
      const double v = s.v[i];
      d.u[i] += 2.0 * c * (-p.Du * back[i] + ru[i] * (v * v + p.F) - rv[i] * v * v);
    }
    laplacian(G, rv.data(), back.data());
    for (std::size_t i = 0; i < cells; ++i)
    {
      const double u = s.u[i], v = s.v[i];
      d.v[i] += 2.0 * c * (-p.Dv * back[i] + 2.0 * u * v * (ru[i] - rv[i]) + (p.F + p.k) * rv[i]);
    }
    if (!Steady)
    {
      State& next = (*fieldGradient)[n + 1];
      for (std::size_t i = 0; i < cells; ++i)
      {
        d.u[i] -= 2.0 * c * ru[i] / dt;
        d.v[i] -= 2.0 * c * rv[i] / dt;
        next.u[i] += 2.0 * c * ru[i] / dt;
        next.v[i] += 2.0 * c * rv[i] / dt;
      }
    }
  }
  if (parameterGradient)
  {
    for (int j = 0; j < 4; ++j)
    {
      (*parameterGradient)[j] = 2.0 * c * dp[j];
    }
  }
  return c * total;
}

/// The joint PINN: one network for (u, v) and log(parameters), Adam on both, the loss
/// data + weight * residual term, all over every cell each step (so deterministic).
InversionResult trainPinn(const Observations& data, const InversionSettings& s, Progress* progress,
  const std::function<void(const InversionStep&)>& onStep)
{
  validate(s);
  const ParameterVector guess = s.initialGuess.asArray();
  for (int j = 0; j < 4; ++j)
  {
    if (s.fit[j] && !(guess[j] > 0.0))
    {
      throw Error("The PINN trains log(parameter): {initialGuess}: the initial guess of each "
                  "fitted parameter must be positive.");
    }
  }
  const NeuralFieldSettings ns = gridNetworkSettings(data.grid, s.pinn.network);
  const FieldSamples samples(data, ns.features);
  NeuralField net(samples.inputs, 2, ns);
  const NeuralField::Matrix encoded = net.encode(samples.x);
  const bool steady = s.residual.method == ResidualMethod::Steady || data.frames.size() == 1;
  const PinnResidual residual(data.grid, data.times, steady, PinnResidual::reactionScale(data));
  const double w = s.pinn.residualWeight;
  const std::size_t cells = data.grid.cells(), n = samples.x.size() / samples.inputs;
  // The data term: u and v, or v alone (u then follows from the residual term only).
  const int firstOutput = data.uObserved ? 0 : 1;
  const double dataScale = 1.0 / static_cast<double>((2 - firstOutput) * samples.observed.size());

  ParameterVector q = { 0.0, 0.0, 0.0, 0.0 };
  for (int j = 0; j < 4; ++j)
  {
    q[j] = s.fit[j] ? std::log(guess[j]) : 0.0;
  }
  auto parameters = [&]() {
    ParameterVector v = guess;
    for (int j = 0; j < 4; ++j)
    {
      if (s.fit[j])
      {
        v[j] = std::exp(q[j]);
      }
    }
    return Parameters{ v[0], v[1], v[2], v[3] };
  };

  std::vector<State> frames(data.frames.size(), State());
  std::vector<State> dField;
  std::vector<double> dy(2 * n), g;
  ParameterVector dp;
  // The loss at the current network and parameters; with `gradients`, dy and dp.
  auto evaluate = [&](const Parameters& p, bool gradients) {
    const std::vector<double> y = net.evaluate(encoded);
    for (std::size_t f = 0; f < frames.size(); ++f)
    {
      frames[f].grid = data.grid;
      frames[f].u.resize(cells);
      frames[f].v.resize(cells);
      for (std::size_t c = 0; c < cells; ++c)
      {
        frames[f].u[c] = samples.mean[0] + samples.sd[0] * y[2 * (f * cells + c)];
        frames[f].v[c] = samples.mean[1] + samples.sd[1] * y[2 * (f * cells + c) + 1];
      }
    }
    double misfit = 0.0;
    std::fill(dy.begin(), dy.end(), 0.0);
    for (std::size_t k = 0; k < samples.observed.size(); ++k)
    {
      const std::size_t i = samples.observed[k];
      for (int o = firstOutput; o < 2; ++o)
      {
        const double r = y[2 * i + o] - samples.y[2 * k + o];
        misfit += r * r;
        dy[2 * i + o] = 2.0 * dataScale * r;
      }
    }
    const double term =
      residual.evaluate(frames, p, gradients ? &dField : nullptr, gradients ? &dp : nullptr);
    if (gradients)
    {
      for (std::size_t f = 0; f < frames.size(); ++f)
      {
        for (std::size_t c = 0; c < cells; ++c)
        {
          dy[2 * (f * cells + c)] += w * samples.sd[0] * dField[f].u[c];
          dy[2 * (f * cells + c) + 1] += w * samples.sd[1] * dField[f].v[c];
        }
      }
    }
    return dataScale * misfit + w * term;
  };

  InversionResult result;
  Adam networkAdam(net.parameters().size()), parameterAdam(4);
  auto record = [&](int iteration, double loss, const Parameters& p, double norm, double rate) {
    InversionStep step;
    step.iteration = iteration;
    step.loss = loss;
    step.parameters = p;
    step.gradientNorm = norm;
    step.learningRate = rate;
    step.accepted = true;
    result.history.push_back(step);
    if (onStep)
    {
      onStep(step);
    }
  };
  for (int it = 1; it <= ns.iterations; ++it)
  {
    const Parameters p = parameters();
    const double loss = evaluate(p, true);
    net.backward(encoded, dy, g);
    ParameterVector dq = { 0.0, 0.0, 0.0, 0.0 };
    double norm2 = 0.0;
    const ParameterVector pv = p.asArray();
    for (int j = 0; j < 4; ++j)
    {
      if (s.fit[j])
      {
        norm2 += w * dp[j] * w * dp[j];
        dq[j] = w * dp[j] * pv[j]; // d/d log(p) = p d/dp
      }
    }
    const double rate = NeuralField::rate(ns, it, ns.iterations);
    const double parameterRate = s.pinn.parameterLearningRate * rate / ns.learningRate;
    record(it - 1, loss, p, std::sqrt(norm2), parameterRate);
    networkAdam.step(net.parameters().data(), g.data(), rate);
    parameterAdam.step(q.data(), dq.data(), parameterRate); // fixed ones: zero gradient, no move
    if (progress)
    {
      progress->add(1.0);
      if (progress->aborted())
      {
        result.aborted = true;
        result.message = "Aborted.";
        result.estimate = parameters();
        return result;
      }
    }
  }
  result.estimate = parameters();
  const double loss = evaluate(result.estimate, true);
  double norm2 = 0.0;
  for (int j = 0; j < 4; ++j)
  {
    norm2 += s.fit[j] ? w * dp[j] * w * dp[j] : 0.0;
  }
  record(ns.iterations, loss, result.estimate, std::sqrt(norm2), 0.0);
  return result;
}


} // namespace gs
