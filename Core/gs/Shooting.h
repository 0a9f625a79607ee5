// Inversion by continuation in the horizon: the horizon loss (Horizon.h) minimised first over
// one step, where it is the residual's quadratic and Gauss-Newton lands on its minimum at
// once, then over longer and longer horizons, each stage starting from the last one's
// estimate, while the descent still settles in a bowl.
#pragma once

#include "Grid.h"
#include "Residual.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace gs
{

class Progress;

struct ShootingSettings
{
  /// K of the last stage: the estimate's horizon when every stage settles.
  std::int64_t finalHorizon = 1000;
  /// K grows by this factor from stage to stage (in whole multiples of the frames' spacing).
  double growth = 2.0;
  /// Levenberg-Marquardt steps a stage may take; a stage that needs more has left its bowl.
  int iterationsPerStage = 30;
  /// Which of (Du, Dv, F, k) to fit; the others keep the start's values.
  std::array<bool, 4> fit = { true, true, true, true };
  double dt = 1.0;
  /// Throws gs::Error naming the field ({shooting.finalHorizon}, ...).
  void validate() const;
};

/// One accepted step (iteration 0: a stage's start).
struct ShootingRow
{
  int stage = 0;
  std::int64_t horizon = 0;
  int iteration = 0;
  Parameters estimate;
  double loss = 0.0; ///< the horizon loss (pixel on u and v) at estimate
};

struct ShootingResult
{
  Parameters estimate;                ///< the last stage that settled (the start when none did)
  std::int64_t horizon = 0;           ///< its K (0 when no stage settled)
  std::vector<std::int64_t> horizons; ///< every stage's K, planned
  std::vector<ShootingRow> history;
  bool aborted = false;
  /// How the continuation ended: "Every stage settled, up to K = 1000." or why it stopped.
  std::string message;
};

/// The stages' horizons: the frames' spacing (1 for one steady frame), then growing by
/// settings.growth, rounded up to whole multiples of the spacing, up to finalHorizon.
std::vector<std::int64_t> shootingHorizons(std::int64_t spacing, const ShootingSettings& settings);

/// Progress units of fitByShooting on `data`: the stages times their steps.
double shootingWork(const ShootingSettings& settings, const Observations& data);

/// Fits by continuation from `start`. Needs what HorizonLoss needs (every cell, frames equally
/// spaced; v alone: one steady frame, its u latent). Gauss-Newton's Jacobian comes from the forward
/// sensitivities (Sensitivity.h). Progress in Levenberg-Marquardt steps (shootingWork); on abort,
/// the last settled stage. Throws gs::Error for unusable input or a start the solver refuses.
ShootingResult fitByShooting(const Observations& data, const Parameters& start,
  const ShootingSettings& settings, Progress* progress = nullptr);

} // namespace gs
