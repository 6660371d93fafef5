// The parameter-data builders and the sense builders, byte for byte.
#include "aero/blk/scsi_pages.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "aero/blk/scsi_spec.h"
#include "aero/blk/sense.h"
#include "blk_test_rig.h"

namespace aero::blk {
namespace {

namespace s = scsi;

DiskDescription MakeDisk(uint64_t blocks, uint32_t block_size, const char* serial = "SER-1") {
  DiskDescription disk{};
  disk.geometry.block_count = blocks;
  disk.geometry.block_size = block_size;
  disk.geometry.block_shift = block_size == 4096 ? 12 : 9;
  disk.geometry.capacity_sectors = blocks * (block_size / 512);
  disk.max_transfer_blocks = 256;
  disk.write_cache = true;
  disk.serial = serial;
  disk.serial_length = serial != nullptr ? static_cast<uint32_t>(std::strlen(serial)) : 0;
  MakeDiskIdentity("Aero", "Virtio Block", "1.0", &disk.identity);
  return disk;
}

std::vector<uint8_t> Bytes(const uint8_t* data, size_t length) {
  return std::vector<uint8_t>(data, data + length);
}

DecodedCdb DecodeOrDie(const std::vector<uint8_t>& cdb) {
  DecodedCdb d;
  EXPECT_EQ(DecodeCdb(cdb.data(), cdb.size(), &d), CdbError::kNone);
  return d;
}

TEST(ScsiPagesTest, IdentityIsSpacePaddedAndCut) {
  DiskIdentity id;
  MakeDiskIdentity("VeryLongVendorName", nullptr, "12", &id);
  EXPECT_EQ(std::string(id.vendor, 8), "VeryLong");
  EXPECT_EQ(std::string(id.product, 16), std::string(16, ' '));
  EXPECT_EQ(std::string(id.revision, 4), "12  ");
}

TEST(ScsiPagesTest, StandardInquiry) {
  uint8_t out[kMaxResponseBytes];
  const size_t n = BuildStandardInquiry(MakeDisk(100, 512), out);
  ASSERT_EQ(n, 36u);
  EXPECT_EQ(out[0], 0x00) << "connected direct-access block device";
  EXPECT_EQ(out[1], 0x00) << "not removable";
  EXPECT_EQ(out[2], 0x05) << "SPC-3";
  EXPECT_EQ(out[3], 0x02) << "response data format 2";
  EXPECT_EQ(out[4], 31) << "additional length n-4";
  EXPECT_EQ(out[7], 0x02) << "CMDQUE";
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out + 8), 28), "Aero    Virtio Block    1.0 ");
}

TEST(ScsiPagesTest, SupportedVpdPagesListSerialOnlyWhenKnown) {
  uint8_t out[kMaxResponseBytes];
  size_t n = BuildVpdPage(MakeDisk(100, 512), s::kVpdSupportedPages, out);
  EXPECT_EQ(Bytes(out, n), (std::vector<uint8_t>{0, 0, 0, 5, 0x00, 0x80, 0x83, 0xB0, 0xB1}));
  n = BuildVpdPage(MakeDisk(100, 512, nullptr), s::kVpdSupportedPages, out);
  EXPECT_EQ(Bytes(out, n), (std::vector<uint8_t>{0, 0, 0, 4, 0x00, 0x83, 0xB0, 0xB1}));
  EXPECT_EQ(BuildVpdPage(MakeDisk(100, 512, nullptr), s::kVpdUnitSerialNumber, out), 0u);
  EXPECT_EQ(BuildVpdPage(MakeDisk(100, 512), 0x86, out), 0u) << "extended INQUIRY is unsupported";
  EXPECT_EQ(BuildVpdPage(MakeDisk(100, 512), 0xB2, out), 0u);
}

TEST(ScsiPagesTest, UnitSerialNumberPage) {
  uint8_t out[kMaxResponseBytes];
  const size_t n = BuildVpdPage(MakeDisk(100, 512), s::kVpdUnitSerialNumber, out);
  EXPECT_EQ(Bytes(out, n), (std::vector<uint8_t>{0, 0x80, 0, 5, 'S', 'E', 'R', '-', '1'}));
}

TEST(ScsiPagesTest, DeviceIdentificationPageHasOneT10VendorDesignator) {
  uint8_t out[kMaxResponseBytes];
  const size_t n = BuildVpdPage(MakeDisk(100, 512), s::kVpdDeviceIdentification, out);
  ASSERT_EQ(n, 4u + 4 + 8 + 16 + 5);
  EXPECT_EQ(out[1], 0x83);
  EXPECT_EQ((out[2] << 8) | out[3], static_cast<int>(n - 4));
  EXPECT_EQ(out[4], 0x02) << "code set ASCII, protocol identifier 0";
  EXPECT_EQ(out[5], 0x01) << "PIV 0, association logical unit, type T10 vendor ID";
  EXPECT_EQ(out[7], 8 + 16 + 5);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out + 8), 29), "Aero    Virtio Block    SER-1");
  const size_t bare = BuildVpdPage(MakeDisk(100, 512, nullptr), s::kVpdDeviceIdentification, out);
  EXPECT_EQ(bare, 4u + 4 + 24);
  EXPECT_EQ(out[7], 24);
}

TEST(ScsiPagesTest, BlockLimitsPage) {
  uint8_t out[kMaxResponseBytes];
  DiskDescription disk = MakeDisk(100, 512);
  disk.max_transfer_blocks = 0x800;
  disk.geometry.optimal_granularity_blocks = 8;
  disk.geometry.optimal_transfer_blocks = 0x10000;  // beyond the maximum: capped
  const size_t n = BuildVpdPage(disk, s::kVpdBlockLimits, out);
  ASSERT_EQ(n, 64u);
  EXPECT_EQ(Bytes(out, 16), (std::vector<uint8_t>{0, 0xB0, 0x00, 0x3C, 0, 0, 0x00, 0x08, 0, 0, 0x08,
                                                  0x00, 0, 0, 0x08, 0x00}));
  for (size_t i = 16; i < n; ++i) {
    EXPECT_EQ(out[i], 0) << "byte " << i << ": no prefetch, unmap or write same limits";
  }
}

TEST(ScsiPagesTest, BlockDeviceCharacteristicsPage) {
  uint8_t out[kMaxResponseBytes];
  const size_t n = BuildVpdPage(MakeDisk(100, 512), s::kVpdBlockDeviceCharacteristics, out);
  ASSERT_EQ(n, 64u);
  EXPECT_EQ(Bytes(out, 8), (std::vector<uint8_t>{0, 0xB1, 0x00, 0x3C, 0, 0, 0, 0}));
}

TEST(ScsiPagesTest, ModeSense6AllPagesWithBlockDescriptor) {
  uint8_t out[kMaxResponseBytes];
  const size_t n =
      BuildModeSense(MakeDisk(0x1234, 512), DecodeOrDie(testing::ModeSense6Cdb(0x3F, 255)), out);
  ASSERT_EQ(n, 4u + 8 + 20 + 12);
  EXPECT_EQ(Bytes(out, 12), (std::vector<uint8_t>{static_cast<uint8_t>(n - 1), 0, 0x00, 8,  //
                                                  0, 0, 0x12, 0x34, 0, 0x00, 0x02, 0x00}));
  EXPECT_EQ(out[12], 0x08);
  EXPECT_EQ(out[13], 0x12);
  EXPECT_EQ(out[14], 0x04) << "WCE with a write cache (FLUSH)";
  EXPECT_EQ(out[32], 0x0A);
  EXPECT_EQ(out[33], 0x0A);
  EXPECT_EQ(out[35], 0x10) << "queue algorithm modifier 1";
}

TEST(ScsiPagesTest, ModeSenseWithoutWriteCacheReadOnlyAndDbd) {
  uint8_t out[kMaxResponseBytes];
  DiskDescription disk = MakeDisk(100, 4096);
  disk.write_cache = false;
  disk.read_only = true;
  const size_t n =
      BuildModeSense(disk, DecodeOrDie(testing::ModeSense6Cdb(0x08, 255, 0, true)), out);
  ASSERT_EQ(n, 4u + 20);
  EXPECT_EQ(Bytes(out, 6), (std::vector<uint8_t>{23, 0, 0x80, 0, 0x08, 0x12}));
  EXPECT_EQ(out[6], 0x00) << "no WCE";
}

TEST(ScsiPagesTest, ModeSenseChangeableValuesAreAllZero) {
  uint8_t out[kMaxResponseBytes];
  const size_t n = BuildModeSense(MakeDisk(100, 512),
                                  DecodeOrDie(testing::ModeSense6Cdb(0x3F, 255, 1, true)), out);
  ASSERT_EQ(n, 4u + 20 + 12);
  EXPECT_EQ(out[4], 0x08);
  EXPECT_EQ(out[5], 0x12);
  for (size_t i = 6; i < 24; ++i)
    EXPECT_EQ(out[i], 0) << i;
  EXPECT_EQ(out[24], 0x0A);
  for (size_t i = 26; i < n; ++i)
    EXPECT_EQ(out[i], 0) << i;
}

TEST(ScsiPagesTest, ModeSense10LongLbaDescriptor) {
  uint8_t out[kMaxResponseBytes];
  const uint64_t blocks = 0x1'0000'0005ull;
  const size_t n = BuildModeSense(MakeDisk(blocks, 4096),
                                  DecodeOrDie(testing::ModeSense10Cdb(0x0A, 255, true)), out);
  ASSERT_EQ(n, 8u + 16 + 12);
  EXPECT_EQ(Bytes(out, 8),
            (std::vector<uint8_t>{0, static_cast<uint8_t>(n - 2), 0, 0, 0x01, 0, 0, 16}));
  EXPECT_EQ(Bytes(out + 8, 16),
            (std::vector<uint8_t>{0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0x10, 0}));
  EXPECT_EQ(out[24], 0x0A);
}

TEST(ScsiPagesTest, ModeSenseShortDescriptorCapsTheBlockCount) {
  uint8_t out[kMaxResponseBytes];
  BuildModeSense(MakeDisk(0x2'0000'0000ull, 512),
                 DecodeOrDie(testing::ModeSense10Cdb(0x08, 255, false)), out);
  EXPECT_EQ(out[7], 8);
  EXPECT_EQ(out[4], 0) << "short descriptor";
  EXPECT_EQ(Bytes(out + 8, 8), (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x02, 0}));
}

TEST(ScsiPagesTest, ReadCapacity) {
  uint8_t out[kMaxResponseBytes];
  EXPECT_EQ(BuildReadCapacity10(MakeDisk(0x1000, 512), out), 8u);
  EXPECT_EQ(Bytes(out, 8), (std::vector<uint8_t>{0, 0, 0x0F, 0xFF, 0, 0, 0x02, 0}));
  BuildReadCapacity10(MakeDisk(0x1'0000'0000ull, 4096), out);  // last LBA 0xFFFFFFFF
  EXPECT_EQ(Bytes(out, 8), (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x10, 0}));
  BuildReadCapacity10(MakeDisk(0xFFFF'FFFFull, 512), out);  // last LBA 0xFFFFFFFE fits
  EXPECT_EQ(Bytes(out, 4), (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFE}));

  DiskDescription disk = MakeDisk(0x1'0000'0000ull, 512);
  disk.geometry.physical_exponent = 3;
  disk.geometry.lowest_aligned_block = 1;
  EXPECT_EQ(BuildReadCapacity16(disk, out), 32u);
  EXPECT_EQ(Bytes(out, 16), (std::vector<uint8_t>{0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x02, 0,
                                                  0, 0x03, 0x00, 0x01}));
  for (size_t i = 16; i < 32; ++i)
    EXPECT_EQ(out[i], 0);
}

TEST(ScsiPagesTest, ReportLuns) {
  uint8_t out[kMaxResponseBytes];
  EXPECT_EQ(BuildReportLuns(DecodeOrDie(testing::ReportLunsCdb(16)), out), 16u);
  EXPECT_EQ(Bytes(out, 16), (std::vector<uint8_t>{0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(BuildReportLuns(DecodeOrDie(testing::ReportLunsCdb(16, 1)), out), 8u)
      << "no well-known logical units";
  EXPECT_EQ(out[3], 0);
}

TEST(SenseTest, FixedFormatLayouts) {
  SenseData sense;
  BuildSense(s::kSenseUnitAttention, s::kAscCapacityDataChanged, &sense);
  EXPECT_EQ(Bytes(sense.bytes, 18), (std::vector<uint8_t>{0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                                          0x2A, 0x09, 0, 0, 0, 0}));
  BuildCdbFieldSense(s::kAscInvalidFieldInCdb, 7, &sense);
  EXPECT_EQ(Bytes(sense.bytes, 18), (std::vector<uint8_t>{0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                                          0x24, 0x00, 0, 0xC0, 0, 7}));
  BuildSenseWithInformation(s::kSenseMediumError, s::kAscUnrecoveredReadError, 0x01020304, &sense);
  EXPECT_EQ(Bytes(sense.bytes, 18), (std::vector<uint8_t>{0xF0, 0, 0x03, 1, 2, 3, 4, 10, 0, 0, 0, 0,
                                                          0x11, 0x00, 0, 0, 0, 0}));
}

}  // namespace
}  // namespace aero::blk
