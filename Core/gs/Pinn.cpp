#include "Pinn.h"

#include "Simulation.h"

#include <cmath>
#include <string>

namespace gs
{

PinnResidual::PinnResidual(
  const Grid& grid, const std::vector<double>& times, bool steady, double scale)
  : G(grid)
  , Times(times)
  , Steady(steady)
  , Scale(scale)
{
  G.validate();
  if (times.empty() || (!steady && times.size() < 2))
  {
    throw Error(steady ? "The PINN's residual needs at least one frame."
                       : "The PINN's time-series residual needs at least two frames.");
  }
  for (std::size_t f = 0; f < times.size(); ++f)
  {
    if (!std::isfinite(times[f]) || (f > 0 && !(times[f] > times[f - 1])))
    {
      throw Error("The PINN's residual needs finite, increasing frame times.");
    }
  }
  if (!(std::isfinite(scale) && scale > 0.0))
  {
    throw Error("The PINN's residual scale must be finite and positive.");
  }
}

double PinnResidual::reactionScale(const Observations& data)
{
  double sum = 0.0;
  std::size_t n = 0;
  for (const State& s : data.frames)
  {
    for (std::size_t c = 0; c < s.u.size(); ++c)
    {
      if ((data.valid.empty() || data.valid[c]) && std::isfinite(s.u[c]) && std::isfinite(s.v[c]))
      {
        const double r = s.u[c] * s.v[c] * s.v[c];
        sum += r * r;
        ++n;
      }
    }
  }
  const double rms = n ? std::sqrt(sum / static_cast<double>(n)) : 0.0;
  return rms > 0.0 && std::isfinite(rms) ? rms : 1.0;
}

double PinnResidual::evaluate(const std::vector<State>& frames, const Parameters& p,
  std::vector<State>* fieldGradient, ParameterVector* parameterGradient) const
{
  const std::size_t cells = G.cells();
  if (frames.size() != Times.size())
  {
    throw Error("The PINN's residual was given " + std::to_string(frames.size()) + " frames for " +
      std::to_string(Times.size()) + " times.");
  }
  for (const State& s : frames)
  {
    if (s.grid != G || s.u.size() != cells || s.v.size() != cells)
    {
      throw Error("The PINN's residual was given a frame off its grid.");
    }
  }
  const std::size_t used = Steady ? frames.size() : frames.size() - 1;
  const double c =
    1.0 / (2.0 * static_cast<double>(cells) * static_cast<double>(used) * Scale * Scale);
  if (fieldGradient)
  {
    fieldGradient->assign(frames.size(), State());
    for (State& d : *fieldGradient)
    {
      d.grid = G;
      d.u.assign(cells, 0.0);
      d.v.assign(cells, 0.0);
    }
  }
  ParameterVector dp = { 0.0, 0.0, 0.0, 0.0 };
  std::vector<double> lu(cells), lv(cells), ru(cells), rv(cells), back(cells);
  double total = 0.0;
  for (std::size_t n = 0; n < used; ++n)
  {
    const State& s = frames[n];
    laplacian(G, s.u.data(), lu.data());
    laplacian(G, s.v.data(), lv.data());
    const double dt = Steady ? 0.0 : Times[n + 1] - Times[n];
    for (std::size_t i = 0; i < cells; ++i)
    {
      const double u = s.u[i], v = s.v[i], uvv = u * v * v;
      double ut = 0.0, vt = 0.0;
      if (!Steady)
      {
        ut = (frames[n + 1].u[i] - u) / dt;
        vt = (frames[n + 1].v[i] - v) / dt;
      }
      ru[i] = ut - (p.Du * lu[i] - uvv + p.F * (1.0 - u));
      rv[i] = vt - (p.Dv * lv[i] + uvv - (p.F + p.k) * v);
      total += ru[i] * ru[i] + rv[i] * rv[i];
      dp[0] -= ru[i] * lu[i];
      dp[1] -= rv[i] * lv[i];
      dp[2] += rv[i] * v - ru[i] * (1.0 - u);
      dp[3] += rv[i] * v;
    }
    if (!fieldGradient)
    {
      continue;
    }
    // The adjoint of the residual: the Laplacian is symmetric on the periodic grid.
    State& d = (*fieldGradient)[n];
    laplacian(G, ru.data(), back.data());
    for (std::size_t i = 0; i < cells; ++i)
    {
      const double v = s.v[i];
      d.u[i] += 2.0 * c * (-p.Du * back[i] + ru[i] * (v * v + p.F) - rv[i] * v * v);
    }
    laplacian(G, rv.data(), back.data());
    for (std::size_t i = 0; i < cells; ++i)
    {
      const double u = s.u[i], v = s.v[i];
      d.v[i] += 2.0 * c * (-p.Dv * back[i] + 2.0 * u * v * (ru[i] - rv[i]) + (p.F + p.k) * rv[i]);
    }
    if (!Steady)
    {
      State& next = (*fieldGradient)[n + 1];
      for (std::size_t i = 0; i < cells; ++i)
      {
        d.u[i] -= 2.0 * c * ru[i] / dt;
        d.v[i] -= 2.0 * c * rv[i] / dt;
        next.u[i] += 2.0 * c * ru[i] / dt;
        next.v[i] += 2.0 * c * rv[i] / dt;
      }
    }
  }
  if (parameterGradient)
  {
    for (int j = 0; j < 4; ++j)
    {
      (*parameterGradient)[j] = 2.0 * c * dp[j];
    }
  }
  return c * total;
}

} // namespace gs
