#include "inf_models.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace aero::inf {
namespace {

constexpr char kPackage[] =
    "[Version]\n"
    "Signature = \"$Windows NT$\"\n"
    "[Manufacturer]\n"
    "%Mfg% = Aero, NTx86.6.1, NTamd64.6.1\n"
    "Other = Plain\n"
    "[Aero.NTx86.6.1]\n"
    "%Disk% = Disk_Install, PCI\\VEN_1AF4&DEV_1042&REV_01, PCI\\VEN_1AF4&DEV_1042\n"
    "broken line\n"
    "[Aero.NTamd64.6.1]\n"
    "\"Literal\" = Disk_Install, PCI\\VEN_1AF4&DEV_1042&REV_01\n"
    "[Disk_Install.NTamd64]\n"
    "[Disk_Install.NT]\n"
    "[Disk_Install.NT.Services]\n"
    "AddService = aero_virtio_blk, 0x00000002, Disk_Service\n"
    "AddService = helper, , Helper_Service\n"
    "AddService = other, junk, Other_Service\n"
    "[Disk_Install.NTamd64.Services]\n"
    "AddService = aero_virtio_blk, 2, Disk_Service\n"
    "[Strings]\n"
    "Mfg = \"Aero\"\n"
    "Disk = \"Aero Disk\"\n";

InfFile Package() {
  InfParseResult result = ParseInfText(kPackage, "pkg.inf");
  EXPECT_TRUE(result.ok()) << result.error.ToString();
  return std::move(*result.inf);
}

TEST(InfModels, FollowManufacturerListsDecoratedSections) {
  InfFile inf = Package();
  std::vector<ModelsSectionRef> refs = FollowManufacturer(inf);
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].manufacturer, "Aero");
  EXPECT_EQ(refs[0].section_name, "Aero.NTx86.6.1");
  EXPECT_EQ(refs[0].decoration, "NTx86.6.1");
  EXPECT_EQ(refs[0].manufacturer_line, 4);
  ASSERT_NE(refs[0].section, nullptr);
  EXPECT_EQ(refs[1].section_name, "Aero.NTamd64.6.1");
  // An entry without decorations needs its undecorated section; here it is missing.
  EXPECT_EQ(refs[2].section_name, "Plain");
  EXPECT_EQ(refs[2].section, nullptr);
}

TEST(InfModels, UndecoratedSectionIsListedWhenPresent) {
  InfParseResult result =
      ParseInfText("[Manufacturer]\nM = Aero, NTx86\n[Aero]\n[Aero.NTx86]\n", "u.inf");
  ASSERT_TRUE(result.ok());
  std::vector<ModelsSectionRef> refs = FollowManufacturer(*result.inf);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].section_name, "Aero");
  EXPECT_EQ(refs[0].decoration, "");
  EXPECT_EQ(refs[1].section_name, "Aero.NTx86");
}

TEST(InfModels, NoManufacturerSectionGivesNothing) {
  InfParseResult result = ParseInfText("[Version]\n", "n.inf");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(FollowManufacturer(*result.inf).empty());
}

TEST(InfModels, ReadModelsSplitsDescriptionInstallAndIds) {
  InfFile inf = Package();
  std::vector<ModelEntry> x86 = ReadModels(*inf.FindSection("Aero.NTx86.6.1"));
  ASSERT_EQ(x86.size(), 2u);
  EXPECT_EQ(x86[0].description, "Aero Disk");
  EXPECT_EQ(x86[0].install_section, "Disk_Install");
  EXPECT_EQ(x86[0].ids,
            (std::vector<std::string>{"PCI\\VEN_1AF4&DEV_1042&REV_01", "PCI\\VEN_1AF4&DEV_1042"}));
  EXPECT_EQ(x86[0].line_number, 7);
  EXPECT_TRUE(x86[1].install_section.empty());  // "broken line" has no model shape
  EXPECT_EQ(x86[1].line_number, 8);
  std::vector<ModelEntry> amd64 = ReadModels(*inf.FindSection("Aero.NTamd64.6.1"));
  ASSERT_EQ(amd64.size(), 1u);
  EXPECT_EQ(amd64[0].description, "Literal");
}

TEST(InfModels, ArchitectureOfDecoration) {
  EXPECT_EQ(ArchitectureOfDecoration("NTamd64.6.1"), "amd64");
  EXPECT_EQ(ArchitectureOfDecoration("ntX86"), "x86");
  EXPECT_EQ(ArchitectureOfDecoration("NT"), "");
  EXPECT_EQ(ArchitectureOfDecoration(""), "");
  EXPECT_EQ(ArchitectureOfDecoration("Win9x"), "");
}

TEST(InfModels, ResolveInstallSectionPrefersArchitectureThenNt) {
  InfFile inf = Package();
  std::string name;
  ASSERT_NE(ResolveInstallSection(inf, "Disk_Install", "amd64", &name), nullptr);
  EXPECT_EQ(name, "Disk_Install.NTamd64");
  ASSERT_NE(ResolveInstallSection(inf, "disk_install", "x86", &name), nullptr);
  EXPECT_EQ(name, "Disk_Install.NT");
  EXPECT_EQ(ResolveInstallSection(inf, "Nope", "x86", &name), nullptr);
  EXPECT_TRUE(name.empty());
}

TEST(InfModels, FindAddServicesParsesFlags) {
  InfFile inf = Package();
  std::vector<AddServiceEntry> services = FindAddServices(inf, "Disk_Install.NT");
  ASSERT_EQ(services.size(), 3u);
  EXPECT_EQ(services[0].service_name, "aero_virtio_blk");
  EXPECT_EQ(services[0].flags, kSpsvcinstAssocService);
  EXPECT_EQ(services[0].service_install_section, "Disk_Service");
  EXPECT_EQ(services[0].line_number, 14);
  EXPECT_EQ(services[1].flags, std::nullopt);
  EXPECT_EQ(services[2].flags, std::nullopt);
  EXPECT_EQ(FindAddServices(inf, "Disk_Install.NTamd64").size(), 1u);
  EXPECT_TRUE(FindAddServices(inf, "Disk_Install.NTx86").empty());
}

TEST(InfModels, ParseInfNumber) {
  EXPECT_EQ(ParseInfNumber("0"), 0u);
  EXPECT_EQ(ParseInfNumber("3"), 3u);
  EXPECT_EQ(ParseInfNumber("0x00000002"), 2u);
  EXPECT_EQ(ParseInfNumber("0XfFfFfFfF"), 0xFFFFFFFFu);
  EXPECT_EQ(ParseInfNumber("4294967295"), 0xFFFFFFFFu);
  EXPECT_EQ(ParseInfNumber("4294967296"), std::nullopt);
  EXPECT_EQ(ParseInfNumber("0x100000000"), std::nullopt);
  EXPECT_EQ(ParseInfNumber("0x"), std::nullopt);
  EXPECT_EQ(ParseInfNumber(""), std::nullopt);
  EXPECT_EQ(ParseInfNumber("12a"), std::nullopt);
  EXPECT_EQ(ParseInfNumber("-1"), std::nullopt);
}

}  // namespace
}  // namespace aero::inf
