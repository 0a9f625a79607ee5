#include "Names.h"

#include "Adjoint.h"
#include "Grid.h"
#include "Inversion.h"
#include "Loss.h"
#include "Residual.h"

namespace gs
{

// The tables follow the enumerations' order.
static_assert(static_cast<int>(LossKind::Gram) == 4, "lossNames follows LossKind");
static_assert(static_cast<int>(Routing::Implicit) == 2, "routingNames follows Routing");
static_assert(static_cast<int>(Optimizer::Adam) == 1, "optimizerNames follows Optimizer");
static_assert(
  static_cast<int>(InversionMethod::Shooting) == 4, "inversionMethodNames follows InversionMethod");
static_assert(
  static_cast<int>(ResidualMethod::WeakForm) == 2, "residualMethodNames follows ResidualMethod");
static_assert(
  static_cast<int>(TimeDifference::Central) == 1, "timeDifferenceNames follows TimeDifference");
static_assert(
  static_cast<int>(Parameter::k) + 1 == axisNone, "axisNames starts with the parameters");

const NameTable& lossNames()
{
  static const NameTable names = { "pixel", "logps", "logps_windowed", "logps_radial", "gram" };
  return names;
}

const NameTable& routingNames()
{
  static const NameTable names = { "unrolled", "truncated", "implicit" };
  return names;
}

const NameTable& optimizerNames()
{
  static const NameTable names = { "sgd", "adam" };
  return names;
}

const NameTable& inversionMethodNames()
{
  static const NameTable names = { "Gradient", "ResidualFit", "Hybrid", "PINN", "Shooting" };
  return names;
}

const NameTable& residualMethodNames()
{
  static const NameTable names = { "Steady", "TimeSeries", "WeakForm" };
  return names;
}

const NameTable& timeDifferenceNames()
{
  static const NameTable names = { "forward", "central" };
  return names;
}

const NameTable& discretisationNames()
{
  static const NameTable names = { "Stencil", "Spectral" };
  return names;
}

const NameTable& schemeNames()
{
  static const NameTable names = { "Euler", "Spectral" };
  return names;
}

const NameTable& observationNames()
{
  static const NameTable names = { "Concentration", "Intensity" };
  return names;
}

const NameTable& completionNames()
{
  static const NameTable names = { "None", "Smoothing", "NeuralField" };
  return names;
}

const NameTable& axisNames()
{
  static const NameTable names = { parameterName(Parameter::Du), parameterName(Parameter::Dv),
    parameterName(Parameter::F), parameterName(Parameter::k), "None", "Loss" };
  return names;
}

const NameTable& landscapeTimeNames()
{
  static const NameTable n = { "None", "Horizon", "Steps" };
  return n;
}

const NameTable& landscapeAxisNames()
{
  static const NameTable names = [] {
    NameTable n(axisNames().begin(), axisNames().begin() + axisNone + 1);
    n.push_back("Horizon");
    return n;
  }();
  return names;
}

const NameTable& curveAxisNames()
{
  static const NameTable names = { parameterName(Parameter::F), parameterName(Parameter::k) };
  return names;
}

int checkedValue(int value, const std::string& property, const NameTable& names, std::size_t count)
{
  const std::size_t n = count == 0 || count > names.size() ? names.size() : count;
  if (value >= 0 && static_cast<std::size_t>(value) < n)
  {
    return value;
  }
  std::string valid;
  for (std::size_t i = 0; i < n; ++i)
  {
    valid += std::string(i == 0 ? "" : (i + 1 == n ? " or " : ", ")) + std::to_string(i) + " (" +
      names[i] + ")";
  }
  throw Error(property + " must be " + valid + ", got " + std::to_string(value) + ".");
}

int valueOf(const std::string& name, const std::string& what, const NameTable& names)
{
  std::string valid;
  for (std::size_t i = 0; i < names.size(); ++i)
  {
    if (name == names[i])
    {
      return static_cast<int>(i);
    }
    valid += std::string(i == 0 ? "" : ", ") + names[i];
  }
  throw Error("Unknown " + what + " '" + name + "'; the valid names are " + valid + ".");
}

std::uint64_t checkedSeed(long long value, const std::string& property)
{
  if (value < 0)
  {
    throw Error(property + " must be non-negative (got " + std::to_string(value) + ").");
  }
  return static_cast<std::uint64_t>(value);
}

int checkedMinimum(int value, int minimum, const std::string& property)
{
  if (value < minimum)
  {
    throw Error(property + " must be at least " + std::to_string(minimum) + ", got " +
      std::to_string(value) + ".");
  }
  return value;
}

int axisParameter(int value, const std::string& property, bool noneAllowed)
{
  checkedValue(value, property, axisNames(), noneAllowed ? axisNone + 1 : axisNone);
  return value == axisNone ? -1 : value;
}

int landscapeAxisParameter(int value, const std::string& property, bool isX)
{
  checkedValue(value, property, landscapeAxisNames(), isX ? axisNone : 0);
  return value == axisNone ? -1 : value == axisHorizon ? static_cast<int>(parameterCount) : value;
}

} // namespace gs
