// The CDB decoder on its own: lengths by group, field extraction for every supported layout, and
// each state-independent rejection with the CDB byte it points at.
#include "aero/blk/cdb.h"

#include <gtest/gtest.h>

#include <vector>

#include "aero/blk/scsi_spec.h"
#include "blk_test_rig.h"

namespace aero::blk {
namespace {

namespace s = scsi;
using testing::Cdb10;
using testing::Cdb12;
using testing::Cdb16;
using testing::Cdb6;

CdbError Decode(const std::vector<uint8_t>& cdb, DecodedCdb* out) {
  return DecodeCdb(cdb.data(), cdb.size(), out);
}

TEST(CdbTest, LengthFollowsTheOperationCodeGroup) {
  EXPECT_EQ(CdbLengthForOpcode(0x00), 6);
  EXPECT_EQ(CdbLengthForOpcode(0x28), 10);
  EXPECT_EQ(CdbLengthForOpcode(0x5A), 10);
  EXPECT_EQ(CdbLengthForOpcode(0x7F), 0);  // group 3: variable length
  EXPECT_EQ(CdbLengthForOpcode(0x88), 16);
  EXPECT_EQ(CdbLengthForOpcode(0xA8), 12);
  EXPECT_EQ(CdbLengthForOpcode(0xC0), 0);  // vendor specific
}

TEST(CdbTest, DecodesReadAndWriteOfEveryLength) {
  DecodedCdb d;
  ASSERT_EQ(Decode(Cdb6(s::kOpRead6, 0x12345, 7), &d), CdbError::kNone);
  EXPECT_EQ(d.command, ScsiCommand::kRead);
  EXPECT_EQ(d.lba, 0x12345u);
  EXPECT_EQ(d.blocks, 7u);
  EXPECT_EQ(d.transfer_length_byte, 4);
  ASSERT_EQ(Decode(Cdb6(s::kOpWrite6, 0x1FFFFF, 0), &d), CdbError::kNone);
  EXPECT_EQ(d.command, ScsiCommand::kWrite);
  EXPECT_EQ(d.lba, 0x1FFFFFu);
  EXPECT_EQ(d.blocks, 256u) << "a 6-byte transfer length of 0 means 256 blocks";

  ASSERT_EQ(Decode(Cdb10(s::kOpRead10, 0xDEADBEEF, 0x1234, 0x08), &d), CdbError::kNone);
  EXPECT_EQ(d.lba, 0xDEADBEEFu);
  EXPECT_EQ(d.blocks, 0x1234u);
  EXPECT_TRUE(d.fua);
  EXPECT_EQ(d.transfer_length_byte, 7);
  ASSERT_EQ(Decode(Cdb10(s::kOpRead10, 1, 0), &d), CdbError::kNone);
  EXPECT_EQ(d.blocks, 0u) << "a 10-byte transfer length of 0 is no transfer";

  ASSERT_EQ(Decode(Cdb12(s::kOpWrite12, 0x01020304, 0x05060708), &d), CdbError::kNone);
  EXPECT_EQ(d.command, ScsiCommand::kWrite);
  EXPECT_EQ(d.lba, 0x01020304u);
  EXPECT_EQ(d.blocks, 0x05060708u);
  EXPECT_EQ(d.transfer_length_byte, 6);
  EXPECT_FALSE(d.fua);

  ASSERT_EQ(Decode(Cdb16(s::kOpRead16, 0x0102030405060708ull, 0x0A0B0C0D), &d), CdbError::kNone);
  EXPECT_EQ(d.lba, 0x0102030405060708ull);
  EXPECT_EQ(d.blocks, 0x0A0B0C0Du);
  EXPECT_EQ(d.length, 16);
  EXPECT_EQ(d.transfer_length_byte, 10);
}

TEST(CdbTest, ProtectionInformationFieldsAreInvalid) {
  DecodedCdb d;
  for (uint8_t op : {s::kOpRead10, s::kOpWrite10, s::kOpVerify10}) {
    EXPECT_EQ(Decode(Cdb10(op, 0, 1, 0x20), &d), CdbError::kInvalidField) << int{op};
    EXPECT_EQ(d.field_byte, 1);
  }
  EXPECT_EQ(Decode(Cdb16(s::kOpWrite16, 0, 1, 0xE0), &d), CdbError::kInvalidField);
  EXPECT_EQ(Decode(Cdb12(s::kOpRead12, 0, 1, 0x40), &d), CdbError::kInvalidField);
}

TEST(CdbTest, VerifyWithByteCheckIsInvalid) {
  DecodedCdb d;
  EXPECT_EQ(Decode(Cdb10(s::kOpVerify10, 0, 1, 0x02), &d), CdbError::kInvalidField);
  EXPECT_EQ(Decode(Cdb16(s::kOpVerify16, 0, 1, 0x04), &d), CdbError::kInvalidField);
  ASSERT_EQ(Decode(Cdb16(s::kOpVerify16, 9, 3, 0x10), &d), CdbError::kNone) << "DPO is fine";
  EXPECT_EQ(d.command, ScsiCommand::kVerify);
  EXPECT_EQ(d.lba, 9u);
  EXPECT_EQ(d.blocks, 3u);
}

TEST(CdbTest, ShortOrMissingCdbsAreTooShort) {
  DecodedCdb d;
  EXPECT_EQ(DecodeCdb(nullptr, 10, &d), CdbError::kTooShort);
  const uint8_t one = s::kOpTestUnitReady;
  EXPECT_EQ(DecodeCdb(&one, 0, &d), CdbError::kTooShort);
  const std::vector<std::vector<uint8_t>> full = {
      Cdb6(s::kOpRead6, 0, 1),       Cdb10(s::kOpRead10, 0, 1),         Cdb12(s::kOpRead12, 0, 1),
      Cdb16(s::kOpRead16, 0, 1),     testing::InquiryCdb(false, 0, 36), testing::ReportLunsCdb(16),
      testing::ReadCapacity16Cdb(32)};
  for (const auto& cdb : full) {
    EXPECT_EQ(DecodeCdb(cdb.data(), cdb.size() - 1, &d), CdbError::kTooShort) << int{cdb[0]};
    EXPECT_EQ(DecodeCdb(cdb.data(), cdb.size(), &d), CdbError::kNone) << int{cdb[0]};
  }
  // Longer buffers than the group length are fine (the SRB may carry 16 bytes).
  std::vector<uint8_t> padded = Cdb6(s::kOpTestUnitReady, 0, 0);
  padded.resize(16, 0xFF);
  EXPECT_EQ(Decode(padded, &d), CdbError::kNone);
}

TEST(CdbTest, UnsupportedOperationCodesAreInvalid) {
  DecodedCdb d;
  for (uint8_t op : {0x04 /*FORMAT UNIT*/, 0x15 /*MODE SELECT(6)*/, 0x4D /*LOG SENSE*/,
                     0x42 /*UNMAP*/, 0x85 /*ATA PASS-THROUGH*/, 0x7F, 0xC0, 0xFF}) {
    std::vector<uint8_t> cdb(16, 0);
    cdb[0] = op;
    EXPECT_EQ(Decode(cdb, &d), CdbError::kInvalidOpcode) << int{op};
    EXPECT_EQ(DecodeCdb(cdb.data(), 1, &d), CdbError::kInvalidOpcode) << int{op};
  }
}

TEST(CdbTest, NacaInTheControlByteIsInvalid) {
  DecodedCdb d;
  std::vector<uint8_t> cdb = Cdb10(s::kOpRead10, 0, 1);
  cdb[9] = s::kControlNaca;
  EXPECT_EQ(Decode(cdb, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 9);
  cdb = Cdb6(s::kOpTestUnitReady, 0, 0);
  cdb[5] = s::kControlNaca;
  EXPECT_EQ(Decode(cdb, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 5);
}

TEST(CdbTest, InquiryFields) {
  DecodedCdb d;
  ASSERT_EQ(Decode(testing::InquiryCdb(true, 0x83, 0x1234), &d), CdbError::kNone);
  EXPECT_TRUE(d.evpd);
  EXPECT_EQ(d.page_code, 0x83);
  EXPECT_EQ(d.allocation_length, 0x1234u);
  EXPECT_EQ(Decode(testing::InquiryCdb(false, 0x80, 36), &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 2) << "a page code without EVPD";
  std::vector<uint8_t> cmddt = testing::InquiryCdb(false, 0, 36);
  cmddt[1] = 0x02;
  EXPECT_EQ(Decode(cmddt, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 1);
}

TEST(CdbTest, ModeSenseFields) {
  DecodedCdb d;
  ASSERT_EQ(Decode(testing::ModeSense6Cdb(0x3F, 0xC0, 1, true), &d), CdbError::kNone);
  EXPECT_EQ(d.page_code, 0x3F);
  EXPECT_EQ(d.page_control, 1);
  EXPECT_TRUE(d.dbd);
  EXPECT_FALSE(d.ten_byte_mode);
  EXPECT_EQ(d.allocation_length, 0xC0u);
  ASSERT_EQ(Decode(testing::ModeSense10Cdb(0x08, 0x1000, true), &d), CdbError::kNone);
  EXPECT_TRUE(d.ten_byte_mode);
  EXPECT_TRUE(d.llbaa);
  EXPECT_EQ(d.allocation_length, 0x1000u);
  EXPECT_EQ(Decode(testing::ModeSense6Cdb(0x1C, 0xFF), &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 2) << "informational exceptions page is not supported";
  std::vector<uint8_t> subpage = testing::ModeSense6Cdb(0x08, 0xFF);
  subpage[3] = 0x01;
  EXPECT_EQ(Decode(subpage, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 3);
  subpage[3] = 0xFF;
  EXPECT_EQ(Decode(subpage, &d), CdbError::kNone) << "all subpages of page 8";
}

TEST(CdbTest, ReadCapacityLbaNeedsPmi) {
  DecodedCdb d;
  std::vector<uint8_t> rc10(10, 0);
  rc10[0] = s::kOpReadCapacity10;
  EXPECT_EQ(Decode(rc10, &d), CdbError::kNone);
  rc10[5] = 1;
  EXPECT_EQ(Decode(rc10, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 2);
  rc10[8] = 1;  // PMI
  EXPECT_EQ(Decode(rc10, &d), CdbError::kNone);

  std::vector<uint8_t> rc16 = testing::ReadCapacity16Cdb(32);
  ASSERT_EQ(Decode(rc16, &d), CdbError::kNone);
  EXPECT_EQ(d.command, ScsiCommand::kReadCapacity16);
  EXPECT_EQ(d.allocation_length, 32u);
  rc16[9] = 1;
  EXPECT_EQ(Decode(rc16, &d), CdbError::kInvalidField);
  rc16[9] = 0;
  rc16[1] = 0x12;  // GET LBA STATUS: another service action of 9Eh
  EXPECT_EQ(Decode(rc16, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 1);
}

TEST(CdbTest, ReportLunsAllocationAndSelectReport) {
  DecodedCdb d;
  ASSERT_EQ(Decode(testing::ReportLunsCdb(16, 2), &d), CdbError::kNone);
  EXPECT_EQ(d.select_report, 2);
  EXPECT_EQ(Decode(testing::ReportLunsCdb(15), &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 6);
  EXPECT_EQ(Decode(testing::ReportLunsCdb(64, 3), &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 2);
}

TEST(CdbTest, RequestSenseDescriptorFormatAndStartStopEjectAreInvalid) {
  DecodedCdb d;
  std::vector<uint8_t> sense = Cdb6(s::kOpRequestSense, 0, 18);
  ASSERT_EQ(Decode(sense, &d), CdbError::kNone);
  EXPECT_EQ(d.allocation_length, 18u);
  sense[1] = 1;
  EXPECT_EQ(Decode(sense, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 1);

  std::vector<uint8_t> start = Cdb6(s::kOpStartStopUnit, 0, 0x01);
  EXPECT_EQ(Decode(start, &d), CdbError::kNone);
  start[4] = 0x02;  // LOEJ
  EXPECT_EQ(Decode(start, &d), CdbError::kInvalidField);
  EXPECT_EQ(d.field_byte, 4);
}

TEST(CdbTest, SynchronizeCacheRanges) {
  DecodedCdb d;
  ASSERT_EQ(Decode(Cdb10(s::kOpSynchronizeCache10, 100, 0, 0x02), &d), CdbError::kNone);
  EXPECT_EQ(d.command, ScsiCommand::kSynchronizeCache);
  EXPECT_EQ(d.lba, 100u);
  EXPECT_EQ(d.blocks, 0u);
  ASSERT_EQ(Decode(Cdb16(s::kOpSynchronizeCache16, 1ull << 40, 5), &d), CdbError::kNone);
  EXPECT_EQ(d.lba, 1ull << 40);
  EXPECT_EQ(d.blocks, 5u);
}

}  // namespace
}  // namespace aero::blk
