#include "Grid.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <unistd.h>

namespace gs
{

namespace
{

std::string replaceFields(
  const std::string& message, const std::function<std::string(const std::string&)>& name)
{
  std::string out;
  std::size_t at = 0;
  for (;;)
  {
    const std::size_t open = message.find('{', at);
    const std::size_t close = open == std::string::npos ? open : message.find('}', open);
    if (close == std::string::npos)
    {
      return out + message.substr(at);
    }
    out += message.substr(at, open - at) + name(message.substr(open + 1, close - open - 1));
    at = close + 1;
  }
}

std::string coreName(const std::string& field)
{
  return field;
}

} // namespace

Error::Error(const std::string& message)
  : std::runtime_error(replaceFields(message, coreName))
  , Message(message)
{}

std::string Error::renamed(const std::function<std::string(const std::string&)>& name) const
{
  return replaceFields(Message, name);
}

const char* parameterName(Parameter p)
{
  return parameterName(static_cast<std::size_t>(p));
}

const char* parameterName(std::size_t index)
{
  static const char* const names[parameterCount] = { "Du", "Dv", "F", "k" };
  return index < parameterCount ? names[index] : "(no parameter)";
}

double Grid::inverseSpacingSquaredSum() const
{
  double s = 0.0;
  if (nx > 1)
  {
    s += 1.0 / (hx * hx);
  }
  if (ny > 1)
  {
    s += 1.0 / (hy * hy);
  }
  if (nz > 1)
  {
    s += 1.0 / (hz * hz);
  }
  return s;
}

void Grid::validate() const
{
  if (nx < 1 || ny < 1 || nz < 1)
  {
    std::ostringstream msg;
    msg << "{grid.dimensions} must be at least 1 in every axis (got " << nx << " x " << ny << " x "
        << nz << ").";
    throw Error(msg.str());
  }
  for (double h : { hx, hy, hz })
  {
    if (!(std::isfinite(h) && h > 0.0))
    {
      std::ostringstream msg;
      msg << "{grid.spacing} must be finite and positive (got " << hx << ", " << hy << ", " << hz
          << ").";
      throw Error(msg.str());
    }
  }
}

State::State(const Grid& g)
  : grid(g)
{
  g.validate();
  checkMemory(2.0 * sizeof(double) * static_cast<double>(g.cells()), "the fields u and v");
  u.assign(g.cells(), 1.0);
  v.assign(g.cells(), 0.0);
}

std::vector<double> extentValues(
  const Grid& g, const std::vector<double>& field, const std::array<int, 6>& e)
{
  std::vector<double> out;
  if (e[1] < e[0] || e[3] < e[2] || e[5] < e[4])
  {
    return out;
  }
  const std::size_t row = static_cast<std::size_t>(e[1] - e[0] + 1);
  out.reserve(row * static_cast<std::size_t>(e[3] - e[2] + 1) * (e[5] - e[4] + 1));
  for (int z = e[4]; z <= e[5]; ++z)
  {
    for (int y = e[2]; y <= e[3]; ++y)
    {
      const std::size_t from = static_cast<std::size_t>(e[0]) +
        static_cast<std::size_t>(g.nx) *
          (static_cast<std::size_t>(y) + static_cast<std::size_t>(g.ny) * z);
      out.insert(out.end(), field.begin() + from, field.begin() + from + row);
    }
  }
  return out;
}

std::size_t availableMemoryBytes()
{
  // MemAvailable counts reclaimable page cache, which free pages alone do not.
  if (FILE* f = std::fopen("/proc/meminfo", "r"))
  {
    char line[256];
    unsigned long long kib = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof(line), f))
    {
      found = std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1;
    }
    std::fclose(f);
    if (found)
    {
      return static_cast<std::size_t>(kib) * 1024;
    }
  }
  const long pages = sysconf(_SC_AVPHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0)
  {
    return static_cast<std::size_t>(1) << 32; // unknown: assume a modest 4 GiB
  }
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(pageSize);
}

void checkMemory(double bytes, const std::string& what)
{
  const double available = static_cast<double>(availableMemoryBytes());
  if (!(bytes <= available))
  {
    std::ostringstream msg;
    msg.precision(3);
    msg << "Not enough memory for " << what << ": needs about " << bytes / (1 << 20)
        << " MiB, but only " << available / (1 << 20) << " MiB are available.";
    throw Error(msg.str());
  }
}

} // namespace gs
