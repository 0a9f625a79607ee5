#include "Ready.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace gs
{
namespace
{

std::string trimmed(const std::string& s)
{
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
  {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
  {
    --e;
  }
  return s.substr(b, e - b);
}

const std::string* findParam(const ReadyRule& rule, const std::string& name)
{
  for (const auto& p : rule.params)
  {
    if (p.first == name)
    {
      return &p.second;
    }
  }
  return nullptr;
}

double number(const ReadyRule& rule, const std::string& name, const double* fallback = nullptr)
{
  const std::string* text = findParam(rule, name);
  if (!text)
  {
    if (fallback)
    {
      return *fallback;
    }
    throw Error("The Ready rule has no parameter '" + name + "'.");
  }
  const std::string t = trimmed(*text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(value))
  {
    throw Error(
      "The Ready rule's parameter '" + name + "' is not a finite number (\"" + t + "\").");
  }
  return value;
}

/// The formula without white space, literal 1.0f written 1, and no final ';'.
std::string normalisedFormula(const std::string& formula)
{
  std::string s;
  for (char c : formula)
  {
    if (!std::isspace(static_cast<unsigned char>(c)))
    {
      s += c;
    }
  }
  for (const char* one : { "1.0f", "1.f", "1.0", "1f" })
  {
    const std::string pattern(one);
    for (std::size_t at = s.find(pattern); at != std::string::npos; at = s.find(pattern, at + 1))
    {
      s.replace(at, pattern.size(), "1");
    }
  }
  while (!s.empty() && s.back() == ';')
  {
    s.pop_back();
  }
  return s;
}

/// Ready's Gray-Scott formula with kill rate `kill`, normalised.
std::string grayScottFormula(const std::string& kill)
{
  return "delta_a=D_a*laplacian_a-a*b*b+F*(1-a);delta_b=D_b*laplacian_b+a*b*b-(F+" + kill + ")*b";
}

} // namespace

ReadyModel readyModel(const ReadyRule& rule, int dimension)
{
  if (dimension < 1 || dimension > 3)
  {
    throw Error("A Ready grid has 1, 2 or 3 axes (got " + std::to_string(dimension) + ").");
  }
  ReadyModel m;
  std::string kill;
  if (rule.type == "inbuilt")
  {
    if (rule.name != "Gray-Scott")
    {
      throw Error("The Ready rule is the inbuilt '" + rule.name + "', not Gray-Scott.");
    }
    kill = "k";
    // Ready's inbuilt rule has no spacing: its Laplacian is the plain 7-point sum.
    m.spacing = 1.0;
    m.laplacian = dimension == 3
      ? "7-point (inbuilt rule)"
      : (dimension == 2 ? "5-point (inbuilt rule)" : "3-point (inbuilt rule)");
  }
  else if (rule.type == "formula")
  {
    const std::string f = normalisedFormula(rule.formula);
    if (f == grayScottFormula("K"))
    {
      kill = "K";
    }
    else if (f == grayScottFormula("k"))
    {
      kill = "k";
    }
    else
    {
      throw Error("The Ready rule's formula is not Ready's Gray-Scott formula "
                  "(delta_a = D_a*laplacian_a - a*b*b + F*(1-a); "
                  "delta_b = D_b*laplacian_b + a*b*b - (F+K)*b, with K or k): it is \"" +
        trimmed(rule.formula) + "\".");
    }
    const double one = 1.0;
    m.spacing = number(rule, "dx", &one);
    const std::string accuracy = rule.accuracy.empty() ? "medium" : rule.accuracy;
    if (accuracy != "low" && accuracy != "medium" && accuracy != "high")
    {
      throw Error(
        "The Ready formula's accuracy must be low, medium or high (got '" + accuracy + "').");
    }
    if (dimension == 3)
    {
      m.laplacian = "27-point / (30 dx^2) (formula, 3D)";
      m.sameLaplacian = false;
    }
    else if (dimension == 2)
    {
      m.laplacian = accuracy == "low" ? "5-point / dx^2 (formula, accuracy low)"
        : accuracy == "medium"
        ? "9-point [1 4 1; 4 -20 4; 1 4 1] / (6 dx^2) (formula, accuracy medium)"
        : "21-point / (60 dx^2) (formula, accuracy high)";
      m.sameLaplacian = accuracy == "low";
    }
    else
    {
      m.laplacian = accuracy == "high"
        ? "5-point [-1 16 -30 16 -1] / (12 dx^2) (formula, accuracy high)"
        : "3-point / dx^2 (formula)";
      m.sameLaplacian = accuracy != "high";
    }
  }
  else
  {
    throw Error("The Ready rule has type '" + rule.type +
      "': only the inbuilt Gray-Scott rule and Gray-Scott formula rules map to this model.");
  }

  m.parameters.Du = number(rule, "D_a");
  m.parameters.Dv = number(rule, "D_b");
  m.parameters.F = number(rule, "F");
  m.parameters.k = number(rule, kill);
  m.timeStep = number(rule, "timestep");
  m.periodic = rule.wrap.empty() || trimmed(rule.wrap) == "1";

  if (!m.sameLaplacian)
  {
    m.differences.push_back("Ready applies the " + m.laplacian + " Laplacian, this solver the " +
      (dimension == 3 ? "7" : (dimension == 2 ? "5" : "3")) +
      "-point one: the same equations, discretised differently, so patterns agree only as dx -> 0");
  }
  if (!m.periodic)
  {
    m.differences.push_back(
      "Ready's rule has wrap off (edge cells repeated, zero flux); this solver's grid is periodic");
  }
  if (rule.type == "inbuilt" && findParam(rule, "dx"))
  {
    m.differences.push_back("Ready's inbuilt rule ignores dx; the spacing is 1");
  }
  return m;
}

bool readyChemicalsHoldState(
  const ReadyRule& rule, const std::vector<double>& a, const std::vector<double>& b)
{
  if (rule.generatorOnLoad)
  {
    return false;
  }
  for (double x : a)
  {
    if (x != 0.0)
    {
      return true;
    }
  }
  for (double x : b)
  {
    if (x != 0.0)
    {
      return true;
    }
  }
  return false;
}

} // namespace gs
