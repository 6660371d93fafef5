#include "pe_checksum.h"

#include <gtest/gtest.h>

#include <vector>

#include "test_image_builder.h"

namespace aero::pecheck {
namespace {

// The buffers the expected values were computed for with the Python reference in
// mingw-kernel-notes.md section 6 (e_lfanew stored at 0x3c, CheckSum at e_lfanew + 88).
std::vector<uint8_t> Pattern(size_t size, uint32_t lfanew) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<uint8_t>(i * 131 + 7);
  }
  for (size_t i = 0; i < 4; ++i) {
    bytes[0x3c + i] = static_cast<uint8_t>(lfanew >> (8 * i));
  }
  return bytes;
}

TEST(PeChecksum, MatchesReferenceOnEvenLength) {
  EXPECT_EQ(ComputePeChecksum(Pattern(1000, 0x80), 0x80 + 88), 0xa941u);
  EXPECT_EQ(ComputePeChecksum(Pattern(256, 0x80), 0x80 + 88), 0x131fu);
}

TEST(PeChecksum, PadsAnOddTrailingByteWithZero) {
  EXPECT_EQ(ComputePeChecksum(Pattern(1001, 0x80), 0x80 + 88), 0xaa01u);
}

TEST(PeChecksum, ZeroesAChecksumFieldThatStraddlesWords) {
  EXPECT_EQ(ComputePeChecksum(Pattern(1001, 0x81), 0x81 + 88), 0xa9f6u);
}

TEST(PeChecksum, FoldsCarriesOfAllOnesWords) {
  std::vector<uint8_t> bytes(4096, 0xff);
  bytes[0x3c] = 0x40;
  bytes[0x3d] = bytes[0x3e] = bytes[0x3f] = 0;
  EXPECT_EQ(ComputePeChecksum(bytes, 0x40 + 88), 0x1040u);
}

TEST(PeChecksum, IgnoresTheStoredChecksumValue) {
  std::vector<uint8_t> bytes = Pattern(1000, 0x80);
  const uint32_t before = ComputePeChecksum(bytes, 0x80 + 88);
  for (size_t i = 0; i < 4; ++i) {
    bytes[0x80 + 88 + i] ^= 0x5a;
  }
  EXPECT_EQ(ComputePeChecksum(bytes, 0x80 + 88), before);
  bytes[0x80 + 92] ^= 1;  // The byte after the field does count.
  EXPECT_NE(ComputePeChecksum(bytes, 0x80 + 88), before);
}

TEST(PeChecksum, ToleratesAFieldOffsetPastTheEnd) {
  const std::vector<uint8_t> bytes = Pattern(100, 0x80);
  EXPECT_EQ(ComputePeChecksum(bytes, 1u << 30), testing::ReferenceChecksum(bytes, 1u << 30));
  EXPECT_EQ(ComputePeChecksum({}, 0), 0u);
}

TEST(PeChecksum, AgreesWithTheIndependentReferenceOnManyLengths) {
  for (size_t size = 0x40; size < 0x240; size += 7) {
    const std::vector<uint8_t> bytes = Pattern(size, 0x20 + static_cast<uint32_t>(size % 5));
    const uint64_t field = 0x20 + size % 5 + 88;
    ASSERT_EQ(ComputePeChecksum(bytes, field), testing::ReferenceChecksum(bytes, field))
        << "size " << size;
  }
}

}  // namespace
}  // namespace aero::pecheck
