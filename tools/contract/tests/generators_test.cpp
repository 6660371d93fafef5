#include "generators.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "names.h"
#include "test_support.h"

namespace aero::contract_tool {
namespace {

using testing::RealContract;

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(Names, Conversions) {
  EXPECT_EQ(PascalCase("max_virtqueue_pairs"), "MaxVirtqueuePairs");
  EXPECT_EQ(PascalCase("VERSION_1"), "Version1");
  EXPECT_EQ(PascalCase("GUEST_TSO4"), "GuestTso4");
  EXPECT_EQ(PascalCase("requestq"), "Requestq");
  EXPECT_EQ(DeviceNamespace("virtio-input-keyboard"), "virtio_input_keyboard");
  EXPECT_EQ(DeviceVariablePrefix("virtio-blk"), "AERO_VIRTIO_BLK");
}

TEST(HeaderGenerator, FreestandingWithOneNamespacePerDevice) {
  const Contract contract = RealContract();
  const std::string header = GenerateHeader(contract);
  std::smatch match;
  std::string rest = header;
  int includes = 0;
  const std::regex include_re("#include <([^>]+)>");
  while (std::regex_search(rest, match, include_re)) {
    EXPECT_EQ(match[1], "stdint.h");
    ++includes;
    rest = match.suffix();
  }
  EXPECT_EQ(includes, 1);
  EXPECT_TRUE(Contains(header, "namespace aero::contract {"));
  for (const Device& d : contract.devices) {
    EXPECT_TRUE(Contains(header, "namespace " + DeviceNamespace(d.name) + " {")) << d.name;
  }
  EXPECT_TRUE(Contains(header, "namespace virtio {"));
}

TEST(HeaderGenerator, ConstantsComeFromTheContract) {
  const std::string header = GenerateHeader(RealContract());
  for (const char* expected : {
           "inline constexpr uint16_t kDeviceId = 0x1042;",
           "inline constexpr uint16_t kSubsystemId = 0x0002;",
           "inline constexpr uint32_t kVirtioType = 2;",
           "inline constexpr uint16_t kRequestqIndex = 0;",
           "inline constexpr uint16_t kRequestqSize = 128;",
           "inline constexpr uint32_t kVersion1Bit = 32;",
           "inline constexpr uint64_t kVersion1 = uint64_t{1} << 32;",
           "inline constexpr uint32_t kCapacityOffset = 0x00;",
           "inline constexpr uint32_t kBlkSizeOffset = 0x14;",
           "inline constexpr uint32_t kNotifyCfgOffset = 0x1000;",
           "inline constexpr uint32_t kNotifyOffMultiplier = 4;",
           "inline constexpr char kServiceName[] = \"aero_virtio_blk\";",
           "inline constexpr wchar_t kServiceNameW[] = L\"aero_virtio_blk\";",
           "\"PCI\\\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01\",",
           "inline constexpr uint32_t kAbiVersion = 0x00010004;",
           "inline constexpr uint16_t kVendorId = 0xA3A0;",
           "inline constexpr uint32_t kContractVersionMajor = 1;",
           "inline constexpr uint32_t kRegistersLength = 0x00010000;",
           "inline constexpr uint32_t kVbeLfbLength = 0x03FC0000;",
           "inline constexpr uint64_t kSize = 0x04000000;",
       }) {
    EXPECT_TRUE(Contains(header, expected)) << expected;
  }
}

TEST(HeaderGenerator, FeatureMasksAreTheUnionOfTheirBits) {
  const std::string header = GenerateHeader(RealContract());
  // net: required VERSION_1 (32) and MAC (5).
  EXPECT_TRUE(Contains(header, "kRequiredFeatures = 0x0000000100000020ull;"));
  // blk forbidden: RING_PACKED 34, RO 5, MQ 12, DISCARD 13, WRITE_ZEROES 14.
  EXPECT_TRUE(Contains(header, "kForbiddenFeatures = 0x0000000400007020ull;"));
}

TEST(HeaderGenerator, IsDeterministic) {
  const Contract contract = RealContract();
  EXPECT_EQ(GenerateHeader(contract), GenerateHeader(contract));
  EXPECT_EQ(GenerateMarkdown(contract), GenerateMarkdown(contract));
  EXPECT_EQ(GenerateDevicesCmd(contract), GenerateDevicesCmd(contract));
}

TEST(MarkdownGenerator, TablesCoverEveryDevice) {
  const Contract contract = RealContract();
  const std::string md = GenerateMarkdown(contract);
  EXPECT_TRUE(Contains(md, "# AERO-W7-VIRTIO device contract, version 1.0"));
  for (const Device& d : contract.devices) {
    EXPECT_TRUE(Contains(md, "### " + d.name + ": ")) << d.name;
    for (const std::string& id : d.hardware_ids) {
      EXPECT_TRUE(Contains(md, "`" + id + "`")) << id;
    }
  }
  EXPECT_TRUE(Contains(md,
                       "| `aero_virtio_blk` | aero_virtio_blk.inf | aero_virtio_blk.sys | "
                       "SCSIAdapter | {4D36E97B-E325-11CE-BFC1-08002BE10318} | boot (0) | "
                       "SCSI miniport | yes |"));
  EXPECT_TRUE(Contains(md, "| 0x1AED | all |"));
  // Wide values are never truncated to the column's usual width.
  EXPECT_TRUE(Contains(md,
                       "| 1 | mmio, prefetchable | 0x4000000 | vbe_lfb | - | 0x40000 | "
                       "0x3FC0000 | VBE linear framebuffer |"));
}

TEST(DevicesCmdGenerator, QuotedIdsAndCrlf) {
  const std::string cmd = GenerateDevicesCmd(RealContract());
  for (std::size_t i = 0; i < cmd.size(); ++i) {
    if (cmd[i] == '\n') {
      ASSERT_TRUE(i > 0 && cmd[i - 1] == '\r') << "bare LF at byte " << i;
    }
  }
  EXPECT_TRUE(Contains(cmd,
                       "set AERO_VIRTIO_BLK_HWIDS=\"PCI\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4"
                       "&REV_01\" \"PCI\\VEN_1AF4&DEV_1042&REV_01\"\r\n"));
  EXPECT_TRUE(Contains(cmd, "set \"AERO_VIRTIO_BLK_SERVICE=aero_virtio_blk\"\r\n"));
  EXPECT_TRUE(Contains(cmd, "set \"AERO_VIRTIO_INPUT_TABLET_INF=aero_virtio_input.inf\"\r\n"));
  EXPECT_TRUE(Contains(cmd, "set \"AERO_AEROGPU_SERVICE=aerogpu\"\r\n"));
  EXPECT_TRUE(Contains(cmd, "set \"AERO_BOOT_CRITICAL_DRIVERS=aero_virtio_blk\"\r\n"));
  EXPECT_TRUE(
      Contains(cmd, "set AERO_FORBIDDEN_HWID_PREFIXES=\"PCI\\VEN_1AED\" \"PCI\\VEN_1AE0\""));
  EXPECT_TRUE(
      Contains(cmd, "\"pci#ven_1af4&dev_1042&cc_010000\" \"pci#ven_1af4&dev_1042&cc_0100\""));
  EXPECT_FALSE(Contains(cmd, "AERO_VIRTIO_NET_CDD_KEYS"));  // only boot-critical devices
  // Every set line outside quotes is free of cmd's special characters.
  for (const char* bad : {"%", "^", "|", "<", ">"}) {
    EXPECT_FALSE(Contains(cmd, bad)) << bad;
  }
}

TEST(DevicesCmdGenerator, CriticalDeviceDatabaseKeys) {
  const Contract contract = RealContract();
  EXPECT_EQ(CriticalDeviceDatabaseKeys(contract.devices[0]),
            (std::vector<std::string>{
                "pci#ven_1af4&dev_1042&subsys_00021af4&rev_01", "pci#ven_1af4&dev_1042&rev_01",
                "pci#ven_1af4&dev_1042&cc_010000", "pci#ven_1af4&dev_1042&cc_0100"}));
}

TEST(InfModelsGenerator, SharedGenericIdAppearsOnceWithTheDriverDescription) {
  const Contract contract = RealContract();
  const Driver* input = contract.FindDriver("aero_virtio_input");
  ASSERT_NE(input, nullptr);
  EXPECT_EQ(DriverHardwareIds(contract, *input),
            (std::vector<std::string>{"PCI\\VEN_1AF4&DEV_1052&SUBSYS_00101AF4&REV_01",
                                      "PCI\\VEN_1AF4&DEV_1052&REV_01",
                                      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00111AF4&REV_01",
                                      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00121AF4&REV_01"}));
  const std::vector<std::string> lines = GenerateInfModelsLines(contract, *input);
  const std::vector<std::string> expected = {
      "; Generated by aero-contract from contract/aero-contract.json; do not edit between the "
      "markers.",
      "[AeroVirtioInput.NTx86.6.1]",
      "\"Aero VirtIO Keyboard\" = AeroVirtioInput_Install, "
      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00101AF4&REV_01",
      "\"Aero VirtIO Input Device\" = AeroVirtioInput_Install, PCI\\VEN_1AF4&DEV_1052&REV_01",
      "\"Aero VirtIO Mouse\" = AeroVirtioInput_Install, "
      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00111AF4&REV_01",
      "\"Aero VirtIO Tablet\" = AeroVirtioInput_Install, "
      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00121AF4&REV_01",
      "",
      "[AeroVirtioInput.NTamd64.6.1]",
      "\"Aero VirtIO Keyboard\" = AeroVirtioInput_Install, "
      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00101AF4&REV_01",
      "\"Aero VirtIO Input Device\" = AeroVirtioInput_Install, PCI\\VEN_1AF4&DEV_1052&REV_01",
      "\"Aero VirtIO Mouse\" = AeroVirtioInput_Install, "
      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00111AF4&REV_01",
      "\"Aero VirtIO Tablet\" = AeroVirtioInput_Install, "
      "PCI\\VEN_1AF4&DEV_1052&SUBSYS_00121AF4&REV_01",
  };
  EXPECT_EQ(lines, expected);
}

}  // namespace
}  // namespace aero::contract_tool
