// READ/WRITE/VERIFY/SYNCHRONIZE CACHE through the whole stack: data integrity, LBA arithmetic
// for 512-byte and 4Kn disks, range and length checks, device error mapping, FUA, descriptor
// layouts, back-pressure and resize.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "aero/blk/blk_spec.h"
#include "aero/blk/scsi_disk.h"
#include "aero/blk/scsi_spec.h"
#include "aero/virtio/features.h"
#include "blk_test_rig.h"

namespace aero::blk::testing {
namespace {

namespace s = scsi;

void Fill(IoBuffer* buffer, uint8_t seed) {
  for (size_t i = 0; i < buffer->dma.size; ++i) {
    buffer->bytes()[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 9));
  }
}

void ExpectSense(const ScsiCompletion& c, uint8_t key, s::Asc asc) {
  ASSERT_EQ(c.status, HostStatus::kCheckCondition);
  EXPECT_EQ(c.sense.bytes[2], key);
  EXPECT_EQ(c.sense.bytes[12], asc.code);
  EXPECT_EQ(c.sense.bytes[13], asc.qualifier);
}

TEST(ScsiIoTest, WriteThenReadEveryCdbLength) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* out = rig.NewBuffer(4 * 512);
  IoBuffer* in = rig.NewBuffer(4 * 512);
  struct Pair {
    std::vector<uint8_t> write;
    std::vector<uint8_t> read;
    uint64_t lba;
  };
  const std::vector<Pair> pairs = {
      {Cdb6(s::kOpWrite6, 10, 4), Cdb6(s::kOpRead6, 10, 4), 10},
      {Cdb10(s::kOpWrite10, 100, 4), Cdb10(s::kOpRead10, 100, 4), 100},
      {Cdb12(s::kOpWrite12, 1000, 4), Cdb12(s::kOpRead12, 1000, 4), 1000},
      {Cdb16(s::kOpWrite16, 2044, 4), Cdb16(s::kOpRead16, 2044, 4), 2044},
  };
  uint8_t seed = 1;
  for (const Pair& pair : pairs) {
    Fill(out, seed++);
    ScsiCompletion c = rig.RunIo(pair.write, out);
    ASSERT_EQ(c.status, HostStatus::kSuccess) << int{pair.write[0]};
    EXPECT_EQ(c.transferred, 2048u);
    EXPECT_EQ(std::memcmp(rig.blk.disk().data() + pair.lba * 512, out->bytes(), 2048), 0);
    std::memset(in->bytes(), 0, 2048);
    c = rig.RunIo(pair.read, in);
    ASSERT_EQ(c.status, HostStatus::kSuccess) << int{pair.read[0]};
    EXPECT_EQ(c.transferred, 2048u);
    EXPECT_EQ(std::memcmp(in->bytes(), out->bytes(), 2048), 0);
  }
  EXPECT_TRUE(rig.blk.protocol_errors().empty());
  EXPECT_EQ(rig.blk.device().counters().driver_errors, 0u);
}

TEST(ScsiIoTest, FourKnLbasAreLogicalBlocks) {
  RigOptions options;
  options.device.block_size = 4096;
  options.device.capacity_sectors = 8 * 64;  // 64 blocks of 4 KiB
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_EQ(rig.disk.engine().geometry().block_count, 64u);
  IoBuffer* out = rig.NewBuffer(2 * 4096);
  Fill(out, 9);
  ASSERT_EQ(rig.RunIo(Cdb16(s::kOpWrite16, 62, 2), out).status, HostStatus::kSuccess);
  const BlkRequestRecord& record = rig.blk.log().back();
  EXPECT_EQ(record.type, spec::kTypeOut);
  EXPECT_EQ(record.sector, 62u * 8) << "virtio sectors are 512 bytes";
  EXPECT_EQ(record.data_bytes, 8192u);
  EXPECT_EQ(std::memcmp(rig.blk.disk().data() + 62 * 4096, out->bytes(), 8192), 0);
  IoBuffer* in = rig.NewBuffer(4096);
  ASSERT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 63, 1), in).status, HostStatus::kSuccess);
  EXPECT_EQ(std::memcmp(in->bytes(), out->bytes() + 4096, 4096), 0);
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 63, 2), out), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 64, 1), in), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  EXPECT_TRUE(rig.blk.protocol_errors().empty());
}

TEST(ScsiIoTest, RangeChecksNeverReachTheDevice) {
  BlkRig rig;  // 2048 blocks
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(8 * 512);
  const size_t before = rig.blk.log().size();
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 2048, 1), buffer), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  ExpectSense(rig.RunIo(Cdb10(s::kOpWrite10, 2041, 8), buffer), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  ExpectSense(rig.RunIo(Cdb16(s::kOpRead16, ~uint64_t{0} - 2, 8), buffer), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  ExpectSense(rig.RunIo(Cdb16(s::kOpRead16, 0, 0xFFFFFFFF), buffer), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 4096, 0), buffer), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 2040, 8), buffer).status, HostStatus::kSuccess)
      << "the last 8 blocks";
  const ScsiCompletion zero = rig.RunIo(Cdb10(s::kOpWrite10, 5, 0), buffer);
  EXPECT_EQ(zero.status, HostStatus::kSuccess);
  EXPECT_EQ(zero.transferred, 0u);
  EXPECT_EQ(rig.blk.log().size(), before + 1);
}

TEST(ScsiIoTest, TransferLongerThanTheMaximumIsAnInvalidField) {
  RigOptions options;
  options.max_transfer_bytes = 64 * 1024;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_EQ(rig.disk.limits().max_transfer_bytes, 64u * 1024);
  IoBuffer* buffer = rig.NewBuffer(129 * 512);
  ScsiCompletion c = rig.RunIo(Cdb10(s::kOpRead10, 0, 129), buffer);
  ExpectSense(c, s::kSenseIllegalRequest, s::kAscInvalidFieldInCdb);
  EXPECT_EQ(c.sense.bytes[15], 0xC0);
  EXPECT_EQ(c.sense.bytes[17], 7) << "field pointer at TRANSFER LENGTH";
  c = rig.RunIo(Cdb16(s::kOpWrite16, 0, 129), buffer);
  EXPECT_EQ(c.sense.bytes[17], 10);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 128), buffer).status, HostStatus::kSuccess);
}

TEST(ScsiIoTest, ShortOrMissingDataBufferIsInvalidRequest) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* small = rig.NewBuffer(512);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 2), small).status, HostStatus::kInvalidRequest);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 1), nullptr).status, HostStatus::kInvalidRequest);
  // Segments shorter than the declared length.
  IoBuffer* lying = rig.NewBuffer(1024);
  lying->segments.resize(1);
  lying->segments[0].length = 512;
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 2), lying).status, HostStatus::kInvalidRequest);
  EXPECT_EQ(rig.disk.engine().in_flight(), 0);
}

TEST(ScsiIoTest, DeviceErrorsMapToSense) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(8 * 512);
  rig.blk.FailSectors(100, 1, spec::kStatusIoError);
  ScsiCompletion c = rig.RunIo(Cdb10(s::kOpRead10, 96, 8), buffer);
  ExpectSense(c, s::kSenseMediumError, s::kAscUnrecoveredReadError);
  EXPECT_EQ(c.sense.bytes[0], 0xF0) << "INFORMATION valid";
  EXPECT_EQ(c.sense.bytes[6], 96) << "the first LBA of the failed transfer";
  c = rig.RunIo(Cdb10(s::kOpWrite10, 100, 1), buffer);
  ExpectSense(c, s::kSenseMediumError, s::kAscWriteError);
  rig.blk.FailSectors(0, 0, 0);

  rig.blk.FailNext(spec::kTypeIn, spec::kStatusUnsupported);
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 0, 1), buffer), s::kSenseIllegalRequest,
              s::kAscInvalidCommandOperationCode);
  rig.blk.CorruptNextStatus(7);
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 0, 1), buffer), s::kSenseHardwareError,
              s::kAscInternalTargetFailure);
  rig.blk.ShortenNextWritten();
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 0, 1), buffer), s::kSenseHardwareError,
              s::kAscInternalTargetFailure);
  EXPECT_EQ(rig.disk.engine().counters().bad_responses, 2u);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 1), buffer).status, HostStatus::kSuccess)
      << "a bad response fails one request, not the device";
  EXPECT_EQ(rig.disk.engine().counters().recoveries, 0u);
}

TEST(ScsiIoTest, FourKnMediumErrorReportsTheLogicalBlock) {
  RigOptions options;
  options.device.block_size = 4096;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(4096);
  rig.blk.FailSectors(8 * 5, 8, spec::kStatusIoError);
  const ScsiCompletion c = rig.RunIo(Cdb10(s::kOpRead10, 5, 1), buffer);
  ExpectSense(c, s::kSenseMediumError, s::kAscUnrecoveredReadError);
  EXPECT_EQ(c.sense.bytes[6], 5);
}

TEST(ScsiIoTest, SynchronizeCacheFlushes) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  ScsiCompletion c = rig.RunIo(Cdb10(s::kOpSynchronizeCache10, 0, 0), nullptr);
  EXPECT_EQ(c.status, HostStatus::kSuccess);
  EXPECT_EQ(rig.blk.served(spec::kTypeFlush), 1u);
  EXPECT_EQ(rig.RunIo(Cdb16(s::kOpSynchronizeCache16, 10, 20), nullptr).status,
            HostStatus::kSuccess);
  EXPECT_EQ(rig.blk.served(spec::kTypeFlush), 2u);
  ExpectSense(rig.RunIo(Cdb10(s::kOpSynchronizeCache10, 2040, 9), nullptr), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  rig.blk.FailNext(spec::kTypeFlush, spec::kStatusIoError);
  c = rig.RunIo(Cdb10(s::kOpSynchronizeCache10, 0, 0), nullptr);
  ExpectSense(c, s::kSenseMediumError, s::kAscWriteError);
  EXPECT_EQ(c.sense.bytes[0], 0x70) << "no INFORMATION for a flush";
}

TEST(ScsiIoTest, SynchronizeCacheWithoutWriteCacheNeedsNoDevice) {
  RigOptions options;
  options.device.features = FakeBlkDevice::DefaultFeatures() & ~spec::kFeatureFlush;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_FALSE(rig.disk.engine().has_flush());
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpSynchronizeCache10, 0, 0), nullptr).status, HostStatus::kSuccess);
  EXPECT_EQ(rig.blk.served(spec::kTypeFlush), 0u);
}

TEST(ScsiIoTest, ForceUnitAccessWriteIsFollowedByAFlush) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  rig.blk.ClearLog();
  ASSERT_EQ(rig.RunIo(Cdb10(s::kOpWrite10, 3, 1, 0x08), buffer).status, HostStatus::kSuccess);
  ASSERT_EQ(rig.blk.log().size(), 2u);
  EXPECT_EQ(rig.blk.log()[0].type, spec::kTypeOut);
  EXPECT_EQ(rig.blk.log()[1].type, spec::kTypeFlush);
  EXPECT_EQ(rig.log.total(), 1u) << "one completion for the SRB";

  rig.blk.FailNext(spec::kTypeFlush, spec::kStatusIoError);
  ExpectSense(rig.RunIo(Cdb16(s::kOpWrite16, 3, 1, 0x08), buffer), s::kSenseMediumError,
              s::kAscWriteError);
  rig.blk.ClearLog();
  ASSERT_EQ(rig.RunIo(Cdb10(s::kOpWrite10, 3, 1, 0x00), buffer).status, HostStatus::kSuccess);
  EXPECT_EQ(rig.blk.log().size(), 1u) << "no flush without FUA";
}

TEST(ScsiIoTest, VerifyChecksTheRangeOnly) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  const size_t before = rig.blk.log().size();
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpVerify10, 0, 2048), nullptr).status, HostStatus::kSuccess);
  EXPECT_EQ(rig.RunIo(Cdb16(s::kOpVerify16, 2047, 0), nullptr).status, HostStatus::kSuccess);
  ExpectSense(rig.RunIo(Cdb16(s::kOpVerify16, 2047, 2), nullptr), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  EXPECT_EQ(rig.blk.log().size(), before);
}

TEST(ScsiIoTest, IndirectTablesWhenNegotiatedDirectChainsOtherwise) {
  for (bool indirect : {true, false}) {
    RigOptions options;
    if (!indirect) {
      options.refused_features = virtio::kFeatureIndirectDesc;
    }
    BlkRig rig(options);
    ASSERT_EQ(rig.Init(), Status::kOk);
    IoBuffer* buffer = rig.NewBuffer(16 * 1024);  // four 4 KiB segments
    Fill(buffer, 3);
    ASSERT_EQ(rig.RunIo(Cdb10(s::kOpWrite10, 0, 32), buffer).status, HostStatus::kSuccess);
    const BlkRequestRecord& record = rig.blk.log().back();
    EXPECT_EQ(record.indirect, indirect);
    EXPECT_EQ(record.data_descriptors, 4u);
    EXPECT_EQ(std::memcmp(rig.blk.disk().data(), buffer->bytes(), 16 * 1024), 0);
  }
}

TEST(ScsiIoTest, SizeMaxSplitsLargeSegments) {
  RigOptions options;
  options.device.features = FakeBlkDevice::DefaultFeatures() | spec::kFeatureSizeMax;
  options.device.size_max = 2048;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(8192, 8192);  // one physically contiguous 8 KiB segment
  Fill(buffer, 5);
  ASSERT_EQ(rig.RunIo(Cdb10(s::kOpWrite10, 8, 16), buffer).status, HostStatus::kSuccess);
  EXPECT_EQ(rig.blk.log().back().data_descriptors, 4u);
  EXPECT_EQ(std::memcmp(rig.blk.disk().data() + 8 * 512, buffer->bytes(), 8192), 0);
  EXPECT_TRUE(rig.blk.protocol_errors().empty());
}

TEST(ScsiIoTest, TooManySegmentsIsInvalidRequest) {
  RigOptions options;
  options.device.seg_max = 4;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(8 * 512, 512);  // 8 segments
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 8), buffer).status, HostStatus::kInvalidRequest);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 4), buffer).status, HostStatus::kSuccess);
  EXPECT_EQ(rig.disk.engine().in_flight(), 0);
}

TEST(ScsiIoTest, OutOfSlotsIsBusyUntilCompletionsArrive) {
  RigOptions options;
  options.max_requests = 4;
  options.device.auto_service = false;
  options.fetch_serial = false;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  int cookies[6];
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(rig.SubmitIo(Cdb10(s::kOpRead10, i, 1), buffer, &cookies[i]).status,
              HostStatus::kPending);
  }
  ScsiCompletion busy = rig.SubmitIo(Cdb10(s::kOpRead10, 4, 1), buffer, &cookies[4]);
  EXPECT_EQ(busy.status, HostStatus::kBusy);
  EXPECT_EQ(busy.scsi_status, s::kStatusBusy);
  EXPECT_EQ(busy.cookie, &cookies[4]);
  EXPECT_FALSE(rig.disk.TakeResumeHint());
  EXPECT_EQ(rig.disk.engine().counters().busy, 1u);
  rig.blk.Service();
  EXPECT_EQ(rig.Interrupt(), 4u);
  EXPECT_TRUE(rig.disk.TakeResumeHint());
  EXPECT_FALSE(rig.disk.TakeResumeHint()) << "once";
  EXPECT_EQ(rig.SubmitIo(Cdb10(s::kOpRead10, 4, 1), buffer, &cookies[5]).status,
            HostStatus::kPending);
  rig.blk.Service();
  rig.Interrupt();
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(
      {&cookies[0], &cookies[1], &cookies[2], &cookies[3], &cookies[5]}, &why))
      << why;
}

TEST(ScsiIoTest, FullRingIsBusyWithoutIndirectDescriptors) {
  RigOptions options;
  options.queue_size = 8;
  options.refused_features = virtio::kFeatureIndirectDesc;
  options.device.auto_service = false;
  options.fetch_serial = false;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_EQ(rig.disk.limits().queue_depth, 2) << "8 descriptors, 3 per small request";
  IoBuffer* buffer = rig.NewBuffer(512);
  int cookies[3];
  EXPECT_EQ(rig.SubmitIo(Cdb10(s::kOpRead10, 0, 1), buffer, &cookies[0]).status,
            HostStatus::kPending);
  EXPECT_EQ(rig.SubmitIo(Cdb10(s::kOpRead10, 1, 1), buffer, &cookies[1]).status,
            HostStatus::kPending);
  EXPECT_EQ(rig.SubmitIo(Cdb10(s::kOpRead10, 2, 1), buffer, &cookies[2]).status, HostStatus::kBusy)
      << "two descriptors left";
  rig.blk.Service();
  EXPECT_EQ(rig.Interrupt(), 2u);
  EXPECT_TRUE(rig.disk.TakeResumeHint());
}

TEST(ScsiIoTest, ResizeRaisesOneUnitAttention) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  rig.blk.Resize(4096);
  EXPECT_EQ(rig.Interrupt(), 0u);
  EXPECT_EQ(rig.disk.engine().geometry().block_count, 4096u);
  EXPECT_TRUE(rig.disk.unit_attention_pending());
  std::vector<uint8_t> data;
  EXPECT_EQ(rig.Command(InquiryCdb(false, 0, 36)).status, HostStatus::kSuccess)
      << "INQUIRY does not report the unit attention";
  EXPECT_EQ(rig.Command(ReportLunsCdb(16)).status, HostStatus::kSuccess);
  const ScsiCompletion ua = rig.Command(Cdb6(s::kOpTestUnitReady, 0, 0));
  ExpectSense(ua, s::kSenseUnitAttention, s::kAscCapacityDataChanged);
  EXPECT_EQ(rig.Command(Cdb6(s::kOpTestUnitReady, 0, 0)).status, HostStatus::kSuccess);
  ASSERT_EQ(rig.Command(ReadCapacity16Cdb(32), &data).status, HostStatus::kSuccess);
  EXPECT_EQ((data[6] << 8) | data[7], 4095);
  IoBuffer* buffer = rig.NewBuffer(512);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpWrite10, 4000, 1), buffer).status, HostStatus::kSuccess);

  // Shrink: REQUEST SENSE reports (and clears) the unit attention; old LBAs are out of range.
  rig.blk.Resize(1024);
  rig.Interrupt();
  ASSERT_EQ(rig.Command(Cdb6(s::kOpRequestSense, 0, 18), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data[2], s::kSenseUnitAttention);
  EXPECT_EQ(data[12], 0x2A);
  EXPECT_EQ(data[13], 0x09);
  EXPECT_FALSE(rig.disk.unit_attention_pending());
  ExpectSense(rig.RunIo(Cdb10(s::kOpRead10, 1024, 1), buffer), s::kSenseIllegalRequest,
              s::kAscLbaOutOfRange);
  EXPECT_EQ(rig.disk.engine().counters().config_changes, 2u);
}

TEST(ScsiIoTest, ConfigInterruptWithoutChangeRaisesNothing) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  rig.blk.device().ChangeConfig(0x30, 1);  // an unrelated byte
  rig.Interrupt();
  EXPECT_FALSE(rig.disk.unit_attention_pending());
  EXPECT_EQ(rig.Command(Cdb6(s::kOpTestUnitReady, 0, 0)).status, HostStatus::kSuccess);
}

}  // namespace
}  // namespace aero::blk::testing
