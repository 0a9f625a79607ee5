// The physics-informed neural network (PINN) of the paper's ablation: a neural field for
// (u, v) trained together with (Du, Dv, F, k) on a data loss plus a weighted loss of the PDE
// residual of the network's field. The residual is the solver's discrete one (its stencil and
// forward difference), evaluated on the network's values at every cell; with the network
// fixed it is linear in the parameters, so this term is exactly quadratic in them and its
// minimum is the closed-form residual fit of the network's field. With u unobserved the data
// term is v's alone and the network's u is fixed by the residual term: the physics completes it.
#pragma once

#include "Grid.h"
#include "NeuralField.h"

#include <vector>

namespace gs
{

struct PinnSettings
{
  /// The network; its iterations are the joint training's Adam steps, and a featureScale of
  /// 0 means one cycle per 10 cells (gridNetworkSettings).
  NeuralFieldSettings network;
  /// Weight of the residual term against the data term (both dimensionless: the data term
  /// in units of the observed fields' standard deviations, the residual in units of the RMS
  /// of the observed reaction term u v^2).
  double residualWeight = 1.0;
  /// Adam's first step on log(parameter); it decays as the network's rate does.
  double parameterLearningRate = 0.05;
};

/// The residual term on full fields: the mean over every cell and both equations of
/// (r_u^2 + r_v^2) / scale^2, with r the strong-form residual of the model at each frame
/// (steady: u_t = v_t = 0) or at each frame but the last (forward differences in time).
class PinnResidual
{
public:
  /// Throws gs::Error for an unusable grid, non-finite or non-increasing times, too few
  /// frames for a time series, or a scale that is not finite and positive.
  PinnResidual(const Grid& grid, const std::vector<double>& times, bool steady, double scale);

  /// The term at `p` for `frames` (one State per time, on the grid). With `fieldGradient`
  /// (resized to match) its derivative with respect to every value of every frame, with
  /// `parameterGradient` with respect to (Du, Dv, F, k).
  double evaluate(const std::vector<State>& frames, const Parameters& p,
    std::vector<State>* fieldGradient = nullptr,
    ParameterVector* parameterGradient = nullptr) const;

  /// The RMS of u v^2 over the observed cells of `data` (1 when it is 0): the natural scale.
  /// With u unobserved, of v^2 (u at its bound 1).
  static double reactionScale(const Observations& data);

private:
  Grid G;
  std::vector<double> Times;
  bool Steady;
  double Scale;
};

} // namespace gs
