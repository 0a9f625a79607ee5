// A small neural field: an MLP from coordinates (x, y[, z][, t]) to (u, v), with a Fourier-
// feature input encoding, trained by Adam on observed samples only. Evaluated on the whole grid
// it completes sparse or noisy data (the role the paper gives a PINN's network). Plain Eigen,
// deterministic: seeded initialisation from our own generator, and sums in a fixed order, so
// the same seed gives the same trained network for any thread count.
#pragma once

#include "Residual.h" // Completer

#include <cstdint>
#include <vector>

namespace gs
{

class Progress;

struct NeuralFieldSettings
{
  int features = 32;          ///< Fourier features: sin and cos of 2 pi B x for `features` rows of B
  double featureScale = 4.0;  ///< standard deviation of B (in cycles per unit of the scaled input)
  int width = 64;             ///< units per hidden layer (tanh)
  int hiddenLayers = 2;
  int iterations = 2000;      ///< Adam steps on all samples
  double learningRate = 2e-3;
  std::uint64_t seed = 0;
};

class NeuralField
{
public:
  /// `inputs` coordinates (2 to 4) in [0, 1] each (scale them first); `outputs` values.
  NeuralField(int inputs, int outputs, const NeuralFieldSettings& settings = {});

  int inputs() const { return In; }
  int outputs() const { return Out; }
  std::vector<double>& parameters() { return Theta; }
  const std::vector<double>& parameters() const { return Theta; }

  /// y = f(x) for one point.
  void evaluate(const double* x, double* y) const;
  /// d y_i / d x_j for one point, row-major outputs x inputs.
  void inputJacobian(const double* x, double* jacobian) const;

  /// Mean over samples and outputs of (f(x_s) - y_s)^2; with `gradient`, d/d parameters.
  /// `x` holds samples x inputs values, `y` samples x outputs.
  double loss(const std::vector<double>& x, const std::vector<double>& y,
    std::vector<double>* gradient = nullptr) const;

  /// Adam on the loss; returns the final loss. Stops early (returning NaN) on abort.
  double train(const std::vector<double>& x, const std::vector<double>& y, Progress* progress = nullptr);

private:
  struct Layer
  {
    int in, out;
    std::size_t weights, biases; // offsets into Theta
  };
  /// Forward pass keeping activations; returns the output.
  void forward(const double* x, std::vector<std::vector<double>>& act) const;

  int In, Out;
  NeuralFieldSettings S;
  std::vector<double> B; // features x inputs
  std::vector<Layer> Layers;
  std::vector<double> Theta;
};

/// The neural-field completer for gs::complete: per field, a network from the cell's scaled
/// coordinates (x, y[, z]) to its value, trained on the observed cells (values standardised),
/// evaluated on every cell.
Completer neuralFieldCompleter(const NeuralFieldSettings& settings = {});

} // namespace gs
