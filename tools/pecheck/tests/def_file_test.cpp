#include "def_file.h"

#include <gtest/gtest.h>

namespace aero::pecheck {
namespace {

TEST(PecheckUndecorateX86, RemovesStdcallAndFastcallDecorations) {
  EXPECT_EQ(UndecorateX86("StorPortInitialize@16"), "StorPortInitialize");
  EXPECT_EQ(UndecorateX86("@KfAcquireSpinLock@4"), "KfAcquireSpinLock");
  EXPECT_EQ(UndecorateX86("KeGetCurrentIrql@0"), "KeGetCurrentIrql");
  EXPECT_EQ(UndecorateX86("StorPortNotification"), "StorPortNotification");
  EXPECT_EQ(UndecorateX86("_snprintf"), "_snprintf");
  EXPECT_EQ(UndecorateX86("Name@abc"), "Name@abc");
  EXPECT_EQ(UndecorateX86("Name@"), "Name@");
  EXPECT_EQ(UndecorateX86("@4"), "@4");
}

TEST(PecheckDefFile, ParsesTheProjectsX86Syntax) {
  const auto parsed = ParseDefFile(
      "; storport exports\r\n"
      "LIBRARY storport.sys\r\n"
      "EXPORTS\r\n"
      "StorPortInitialize@16      ; stdcall\r\n"
      "StorPortNotification       ; cdecl\r\n"
      "\r\n"
      "  @KfAcquireSpinLock@4     ; fastcall\r\n"
      "KeTickCount DATA\r\n",
      Arch::kX86, "storport.def");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed.value().library, "storport.sys");
  EXPECT_EQ(parsed.value().names,
            (std::set<std::string>{"StorPortInitialize", "StorPortNotification",
                                   "KfAcquireSpinLock", "KeTickCount"}));
}

TEST(PecheckDefFile, TakesX64NamesAsWritten) {
  const auto parsed =
      ParseDefFile("LIBRARY hal.dll\nEXPORTS\nKeStallExecutionProcessor\nOdd@8\n", Arch::kX64, "x");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed.value().names, (std::set<std::string>{"KeStallExecutionProcessor", "Odd@8"}));
}

TEST(PecheckDefFile, ReadsAliasesOrdinalsAndFlags) {
  const auto parsed = ParseDefFile(
      "LIBRARY \"umd.dll\"\n"
      "EXPORTS OpenAdapter=OpenAdapter@4 @1\n"
      "Hidden@8 @2 NONAME\n"
      "Value @3 DATA PRIVATE\n"
      "Konst CONSTANT\n",
      Arch::kX86, "umd.def");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed.value().library, "umd.dll");
  EXPECT_EQ(parsed.value().names, (std::set<std::string>{"OpenAdapter", "Value", "Konst"}));
  EXPECT_EQ(parsed.value().ordinals,
            (std::map<uint16_t, std::string>{{1, "OpenAdapter"}, {2, "Hidden"}, {3, "Value"}}));
}

struct BadDef {
  const char* text;
  const char* message;
};

class PecheckDefFileErrors : public ::testing::TestWithParam<BadDef> {};

INSTANTIATE_TEST_SUITE_P(
    Cases, PecheckDefFileErrors,
    ::testing::Values(BadDef{"EXPORTS\nFoo\n", "EXPORTS before LIBRARY"},
                      BadDef{"; nothing\n", "no LIBRARY"},
                      BadDef{"LIBRARY a.sys\nLIBRARY b.sys\n", "second LIBRARY"},
                      BadDef{"LIBRARY\n", "exactly one module name"},
                      BadDef{"LIBRARY a.sys b.sys\n", "exactly one module name"},
                      BadDef{"LIBRARY a.sys\nFoo\n", "unsupported statement"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\nFoo BOGUS\n", "unknown word"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\nFoo@4\nFoo@8\n", "duplicate export"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\nFoo @0\n", "bad ordinal"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\nFoo @65536\n", "bad ordinal"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\nFoo @1\nBar @1\n", "duplicate ordinal"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\nFoo NONAME\n", "needs an @ordinal"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\n=Foo\n", "malformed alias"},
                      BadDef{"LIBRARY a.sys\nEXPORTS\nA=B=C\n", "malformed alias"}));

TEST_P(PecheckDefFileErrors, AreReportedWithFileAndLine) {
  const auto parsed = ParseDefFile(GetParam().text, Arch::kX86, "bad.def");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().find("bad.def"), std::string::npos) << parsed.error();
  EXPECT_NE(parsed.error().find(GetParam().message), std::string::npos) << parsed.error();
}

TEST(PecheckDefFile, ErrorNamesTheLine) {
  const auto parsed = ParseDefFile("LIBRARY a.sys\nEXPORTS\nGood\nBad WORD\n", Arch::kX64, "f");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().rfind("f:4: ", 0), 0u) << parsed.error();
}

}  // namespace
}  // namespace aero::pecheck
