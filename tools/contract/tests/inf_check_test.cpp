// INF checks against the contract, on fixture INFs and hand-edited copies of them.
#include "inf_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inf_text.h"
#include "test_support.h"

namespace aero::contract_tool {
namespace {

using testing::FixturesDir;
using testing::Joined;
using testing::LineOf;
using testing::ReadFile;
using testing::ReplaceOnce;

class InfCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    contract_ = testing::RealContract();
    blk_ = ReadFile(FixturesDir() / "infs/aero_virtio_blk.inf");
  }

  std::vector<Diagnostic> Check(
      const std::string& text,
      const std::string& name = "drivers/virtio-blk/inf/aero_virtio_blk.inf") {
    inf::InfParseResult parsed = inf::ParseInfText(text, name);
    EXPECT_TRUE(parsed.ok()) << parsed.error.ToString();
    if (!parsed.ok()) {
      return {};
    }
    return CheckInf(contract_, *parsed.inf, name);
  }

  // Asserts one diagnostic is exactly "<inf>:<line>: <message...>" containing `text`.
  static void ExpectAt(const std::vector<Diagnostic>& found, int line, const std::string& text) {
    bool hit = false;
    for (const Diagnostic& d : found) {
      hit = hit || (d.line == line && d.message.find(text) != std::string::npos &&
                    d.file == "drivers/virtio-blk/inf/aero_virtio_blk.inf");
    }
    EXPECT_TRUE(hit) << "wanted line " << line << ": " << text << "\ngot:\n" << Joined(found);
  }

  Contract contract_;
  std::string blk_;
};

TEST_F(InfCheck, GoodInfPasses) {
  EXPECT_EQ(Joined(Check(blk_)), "");
}

TEST_F(InfCheck, InputInfWithSharedGenericIdPasses) {
  const std::string input = ReadFile(FixturesDir() / "infs/aero_virtio_input.inf");
  EXPECT_EQ(Joined(Check(input, "drivers/virtio-input/inf/aero_virtio_input.inf")), "");
}

TEST_F(InfCheck, HandEditedHardwareIdNamesTheLine) {
  const std::string edited =
      ReplaceOnce(blk_, "DEV_1042&SUBSYS_00021AF4&REV_01", "DEV_1042&SUBSYS_00031AF4&REV_01");
  const std::vector<Diagnostic> found = Check(edited);
  ExpectAt(found, LineOf(edited, "SUBSYS_00031AF4"),
           "binds PCI\\VEN_1AF4&DEV_1042&SUBSYS_00031AF4&REV_01, which is not in the contract");
  ExpectAt(found, LineOf(edited, "[AeroVirtioBlk.NTx86.6.1]"),
           "[AeroVirtioBlk.NTx86.6.1] misses hardware ID "
           "PCI\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01");
  EXPECT_EQ(found.size(), 2u) << Joined(found);
}

TEST_F(InfCheck, WrongServiceName) {
  const std::string edited =
      ReplaceOnce(blk_, "AddService = aero_virtio_blk,", "AddService = aero_blk,");
  ExpectAt(Check(edited), LineOf(edited, "AddService"),
           "installs service 'aero_blk' but the contract says 'aero_virtio_blk'");
}

TEST_F(InfCheck, MissingHardwareId) {
  const int amd64 = LineOf(blk_, "[AeroVirtioBlk.NTamd64.6.1]");
  const std::string line_text =
      "%BlkDesc% = AeroVirtioBlk_Install, PCI\\VEN_1AF4&DEV_1042&REV_01\n";
  std::string edited = blk_;
  edited.erase(edited.find(line_text, edited.find("[AeroVirtioBlk.NTamd64.6.1]")),
               line_text.size());
  const std::vector<Diagnostic> found = Check(edited);
  ExpectAt(found, amd64,
           "[AeroVirtioBlk.NTamd64.6.1] misses hardware ID PCI\\VEN_1AF4&DEV_1042&REV_01");
  EXPECT_EQ(found.size(), 1u) << Joined(found);
}

TEST_F(InfCheck, UngatedHardwareId) {
  const std::string edited =
      ReplaceOnce(blk_, "PCI\\VEN_1AF4&DEV_1042&REV_01", "PCI\\VEN_1AF4&DEV_1042");
  const std::vector<Diagnostic> found = Check(edited);
  ExpectAt(found, LineOf(blk_, "PCI\\VEN_1AF4&DEV_1042&REV_01"),
           "binds PCI\\VEN_1AF4&DEV_1042, which is not revision-gated");
}

TEST_F(InfCheck, IdOfAnotherDriver) {
  const std::string edited =
      ReplaceOnce(blk_, "PCI\\VEN_1AF4&DEV_1042&REV_01", "PCI\\VEN_1AF4&DEV_1041&REV_01");
  ExpectAt(Check(edited), LineOf(edited, "DEV_1041"),
           "which the contract assigns to driver aero_virtio_net");
}

TEST_F(InfCheck, ForbiddenAndTransitionalIds) {
  std::string edited =
      ReplaceOnce(blk_, "PCI\\VEN_1AF4&DEV_1042&REV_01", "PCI\\VEN_1AED&DEV_0001&REV_01");
  ExpectAt(Check(edited), LineOf(edited, "VEN_1AED"), "a forbidden identity: legacy AeroGPU");
  edited = ReplaceOnce(blk_, "PCI\\VEN_1AF4&DEV_1042&REV_01", "PCI\\VEN_1AF4&DEV_1001&REV_01");
  ExpectAt(Check(edited), LineOf(edited, "DEV_1001"), "transitional virtio device ID");
}

TEST_F(InfCheck, ExtraCompatibleIdOnAModelLineIsChecked) {
  const std::string edited = ReplaceOnce(blk_, "PCI\\VEN_1AF4&DEV_1042&REV_01",
                                         "PCI\\VEN_1AF4&DEV_1042&REV_01, PCI\\VEN_1AF4&DEV_1042");
  ExpectAt(Check(edited), LineOf(edited, "REV_01, PCI"), "not revision-gated");
}

TEST_F(InfCheck, NonPciIdIsNotInTheContract) {
  const std::string edited = ReplaceOnce(blk_, "PCI\\VEN_1AF4&DEV_1042&REV_01", "ROOT\\AERO_BLK");
  ExpectAt(Check(edited), LineOf(edited, "ROOT\\AERO_BLK"), "which is not in the contract");
}

TEST_F(InfCheck, VersionClassAndGuid) {
  std::string edited = ReplaceOnce(blk_, "Class       = SCSIAdapter", "Class       = HDC");
  ExpectAt(Check(edited), LineOf(edited, "= HDC"),
           "Class is 'HDC' but the contract says 'SCSIAdapter'");
  edited = ReplaceOnce(blk_, "{4D36E97B-", "{4D36E96A-");
  ExpectAt(Check(edited), LineOf(edited, "ClassGuid"), "ClassGuid is '{4D36E96A-");
  edited = ReplaceOnce(blk_, "Signature   = \"$Windows NT$\"", "Signature = \"$Windows 95$\"");
  ExpectAt(Check(edited), LineOf(edited, "Signature"), "Signature must be");
}

TEST_F(InfCheck, ManufacturerMustListTheContractDecorations) {
  const std::string edited = ReplaceOnce(blk_, ", NTamd64.6.1\n", "\n");
  ExpectAt(Check(edited), LineOf(edited, "%Aero% = AeroVirtioBlk"),
           "does not list the decoration NTamd64.6.1");
}

TEST_F(InfCheck, MissingModelsSection) {
  const std::string edited = ReplaceOnce(blk_, "[AeroVirtioBlk.NTx86.6.1]", "[Elsewhere]");
  ExpectAt(Check(edited), LineOf(edited, "%Aero% = AeroVirtioBlk"),
           "models section [AeroVirtioBlk.NTx86.6.1] is missing");
}

TEST_F(InfCheck, ServiceInstallSectionAgreesWithTheContract) {
  std::string edited = ReplaceOnce(blk_, "StartType      = 0", "StartType      = 3");
  ExpectAt(Check(edited), LineOf(edited, "StartType"),
           "StartType is '3' but the contract says 0 (boot)");
  edited = ReplaceOnce(blk_, "%12%\\aero_virtio_blk.sys", "%12%\\viostor.sys");
  ExpectAt(Check(edited), LineOf(edited, "ServiceBinary"),
           "ServiceBinary is '%12%\\viostor.sys' but the contract's driver binary is "
           "aero_virtio_blk.sys");
  edited = ReplaceOnce(blk_, "LoadOrderGroup = SCSI miniport", "LoadOrderGroup = Base");
  ExpectAt(Check(edited), LineOf(edited, "LoadOrderGroup"),
           "LoadOrderGroup is 'Base' but the contract says 'SCSI miniport'");
  edited = ReplaceOnce(blk_, "ErrorControl   = 1 ", "ErrorControl   = 3 ");
  ExpectAt(Check(edited), LineOf(edited, "ErrorControl"), "ErrorControl is '3'");
}

TEST_F(InfCheck, FunctionDriverNeedsAssocServiceFlag) {
  const std::string edited =
      ReplaceOnce(blk_, "aero_virtio_blk, 0x00000002,", "aero_virtio_blk, 0,");
  ExpectAt(Check(edited), LineOf(edited, "[AeroVirtioBlk_Install.NT.Services]"),
           "has no AddService with SPSVCINST_ASSOCSERVICE");
}

TEST_F(InfCheck, MissingInstallSection) {
  const std::string edited = ReplaceOnce(blk_, "%BlkDesc% = AeroVirtioBlk_Install, PCI",
                                         "%BlkDesc% = Nowhere_Install, PCI");
  ExpectAt(Check(edited), LineOf(edited, "Nowhere_Install"),
           "install section [Nowhere_Install] not found");
}

TEST_F(InfCheck, MalformedModelLine) {
  const std::string edited = ReplaceOnce(
      blk_, "%BlkDesc% = AeroVirtioBlk_Install, PCI\\VEN_1AF4&DEV_1042&REV_01", "just some text");
  ExpectAt(Check(edited), LineOf(edited, "just some text"), "malformed model entry");
}

TEST_F(InfCheck, UnknownInfName) {
  const std::vector<Diagnostic> found = Check(blk_, "drivers/x/viostor.inf");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].ToString(),
            "drivers/x/viostor.inf: INF is not a driver package of the contract (expected one of: "
            "aero_virtio_blk.inf, aero_virtio_net.inf, aero_virtio_input.inf, aero_virtio_snd.inf, "
            "aerogpu.inf)");
}

TEST_F(InfCheck, Utf16InfReportsTheSameLines) {
  const std::string edited =
      ReplaceOnce(blk_, "DEV_1042&SUBSYS_00021AF4&REV_01", "DEV_1042&SUBSYS_00031AF4&REV_01");
  std::string encoded;
  std::string error;
  ASSERT_TRUE(inf::EncodeText(edited, inf::TextEncoding::kUtf16Le, &encoded, &error));
  testing::TempDir repo;
  testing::WriteFile(repo.path() / "drivers/virtio-blk/inf/aero_virtio_blk.inf", encoded);
  int checked = 0;
  const std::vector<Diagnostic> found = CheckRepositoryInfs(contract_, repo.path(), &checked);
  EXPECT_EQ(checked, 1);
  ExpectAt(found, LineOf(edited, "SUBSYS_00031AF4"), "which is not in the contract");
}

TEST_F(InfCheck, RepositoryWalkParsesEveryInfAndSkipsFixtures) {
  testing::TempDir repo;
  testing::WriteFile(repo.path() / "drivers/virtio-blk/inf/aero_virtio_blk.inf", blk_);
  testing::WriteFile(repo.path() / "drivers/virtio-net/inf/aero_virtio_net.inf",
                     "[Version]\nSignature=\"$Windows NT$\"\n[Broken\n");
  testing::WriteFile(repo.path() / "drivers/virtio-blk/tests/fixtures/aero_virtio_blk.inf", "junk");
  testing::WriteFile(repo.path() / "build/x/aero_virtio_blk.inf", "junk");
  testing::WriteFile(repo.path() / "out/aero_virtio_blk.inf", "junk");
  int checked = 0;
  const std::vector<Diagnostic> found = CheckRepositoryInfs(contract_, repo.path(), &checked);
  EXPECT_EQ(checked, 2);
  ASSERT_EQ(found.size(), 1u) << Joined(found);
  EXPECT_EQ(
      found[0].ToString(),
      "drivers/virtio-net/inf/aero_virtio_net.inf:3: unterminated section header (missing ']')");
}

TEST_F(InfCheck, TwoInfsForOneDriver) {
  testing::TempDir repo;
  testing::WriteFile(repo.path() / "a/aero_virtio_blk.inf", blk_);
  testing::WriteFile(repo.path() / "b/AERO_VIRTIO_BLK.INF", blk_);
  int checked = 0;
  const std::vector<Diagnostic> found = CheckRepositoryInfs(contract_, repo.path(), &checked);
  ASSERT_EQ(found.size(), 1u) << Joined(found);
  EXPECT_NE(
      found[0].message.find("second INF named aero_virtio_blk.inf (also a/aero_virtio_blk.inf)"),
      std::string::npos);
}

}  // namespace
}  // namespace aero::contract_tool
