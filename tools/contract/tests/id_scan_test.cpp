#include "id_scan.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace aero::contract_tool {
namespace {

std::vector<Diagnostic> Scan(const std::string& text) {
  static const Contract contract = testing::RealContract();
  return ScanSourceForLiteralIds(contract, text, "drivers/virtio-blk/core/blk.cpp");
}

TEST(IdScan, FlagsContractIdsWrittenAsLiterals) {
  const std::vector<Diagnostic> found = Scan(
      "int a;\n"
      "constexpr uint16_t kDid = 0x1042;\n"
      "if (vendor == 0x1af4u) {}\n"
      "const char* id = \"PCI\\\\VEN_A3A0&DEV_0001\";\n"
      "x = 0x1AED;  // legacy, unlike 0x1042 in this comment\n"
      "/* 0x1042\n 0x1AF4 */ y = 0x1052;\n"
      "char q = '\"'; z = 0x1059;\n");
  ASSERT_EQ(found.size(), 6u) << testing::Joined(found);
  EXPECT_EQ(found[0].ToString(),
            "drivers/virtio-blk/core/blk.cpp:2: literal 0x1042 (device ID of virtio-blk): take it "
            "from aero/contract/aero_contract.h");
  EXPECT_EQ(found[1].line, 3);
  EXPECT_NE(found[1].message.find("vendor ID of virtio-blk"), std::string::npos);
  EXPECT_EQ(found[2].line, 4);
  EXPECT_NE(found[2].message.find("VEN_A3A0"), std::string::npos);
  EXPECT_EQ(found[3].line, 5);
  EXPECT_NE(found[3].message.find("forbidden vendor ID"), std::string::npos);
  EXPECT_EQ(found[4].line, 7);
  EXPECT_NE(found[4].message.find("device ID of virtio-input-keyboard"), std::string::npos);
  EXPECT_EQ(found[5].line, 8);
  EXPECT_NE(found[5].message.find("0x1059"), std::string::npos);
}

TEST(IdScan, IgnoresOtherNumbersAndPartialMatches) {
  const std::vector<Diagnostic> found = Scan(
      "a = 0x0001; b = 0x10420; c = 0x01042; d = x0x1042; e = 0x1043;\n"
      "f = kVendor0x1AF4; g = 0x1042ab; h = DEV_1042; i = XVEN_1AF4; j = 0x1000;\n"
      "// VEN_1AF4 0x1AF4\n");
  EXPECT_TRUE(found.empty()) << testing::Joined(found);
}

TEST(IdScan, RepositoryScanSkipsTestsAndOtherFolders) {
  testing::TempDir repo;
  testing::WriteFile(repo.path() / "drivers/virtio-blk/core/blk.cpp", "x = 0x1042;\n");
  testing::WriteFile(repo.path() / "drivers/virtio-blk/tests/blk_fake.cpp", "x = 0x1042;\n");
  testing::WriteFile(repo.path() / "drivers/virtio-blk/core/blk_test.cpp", "x = 0x1042;\n");
  testing::WriteFile(repo.path() / "drivers/virtio-blk/testing/fake.cpp", "x = 0x1042;\n");
  testing::WriteFile(repo.path() / "drivers/virtio-blk/win7/shim.h", "y = 0x1AF4;\n");
  testing::WriteFile(repo.path() / "lib/virtio/pci.h", "y = 0x1AF4;\n");
  testing::WriteFile(repo.path() / "lib/virtio/README.md", "0x1AF4\n");
  testing::WriteFile(repo.path() / "tools/x/x.cpp", "0x1AF4\n");
  testing::WriteFile(repo.path() / "include/aero/contract/aero_contract.h", "0x1AF4\n");
  int scanned = 0;
  const std::vector<Diagnostic> found =
      ScanRepositorySources(testing::RealContract(), repo.path(), &scanned);
  EXPECT_EQ(scanned, 2);
  ASSERT_EQ(found.size(), 2u) << testing::Joined(found);
  EXPECT_EQ(found[0].file, "drivers/virtio-blk/core/blk.cpp");
  EXPECT_EQ(found[1].file, "drivers/virtio-blk/win7/shim.h");
}

}  // namespace
}  // namespace aero::contract_tool
