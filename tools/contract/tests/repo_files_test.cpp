#include "repo_files.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace aero::contract_tool {
namespace {

namespace fs = std::filesystem;

TEST(RepoFiles, ExcludedDirectories) {
  EXPECT_TRUE(IsExcludedDirectory("build"));
  EXPECT_TRUE(IsExcludedDirectory("out"));
  EXPECT_FALSE(IsExcludedDirectory("drivers/build"));
  EXPECT_TRUE(IsExcludedDirectory(".git"));
  EXPECT_TRUE(IsExcludedDirectory("tools/contract/tests/fixtures"));
  EXPECT_TRUE(IsExcludedDirectory("a/testdata"));
  EXPECT_TRUE(IsExcludedDirectory("tools/inf/tests/fuzz_corpus"));
  EXPECT_TRUE(IsExcludedDirectory("tools/packager/tests"));
  EXPECT_TRUE(IsExcludedDirectory("lib/virtio/testing"));
  EXPECT_FALSE(IsExcludedDirectory("drivers/virtio-blk/inf"));
  EXPECT_FALSE(IsExcludedDirectory("guest-tools"));
}

TEST(RepoFiles, FindInfFiles) {
  testing::TempDir repo;
  testing::WriteFile(repo.path() / "drivers/a/inf/a.inf", "");
  testing::WriteFile(repo.path() / "drivers/b/B.INF", "");
  testing::WriteFile(repo.path() / "drivers/b/notes.txt", "");
  testing::WriteFile(repo.path() / "build/c.inf", "");
  testing::WriteFile(repo.path() / "x/fixtures/d.inf", "");
  testing::WriteFile(repo.path() / "tools/packager/tests/data/e.inf", "");
  std::vector<std::string> errors;
  const std::vector<fs::path> found = FindInfFiles(repo.path(), &errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(DisplayPath(found[0]), "drivers/a/inf/a.inf");
  EXPECT_EQ(DisplayPath(found[1]), "drivers/b/B.INF");
}

TEST(RepoFiles, AtomicWriteCreatesReplacesAndLeavesNoTemporaries) {
  testing::TempDir dir;
  const fs::path target = dir.path() / "a/b/out.txt";
  bool changed = false;
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(target, "one", &changed, &error)) << error;
  EXPECT_TRUE(changed);
  EXPECT_EQ(testing::ReadFile(target), "one");
  ASSERT_TRUE(WriteFileAtomically(target, "one", &changed, &error)) << error;
  EXPECT_FALSE(changed);
  ASSERT_TRUE(WriteFileAtomically(target, "two", &changed, &error)) << error;
  EXPECT_TRUE(changed);
  EXPECT_EQ(testing::ReadFile(target), "two");
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(target.parent_path())) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(RepoFiles, AtomicWriteFailureLeavesNoTemporary) {
  // The target is a non-empty directory: the rename fails after the temporary was written.
  testing::TempDir dir;
  const fs::path target = dir.path() / "out.txt";
  testing::WriteFile(target / "inside", "keep");
  bool changed = false;
  std::string error;
  EXPECT_FALSE(WriteFileAtomically(target, "new", &changed, &error));
  EXPECT_FALSE(changed);
  EXPECT_NE(error.find("cannot rename"), std::string::npos) << error;
  EXPECT_EQ(testing::ReadFile(target / "inside"), "keep");
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(RepoFiles, AtomicWriteReportsAFileInTheWay) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "blocker", "x");
  bool changed = false;
  std::string error;
  EXPECT_FALSE(WriteFileAtomically(dir.path() / "blocker/out.txt", "new", &changed, &error));
  EXPECT_NE(error.find("cannot create directory"), std::string::npos) << error;
}

}  // namespace
}  // namespace aero::contract_tool
