#include "hardware_id.h"

#include <gtest/gtest.h>

namespace aero::contract_tool {
namespace {

PciHardwareId Parse(const std::string& text) {
  std::string error;
  std::optional<PciHardwareId> id = ParsePciHardwareId(text, &error);
  EXPECT_TRUE(id.has_value()) << text << ": " << error;
  return id.value_or(PciHardwareId());
}

std::string ParseError(const std::string& text) {
  std::string error;
  EXPECT_FALSE(ParsePciHardwareId(text, &error).has_value()) << text;
  return error;
}

TEST(HardwareId, FullySpecific) {
  PciHardwareId id = Parse("PCI\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01");
  EXPECT_EQ(id.vendor_id, 0x1AF4);
  EXPECT_EQ(id.device_id, 0x1042);
  EXPECT_EQ(id.subsystem_id, 0x0002);
  EXPECT_EQ(id.subsystem_vendor_id, 0x1AF4);
  EXPECT_EQ(id.revision_id, 0x01);
  EXPECT_TRUE(id.revision_gated());
  EXPECT_EQ(FormatPciHardwareId(id), "PCI\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01");
}

TEST(HardwareId, ShorterFormsAndCaseInsensitivity) {
  PciHardwareId generic = Parse("pci\\ven_1af4&dev_1042&rev_01");
  EXPECT_FALSE(generic.has_subsystem());
  EXPECT_EQ(FormatPciHardwareId(generic), "PCI\\VEN_1AF4&DEV_1042&REV_01");
  PciHardwareId bare = Parse("PCI\\VEN_1AF4&DEV_1042");
  EXPECT_FALSE(bare.revision_gated());
  PciHardwareId subsys = Parse("PCI\\VEN_A3A0&DEV_0001&SUBSYS_0001A3A0");
  EXPECT_EQ(subsys.subsystem_id, 0x0001);
  EXPECT_EQ(subsys.subsystem_vendor_id, 0xA3A0);
  EXPECT_FALSE(subsys.revision_gated());
  PciHardwareId vendor_only = Parse("PCI\\VEN_1AED");
  EXPECT_FALSE(vendor_only.device_id.has_value());
}

TEST(HardwareId, ClassCodeForms) {
  PciHardwareId cc6 = Parse("PCI\\VEN_1AF4&DEV_1042&CC_010000");
  EXPECT_EQ(cc6.class_code, 0x010000u);
  EXPECT_EQ(FormatPciHardwareId(cc6), "PCI\\VEN_1AF4&DEV_1042&CC_010000");
  PciHardwareId cc4 = Parse("PCI\\VEN_1AF4&DEV_1042&CC_0100");
  EXPECT_EQ(FormatPciHardwareId(cc4), "PCI\\VEN_1AF4&DEV_1042&CC_0100");
}

TEST(HardwareId, Errors) {
  EXPECT_EQ(ParseError("USB\\VID_1234"), "does not start with PCI\\");
  EXPECT_NE(ParseError("PCI\\DEV_1042").find("expected VEN_xxxx"), std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_1AF4&DEV_104").find("4 hex digits"), std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_1AF4&DEV_1042&SUBSYS_0002").find("8 hex digits"),
            std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_1AF4&DEV_1042&REV_1").find("2 hex digits"), std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_1AF4&DEV_1042&REV_01&SUBSYS_00021AF4").find("unexpected"),
            std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_1AF4&DEV_1042&REV_01&REV_01").find("unexpected"),
            std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_1AF4&DEV_1042&").find("unexpected component ''"),
            std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_1AF4&DEV_1042&CC_01").find("CC_"), std::string::npos);
  EXPECT_NE(ParseError("PCI\\VEN_GGGG").find("VEN_"), std::string::npos);
}

TEST(HardwareId, CriticalDeviceDatabaseKey) {
  EXPECT_EQ(CriticalDeviceDatabaseKey("PCI\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01"),
            "pci#ven_1af4&dev_1042&subsys_00021af4&rev_01");
}

TEST(HardwareId, Hex) {
  EXPECT_EQ(Hex(0x1AF4, 4), "1AF4");
  EXPECT_EQ(Hex(0x2, 2), "02");
  EXPECT_EQ(Hex(0x12345, 4), "12345");
  EXPECT_EQ(Hex(0, 1), "0");
  EXPECT_EQ(Hex(0xFFFFFFFFFFFFFFFFull, 4), "FFFFFFFFFFFFFFFF");
}

}  // namespace
}  // namespace aero::contract_tool
