#include "Inversion.h"
#include "Names.h"
#include "Reparam.h"

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

/// Method Shooting: every accepted step a row (the loss is the stage's horizon loss).
InversionResult shoot(const Observations& data, const InversionSettings& s, Progress* progress,
  const std::function<void(const InversionStep&)>& onStep)
{
  const ShootingResult r = fitByShooting(data, s.initialGuess, shootingSettings(s), progress);
  InversionResult result;
  for (const ShootingRow& row : r.history)
  {
    InversionStep step;
    step.iteration = static_cast<int>(result.history.size());
    step.loss = row.loss;
    step.parameters = row.estimate;
    step.gradientNorm = 0.0;
    step.learningRate = 0.0;
    step.horizon = row.horizon;
    result.history.push_back(step);
    if (onStep)
    {
      onStep(step);
    }
  }
  result.estimate = r.estimate;
  result.aborted = r.aborted;
  result.stoppedEarly = !r.aborted && r.horizon < r.horizons.back();
  result.message = r.message;
  return result;
}

} // namespace

ShootingSettings shootingSettings(const InversionSettings& s)
{
  ShootingSettings shooting = s.shooting;
  shooting.fit = s.fit;
  shooting.dt = s.run.dt;
  return shooting;
}

InversionResult invert(const Observations& data, const InversionSettings& s, Progress* progress,
  const std::function<void(const InversionStep&)>& onStep)
{
  if (data.frames.empty())
  {
    throw Error("The inversion needs an observed target.");
  }
  validate(s);
  if (s.method == InversionMethod::Gradient || s.method == InversionMethod::Hybrid)
  {
    validate(data.grid, s.initialGuess, s.run); // the descent's first simulations
  }
  if (data.intensity && s.method != InversionMethod::ResidualFit &&
    s.method != InversionMethod::Hybrid)
  {
    throw Error(std::string("{method} ") + toString(s.method) +
      " with an intensity ({observation}): it compares concentrations, and only the residual fit "
      "finds the map intensity = a v + b; use ResidualFit or Hybrid.");
  }
  if (s.method == InversionMethod::PINN)
  {
    return trainPinn(data, s, progress, onStep);
  }
  if (s.method == InversionMethod::Shooting)
  {
    return shoot(data, s, progress, onStep);
  }
  InversionResult result;
  Parameters start = s.initialGuess;
  Observations concentrations; // an intensity mapped to v by the fit, for the descent

  if (s.method != InversionMethod::Gradient)
  {
    ResidualSettings rs = s.residual;
    rs.fit = s.fit;
    rs.fixed = s.initialGuess;
    ResidualFit fit;
    try
    {
      fit = fitResidual(data, rs, progress);
    }
    catch (const Error& e)
    {
      // Named as the inversion's residual settings ({residual.method}, ...).
      throw Error(e.renamed([](const std::string& f) { return "{residual." + f + "}"; }));
    }
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
    result.intensityScale = fit.intensityScale;
    result.intensityOffset = fit.intensityOffset;
    if (s.method == InversionMethod::ResidualFit)
    {
      return result;
    }
    if (data.intensity)
    {
      if (!std::isfinite(fit.intensityScale))
      {
        result.message += " No descent: it compares concentrations, and the image does not "
                          "determine the map intensity = a v + b (fix one of Du, Dv, F).";
        result.stoppedEarly = true;
        return result;
      }
      concentrations = concentrationOf(data, fit);
    }
    // Hybrid: descend from the estimate; what the data do not determine keeps the guess.
    double* e[4] = { &start.Du, &start.Dv, &start.F, &start.k };
    const ParameterVector est = fit.estimate.asArray();
    for (int c = 0; c < 4; ++c)
    {
      if (fit.identifiable[c])
      {
        *e[c] = est[c]; // determined and plausible
      }
    }
  }

  const State& target = data.intensity ? concentrations.frames.back() : data.frames.back();
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

void validate(const InversionSettings& s)
{
  if (s.iterations < 0)
  {
    throw Error("{iterations} must be non-negative (got " + std::to_string(s.iterations) + ").");
  }
  if (s.batch < 1)
  {
    throw Error("{batch} must be at least 1 (got " + std::to_string(s.batch) + ").");
  }
  if (!(std::isfinite(s.learningRate) && s.learningRate > 0.0))
  {
    throw Error("{learningRate} must be finite and positive.");
  }
  if (!(std::isfinite(s.weightDecay) && s.weightDecay >= 0.0))
  {
    throw Error("{weightDecay} must be finite and non-negative.");
  }
  if (!(s.fit[0] || s.fit[1] || s.fit[2] || s.fit[3]))
  {
    throw Error("{fit}: choose at least one parameter to fit.");
  }
  for (std::size_t i = 0; i < parameterCount; ++i)
  {
    if (!(std::isfinite(s.initialGuess[i]) && s.initialGuess[i] >= 0.0))
    {
      throw Error(
        std::string("{initialGuess}: ") + parameterName(i) + " must be finite and non-negative.");
    }
  }
  s.gradient.validate();
  if (s.method == InversionMethod::ResidualFit || s.method == InversionMethod::Hybrid)
  {
    s.residual.validate();
  }
  if (s.method == InversionMethod::Shooting)
  {
    shootingSettings(s).validate();
  }
  if (s.method == InversionMethod::PINN && s.residual.discretisation != Discretisation::Stencil)
  {
    throw Error("{discretisation} Spectral is for the residual fit; the PINN's residual is the "
                "solver's stencil.");
  }
  if (s.method == InversionMethod::PINN)
  {
    s.pinn.network.validate();
    if (!(std::isfinite(s.pinn.residualWeight) && s.pinn.residualWeight >= 0.0))
    {
      throw Error("{pinn.residualWeight} must be finite and >= 0.");
    }
    if (!(std::isfinite(s.pinn.parameterLearningRate) && s.pinn.parameterLearningRate > 0.0 &&
          s.pinn.parameterLearningRate <= 1.0))
    {
      throw Error("{pinn.parameterLearningRate} must be in (0, 1].");
    }
  }
}

double inversionWork(const Observations& data, const InversionSettings& s)
{
  const double pattern = static_cast<double>(std::max<std::int64_t>(s.run.steps, 0));
  // The adjoint sweeps: about one forward run's worth per candidate.
  const double work = s.method == InversionMethod::ResidualFit
    ? static_cast<double>(data.frames.size())
    : s.method == InversionMethod::PINN ? static_cast<double>(s.pinn.network.iterations)
    : s.method == InversionMethod::Shooting
    ? static_cast<double>(shootingWork(shootingSettings(s), data))
    : static_cast<double>(s.iterations) * s.batch * static_cast<double>(s.run.steps);
  return work + pattern;
}

bool estimatePattern(const Observations& data, const InversionSettings& s,
  const Parameters& estimate, State& pattern, Progress* progress)
{
  pattern = State(data.grid);
  makeInitialCondition(pattern, s.initialCondition);
  validate(data.grid, estimate, s.run);
  return run(pattern, estimate, s.run, progress).status != RunStatus::Aborted;
}

HistoryColumns historyColumns(const std::vector<InversionStep>& history)
{
  HistoryColumns c;
  for (const InversionStep& step : history)
  {
    c.iteration.push_back(step.iteration);
    c.loss.push_back(step.loss);
    for (std::size_t i = 0; i < parameterCount; ++i)
    {
      c.parameters[i].push_back(step.parameters[i]);
    }
    c.gradientNorm.push_back(step.gradientNorm);
    c.learningRate.push_back(step.learningRate);
    c.accepted.push_back(step.accepted ? 1 : 0);
    c.horizon.push_back(step.horizon);
  }
  return c;
}

void TrajectoryAxes::validate() const
{
  static const char* const fields[3] = { "{trajectory.x}", "{trajectory.y}", "{trajectory.z}" };
  for (int a = 0; a < 3; ++a)
  {
    // x and y are parameters; z may also be None or Loss.
    checkedValue(axes[a], fields[a], axisNames(), a < 2 ? parameterCount : 0);
  }
  if (!std::isfinite(zScale))
  {
    throw Error("{trajectory.zScale} must be finite.");
  }
}

std::vector<double> TrajectoryAxes::points(const std::vector<InversionStep>& history) const
{
  std::vector<double> xyz;
  xyz.reserve(3 * history.size());
  for (const InversionStep& step : history)
  {
    for (int axis : axes)
    {
      xyz.push_back(axis >= 0 && axis < static_cast<int>(parameterCount)
          ? step.parameters[static_cast<std::size_t>(axis)]
          : axis == axisLoss ? zScale * step.loss
                             : 0.0);
    }
  }
  return xyz;
}

} // namespace gs
