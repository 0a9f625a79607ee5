// The forward Gray-Scott solver: explicit Euler on a periodic grid,
//   u_t = Du lap(u) - u v^2 + F (1 - u)
//   v_t = Dv lap(v) + u v^2 - (F + k) v,
// in double precision, TBB-parallel and vectorised, bitwise identical for any thread count.
#pragma once

#include "Grid.h"

#include <cstdint>
#include <functional>

namespace gs
{

class Progress;

/// The paper's initial condition: u = 1 + a N(0,1), v = a N(0,1) per cell; a central
/// patch of side `patchSize` cells (in every axis with more than one cell) set to
/// (u, v) = (0.5, 0.25); then u clamped to [0, 1.5] and v to [0, 1].
struct InitialCondition
{
  std::uint64_t seed = 0;
  double noiseAmplitude = 0.02;
  int patchSize = 20;
};

/// Fills `state` (its grid already set) from the seeded generator. Each cell draws from its
/// own stream, so the field does not depend on thread count, machine or compiler.
void makeInitialCondition(State& state, const InitialCondition& ic);

struct RunSettings
{
  double dt = 1.0;
  /// Steps to run; with a tolerance, the cap.
  std::int64_t steps = 40000;
  /// 0: run exactly `steps`. > 0: stop once max over cells of |u_new - u| and |v_new - v|
  /// is below it.
  double steadyStateTolerance = 0.0;
  /// A step is a blow-up when a value is non-finite or v leaves [-margin, 1 + margin]. 0 for
  /// runs from the model's own initial conditions; a run that starts from noisy observed
  /// values (which may lie a little below 0) needs room.
  double blowUpMargin = 0.0;
};

enum class RunStatus
{
  Finished,  ///< ran every step asked for (no tolerance, or not yet steady at the cap)
  Converged, ///< reached steady state within the cap
  BlowUp,    ///< a value became non-finite or v left [0, 1] (widened by blowUpMargin)
  Aborted,   ///< the progress callback asked to stop
  Invalid    ///< refused before running (batch items only; see RunResult::message)
};

const char* toString(RunStatus status);

struct RunResult
{
  RunStatus status = RunStatus::Finished;
  std::int64_t steps = 0;  ///< Euler steps taken in this run
  double lastChange = 0.0; ///< max per-step change of the last step (when a tolerance is set)
  std::string message;     ///< why a batch item was refused
};

/// Throws gs::Error naming the problem: non-finite or negative parameters, a bad grid, time
/// step, step count, tolerance or margin.
void validateModel(const Grid& grid, const Parameters& p, const RunSettings& settings);
/// validateModel(), and an explicit step within the stability limit
/// dt * D * (sum over axes of 1/h^2) <= 1/2 (axes with one cell do not count).
void validate(const Grid& grid, const Parameters& p, const RunSettings& settings);

/// Largest stable diffusion coefficient for this grid and time step.
double maxStableDiffusion(const Grid& grid, double dt);

/// Advances `state` in place (after validate()). Splits the grid across TBB threads when
/// `parallel` and the grid is large enough to gain from it; output is identical either way.
/// Reports progress in Euler steps (total work = settings.steps) when `progress` is given.
RunResult run(State& state, const Parameters& p, const RunSettings& settings,
  Progress* progress = nullptr, bool parallel = true);

class StepTeam;

/// Advances states on one grid with one parameter set, reusing its work fields: the building
/// block of run(), runBatch() and the adjoint's recomputations. One Stepper per thread.
class Stepper
{
public:
  /// Validates like validate() (throws gs::Error) and allocates the work fields.
  Stepper(const Grid& grid, const Parameters& p, double dt, bool parallel = true,
    double blowUpMargin = 0.0);
  /// Up to `steps` Euler steps; stops at steady state when tol > 0, at blow-up, or on abort.
  RunResult advance(
    State& state, std::int64_t steps, double tol = 0.0, Progress* progress = nullptr);
  /// The same from a copy of `from` into `to`, without copying `from` first: the steps
  /// alternate between `to` and the work fields, the last landing in `to` (an early stop in
  /// the work fields ends with one copy). `from` may be `to`.
  RunResult advance(const State& from, State& to, std::int64_t steps, double tol = 0.0,
    Progress* progress = nullptr);
  /// Split steps run on `team` (which must outlive the Stepper's use of it) instead of a team
  /// of each advance's own: for callers that advance many short stretches.
  void shareTeam(StepTeam* team) { Shared = team; }
  const Grid& grid() const { return G; }
  const Parameters& parameters() const { return P; }
  double dt() const { return Dt; }

private:
  RunResult advanceImpl(
    const State* from, State& state, std::int64_t steps, double tol, Progress* progress);

  Grid G;
  Parameters P;
  double Dt;
  double Margin;
  bool Split = false;
  StepTeam* Shared = nullptr;
  std::vector<double> Work; // the two work fields, placed in advanceImpl
};

/// Runs `count` independent simulations on the same grid, in parallel over simulations (no
/// per-step synchronisation). For item i, `setup(i, state)` fills the initial state (allocated
/// on `grid`) and returns its parameters; `finish(i, state, result)` receives the final state.
/// Both are called from worker threads, concurrently for different i. An item whose
/// parameters fail validate() gets status Invalid and its message; the others still run.
/// Progress counts Euler steps over the whole batch (total work = count * settings.steps).
void runBatch(std::size_t count, const Grid& grid, const RunSettings& settings,
  const std::function<Parameters(std::size_t, State&)>& setup,
  const std::function<void(std::size_t, const State&, const RunResult&)>& finish,
  Progress* progress = nullptr);

/// Periodic Laplacian of `f` on `grid`, the stencil the solver uses (5-point in 2D,
/// 7-point in 3D, axes with one cell dropped).
void laplacian(const Grid& grid, const double* f, double* out);

} // namespace gs
