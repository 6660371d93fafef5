// The command line end to end on temporary repositories: exit codes, generate, and the drift and
// INF checks of `check`.
#include "cli.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "generators.h"
#include "test_support.h"

namespace aero::contract_tool {
namespace {

namespace fs = std::filesystem;
using testing::FixturesDir;
using testing::LineOf;
using testing::ReadFile;
using testing::ReplaceOnce;
using testing::TempDir;
using testing::WriteFile;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun Cli(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  CliRun run;
  run.code = RunCli(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

class CliRepo : public ::testing::Test {
 protected:
  void SetUp() override { testing::MakeRepository(repo_.path()); }
  std::string Root() const { return repo_.path().string(); }
  fs::path Path(const std::string& relative) const { return repo_.path() / relative; }

  TempDir repo_;
};

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Cli({}).code, kExitUsage);
  EXPECT_EQ(Cli({"frobnicate"}).code, kExitUsage);
  EXPECT_EQ(Cli({"validate", "--bogus"}).code, kExitUsage);
  EXPECT_EQ(Cli({"validate", "--contract"}).code, kExitUsage);
  EXPECT_EQ(Cli({"generate"}).code, kExitUsage);
  EXPECT_EQ(Cli({"check"}).code, kExitUsage);
  EXPECT_EQ(Cli({"check", "--root", "/x", "--out-dir", "/y"}).code, kExitUsage);
  EXPECT_EQ(Cli({"validate", "--root", "/a", "--root", "/b"}).code, kExitUsage);
  const CliRun help = Cli({"--help"});
  EXPECT_EQ(help.code, kExitOk);
  EXPECT_TRUE(Contains(help.out, "aero-contract check --root DIR"));
}

TEST(Cli, ValidateTheRealContract) {
  const CliRun run = Cli({"validate", "--root", testing::SourceDir().string()});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out,
            "contract/aero-contract.json: OK (7 devices, 5 drivers, contract "
            "AERO-W7-VIRTIO 1.0)\n");
}

TEST_F(CliRepo, ValidateReportsFileAndPointerAndExitsWithOne) {
  const std::string text = ReadFile(Path(kContractPath));
  WriteFile(Path(kContractPath), ReplaceOnce(text, "\"0x1042\"", "\"0x1043\""));
  const CliRun run = Cli({"validate", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err,
                       "contract/aero-contract.json: /devices/0/pci/device_id: device ID "
                       "0x1043 must be 0x1040 + virtio type 2 = 0x1042"))
      << run.err;
}

TEST_F(CliRepo, ValidateExplicitFiles) {
  const std::string contract = Path(kContractPath).string();
  const std::string schema = Path(kSchemaPath).string();
  EXPECT_EQ(Cli({"validate", "--contract", contract, "--schema", schema}).code, kExitOk);
  EXPECT_EQ(Cli({"validate", "--contract", contract}).code, kExitOk);  // schema found beside it
}

TEST_F(CliRepo, MalformedJsonExitsWithOne) {
  WriteFile(Path(kContractPath), "{\n  \"contract\": \n");
  const CliRun run = Cli({"validate", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err, "contract/aero-contract.json:3:1: malformed JSON")) << run.err;
}

TEST_F(CliRepo, MissingFilesAndBrokenSchemaExitWithTwo) {
  fs::remove(Path(kContractPath));
  CliRun run = Cli({"validate", "--root", Root()});
  EXPECT_EQ(run.code, kExitUsage);
  EXPECT_TRUE(Contains(run.err, "contract/aero-contract.json: cannot open file")) << run.err;
  testing::MakeRepository(repo_.path());
  WriteFile(Path(kSchemaPath), "{\"type\": 5}");
  run = Cli({"validate", "--root", Root()});
  EXPECT_EQ(run.code, kExitUsage);
  EXPECT_TRUE(Contains(run.err, "contract/aero-contract.schema.json: not a usable JSON Schema"))
      << run.err;
  EXPECT_EQ(Cli({"check", "--root", (repo_.path() / "nope").string()}).code, kExitUsage);
}

TEST_F(CliRepo, GenerateThenCheckPasses) {
  CliRun run = Cli({"generate", "--root", Root()});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_TRUE(Contains(run.out, "wrote include/aero/contract/aero_contract.h"));
  EXPECT_TRUE(Contains(run.out, "wrote contract/CONTRACT.md"));
  EXPECT_TRUE(Contains(run.out, "wrote guest-tools/config/devices.cmd"));
  EXPECT_EQ(ReadFile(Path(kHeaderPath)), GenerateHeader(testing::RealContract()));
  run = Cli({"generate", "--root", Root()});
  EXPECT_TRUE(Contains(run.out, "unchanged include/aero/contract/aero_contract.h")) << run.out;
  run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_TRUE(Contains(run.out, "check: OK (3 generated files up to date, 0 INF(s)")) << run.out;
}

TEST_F(CliRepo, GenerateToAnotherDirectoryLeavesTheRootAlone) {
  TempDir out;
  const CliRun run = Cli({"generate", "--root", Root(), "--out-dir", out.path().string()});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_TRUE(fs::exists(out.path() / kHeaderPath));
  EXPECT_FALSE(fs::exists(Path(kHeaderPath)));
}

TEST_F(CliRepo, GenerateRefusesAnInvalidContractAndWritesNothing) {
  const std::string text = ReadFile(Path(kContractPath));
  WriteFile(Path(kContractPath), ReplaceOnce(text, "\"size\": 128", "\"size\": 100"));
  const CliRun run = Cli({"generate", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err, "/devices/0/virtio/queues/0/size")) << run.err;
  EXPECT_FALSE(fs::exists(Path(kHeaderPath)));
}

TEST_F(CliRepo, DriftInAGeneratedFileFailsWithADiff) {
  ASSERT_EQ(Cli({"generate", "--root", Root()}).code, kExitOk);
  const std::string header = ReadFile(Path(kHeaderPath));
  WriteFile(Path(kHeaderPath), ReplaceOnce(header, "kDeviceId = 0x1042;", "kDeviceId = 0x1043;"));
  const CliRun run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err,
                       "include/aero/contract/aero_contract.h: differs from what the "
                       "contract generates (run: aero-contract generate --root "))
      << run.err;
  EXPECT_TRUE(Contains(run.err,
                       "--- a/include/aero/contract/aero_contract.h\n"
                       "+++ b/include/aero/contract/aero_contract.h (generated)\n@@ "))
      << run.err;
  EXPECT_TRUE(Contains(run.err,
                       "\n-inline constexpr uint16_t kDeviceId = 0x1043;\n"
                       "+inline constexpr uint16_t kDeviceId = 0x1042;\n"))
      << run.err;
}

TEST_F(CliRepo, MissingGeneratedFileFailsTheCheck) {
  ASSERT_EQ(Cli({"generate", "--root", Root()}).code, kExitOk);
  fs::remove(Path(kDevicesCmdPath));
  const CliRun run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err, "guest-tools/config/devices.cmd: generated file is missing"))
      << run.err;
}

TEST_F(CliRepo, ChangingTheContractMakesTheCommittedOutputsDrift) {
  ASSERT_EQ(Cli({"generate", "--root", Root()}).code, kExitOk);
  const std::string text = ReadFile(Path(kContractPath));
  WriteFile(Path(kContractPath), ReplaceOnce(text, "\"size\": 128", "\"size\": 256"));
  const CliRun run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err, "include/aero/contract/aero_contract.h: differs")) << run.err;
  EXPECT_TRUE(Contains(run.err, "contract/CONTRACT.md: differs")) << run.err;
  EXPECT_FALSE(Contains(run.err, "devices.cmd: differs")) << run.err;  // no queue sizes there
}

TEST_F(CliRepo, MarkedInfGetsItsModelsFromTheContract) {
  const fs::path inf = Path("drivers/virtio-blk/inf/aero_virtio_blk.inf");
  WriteFile(inf, ReadFile(FixturesDir() / "marked/aero_virtio_blk.inf"));
  ASSERT_EQ(Cli({"generate", "--root", Root()}).code, kExitOk);
  const std::string generated = ReadFile(inf);
  EXPECT_TRUE(Contains(generated,
                       "; @aero-contract begin models\n"
                       "; Generated by aero-contract from contract/aero-contract.json; do not edit "
                       "between the markers.\n"
                       "[AeroVirtioBlk.NTx86.6.1]\n"
                       "\"Aero VirtIO Block Controller\" = AeroVirtioBlk_Install, "
                       "PCI\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01\n"))
      << generated;
  CliRun run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_TRUE(Contains(run.out, "4 generated files up to date, 1 INF(s) match")) << run.out;

  // A hand edit inside the generated region: the INF check names the line, the drift check
  // shows the diff.
  const std::string edited = ReplaceOnce(generated, "DEV_1042&REV_01", "DEV_1042&REV_02");
  WriteFile(inf, edited);
  run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  const int line = LineOf(edited, "REV_02");
  EXPECT_TRUE(
      Contains(run.err, "drivers/virtio-blk/inf/aero_virtio_blk.inf:" + std::to_string(line) +
                            ": binds PCI\\VEN_1AF4&DEV_1042&REV_02, which is not in the "
                            "contract"))
      << run.err;
  EXPECT_TRUE(Contains(run.err,
                       "drivers/virtio-blk/inf/aero_virtio_blk.inf: differs from what "
                       "the contract generates"))
      << run.err;
}

TEST_F(CliRepo, HandWrittenInfIsCheckedToo) {
  const fs::path inf = Path("drivers/virtio-blk/inf/aero_virtio_blk.inf");
  const std::string good = ReadFile(FixturesDir() / "infs/aero_virtio_blk.inf");
  ASSERT_EQ(Cli({"generate", "--root", Root()}).code, kExitOk);
  WriteFile(inf, good);
  CliRun run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  const std::string edited =
      ReplaceOnce(good, "DEV_1042&SUBSYS_00021AF4&REV_01", "DEV_1042&SUBSYS_00031AF4&REV_01");
  WriteFile(inf, edited);
  run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err, "drivers/virtio-blk/inf/aero_virtio_blk.inf:" +
                                    std::to_string(LineOf(edited, "SUBSYS_00031AF4")) + ": binds "))
      << run.err;
}

TEST_F(CliRepo, MarkedInfOfAnUnknownDriverIsAnError) {
  WriteFile(Path("drivers/x/inf/other.inf"),
            ReadFile(FixturesDir() / "marked/aero_virtio_blk.inf"));
  const CliRun run = Cli({"generate", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err,
                       "drivers/x/inf/other.inf: has a models region but is not a driver "
                       "package of the contract"))
      << run.err;
}

TEST_F(CliRepo, LiteralIdsInDriverSourcesFailTheCheck) {
  ASSERT_EQ(Cli({"generate", "--root", Root()}).code, kExitOk);
  WriteFile(Path("drivers/virtio-blk/core/blk_device.cpp"), "// ok\nconst int kDid = 0x1042;\n");
  WriteFile(Path("drivers/virtio-blk/tests/blk_device_test.cpp"), "const int kDid = 0x1042;\n");
  const CliRun run = Cli({"check", "--root", Root()});
  EXPECT_EQ(run.code, kExitCheckFailed);
  EXPECT_TRUE(Contains(run.err, "drivers/virtio-blk/core/blk_device.cpp:2: literal 0x1042"))
      << run.err;
  EXPECT_FALSE(Contains(run.err, "blk_device_test.cpp")) << run.err;
}

}  // namespace
}  // namespace aero::contract_tool
