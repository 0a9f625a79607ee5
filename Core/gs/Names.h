// The vocabulary users see: the name of each value of every enumeration, in the order of the
// values, exactly as ParaView's properties list them (Plugin/*.xml; a Core test checks that
// the XML's entries are these tables). toString of each Core enumeration reads its table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gs
{

/// Value i of an enumeration is called names[i].
using NameTable = std::vector<const char*>;

const NameTable& lossNames();      ///< LossKind: pixel, logps, logps_windowed, ...
const NameTable& routingNames();   ///< Routing: unrolled, truncated, implicit
const NameTable& optimizerNames(); ///< Optimizer: sgd, adam
/// InversionMethod: Gradient, ResidualFit, Hybrid, PINN, Shooting
const NameTable& inversionMethodNames();
const NameTable& residualMethodNames(); ///< ResidualMethod: Steady, TimeSeries, WeakForm
const NameTable& timeDifferenceNames(); ///< TimeDifference: forward, central
const NameTable& completionNames(); ///< the residual fit's completion: None, Smoothing, NeuralField
const NameTable& discretisationNames(); ///< Discretisation: Stencil, Spectral
const NameTable& schemeNames();         ///< Scheme, a pattern's solver: Euler, Spectral
/// What the observed v array holds: Concentration (v itself), Intensity (a v + b, a and b
/// unknown: Observations::intensity).
const NameTable& observationNames();
/// An axis of a landscape or an inversion's trajectory: the four parameters (Parameter's
/// order), then None, then Loss (trajectories only).
const NameTable& axisNames();
constexpr int axisNone = 4;
constexpr int axisLoss = 5;
/// An axis of a landscape: the four parameters, None, then Horizon (Y and Z only: the
/// horizon loss's K, log-spaced).
const NameTable& landscapeAxisNames();
constexpr int axisHorizon = 5;
/// LandscapeTime, what a landscape's time steps sweep: None, Horizon (the horizon loss's K),
/// Steps (the paper's loss after t simulated steps).
const NameTable& landscapeTimeNames();
/// The axis of the bifurcation curves: F, k.
const NameTable& curveAxisNames();

/// `value` of the enumeration property `property`, checked against the first `count` names
/// of `names` (all when 0). Throws gs::Error naming the property and every valid value:
/// "Loss must be 0 (pixel), 1 (logps), 2 (logps_windowed), 3 (logps_radial) or 4 (gram), got 7."
int checkedValue(
  int value, const std::string& property, const NameTable& names, std::size_t count = 0);

/// checkedValue as the enumeration E.
template <typename E>
E enumValue(int value, const std::string& property, const NameTable& names, std::size_t count = 0)
{
  return static_cast<E>(checkedValue(value, property, names, count));
}

/// The parameter an axis property sweeps (-1 for None, Core's unswept axis), checked
/// against axisNames(): a parameter, or also None when `noneAllowed`.
int axisParameter(int value, const std::string& property, bool noneAllowed);
/// A landscape axis property's value as LandscapeAxis::parameter: -1 None, 0-3 a parameter,
/// parameterCount (4) the horizon; Y and Z may also be None or Horizon. Throws gs::Error
/// naming the property and the valid values otherwise.
int landscapeAxisParameter(int value, const std::string& property, bool isX);

/// A seed as Core keeps it, from a signed property; throws gs::Error naming the property when
/// it is negative.
std::uint64_t checkedSeed(long long value, const std::string& property);

/// `value` of the property `property` when it is at least `minimum`; else throws gs::Error:
/// "FrameStride must be at least 1, got 0."
int checkedMinimum(int value, int minimum, const std::string& property);

/// The value called `name`; throws gs::Error listing the names.
int valueOf(const std::string& name, const std::string& what, const NameTable& names);

} // namespace gs
