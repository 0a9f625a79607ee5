// A small neural field: an MLP from coordinates (x, y[, z][, t]) to (u, v), with a Fourier-
// feature input encoding, trained by Adam on observed samples only. Evaluated on the whole grid
// it completes sparse or noisy data (the role the paper gives a PINN's network). Eigen matrix
// products over blocks of samples; deterministic: seeded initialisation from our own
// generator, and the blocks' sums added in block order, so the same seed gives the same
// trained network for any thread count.
#pragma once

#include "Residual.h" // Observations

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace gs
{

class Progress;

struct NeuralFieldSettings
{
  int features = 32; ///< Fourier features: sin and cos of 2 pi B x for `features` rows of B
  /// Standard deviation of B in cycles per unit of the scaled input: the finest detail the
  /// network resolves easily is about 1 / (3 featureScale) of the domain.
  double featureScale = 4.0;
  /// Round B's entries for the first `periodicInputs` inputs to whole cycles, so the field is
  /// periodic in them (the grid's axes: the Laplacian across the boundary stays consistent).
  int periodicInputs = 0;
  int width = 64; ///< units per hidden layer (tanh)
  int hiddenLayers = 2;
  int iterations = 2000;           ///< Adam steps on all samples
  double learningRate = 2e-3;      ///< Adam's step at the start...
  double finalLearningRate = 2e-3; ///< ...decaying geometrically to this at the last step
  std::uint64_t seed = 0;

  /// The network that completes observed fields, as the filters offer it: 64 features at
  /// the grid's scale (featureScale 0), 2 x 64 tanh units, 2,000 Adam steps from 5e-3
  /// decaying to 5e-5.
  static NeuralFieldSettings forFields()
  {
    NeuralFieldSettings s;
    s.features = 64;
    s.featureScale = 0.0;
    s.learningRate = 5e-3;
    s.finalLearningRate = 5e-5;
    return s;
  }

  /// The ranges a user may choose (the network's own limits are wider): iterations 1 to
  /// 10^6, features and width 1 to 1024, 1 to 8 hidden layers, a finite featureScale >= 0
  /// (0: the grid's default), learning rates in (0, 1]. Throws gs::Error naming the field
  /// ({network.iterations}, ...).
  void validate() const;
};

/// Adam (Kingma and Ba) with the usual moments 0.9 and 0.999.
class Adam
{
public:
  explicit Adam(std::size_t parameters);
  /// One step of size `rate` along the bias-corrected moments of `gradient`.
  void step(double* theta, const double* gradient, double rate);

private:
  std::vector<double> M, V;
  int Steps = 0;
};

class NeuralField
{
public:
  using Matrix = Eigen::MatrixXd;

  /// `inputs` coordinates (1 to 4) in [0, 1] each (scale them first); `outputs` values.
  NeuralField(int inputs, int outputs, const NeuralFieldSettings& settings = {});

  int inputs() const { return In; }
  int outputs() const { return Out; }
  const NeuralFieldSettings& settings() const { return S; }
  std::vector<double>& parameters() { return Theta; }
  const std::vector<double>& parameters() const { return Theta; }

  /// Samples encoded once (their Fourier features, one column each), for repeated passes.
  Matrix encode(const std::vector<double>& x) const;

  /// y = f(x) for one point.
  void evaluate(const double* x, double* y) const;
  /// f at every encoded sample: samples x outputs values.
  std::vector<double> evaluate(const Matrix& encoded) const;
  /// d y_i / d x_j for one point, row-major outputs x inputs.
  void inputJacobian(const double* x, double* jacobian) const;

  /// The gradient over the parameters of sum over samples s of dy_s . f(x_s): back-propagates
  /// sensitivities `dy` (samples x outputs) of any loss of the network's values.
  void backward(
    const Matrix& encoded, const std::vector<double>& dy, std::vector<double>& gradient) const;

  /// Mean over samples and outputs of (f(x_s) - y_s)^2; with `gradient`, d/d parameters.
  /// `x` holds samples x inputs values, `y` samples x outputs.
  double loss(const std::vector<double>& x, const std::vector<double>& y,
    std::vector<double>* gradient = nullptr) const;
  double loss(const Matrix& encoded, const std::vector<double>& y,
    std::vector<double>* gradient = nullptr) const;

  /// Adam on the loss; returns the final loss. Stops early (returning NaN) on abort.
  double train(
    const std::vector<double>& x, const std::vector<double>& y, Progress* progress = nullptr);

  /// The learning rate of step `it` (1-based) of `iterations` under the settings' decay.
  static double rate(const NeuralFieldSettings& s, int it, int iterations);

private:
  struct Layer
  {
    int in, out;
    std::size_t weights, biases; // offsets into Theta
  };
  /// Activations of one block of encoded samples: act[0] the features, act.back() the output.
  void forward(const Matrix& features, std::vector<Matrix>& act) const;
  /// One pass over blocks: forward, then `sensitivity(first, y, dy)` gives the block's output
  /// sensitivities (and returns its share of a loss), then back-propagation when `gradient`.
  template <typename Sensitivity>
  double pass(
    const Matrix& encoded, const Sensitivity& sensitivity, std::vector<double>* gradient) const;

  int In, Out;
  NeuralFieldSettings S;
  std::vector<double> B; // features x inputs
  std::vector<Layer> Layers;
  std::vector<double> Theta;
};

/// Observations laid out for a neural field: sample i = frame * cells + cell, its input the
/// cell's centre scaled to [0, 1) on each grid axis, then the frame's time scaled to [0, 1]
/// (only with more than one frame); the observed samples' (u, v) standardised by their mean
/// and standard deviation.
struct FieldSamples
{
  /// With u unobserved (Observations::uObserved false) u is never read: its standardised
  /// samples are 0 and its scale is the model's range, u in [0, 1] (mean 0.5, sd 0.25), so a
  /// network's u output starts in that range and only the physics moves it.
  static constexpr double LatentUMean = 0.5, LatentUSd = 0.25;

  int inputs = 0;
  std::vector<double> x;             ///< every sample: samples x inputs
  std::vector<std::size_t> observed; ///< the observed samples, ascending
  std::vector<double> y;             ///< observed samples x 2, standardised
  double mean[2] = { 0.0, 0.0 }, sd[2] = { 1.0, 1.0 };

  /// Prepares `data`; throws gs::Error for unusable observations (no frames, a frame off the
  /// grid, times not increasing, a non-finite observed value, no observed cell, too little
  /// memory for `features` Fourier features per sample).
  FieldSamples(const Observations& data, int features);
  /// The observed samples' inputs.
  std::vector<double> observedInputs() const;
};

/// The settings a neural field over a grid uses: the spatial inputs periodic, and a
/// featureScale of 0 replaced by one cycle per 10 cells along the longest axis.
NeuralFieldSettings gridNetworkSettings(const Grid& grid, const NeuralFieldSettings& settings);

/// A neural field fitted to observations: one network from (x, y[, z][, t]) to (u, v)
/// standardised by the observed values' mean and standard deviation, trained on the observed
/// cells of every frame, evaluated on every cell: the completed (and smoothed) observations,
/// every cell valid, with gridNetworkSettings. Progress counts training steps. Throws
/// gs::Error for unusable data or settings; on abort returns empty frames.
Observations completeWithNeuralField(
  const Observations& data, const NeuralFieldSettings& settings, Progress* progress = nullptr);

} // namespace gs
