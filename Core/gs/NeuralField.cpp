#include "NeuralField.h"

#include "Grid.h"
#include "Progress.h"
#include "Random.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace gs
{

namespace
{
const double TwoPi = 6.283185307179586;
/// Samples per block of the loss: the blocks' sums are added in block order, so the result
/// does not depend on how TBB schedules them.
constexpr std::size_t Block = 256;
} // namespace

NeuralField::NeuralField(int inputs, int outputs, const NeuralFieldSettings& s)
  : In(inputs)
  , Out(outputs)
  , S(s)
{
  if (inputs < 1 || inputs > 4 || outputs < 1 || s.features < 1 || s.width < 1 || s.hiddenLayers < 1 ||
    s.iterations < 0 || !(s.learningRate > 0.0 && std::isfinite(s.learningRate)) ||
    !(s.featureScale > 0.0 && std::isfinite(s.featureScale)))
  {
    throw Error("Neural field: 1-4 inputs, at least one output, feature, unit and hidden layer, "
                "non-negative iterations, and positive finite learning rate and feature scale.");
  }
  Random rng(s.seed, 0x4e46); // "NF"
  B.resize(static_cast<std::size_t>(s.features) * In);
  for (std::size_t i = 0; i < B.size(); i += 2)
  {
    double a, b;
    rng.normalPair(a, b);
    B[i] = s.featureScale * a;
    if (i + 1 < B.size())
    {
      B[i + 1] = s.featureScale * b;
    }
  }
  int width = 2 * s.features;
  std::size_t offset = 0;
  for (int l = 0; l <= s.hiddenLayers; ++l)
  {
    const int out = l == s.hiddenLayers ? Out : s.width;
    Layers.push_back({ width, out, offset, offset + static_cast<std::size_t>(width) * out });
    offset += static_cast<std::size_t>(width) * out + out;
    width = out;
  }
  Theta.assign(offset, 0.0);
  // Xavier-normal weights, zero biases.
  for (const Layer& L : Layers)
  {
    const double sd = std::sqrt(2.0 / (L.in + L.out));
    for (std::size_t i = 0; i < static_cast<std::size_t>(L.in) * L.out; i += 2)
    {
      double a, b;
      rng.normalPair(a, b);
      Theta[L.weights + i] = sd * a;
      if (i + 1 < static_cast<std::size_t>(L.in) * L.out)
      {
        Theta[L.weights + i + 1] = sd * b;
      }
    }
  }
}

void NeuralField::forward(const double* x, std::vector<std::vector<double>>& act) const
{
  act.resize(Layers.size() + 1);
  std::vector<double>& f = act[0];
  f.resize(2 * S.features);
  for (int k = 0; k < S.features; ++k)
  {
    double phase = 0.0;
    for (int j = 0; j < In; ++j)
    {
      phase += B[static_cast<std::size_t>(k) * In + j] * x[j];
    }
    f[k] = std::sin(TwoPi * phase);
    f[S.features + k] = std::cos(TwoPi * phase);
  }
  for (std::size_t l = 0; l < Layers.size(); ++l)
  {
    const Layer& L = Layers[l];
    std::vector<double>& z = act[l + 1];
    z.resize(L.out);
    for (int o = 0; o < L.out; ++o)
    {
      double sum = Theta[L.biases + o];
      const double* w = &Theta[L.weights + static_cast<std::size_t>(o) * L.in];
      for (int i = 0; i < L.in; ++i)
      {
        sum += w[i] * act[l][i];
      }
      z[o] = l + 1 < Layers.size() ? std::tanh(sum) : sum;
    }
  }
}

void NeuralField::evaluate(const double* x, double* y) const
{
  std::vector<std::vector<double>> act;
  forward(x, act);
  for (int o = 0; o < Out; ++o)
  {
    y[o] = act.back()[o];
  }
}

void NeuralField::inputJacobian(const double* x, double* jacobian) const
{
  // Forward-mode: carry d(activation)/dx_j through the layers.
  std::vector<std::vector<double>> act;
  forward(x, act);
  std::vector<double> d(static_cast<std::size_t>(2 * S.features) * In);
  for (int k = 0; k < S.features; ++k)
  {
    for (int j = 0; j < In; ++j)
    {
      const double b = TwoPi * B[static_cast<std::size_t>(k) * In + j];
      d[static_cast<std::size_t>(k) * In + j] = b * act[0][S.features + k];             // d sin = cos
      d[static_cast<std::size_t>(S.features + k) * In + j] = -b * act[0][k];          // d cos = -sin
    }
  }
  for (std::size_t l = 0; l < Layers.size(); ++l)
  {
    const Layer& L = Layers[l];
    std::vector<double> next(static_cast<std::size_t>(L.out) * In, 0.0);
    for (int o = 0; o < L.out; ++o)
    {
      const double* w = &Theta[L.weights + static_cast<std::size_t>(o) * L.in];
      const double a = act[l + 1][o];
      const double slope = l + 1 < Layers.size() ? 1.0 - a * a : 1.0;
      for (int j = 0; j < In; ++j)
      {
        double sum = 0.0;
        for (int i = 0; i < L.in; ++i)
        {
          sum += w[i] * d[static_cast<std::size_t>(i) * In + j];
        }
        next[static_cast<std::size_t>(o) * In + j] = slope * sum;
      }
    }
    d.swap(next);
  }
  for (std::size_t i = 0; i < d.size(); ++i)
  {
    jacobian[i] = d[i];
  }
}

double NeuralField::loss(const std::vector<double>& x, const std::vector<double>& y,
  std::vector<double>* gradient) const
{
  const std::size_t n = x.size() / In;
  if (n == 0 || x.size() != n * In || y.size() != n * Out)
  {
    throw Error("Neural field: " + std::to_string(x.size()) + " coordinates and " +
      std::to_string(y.size()) + " values do not make whole samples.");
  }
  const std::size_t blocks = (n + Block - 1) / Block;
  std::vector<double> partial(blocks, 0.0);
  std::vector<std::vector<double>> grads(gradient ? blocks : 0);
  const double scale = 1.0 / static_cast<double>(n * Out);
  tbb::parallel_for(std::size_t{ 0 }, blocks, [&](std::size_t b) {
    std::vector<std::vector<double>> act;
    std::vector<double> delta, prev;
    if (gradient)
    {
      grads[b].assign(Theta.size(), 0.0);
    }
    for (std::size_t s = b * Block; s < std::min(n, (b + 1) * Block); ++s)
    {
      forward(&x[s * In], act);
      delta.assign(Out, 0.0);
      for (int o = 0; o < Out; ++o)
      {
        const double r = act.back()[o] - y[s * Out + o];
        partial[b] += r * r;
        delta[o] = 2.0 * r * scale;
      }
      if (!gradient)
      {
        continue;
      }
      // Back-propagation through the layers, last to first.
      for (std::size_t l = Layers.size(); l-- > 0;)
      {
        const Layer& L = Layers[l];
        std::vector<double>& g = grads[b];
        prev.assign(L.in, 0.0);
        for (int o = 0; o < L.out; ++o)
        {
          const double dz = delta[o];
          g[L.biases + o] += dz;
          const std::size_t row = L.weights + static_cast<std::size_t>(o) * L.in;
          for (int i = 0; i < L.in; ++i)
          {
            g[row + i] += dz * act[l][i];
            prev[i] += dz * Theta[row + i];
          }
        }
        if (l > 0)
        {
          for (int i = 0; i < L.in; ++i)
          {
            prev[i] *= 1.0 - act[l][i] * act[l][i]; // through tanh
          }
        }
        delta.swap(prev);
      }
    }
  });
  double total = 0.0;
  for (double p : partial)
  {
    total += p;
  }
  if (gradient)
  {
    gradient->assign(Theta.size(), 0.0);
    for (const std::vector<double>& g : grads)
    {
      for (std::size_t i = 0; i < g.size(); ++i)
      {
        (*gradient)[i] += g[i];
      }
    }
  }
  return total * scale;
}

double NeuralField::train(const std::vector<double>& x, const std::vector<double>& y, Progress* progress)
{
  std::vector<double> g, m(Theta.size(), 0.0), v(Theta.size(), 0.0);
  for (int it = 1; it <= S.iterations; ++it)
  {
    loss(x, y, &g);
    const double c1 = 1.0 - std::pow(0.9, it), c2 = 1.0 - std::pow(0.999, it);
    for (std::size_t i = 0; i < Theta.size(); ++i)
    {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      Theta[i] -= S.learningRate * (m[i] / c1) / (std::sqrt(v[i] / c2) + 1e-8);
    }
    if (progress)
    {
      progress->add(1.0);
      if (progress->aborted())
      {
        return std::nan("");
      }
    }
  }
  return loss(x, y);
}

Completer neuralFieldCompleter(const NeuralFieldSettings& settings)
{
  return [settings](const Grid& g, const std::vector<double>& values, const std::vector<unsigned char>& valid) {
    const int dims = g.nz > 1 ? 3 : 2;
    const std::size_t cells = g.cells();
    if (values.size() != cells || (!valid.empty() && valid.size() != cells))
    {
      throw Error("Neural-field completion: the field and its mask must have one value per cell.");
    }
    auto coordinates = [&](std::size_t c, double* x) {
      x[0] = (static_cast<double>(c % g.nx) + 0.5) / g.nx;
      x[1] = (static_cast<double>((c / g.nx) % g.ny) + 0.5) / g.ny;
      if (dims == 3)
      {
        x[2] = (static_cast<double>(c / (static_cast<std::size_t>(g.nx) * g.ny)) + 0.5) / g.nz;
      }
    };
    std::vector<double> x, y;
    double mean = 0.0, square = 0.0;
    for (std::size_t c = 0; c < cells; ++c)
    {
      if (valid.empty() || valid[c])
      {
        if (!std::isfinite(values[c]))
        {
          throw Error("Neural-field completion: an observed value is not finite.");
        }
        double p[3];
        coordinates(c, p);
        x.insert(x.end(), p, p + dims);
        y.push_back(values[c]);
        mean += values[c];
        square += values[c] * values[c];
      }
    }
    if (y.empty())
    {
      throw Error("Neural-field completion: no observed cell.");
    }
    mean /= static_cast<double>(y.size());
    const double sd = std::sqrt(std::max(square / static_cast<double>(y.size()) - mean * mean, 1e-300));
    for (double& v : y)
    {
      v = (v - mean) / sd;
    }
    NeuralField net(dims, 1, settings);
    net.train(x, y);
    std::vector<double> out(cells);
    for (std::size_t c = 0; c < cells; ++c)
    {
      double p[3], v;
      coordinates(c, p);
      net.evaluate(p, &v);
      out[c] = mean + sd * v;
    }
    return out;
  };
}

} // namespace gs
