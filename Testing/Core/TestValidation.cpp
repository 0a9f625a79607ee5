// Each settings struct's rules, in Core's words: the field that is wrong and its limit.
#include <gs/Adjoint.h>
#include <gs/Bifurcation.h>
#include <gs/Completion.h>
#include <gs/Inversion.h>
#include <gs/Names.h>
#include <gs/NeuralField.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

namespace
{

std::string errorOf(const std::function<void()>& f)
{
  try
  {
    f();
  }
  catch (const gs::Error& e)
  {
    return e.what();
  }
  return "";
}

} // namespace

TEST(Validation, ErrorRenamesItsFields)
{
  const gs::Error e("{a} and {b.c} differ; {a} wins.");
  EXPECT_STREQ(e.what(), "a and b.c differ; a wins.");
  EXPECT_EQ(e.renamed([](const std::string& f) { return f == "a" ? "A" : "BC"; }),
    "A and BC differ; A wins.");
  EXPECT_STREQ(gs::Error("no fields {").what(), "no fields {");
}

TEST(Validation, InversionSettings)
{
  auto with = [](const std::function<void(gs::InversionSettings&)>& change) {
    gs::InversionSettings s;
    change(s);
    return errorOf([&] { gs::validate(s); });
  };
  EXPECT_EQ(with([](gs::InversionSettings&) {}), "");
  EXPECT_EQ(with([](gs::InversionSettings& s) { s.iterations = -1; }),
    "iterations must be non-negative (got -1).");
  EXPECT_EQ(
    with([](gs::InversionSettings& s) { s.batch = 0; }), "batch must be at least 1 (got 0).");
  EXPECT_EQ(with([](gs::InversionSettings& s) { s.learningRate = NAN; }),
    "learningRate must be finite and positive.");
  EXPECT_EQ(with([](gs::InversionSettings& s) {
    s.fit = { false, false, false, false };
  }),
    "fit: choose at least one parameter to fit.");
  EXPECT_EQ(with([](gs::InversionSettings& s) { s.initialGuess.Dv = -0.1; }),
    "initialGuess: Dv must be finite and non-negative.");
  EXPECT_EQ(with([](gs::InversionSettings& s) { s.gradient.checkpointBytes = 0.0; }),
    "gradient.checkpointBytes must be positive.");
  EXPECT_EQ(with([](gs::InversionSettings& s) {
    s.method = gs::InversionMethod::PINN;
    s.pinn.residualWeight = -1.0;
  }),
    "pinn.residualWeight must be finite and >= 0.");
  EXPECT_EQ(with([](gs::InversionSettings& s) {
    s.method = gs::InversionMethod::PINN;
    s.pinn.network.hiddenLayers = 9;
  }),
    "network.hiddenLayers must be 1 to 8, got 9.");
}

TEST(Validation, NetworkSmoothingGradientAndCurves)
{
  gs::NeuralFieldSettings n = gs::NeuralFieldSettings::forFields();
  EXPECT_EQ(errorOf([&] { n.validate(); }), "");
  n.iterations = 0;
  EXPECT_EQ(errorOf([&] { n.validate(); }), "network.iterations must be 1 to 1000000, got 0.");

  EXPECT_EQ(errorOf([] {
    gs::SmoothingSettings{ 0.01, 5 }.validate();
  }).rfind("smoothing.order must be 1 to 4, got 5", 0),
    0u);

  gs::GradientSettings g;
  g.routing = gs::Routing::Truncated;
  g.truncationSteps = -1;
  EXPECT_EQ(
    errorOf([&] { g.validate(); }), "gradient.truncationSteps must be non-negative (got -1).");

  gs::bifurcation::DrawingSettings d;
  EXPECT_EQ(errorOf([&] { d.validate(); }), "");
  d.Fmin = 0.1;
  d.Fmax = 0.0;
  EXPECT_EQ(
    errorOf([&] { d.validate(); }), "fRange is inverted: min must be less than max (got 0.1 0).");
}

// The trajectory's points: a parameter, None (0) or the scaled loss on each axis.
TEST(Validation, TrajectoryAxes)
{
  gs::TrajectoryAxes axes;
  axes.axes = { 2, 3, gs::axisLoss };
  axes.zScale = 10.0;
  gs::InversionStep step;
  step.parameters = { 0.1, 0.05, 0.03, 0.06 };
  step.loss = 0.5;
  EXPECT_EQ(axes.points({ step }), (std::vector<double>{ 0.03, 0.06, 5.0 }));
  axes.axes[2] = gs::axisNone;
  EXPECT_EQ(axes.points({ step })[2], 0.0);
  axes.axes[0] = gs::axisLoss;
  EXPECT_EQ(errorOf([&] { axes.validate(); }).rfind("trajectory.x must be 0 (Du)", 0), 0u);
}

// The curves drawn in the plane: F on x (or y), every curve a run of points, Pearson's classes
// inside the ranges.
TEST(Validation, CurvesDrawing)
{
  gs::bifurcation::DrawingSettings d;
  d.samples = 50;
  d.elevation = 2.0;
  const gs::bifurcation::Drawing onX = gs::bifurcation::draw(d);
  d.fOnX = false;
  const gs::bifurcation::Drawing onY = gs::bifurcation::draw(d);
  ASSERT_FALSE(onX.curvePoints.empty());
  ASSERT_EQ(onX.curveOffsets.size(), onX.curveNames.size() + 1);
  EXPECT_EQ(static_cast<std::size_t>(onX.curveOffsets.back()) * 3, onX.curvePoints.size());
  for (std::size_t i = 0; i < onX.curvePoints.size(); i += 3)
  {
    EXPECT_EQ(onX.curvePoints[i], onY.curvePoints[i + 1]);
    EXPECT_EQ(onX.curvePoints[i + 2], 2.0);
  }
  EXPECT_EQ(onX.classLabels.size() * 3, onX.classPoints.size());
  EXPECT_FALSE(onX.classLabels.empty());
}
