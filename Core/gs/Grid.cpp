#include "Grid.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <unistd.h>

namespace gs
{

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
    msg << "Grid dimensions must be at least 1 in every axis (got " << nx << " x " << ny << " x "
        << nz << ").";
    throw Error(msg.str());
  }
  for (double h : { hx, hy, hz })
  {
    if (!(std::isfinite(h) && h > 0.0))
    {
      std::ostringstream msg;
      msg << "Grid spacing must be finite and positive (got " << hx << ", " << hy << ", " << hz
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
