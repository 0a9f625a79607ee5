// The paper's parameters for descent: positive diffusion coefficients and feed and kill rates
// in (0, 0.1) by smooth maps from unconstrained numbers.
#pragma once

#include "Grid.h"

namespace gs
{

/// The paper's reparameterisation: Du = softplus(a_u), Dv = softplus(a_v),
/// F = 0.1 sigmoid(r_F), k = 0.1 sigmoid(r_k). Raw values are (a_u, a_v, r_F, r_k).
namespace reparam
{
Parameters toParameters(const ParameterVector& raw);
/// Throws gs::Error when a parameter is outside the map's range (D <= 0, F or k not in (0, 0.1)).
ParameterVector fromParameters(const Parameters& p);
/// dL/draw from dL/d(Du, Dv, F, k) by the chain rule.
ParameterVector gradient(const ParameterVector& raw, const ParameterVector& dLdParameters);
} // namespace reparam

} // namespace gs
