#include "authenticode_pe.h"

#include <gtest/gtest.h>

#include <string_view>

#include "digest.h"
#include "test_files.h"

namespace aero::catalog {
namespace {

using testing::BuildPeImage;
using testing::PutU32;
using testing::TestSecurityDirectory;

std::vector<std::uint8_t> Certificate(std::size_t size) {
  std::vector<std::uint8_t> table(size, 0x5a);
  return table;
}

std::vector<std::uint8_t> ImageHash(const std::vector<std::uint8_t>& image) {
  const PeProbeResult probe = ProbePeImage(image);
  EXPECT_EQ(probe.kind, PeProbe::kPe) << probe.error;
  return ComputeDigest(DigestAlgorithm::kSha1, image, probe.layout.ranges);
}

TEST(AuthenticodePeTest, FilesWithoutAnNtHeaderAreFlat) {
  const std::string_view text = "[Version]\r\nSignature=\"$WINDOWS NT$\"\r\n";
  EXPECT_EQ(
      ProbePeImage(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())).kind,
      PeProbe::kNotPe);
  std::vector<std::uint8_t> dos_only(0x80, 0);
  dos_only[0] = 'M';
  dos_only[1] = 'Z';
  PutU32(&dos_only, 0x3c, 0x40);
  EXPECT_EQ(ProbePeImage(dos_only).kind, PeProbe::kNotPe);  // no "PE\0\0"
  PutU32(&dos_only, 0x3c, 0xfffffff0);
  EXPECT_EQ(ProbePeImage(dos_only).kind, PeProbe::kNotPe);  // e_lfanew past the end
  EXPECT_EQ(ProbePeImage({}).kind, PeProbe::kNotPe);
}

TEST(AuthenticodePeTest, UnsignedPe32PlusSkipsChecksumAndSecurityEntry) {
  const std::vector<std::uint8_t> image = BuildPeImage({});
  const PeProbeResult probe = ProbePeImage(image);
  ASSERT_EQ(probe.kind, PeProbe::kPe) << probe.error;
  EXPECT_TRUE(probe.layout.pe32_plus);
  EXPECT_FALSE(probe.layout.has_certificate_table);
  const std::size_t security = TestSecurityDirectory(true);
  EXPECT_EQ(
      probe.layout.ranges,
      (std::vector<ByteRange>{{0, testing::kTestChecksum},
                              {testing::kTestChecksum + 4, security - testing::kTestChecksum - 4},
                              {security + 8, image.size() - security - 8}}));
}

TEST(AuthenticodePeTest, Pe32HasItsDirectoriesSixteenBytesEarlier) {
  const std::vector<std::uint8_t> image = BuildPeImage(testing::PeWith(false));
  const PeProbeResult probe = ProbePeImage(image);
  ASSERT_EQ(probe.kind, PeProbe::kPe) << probe.error;
  EXPECT_FALSE(probe.layout.pe32_plus);
  EXPECT_EQ(probe.layout.ranges[1].offset + probe.layout.ranges[1].length,
            TestSecurityDirectory(false));
  EXPECT_EQ(TestSecurityDirectory(false) + 16, TestSecurityDirectory(true));
}

TEST(AuthenticodePeTest, SigningDoesNotChangeTheImageHash) {
  for (bool pe32_plus : {false, true}) {
    const std::vector<std::uint8_t> unsigned_image = BuildPeImage(testing::PeWith(pe32_plus));
    const std::vector<std::uint8_t> signed_image =
        BuildPeImage(testing::PeWith(pe32_plus, 0x400, 0x1234abcd, Certificate(0x98)));
    EXPECT_EQ(ImageHash(unsigned_image), ImageHash(signed_image));
    const PeProbeResult probe = ProbePeImage(signed_image);
    EXPECT_TRUE(probe.layout.has_certificate_table);
    EXPECT_EQ(probe.layout.ranges.back().offset + probe.layout.ranges.back().length,
              unsigned_image.size());
  }
}

TEST(AuthenticodePeTest, HashedBytesChangeTheHash) {
  const std::vector<std::uint8_t> image = BuildPeImage({});
  std::vector<std::uint8_t> changed = image;
  changed[0x300] ^= 1;
  EXPECT_NE(ImageHash(image), ImageHash(changed));
  std::vector<std::uint8_t> header_changed = image;
  header_changed[testing::kTestChecksum - 1] ^= 1;
  EXPECT_NE(ImageHash(image), ImageHash(header_changed));
}

TEST(AuthenticodePeTest, RefusesCertificateTablesThatAreNotLast) {
  std::vector<std::uint8_t> image =
      BuildPeImage(testing::PeWith(true, 0x400, 0, Certificate(0x40)));
  image.push_back(0);  // trailing byte after the table
  for (int i = 0; i < 7; ++i) {
    image.push_back(0);
  }
  PeProbeResult probe = ProbePeImage(image);
  EXPECT_EQ(probe.kind, PeProbe::kMalformed);
  EXPECT_NE(probe.error.find("not the last thing"), std::string::npos) << probe.error;

  std::vector<std::uint8_t> size_only = BuildPeImage({});
  PutU32(&size_only, TestSecurityDirectory(true) + 4, 0x40);
  probe = ProbePeImage(size_only);
  EXPECT_EQ(probe.kind, PeProbe::kMalformed);
  EXPECT_NE(probe.error.find("not both"), std::string::npos) << probe.error;

  std::vector<std::uint8_t> inside_headers = BuildPeImage({});
  PutU32(&inside_headers, TestSecurityDirectory(true), 0x10);
  PutU32(&inside_headers, TestSecurityDirectory(true) + 4,
         static_cast<std::uint32_t>(inside_headers.size() - 0x10));
  EXPECT_EQ(ProbePeImage(inside_headers).kind, PeProbe::kMalformed);
}

TEST(AuthenticodePeTest, RefusesUnsignedImagesOfUnalignedSize) {
  const PeProbeResult probe = ProbePeImage(BuildPeImage(testing::PeWith(true, 0x401)));
  EXPECT_EQ(probe.kind, PeProbe::kMalformed);
  EXPECT_NE(probe.error.find("multiple of 8"), std::string::npos) << probe.error;
}

TEST(AuthenticodePeTest, RefusesTruncatedOrUnknownHeaders) {
  std::vector<std::uint8_t> image = BuildPeImage({});
  std::vector<std::uint8_t> truncated(image.begin(), image.begin() + 0x80);
  EXPECT_EQ(ProbePeImage(truncated).kind, PeProbe::kMalformed);

  std::vector<std::uint8_t> bad_magic = image;
  bad_magic[testing::kTestOptionalHeader] = 0x0b;
  bad_magic[testing::kTestOptionalHeader + 1] = 0x03;
  const PeProbeResult magic = ProbePeImage(bad_magic);
  EXPECT_EQ(magic.kind, PeProbe::kMalformed);
  EXPECT_NE(magic.error.find("0x030b"), std::string::npos) << magic.error;

  std::vector<std::uint8_t> few_directories = image;
  PutU32(&few_directories, testing::kTestOptionalHeader + 108, 4);
  EXPECT_EQ(ProbePeImage(few_directories).kind, PeProbe::kMalformed);

  std::vector<std::uint8_t> small_optional = image;
  small_optional[testing::kTestLfanew + 4 + 16] = 100;  // SizeOfOptionalHeader too small
  small_optional[testing::kTestLfanew + 4 + 17] = 0;
  EXPECT_EQ(ProbePeImage(small_optional).kind, PeProbe::kMalformed);
}

}  // namespace
}  // namespace aero::catalog
