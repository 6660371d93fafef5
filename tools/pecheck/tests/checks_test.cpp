// One test per check: a well-formed image passes, and each single defect is reported by exactly
// the check meant to catch it.
#include "checks.h"

#include <gtest/gtest.h>

#include <cctype>

#include "pe_format.h"
#include "test_config.h"
#include "test_image_builder.h"

namespace aero::pecheck {
namespace {

using testing::BuildTestImage;
using testing::CheckIds;
using testing::Describe;
using testing::DriverConfig;
using testing::DriverSpec;
using testing::TestImage;
using testing::TestImageSpec;
using Ids = std::set<std::string>;

class PeDriverChecks : public ::testing::TestWithParam<Arch> {
 protected:
  Arch arch() const { return GetParam(); }
  TestImageSpec spec() const { return DriverSpec(arch()); }
  CheckReport Check(const TestImageSpec& s) const { return Check(BuildTestImage(s)); }
  CheckReport Check(const TestImage& image) const {
    return CheckImage(image.bytes, DriverConfig(arch()));
  }
};

INSTANTIATE_TEST_SUITE_P(Arch, PeDriverChecks, ::testing::Values(Arch::kX86, Arch::kX64),
                         [](const auto& p) { return std::string(ArchName(p.param)); });

TEST_P(PeDriverChecks, WellFormedDriverIsClean) {
  const CheckReport report = Check(spec());
  EXPECT_TRUE(report.clean()) << Describe(report);
}

TEST_P(PeDriverChecks, WrongSubsystem) {
  TestImageSpec s = spec();
  s.subsystem = pe::kSubsystemWindowsCui;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"subsystem"}) << Describe(report);
}

TEST_P(PeDriverChecks, SubsystemVersionNewerThanWin7) {
  TestImageSpec s = spec();
  s.subsystem_minor = 2;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"subsystem"}) << Describe(report);
  s.subsystem_major = 10;
  s.subsystem_minor = 0;
  EXPECT_EQ(CheckIds(Check(s)), Ids{"subsystem"});
}

TEST_P(PeDriverChecks, OlderSubsystemVersionLoadsOnWin7) {
  TestImageSpec s = spec();
  s.subsystem_major = 5;
  s.subsystem_minor = 2;
  const CheckReport report = Check(s);
  EXPECT_TRUE(report.clean()) << Describe(report);
}

TEST_P(PeDriverChecks, BadChecksum) {
  TestImageSpec s = spec();
  s.checksum = testing::ChecksumMode::kWrong;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"checksum"}) << Describe(report);
}

TEST_P(PeDriverChecks, ZeroChecksumInADriver) {
  TestImageSpec s = spec();
  s.checksum = testing::ChecksumMode::kZero;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"checksum"}) << Describe(report);
}

TEST_P(PeDriverChecks, ByteChangedAfterLinking) {
  TestImage image = BuildTestImage(spec());
  image.bytes[image.section(".text").raw_pointer + 8] ^= 0x01;  // Padding in .text.
  const CheckReport report = Check(image);
  EXPECT_EQ(CheckIds(report), Ids{"checksum"}) << Describe(report);
}

TEST_P(PeDriverChecks, ImportFromModuleNotAllowed) {
  TestImageSpec s = spec();
  s.modules.push_back({"ks.sys", {{"KsCreatePin", {}}}});
  const CheckReport report = Check(s);
  ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_NE(report.violations[0].message.find("'ks.sys'"), std::string::npos);
}

TEST_P(PeDriverChecks, ImportNotInTheFacts) {
  TestImageSpec s = spec();
  s.modules[0].imports.push_back({"ExUuidCreate", {}});  // In the .def, not in the facts.
  const CheckReport report = Check(s);
  ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_NE(report.violations[0].message.find("'ExUuidCreate' from 'ntoskrnl.exe'"),
            std::string::npos)
      << report.violations[0].message;
  EXPECT_NE(report.violations[0].message.find("facts"), std::string::npos);
}

TEST_P(PeDriverChecks, NotInFactsEntryOfAnotherModuleDoesNotCover) {
  CheckConfig config = DriverConfig(arch());
  config.allowed_modules.push_back("ks.sys");
  config.module_exports.push_back(
      ParseDefFile("LIBRARY ks.sys\nEXPORTS\nDbgPrint\n", arch(), "ks.def").value());
  TestImageSpec s = spec();
  s.modules.push_back({"ks.sys", {{"DbgPrint", {}}}});  // Allowlisted for ntoskrnl.exe only.
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, config);
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

TEST_P(PeDriverChecks, ImportNotExportedByTheModule) {
  TestImageSpec s = spec();
  // A function the facts know, but the fixture .def does not list.
  s.modules[0].imports.push_back({"KeQueryPerformanceCounter", {}});
  const CheckReport report = Check(s);
  ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_NE(report.violations[0].message.find("does not list"), std::string::npos);
}

TEST_P(PeDriverChecks, AllowedModuleWithoutDef) {
  CheckConfig config = DriverConfig(arch());
  config.allowed_modules.push_back("storport.sys");
  TestImageSpec s = spec();
  s.modules.push_back({"storport.sys", {{"StorPortInitialize", {}}}});
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, config);
  ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
  EXPECT_NE(report.violations[0].message.find("no --exports .def"), std::string::npos);
}

TEST_P(PeDriverChecks, ModuleNamesMatchCaseInsensitively) {
  TestImageSpec s = spec();
  s.modules[0].dll_name = "NTOSKRNL.EXE";
  const CheckReport report = Check(s);
  EXPECT_TRUE(report.clean()) << Describe(report);
}

TEST_P(PeDriverChecks, ImportByOrdinal) {
  TestImageSpec s = spec();
  s.modules[0].imports.push_back({"", uint16_t{17}});
  const CheckReport report = Check(s);
  ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
  EXPECT_NE(report.violations[0].message.find("ordinal 17"), std::string::npos);
}

TEST_P(PeDriverChecks, WritableAndExecutableSection) {
  TestImageSpec s = spec();
  s.text_characteristics |= pe::kScnMemWrite;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"sections"}) << Describe(report);
}

TEST_P(PeDriverChecks, TlsDirectory) {
  TestImageSpec s = spec();
  s.tls_directory = true;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"tls"}) << Describe(report);
}

TEST_P(PeDriverChecks, RelocsStripped) {
  TestImageSpec s = spec();
  s.file_characteristics |= pe::kFileRelocsStripped;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

TEST_P(PeDriverChecks, NoDynamicBase) {
  TestImageSpec s = spec();
  s.dll_characteristics &= static_cast<uint16_t>(~pe::kDllDynamicBase);
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

TEST_P(PeDriverChecks, NoRelocationDirectory) {
  TestImageSpec s = spec();
  s.relocations = false;
  const CheckReport report = Check(s);
  if (arch() == Arch::kX86) {
    EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
  } else {
    EXPECT_TRUE(report.clean()) << Describe(report);  // Legal for RIP-relative x64 code.
  }
}

TEST_P(PeDriverChecks, RelocationOfTheWrongType) {
  TestImage image = BuildTestImage(spec());
  const uint16_t wrong = arch() == Arch::kX86 ? pe::kRelBasedDir64 : pe::kRelBasedHighLow;
  image.WriteU16(image.section(".reloc").raw_pointer + 8, static_cast<uint16_t>(wrong << 12));
  image.RefreshChecksum();
  const CheckReport report = Check(image);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

TEST_P(PeDriverChecks, RelocationBlockLongerThanTheDirectory) {
  TestImage image = BuildTestImage(spec());
  image.WriteU32(image.section(".reloc").raw_pointer + 4, 0x100);
  image.RefreshChecksum();
  const CheckReport report = Check(image);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

TEST_P(PeDriverChecks, RelocationPatchingBeyondTheImage) {
  TestImage image = BuildTestImage(spec());
  image.WriteU32(image.section(".reloc").raw_pointer, 0x7fff0000);  // Page RVA.
  image.RefreshChecksum();
  const CheckReport report = Check(image);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

TEST_P(PeDriverChecks, WrongMachine) {
  TestImageSpec s = spec();
  s.machine = arch() == Arch::kX86 ? pe::kMachineAmd64 : pe::kMachineI386;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"machine"}) << Describe(report);
}

TEST_P(PeDriverChecks, ImageOfTheOtherArchitecture) {
  const Arch other = arch() == Arch::kX86 ? Arch::kX64 : Arch::kX86;
  const CheckReport report =
      CheckImage(BuildTestImage(DriverSpec(other)).bytes, DriverConfig(arch()));
  EXPECT_TRUE(CheckIds(report).contains("machine")) << Describe(report);
}

TEST_P(PeDriverChecks, EntryPointOutsideCode) {
  TestImage image = BuildTestImage(spec());
  TestImageSpec s = spec();
  s.entry_point = image.section(".data").rva;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"entry-point"}) << Describe(report);
}

TEST_P(PeDriverChecks, EntryPointInNoSection) {
  TestImageSpec s = spec();
  s.entry_point = 0x00ff0000;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"entry-point"}) << Describe(report);
}

TEST_P(PeDriverChecks, EntryPointZero) {
  TestImageSpec s = spec();
  s.entry_point = 0;
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"entry-point"}) << Describe(report);
}

TEST_P(PeDriverChecks, NxCompatClear) {
  TestImageSpec s = spec();
  s.dll_characteristics &= static_cast<uint16_t>(~pe::kDllNxCompat);
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"nx-compat"}) << Describe(report);
}

TEST_P(PeDriverChecks, NotAnExecutableImage) {
  TestImageSpec s = spec();
  s.file_characteristics &= static_cast<uint16_t>(~pe::kFileExecutableImage);
  const CheckReport report = Check(s);
  EXPECT_EQ(CheckIds(report), Ids{"image-type"}) << Describe(report);
}

TEST_P(PeDriverChecks, DelayLoadImports) {
  TestImage image = BuildTestImage(spec());
  image.WriteU32(image.directory_offset(pe::kDirDelayImport), image.section(".data").rva);
  image.WriteU32(image.directory_offset(pe::kDirDelayImport) + 4, 32);
  image.RefreshChecksum();
  const CheckReport report = Check(image);
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

TEST(PeUnwindChecks, X64ImageWithoutUnwindData) {
  TestImageSpec s = DriverSpec(Arch::kX64);
  s.unwind_table = false;
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, DriverConfig(Arch::kX64));
  EXPECT_EQ(CheckIds(report), Ids{"unwind"}) << Describe(report);
}

TEST(PeUnwindChecks, RuntimeFunctionOutsideCode) {
  TestImage image = BuildTestImage(DriverSpec(Arch::kX64));
  image.WriteU32(image.section(".pdata").raw_pointer, image.section(".data").rva);
  image.WriteU32(image.section(".pdata").raw_pointer + 4, image.section(".data").rva + 4);
  image.RefreshChecksum();
  const CheckReport report = CheckImage(image.bytes, DriverConfig(Arch::kX64));
  EXPECT_EQ(CheckIds(report), Ids{"unwind"}) << Describe(report);
}

TEST(PeUnwindChecks, UnsortedRuntimeFunctions) {
  TestImage image = BuildTestImage(DriverSpec(Arch::kX64));
  const uint32_t text = image.section(".text").rva;
  const uint32_t pdata = image.section(".pdata").raw_pointer;
  // Two entries, the second one before the first; the section and the directory grow to cover
  // both (the second entry overwrites the unwind info, which only has to be readable).
  image.WriteU32(image.section(".pdata").header_offset + 8, 0x40);  // VirtualSize
  image.WriteU32(pdata + 12, text);
  image.WriteU32(pdata + 16, text + 1);
  image.WriteU32(pdata + 20, image.ReadU32(pdata + 8));
  image.WriteU32(image.directory_offset(pe::kDirException) + 4, 24);
  image.RefreshChecksum();
  const CheckReport report = CheckImage(image.bytes, DriverConfig(Arch::kX64));
  ASSERT_EQ(CheckIds(report), Ids{"unwind"}) << Describe(report);
  EXPECT_NE(report.violations[0].message.find("sorted"), std::string::npos);
}

TEST(PeUnwindChecks, BadDirectorySizeOrPlace) {
  for (uint32_t size : {13u, 0x10000u * 12}) {
    TestImage image = BuildTestImage(DriverSpec(Arch::kX64));
    image.WriteU32(image.directory_offset(pe::kDirException) + 4, size);
    image.RefreshChecksum();
    const CheckReport report = CheckImage(image.bytes, DriverConfig(Arch::kX64));
    EXPECT_EQ(CheckIds(report), Ids{"unwind"}) << Describe(report);
  }
}

TEST(PeUnwindChecks, EmptyEntriesAreHarmlessReversedOnesAreNot) {
  TestImage image = BuildTestImage(DriverSpec(Arch::kX64));
  const uint32_t text = image.section(".text").rva;
  image.WriteU32(image.section(".pdata").raw_pointer + 4, text);  // [text, text)
  image.RefreshChecksum();
  const CheckReport empty = CheckImage(image.bytes, DriverConfig(Arch::kX64));
  EXPECT_TRUE(empty.clean()) << Describe(empty);
  image.WriteU32(image.section(".pdata").raw_pointer, text + 2);  // [text + 2, text)
  image.RefreshChecksum();
  const CheckReport reversed = CheckImage(image.bytes, DriverConfig(Arch::kX64));
  EXPECT_EQ(CheckIds(reversed), Ids{"unwind"}) << Describe(reversed);
}

TEST(PeUnwindChecks, ImagesWithoutCodeNeedNone) {
  TestImageSpec s = testing::DllSpec(Arch::kX64);
  s.unwind_table = false;
  s.entry_point = 0;
  s.text_characteristics = 0x40000040;  // .text holding data only: nothing executable.
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, testing::DllConfig(Arch::kX64));
  EXPECT_TRUE(report.clean()) << Describe(report);
}

TEST(PeUnwindChecks, X86ImagesNeedNone) {
  const CheckReport report =
      CheckImage(BuildTestImage(DriverSpec(Arch::kX86)).bytes, DriverConfig(Arch::kX86));
  EXPECT_TRUE(report.clean()) << Describe(report);
}

class PeForbiddenKernelSection : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Names, PeForbiddenKernelSection,
                         ::testing::Values(".tls", ".CRT", ".eh_fram", "/4", "/19"),
                         [](const auto& p) {
                           std::string name;
                           for (char c : p.param) {
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

TEST_P(PeForbiddenKernelSection, IsAViolationInDriversOnly) {
  for (Arch arch : {Arch::kX86, Arch::kX64}) {
    TestImageSpec s = DriverSpec(arch);
    s.extra_sections.push_back({GetParam(), 0x40000040, std::vector<uint8_t>(16, 0)});
    const CheckReport report = CheckImage(BuildTestImage(s).bytes, DriverConfig(arch));
    EXPECT_EQ(CheckIds(report), Ids{"sections"}) << Describe(report);

    TestImageSpec dll = testing::DllSpec(arch);
    dll.extra_sections = s.extra_sections;
    const CheckReport dll_report = CheckImage(BuildTestImage(dll).bytes, testing::DllConfig(arch));
    EXPECT_TRUE(dll_report.clean()) << Describe(dll_report);
  }
}

TEST(PeDriverSectionNames, SimilarNamesAreAllowed) {
  TestImageSpec s = DriverSpec(Arch::kX64);
  s.extra_sections.push_back({".tlsdata", 0x40000040, std::vector<uint8_t>(16, 0)});
  s.extra_sections.push_back({"/4a", 0x40000040, std::vector<uint8_t>(16, 0)});
  s.extra_sections.push_back({"INIT", 0x62000020, std::vector<uint8_t>(16, 0xcc)});
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, DriverConfig(Arch::kX64));
  EXPECT_TRUE(report.clean()) << Describe(report);
}

class PeDllChecks : public ::testing::TestWithParam<Arch> {};

INSTANTIATE_TEST_SUITE_P(Arch, PeDllChecks, ::testing::Values(Arch::kX86, Arch::kX64),
                         [](const auto& p) { return std::string(ArchName(p.param)); });

TEST_P(PeDllChecks, WellFormedDllIsClean) {
  const CheckReport report = CheckImage(BuildTestImage(testing::DllSpec(GetParam())).bytes,
                                        testing::DllConfig(GetParam()));
  EXPECT_TRUE(report.clean()) << Describe(report);
}

TEST_P(PeDllChecks, ZeroChecksumAndEntryPointAreFine) {
  TestImageSpec s = testing::DllSpec(GetParam());
  s.checksum = testing::ChecksumMode::kZero;
  s.entry_point = 0;
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, testing::DllConfig(GetParam()));
  EXPECT_TRUE(report.clean()) << Describe(report);
}

TEST_P(PeDllChecks, NativeSubsystemIsWrong) {
  TestImageSpec s = testing::DllSpec(GetParam());
  s.subsystem = pe::kSubsystemNative;
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, testing::DllConfig(GetParam()));
  EXPECT_EQ(CheckIds(report), Ids{"subsystem"}) << Describe(report);
}

TEST_P(PeDllChecks, DllFlagMustMatchTheKind) {
  TestImageSpec s = testing::DllSpec(GetParam());
  CheckConfig exe = testing::DllConfig(GetParam());
  exe.kind = ImageKind::kExe;
  EXPECT_EQ(CheckIds(CheckImage(BuildTestImage(s).bytes, exe)), Ids{"image-type"});
  s.file_characteristics &= static_cast<uint16_t>(~pe::kFileDll);
  EXPECT_TRUE(CheckImage(BuildTestImage(s).bytes, exe).clean());
  EXPECT_EQ(CheckIds(CheckImage(BuildTestImage(s).bytes, testing::DllConfig(GetParam()))),
            Ids{"image-type"});
}

TEST_P(PeDllChecks, OrdinalImportMustBeListedInTheDef) {
  TestImageSpec s = testing::DllSpec(GetParam());
  s.modules[0].imports.push_back({"", uint16_t{408}});  // GetProcAddress @408 in the fixture.
  const CheckReport listed = CheckImage(BuildTestImage(s).bytes, testing::DllConfig(GetParam()));
  EXPECT_TRUE(listed.clean()) << Describe(listed);
  s.modules[0].imports.push_back({"", uint16_t{409}});
  const CheckReport unlisted = CheckImage(BuildTestImage(s).bytes, testing::DllConfig(GetParam()));
  EXPECT_EQ(CheckIds(unlisted), Ids{"imports"}) << Describe(unlisted);
}

TEST_P(PeDllChecks, WholeModuleAllowlistStillRequiresTheDef) {
  TestImageSpec s = testing::DllSpec(GetParam());
  s.modules[1].imports.push_back({"strcpy", {}});  // msvcrt.dll!* covers the facts, not the .def.
  const CheckReport report = CheckImage(BuildTestImage(s).bytes, testing::DllConfig(GetParam()));
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

}  // namespace
}  // namespace aero::pecheck
