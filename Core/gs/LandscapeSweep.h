// A landscape computed piece by piece, as a pipeline asks for it: the targets once per
// settings, every finished point kept (in memory and, optionally, in a cache file), so another
// extent, a rerun after an abort or a later process computes only the points still missing.
#pragma once

#include "Landscape.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace gs
{

class LandscapeCache;
class ResidualQuadratic;

/// A box of point indices, [first, last] along x, y and z (VTK's extent order).
using LandscapeExtent = std::array<int, 6>;

/// What a piece of a landscape asks for, besides the settings.
struct LandscapeRequest
{
  /// The observed target (one frame, or a series to shoot across), or null to simulate the
  /// targets at settings.truth.
  const Observations* observed = nullptr;
  /// Also the residual loss (the mean over the targets of the steady PDE residual, an exact
  /// quadratic in the parameters: the smooth bowl beside the simulate-and-compare losses).
  bool residual = false;
  /// A file of finished points shared by reruns and processes; empty for none.
  std::string cacheFile;
  /// The points asked for (clipped to the landscape).
  LandscapeExtent extent = { 0, 0, 0, 0, 0, 0 };
};

/// One piece of a landscape, array by array, its points in VTK order (x fastest).
struct LandscapeImage
{
  LandscapeExtent extent = { 0, 0, 0, 0, 0, 0 }; ///< clipped; empty when any last < first
  std::size_t size() const { return points.size(); }
  std::vector<std::size_t> points;         ///< the landscape's point index of each point
  std::vector<std::vector<double>> losses; ///< per settings.losses
  std::vector<double> residual;            ///< when requested
  std::vector<std::int64_t> steps;
  std::vector<int> converged;
  std::vector<int> patternClass;
  std::vector<double> meanV;
  /// The swept parameters, which are the gradient's components (when settings.gradient).
  std::vector<Parameter> gradientComponents;
  std::vector<double> gradient; ///< gradientComponents.size() values per point
  std::vector<double> gradientNorm;
};

/// How a request ended.
struct LandscapeOutcome
{
  bool aborted = false;
  bool abortedInTargets = false; ///< aborted while simulating the targets
  std::size_t requested = 0;     ///< points of the (clipped) extent
  std::size_t finished = 0;      ///< of them finished (kept for the next request)
  std::size_t fromCache = 0;     ///< points read from the cache file by this request
  std::size_t computed = 0;      ///< points simulated by this request
};

class LandscapeSweep
{
public:
  LandscapeSweep();
  ~LandscapeSweep();

  /// Computes the points of request.extent that are not finished yet and fills `image`
  /// (left empty after an abort; the finished points are kept). Checks the settings first;
  /// throws gs::Error naming a bad one. Progress counts Euler steps: the targets (when they
  /// are simulated anew), then the missing points (forward and adjoint steps).
  LandscapeOutcome compute(const LandscapeSettings& settings, const LandscapeRequest& request,
    LandscapeImage& image, const std::function<bool(double)>& progress = {});

  /// Forgets everything (after running out of memory, say).
  void clear();

private:
  void rebuild(const LandscapeSettings& settings, const LandscapeRequest& request,
    std::uint64_t observedDigest, const std::function<bool(double)>& report, double targetWork,
    LandscapeOutcome& outcome);
  void openCache(const std::string& path);
  void fill(const LandscapeRequest& request, LandscapeImage& image);

  std::unique_ptr<Landscape> Land;
  std::uint64_t Settings = 0;           // Landscape::digest of Land's settings
  bool Observed = false;                // an observed target, not simulated ones
  std::uint64_t ObservedDigest = 0;     // Landscape::digest of it
  std::vector<ResidualQuadratic> Bowls; // per target, made on demand
  std::unordered_map<std::size_t, LandscapePoint> Points;
  std::unique_ptr<LandscapeCache> Cache;
  std::string CachePath;
  std::uint64_t CacheFingerprint = 0;
};

} // namespace gs
