#include "Relaxation.h"

#include "Progress.h"
#include "Random.h"
#include "Sensitivity.h"
#include "Simulation.h"

#include <Eigen/Dense>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gs
{

void RelaxationSettings::validate() const
{
  if (modes < 1 || extra < 0 || power < 1 || maxIterations < 1)
  {
    throw Error("{relaxation.modes}, {relaxation.power} and {relaxation.maxIterations} must be "
                "at least 1 and {relaxation.extra} at least 0.");
  }
  if (!(std::isfinite(tolerance) && tolerance > 0.0))
  {
    throw Error("{relaxation.tolerance} must be finite and positive.");
  }
}

double RelaxationResult::relaxationSteps(std::complex<double> mu)
{
  const double m = std::abs(mu);
  return m >= 1.0 ? std::numeric_limits<double>::infinity() : -1.0 / std::log(m);
}

namespace
{

/// Applies the linearised step `times` times to each column of Q (columns are independent
/// tasks), the columns being (u, v) of n cells each.
void applySteps(const State& x, const Parameters& p, double dt, const std::vector<double>& Lu,
  const std::vector<double>& Lv, int times, Eigen::MatrixXd& Q)
{
  const std::size_t n = x.grid.cells();
  tbb::parallel_for(Eigen::Index(0), Q.cols(), [&](Eigen::Index c) {
    State s(x.grid);
    std::copy(Q.col(c).data(), Q.col(c).data() + n, s.u.begin());
    std::copy(Q.col(c).data() + n, Q.col(c).data() + 2 * n, s.v.begin());
    std::vector<double> La(n), Lb(n);
    for (int t = 0; t < times; ++t)
    {
      tangentStep(x, Lu.data(), Lv.data(), p, dt, -1, s, La.data(), Lb.data());
    }
    std::copy(s.u.begin(), s.u.end(), Q.col(c).data());
    std::copy(s.v.begin(), s.v.end(), Q.col(c).data() + n);
  });
}

Eigen::MatrixXd orthonormal(const Eigen::MatrixXd& A)
{
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(A);
  return qr.householderQ() * Eigen::MatrixXd::Identity(A.rows(), A.cols());
}

} // namespace

RelaxationResult relaxationModes(
  const State& x, const Parameters& p, double dt, const RelaxationSettings& s, Progress* progress)
{
  s.validate();
  validate(x.grid, p, RunSettings{ dt, 1, 0.0 });
  const std::size_t n = x.grid.cells();
  const Eigen::Index b = s.modes + s.extra;
  checkMemory(sizeof(double) * 2.0 * n * (3.0 * b + 4.0), "the relaxation modes' vectors");
  std::vector<double> Lu(n), Lv(n);
  laplacian(x.grid, x.u.data(), Lu.data());
  laplacian(x.grid, x.v.data(), Lv.data());

  Eigen::MatrixXd Q(2 * n, b);
  Random rng(s.seed);
  for (Eigen::Index c = 0; c < b; ++c)
  {
    for (Eigen::Index i = 0; i < Q.rows(); i += 2)
    {
      double a, d;
      rng.normalPair(a, d);
      Q(i, c) = a;
      if (i + 1 < Q.rows())
      {
        Q(i + 1, c) = d;
      }
    }
  }
  Q = orthonormal(Q);

  RelaxationResult R;
  std::vector<std::complex<double>> previous;
  for (R.iterations = 1; R.iterations <= s.maxIterations; ++R.iterations)
  {
    applySteps(x, p, dt, Lu, Lv, s.power, Q);
    Q = orthonormal(Q);
    // Rayleigh-Ritz with J itself: the multipliers, not their powers.
    Eigen::MatrixXd JQ = Q;
    applySteps(x, p, dt, Lu, Lv, 1, JQ);
    const Eigen::MatrixXd B = Q.transpose() * JQ;
    Eigen::EigenSolver<Eigen::MatrixXd> eig(B);
    std::vector<Eigen::Index> order(static_cast<std::size_t>(b));
    for (Eigen::Index i = 0; i < b; ++i)
    {
      order[static_cast<std::size_t>(i)] = i;
    }
    const Eigen::VectorXcd mu = eig.eigenvalues();
    std::stable_sort(order.begin(), order.end(),
      [&](Eigen::Index a, Eigen::Index c) { return std::abs(mu[a]) > std::abs(mu[c]); });
    std::vector<std::complex<double>> current;
    for (int i = 0; i < s.modes; ++i)
    {
      current.push_back(mu[order[static_cast<std::size_t>(i)]]);
    }
    bool settled = previous.size() == current.size();
    for (std::size_t i = 0; settled && i < current.size(); ++i)
    {
      settled = std::abs(current[i] - previous[i]) <= s.tolerance;
    }
    previous = current;
    const bool last = settled || R.iterations == s.maxIterations;
    if (progress)
    {
      progress->add(1.0);
      if (progress->aborted())
      {
        R.aborted = true;
        return R;
      }
    }
    if (last)
    {
      R.converged = settled;
      R.multipliers = current;
      const Eigen::MatrixXcd V = eig.eigenvectors();
      for (int i = 0; i < s.modes; ++i)
      {
        const Eigen::Index k = order[static_cast<std::size_t>(i)];
        const Eigen::VectorXcd q = Q.cast<std::complex<double>>() * V.col(k);
        const Eigen::VectorXcd Jq = JQ.cast<std::complex<double>>() * V.col(k);
        R.residuals.push_back((Jq - mu[k] * q).norm() / q.norm());
      }
      break;
    }
  }
  if (progress)
  {
    progress->add(static_cast<double>(s.maxIterations - std::min(R.iterations, s.maxIterations)));
  }
  return R;
}

} // namespace gs
