// Measurements of a pattern that tests, landscapes and summaries share.
#pragma once

#include "Grid.h"
#include "Simulation.h"

#include <cstddef>
#include <vector>

namespace gs
{

/// Number of connected regions of cells with f > threshold, face-connected across the
/// periodic boundaries (a spot that wraps around an edge counts once).
std::size_t countRegions(const Grid& grid, const std::vector<double>& f, double threshold);

/// What a final state looks like. The numeric values are the `pattern_class` array's.
enum class PatternClass
{
  Dead = 0,      ///< decayed to the trivial state (1, 0)
  Uniform = 1,   ///< another uniform state
  Spots = 2,     ///< compact blobs of v
  Stripes = 3,   ///< elongated or connected structures: stripes, labyrinths
  Mixed = 4,     ///< both
  Unsettled = 5, ///< still changing at the end (oscillating or moving)
  BlowUp = 6     ///< the run blew up
};

const char* toString(PatternClass c);

struct ClassifySettings
{
  /// Dead: max v below this (u then relaxes to 1 on its own); uniform: max v - min v below it.
  double uniformTolerance = 1e-3;
  /// Unsettled: the last step still changed some cell by at least this much (the paper's
  /// steady-state tolerance for targets).
  double settledChange = 1e-4;
  /// A region of v above its mid-range is a spot when its compactness (4 pi A / P^2 in 2D,
  /// 36 pi V^2 / S^3 in 3D, with P, S counted in cell faces) is at least this fraction of a
  /// digital disc's (ball's); stripes and labyrinths are far less compact.
  /// 0.75 separates discs from bars longer than about 3:1.
  double spotCompactness = 0.75;
};

/// The rule, in order: blow-up; dead; uniform; unsettled (the run did not converge and its last
/// step changed a cell by settledChange or more); then, from the regions of v above
/// (min v + max v) / 2, the area fraction in spot-like regions f: spots if f >= 0.8,
/// stripes if f <= 0.2, mixed otherwise.
PatternClass classify(
  const State& s, RunStatus status, double lastChange, const ClassifySettings& settings = {});

} // namespace gs
