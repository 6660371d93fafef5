#include "catalog_cli.h"

#include <gtest/gtest.h>

#include <sstream>

#include "file_io.h"
#include "test_files.h"

namespace aero::catalog {
namespace {

using testing::TempDir;

constexpr char kInf[] =
    "[Version]\r\n"
    "Signature = \"$WINDOWS NT$\"\r\n"
    "CatalogFile = aero_test.cat\r\n"
    "[SourceDisksNames]\r\n"
    "1 = \"disk\"\r\n"
    "[SourceDisksFiles]\r\n"
    "aero_test.sys = 1\r\n"
    "[Manufacturer]\r\n"
    "Aero = Aero, NTamd64\r\n"
    "[Aero.NTamd64]\r\n"
    "Test = Install, ROOT\\AERO_TEST\r\n"
    "[Install.NT]\r\n"
    "CopyFiles = @aero_test.sys\r\n";

struct ToolRun {
  int status = -1;
  std::string out;
  std::string err;
};

ToolRun RunTool(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  ToolRun run;
  run.status = RunCatalogTool(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(CatalogCliTest, WritesTheCatalogNamedByTheInf) {
  TempDir dir;
  const auto inf = dir.Write("aero_test.inf", kInf);
  dir.Write("aero_test.sys", testing::BuildPeImage({}));
  const ToolRun run = RunTool({"--inf", inf.string(), "--arch", "amd64", "--time", "1700000000"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(dir.List(),
            (std::vector<std::string>{"aero_test.cat", "aero_test.inf", "aero_test.sys"}));
  const std::vector<std::uint8_t> first = ReadRegularFile(dir.path() / "aero_test.cat");
  ASSERT_EQ(RunTool({"--inf", inf.string(), "--arch", "x64", "--time", "1700000000"}).status, 0);
  EXPECT_EQ(ReadRegularFile(dir.path() / "aero_test.cat"), first);
  ASSERT_EQ(RunTool({"--inf", inf.string(), "--arch", "x86", "--time", "1700000000"}).status, 0);
  EXPECT_NE(ReadRegularFile(dir.path() / "aero_test.cat"), first);  // OS attribute 7X86
}

TEST(CatalogCliTest, MissingFileLeavesNothingBehind) {
  TempDir dir;
  const auto inf = dir.Write("aero_test.inf", kInf);
  const ToolRun run = RunTool({"--inf", inf.string(), "--arch", "amd64", "--time", "1", "--output",
                               (dir.path() / "out.cat").string()});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("aero-catalog: error: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("aero_test.inf:7: 'aero_test.sys' (listed in [SourceDisksFiles]) is "
                         "not in the package"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"aero_test.inf"}));
}

TEST(CatalogCliTest, ListsFilesAndCatalogName) {
  TempDir dir;
  const auto inf = dir.Write("aero_test.inf", kInf);
  dir.Write("aero_test.sys", "not a PE");
  const ToolRun run =
      RunTool({"--inf", inf.string(), "--arch", "amd64", "--list-files", "--catalog-name"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "aero_test.cat\naero_test.sys\n");
}

TEST(CatalogCliTest, MalformedPeIsAnError) {
  TempDir dir;
  const auto inf = dir.Write("aero_test.inf", kInf);
  dir.Write("aero_test.sys", testing::BuildPeImage(testing::PeWith(true, 0x3ff)));
  const ToolRun run = RunTool({"--inf", inf.string(), "--arch", "amd64", "--time", "1"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("'aero_test.sys' is a PE image that cannot be hashed"), std::string::npos)
      << run.err;
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"aero_test.inf", "aero_test.sys"}));
}

TEST(CatalogCliTest, UsageErrors) {
  EXPECT_EQ(RunTool({}).status, 2);
  EXPECT_EQ(RunTool({"--inf", "a.inf", "--arch", "arm64"}).status, 2);
  EXPECT_EQ(RunTool({"--inf", "a.inf", "--arch", "x86", "--os", "10"}).status, 2);
  EXPECT_EQ(RunTool({"--inf", "a.inf", "--arch", "x86", "--time", "soon"}).status, 2);
  EXPECT_EQ(RunTool({"--inf"}).status, 2);
  const ToolRun unknown = RunTool({"--inf", "a.inf", "--arch", "x86", "--sign"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown argument '--sign'"), std::string::npos);
}

TEST(CatalogCliTest, UnreadableInfIsAnError) {
  TempDir dir;
  const ToolRun run = RunTool({"--inf", (dir.path() / "none.inf").string(), "--arch", "x86"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("none.inf"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace aero::catalog
