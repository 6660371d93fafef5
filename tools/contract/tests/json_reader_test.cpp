#include "json_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "contract_loader.h"
#include "test_support.h"

namespace aero::contract_tool {
namespace {

std::string FirstError(std::string_view text) {
  JsonParseResult result = ParseJsonStrict(text, "contract.json");
  EXPECT_FALSE(result.json.has_value());
  return result.errors.empty() ? std::string() : result.errors.front().ToString();
}

TEST(JsonReader, ValidJsonParses) {
  JsonParseResult result = ParseJsonStrict("{\"a\": [1, {\"b\": null}]}", "x.json");
  ASSERT_TRUE(result.json.has_value());
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ((*result.json)["a"][0], 1);
}

TEST(JsonReader, MalformedJsonReportsLineAndColumn) {
  const std::string error = FirstError("{\n  \"a\": 1,\n  \"b\": ]\n}\n");
  EXPECT_EQ(error.rfind("contract.json:3:8: malformed JSON: ", 0), 0u) << error;
}

TEST(JsonReader, TruncatedJson) {
  const std::string error = FirstError("{\"devices\": [");
  EXPECT_EQ(error.rfind("contract.json:1:", 0), 0u) << error;
  EXPECT_NE(error.find("malformed JSON"), std::string::npos) << error;
}

TEST(JsonReader, EmptyAndTrailingGarbage) {
  EXPECT_NE(FirstError("").find("malformed JSON"), std::string::npos);
  EXPECT_NE(FirstError("{} x").find("malformed JSON"), std::string::npos);
}

TEST(JsonReader, InvalidUtf8) {
  EXPECT_NE(FirstError("{\"a\": \"\xC3\"}").find("malformed JSON"), std::string::npos);
}

TEST(JsonReader, DuplicateKeysAreErrorsWithTheirPointer) {
  EXPECT_EQ(FirstError("{\"devices\": [{\"name\": 1}, {\"name\": 2, \"name\": 3}]}"),
            "contract.json: /devices/1: duplicate key \"name\"");
  EXPECT_EQ(FirstError("{\"a\": 1, \"a\": 1}"), "contract.json: /: duplicate key \"a\"");
  EXPECT_EQ(FirstError("{\"a/b\": {\"x\": 1, \"x\": 2}}"),
            "contract.json: /a~1b: duplicate key \"x\"");
}

TEST(JsonReader, SameKeyInSiblingObjectsIsFine) {
  JsonParseResult result = ParseJsonStrict("[{\"a\": 1}, {\"a\": 2}]", "x.json");
  EXPECT_TRUE(result.json.has_value()) << testing::Joined(result.errors);
}

TEST(JsonReader, NestingIsBounded) {
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_NE(FirstError(deep).find("nested deeper than 32 levels"), std::string::npos);
  const std::string ok = std::string(20, '[') + std::string(20, ']');
  EXPECT_TRUE(ParseJsonStrict(ok, "x.json").json.has_value());
}

TEST(JsonReader, SizeIsBounded) {
  const std::string big(kMaxJsonBytes + 1, ' ');
  EXPECT_NE(FirstError(big).find("larger than"), std::string::npos);
}

TEST(JsonReader, ReadFileReportsMissingFiles) {
  std::string text;
  std::string error;
  EXPECT_FALSE(ReadFileToString("/nonexistent/aero/contract.json", 100, &text, &error));
  EXPECT_EQ(error, "cannot open file");
}

TEST(JsonReader, MalformedContractFailsTheLoader) {
  LoadResult result = LoadContractText("{\"contract\": }", "contract.json", testing::RealSchema());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors.front().ToString().rfind("contract.json:1:14: malformed JSON", 0), 0u)
      << testing::Joined(result.errors);
}

TEST(JsonReader, ConverterIsDefensiveWithoutTheSchema) {
  // Documents the schema would reject still give errors, never crashes.
  for (const char* text :
       {"null", "[]", "{\"contract\": 1}",
        "{\"devices\": [{\"pci\": {\"vendor_id\": \"0xZZZZ\"}}]}",
        "{\"drivers\": [{\"name\": 5}], \"virtio\": {\"vendor_id\": \"0x1\"}}"}) {
    LoadResult result = ConvertContract(nlohmann::json::parse(text), "c.json");
    EXPECT_FALSE(result.errors.empty()) << text;
  }
}

}  // namespace
}  // namespace aero::contract_tool
