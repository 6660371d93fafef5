#include "unified_diff.h"

#include <gtest/gtest.h>

#include <string>

namespace aero::contract_tool {
namespace {

TEST(UnifiedDiff, EqualTextsGiveNothing) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
}

TEST(UnifiedDiff, OneChangedLineWithContext) {
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  const std::string after = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
  EXPECT_EQ(UnifiedDiff(before, after, "a/f", "b/f"),
            "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, DistantChangesGetSeparateHunks) {
  std::string before;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
  }
  std::string after = before;
  after.replace(after.find("2\n"), 2, "two\n");
  after.replace(after.find("19\n"), 3, "nineteen\n");
  const std::string diff = UnifiedDiff(before, after, "a", "b");
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n"), std::string::npos)
      << diff;
}

TEST(UnifiedDiff, InsertionsAndDeletions) {
  EXPECT_EQ(UnifiedDiff("a\n", "a\nb\n", "x", "y"), "--- x\n+++ y\n@@ -1,1 +1,2 @@\n a\n+b\n");
  EXPECT_EQ(UnifiedDiff("a\nb\n", "b\n", "x", "y"), "--- x\n+++ y\n@@ -1,2 +1,1 @@\n-a\n b\n");
  EXPECT_EQ(UnifiedDiff("", "a\n", "x", "y"), "--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n");
}

TEST(UnifiedDiff, CarriageReturnsAreVisible) {
  EXPECT_EQ(UnifiedDiff("a\r\n", "a\n", "x", "y"), "--- x\n+++ y\n@@ -1,1 +1,1 @@\n-a\\r\n+a\n");
}

TEST(UnifiedDiff, OnlyTheFinalNewlineDiffers) {
  EXPECT_EQ(UnifiedDiff("a\n", "a", "x", "y"),
            "--- x\n+++ y\n\\ the files differ only in the newline at the end\n");
}

}  // namespace
}  // namespace aero::contract_tool
