#include "not_in_facts.h"

#include <gtest/gtest.h>

namespace aero::pecheck {
namespace {

TEST(PecheckNotInFacts, ParsesEntriesCommentsAndBlankLines) {
  const auto list = NotInFactsList::Parse(
      "# comment\n"
      "\n"
      "ntoskrnl.exe!DbgPrint variadic; not extracted into the facts\n"
      "  HAL.dll!KfAcquireSpinLock\tfastcall hal export\r\n"
      "kernel32.dll!*  Win32 API\n",
      "list.txt");
  ASSERT_TRUE(list.ok()) << list.error();
  EXPECT_EQ(list.value().size(), 3u);
  EXPECT_TRUE(list.value().Covers("ntoskrnl.exe", "DbgPrint"));
  EXPECT_TRUE(list.value().Covers("NTOSKRNL.EXE", "DbgPrint"));   // Modules: any case.
  EXPECT_FALSE(list.value().Covers("ntoskrnl.exe", "dbgprint"));  // Names: exact.
  EXPECT_FALSE(list.value().Covers("hal.dll", "DbgPrint"));       // Per module.
  EXPECT_TRUE(list.value().Covers("hal.dll", "KfAcquireSpinLock"));
  EXPECT_TRUE(list.value().Covers("KERNEL32.dll", "AnythingAtAll"));
  EXPECT_FALSE(list.value().Covers("ndis.sys", "DbgPrint"));
}

TEST(PecheckNotInFacts, EmptyFileIsAnEmptyList) {
  const auto list = NotInFactsList::Parse("", "empty");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.value().size(), 0u);
}

TEST(PecheckNotInFacts, EntryWithoutReasonIsAnError) {
  const auto list = NotInFactsList::Parse("# ok\nntoskrnl.exe!DbgPrint   \n", "list.txt");
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().find("list.txt:2:"), std::string::npos) << list.error();
  EXPECT_NE(list.error().find("no reason"), std::string::npos) << list.error();
}

TEST(PecheckNotInFacts, MalformedEntriesAreErrors) {
  for (const char* text :
       {"DbgPrint reason\n", "!DbgPrint reason\n", "ntoskrnl.exe! reason\n", "a!b!c reason\n"}) {
    const auto list = NotInFactsList::Parse(text, "list.txt");
    EXPECT_FALSE(list.ok()) << text;
  }
}

TEST(PecheckNotInFacts, DuplicatesAreErrors) {
  const auto list = NotInFactsList::Parse("a.sys!F one\nA.SYS!F two\n", "list.txt");
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().find("duplicate"), std::string::npos);
}

}  // namespace
}  // namespace aero::pecheck
