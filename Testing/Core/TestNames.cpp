#include <gs/Grid.h>
#include <gs/Names.h>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <utility>

namespace
{

TEST(Names, ParametersByNameAndIndex)
{
  gs::Parameters p{ 1.0, 2.0, 3.0, 4.0 };
  const gs::Parameter all[4] = { gs::Parameter::Du, gs::Parameter::Dv, gs::Parameter::F,
    gs::Parameter::k };
  const char* expected[4] = { "Du", "Dv", "F", "k" };
  for (std::size_t i = 0; i < gs::parameterCount; ++i)
  {
    EXPECT_EQ(p[all[i]], p.asArray()[i]);
    EXPECT_STREQ(gs::parameterName(all[i]), expected[i]);
    EXPECT_STREQ(gs::parameterName(i), expected[i]);
    EXPECT_STREQ(gs::axisNames()[i], expected[i]);
  }
  p[gs::Parameter::F] = 0.5;
  EXPECT_EQ(p.F, 0.5);
}

TEST(Names, CheckedValuesNameThePropertyAndEveryValue)
{
  EXPECT_EQ(gs::checkedValue(2, "Routing", gs::routingNames()), 2);
  try
  {
    gs::checkedValue(7, "Loss", gs::lossNames());
    FAIL() << "no error";
  }
  catch (const gs::Error& e)
  {
    EXPECT_STREQ(e.what(),
      "Loss must be 0 (pixel), 1 (logps), 2 (logps_windowed), 3 (logps_radial) or 4 (gram), got "
      "7.");
  }
  // A prefix of a table: the landscape's X axis has no None.
  EXPECT_THROW(gs::checkedValue(gs::axisNone, "XParameter", gs::axisNames(), 4), gs::Error);
  EXPECT_EQ(gs::checkedValue(gs::axisNone, "YParameter", gs::axisNames(), 5), gs::axisNone);
  EXPECT_THROW(gs::checkedValue(-1, "Method", gs::inversionMethodNames()), gs::Error);
  EXPECT_EQ(gs::valueOf("logps", "loss", gs::lossNames()), 1);
  EXPECT_THROW(gs::valueOf("vgg", "loss", gs::lossNames()), gs::Error);
}

/// Every enumeration property of the plugin's XML, by proxy and property: its entries.
std::map<std::pair<std::string, std::string>, std::vector<std::pair<int, std::string>>>
xmlEnumerations()
{
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<int, std::string>>> found;
  for (const char* file : { "GrayScott.xml", "LossLandscape.xml", "BifurcationCurves.xml",
         "ResidualFit.xml", "Inversion.xml" })
  {
    std::ifstream in(std::string(GS_PLUGIN_XML_DIR) + "/" + file);
    EXPECT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    const std::string xml = text.str();
    const std::regex proxy(R"re(<SourceProxy\s+name="(\w+)")re");
    const std::regex property(
      R"re(<IntVectorProperty\s+name="(\w+)"[\s\S]*?</IntVectorProperty>)re");
    const std::regex entry(R"re(<Entry\s+value="(\d+)"\s+text="([^"]*)")re");
    std::vector<std::pair<std::size_t, std::string>> proxies;
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), proxy);
         it != std::sregex_iterator(); ++it)
    {
      proxies.emplace_back(static_cast<std::size_t>(it->position()), (*it)[1]);
    }
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), property);
         it != std::sregex_iterator(); ++it)
    {
      const std::string block = it->str();
      if (block.find("<EnumerationDomain") == std::string::npos)
      {
        continue;
      }
      std::string owner;
      for (const auto& p : proxies)
      {
        if (p.first < static_cast<std::size_t>(it->position()))
        {
          owner = p.second;
        }
      }
      auto& entries = found[{ owner, (*it)[1] }];
      for (auto e = std::sregex_iterator(block.begin(), block.end(), entry);
           e != std::sregex_iterator(); ++e)
      {
        entries.emplace_back(std::stoi((*e)[1]), (*e)[2]);
      }
    }
  }
  return found;
}

TEST(Names, EveryXmlEnumerationIsCoresTable)
{
  struct Table
  {
    const gs::NameTable* names;
    std::size_t count;
  };
  const std::map<std::pair<std::string, std::string>, Table> core = {
    { { "GrayScottBifurcationCurves", "XParameter" }, { &gs::curveAxisNames(), 2 } },
    { { "GrayScottGradient", "Loss" }, { &gs::lossNames(), 5 } },
    { { "GrayScottGradient", "Routing" }, { &gs::routingNames(), 3 } },
    { { "GrayScottInversion", "Method" }, { &gs::inversionMethodNames(), 5 } },
    { { "GrayScottInversion", "Optimizer" }, { &gs::optimizerNames(), 2 } },
    { { "GrayScottInversion", "Loss" }, { &gs::lossNames(), 5 } },
    { { "GrayScottInversion", "Routing" }, { &gs::routingNames(), 3 } },
    { { "GrayScottInversion", "ResidualMethod" }, { &gs::residualMethodNames(), 3 } },
    { { "GrayScottInversion", "Discretisation" }, { &gs::discretisationNames(), 2 } },
    { { "GrayScottInversion", "Observation" }, { &gs::observationNames(), 2 } },
    { { "GrayScottInversion", "XParameter" }, { &gs::axisNames(), 4 } },
    { { "GrayScottInversion", "YParameter" }, { &gs::axisNames(), 4 } },
    { { "GrayScottInversion", "ZParameter" }, { &gs::axisNames(), 6 } },
    { { "GrayScottLossLandscape", "XParameter" }, { &gs::landscapeAxisNames(), 4 } },
    { { "GrayScottLossLandscape", "YParameter" }, { &gs::landscapeAxisNames(), 6 } },
    { { "GrayScottLossLandscape", "ZParameter" }, { &gs::landscapeAxisNames(), 6 } },
    { { "GrayScottLossLandscape", "GradientLoss" }, { &gs::lossNames(), 5 } },
    { { "GrayScottLossLandscape", "TimeSteps" }, { &gs::landscapeTimeNames(), 3 } },
    { { "GrayScottLossLandscape", "Routing" }, { &gs::routingNames(), 3 } },
    { { "GrayScottResidualFit", "Method" }, { &gs::residualMethodNames(), 3 } },
    { { "GrayScottResidualFit", "TimeDifference" }, { &gs::timeDifferenceNames(), 2 } },
    { { "GrayScottResidualFit", "Discretisation" }, { &gs::discretisationNames(), 2 } },
    { { "GrayScottResidualFit", "Observation" }, { &gs::observationNames(), 2 } },
    { { "GrayScottResidualFit", "Completion" }, { &gs::completionNames(), 3 } },
    { { "GrayScottSource", "Scheme" }, { &gs::schemeNames(), 2 } },
  };
  const auto xml = xmlEnumerations();
  EXPECT_EQ(xml.size(), core.size());
  for (const auto& [key, entries] : xml)
  {
    const auto it = core.find(key);
    ASSERT_NE(it, core.end()) << key.first << "." << key.second << " has no Core table here";
    ASSERT_EQ(entries.size(), it->second.count) << key.first << "." << key.second;
    for (std::size_t i = 0; i < entries.size(); ++i)
    {
      EXPECT_EQ(entries[i].first, static_cast<int>(i)) << key.first << "." << key.second;
      EXPECT_EQ(entries[i].second, (*it->second.names)[i]) << key.first << "." << key.second;
    }
  }
}

} // namespace
