#include "package_contents.h"

#include <gtest/gtest.h>

#include "error.h"
#include "test_files.h"

namespace aero::catalog {
namespace {

using testing::TempDir;

constexpr char kInf[] = R"([Version]
Signature = "$WINDOWS NT$"
Class = SCSIAdapter
ClassGuid = {4D36E97B-E325-11CE-BFC1-08002BE10318}
Provider = %Aero%
CatalogFile.NTx86 = blk_x86.cat
CatalogFile.NTamd64 = blk_amd64.cat
DriverVer = 01/01/2024,0.1.0.0

[SourceDisksNames]
1 = %Disk%,,,

[SourceDisksNames.amd64]
1 = %Disk%,,,\bin

[SourceDisksFiles.x86]
aero_blk.sys = 1

[SourceDisksFiles.amd64]
aero_blk.sys = 1,amd64
aero_helper.dll = 1

[Manufacturer]
%Aero% = Aero, NTx86, NTamd64

[Aero.NTx86]
%Blk% = Blk_Install, PCI\VEN_1AF4&DEV_1042&SUBSYS_00021AF4, PCI\VEN_1AF4&DEV_1042

[Aero.NTamd64]
%Blk% = Blk_Install, PCI\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01

[Blk_Install.NT]
CopyFiles = Blk_Files

[Blk_Install.NTamd64]
CopyFiles = Blk_Files, @aero_helper.dll

[Blk_Files]
aero_blk.sys

[Strings]
Aero = "Aero"
Disk = "Aero disk"
Blk = "Aero virtio block"
)";

inf::InfFile Parse(std::string_view text) {
  inf::InfParseResult result = inf::ParseInfText(text, "test.inf");
  EXPECT_TRUE(result.ok()) << result.error.ToString();
  return std::move(*result.inf);
}

std::string ErrorOf(const inf::InfFile& inf, const std::filesystem::path& dir, PackageArch arch) {
  try {
    ReadPackageContents(inf, dir, arch);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PackageContentsTest, X86UsesDecoratedThenPlainSections) {
  TempDir dir;
  dir.Write("aero_blk.sys", "x");
  const PackageContents contents = ReadPackageContents(Parse(kInf), dir.path(), PackageArch::kX86);
  EXPECT_EQ(contents.catalog_name, "blk_x86.cat");
  ASSERT_EQ(contents.files.size(), 1u);
  EXPECT_EQ(contents.files[0].relative, "aero_blk.sys");
  EXPECT_EQ(contents.files[0].section, "SourceDisksFiles.x86");
  EXPECT_EQ(contents.hardware_ids,
            (std::vector<std::string>{"pci\\ven_1af4&dev_1042&subsys_00021af4",
                                      "pci\\ven_1af4&dev_1042"}));
}

TEST(PackageContentsTest, Amd64FollowsDiskPathsAndSubfoldersIgnoringCase) {
  TempDir dir;
  dir.Write("Bin/AMD64/Aero_Blk.SYS", "x");
  dir.Write("Bin/aero_helper.dll", "y");
  const PackageContents contents =
      ReadPackageContents(Parse(kInf), dir.path(), PackageArch::kAmd64);
  EXPECT_EQ(contents.catalog_name, "blk_amd64.cat");
  ASSERT_EQ(contents.files.size(), 2u);
  EXPECT_EQ(contents.files[0].name, "aero_blk.sys");
  EXPECT_EQ(contents.files[0].relative, std::filesystem::path("Bin/AMD64/Aero_Blk.SYS"));
  EXPECT_EQ(contents.files[1].relative, std::filesystem::path("Bin/aero_helper.dll"));
  EXPECT_EQ(contents.hardware_ids,
            (std::vector<std::string>{"pci\\ven_1af4&dev_1042&subsys_00021af4&rev_01"}));
}

TEST(PackageContentsTest, MissingFilesAreAllReportedWithTheirLines) {
  TempDir dir;
  const std::string error = ErrorOf(Parse(kInf), dir.path(), PackageArch::kAmd64);
  EXPECT_NE(error.find("test.inf:20: 'aero_blk.sys' (listed in [SourceDisksFiles.amd64]) is not "
                       "in the package"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("test.inf:21: 'aero_helper.dll'"), std::string::npos) << error;
}

TEST(PackageContentsTest, CopiedFilesMustBeListedInSourceDisksFiles) {
  TempDir dir;
  dir.Write("aero_blk.sys", "x");
  std::string inf = kInf;
  inf.replace(inf.find("aero_blk.sys\n\n[Strings]"), 12, "aero_other.sys");
  const std::string error = ErrorOf(Parse(inf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("'aero_other.sys' is copied by [Blk_Install.NT] but not listed in "
                       "[SourceDisksFiles.x86] or [SourceDisksFiles]"),
            std::string::npos)
      << error;
}

TEST(PackageContentsTest, UndefinedCopySectionsAndDisksAreErrors) {
  TempDir dir;
  dir.Write("aero_blk.sys", "x");
  std::string inf = kInf;
  inf.replace(inf.find("CopyFiles = Blk_Files\n"), 22, "CopyFiles = Nowhere\n");
  inf.replace(inf.find("aero_blk.sys = 1\n"), 17, "aero_blk.sys = 7\n");
  const std::string error = ErrorOf(Parse(inf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("CopyFiles names section [Nowhere]"), std::string::npos) << error;
  EXPECT_NE(error.find("is on disk '7'"), std::string::npos) << error;
}

TEST(PackageContentsTest, PathsMustStayInsideThePackage) {
  TempDir dir;
  dir.Write("aero_blk.sys", "x");
  std::string inf = kInf;
  inf.replace(inf.find("aero_blk.sys = 1\n"), 17, "aero_blk.sys = 1,..\\..\\etc\n");
  std::string error = ErrorOf(Parse(inf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("is not a relative path inside the package"), std::string::npos) << error;

  inf = kInf;
  inf.replace(inf.find("aero_blk.sys = 1\n"), 17, "a:b.sys = 1\n");
  error = ErrorOf(Parse(inf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("'a:b.sys' is not a plain file name"), std::string::npos) << error;
}

TEST(PackageContentsTest, CatalogFileIsRequiredAndPlain) {
  TempDir dir;
  dir.Write("aero_blk.sys", "x");
  std::string inf = kInf;
  inf.replace(inf.find("CatalogFile.NTx86 = blk_x86.cat"), 31, "CatalogFile.NTx86 = ..\\x.cat");
  std::string error = ErrorOf(Parse(inf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("CatalogFile.NTx86 must name one .cat file"), std::string::npos) << error;

  inf = kInf;
  inf.replace(inf.find("CatalogFile.NTx86 = blk_x86.cat\n"), 32, "");
  error = ErrorOf(Parse(inf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("[Version] has no CatalogFile entry for x86"), std::string::npos) << error;
}

TEST(PackageContentsTest, SymbolicLinksAreNotPackageFiles) {
  TempDir dir;
  const std::filesystem::path target = dir.Write("elsewhere/real.sys", "x");
  std::filesystem::create_symlink(target, dir.path() / "aero_blk.sys");
  const std::string error = ErrorOf(Parse(kInf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("symbolic links are refused"), std::string::npos) << error;
}

TEST(PackageContentsTest, AmbiguousCaseIsAnError) {
  TempDir dir;
  dir.Write("aero_blk.sys", "x");
  dir.Write("AERO_BLK.SYS", "y");
  const std::string error = ErrorOf(Parse(kInf), dir.path(), PackageArch::kX86);
  EXPECT_NE(error.find("matches more than one entry"), std::string::npos) << error;
}

TEST(PackageContentsTest, PlainFileNames) {
  EXPECT_TRUE(IsPlainFileName("aero_virtio_blk.sys"));
  EXPECT_TRUE(IsPlainFileName("name with space.inf"));
  for (const char* bad : {"", ".", "..", "a/b", "a\\b", "c:x", "x.", "x ", " x", "a*b", "t\tab"}) {
    EXPECT_FALSE(IsPlainFileName(bad)) << bad;
  }
}

TEST(PackageContentsTest, ArchitectureNames) {
  EXPECT_EQ(ParsePackageArch("x64"), PackageArch::kAmd64);
  EXPECT_EQ(ParsePackageArch("amd64"), PackageArch::kAmd64);
  EXPECT_EQ(ParsePackageArch("x86"), PackageArch::kX86);
  EXPECT_FALSE(ParsePackageArch("arm64"));
  EXPECT_EQ(PackageArchName(PackageArch::kAmd64), "amd64");
}

}  // namespace
}  // namespace aero::catalog
