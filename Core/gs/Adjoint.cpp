#include "Adjoint.h"

#include "FloatingPoint.h"
#include "Kernel.h"
#include "Loss.h"
#include "Progress.h"
#include "Spectral.h"

#include <Eigen/Sparse>
#include <unsupported/Eigen/IterativeSolvers>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

namespace gs
{

namespace
{

constexpr std::size_t ParallelCellThreshold = 8192;
constexpr std::size_t RowsPerTask = 16;

/// One step of the discrete adjoint. For the explicit Euler map x_{n+1} = Phi(x_n), with
/// lambda = (a, b) the adjoint of (u, v) at step n + 1:
///   a_n = a + dt (Du L a - (v^2 + F) a + v^2 b)
///   b_n = b + dt (Dv L b - 2 u v a + (2 u v - F - k) b)
/// (L is symmetric on a periodic grid), and the step adds lambda^T dPhi/dmu:
///   dt (a.Lu, b.Lv, a.(1 - u) - b.v, -b.v).
/// Sums run per row in x order and rows are added in row order: the same bits for any thread
/// count.
class AdjointStepper
{
public:
  AdjointStepper(const Grid& g, const Parameters& p, double dt)
    : G(g)
    , C(kernel::makeCoefficients(g, p, dt))
    , A(g.cells())
    , B(g.cells())
    , RowSums(std::size_t(g.ny) * g.nz)
  {
    const std::size_t rows = RowSums.size();
    Split = g.cells() >= ParallelCellThreshold && rows >= 2 * RowsPerTask;
  }

  void step(const State& x, State& lambda, ParameterVector& g)
  {
    const std::size_t rows = RowSums.size();
    auto work = [&](const tbb::blocked_range<std::size_t>& r) {
      const DenormalsAreZero daz;
      for (std::size_t row = r.begin(); row < r.end(); ++row)
      {
        stepRow(x, lambda, row);
      }
    };
    if (Split)
    {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, RowsPerTask), work);
    }
    else
    {
      work(tbb::blocked_range<std::size_t>(0, rows));
    }
    lambda.u.swap(A);
    lambda.v.swap(B);
    ParameterVector s = { 0.0, 0.0, 0.0, 0.0 };
    for (const auto& r : RowSums)
    {
      for (int i = 0; i < 4; ++i)
      {
        s[i] += r[i];
      }
    }
    for (int i = 0; i < 4; ++i)
    {
      g[i] += C.dt * s[i];
    }
  }

private:
  void stepRow(const State& x, const State& lambda, std::size_t row)
  {
    const kernel::RowOffsets o = kernel::rowOffsets(G, row);
    const double* u = x.u.data();
    const double* v = x.v.data();
    const double* a = lambda.u.data();
    const double* b = lambda.v.data();
    const kernel::Stencil& s = C.s;
    const bool threeD = G.nz > 1;
    auto lap = [&](const double* f, int xc, int xw, int xe) {
      double l = s.cx * (f[o.c + xw] + f[o.c + xe]) + s.cy * (f[o.s + xc] + f[o.n + xc]);
      if (threeD)
      {
        l += s.cz * (f[o.b + xc] + f[o.t + xc]);
      }
      return l + s.cc * f[o.c + xc];
    };
    double sDu = 0.0, sDv = 0.0, sF = 0.0, sk = 0.0;
    const int nx = G.nx;
    for (int xc = 0; xc < nx; ++xc)
    {
      const int xw = xc == 0 ? nx - 1 : xc - 1;
      const int xe = xc == nx - 1 ? 0 : xc + 1;
      const std::size_t i = o.c + xc;
      const double uu = u[i], vv = v[i], aa = a[i], bb = b[i];
      const double v2 = vv * vv, uv2 = 2.0 * uu * vv;
      A[i] = aa + C.dt * (C.Du * lap(a, xc, xw, xe) - (v2 + C.F) * aa + v2 * bb);
      B[i] = bb + C.dt * (C.Dv * lap(b, xc, xw, xe) - uv2 * aa + (uv2 - C.Fk) * bb);
      sDu += aa * lap(u, xc, xw, xe);
      sDv += bb * lap(v, xc, xw, xe);
      sF += aa * (1.0 - uu) - bb * vv;
      sk -= bb * vv;
    }
    RowSums[row] = { sDu, sDv, sF, sk };
  }

  Grid G;
  kernel::Coefficients C;
  std::vector<double> A, B;
  std::vector<std::array<double, 4>> RowSums;
  bool Split = false;
};

/// C(s + t, t): how many steps s stored states can reverse when each step is recomputed at
/// most t times (Griewank's binomial bound). Saturates instead of overflowing.
std::int64_t beta(std::int64_t s, std::int64_t t)
{
  const std::int64_t cap = std::numeric_limits<std::int64_t>::max() / 4;
  std::int64_t r = 1;
  for (std::int64_t i = 1; i <= t; ++i)
  {
    if (r > cap / (s + i))
    {
      return cap;
    }
    r = r * (s + i) / i;
  }
  return r;
}

/// Where to store the next state when reversing steps [a, a + l) with s free slots: the first
/// split of an optimal binomial schedule.
std::int64_t binomialSplit(std::int64_t l, std::int64_t s)
{
  std::int64_t t = 1;
  while (beta(s, t) < l)
  {
    ++t;
  }
  return std::min(std::max<std::int64_t>(beta(s, t - 1), 1), l - 1);
}

double stateBytes(const Grid& g)
{
  return 2.0 * sizeof(double) * static_cast<double>(g.cells());
}

std::string blowUpMessage(std::int64_t step)
{
  return "The forward run blew up (non-finite values or v outside [0, 1]) by step " +
    std::to_string(step) + ": the loss has no gradient there.";
}

/// The reverse sweep over steps [a0, n) with binomial checkpointing. `x0` is the state at a0.
/// When `xn` is null the final state is computed on the way (the first chain of stored states
/// is the forward run itself).
class Reverser
{
public:
  Reverser(const Grid& g, const Parameters& p, double dt, const Loss& loss, double budget,
    Progress* progress, GradientResult& result)
    : Fwd(g, p, dt)
    , Adj(g, p, dt)
    , L(loss)
    , Budget(budget)
    , Prog(progress)
    , R(result)
  {
  }

  /// Fills R.loss and R.gradient; returns false (with R.message) on blow-up or abort.
  bool reverse(const State& x0, std::int64_t a0, std::int64_t n, const State* xn)
  {
    const double bytes = stateBytes(x0.grid);
    // Besides the stored states: the adjoint and its work copy, a working state and the
    // forward solver's work fields.
    const std::int64_t reserved = 4;
    const std::int64_t slots = static_cast<std::int64_t>(Budget / bytes) - reserved - 1;
    if (slots < 0)
    {
      std::ostringstream msg;
      msg << "The checkpoint memory (" << Budget / (1 << 20) << " MiB) is too small: the adjoint needs at least "
          << (reserved + 1) * bytes / (1 << 20) << " MiB on this grid.";
      throw Error(msg.str());
    }
    const std::int64_t s = std::min(slots, std::max<std::int64_t>(n - a0 - 1, 0));
    R.checkpoints = static_cast<std::size_t>(s);
    checkMemory((s + 1 + reserved) * bytes, "the adjoint's stored states");

    if (xn)
    {
      seed(*xn);
    }
    if (n == a0)
    {
      if (!xn)
      {
        seed(x0);
      }
      return true;
    }

    struct Snapshot
    {
      std::int64_t step;
      State state;
    };
    std::vector<Snapshot> stack;
    stack.push_back({ a0, x0 });
    std::size_t peak = 1;
    std::int64_t b = n; // the adjoint is at step b
    State work;
    while (b > a0)
    {
      const Snapshot& top = stack.back();
      const std::int64_t a = top.step, l = b - a;
      const std::int64_t free = s - static_cast<std::int64_t>(stack.size() - 1);
      if (l == 1 || free == 0)
      {
        // Reverse [a, b) from the top state alone, recomputing as needed.
        for (std::int64_t i = l - 1; i >= 0; --i)
        {
          work = top.state;
          if (!advance(work, i, a))
          {
            return false;
          }
          if (!adjointStep(work, a + i))
          {
            return false;
          }
        }
        b = a;
        if (a > a0)
        {
          stack.pop_back();
        }
        continue;
      }
      const std::int64_t m = a + binomialSplit(l, free);
      work = top.state;
      if (!advance(work, m - a, a))
      {
        return false;
      }
      stack.push_back({ m, std::move(work) });
      peak = std::max(peak, stack.size());
    }
    R.peakBytes = (peak + reserved) * bytes;
    return true;
  }

private:
  bool advance(State& x, std::int64_t steps, std::int64_t from)
  {
    if (steps == 0)
    {
      return true;
    }
    const RunResult r = Fwd.advance(x, steps);
    R.forwardSteps += r.steps;
    if (r.status == RunStatus::BlowUp)
    {
      R.message = blowUpMessage(from + r.steps);
      return false;
    }
    return !aborted();
  }

  /// The adjoint step from the state at step `n` (the adjoint moves from n + 1 to n).
  bool adjointStep(const State& x, std::int64_t n)
  {
    if (!Seeded)
    {
      // The first step reversed is the last one: compute the final state from here.
      State last = x;
      if (!advance(last, 1, n))
      {
        return false;
      }
      seed(last);
    }
    Adj.step(x, Lambda, R.gradient);
    ++R.adjointSteps;
    if (Prog)
    {
      Prog->add(1.0);
    }
    return !aborted();
  }

  void seed(const State& final)
  {
    R.loss = L.evaluate(final, &Lambda);
    Seeded = true;
  }

  bool aborted()
  {
    if (Prog && Prog->aborted())
    {
      R.message = "Aborted.";
      return true;
    }
    return false;
  }

  Stepper Fwd;
  AdjointStepper Adj;
  const Loss& L;
  double Budget;
  Progress* Prog;
  GradientResult& R;
  State Lambda;
  bool Seeded = false;
};

/// Largest |cos| between g = (g_u, g_v) and the generators of shifts of (u, v) along each axis
/// (spectral derivatives, exact for band-limited fields); 0 for a uniform state (RMS shift
/// derivative below 1e-6).
double translationAlignment(const State& xs, const Eigen::VectorXd& g)
{
  const Grid& grid = xs.grid;
  const std::size_t n = grid.cells();
  const Shape shape{ grid.nx, grid.ny, grid.nz };
  const int dims[3] = { grid.nx, grid.ny, grid.nz };
  double worst = 0.0;
  ComplexField fu(xs.u.begin(), xs.u.end()), fv(xs.v.begin(), xs.v.end());
  fftForward(shape, fu);
  fftForward(shape, fv);
  for (int axis = 0; axis < 3; ++axis)
  {
    const int len = dims[axis];
    if (len < 2)
    {
      continue;
    }
    ComplexField du = fu, dv = fv;
    for (std::size_t i = 0; i < n; ++i)
    {
      const std::size_t idx = axis == 0 ? i % grid.nx
        : axis == 1                     ? (i / grid.nx) % grid.ny
                                        : i / (std::size_t(grid.nx) * grid.ny);
      const int f = static_cast<int>(idx) <= len / 2 ? static_cast<int>(idx) : static_cast<int>(idx) - len;
      // i k, with the Nyquist mode dropped so the derivative of a real field stays real.
      const std::complex<double> ik(0.0, 2 * 3.14159265358979323846 * f / len);
      const std::complex<double> m = (2 * f == len) ? 0.0 : ik;
      du[i] *= m;
      dv[i] *= m;
    }
    fftInverse(shape, du);
    fftInverse(shape, dv);
    double dot = 0.0, tt = 0.0;
    for (std::size_t i = 0; i < n; ++i)
    {
      dot += g[i] * du[i].real() + g[n + i] * dv[i].real();
      tt += du[i].real() * du[i].real() + dv[i].real() * dv[i].real();
    }
    // A (numerically) uniform state has no shift to worry about.
    if (std::sqrt(tt / n) > 1e-6)
    {
      worst = std::max(worst, std::fabs(dot) / (std::sqrt(tt) * g.norm()));
    }
  }
  return worst;
}

/// The implicit-function-theorem gradient at a steady state x*: with A = df/dx (f the right-hand
/// side), solve A^T w = dL/dx* and return -w^T df/dmu. A^T is assembled as a sparse matrix and
/// solved by GMRES with an incomplete LU preconditioner.
bool implicitGradient(const State& xs, const Parameters& p, double dt, const Loss& loss,
  const GradientSettings& gs, GradientResult& R)
{
  const Grid& g = xs.grid;
  const std::size_t n = g.cells();
  State dLdx;
  R.loss = loss.evaluate(xs, &dLdx);
  const kernel::Stencil s = kernel::makeStencil(g);
  checkMemory(2.0 * n * (g.nz > 1 ? 8 : 6) * 3 * sizeof(double) * 4, "the implicit gradient's sparse system");

  // Unknowns: w_u at i, w_v at n + i. Row i of A^T is column i of A.
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(2 * n * (g.nz > 1 ? 8 : 6));
  const std::size_t rows = std::size_t(g.ny) * g.nz;
  for (std::size_t row = 0; row < rows; ++row)
  {
    const kernel::RowOffsets o = kernel::rowOffsets(g, row);
    for (int x = 0; x < g.nx; ++x)
    {
      const std::size_t i = o.c + x;
      const double u = xs.u[i], v = xs.v[i];
      const std::size_t nb[6] = { o.c + (x + g.nx - 1) % g.nx, o.c + (x + 1) % g.nx, o.s + x,
        o.n + x, o.b + x, o.t + x };
      const double w[6] = { s.cx, s.cx, s.cy, s.cy, s.cz, s.cz };
      for (int k = 0; k < 6; ++k)
      {
        if (w[k] != 0.0)
        {
          t.emplace_back(i, nb[k], p.Du * w[k]);
          t.emplace_back(n + i, n + nb[k], p.Dv * w[k]);
        }
      }
      t.emplace_back(i, i, p.Du * s.cc - v * v - p.F);
      t.emplace_back(i, n + i, v * v);
      t.emplace_back(n + i, i, -2.0 * u * v);
      t.emplace_back(n + i, n + i, p.Dv * s.cc + 2.0 * u * v - p.F - p.k);
    }
  }
  Eigen::SparseMatrix<double> At(2 * n, 2 * n);
  At.setFromTriplets(t.begin(), t.end()); // duplicates (1- or 2-cell axes) are summed
  Eigen::VectorXd rhs(2 * n);
  for (std::size_t i = 0; i < n; ++i)
  {
    rhs[i] = dLdx.u[i];
    rhs[n + i] = dLdx.v[i];
  }
  if (rhs.norm() == 0.0)
  {
    R.gradient = { 0.0, 0.0, 0.0, 0.0 };
    return true;
  }
  // A pattern shifted by any amount is (nearly) steady too: the shift generators t (the
  // pattern's spectral derivatives) span A's (near) null space, so A^T w = g is only solvable
  // when g is orthogonal to them, as for translation-invariant losses.
  R.translationAlignment = translationAlignment(xs, rhs);
  if (R.translationAlignment > 1e-6)
  {
    std::ostringstream msg;
    msg << "The implicit gradient is ill-posed for this loss: the steady pattern can be shifted "
           "on the periodic grid, and the loss is not translation invariant (its gradient has "
           "a component "
        << R.translationAlignment
        << " along a shift). Use a translation-invariant loss (logps, logps_radial, gram) or "
           "the unrolled routing.";
    R.message = msg.str();
    return false;
  }
  Eigen::GMRES<Eigen::SparseMatrix<double>, Eigen::IncompleteLUT<double>> solver;
  solver.preconditioner().setDroptol(1e-6);
  solver.setTolerance(gs.implicitTolerance);
  solver.setMaxIterations(gs.implicitMaxIterations);
  solver.set_restart(200);
  solver.compute(At);
  // GMRES stops on the preconditioned residual; restart from its answer until the true
  // residual meets the tolerance too.
  Eigen::VectorXd w = Eigen::VectorXd::Zero(2 * n);
  R.solverResidual = 1.0;
  R.solverIterations = 0;
  for (int pass = 0; solver.info() == Eigen::Success && pass < 20 &&
       R.solverIterations < gs.implicitMaxIterations && R.solverResidual > gs.implicitTolerance;
       ++pass)
  {
    w = solver.solveWithGuess(rhs, w);
    R.solverIterations += static_cast<int>(solver.iterations());
    R.solverResidual = (At * w - rhs).norm() / rhs.norm();
  }
  if (!(R.solverResidual <= gs.implicitTolerance))
  {
    std::ostringstream msg;
    msg << "The implicit gradient's linear system (the transposed Jacobian at the steady state) "
           "could not be solved: relative residual "
        << R.solverResidual << " after " << R.solverIterations
        << " iterations. On a periodic grid every pattern can be shifted, so this system is "
           "(nearly) singular; it is consistent only for translation-invariant losses.";
    R.message = msg.str();
    return false;
  }
  // -w^T df/dmu, with df/dmu = (L u, 0), (0, L v), (1 - u, -v), (0, -v).
  std::vector<double> lu(n), lv(n);
  laplacian(g, xs.u.data(), lu.data());
  laplacian(g, xs.v.data(), lv.data());
  ParameterVector grad = { 0.0, 0.0, 0.0, 0.0 };
  for (std::size_t i = 0; i < n; ++i)
  {
    const double wu = w[i], wv = w[n + i];
    grad[0] -= wu * lu[i];
    grad[1] -= wv * lv[i];
    grad[2] -= wu * (1.0 - xs.u[i]) - wv * xs.v[i];
    grad[3] += wv * xs.v[i];
  }
  R.gradient = grad;
  (void)dt;
  return true;
}

} // namespace

const char* toString(Routing routing)
{
  switch (routing)
  {
    case Routing::Unrolled:
      return "unrolled";
    case Routing::Truncated:
      return "truncated";
    case Routing::Implicit:
      return "implicit";
  }
  return "unknown";
}

Routing routingFromString(const std::string& name)
{
  for (Routing r : { Routing::Unrolled, Routing::Truncated, Routing::Implicit })
  {
    if (name == toString(r))
    {
      return r;
    }
  }
  throw Error("Unknown gradient routing '" + name + "'; valid are unrolled, truncated, implicit.");
}

GradientResult lossGradient(const State& initial, const Parameters& p, const RunSettings& settings,
  const Loss& loss, const GradientSettings& gs, Progress* progress)
{
  validate(initial.grid, p, settings);
  if (initial.u.size() != initial.grid.cells() || initial.v.size() != initial.grid.cells())
  {
    throw Error("The initial state's fields do not match its grid.");
  }
  if (gs.routing == Routing::Truncated && gs.truncationSteps < 0)
  {
    throw Error("Truncation steps must be non-negative (got " + std::to_string(gs.truncationSteps) + ").");
  }
  if (!(gs.checkpointBytes > 0.0))
  {
    throw Error("The checkpoint memory must be positive.");
  }
  GradientResult R;
  const double tol = settings.steadyStateTolerance;

  // With a tolerance (or for the implicit gradient) the number of steps is only known after a
  // first forward run; with a fixed count the reverse sweep's first chain is the forward run.
  State final;
  std::int64_t n = settings.steps;
  const bool firstSweep = tol > 0.0 || gs.routing == Routing::Implicit;
  if (firstSweep)
  {
    final = initial;
    Stepper fwd(initial.grid, p, settings.dt);
    R.forward = fwd.advance(final, settings.steps, tol);
    R.forwardSteps += R.forward.steps;
    n = R.forward.steps;
    if (R.forward.status == RunStatus::BlowUp)
    {
      R.message = blowUpMessage(n);
      return R;
    }
    if (progress && progress->aborted())
    {
      R.message = "Aborted.";
      return R;
    }
  }
  else
  {
    R.forward.steps = n;
  }

  if (gs.routing == Routing::Implicit)
  {
    if (R.forward.status != RunStatus::Converged)
    {
      R.message = "The implicit gradient needs a converged steady state, but the run was not "
                  "steady after " + std::to_string(n) +
        " steps: set a steady-state tolerance and a larger step cap.";
      return R;
    }
    R.valid = implicitGradient(final, p, settings.dt, loss, gs, R);
    R.peakBytes = 0.0;
    return R;
  }

  const std::int64_t a0 =
    gs.routing == Routing::Truncated ? std::max<std::int64_t>(0, n - gs.truncationSteps) : 0;
  State x0 = initial;
  if (a0 > 0)
  {
    Stepper fwd(initial.grid, p, settings.dt);
    const RunResult r = fwd.advance(x0, a0);
    R.forwardSteps += r.steps;
    if (r.status == RunStatus::BlowUp)
    {
      R.message = blowUpMessage(r.steps);
      return R;
    }
  }
  Reverser reverser(initial.grid, p, settings.dt, loss, gs.checkpointBytes, progress, R);
  R.valid = reverser.reverse(x0, a0, n, firstSweep ? &final : nullptr);
  if (R.valid && !firstSweep)
  {
    R.forward.status = RunStatus::Finished;
  }
  return R;
}

namespace reparam
{

namespace
{
double sigmoid(double x)
{
  return x >= 0.0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}
double softplus(double x)
{
  return x > 30.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
double inverseSoftplus(double y)
{
  return y > 30.0 ? y + std::log(-std::expm1(-y)) : std::log(std::expm1(y));
}
double logit(double y)
{
  return std::log(y / (1.0 - y));
}
} // namespace

Parameters toParameters(const ParameterVector& raw)
{
  return { softplus(raw[0]), softplus(raw[1]), 0.1 * sigmoid(raw[2]), 0.1 * sigmoid(raw[3]) };
}

ParameterVector fromParameters(const Parameters& p)
{
  if (!(p.Du > 0.0 && p.Dv > 0.0 && p.F > 0.0 && p.F < 0.1 && p.k > 0.0 && p.k < 0.1))
  {
    throw Error("The reparameterisation needs Du, Dv > 0 and F, k in (0, 0.1).");
  }
  return { inverseSoftplus(p.Du), inverseSoftplus(p.Dv), logit(p.F / 0.1), logit(p.k / 0.1) };
}

ParameterVector gradient(const ParameterVector& raw, const ParameterVector& g)
{
  // softplus' = sigmoid; (0.1 sigmoid)' = 0.1 s (1 - s).
  const double sF = sigmoid(raw[2]), sk = sigmoid(raw[3]);
  return { g[0] * sigmoid(raw[0]), g[1] * sigmoid(raw[1]), g[2] * 0.1 * sF * (1.0 - sF),
    g[3] * 0.1 * sk * (1.0 - sk) };
}

} // namespace reparam

} // namespace gs
