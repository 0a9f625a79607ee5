// Losses that compare a simulated pattern with a target, each with its exact gradient with
// respect to the predicted fields (the seed of the adjoint).
#pragma once

#include "Grid.h"

#include <memory>
#include <string>
#include <vector>

namespace gs
{

enum class LossKind
{
  Pixel,         ///< "pixel": mean squared difference (same initial conditions only)
  LogPS,         ///< "logps": the paper's log power spectrum MSE (translation invariant)
  LogPSWindowed, ///< "logps_windowed": logps on each tile of tileSize cells per axis
  LogPSRadial,   ///< "logps_radial": radially averaged log power spectrum (rotation invariant)
  Gram           ///< "gram": Gram matrices of a fixed, rectified multi-scale filter bank
};

/// The names used in ParaView properties and output arrays.
const char* toString(LossKind kind);
/// Throws gs::Error listing the valid names.
LossKind lossFromString(const std::string& name);
const std::vector<LossKind>& allLosses();

struct LossSettings
{
  LossKind kind = LossKind::LogPS;
  /// Tile side in cells for logps_windowed (the paper uses 16).
  int tileSize = 16;
  /// S = log(P + epsilon): keeps the log finite where the power vanishes.
  double epsilon = 1e-8;
  /// Compare u as well as v (the loss is then the sum of both species' losses).
  bool includeU = false;
};

/// A loss bound to one target; the target's features are computed once.
///
/// Definitions, all on v (and u when includeU), N cells:
/// - pixel: (1/N) sum (p - t)^2.
/// - logps: x = f - mean(f); P = |DFT(x)|^2; S = log(P + eps); (1/N) sum (S_p - S_t)^2.
/// - logps_windowed: the same on each full tile of T^d cells (mean removed per tile), averaged
///   over all tiled cells; cells beyond the last full tile are not compared.
/// - logps_radial: S averaged over shells of integer radius |k| (frequencies scaled to the
///   shortest axis), then the mean over shells of the squared difference.
/// - gram: channels = the field, and for dilations d = 1, 2, 4, 8 the rectified positive and
///   negative parts of centred differences f(x + d e) - f(x - d e) along 4 directions in 2D
///   (x, y, both diagonals) or the 3 axes in 3D, and of the dilated Laplacian; G = C^T C / N;
///   loss = mean over entries of (G_p - G_t)^2.
class Loss
{
public:
  Loss(const LossSettings& settings, const State& target);
  ~Loss();
  Loss(Loss&&) noexcept;
  Loss& operator=(Loss&&) noexcept;

  /// The loss of `prediction` (same grid as the target); when `gradient` is given, it is
  /// resized to the grid and filled with dL/du and dL/dv. Thread-safe (const).
  double evaluate(const State& prediction, State* gradient = nullptr) const;

  const LossSettings& settings() const;

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/// The paper's batch loss: B predictions against B targets, paired, averaged over the pairs.
/// `losses[i]` is bound to target i. When `gradients` is given it receives dL/d(u, v) of each
/// prediction (each pair's gradient divided by B). Throws gs::Error if the counts differ.
double batchLoss(const std::vector<const Loss*>& losses, const std::vector<State>& predictions,
  std::vector<State>* gradients = nullptr);

} // namespace gs
