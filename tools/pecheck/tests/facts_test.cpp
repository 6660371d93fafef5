#include "facts.h"

#include <gtest/gtest.h>

#include "file_io.h"
#include "test_config.h"

namespace aero::pecheck {
namespace {

TEST(PecheckFacts, KeepsOnlyFunctionsOfTheRequestedArch) {
  const char* json = R"({"functions": {
      "x86": {"IoCreateDevice": {"cc": "stdcall", "kind": "function", "type": "t"},
              "DRIVER_UNLOAD": {"cc": "stdcall", "kind": "typedef", "type": "t"}},
      "x64": {"KeAcquireSpinLockRaiseToDpc": {"cc": "ms_x64", "kind": "function", "type": "t"}}}})";
  const auto x86 = ParseFunctionFacts(json, Arch::kX86, "f.json");
  ASSERT_TRUE(x86.ok()) << x86.error();
  EXPECT_EQ(x86.value().functions, std::set<std::string>{"IoCreateDevice"});
  const auto x64 = ParseFunctionFacts(json, Arch::kX64, "f.json");
  ASSERT_TRUE(x64.ok()) << x64.error();
  EXPECT_EQ(x64.value().functions, std::set<std::string>{"KeAcquireSpinLockRaiseToDpc"});
}

TEST(PecheckFacts, RejectsMalformedFiles) {
  for (const char* json : {"", "{", "[]", "{}", R"({"functions": []})", R"({"functions": {}})",
                           R"({"functions": {"x86": 3}})", R"({"functions": {"x86": {"F": 1}}})",
                           R"({"functions": {"x86": {"F": {"kind": 1}}}})",
                           R"({"functions": {"x86": {"F": {"cc": "stdcall"}}}})"}) {
    const auto facts = ParseFunctionFacts(json, Arch::kX86, "bad.json");
    ASSERT_FALSE(facts.ok()) << json;
    EXPECT_EQ(facts.error().rfind("bad.json: ", 0), 0u) << facts.error();
  }
}

TEST(PecheckFacts, ReadsTheSharedFactsFile) {
  const Result<std::string> text = ReadFileText(testing::FactsPath());
  ASSERT_TRUE(text.ok()) << text.error();
  for (Arch arch : {Arch::kX86, Arch::kX64}) {
    const auto facts = ParseFunctionFacts(text.value(), arch, testing::FactsPath());
    ASSERT_TRUE(facts.ok()) << facts.error();
    EXPECT_GT(facts.value().functions.size(), 900u);
    EXPECT_TRUE(facts.value().functions.contains("IoCreateDevice"));
    EXPECT_TRUE(facts.value().functions.contains("StorPortInitialize"));
    EXPECT_FALSE(facts.value().functions.contains("DXGKCB_AGP_FREE_POOL"));  // A typedef.
  }
}

}  // namespace
}  // namespace aero::pecheck
