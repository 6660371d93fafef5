// Hostile and truncated files: the checker must fail cleanly (a parse error, or a violation for
// the broken structure), never crash, and never call such a file clean.
#include <gtest/gtest.h>

#include "checks.h"
#include "pe_format.h"
#include "pe_imports.h"
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

class PeMalformedImage : public ::testing::TestWithParam<Arch> {
 protected:
  Arch arch() const { return GetParam(); }
  TestImage Good() const { return BuildTestImage(DriverSpec(arch())); }
  CheckReport Check(std::span<const uint8_t> bytes) const {
    return CheckImage(bytes, DriverConfig(arch()));
  }
  // Checks `image` after restoring its checksum, so only the intended defect remains.
  CheckReport CheckPatched(TestImage& image) const {
    image.RefreshChecksum();
    return Check(image.bytes);
  }
};

INSTANTIATE_TEST_SUITE_P(Arch, PeMalformedImage, ::testing::Values(Arch::kX86, Arch::kX64),
                         [](const auto& p) { return std::string(ArchName(p.param)); });

TEST_P(PeMalformedImage, NoTruncationIsClean) {
  const TestImage image = Good();
  const CheckConfig config = DriverConfig(arch());
  for (size_t size = 0; size < image.bytes.size(); ++size) {
    const CheckReport report =
        CheckImage(std::span<const uint8_t>(image.bytes.data(), size), config);
    ASSERT_FALSE(report.clean()) << "prefix of " << size << " bytes";
  }
}

TEST_P(PeMalformedImage, TruncatedHeadersAreAParseError) {
  const TestImage image = Good();
  const size_t section_table_end = image.sections.back().header_offset + pe::kSectionHeaderSize;
  for (size_t size : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{image.pe_offset + 2},
                      size_t{image.optional_header_offset + 30}, section_table_end - 1}) {
    const CheckReport report = Check(std::span<const uint8_t>(image.bytes.data(), size));
    EXPECT_FALSE(report.parsed()) << "prefix of " << size << " bytes: " << Describe(report);
    EXPECT_TRUE(report.violations.empty());
  }
}

TEST_P(PeMalformedImage, TruncatedSectionDataIsASectionsViolation) {
  TestImage image = Good();
  image.bytes.resize(image.sections.back().raw_pointer + 4);
  const CheckReport report = CheckPatched(image);
  // The cut-off last section holds the base relocations, so they are unreadable too.
  EXPECT_EQ(CheckIds(report), (Ids{"relocations", "sections"})) << Describe(report);
}

TEST_P(PeMalformedImage, NotAPeFile) {
  const std::vector<uint8_t> text(4096, 'x');
  EXPECT_NE(Check(text).parse_error.find("MZ"), std::string::npos);
}

TEST_P(PeMalformedImage, BogusLfanew) {
  for (uint32_t lfanew : {0xfffffff0u, 0xffffffffu, 0x7fffffffu, 0u}) {
    TestImage image = Good();
    image.WriteU32(pe::kDosLfanewOffset, lfanew);
    const CheckReport report = Check(image.bytes);
    EXPECT_FALSE(report.parsed()) << "e_lfanew " << lfanew;
  }
}

TEST_P(PeMalformedImage, UnknownOptionalHeaderMagic) {
  TestImage image = Good();
  image.WriteU16(image.optional_header_offset, 0x0107);  // ROM image
  EXPECT_NE(Check(image.bytes).parse_error.find("magic"), std::string::npos);
}

TEST_P(PeMalformedImage, OptionalHeaderSizeTooSmall) {
  TestImage image = Good();
  image.WriteU16(image.pe_offset + 4 + 16, 64);
  EXPECT_FALSE(Check(image.bytes).parsed());
}

TEST_P(PeMalformedImage, TooManyDataDirectories) {
  TestImage image = Good();
  image.WriteU32(image.data_directory_offset - 4, 17);
  EXPECT_FALSE(Check(image.bytes).parsed());
}

TEST_P(PeMalformedImage, TooManySections) {
  TestImage image = Good();
  image.WriteU16(image.pe_offset + 4 + 2, 97);
  EXPECT_NE(Check(image.bytes).parse_error.find("NumberOfSections"), std::string::npos);
  image.WriteU16(image.pe_offset + 4 + 2, 0xffff);
  EXPECT_FALSE(Check(image.bytes).parsed());
}

TEST_P(PeMalformedImage, SectionRawDataPastTheEnd) {
  TestImage image = Good();
  image.WriteU32(image.section(".data").header_offset + 20, 0x7ffffe00);
  const CheckReport report = CheckPatched(image);
  EXPECT_TRUE(CheckIds(report).contains("sections")) << Describe(report);
}

TEST_P(PeMalformedImage, SectionRawSizeHuge) {
  TestImage image = Good();
  image.WriteU32(image.section(".text").header_offset + 16, 0xffffffff);
  const CheckReport report = CheckPatched(image);
  EXPECT_TRUE(CheckIds(report).contains("sections")) << Describe(report);
}

TEST_P(PeMalformedImage, OverlappingSections) {
  TestImage image = Good();
  image.WriteU32(image.section(".data").header_offset + 12, image.section(".text").rva);
  const CheckReport report = CheckPatched(image);
  EXPECT_TRUE(CheckIds(report).contains("sections")) << Describe(report);
}

TEST_P(PeMalformedImage, BadAlignments) {
  TestImage image = Good();
  image.WriteU32(image.optional_header_offset + 36, 0x300);  // FileAlignment
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"headers"}) << Describe(report);
}

TEST_P(PeMalformedImage, SizeOfHeadersBeyondTheFile) {
  TestImage image = Good();
  image.WriteU32(image.optional_header_offset + 60, 0x10000000);
  const CheckReport report = CheckPatched(image);
  EXPECT_TRUE(CheckIds(report).contains("headers")) << Describe(report);
}

TEST_P(PeMalformedImage, ImportDirectoryOutsideTheImage) {
  for (uint32_t rva : {0x7ffffff0u, 0xfffffff0u, 0xffffffffu}) {
    TestImage image = Good();
    image.WriteU32(image.directory_offset(pe::kDirImport), rva);
    const CheckReport report = CheckPatched(image);
    ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
    EXPECT_NE(report.violations[0].message.find("malformed import table"), std::string::npos);
  }
}

TEST_P(PeMalformedImage, ImportDescriptorTableNotTerminated) {
  TestImage image = Good();
  const auto& idata = image.section(".idata");
  // Start the table 8 bytes before the end of the file-backed part of .idata.
  const uint32_t raw_size = image.ReadU32(idata.header_offset + 16);
  image.WriteU32(image.directory_offset(pe::kDirImport), idata.rva + raw_size - 8);
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

TEST_P(PeMalformedImage, ImportNameOutsideTheImage) {
  TestImage image = Good();
  const uint32_t descriptor = image.section(".idata").raw_pointer;
  image.WriteU32(descriptor + 12, 0x7ffffff0);
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

TEST_P(PeMalformedImage, ImportLookupTableOutsideTheImage) {
  TestImage image = Good();
  const uint32_t descriptor = image.section(".idata").raw_pointer;
  image.WriteU32(descriptor + 0, 0xfffffffc);
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

TEST_P(PeMalformedImage, HintNameOutsideTheImage) {
  TestImage image = Good();
  const uint32_t descriptor = image.section(".idata").raw_pointer;
  const uint32_t lookup_rva = image.ReadU32(descriptor);
  const uint32_t lookup_file =
      image.section(".idata").raw_pointer + (lookup_rva - image.section(".idata").rva);
  image.WriteU32(lookup_file, 0x7ffffff0);  // Name RVA, ordinal flag clear.
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

TEST_P(PeMalformedImage, UnterminatedDllName) {
  TestImageSpec spec = DriverSpec(arch());
  // A section filled with non-NUL bytes up to its end; the DLL name points at its last bytes.
  spec.extra_sections.push_back({".junk", 0x40000040, std::vector<uint8_t>(0x200, 'A')});
  TestImage image = BuildTestImage(spec);
  image.WriteU32(image.section(".idata").raw_pointer + 12, image.section(".junk").rva + 0x1f0);
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
}

TEST_P(PeMalformedImage, TooManyImportedSymbols) {
  const bool is64 = arch() == Arch::kX64;
  const uint32_t width = is64 ? 8 : 4;
  const uint32_t count = kMaxImportedSymbols + 1;
  // A lookup table of `count` thunks that all name one hint/name entry placed after it.
  const char kName[] = "IoCreateDevice";
  std::vector<uint8_t> table((count + 1) * width + 2 + sizeof kName, 0);
  TestImageSpec spec = DriverSpec(arch());
  spec.extra_sections.push_back({".big", 0x40000040, {}});
  const uint32_t big_rva = BuildTestImage(spec).section(".big").rva;
  const uint32_t hint_name = big_rva + (count + 1) * width;
  for (uint32_t i = 0; i < count; ++i) {
    for (uint32_t b = 0; b < 4; ++b) {
      table[i * width + b] = static_cast<uint8_t>(hint_name >> (8 * b));
    }
  }
  std::copy(kName, kName + sizeof kName, table.begin() + (count + 1) * width + 2);
  spec.extra_sections.back().data = table;
  TestImage image = BuildTestImage(spec);
  ASSERT_EQ(image.section(".big").rva, big_rva);
  image.WriteU32(image.section(".idata").raw_pointer + 0, big_rva);  // OriginalFirstThunk
  const CheckReport report = CheckPatched(image);
  ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
  EXPECT_NE(report.violations[0].message.find("more than 65536"), std::string::npos);
}

TEST_P(PeMalformedImage, TooManyImportDescriptors) {
  const uint32_t count = kMaxImportedModules + 1;
  TestImageSpec spec = DriverSpec(arch());
  spec.extra_sections.push_back({".many", 0x40000040, {}});
  const uint32_t rva = BuildTestImage(spec).section(".many").rva;
  // `count` descriptors sharing one DLL name and one empty lookup table, then a terminator.
  const uint32_t empty_table = rva + (count + 1) * 20;
  const uint32_t name = empty_table + 8;
  std::vector<uint8_t> data((count + 1) * 20 + 8 + 16, 0);
  auto put32 = [&](size_t at, uint32_t v) {
    for (uint32_t b = 0; b < 4; ++b) {
      data[at + b] = static_cast<uint8_t>(v >> (8 * b));
    }
  };
  for (uint32_t i = 0; i < count; ++i) {
    put32(i * 20 + 0, empty_table);
    put32(i * 20 + 12, name);
    put32(i * 20 + 16, empty_table);
  }
  const char kDll[] = "ntoskrnl.exe";
  std::copy(kDll, kDll + sizeof kDll, data.begin() + (name - rva));
  spec.extra_sections.back().data = data;
  TestImage image = BuildTestImage(spec);
  image.WriteU32(image.directory_offset(pe::kDirImport), rva);
  const CheckReport report = CheckPatched(image);
  ASSERT_EQ(CheckIds(report), Ids{"imports"}) << Describe(report);
  EXPECT_NE(report.violations[0].message.find("import descriptors"), std::string::npos);
}

TEST_P(PeMalformedImage, RelocationDirectoryOutsideTheImage) {
  TestImage image = Good();
  image.WriteU32(image.directory_offset(pe::kDirBaseReloc), 0xfffff000);
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

TEST_P(PeMalformedImage, RelocationDirectorySizeHuge) {
  TestImage image = Good();
  image.WriteU32(image.directory_offset(pe::kDirBaseReloc) + 4, 0xffffffff);
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

TEST_P(PeMalformedImage, RelocationBlockSizeZero) {
  TestImage image = Good();
  image.WriteU32(image.section(".reloc").raw_pointer + 4, 0);
  const CheckReport report = CheckPatched(image);
  EXPECT_EQ(CheckIds(report), Ids{"relocations"}) << Describe(report);
}

}  // namespace
}  // namespace aero::pecheck
