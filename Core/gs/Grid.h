// Grid, parameters and fields of the Gray-Scott model. Plain C++17, no VTK.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs
{

/// Every error a user can cause (bad parameters, sizes, inputs) is reported as this,
/// with a message that names the problem and, where there is one, the limit. A message names
/// a settings field in braces, "{run.steps} must be non-negative": what() shows the field as
/// Core calls it ("run.steps must be ..."), and a front end shows its own name for it
/// (renamed()), so a rule is written once and every user reads the name they set.
class Error : public std::runtime_error
{
public:
  explicit Error(const std::string& message);
  /// The message with each {field} replaced by name(field).
  std::string renamed(const std::function<std::string(const std::string&)>& name) const;

private:
  std::string Message;
};

/// The four parameters, in the order (Du, Dv, F, k) of every array, table, gradient and axis.
enum class Parameter
{
  Du,
  Dv,
  F,
  k
};
constexpr std::size_t parameterCount = 4;

/// "Du", "Dv", "F", "k": a parameter's name in properties, columns, components and messages.
const char* parameterName(Parameter p);
/// The name of the parameter at `index` (0 to 3) of the order above.
const char* parameterName(std::size_t index);

/// Four numbers in the parameters' order (Du, Dv, F, k): gradients, errors, raw values.
using ParameterVector = std::array<double, 4>;

/// The four numbers that set the pattern, in the order (Du, Dv, F, k) used everywhere.
struct Parameters
{
  double Du = 0.16;
  double Dv = 0.08;
  double F = 0.035;
  double k = 0.065;

  /// The paper's truth: a field of many round spots.
  static Parameters paperTruth() { return {}; }
  /// From four values in the order (Du, Dv, F, k).
  static Parameters fromArray(const double* values)
  {
    return { values[0], values[1], values[2], values[3] };
  }
  std::array<double, 4> asArray() const { return { Du, Dv, F, k }; }
  double& operator[](Parameter p)
  {
    switch (p)
    {
      case Parameter::Du:
        return Du;
      case Parameter::Dv:
        return Dv;
      case Parameter::F:
        return F;
      default:
        return k;
    }
  }
  double operator[](Parameter p) const { return const_cast<Parameters&>(*this)[p]; }
  bool isFinite() const
  {
    return std::isfinite(Du) && std::isfinite(Dv) && std::isfinite(F) && std::isfinite(k);
  }
  /// By index in (Du, Dv, F, k) order.
  double& operator[](std::size_t i) { return (*this)[static_cast<Parameter>(i)]; }
  double operator[](std::size_t i) const { return (*this)[static_cast<Parameter>(i)]; }
};

/// A periodic, cell-centred grid: nz == 1 is 2D (5-point Laplacian), nz > 1 is 3D (7-point).
/// Index of cell (x, y, z) is x + nx * (y + ny * z), the VTK point order.
struct Grid
{
  int nx = 128;
  int ny = 128;
  int nz = 1;
  double hx = 1.0;
  double hy = 1.0;
  double hz = 1.0;

  std::size_t cells() const
  {
    return static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny) *
      static_cast<std::size_t>(nz);
  }
  int dimension() const { return nz > 1 ? 3 : 2; }
  /// Sum over the grid's axes of 1/h^2: the factor in the explicit diffusion limit.
  double inverseSpacingSquaredSum() const;
  /// Throws gs::Error unless the sizes and spacings are positive and finite.
  void validate() const;
  bool operator==(const Grid& o) const
  {
    return nx == o.nx && ny == o.ny && nz == o.nz && hx == o.hx && hy == o.hy && hz == o.hz;
  }
  bool operator!=(const Grid& o) const { return !(*this == o); }
};

/// The two species on a grid.
struct State
{
  Grid grid;
  std::vector<double> u;
  std::vector<double> v;

  State() = default;
  /// Allocates both fields (after a memory check) filled with the trivial state (1, 0).
  explicit State(const Grid& g);
};

/// The values of `field` (one per cell of `grid`) in the box extent = (x0, x1, y0, y1, z0, z1)
/// of cell indices, inclusive, x fastest: a VTK piece of the field.
std::vector<double> extentValues(
  const Grid& grid, const std::vector<double>& field, const std::array<int, 6>& extent);

/// Bytes of physical memory this process may reasonably use (available RAM).
std::size_t availableMemoryBytes();

/// Throws gs::Error naming `what` and the estimate when `bytes` exceeds what the machine has.
void checkMemory(double bytes, const std::string& what);

} // namespace gs
