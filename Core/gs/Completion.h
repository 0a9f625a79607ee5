// Completion of partially observed, noisy fields to full, smooth ones before a residual fit
// (Completion.cpp); the neural field's completion is NeuralField.h's.
#pragma once

#include "Residual.h" // Observations

#include <functional>
#include <vector>

namespace gs
{

/// What completes the data before a fit (completionNames(): None, Smoothing, NeuralField).
enum class Completion
{
  None,
  Smoothing,  ///< smoothingCompleter
  NeuralField ///< completeWithNeuralField (NeuralField.h)
};

/// The smoothing completion's weight and order, and their defaults.
struct SmoothingSettings
{
  double lambda = 0.01;
  int order = 3; ///< curvature's gradient: smooth patterns from sparse cells
  /// Throws gs::Error naming the field ({smoothing.lambda}, {smoothing.order}).
  void validate() const;
};

/// Completes partially observed, noisy fields to smooth full fields before a strong-form fit.
/// A replaceable step: the plugin offers classical smoothing now; another completer (a neural
/// field) can take its place.
using Completer = std::function<std::vector<double>(
  const Grid& grid, const std::vector<double>& values, const std::vector<unsigned char>& valid)>;

/// Regularised least squares on the periodic grid:
///   min over f of sum_valid (f - d)^2 + lambda * sum |grad f|^2,
/// solved by conjugate gradients ((M + lambda L) f = M d, L = -lap with the solver's stencil;
/// Jacobi-preconditioned, matrix-free, serial: deterministic). lambda = 0 interpolates: the
/// limit of small lambda, observed values kept and lap f = 0 at unobserved cells (on the
/// periodic grid every unobserved region borders observed cells once one cell is observed).
/// Throws gs::Error for a negative or non-finite lambda, sizes that differ from the grid, a
/// non-finite observed value, or no observed cell.
Completer smoothingCompleter(double lambda);

/// The same with a penalty of higher order: lambda * sum |(-lap)^(order/2) f|^2, i.e.
/// (M + lambda (-L)^order) f = M d; order 1 is smoothingCompleter(lambda), 2 penalises
/// curvature (lap f)^2, 3 the gradient of the curvature. Higher orders interpolate smooth
/// patterns far better from sparse cells (lambda = 0: polyharmonic interpolation, which
/// reproduces polynomials of higher degree) and damp noise more sharply above the pattern's
/// wavenumbers. Orders 1 to 4.
Completer smoothingCompleter(double lambda, int order);

/// Applies `completer` to u and v of every frame (one after the other); the result has every
/// cell valid (all flags 1). Throws gs::Error (checkCompletable) with u unobserved.
Observations complete(const Observations& data, const Completer& completer);

/// Refuses data a completion cannot take: the completions fill u and v together, so u must
/// be observed ({uObserved}).
void checkCompletable(const Observations& data);

} // namespace gs
