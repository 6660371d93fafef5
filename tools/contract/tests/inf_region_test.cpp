#include "inf_region.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inf_text.h"
#include "test_support.h"

namespace aero::contract_tool {
namespace {

const std::vector<std::string> kBody = {"[Models.NTx86]",
                                        "\"Disk\" = Install, PCI\\VEN_1AF4&DEV_1042&REV_01"};

TEST(InfRegion, NoMarkersMeansNoRegion) {
  RegionUpdate update = ApplyModelsRegion("[Version]\n", "a.inf", kBody);
  EXPECT_FALSE(update.has_region);
  EXPECT_TRUE(update.errors.empty());
  EXPECT_FALSE(update.bytes.has_value());
}

TEST(InfRegion, ReplacesTheBodyAndKeepsTheMarkers) {
  const std::string inf =
      "[Version]\n; @aero-contract begin models\nold line\n; @aero-contract end models\n[X]\n";
  RegionUpdate update = ApplyModelsRegion(inf, "a.inf", kBody);
  ASSERT_TRUE(update.has_region);
  ASSERT_TRUE(update.bytes.has_value()) << testing::Joined(update.errors);
  EXPECT_EQ(
      *update.bytes,
      "[Version]\n; @aero-contract begin models\n[Models.NTx86]\n"
      "\"Disk\" = Install, PCI\\VEN_1AF4&DEV_1042&REV_01\n; @aero-contract end models\n[X]\n");
  // Applying again is a fixed point.
  EXPECT_EQ(*ApplyModelsRegion(*update.bytes, "a.inf", kBody).bytes, *update.bytes);
}

TEST(InfRegion, KeepsCrlfAndMissingFinalNewline) {
  const std::string inf = "; @aero-contract begin models\r\n; @aero-contract end models";
  RegionUpdate update = ApplyModelsRegion(inf, "a.inf", {"x"});
  ASSERT_TRUE(update.bytes.has_value());
  EXPECT_EQ(*update.bytes, "; @aero-contract begin models\r\nx\r\n; @aero-contract end models");
}

TEST(InfRegion, KeepsUtf16) {
  std::string encoded;
  std::string error;
  ASSERT_TRUE(inf::EncodeText("; @aero-contract begin models\r\n; @aero-contract end models\r\n",
                              inf::TextEncoding::kUtf16Le, &encoded, &error));
  RegionUpdate update = ApplyModelsRegion(encoded, "a.inf", {"x"});
  ASSERT_TRUE(update.bytes.has_value()) << testing::Joined(update.errors);
  std::string expected;
  ASSERT_TRUE(
      inf::EncodeText("; @aero-contract begin models\r\nx\r\n; @aero-contract end models\r\n",
                      inf::TextEncoding::kUtf16Le, &expected, &error));
  EXPECT_EQ(*update.bytes, expected);
}

TEST(InfRegion, MarkerErrorsNameTheLine) {
  auto first_error = [](const std::string& inf) {
    RegionUpdate update = ApplyModelsRegion(inf, "a.inf", kBody);
    EXPECT_TRUE(update.has_region);
    EXPECT_FALSE(update.bytes.has_value());
    return update.errors.empty() ? std::string() : update.errors.front().ToString();
  };
  EXPECT_EQ(first_error("[V]\n; @aero-contract begin models\n"),
            "a.inf:2: '@aero-contract begin models' without a matching end marker");
  EXPECT_EQ(first_error("; @aero-contract end models\n"),
            "a.inf:1: '@aero-contract end models' before the begin marker");
  EXPECT_EQ(first_error("; @aero-contract begin models\n; @aero-contract begin models\n"
                        "; @aero-contract end models\n"),
            "a.inf:2: second '@aero-contract begin models' marker (first on line 1)");
  EXPECT_EQ(first_error("; @aero-contract begin models\n; @aero-contract end models\n"
                        "; @aero-contract end models\n"),
            "a.inf:3: second '@aero-contract end models' marker");
  EXPECT_EQ(first_error("x = @aero-contract begin models\n"),
            "a.inf:1: the models marker must be on a ';' comment line");
}

TEST(InfRegion, UndecodableInf) {
  RegionUpdate update = ApplyModelsRegion(std::string("\xFF\xFE"
                                                      "a",
                                                      3),
                                          "a.inf", kBody);
  ASSERT_EQ(update.errors.size(), 1u);
  EXPECT_NE(update.errors[0].message.find("odd number of bytes"), std::string::npos);
}

}  // namespace
}  // namespace aero::contract_tool
