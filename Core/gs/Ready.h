// Ready's Gray-Scott rules (the reaction-diffusion program Ready, GollyGang/ready) in this
// project's model: which of a Ready file's numbers are Du, Dv, F, k, the time step and the
// grid spacing, and where Ready's discrete model differs from this solver's.
//
// Ready's conventions, from its source (src/readybase: GrayScottImageRD.cpp, stencils.cpp,
// FormulaOpenCLImageRD.cpp, ImageRD.cpp):
// - chemicals a, b are u, v; D_a, D_b are Du, Dv; F is F; the kill rate is `k` in the inbuilt
//   rule and `K` in formula rules (renamed in 2018); `timestep` is dt, explicit Euler;
// - the inbuilt rule applies the 7-point Laplacian without a spacing (the 5-point one on a 2D
//   grid): this solver's stencil at h = 1;
// - a formula rule's Laplacian is its stencil over dx^2 (`dx`, default 1), chosen by the
//   formula's `accuracy` (default medium) and the grid's dimension, not by
//   `neighborhood_type` (which Ready uses only for meshes): in 2D low is the 5-point stencil,
//   medium the 9-point [1 4 1; 4 -20 4; 1 4 1] / 6, high a 21-point one; in 3D every accuracy
//   is a 27-point stencil; in 1D low and medium are [1 -2 1];
// - `wrap` (default on) is a periodic grid; off repeats the edge cells (zero flux);
// - with initial_pattern_generator apply_when_loading="true" Ready replaces the stored
//   chemicals by its generator's pattern on load: the arrays are placeholders.
#pragma once

#include "Grid.h"

#include <string>
#include <utility>
#include <vector>

namespace gs
{

/// A Ready rule as its file writes it (the <rule> element of <RD>), every value as text.
struct ReadyRule
{
  std::string name;     ///< "Gray-Scott"
  std::string type;     ///< "inbuilt", "formula" or "kernel"
  std::string wrap;     ///< "1" periodic; empty: Ready's default (periodic)
  std::string accuracy; ///< the formula's accuracy: "low", "medium" (default), "high"
  std::string formula;  ///< a formula rule's code
  std::vector<std::pair<std::string, std::string>> params; ///< <param name="...">value</param>
  bool generatorOnLoad = false; ///< initial_pattern_generator apply_when_loading="true"
};

/// A Ready rule in this model.
struct ReadyModel
{
  Parameters parameters;
  double timeStep = 1.0;
  double spacing = 1.0;      ///< h on every axis: dx for a formula rule, 1 for the inbuilt one
  std::string laplacian;     ///< Ready's stencil, in words
  bool sameLaplacian = true; ///< Ready's stencil is this solver's (5-point, 7-point in 3D)
  bool periodic = true;
  std::vector<std::string> differences; ///< where Ready's discrete model differs from this one
};

/// Maps a rule on a grid of `dimension` axes with more than one cell (1, 2 or 3). Throws
/// gs::Error naming the problem: a rule that is not Gray-Scott (a kernel rule, another inbuilt
/// rule, a formula other than Ready's Gray-Scott formula), a missing or non-numeric parameter.
ReadyModel readyModel(const ReadyRule& rule, int dimension);

/// True when Ready's stored chemicals are the state: not replaced by the generator on load,
/// and not all zero (the placeholders Ready's pattern files carry).
bool readyChemicalsHoldState(
  const ReadyRule& rule, const std::vector<double>& a, const std::vector<double>& b);

} // namespace gs
