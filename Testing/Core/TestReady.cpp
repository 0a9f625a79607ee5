#include <gs/Ready.h>

#include <gtest/gtest.h>

#include <string>

namespace
{

// The rules of Ready's own pattern files (Patterns/CPU-only/grayscott_2D.vti,
// Patterns/GrayScott1984/Pearson1993.vti), as their <rule> elements state them.
gs::ReadyRule inbuilt()
{
  gs::ReadyRule r;
  r.name = "Gray-Scott";
  r.type = "inbuilt";
  r.params = { { "timestep", "   1.0    " }, { "D_a", " 0.082 " }, { "D_b", "0.041" },
    { "k", "0.064" }, { "F", "0.035" } };
  return r;
}

gs::ReadyRule pearson()
{
  gs::ReadyRule r;
  r.name = "Gray-Scott";
  r.type = "formula";
  r.wrap = "1";
  r.formula = "\n        delta_a = D_a * laplacian_a - a*b*b + F*(1.0f-a);\n"
              "        delta_b = D_b * laplacian_b + a*b*b - (F+K)*b;\n      ";
  r.params = { { "timestep", "1" }, { "dx", "0.009765625" }, { "D_a", "0.00002" },
    { "D_b", "0.00001" }, { "K", "0.060" }, { "F", "0.040" } };
  r.generatorOnLoad = true;
  return r;
}

TEST(Ready, InbuiltRuleIsThisModelAtUnitSpacing)
{
  const gs::ReadyModel m = gs::readyModel(inbuilt(), 2);
  EXPECT_EQ(m.parameters.Du, 0.082);
  EXPECT_EQ(m.parameters.Dv, 0.041);
  EXPECT_EQ(m.parameters.F, 0.035);
  EXPECT_EQ(m.parameters.k, 0.064);
  EXPECT_EQ(m.timeStep, 1.0);
  EXPECT_EQ(m.spacing, 1.0);
  EXPECT_TRUE(m.sameLaplacian);
  EXPECT_TRUE(m.periodic);
  EXPECT_TRUE(m.differences.empty());
  EXPECT_TRUE(gs::readyModel(inbuilt(), 3).sameLaplacian);
}

TEST(Ready, FormulaRuleMapsDxAndCapitalK)
{
  const gs::ReadyModel m = gs::readyModel(pearson(), 2);
  EXPECT_EQ(m.parameters.Du, 0.00002);
  EXPECT_EQ(m.parameters.Dv, 0.00001);
  EXPECT_EQ(m.parameters.F, 0.040);
  EXPECT_EQ(m.parameters.k, 0.060);
  EXPECT_EQ(m.spacing, 0.009765625);
  // Ready's default accuracy (medium) is the 9-point stencil: named as a difference.
  EXPECT_FALSE(m.sameLaplacian);
  ASSERT_EQ(m.differences.size(), 1u);
  EXPECT_NE(m.differences[0].find("9-point"), std::string::npos);

  gs::ReadyRule low = pearson();
  low.accuracy = "low";
  EXPECT_TRUE(gs::readyModel(low, 2).sameLaplacian);
  EXPECT_FALSE(gs::readyModel(low, 3).sameLaplacian); // 27-point at every accuracy
}

TEST(Ready, LowerCaseKInAFormulaIsTheKillRate)
{
  gs::ReadyRule r = pearson();
  r.formula =
    "delta_a = D_a*laplacian_a - a*b*b + F*(1.0-a);\ndelta_b = D_b*laplacian_b + a*b*b - (F+k)*b;";
  r.params[4] = { "k", "0.0655" };
  EXPECT_EQ(gs::readyModel(r, 2).parameters.k, 0.0655);
  // The formula says k: a K alone is not its kill rate.
  r.params[4] = { "K", "0.0655" };
  EXPECT_THROW(gs::readyModel(r, 2), gs::Error);
}

TEST(Ready, WrapOffAndDxInTheInbuiltRuleAreNamed)
{
  gs::ReadyRule r = inbuilt();
  r.wrap = "0";
  r.params.push_back({ "dx", "0.5" });
  const gs::ReadyModel m = gs::readyModel(r, 2);
  EXPECT_FALSE(m.periodic);
  EXPECT_EQ(m.spacing, 1.0);
  EXPECT_EQ(m.differences.size(), 2u);
}

TEST(Ready, WhatIsNotGrayScottIsRefusedByName)
{
  auto message = [](const gs::ReadyRule& r) {
    try
    {
      gs::readyModel(r, 2);
    }
    catch (const gs::Error& e)
    {
      return std::string(e.what());
    }
    return std::string();
  };
  gs::ReadyRule r = inbuilt();
  r.params.erase(r.params.begin() + 3); // no k
  EXPECT_NE(message(r).find("'k'"), std::string::npos);
  r = inbuilt();
  r.params[1].second = "fast";
  EXPECT_NE(message(r).find("'D_a'"), std::string::npos);
  r = inbuilt();
  r.name = "Oregonator";
  EXPECT_NE(message(r).find("Oregonator"), std::string::npos);
  r = pearson();
  r.formula = "delta_a = D_a * laplacian_a - a*b*b*b + F*(1.0f-a); delta_b = D_b * laplacian_b;";
  EXPECT_NE(message(r).find("formula"), std::string::npos);
  r = pearson();
  r.type = "kernel";
  EXPECT_NE(message(r).find("kernel"), std::string::npos);
  r = pearson();
  r.accuracy = "extreme";
  EXPECT_NE(message(r).find("accuracy"), std::string::npos);
}

TEST(Ready, ChemicalsHoldAStateUnlessGeneratedOrAllZero)
{
  const std::vector<double> zero(16, 0.0);
  std::vector<double> spot = zero;
  spot[5] = 0.25;
  gs::ReadyRule r = inbuilt();
  EXPECT_FALSE(gs::readyChemicalsHoldState(r, zero, zero));
  EXPECT_TRUE(gs::readyChemicalsHoldState(r, zero, spot));
  r.generatorOnLoad = true;
  EXPECT_FALSE(gs::readyChemicalsHoldState(r, zero, spot));
}

} // namespace
