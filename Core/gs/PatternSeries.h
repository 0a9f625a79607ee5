// A simulation shown as a series of frames: the states after 0, I, 2I, ... steps up to N (N
// also when it is not a multiple of I), or after N steps alone. Every frame is computed once,
// from the latest frame before it, and kept, so a time slider moving back costs nothing and
// moving on only computes the steps not yet taken.
#pragma once

#include "Simulation.h"
#include "SpectralStepper.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace gs
{

/// Everything that decides the frames.
struct SeriesSetup
{
  Grid grid;
  Parameters parameters = Parameters::paperTruth();
  /// The paper's pattern: 40,000 steps of dt = 1, stopped at steady state (a largest
  /// per-step change below 1e-4).
  RunSettings run{ 1.0, 40000, 1e-4 };
  InitialCondition initial;
  /// Steps between frames; 0: one frame, after run.steps.
  int interval = 0;
  /// The solver: the paper's explicit Euler, or ETDRK4 pseudo-spectral (frames that Euler's
  /// stencil never made, to test the fits on; 2D, no explicit stability limit).
  Scheme scheme = Scheme::Euler;

  /// Throws gs::Error naming the field ({series.interval}, {run.dt}, ...).
  void validate() const;
  /// Plain == on every number: NaN never matches (a bad setup never reuses frames).
  bool operator==(const SeriesSetup& other) const;
  /// The frames' target steps, in order.
  std::vector<std::int64_t> frameSteps() const;
  /// Throws gs::Error when the frames, the solver's work fields and an output copy do not
  /// fit in memory (naming {series.interval} when a larger one would help).
  void checkMemory() const;
};

/// One frame: the state after its target step, or after steady state or a blow-up if earlier.
struct Frame
{
  State state;
  std::int64_t steps = 0; ///< from the initial state
  RunStatus status = RunStatus::Finished;
  double lastChange = 0.0;
  /// Converged or blown up: every later frame is this one.
  bool final() const { return status == RunStatus::Converged || status == RunStatus::BlowUp; }
};

class PatternSeries
{
public:
  /// True when the frames kept belong to `setup` started from the state of `version`.
  bool holds(const SeriesSetup& setup, std::uint64_t version) const;
  /// Forgets the frames and starts a new series (after setup.validate() and checkMemory()):
  /// from `initial` when given (copied; its grid is setup.grid), else from setup.initial.
  /// `version` identifies the initial state (0 for none).
  void reset(const SeriesSetup& setup, const State* initial, std::uint64_t version);
  void clear();

  const std::vector<std::int64_t>& frameSteps() const { return Steps; }
  /// Frames computed and kept.
  std::size_t frameCount() const { return Frames.size(); }
  /// The frame shown at `time`: the last one at or before it (a slack of 1e-9 relative
  /// absorbs round-off in step * dt); the first without a time.
  std::size_t frameAt(const double* time) const;
  /// Frame `index`, computed if needed; null when `report` asked to abort. Adds the steps it
  /// took to `stepsTaken`; `report` sees the fraction of the steps still to take.
  const Frame* frame(
    std::size_t index, const std::function<bool(double)>& report, std::int64_t& stepsTaken);

private:
  SeriesSetup S;
  bool Valid = false;
  std::uint64_t Version = 0;
  std::unique_ptr<State> Initial;
  std::vector<std::int64_t> Steps;
  std::map<std::int64_t, Frame> Frames; ///< by target step
  std::unique_ptr<Stepper> Solver;
  std::unique_ptr<SpectralStepper> Spectral; ///< the solver with Scheme::Spectral
};

} // namespace gs
