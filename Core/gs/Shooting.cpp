#include "Shooting.h"

#include "Horizon.h"
#include "LevenbergMarquardt.h"
#include "Progress.h"
#include "ResidualSystem.h"
#include "Sensitivity.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace gs
{

void ShootingSettings::validate() const
{
  if (finalHorizon < 1)
  {
    throw Error("{shooting.finalHorizon} must be at least 1 step (got " +
      std::to_string(finalHorizon) + ").");
  }
  if (!(std::isfinite(growth) && growth > 1.0))
  {
    std::ostringstream msg;
    msg << "{shooting.growth} must be finite and greater than 1 (got " << growth << ").";
    throw Error(msg.str());
  }
  if (iterationsPerStage < 1)
  {
    throw Error("{shooting.iterationsPerStage} must be at least 1 (got " +
      std::to_string(iterationsPerStage) + ").");
  }
  if (!(fit[0] || fit[1] || fit[2] || fit[3]))
  {
    throw Error("{fit}: choose at least one parameter to fit.");
  }
}

std::vector<std::int64_t> shootingHorizons(std::int64_t spacing, const ShootingSettings& s)
{
  s.validate();
  std::vector<std::int64_t> k = { spacing };
  while (k.back() < s.finalHorizon)
  {
    const double grown = std::ceil(static_cast<double>(k.back()) * s.growth);
    std::int64_t next = static_cast<std::int64_t>(std::ceil(grown / spacing)) * spacing;
    next = std::max(next, k.back() + spacing);
    k.push_back(std::min(next, (s.finalHorizon / spacing) * spacing));
    if (k.back() <= k[k.size() - 2])
    {
      k.pop_back();
      break;
    }
  }
  return k;
}

namespace
{

/// J'J and J'r of r = (Phi^K(x_i) - x_(i+K)) / sqrt(N segments), |r|^2 the pixel horizon
/// loss on u and v (on v alone with u latent), over the fitted parameters.
void normalEquations(const HorizonLoss& loss, const Parameters& p, const ShootingSettings& s,
  const std::vector<int>& fitted, Eigen::MatrixXd& JtJ, Eigen::VectorXd& Jtr)
{
  const Eigen::Index m = static_cast<Eigen::Index>(fitted.size());
  JtJ = Eigen::MatrixXd::Zero(m, m);
  Jtr = Eigen::VectorXd::Zero(m);
  const RunSettings run{ s.dt, loss.settings().horizon, 0.0, loss.settings().blowUpMargin };
  const double scale =
    1.0 / (static_cast<double>(loss.start(0).grid.cells()) * static_cast<double>(loss.segments()));
  // With u latent the start depends on (Du, F) and only v is compared.
  const std::array<State, 4> initial = loss.startDerivatives(p);
  const double uWeight = loss.latent() ? 0.0 : 1.0;
  for (std::size_t seg = 0; seg < loss.segments(); ++seg)
  {
    const Sensitivities d = sensitivities(
      loss.startAt(seg, p), p, run, s.fit, nullptr, loss.latent() ? &initial : nullptr);
    if (d.run.status == RunStatus::BlowUp)
    {
      JtJ.setConstant(std::numeric_limits<double>::quiet_NaN());
      return;
    }
    const State& end = loss.end(seg);
    const std::size_t n = end.grid.cells();
    for (Eigen::Index a = 0; a < m; ++a)
    {
      const State& da = d.d[fitted[a]];
      double r = 0.0;
      for (std::size_t i = 0; i < n; ++i)
      {
        r += uWeight * da.u[i] * (d.final.u[i] - end.u[i]) + da.v[i] * (d.final.v[i] - end.v[i]);
      }
      Jtr[a] += scale * r;
      for (Eigen::Index b = 0; b <= a; ++b)
      {
        const State& db = d.d[fitted[b]];
        double q = 0.0;
        for (std::size_t i = 0; i < n; ++i)
        {
          q += uWeight * da.u[i] * db.u[i] + da.v[i] * db.v[i];
        }
        JtJ(a, b) += scale * q;
      }
    }
  }
  JtJ.triangularView<Eigen::StrictlyUpper>() = JtJ.transpose();
}

} // namespace

double shootingWork(const ShootingSettings& settings, const Observations& data)
{
  return static_cast<double>(
           shootingHorizons(HorizonLoss::spacingOf(data, settings.dt), settings).size()) *
    settings.iterationsPerStage;
}

ShootingResult fitByShooting(const Observations& data, const Parameters& start,
  const ShootingSettings& settings, Progress* progress)
{
  settings.validate();
  if (data.frames.empty())
  {
    throw Error("The shooting fit needs at least one observed frame.");
  }
  ShootingResult R;
  R.estimate = start;
  R.horizons = shootingHorizons(HorizonLoss::spacingOf(data, settings.dt), settings);
  std::vector<int> fitted;
  for (int c = 0; c < 4; ++c)
  {
    if (settings.fit[c])
    {
      fitted.push_back(c);
    }
  }
  const double steps = static_cast<double>(R.horizons.size()) * settings.iterationsPerStage;
  residual::FitProgress work(progress, steps, steps);

  Parameters accepted = start, trial = start;
  for (std::size_t stage = 0; stage < R.horizons.size(); ++stage)
  {
    const std::int64_t K = R.horizons[stage];
    HorizonSettings hs;
    hs.horizon = K;
    hs.dt = settings.dt;
    const HorizonLoss loss(data, hs);
    const double first = loss.evaluate(accepted);
    const int stageNumber = static_cast<int>(stage) + 1;
    if (!std::isfinite(first))
    {
      std::ostringstream msg;
      msg << "Stage " << stageNumber << " (K = " << K << "): the "
          << (stage == 0 ? "start" : "last estimate") << " blows up over this horizon"
          << (stage == 0 ? "." : "; the estimate is the last stage's.");
      R.message = msg.str();
      break;
    }
    int iteration = 0;
    R.history.push_back({ stageNumber, K, 0, accepted, first });
    int normals = 0;
    double trialLoss = first;
    residual::LevenbergMarquardt lm;
    lm.normal = [&](Eigen::MatrixXd& JtJ, Eigen::VectorXd& Jtr) {
      ++normals;
      normalEquations(loss, accepted, settings, fitted, JtJ, Jtr);
    };
    lm.trial = [&](const Eigen::VectorXd& d) {
      trial = accepted;
      for (std::size_t a = 0; a < fitted.size(); ++a)
      {
        trial[static_cast<Parameter>(fitted[a])] += d[static_cast<Eigen::Index>(a)];
      }
      try
      {
        const double l = loss.evaluate(trial);
        trialLoss = std::isfinite(l) ? l : std::numeric_limits<double>::infinity();
      }
      catch (const Error&)
      {
        trialLoss = std::numeric_limits<double>::infinity(); // negative or unstable: not a step
      }
      return trialLoss;
    };
    lm.accept = [&] {
      // The trial's loss, already computed: the accepted point is the trial point.
      accepted = trial;
      R.history.push_back({ stageNumber, K, ++iteration, accepted, trialLoss });
    };
    lm.reject = [] {};
    // One step beyond the allowance: a stage that stops by itself within it has settled.
    lm.run(first, settings.iterationsPerStage + 1, work);
    if (work.aborted())
    {
      R.aborted = true;
      R.message = "Aborted at stage " + std::to_string(stageNumber) + " (K = " + std::to_string(K) +
        "); the estimate is the last stage's.";
      break;
    }
    if (normals > settings.iterationsPerStage)
    {
      std::ostringstream msg;
      msg << "Stage " << stageNumber << " (K = " << K << ") did not settle in "
          << settings.iterationsPerStage
          << " steps: over this horizon the loss is no longer a bowl around the last estimate; "
             "the estimate is "
          << (stage == 0 ? "the start."
                         : "the last stage's (K = " + std::to_string(R.horizon) + ").");
      R.message = msg.str();
      break;
    }
    R.estimate = accepted;
    R.horizon = K;
  }
  if (R.message.empty())
  {
    R.message = "Every stage settled, up to K = " + std::to_string(R.horizon) + ".";
  }
  else if (!data.uObserved && !R.aborted)
  {
    R.message += " With v alone a frozen v (F = k = Dv = 0, so the latent u = 0) matches itself "
                 "over every horizon, and noise makes it the horizon loss's lowest point, where "
                 "a descent may slide: the residual fit of v alone (which divides by u v^2) "
                 "avoids it.";
  }
  work.finish();
  return R;
}

} // namespace gs
