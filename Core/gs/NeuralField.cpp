#include "NeuralField.h"

#include "Completion.h"
#include "Grid.h"
#include "Progress.h"
#include "Random.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

namespace gs
{

void NeuralFieldSettings::validate() const
{
  auto require = [](bool ok, const std::string& message) {
    if (!ok)
    {
      throw Error(message);
    }
  };
  require(iterations >= 1 && iterations <= 1000000,
    "{network.iterations} must be 1 to 1000000, got " + std::to_string(iterations) + ".");
  require(features >= 1 && features <= 1024,
    "{network.features} must be 1 to 1024, got " + std::to_string(features) + ".");
  require(std::isfinite(featureScale) && featureScale >= 0.0,
    "{network.featureScale} must be finite and >= 0 (0: one cycle per 10 cells).");
  require(width >= 1 && width <= 1024,
    "{network.width} must be 1 to 1024, got " + std::to_string(width) + ".");
  require(hiddenLayers >= 1 && hiddenLayers <= 8,
    "{network.hiddenLayers} must be 1 to 8, got " + std::to_string(hiddenLayers) + ".");
  require(std::isfinite(learningRate) && learningRate > 0.0 && learningRate <= 1.0,
    "{network.learningRate} must be in (0, 1].");
  require(std::isfinite(finalLearningRate) && finalLearningRate > 0.0 && finalLearningRate <= 1.0,
    "{network.finalLearningRate} must be in (0, 1].");
}

namespace
{
const double TwoPi = 6.283185307179586;
/// Samples per block: the blocks' sums are added in block order, so results do not depend
/// on how TBB schedules them.
constexpr std::size_t Block = 256;

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstWeights = Eigen::Map<const RowMajor>;
using Weights = Eigen::Map<RowMajor>;

std::size_t blocks(std::size_t n)
{
  return (n + Block - 1) / Block;
}
} // namespace

Adam::Adam(std::size_t parameters)
  : M(parameters, 0.0)
  , V(parameters, 0.0)
{}

void Adam::step(double* theta, const double* g, double rate)
{
  ++Steps;
  const double c1 = 1.0 - std::pow(0.9, Steps), c2 = 1.0 - std::pow(0.999, Steps);
  for (std::size_t i = 0; i < M.size(); ++i)
  {
    M[i] = 0.9 * M[i] + 0.1 * g[i];
    V[i] = 0.999 * V[i] + 0.001 * g[i] * g[i];
    theta[i] -= rate * (M[i] / c1) / (std::sqrt(V[i] / c2) + 1e-8);
  }
}

NeuralField::NeuralField(int inputs, int outputs, const NeuralFieldSettings& s)
  : In(inputs)
  , Out(outputs)
  , S(s)
{
  if (inputs < 1 || inputs > 4 || outputs < 1 || s.features < 1 || s.width < 1 ||
    s.hiddenLayers < 1 || s.iterations < 0 || s.periodicInputs < 0 || s.periodicInputs > inputs ||
    !(s.learningRate > 0.0 && std::isfinite(s.learningRate)) ||
    !(s.finalLearningRate > 0.0 && std::isfinite(s.finalLearningRate)) ||
    !(s.featureScale > 0.0 && std::isfinite(s.featureScale)))
  {
    throw Error(
      "Neural field: 1-4 inputs (periodic ones among them), at least one output, feature, "
      "unit and hidden layer, non-negative iterations, and positive finite learning rates "
      "and feature scale.");
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
  for (std::size_t i = 0; i < B.size(); ++i)
  {
    if (static_cast<int>(i % In) < s.periodicInputs)
    {
      B[i] = std::nearbyint(B[i]);
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

double NeuralField::rate(const NeuralFieldSettings& s, int it, int iterations)
{
  if (iterations <= 1)
  {
    return s.learningRate;
  }
  const double t = static_cast<double>(it - 1) / (iterations - 1);
  return s.learningRate * std::pow(s.finalLearningRate / s.learningRate, t);
}

NeuralField::Matrix NeuralField::encode(const std::vector<double>& x) const
{
  const std::size_t n = x.size() / In;
  if (x.size() != n * In)
  {
    throw Error("Neural field: " + std::to_string(x.size()) +
      " coordinates do not make whole samples of " + std::to_string(In) + ".");
  }
  const Eigen::Map<const Matrix> X(x.data(), In, static_cast<Eigen::Index>(n));
  const ConstWeights Bm(B.data(), S.features, In);
  Matrix features(2 * S.features, static_cast<Eigen::Index>(n));
  tbb::parallel_for(std::size_t{ 0 }, blocks(n), [&](std::size_t b) {
    const Eigen::Index first = static_cast<Eigen::Index>(b * Block);
    const Eigen::Index count = static_cast<Eigen::Index>(std::min(n, (b + 1) * Block)) - first;
    const Matrix phase = TwoPi * (Bm * X.middleCols(first, count));
    features.block(0, first, S.features, count) =
      phase.unaryExpr([](double p) { return std::sin(p); });
    features.block(S.features, first, S.features, count) =
      phase.unaryExpr([](double p) { return std::cos(p); });
  });
  return features;
}

void NeuralField::forward(const Matrix& features, std::vector<Matrix>& act) const
{
  act.resize(Layers.size() + 1);
  act[0] = features;
  for (std::size_t l = 0; l < Layers.size(); ++l)
  {
    const Layer& L = Layers[l];
    const ConstWeights W(&Theta[L.weights], L.out, L.in);
    const Eigen::Map<const Eigen::VectorXd> bias(&Theta[L.biases], L.out);
    act[l + 1].noalias() = W * act[l];
    act[l + 1].colwise() += bias;
    if (l + 1 < Layers.size())
    {
      act[l + 1] = act[l + 1].unaryExpr([](double z) { return std::tanh(z); });
    }
  }
}

template <typename Sensitivity>
double NeuralField::pass(
  const Matrix& encoded, const Sensitivity& sensitivity, std::vector<double>* gradient) const
{
  const std::size_t n = static_cast<std::size_t>(encoded.cols());
  const std::size_t nb = blocks(n);
  std::vector<double> partial(nb, 0.0);
  std::vector<std::vector<double>> grads(gradient ? nb : 0);
  tbb::parallel_for(std::size_t{ 0 }, nb, [&](std::size_t b) {
    const Eigen::Index first = static_cast<Eigen::Index>(b * Block);
    const Eigen::Index count = static_cast<Eigen::Index>(std::min(n, (b + 1) * Block)) - first;
    std::vector<Matrix> act;
    forward(encoded.middleCols(first, count), act);
    Matrix delta(Out, count);
    partial[b] = sensitivity(static_cast<std::size_t>(first), act.back(), delta);
    if (!gradient)
    {
      return;
    }
    std::vector<double>& g = grads[b];
    g.assign(Theta.size(), 0.0);
    for (std::size_t l = Layers.size(); l-- > 0;)
    {
      const Layer& L = Layers[l];
      Weights(&g[L.weights], L.out, L.in).noalias() = delta * act[l].transpose();
      Eigen::Map<Eigen::VectorXd>(&g[L.biases], L.out) = delta.rowwise().sum();
      if (l > 0)
      {
        const ConstWeights W(&Theta[L.weights], L.out, L.in);
        Matrix next = W.transpose() * delta;
        delta = next.cwiseProduct((1.0 - act[l].array().square()).matrix()); // through tanh
      }
    }
  });
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
  double total = 0.0;
  for (double p : partial)
  {
    total += p;
  }
  return total;
}

void NeuralField::evaluate(const double* x, double* y) const
{
  const std::vector<double> out = evaluate(encode(std::vector<double>(x, x + In)));
  std::copy(out.begin(), out.end(), y);
}

std::vector<double> NeuralField::evaluate(const Matrix& encoded) const
{
  std::vector<double> y(static_cast<std::size_t>(encoded.cols()) * Out);
  pass(
    encoded,
    [&](std::size_t first, const Matrix& out, Matrix&) {
      Eigen::Map<Matrix>(&y[first * Out], Out, out.cols()) = out;
      return 0.0;
    },
    nullptr);
  return y;
}

void NeuralField::backward(
  const Matrix& encoded, const std::vector<double>& dy, std::vector<double>& gradient) const
{
  if (dy.size() != static_cast<std::size_t>(encoded.cols()) * Out)
  {
    throw Error("Neural field: the sensitivities must hold one value per sample and output.");
  }
  pass(
    encoded,
    [&](std::size_t first, const Matrix& out, Matrix& delta) {
      delta = Eigen::Map<const Matrix>(&dy[first * Out], Out, out.cols());
      return 0.0;
    },
    &gradient);
}

double NeuralField::loss(
  const std::vector<double>& x, const std::vector<double>& y, std::vector<double>* gradient) const
{
  if (x.empty() || x.size() % In != 0 || y.size() != x.size() / In * Out)
  {
    throw Error("Neural field: " + std::to_string(x.size()) + " coordinates and " +
      std::to_string(y.size()) + " values do not make whole samples.");
  }
  return loss(encode(x), y, gradient);
}

double NeuralField::loss(
  const Matrix& encoded, const std::vector<double>& y, std::vector<double>* gradient) const
{
  const std::size_t n = static_cast<std::size_t>(encoded.cols());
  if (n == 0 || y.size() != n * Out)
  {
    throw Error("Neural field: " + std::to_string(n) + " samples and " + std::to_string(y.size()) +
      " values do not match.");
  }
  const double scale = 1.0 / static_cast<double>(n * Out);
  return scale *
    pass(
      encoded,
      [&](std::size_t first, const Matrix& out, Matrix& delta) {
        const Matrix r = out - Eigen::Map<const Matrix>(&y[first * Out], Out, out.cols());
        delta = (2.0 * scale) * r;
        return r.squaredNorm();
      },
      gradient);
}

double NeuralField::train(
  const std::vector<double>& x, const std::vector<double>& y, Progress* progress)
{
  if (x.empty() || x.size() % In != 0 || y.size() != x.size() / In * Out)
  {
    throw Error("Neural field: " + std::to_string(x.size()) + " coordinates and " +
      std::to_string(y.size()) + " values do not make whole samples.");
  }
  const Matrix encoded = encode(x);
  std::vector<double> g;
  Adam adam(Theta.size());
  for (int it = 1; it <= S.iterations; ++it)
  {
    loss(encoded, y, &g);
    adam.step(Theta.data(), g.data(), rate(S, it, S.iterations));
    if (progress)
    {
      progress->add(1.0);
      if (progress->aborted())
      {
        return std::nan("");
      }
    }
  }
  return loss(encoded, y);
}

void NeuralField::inputJacobian(const double* x, double* jacobian) const
{
  // Forward mode: carry d(activation)/dx through the layers (features x inputs at first).
  const Matrix features = encode(std::vector<double>(x, x + In));
  std::vector<Matrix> act;
  forward(features, act);
  Matrix d(2 * S.features, In);
  for (int k = 0; k < S.features; ++k)
  {
    for (int j = 0; j < In; ++j)
    {
      const double b = TwoPi * B[static_cast<std::size_t>(k) * In + j];
      d(k, j) = b * features(S.features + k, 0);  // d sin = cos
      d(S.features + k, j) = -b * features(k, 0); // d cos = -sin
    }
  }
  for (std::size_t l = 0; l < Layers.size(); ++l)
  {
    const Layer& L = Layers[l];
    Matrix next = ConstWeights(&Theta[L.weights], L.out, L.in) * d;
    if (l + 1 < Layers.size())
    {
      next = (1.0 - act[l + 1].array().square()).matrix().asDiagonal() * next;
    }
    d.swap(next);
  }
  Eigen::Map<RowMajor>(jacobian, Out, In) = d;
}

FieldSamples::FieldSamples(const Observations& data, int features)
{
  data.grid.validate();
  const Grid& g = data.grid;
  const std::size_t cells = g.cells();
  if (data.frames.empty())
  {
    throw Error("Neural field: no frames.");
  }
  if (!data.valid.empty() && data.valid.size() != cells)
  {
    throw Error("Neural field: the observed-cell mask has " + std::to_string(data.valid.size()) +
      " flags; the grid has " + std::to_string(cells) + " cells.");
  }
  if (data.times.size() != data.frames.size())
  {
    throw Error("Neural field: one time per frame is needed.");
  }
  for (std::size_t f = 0; f < data.frames.size(); ++f)
  {
    const State& s = data.frames[f];
    if (s.grid != g || s.u.size() != cells || s.v.size() != cells)
    {
      throw Error(
        "Neural field: frame " + std::to_string(f) + " is not on the observations' grid.");
    }
    if (!std::isfinite(data.times[f]) || (f > 0 && !(data.times[f] > data.times[f - 1])))
    {
      throw Error("Neural field: the frames' times must be finite and increasing.");
    }
  }
  const double samples = static_cast<double>(cells) * static_cast<double>(data.frames.size());
  // Inputs and features of every sample (twice: training and evaluation), values, outputs.
  checkMemory(samples * (2.0 * (2.0 * std::max(features, 1) + 4.0) + 8.0) * sizeof(double),
    "the neural field's samples");

  const int dims = g.nz > 1 ? 3 : 2;
  const bool time = data.frames.size() > 1;
  inputs = dims + (time ? 1 : 0);
  x.reserve(static_cast<std::size_t>(samples) * inputs);
  double square[2] = { 0.0, 0.0 };
  for (std::size_t f = 0; f < data.frames.size(); ++f)
  {
    const State& frame = data.frames[f];
    const double t =
      time ? (data.times[f] - data.times.front()) / (data.times.back() - data.times.front()) : 0.0;
    for (std::size_t c = 0; c < cells; ++c)
    {
      x.push_back((static_cast<double>(c % g.nx) + 0.5) / g.nx);
      x.push_back((static_cast<double>((c / g.nx) % g.ny) + 0.5) / g.ny);
      if (dims == 3)
      {
        x.push_back(
          (static_cast<double>(c / (static_cast<std::size_t>(g.nx) * g.ny)) + 0.5) / g.nz);
      }
      if (time)
      {
        x.push_back(t);
      }
      if (!data.valid.empty() && !data.valid[c])
      {
        continue;
      }
      const double value[2] = { data.uObserved ? frame.u[c] : LatentUMean, frame.v[c] };
      for (int o = 0; o < 2; ++o)
      {
        if (!std::isfinite(value[o]))
        {
          std::ostringstream msg;
          msg << "Neural field: the observed " << (o ? "v" : "u") << " is not finite at cell " << c
              << " of frame " << f << ".";
          throw Error(msg.str());
        }
        y.push_back(value[o]);
        mean[o] += value[o];
        square[o] += value[o] * value[o];
      }
      observed.push_back(f * cells + c);
    }
  }
  const std::size_t n = observed.size();
  if (n == 0)
  {
    throw Error("Neural field: no observed cell.");
  }
  for (int o = 0; o < 2; ++o)
  {
    mean[o] /= static_cast<double>(n);
    sd[o] = std::sqrt(std::max(square[o] / static_cast<double>(n) - mean[o] * mean[o], 0.0));
    // A uniform field: any positive scale; the network then learns a constant.
    if (!(sd[o] > 1e-12 * std::max(1.0, std::abs(mean[o]))))
    {
      sd[o] = 1.0;
    }
  }
  if (!data.uObserved)
  {
    sd[0] = LatentUSd;
  }
  for (std::size_t i = 0; i < y.size(); ++i)
  {
    y[i] = (y[i] - mean[i % 2]) / sd[i % 2];
  }
}

std::vector<double> FieldSamples::observedInputs() const
{
  std::vector<double> out;
  out.reserve(observed.size() * inputs);
  for (std::size_t i : observed)
  {
    out.insert(out.end(), x.begin() + i * inputs, x.begin() + (i + 1) * inputs);
  }
  return out;
}

NeuralFieldSettings gridNetworkSettings(const Grid& grid, const NeuralFieldSettings& settings)
{
  NeuralFieldSettings s = settings;
  s.periodicInputs = grid.nz > 1 ? 3 : 2;
  if (s.featureScale == 0.0)
  {
    s.featureScale = std::max({ grid.nx, grid.ny, grid.nz }) / 10.0;
  }
  return s;
}

Observations completeWithNeuralField(
  const Observations& data, const NeuralFieldSettings& settings, Progress* progress)
{
  checkCompletable(data);
  const FieldSamples samples(data, settings.features);
  NeuralField net(samples.inputs, 2, gridNetworkSettings(data.grid, settings));
  if (std::isnan(net.train(samples.observedInputs(), samples.y, progress)))
  {
    return Observations{ data.grid, {}, data.times, {} };
  }
  const std::vector<double> field = net.evaluate(net.encode(samples.x));
  const std::size_t cells = data.grid.cells();
  Observations out;
  out.grid = data.grid;
  out.times = data.times;
  out.frames.assign(data.frames.size(), State());
  for (std::size_t f = 0; f < out.frames.size(); ++f)
  {
    State& frame = out.frames[f];
    frame.grid = data.grid;
    frame.u.resize(cells);
    frame.v.resize(cells);
    for (std::size_t c = 0; c < cells; ++c)
    {
      frame.u[c] = samples.mean[0] + samples.sd[0] * field[2 * (f * cells + c)];
      frame.v[c] = samples.mean[1] + samples.sd[1] * field[2 * (f * cells + c) + 1];
    }
  }
  out.valid.assign(cells, 1);
  return out;
}

} // namespace gs
