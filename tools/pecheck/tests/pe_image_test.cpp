#include "pe_image.h"

#include <gtest/gtest.h>

#include "pe_imports.h"
#include "pe_relocations.h"
#include "test_image_builder.h"

namespace aero::pecheck {
namespace {

using testing::BuildTestImage;
using testing::DriverSpec;
using testing::TestImage;

TEST(PeImage, ReadsTheHeadersOfAnX86Driver) {
  const TestImage built = BuildTestImage(DriverSpec(Arch::kX86));
  const Result<PeImage> parsed = ParsePeImage(built.bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const PeImage& img = parsed.value();
  EXPECT_EQ(img.machine, pe::kMachineI386);
  EXPECT_EQ(img.format, PeFormat::kPe32);
  EXPECT_EQ(img.image_base, 0x10000u);
  EXPECT_EQ(img.entry_point, built.section(".text").rva);
  EXPECT_EQ(img.subsystem, pe::kSubsystemNative);
  EXPECT_EQ(img.checksum_offset, built.checksum_offset);
  ASSERT_EQ(img.sections.size(), 4u);
  EXPECT_EQ(img.sections[0].name, ".text");
  EXPECT_EQ(img.sections[3].name, ".reloc");
  EXPECT_EQ(img.directory(pe::kDirImport).rva, built.section(".idata").rva);
}

TEST(PeImage, ReadsTheHeadersOfAnX64Driver) {
  const TestImage built = BuildTestImage(DriverSpec(Arch::kX64));
  const Result<PeImage> parsed = ParsePeImage(built.bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed.value().machine, pe::kMachineAmd64);
  EXPECT_EQ(parsed.value().format, PeFormat::kPe32Plus);
  EXPECT_EQ(parsed.value().image_base, 0x140000000ull);
  EXPECT_EQ(parsed.value().pointer_size(), 8u);
}

TEST(PeImage, MapsRvasOnlyToFileBackedBytes) {
  const TestImage built = BuildTestImage(DriverSpec(Arch::kX86));
  const PeImage img = ParsePeImage(built.bytes).value();
  const auto& text = built.section(".text");
  EXPECT_EQ(img.FileOffsetOf(text.rva, 4), std::optional<uint64_t>(text.raw_pointer));
  EXPECT_EQ(img.FileOffsetOf(text.rva + 12, 4), std::optional<uint64_t>(text.raw_pointer + 12));
  // .text holds 16 bytes: a read crossing its end, or past it, has no file bytes.
  EXPECT_FALSE(img.FileOffsetOf(text.rva + 14, 4));
  EXPECT_FALSE(img.FileOffsetOf(text.rva + 0x100, 1));
  // The headers map at RVA 0.
  EXPECT_EQ(img.FileOffsetOf(0, 2), std::optional<uint64_t>(0));
  EXPECT_FALSE(img.FileOffsetOf(0xfffffffe, 4));
  EXPECT_EQ(img.SectionAt(text.rva + 15), &img.sections[0]);
  EXPECT_EQ(img.SectionAt(text.rva + 16), nullptr);
}

TEST(PeImage, ReadsBoundedStrings) {
  const TestImage built = BuildTestImage(DriverSpec(Arch::kX86));
  const PeImage img = ParsePeImage(built.bytes).value();
  // Find "ntoskrnl.exe" through the first import descriptor's Name field.
  const uint32_t name_rva = *img.ReadU32(built.section(".idata").rva + 12);
  EXPECT_EQ(img.ReadCString(name_rva, 64), std::optional<std::string>("ntoskrnl.exe"));
  EXPECT_EQ(img.ReadCString(name_rva, 12), std::optional<std::string>("ntoskrnl.exe"));
  EXPECT_FALSE(img.ReadCString(name_rva, 11));  // Longer than allowed.
  EXPECT_FALSE(img.ReadCString(0xfffffff0, 64));
}

TEST(PeImage, ReadsTheImportTable) {
  const TestImage built = BuildTestImage(DriverSpec(Arch::kX86));  // The image refers to it.
  const PeImage img = ParsePeImage(built.bytes).value();
  const Result<std::vector<ImportedModule>> modules = ReadImports(img);
  ASSERT_TRUE(modules.ok()) << modules.error();
  ASSERT_EQ(modules.value().size(), 2u);
  EXPECT_EQ(modules.value()[0].dll_name, "ntoskrnl.exe");
  ASSERT_EQ(modules.value()[0].symbols.size(), 4u);
  EXPECT_EQ(modules.value()[0].symbols[1].name, "ObfReferenceObject");
  EXPECT_EQ(modules.value()[1].dll_name, "HAL.dll");
}

TEST(PeImage, ReadsOrdinalImports) {
  testing::TestImageSpec spec = DriverSpec(Arch::kX64);
  spec.modules[0].imports.push_back({"", uint16_t{0xfffe}});
  const TestImage built = BuildTestImage(spec);
  const PeImage img = ParsePeImage(built.bytes).value();
  const auto modules = ReadImports(img);
  ASSERT_TRUE(modules.ok()) << modules.error();
  const ImportedSymbol& last = modules.value()[0].symbols.back();
  EXPECT_EQ(last.ordinal, std::optional<uint16_t>(0xfffe));
  EXPECT_TRUE(last.name.empty());
}

TEST(PeImage, CountsRelocations) {
  for (Arch arch : {Arch::kX86, Arch::kX64}) {
    const TestImage built = BuildTestImage(DriverSpec(arch));
    const PeImage img = ParsePeImage(built.bytes).value();
    const Result<RelocationSummary> relocs = ReadRelocations(img);
    ASSERT_TRUE(relocs.ok()) << relocs.error();
    EXPECT_EQ(relocs.value().blocks, 1u);
    EXPECT_EQ(relocs.value().fixups, 1u);  // The ABSOLUTE padding entry does not count.
  }
}

TEST(PeImage, DataDirectoriesBeyondNumberOfRvaAndSizesReadAsEmpty) {
  TestImage built = BuildTestImage(DriverSpec(Arch::kX86));
  built.WriteU32(built.data_directory_offset - 4, 2);  // Only export and import directories.
  const Result<PeImage> parsed = ParsePeImage(built.bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_FALSE(parsed.value().directory(pe::kDirImport).empty());
  EXPECT_TRUE(parsed.value().directory(pe::kDirBaseReloc).empty());
}

}  // namespace
}  // namespace aero::pecheck
