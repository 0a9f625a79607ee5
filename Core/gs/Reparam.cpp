#include "Reparam.h"

#include <cmath>

namespace gs
{

namespace reparam
{

namespace
{
double sigmoid(double x)
{
  return x >= 0.0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}
double softplus(double x)
{
  return x > 30.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
double inverseSoftplus(double y)
{
  return y > 30.0 ? y + std::log(-std::expm1(-y)) : std::log(std::expm1(y));
}
double logit(double y)
{
  return std::log(y / (1.0 - y));
}
} // namespace

Parameters toParameters(const ParameterVector& raw)
{
  return { softplus(raw[0]), softplus(raw[1]), 0.1 * sigmoid(raw[2]), 0.1 * sigmoid(raw[3]) };
}

ParameterVector fromParameters(const Parameters& p)
{
  if (!(p.Du > 0.0 && p.Dv > 0.0 && p.F > 0.0 && p.F < 0.1 && p.k > 0.0 && p.k < 0.1))
  {
    throw Error("The reparameterisation needs Du, Dv > 0 and F, k in (0, 0.1).");
  }
  return { inverseSoftplus(p.Du), inverseSoftplus(p.Dv), logit(p.F / 0.1), logit(p.k / 0.1) };
}

ParameterVector gradient(const ParameterVector& raw, const ParameterVector& g)
{
  // softplus' = sigmoid; (0.1 sigmoid)' = 0.1 s (1 - s).
  const double sF = sigmoid(raw[2]), sk = sigmoid(raw[3]);
  return { g[0] * sigmoid(raw[0]), g[1] * sigmoid(raw[1]), g[2] * 0.1 * sF * (1.0 - sF),
    g[3] * 0.1 * sk * (1.0 - sk) };
}

} // namespace reparam

} // namespace gs
