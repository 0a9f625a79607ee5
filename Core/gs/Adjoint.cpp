#include "Adjoint.h"
#include "Names.h"

#include "Checkpointing.h"
#include "FloatingPoint.h"
#include "Kernel.h"
#include "Loss.h"
#include "Progress.h"
#include "Spectral.h"
#include "StepTeam.h"

#include <Eigen/Sparse>
#include <unsupported/Eigen/IterativeSolvers>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <vector>

namespace gs
{

namespace
{

/// The discrete adjoint of the explicit Euler step (kernel::AdjointRowsFn), over the whole grid.
/// Row sums are added in row order: the same bits for any thread count.
class AdjointStepper
{
public:
  /// Steps split across `team` when it has helpers (it must outlive the stepper).
  AdjointStepper(const Grid& g, const Parameters& p, double dt, StepTeam* team)
    : G(g)
    , C(kernel::makeCoefficients(g, p, dt))
    , Kernel(kernel::selectAdjoint(g.nz > 1))
    , A(g.cells())
    , B(g.cells())
    , RowSums(4 * std::size_t(g.ny) * g.nz)
    , Team(team && team->parts() > 1 ? team : nullptr)
  {}

  /// `lambda` holds the adjoint at step n + 1 on entry and at step n on exit; `x` is the
  /// state at step n. Adds step n's term lambda^T dPhi/dmu to `g`.
  void step(const State& x, State& lambda, ParameterVector& g)
  {
    const std::size_t rows = std::size_t(G.ny) * G.nz;
    auto work = [&](std::size_t r0, std::size_t r1) {
      const DenormalsAreZero daz;
      Kernel(G, C, x.u.data(), x.v.data(), lambda.u.data(), lambda.v.data(), A.data(), B.data(),
        RowSums.data(), r0, r1);
    };
    if (Team)
    {
      const std::size_t parts = Team->parts();
      Team->run([&](std::size_t i) { work(i * rows / parts, (i + 1) * rows / parts); });
    }
    else
    {
      work(0, rows);
    }
    lambda.u.swap(A);
    lambda.v.swap(B);
    ParameterVector s = { 0.0, 0.0, 0.0, 0.0 };
    for (std::size_t row = 0; row < rows; ++row)
    {
      for (int i = 0; i < 4; ++i)
      {
        s[i] += RowSums[4 * row + i];
      }
    }
    for (int i = 0; i < 4; ++i)
    {
      g[i] += C.dt * s[i];
    }
  }

private:
  Grid G;
  kernel::Coefficients C;
  kernel::AdjointRowsFn Kernel;
  std::vector<double> A, B;
  std::vector<double> RowSums;
  StepTeam* Team;
};

/// A team for the adjoint's grid, or none when its steps are not worth splitting.
std::unique_ptr<StepTeam> newTeam(const Grid& g)
{
  const int helpers = stepHelpers(g);
  return helpers > 0 ? std::make_unique<StepTeam>(helpers) : nullptr;
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
  Reverser(const Grid& g, const Parameters& p, double dt, double margin, const Loss& loss,
    double budget, Progress* progress, GradientResult& result)
    : Team(newTeam(g))
    , Fwd(g, p, dt, true, margin)
    , Adj(g, p, dt, Team.get())
    , L(loss)
    , Budget(budget)
    , Prog(progress)
    , R(result)
  {
    // One team for the forward recomputations and the adjoint steps, which alternate in
    // short stretches.
    Fwd.shareTeam(Team.get());
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
      msg << "The checkpoint memory (" << Budget / (1 << 20)
          << " MiB) is too small: the adjoint needs at least " << (reserved + 1) * bytes / (1 << 20)
          << " MiB on this grid.";
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

    // The stored states, reused as the stack grows and shrinks: no allocation per push.
    std::vector<State> stack(static_cast<std::size_t>(s) + 1);
    std::vector<std::int64_t> stepOf(stack.size());
    std::size_t depth = 1, peak = 1;
    stack[0] = x0;
    stepOf[0] = a0;
    std::int64_t b = n; // the adjoint is at step b
    State work;
    while (b > a0)
    {
      const State& top = stack[depth - 1];
      const std::int64_t a = stepOf[depth - 1], l = b - a;
      const std::int64_t free = s - static_cast<std::int64_t>(depth - 1);
      if (l == 1 || free == 0)
      {
        // Reverse [a, b) from the top state alone, recomputing as needed.
        for (std::int64_t i = l - 1; i >= 0; --i)
        {
          if (i > 0 && !advance(top, work, i, a))
          {
            return false;
          }
          if (!adjointStep(i > 0 ? work : top, a + i))
          {
            return false;
          }
        }
        b = a;
        if (a > a0)
        {
          --depth;
        }
        continue;
      }
      const std::int64_t m = a + checkpointing::split(l, free);
      if (!advance(top, stack[depth], m - a, a))
      {
        return false;
      }
      stepOf[depth++] = m;
      peak = std::max(peak, depth);
    }
    R.peakBytes = (peak + reserved) * bytes;
    return true;
  }

  /// Moves out the adjoint (at the first step reversed, after reverse()).
  void takeAdjoint(State& out) { out = std::move(Lambda); }

private:
  /// x = the state `steps` steps after `start` (at step `from`).
  bool advance(const State& start, State& x, std::int64_t steps, std::int64_t from)
  {
    const RunResult r = Fwd.advance(start, x, steps);
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
      State last;
      if (!advance(x, last, 1, n))
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

  std::unique_ptr<StepTeam> Team;
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
      const int f =
        static_cast<int>(idx) <= len / 2 ? static_cast<int>(idx) : static_cast<int>(idx) - len;
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
bool implicitGradient(const State& xs, const Parameters& p, const Loss& loss,
  const GradientSettings& gs, GradientResult& R)
{
  const Grid& g = xs.grid;
  const std::size_t n = g.cells();
  State dLdx;
  R.loss = loss.evaluate(xs, &dLdx);
  const kernel::Stencil s = kernel::makeStencil(g);
  checkMemory(
    2.0 * n * (g.nz > 1 ? 8 : 6) * 3 * sizeof(double) * 4, "the implicit gradient's sparse system");

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
  return true;
}

} // namespace

const char* toString(Routing routing)
{
  return routingNames()[static_cast<std::size_t>(routing)];
}

Routing routingFromString(const std::string& name)
{
  return static_cast<Routing>(valueOf(name, "gradient routing", routingNames()));
}

void GradientSettings::validate() const
{
  if (routing == Routing::Truncated && truncationSteps < 0)
  {
    throw Error("{gradient.truncationSteps} must be non-negative (got " +
      std::to_string(truncationSteps) + ").");
  }
  if (!(checkpointBytes > 0.0 && std::isfinite(checkpointBytes)))
  {
    throw Error("{gradient.checkpointBytes} must be positive.");
  }
}

GradientResult lossGradient(const State& initial, const Parameters& p, const RunSettings& settings,
  const Loss& loss, const GradientSettings& gs, Progress* progress)
{
  validate(initial.grid, p, settings);
  if (initial.u.size() != initial.grid.cells() || initial.v.size() != initial.grid.cells())
  {
    throw Error("The initial state's fields do not match its grid.");
  }
  gs.validate();
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
    Stepper fwd(initial.grid, p, settings.dt, true, settings.blowUpMargin);
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
                  "steady after " +
        std::to_string(n) + " steps: set a steady-state tolerance and a larger step cap.";
      return R;
    }
    R.valid = implicitGradient(final, p, loss, gs, R);
    R.peakBytes = 0.0;
    return R;
  }

  const std::int64_t a0 =
    gs.routing == Routing::Truncated ? std::max<std::int64_t>(0, n - gs.truncationSteps) : 0;
  State x0 = initial;
  if (a0 > 0)
  {
    Stepper fwd(initial.grid, p, settings.dt, true, settings.blowUpMargin);
    const RunResult r = fwd.advance(x0, a0);
    R.forwardSteps += r.steps;
    if (r.status == RunStatus::BlowUp)
    {
      R.message = blowUpMessage(r.steps);
      return R;
    }
  }
  Reverser reverser(
    initial.grid, p, settings.dt, settings.blowUpMargin, loss, gs.checkpointBytes, progress, R);
  R.valid = reverser.reverse(x0, a0, n, firstSweep ? &final : nullptr);
  if (R.valid && !firstSweep)
  {
    R.forward.status = RunStatus::Finished;
  }
  if (R.valid && a0 == 0)
  {
    reverser.takeAdjoint(R.initialAdjoint);
  }
  return R;
}

} // namespace gs
