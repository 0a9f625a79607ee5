// Levenberg-Marquardt for the nonlinear residual fits' few variables (internal to Core): the
// caller keeps the point and its state, the driver the damping and the stopping rules.
#pragma once

#include "ResidualSystem.h"

#include <Eigen/Dense>

#include <algorithm>
#include <functional>

namespace gs
{
namespace residual
{

struct LevenbergMarquardt
{
  /// J'J and J'r of the residual at the accepted point.
  std::function<void(Eigen::MatrixXd& JtJ, Eigen::VectorXd& Jtr)> normal;
  /// The loss at the accepted point moved by d (the caller holds that trial point).
  std::function<double(const Eigen::VectorXd& d)> trial;
  /// The trial point becomes the accepted one, or the caller returns to the accepted one.
  std::function<void()> accept, reject;

  /// Descends from the accepted point of loss `loss`, one work.tick() per step, until the
  /// loss stops falling (to 1e-15 relative) or the step vanishes; returns the final loss.
  double run(double loss, int maxSteps, FitProgress& work) const
  {
    double lambda = 1e-3;
    Eigen::MatrixXd JtJ;
    Eigen::VectorXd Jtr;
    for (int step = 0; step < maxSteps && work.tick(); ++step)
    {
      normal(JtJ, Jtr);
      bool improved = false, converged = false;
      for (int tries = 0; tries < 30 && !improved; ++tries)
      {
        // Marquardt's scaling, with a floor for a direction the data do not see.
        Eigen::MatrixXd M = JtJ;
        const double floor = 1e-15 * JtJ.diagonal().maxCoeff();
        for (Eigen::Index a = 0; a < M.rows(); ++a)
        {
          M(a, a) += lambda * std::max(JtJ(a, a), floor) + floor;
        }
        const Eigen::VectorXd d = -M.ldlt().solve(Jtr);
        if (!d.allFinite() || d.norm() < 1e-14)
        {
          converged = true;
          break;
        }
        const double r = trial(d);
        if (r < loss)
        {
          improved = true;
          converged = loss - r <= 1e-15 * loss || d.norm() < 1e-12;
          loss = r;
          accept();
          lambda = std::max(lambda / 10.0, 1e-12);
        }
        else
        {
          reject();
          lambda *= 10.0;
        }
      }
      if (!improved || converged)
      {
        break;
      }
    }
    return loss;
  }
};

} // namespace residual
} // namespace gs
