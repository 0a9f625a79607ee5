#include "Loss.h"
#include "Names.h"

#include "Spectral.h"

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace gs
{

namespace
{

// ---- log power spectrum of one box of cells -------------------------------------------------

struct Spectrum
{
  ComplexField X;        // DFT of the mean-removed field
  std::vector<double> S; // log(|X|^2 + eps)
};

Spectrum logSpectrum(const Shape& shape, const double* x, double eps)
{
  const std::size_t n = shape.size();
  double mean = 0.0;
  for (std::size_t i = 0; i < n; ++i)
  {
    mean += x[i];
  }
  mean /= static_cast<double>(n);
  Spectrum s;
  s.X.resize(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    s.X[i] = x[i] - mean;
  }
  fftForward(shape, s.X);
  s.S.resize(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    s.S[i] = std::log(std::norm(s.X[i]) + eps);
  }
  return s;
}

/// dL/dx from dL/dS: with g = dL/dP = dS / (P + eps), dL/dx = 2 N Re(IDFT(g X)) for real x,
/// then minus its mean (the backward of the mean removal).
void logSpectrumBackward(
  const Shape& shape, const Spectrum& s, double eps, const std::vector<double>& dS, double* dx)
{
  const std::size_t n = shape.size();
  ComplexField w(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    w[i] = s.X[i] * (dS[i] / (std::norm(s.X[i]) + eps));
  }
  fftInverse(shape, w);
  double mean = 0.0;
  for (std::size_t i = 0; i < n; ++i)
  {
    dx[i] = 2.0 * static_cast<double>(n) * w[i].real();
    mean += dx[i];
  }
  mean /= static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i)
  {
    dx[i] -= mean;
  }
}

// ---- one species ----------------------------------------------------------------------------

/// A loss on one scalar field, bound to that field's target.
class FieldLoss
{
public:
  virtual ~FieldLoss() = default;
  /// Loss of `p`; adds nothing, writes dL/dp into `grad` when it is not null.
  virtual double evaluate(const std::vector<double>& p, double* grad) const = 0;
};

class PixelLoss : public FieldLoss
{
public:
  explicit PixelLoss(const std::vector<double>& t)
    : Target(t)
  {}
  double evaluate(const std::vector<double>& p, double* grad) const override
  {
    const double n = static_cast<double>(p.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i)
    {
      const double d = p[i] - Target[i];
      sum += d * d;
      if (grad)
      {
        grad[i] = 2.0 * d / n;
      }
    }
    return sum / n;
  }

private:
  std::vector<double> Target;
};

/// logps and logps_windowed: the whole grid is one tile for logps.
class TiledSpectrumLoss : public FieldLoss
{
public:
  TiledSpectrumLoss(const Grid& g, const std::vector<double>& t, int tile, double eps)
    : G(g)
    , Eps(eps)
  {
    const int n[3] = { g.nx, g.ny, g.nz };
    int* tn[3] = { &Tile.nx, &Tile.ny, &Tile.nz };
    for (int a = 0; a < 3; ++a)
    {
      if (tile <= 0 || n[a] == 1)
      {
        *tn[a] = n[a];
      }
      else if (tile > n[a])
      {
        std::ostringstream msg;
        msg << "Tile size " << tile << " is larger than the grid (" << g.nx << " x " << g.ny
            << " x " << g.nz << ").";
        throw Error(msg.str());
      }
      else
      {
        *tn[a] = tile;
      }
      Count[a] = n[a] / *tn[a];
    }
    for (std::size_t i = 0; i < tiles(); ++i)
    {
      TargetS.push_back(logSpectrum(Tile, gather(t, i).data(), Eps).S);
    }
  }

  double evaluate(const std::vector<double>& p, double* grad) const override
  {
    const double cells = static_cast<double>(tiles() * Tile.size());
    double sum = 0.0;
    if (grad)
    {
      std::fill(grad, grad + G.cells(), 0.0); // cells outside full tiles do not matter
    }
    std::vector<double> dS(Tile.size()), dx(Tile.size());
    for (std::size_t i = 0; i < tiles(); ++i)
    {
      const Spectrum s = logSpectrum(Tile, gather(p, i).data(), Eps);
      for (std::size_t k = 0; k < Tile.size(); ++k)
      {
        const double d = s.S[k] - TargetS[i][k];
        sum += d * d;
        dS[k] = 2.0 * d / cells;
      }
      if (grad)
      {
        logSpectrumBackward(Tile, s, Eps, dS, dx.data());
        scatter(dx, i, grad);
      }
    }
    return sum / cells;
  }

private:
  std::size_t tiles() const { return std::size_t(Count[0]) * Count[1] * Count[2]; }

  /// Calls f(tile cell index, grid cell index) for every cell of tile `i`.
  template <typename F>
  void forTile(std::size_t i, F f) const
  {
    const int tx = static_cast<int>(i % Count[0]);
    const int ty = static_cast<int>((i / Count[0]) % Count[1]);
    const int tz = static_cast<int>(i / (std::size_t(Count[0]) * Count[1]));
    std::size_t j = 0;
    for (int z = 0; z < Tile.nz; ++z)
      for (int y = 0; y < Tile.ny; ++y)
        for (int x = 0; x < Tile.nx; ++x, ++j)
        {
          const std::size_t gx = tx * Tile.nx + x, gy = ty * Tile.ny + y, gz = tz * Tile.nz + z;
          f(j, gx + G.nx * (gy + G.ny * gz));
        }
  }
  std::vector<double> gather(const std::vector<double>& f, std::size_t i) const
  {
    std::vector<double> out(Tile.size());
    forTile(i, [&](std::size_t j, std::size_t c) { out[j] = f[c]; });
    return out;
  }
  void scatter(const std::vector<double>& in, std::size_t i, double* f) const
  {
    forTile(i, [&](std::size_t j, std::size_t c) { f[c] = in[j]; });
  }

  Grid G;
  double Eps;
  Shape Tile;
  int Count[3] = { 1, 1, 1 };
  std::vector<std::vector<double>> TargetS;
};

class RadialSpectrumLoss : public FieldLoss
{
public:
  RadialSpectrumLoss(const Grid& g, const std::vector<double>& t, double eps)
    : Box{ g.nx, g.ny, g.nz }
    , Eps(eps)
  {
    // Shell of each frequency: |k| with each axis' frequency index scaled to the shortest
    // axis, so shells are circles (spheres) in physical frequency.
    int nmin = 0;
    for (int n : { g.nx, g.ny, g.nz })
    {
      if (n > 1 && (nmin == 0 || n < nmin))
      {
        nmin = n;
      }
    }
    Bin.resize(Box.size());
    int maxBin = 0;
    std::size_t i = 0;
    for (int z = 0; z < g.nz; ++z)
      for (int y = 0; y < g.ny; ++y)
        for (int x = 0; x < g.nx; ++x, ++i)
        {
          double r2 = 0.0;
          const int idx[3] = { x, y, z }, n[3] = { g.nx, g.ny, g.nz };
          for (int a = 0; a < 3; ++a)
          {
            const int f = idx[a] <= n[a] / 2 ? idx[a] : idx[a] - n[a];
            const double s = static_cast<double>(f) * nmin / n[a];
            r2 += s * s;
          }
          Bin[i] = static_cast<int>(std::floor(std::sqrt(r2) + 0.5));
          maxBin = std::max(maxBin, Bin[i]);
        }
    Count.assign(maxBin + 1, 0);
    for (int b : Bin)
    {
      ++Count[b];
    }
    TargetR = radial(logSpectrum(Box, t.data(), Eps).S);
  }

  double evaluate(const std::vector<double>& p, double* grad) const override
  {
    const Spectrum s = logSpectrum(Box, p.data(), Eps);
    const std::vector<double> R = radial(s.S);
    const double bins = static_cast<double>(R.size());
    double sum = 0.0;
    std::vector<double> dR(R.size());
    for (std::size_t b = 0; b < R.size(); ++b)
    {
      const double d = R[b] - TargetR[b];
      sum += d * d;
      dR[b] = 2.0 * d / bins / Count[b];
    }
    if (grad)
    {
      std::vector<double> dS(Box.size());
      for (std::size_t k = 0; k < dS.size(); ++k)
      {
        dS[k] = dR[Bin[k]];
      }
      logSpectrumBackward(Box, s, Eps, dS, grad);
    }
    return sum / bins;
  }

private:
  std::vector<double> radial(const std::vector<double>& S) const
  {
    std::vector<double> R(Count.size(), 0.0);
    for (std::size_t k = 0; k < S.size(); ++k)
    {
      R[Bin[k]] += S[k];
    }
    for (std::size_t b = 0; b < R.size(); ++b)
    {
      R[b] /= Count[b];
    }
    return R;
  }

  Shape Box;
  double Eps;
  std::vector<int> Bin;
  std::vector<int> Count;
  std::vector<double> TargetR;
};

class GramLoss : public FieldLoss
{
public:
  GramLoss(const Grid& g, const std::vector<double>& t)
    : G(g)
  {
    if (g.nz > 1)
    {
      Directions = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
    }
    else
    {
      Directions = { { 1, 0, 0 }, { 0, 1, 0 }, { 1, 1, 0 }, { 1, -1, 0 } };
    }
    Channels =
      1 + 2 * static_cast<int>(Dilations.size()) * (static_cast<int>(Directions.size()) + 1);
    Eigen::MatrixXd C, R;
    features(t, C, R);
    TargetGram = gram(C);
  }

  double evaluate(const std::vector<double>& p, double* grad) const override
  {
    Eigen::MatrixXd C, R;
    features(p, C, R);
    const Eigen::MatrixXd D = gram(C) - TargetGram;
    const double entries = static_cast<double>(D.size());
    const double loss = D.squaredNorm() / entries;
    if (grad)
    {
      // dL/dG = 2 D / entries; G = C^T C / N, D symmetric: dL/dC = 4 C D / (entries N).
      const double n = static_cast<double>(C.rows());
      const Eigen::MatrixXd dC = C * D * (4.0 / (entries * n));
      backward(dC, R, grad);
    }
    return loss;
  }

private:
  static constexpr std::array<int, 4> Dilations = { 1, 2, 4, 8 };

  std::size_t at(int x, int y, int z) const
  {
    x = ((x % G.nx) + G.nx) % G.nx;
    y = ((y % G.ny) + G.ny) % G.ny;
    z = ((z % G.nz) + G.nz) % G.nz;
    return x + std::size_t(G.nx) * (y + std::size_t(G.ny) * z);
  }

  /// Filter responses R (N x filters, before rectification) and channels C (N x Channels).
  void features(const std::vector<double>& f, Eigen::MatrixXd& C, Eigen::MatrixXd& R) const
  {
    const std::size_t n = G.cells();
    const int filters = (Channels - 1) / 2;
    R.resize(n, filters);
    C.resize(n, Channels);
    std::size_t i = 0;
    for (int z = 0; z < G.nz; ++z)
      for (int y = 0; y < G.ny; ++y)
        for (int x = 0; x < G.nx; ++x, ++i)
        {
          C(i, 0) = f[i];
          int j = 0;
          for (int d : Dilations)
          {
            double lap = 0.0;
            for (const auto& e : Directions)
            {
              const double plus = f[at(x + d * e[0], y + d * e[1], z + d * e[2])];
              const double minus = f[at(x - d * e[0], y - d * e[1], z - d * e[2])];
              R(i, j++) = plus - minus;
            }
            for (int a = 0; a < 3; ++a)
            {
              if ((a == 0 ? G.nx : a == 1 ? G.ny : G.nz) > 1)
              {
                const int e[3] = { a == 0, a == 1, a == 2 };
                lap += f[at(x + d * e[0], y + d * e[1], z + d * e[2])] +
                  f[at(x - d * e[0], y - d * e[1], z - d * e[2])] - 2.0 * f[i];
              }
            }
            R(i, j++) = lap;
          }
          for (int k = 0; k < filters; ++k)
          {
            C(i, 1 + 2 * k) = std::max(R(i, k), 0.0);
            C(i, 2 + 2 * k) = std::max(-R(i, k), 0.0);
          }
        }
  }

  static Eigen::MatrixXd gram(const Eigen::MatrixXd& C)
  {
    return (C.transpose() * C) / static_cast<double>(C.rows());
  }

  /// Transposes the rectification and the stencils: dL/dC -> dL/df.
  void backward(const Eigen::MatrixXd& dC, const Eigen::MatrixXd& R, double* grad) const
  {
    const std::size_t n = G.cells();
    const int filters = (Channels - 1) / 2;
    for (std::size_t i = 0; i < n; ++i)
    {
      grad[i] = dC(i, 0);
    }
    std::size_t i = 0;
    for (int z = 0; z < G.nz; ++z)
      for (int y = 0; y < G.ny; ++y)
        for (int x = 0; x < G.nx; ++x, ++i)
        {
          std::vector<double> dR(filters);
          for (int k = 0; k < filters; ++k)
          {
            dR[k] =
              (R(i, k) > 0.0 ? dC(i, 1 + 2 * k) : 0.0) - (R(i, k) < 0.0 ? dC(i, 2 + 2 * k) : 0.0);
          }
          int j = 0;
          for (int d : Dilations)
          {
            for (const auto& e : Directions)
            {
              grad[at(x + d * e[0], y + d * e[1], z + d * e[2])] += dR[j];
              grad[at(x - d * e[0], y - d * e[1], z - d * e[2])] -= dR[j];
              ++j;
            }
            for (int a = 0; a < 3; ++a)
            {
              if ((a == 0 ? G.nx : a == 1 ? G.ny : G.nz) > 1)
              {
                const int e[3] = { a == 0, a == 1, a == 2 };
                grad[at(x + d * e[0], y + d * e[1], z + d * e[2])] += dR[j];
                grad[at(x - d * e[0], y - d * e[1], z - d * e[2])] += dR[j];
                grad[i] -= 2.0 * dR[j];
              }
            }
            ++j;
          }
        }
  }

  Grid G;
  std::vector<std::array<int, 3>> Directions;
  int Channels = 0;
  Eigen::MatrixXd TargetGram;
};

std::unique_ptr<FieldLoss> makeFieldLoss(
  const LossSettings& s, const Grid& g, const std::vector<double>& target)
{
  switch (s.kind)
  {
    case LossKind::Pixel:
      return std::make_unique<PixelLoss>(target);
    case LossKind::LogPS:
      return std::make_unique<TiledSpectrumLoss>(g, target, 0, s.epsilon);
    case LossKind::LogPSWindowed:
      return std::make_unique<TiledSpectrumLoss>(g, target, s.tileSize, s.epsilon);
    case LossKind::LogPSRadial:
      return std::make_unique<RadialSpectrumLoss>(g, target, s.epsilon);
    case LossKind::Gram:
      return std::make_unique<GramLoss>(g, target);
  }
  throw Error("Unknown loss.");
}

} // namespace

const char* toString(LossKind kind)
{
  return lossNames()[static_cast<std::size_t>(kind)];
}

const std::vector<LossKind>& allLosses()
{
  static const std::vector<LossKind> all = { LossKind::Pixel, LossKind::LogPS,
    LossKind::LogPSWindowed, LossKind::LogPSRadial, LossKind::Gram };
  return all;
}

LossKind lossFromString(const std::string& name)
{
  return static_cast<LossKind>(valueOf(name, "loss", lossNames()));
}

struct Loss::Impl
{
  LossSettings Settings;
  Grid G;
  std::unique_ptr<FieldLoss> V, U;
};

Loss::Loss(const LossSettings& settings, const State& target)
  : P(std::make_unique<Impl>())
{
  target.grid.validate();
  if (target.v.size() != target.grid.cells() ||
    (settings.includeU && target.u.size() != target.grid.cells()))
  {
    throw Error("The target's fields do not match its grid.");
  }
  if (!(std::isfinite(settings.epsilon) && settings.epsilon > 0.0))
  {
    throw Error("The log power spectrum's epsilon must be finite and positive.");
  }
  P->Settings = settings;
  P->G = target.grid;
  P->V = makeFieldLoss(settings, target.grid, target.v);
  if (settings.includeU)
  {
    P->U = makeFieldLoss(settings, target.grid, target.u);
  }
}

Loss::~Loss() = default;
Loss::Loss(Loss&&) noexcept = default;
Loss& Loss::operator=(Loss&&) noexcept = default;

const LossSettings& Loss::settings() const
{
  return P->Settings;
}

double Loss::evaluate(const State& prediction, State* gradient) const
{
  if (prediction.grid != P->G)
  {
    throw Error("The prediction's grid differs from the target's.");
  }
  if (gradient)
  {
    gradient->grid = P->G;
    gradient->u.assign(P->G.cells(), 0.0);
    gradient->v.assign(P->G.cells(), 0.0);
  }
  double loss = P->V->evaluate(prediction.v, gradient ? gradient->v.data() : nullptr);
  if (P->U)
  {
    loss += P->U->evaluate(prediction.u, gradient ? gradient->u.data() : nullptr);
  }
  return loss;
}

double batchLoss(const std::vector<const Loss*>& losses, const std::vector<State>& predictions,
  std::vector<State>* gradients)
{
  const std::size_t b = losses.size();
  if (b == 0 || predictions.size() != b)
  {
    throw Error("A batch loss needs as many predictions as targets, and at least one (got " +
      std::to_string(predictions.size()) + " and " + std::to_string(b) + ").");
  }
  if (gradients)
  {
    gradients->resize(b);
  }
  double sum = 0.0; // in pair order: the same bits every time
  for (std::size_t i = 0; i < b; ++i)
  {
    State* g = gradients ? &(*gradients)[i] : nullptr;
    sum += losses[i]->evaluate(predictions[i], g);
    if (g)
    {
      for (double& x : g->u)
      {
        x /= static_cast<double>(b);
      }
      for (double& x : g->v)
      {
        x /= static_cast<double>(b);
      }
    }
  }
  return sum / static_cast<double>(b);
}

} // namespace gs
