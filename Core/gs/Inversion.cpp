#include "Inversion.h"
#include "Names.h"

#include "NeuralField.h"
#include "Progress.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>
#include <string>

namespace gs
{

const char* toString(InversionMethod method)
{
  return inversionMethodNames()[static_cast<std::size_t>(method)];
}

const char* toString(Optimizer optimizer)
{
  return optimizerNames()[static_cast<std::size_t>(optimizer)];
}

namespace
{

const double NaN = std::numeric_limits<double>::quiet_NaN();

ParameterVector toVector(const Parameters& p)
{
  return p.asArray();
}

Parameters fromVector(const ParameterVector& v)
{
  return { v[0], v[1], v[2], v[3] };
}

/// The batch's mean loss and gradient at p: candidate j starts from seed + j and is compared
/// with the target. NaN loss when any candidate has no gradient (blow-up).
struct Evaluation
{
  double loss = NaN;
  ParameterVector gradient = { NaN, NaN, NaN, NaN };
  std::string message;
};

class Descent
{
public:
  Descent(const InversionSettings& s, const State& target, Progress* progress)
    : S(s)
    , Target(s.loss, target)
    , Prog(progress)
    , Grid_(target.grid)
  {}

  Evaluation evaluate(const Parameters& p) const
  {
    const std::size_t B = static_cast<std::size_t>(S.batch);
    std::vector<GradientResult> r(B);
    tbb::parallel_for(std::size_t{ 0 }, B, [&](std::size_t j) {
      State x0(Grid_);
      InitialCondition ic = S.initialCondition;
      ic.seed += j;
      makeInitialCondition(x0, ic);
      r[j] = lossGradient(x0, p, S.run, Target, S.gradient, Prog);
    });
    Evaluation e;
    double loss = 0.0;
    ParameterVector g = { 0.0, 0.0, 0.0, 0.0 };
    for (std::size_t j = 0; j < B; ++j) // in order: the same bits for any thread count
    {
      if (!r[j].valid)
      {
        e.message = r[j].message;
        return e;
      }
      loss += r[j].loss;
      for (int c = 0; c < 4; ++c)
      {
        g[c] += r[j].gradient[c];
      }
    }
    e.loss = loss / static_cast<double>(B);
    for (int c = 0; c < 4; ++c)
    {
      e.gradient[c] = g[c] / static_cast<double>(B);
    }
    return e;
  }

  /// The batch's mean loss at p without gradients; NaN on a blow-up.
  double batchLoss(const Parameters& p) const
  {
    const std::size_t B = static_cast<std::size_t>(S.batch);
    std::vector<double> loss(B);
    tbb::parallel_for(std::size_t{ 0 }, B, [&](std::size_t j) {
      State x(Grid_);
      InitialCondition ic = S.initialCondition;
      ic.seed += j;
      makeInitialCondition(x, ic);
      const RunResult r = gs::run(x, p, S.run, nullptr, false);
      loss[j] = r.status == RunStatus::BlowUp ? NaN : Target.evaluate(x);
    });
    double sum = 0.0;
    for (double l : loss)
    {
      sum += l;
    }
    return sum / static_cast<double>(B);
  }

  /// The paper's trial run: one simulation at p must stay finite and give a finite loss.
  /// Monotone descent asks more: the batch loss must not grow beyond `current`.
  bool trial(const Parameters& p, bool monotone, double current) const
  {
    try
    {
      validate(Grid_, p, S.run);
    }
    catch (const Error&)
    {
      return false; // beyond the explicit stability limit: it would blow up
    }
    if (monotone)
    {
      const double loss = batchLoss(p);
      return std::isfinite(loss) && loss <= current;
    }
    State x(Grid_);
    makeInitialCondition(x, S.initialCondition);
    const RunResult r = gs::run(x, p, S.run);
    return r.status != RunStatus::BlowUp && std::isfinite(Target.evaluate(x));
  }

  /// Descends from `start`, appending to `history`; returns the last accepted parameters.
  Parameters run(Parameters start, int firstIteration, bool monotone,
    std::vector<InversionStep>& history, const std::function<void(const InversionStep&)>& onStep,
    std::string& message, bool& aborted)
  {
    const bool reparam = S.reparameterise;
    ParameterVector x = reparam ? reparam::fromParameters(start) : toVector(start);
    ParameterVector m = { 0, 0, 0, 0 }, v = { 0, 0, 0, 0 };
    Parameters p = start;
    for (int it = 0; it < S.iterations; ++it)
    {
      const Evaluation e = evaluate(p);
      if (Prog && Prog->aborted())
      {
        aborted = true;
        message = "Aborted.";
        return p;
      }
      InversionStep step;
      step.iteration = firstIteration + it;
      step.loss = e.loss;
      step.parameters = p;
      double norm2 = 0.0;
      for (int c = 0; c < 4; ++c)
      {
        norm2 += S.fit[c] ? e.gradient[c] * e.gradient[c] : 0.0;
      }
      step.gradientNorm = std::sqrt(norm2);
      step.accepted = false;
      if (!std::isfinite(e.loss) || !std::isfinite(step.gradientNorm))
      {
        message = "No gradient at iteration " + std::to_string(step.iteration) + ": " + e.message;
        history.push_back(step);
        if (onStep)
        {
          onStep(step);
        }
        return p;
      }

      // The direction in the optimised values.
      const ParameterVector g = reparam ? reparam::gradient(x, e.gradient) : e.gradient;
      ParameterVector d = { 0, 0, 0, 0 };
      const double t = static_cast<double>(it + 1);
      for (int c = 0; c < 4; ++c)
      {
        if (!S.fit[c])
        {
          continue;
        }
        if (S.optimizer == Optimizer::Adam)
        {
          m[c] = 0.9 * m[c] + 0.1 * g[c];
          v[c] = 0.999 * v[c] + 0.001 * g[c] * g[c];
          const double mh = m[c] / (1.0 - std::pow(0.9, t)), vh = v[c] / (1.0 - std::pow(0.999, t));
          d[c] = mh / (std::sqrt(vh) + 1e-8);
        }
        else
        {
          d[c] = g[c] + S.weightDecay * x[c];
        }
      }

      // The paper's safety: shrink the rate by 10 up to 4 times; if every trial fails, grow
      // the base rate by 1.2 up to 4 times.
      double rates[9];
      int n = 0;
      for (int i = 0; i <= 4; ++i)
      {
        rates[n++] = S.learningRate * std::pow(0.1, i);
      }
      for (int i = 1; i <= 4 && !monotone; ++i) // growing only helps past a blow-up
      {
        rates[n++] = S.learningRate * std::pow(1.2, i);
      }
      for (int i = 0; i < n && !step.accepted; ++i)
      {
        ParameterVector y = x;
        for (int c = 0; c < 4; ++c)
        {
          y[c] -= rates[i] * d[c];
        }
        const Parameters q = reparam ? reparam::toParameters(y) : fromVector(y);
        const bool inRange = reparam || (q.Du >= 0 && q.Dv >= 0 && q.F >= 0 && q.k >= 0);
        if (inRange && trial(q, monotone, e.loss))
        {
          x = y;
          p = q;
          step.accepted = true;
          step.learningRate = rates[i];
        }
      }
      history.push_back(step);
      if (onStep)
      {
        onStep(step);
      }
    }
    return p;
  }

private:
  const InversionSettings& S;
  Loss Target;
  Progress* Prog;
  Grid Grid_;
};

/// The joint PINN: one network for (u, v) and log(parameters), Adam on both, the loss
/// data + weight * residual term, all over every cell each step (so deterministic).
InversionResult trainPinn(const Observations& data, const InversionSettings& s, Progress* progress,
  const std::function<void(const InversionStep&)>& onStep)
{
  if (!(std::isfinite(s.pinn.residualWeight) && s.pinn.residualWeight >= 0.0))
  {
    throw Error("The PINN's residual weight must be finite and non-negative.");
  }
  if (!(std::isfinite(s.pinn.parameterLearningRate) && s.pinn.parameterLearningRate > 0.0))
  {
    throw Error("The PINN's parameter learning rate must be finite and positive.");
  }
  const ParameterVector guess = s.initialGuess.asArray();
  for (int j = 0; j < 4; ++j)
  {
    if (s.fit[j] && !(guess[j] > 0.0))
    {
      throw Error("The PINN trains log(parameter): the initial guess of each fitted parameter must "
                  "be positive.");
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
  const double dataScale = 1.0 / static_cast<double>(2 * samples.observed.size());

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
    return fromVector(v);
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
      for (int o = 0; o < 2; ++o)
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

void validateSettings(const Observations& data, const InversionSettings& s)
{
  if (data.frames.empty())
  {
    throw Error("The inversion needs an observed target.");
  }
  if (s.iterations < 0)
  {
    throw Error(
      "The number of iterations must be non-negative (got " + std::to_string(s.iterations) + ").");
  }
  if (s.batch < 1)
  {
    throw Error(
      "The batch must hold at least one simulation (got " + std::to_string(s.batch) + ").");
  }
  if (!(std::isfinite(s.learningRate) && s.learningRate > 0.0))
  {
    throw Error("The learning rate must be finite and positive.");
  }
  if (!(std::isfinite(s.weightDecay) && s.weightDecay >= 0.0))
  {
    throw Error("The weight decay must be finite and non-negative.");
  }
  if (!(s.fit[0] || s.fit[1] || s.fit[2] || s.fit[3]))
  {
    throw Error("Choose at least one parameter to fit.");
  }
  const ParameterVector g = s.initialGuess.asArray();
  for (double x : g)
  {
    if (!std::isfinite(x) || x < 0.0)
    {
      throw Error("The initial guess must be finite and non-negative.");
    }
  }
}

} // namespace

InversionResult invert(const Observations& data, const InversionSettings& s, Progress* progress,
  const std::function<void(const InversionStep&)>& onStep)
{
  validateSettings(data, s);
  if (s.method == InversionMethod::PINN)
  {
    return trainPinn(data, s, progress, onStep);
  }
  InversionResult result;
  Parameters start = s.initialGuess;

  if (s.method != InversionMethod::Gradient)
  {
    ResidualSettings rs = s.residual;
    rs.fit = s.fit;
    rs.fixed = s.initialGuess;
    const ResidualFit fit = fitResidual(data, rs, progress);
    result.message = fit.verdict;
    InversionStep step;
    step.parameters = fit.estimate;
    step.loss = fit.residualNorm * fit.residualNorm;
    step.gradientNorm = 0.0;
    step.learningRate = 0.0;
    step.accepted = true;
    result.history.push_back(step);
    if (onStep)
    {
      onStep(step);
    }
    result.estimate = fit.estimate;
    if (s.method == InversionMethod::ResidualFit)
    {
      return result;
    }
    // Hybrid: descend from the estimate; what the data do not determine keeps the guess.
    double* e[4] = { &start.Du, &start.Dv, &start.F, &start.k };
    const ParameterVector est = fit.estimate.asArray();
    for (int c = 0; c < 4; ++c)
    {
      if (std::isfinite(est[c]))
      {
        *e[c] = est[c];
      }
    }
  }

  const State& target = data.frames.back();
  Descent descent(s, target, progress);
  std::string message;
  bool aborted = false;
  result.estimate = descent.run(start, static_cast<int>(result.history.size()),
    s.monotone || s.method == InversionMethod::Hybrid, result.history, onStep, message, aborted);
  result.aborted = aborted;
  result.stoppedEarly = !aborted && !message.empty();
  if (!message.empty())
  {
    result.message = result.message.empty() ? message : result.message + " " + message;
  }
  return result;
}

} // namespace gs
