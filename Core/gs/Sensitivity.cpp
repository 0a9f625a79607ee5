#include "Sensitivity.h"

#include "Progress.h"

#include <tbb/parallel_for.h>

#include <vector>

namespace gs
{

void tangentStep(const State& x, const double* Lu, const double* Lv, const Parameters& p, double dt,
  int source, State& s, double* La, double* Lb)
{
  const Grid& g = x.grid;
  const std::size_t n = g.cells();
  laplacian(g, s.u.data(), La);
  laplacian(g, s.v.data(), Lb);
  const double* u = x.u.data();
  const double* v = x.v.data();
  double* a = s.u.data();
  double* b = s.v.data();
  for (std::size_t i = 0; i < n; ++i)
  {
    const double vv = v[i] * v[i], uv2 = 2.0 * u[i] * v[i];
    const double gu = source == 0 ? Lu[i] : source == 2 ? 1.0 - u[i] : 0.0;
    const double gv = source == 1 ? Lv[i] : source >= 2 ? -v[i] : 0.0;
    const double da = p.Du * La[i] - (vv + p.F) * a[i] - uv2 * b[i] + gu;
    const double db = p.Dv * Lb[i] + vv * a[i] + (uv2 - p.F - p.k) * b[i] + gv;
    a[i] += dt * da;
    b[i] += dt * db;
  }
}

Sensitivities sensitivities(const State& start, const Parameters& p, const RunSettings& settings,
  const std::array<bool, 4>& wanted, Progress* progress, const std::array<State, 4>* initial)
{
  validate(start.grid, p, settings);
  const Grid& g = start.grid;
  const std::size_t n = g.cells();
  checkMemory(sizeof(double) * n * (4.0 + 4.0 * 4.0), "the sensitivities' fields");
  Sensitivities out;
  out.final = start;
  std::vector<int> dirs;
  for (int c = 0; c < 4; ++c)
  {
    if (wanted[c])
    {
      out.d[c].grid = g;
      out.d[c].u.assign(g.cells(), 0.0);
      out.d[c].v.assign(g.cells(), 0.0);
      if (initial && (*initial)[c].u.size() == n)
      {
        out.d[c].u = (*initial)[c].u;
      }
      if (initial && (*initial)[c].v.size() == n)
      {
        out.d[c].v = (*initial)[c].v;
      }
      dirs.push_back(c);
    }
  }
  std::vector<double> Lu(n), Lv(n);
  std::array<std::vector<double>, 4> La, Lb;
  for (int c : dirs)
  {
    La[c].resize(n);
    Lb[c].resize(n);
  }
  Stepper stepper(g, p, settings.dt, true, settings.blowUpMargin);
  const double dt = settings.dt;
  State& x = out.final;
  for (std::int64_t step = 0; step < settings.steps; ++step)
  {
    laplacian(g, x.u.data(), Lu.data());
    laplacian(g, x.v.data(), Lv.data());
    tbb::parallel_for(std::size_t(0), dirs.size(), [&](std::size_t t) {
      const int c = dirs[t];
      tangentStep(x, Lu.data(), Lv.data(), p, dt, c, out.d[c], La[c].data(), Lb[c].data());
    });
    const RunResult r = stepper.advance(x, 1);
    out.run.steps = step + 1;
    if (r.status == RunStatus::BlowUp)
    {
      out.run.status = RunStatus::BlowUp;
      return out;
    }
    if (progress)
    {
      progress->add(1.0);
      if (progress->aborted())
      {
        out.run.status = RunStatus::Aborted;
        return out;
      }
    }
  }
  return out;
}

} // namespace gs
