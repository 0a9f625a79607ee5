// Measurements of a pattern that tests, landscapes and summaries share.
#pragma once

#include "Grid.h"

#include <cstddef>
#include <vector>

namespace gs
{

/// Number of connected regions of cells with f > threshold, face-connected across the
/// periodic boundaries (a spot that wraps around an edge counts once).
std::size_t countRegions(const Grid& grid, const std::vector<double>& f, double threshold);

} // namespace gs
