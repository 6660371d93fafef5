// The SCSI disk through the whole stack (fake device, lib/virtio, engine): the commands that
// complete without a device request, sense data, allocation-length truncation and addressing.
#include "aero/blk/scsi_disk.h"

#include <gtest/gtest.h>

#include <vector>

#include "aero/blk/blk_spec.h"
#include "aero/blk/scsi_spec.h"
#include "blk_test_rig.h"

namespace aero::blk::testing {
namespace {

namespace s = scsi;

std::vector<uint8_t> SenseBytes(const ScsiCompletion& c) {
  return std::vector<uint8_t>(c.sense.bytes, c.sense.bytes + c.sense_length);
}

void ExpectCheck(const ScsiCompletion& c, uint8_t key, s::Asc asc) {
  ASSERT_EQ(c.status, HostStatus::kCheckCondition);
  EXPECT_EQ(c.scsi_status, s::kStatusCheckCondition);
  ASSERT_EQ(c.sense_length, 18);
  EXPECT_EQ(c.sense.bytes[0] & 0x7F, 0x70);
  EXPECT_EQ(c.sense.bytes[2], key);
  EXPECT_EQ(c.sense.bytes[7], 10);
  EXPECT_EQ(c.sense.bytes[12], asc.code);
  EXPECT_EQ(c.sense.bytes[13], asc.qualifier);
  EXPECT_EQ(c.transferred, 0u);
}

TEST(ScsiDiskTest, InitializeReadsGeometryAndLimits) {
  RigOptions options;
  options.device.capacity_sectors = 4096;
  options.device.seg_max = 17;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  const RequestEngine& engine = rig.disk.engine();
  EXPECT_EQ(engine.state(), EngineState::kRunning);
  EXPECT_EQ(engine.geometry().capacity_sectors, 4096u);
  EXPECT_EQ(engine.geometry().block_count, 4096u);
  EXPECT_EQ(engine.geometry().block_size, 512u);
  EXPECT_EQ(rig.disk.limits().max_segments, 17);
  EXPECT_EQ(rig.disk.limits().max_transfer_bytes, 16u * 4096);
  EXPECT_EQ(rig.disk.limits().queue_depth, 32);
  EXPECT_STREQ(engine.serial(), "AERO-BLK-0001");
  EXPECT_TRUE(rig.blk.protocol_errors().empty());
  EXPECT_EQ(rig.blk.device().counters().driver_errors, 0u);
}

TEST(ScsiDiskTest, StandardInquiryIsTruncatedToAllocationAndBuffer) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  std::vector<uint8_t> data;
  ScsiCompletion c = rig.Command(InquiryCdb(false, 0, 255), &data);
  ASSERT_EQ(c.status, HostStatus::kSuccess);
  EXPECT_EQ(c.scsi_status, s::kStatusGood);
  EXPECT_EQ(c.transferred, 36u);
  EXPECT_EQ(std::string(data.begin() + 8, data.begin() + 24), "Aero    Virtio B");

  c = rig.Command(InquiryCdb(false, 0, 5), &data);
  ASSERT_EQ(c.status, HostStatus::kSuccess);
  EXPECT_EQ(c.transferred, 5u) << "allocation length";
  EXPECT_EQ(data, (std::vector<uint8_t>{0, 0, 5, 2, 31}));

  c = rig.Command(InquiryCdb(false, 0, 255), &data, 10);
  EXPECT_EQ(c.transferred, 10u) << "the initiator's buffer";
  c = rig.Command(InquiryCdb(false, 0, 0), &data);
  ASSERT_EQ(c.status, HostStatus::kSuccess);
  EXPECT_EQ(c.transferred, 0u);
}

TEST(ScsiDiskTest, CustomIdentityStrings) {
  BlkRig rig;
  DiskConfig config = rig.MakeConfig();
  config.vendor = "ACME";
  config.product = "Disk";
  config.revision = "9";
  ASSERT_EQ(rig.disk.Initialize(config), Status::kOk);
  std::vector<uint8_t> data;
  rig.Command(InquiryCdb(false, 0, 36), &data);
  EXPECT_EQ(std::string(data.begin() + 8, data.end()), "ACME    Disk            9   ");
  rig.disk.Shutdown(nullptr, nullptr);
}

TEST(ScsiDiskTest, SerialComesFromGetId) {
  RigOptions options;
  options.device.serial = "  QM00042\x01X";  // padding trimmed, control bytes replaced
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  std::vector<uint8_t> data;
  ASSERT_EQ(rig.Command(InquiryCdb(true, 0x80, 255), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(std::string(data.begin() + 4, data.end()), "QM00042_X");
  EXPECT_EQ(rig.blk.served(spec::kTypeGetId), 1u);
}

TEST(ScsiDiskTest, WithoutGetIdThereIsNoSerialPage) {
  RigOptions options;
  options.device.get_id_supported = false;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_EQ(rig.disk.engine().serial_length(), 0u);
  std::vector<uint8_t> data;
  ASSERT_EQ(rig.Command(InquiryCdb(true, 0x00, 255), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data, (std::vector<uint8_t>{0, 0, 0, 4, 0x00, 0x83, 0xB0, 0xB1}));
  const ScsiCompletion c = rig.Command(InquiryCdb(true, 0x80, 255), &data);
  ExpectCheck(c, s::kSenseIllegalRequest, s::kAscInvalidFieldInCdb);
  EXPECT_EQ(SenseBytes(c),
            (std::vector<uint8_t>{0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0, 0xC0, 0, 2}));
}

TEST(ScsiDiskTest, BlockLimitsComeFromSegMaxAndSizeMax) {
  RigOptions options;
  options.device.features = FakeBlkDevice::DefaultFeatures() | spec::kFeatureSizeMax;
  options.device.seg_max = 32;
  options.device.size_max = 8192;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  // D = 32 descriptors; E = 16 elements; T = min(15 pages, (32 - 16) * 8 KiB) = 60 KiB.
  EXPECT_EQ(rig.disk.limits().max_segments, 16);
  EXPECT_EQ(rig.disk.limits().max_transfer_bytes, 15u * 4096);
  std::vector<uint8_t> data;
  ASSERT_EQ(rig.Command(InquiryCdb(true, 0xB0, 255), &data).status, HostStatus::kSuccess);
  ASSERT_EQ(data.size(), 64u);
  EXPECT_EQ((data[8] << 24) | (data[9] << 16) | (data[10] << 8) | data[11], 15 * 8);
}

TEST(ScsiDiskTest, ReadCapacityFor512AndFor4Kn) {
  for (uint32_t block : {512u, 4096u}) {
    RigOptions options;
    options.device.block_size = block;
    options.device.capacity_sectors = 8192;  // 4 MiB
    options.device.features = FakeBlkDevice::DefaultFeatures() | spec::kFeatureTopology;
    options.device.physical_block_exp = block == 512 ? 3 : 0;
    BlkRig rig(options);
    ASSERT_EQ(rig.Init(), Status::kOk);
    const uint32_t blocks = 8192 / (block / 512);
    std::vector<uint8_t> data;
    std::vector<uint8_t> rc10(10, 0);
    rc10[0] = s::kOpReadCapacity10;
    ASSERT_EQ(rig.Command(rc10, &data).status, HostStatus::kSuccess);
    ASSERT_EQ(data.size(), 8u);
    EXPECT_EQ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3],
              static_cast<int>(blocks - 1));
    EXPECT_EQ((data[4] << 24) | (data[5] << 16) | (data[6] << 8) | data[7],
              static_cast<int>(block));
    ASSERT_EQ(rig.Command(ReadCapacity16Cdb(32), &data).status, HostStatus::kSuccess);
    ASSERT_EQ(data.size(), 32u);
    EXPECT_EQ(data[7], static_cast<uint8_t>(blocks - 1));
    EXPECT_EQ(data[6], static_cast<uint8_t>((blocks - 1) >> 8));
    EXPECT_EQ(data[13], block == 512 ? 3 : 0) << "logical blocks per physical block exponent";
    ASSERT_EQ(rig.Command(ReadCapacity16Cdb(12), &data).status, HostStatus::kSuccess);
    EXPECT_EQ(data.size(), 12u);
  }
}

TEST(ScsiDiskTest, ModeSenseCachingPageFollowsFlush) {
  for (bool flush : {true, false}) {
    RigOptions options;
    if (!flush) {
      options.device.features = FakeBlkDevice::DefaultFeatures() & ~spec::kFeatureFlush;
    }
    BlkRig rig(options);
    ASSERT_EQ(rig.Init(), Status::kOk);
    std::vector<uint8_t> data;
    ASSERT_EQ(rig.Command(ModeSense6Cdb(0x08, 255, 0, true), &data).status, HostStatus::kSuccess);
    ASSERT_EQ(data.size(), 24u);
    EXPECT_EQ(data[4], 0x08);
    EXPECT_EQ(data[6] & 0x04, flush ? 0x04 : 0x00);
    EXPECT_EQ(data[2], 0x00) << "not write protected";
  }
}

TEST(ScsiDiskTest, ModeSenseReturnAllPagesAndTruncation) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  std::vector<uint8_t> data;
  ASSERT_EQ(rig.Command(ModeSense6Cdb(0x3F, 255), &data).status, HostStatus::kSuccess);
  ASSERT_EQ(data.size(), 44u);
  EXPECT_EQ(data[0], 43);
  EXPECT_EQ(data[3], 8);
  EXPECT_EQ(data[12], 0x08);
  EXPECT_EQ(data[32], 0x0A);
  ASSERT_EQ(rig.Command(ModeSense6Cdb(0x3F, 4), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data, (std::vector<uint8_t>{43, 0, 0, 8})) << "header only, length untruncated";
  ASSERT_EQ(rig.Command(ModeSense10Cdb(0x3F, 0x200, false), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data.size(), 48u);
  EXPECT_EQ(data[1], 46);
}

TEST(ScsiDiskTest, ModeSenseSavedValuesAreNotSupported) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  const ScsiCompletion c = rig.Command(ModeSense6Cdb(0x08, 255, 3));
  ExpectCheck(c, s::kSenseIllegalRequest, s::kAscSavingParametersNotSupported);
  ExpectCheck(rig.Command(ModeSense6Cdb(0x19, 255)), s::kSenseIllegalRequest,
              s::kAscInvalidFieldInCdb);
}

TEST(ScsiDiskTest, UnknownOperationCodeSense) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  const ScsiCompletion c = rig.Command({0x15, 0x10, 0, 0, 0x18, 0});  // MODE SELECT(6)
  ExpectCheck(c, s::kSenseIllegalRequest, s::kAscInvalidCommandOperationCode);
  EXPECT_EQ(SenseBytes(c),
            (std::vector<uint8_t>{0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0}));
}

TEST(ScsiDiskTest, SimpleCommandsSucceed) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  for (const auto& cdb :
       {Cdb6(s::kOpTestUnitReady, 0, 0), Cdb6(s::kOpStartStopUnit, 0, 0x01),
        Cdb6(s::kOpStartStopUnit, 0, 0x00), Cdb6(s::kOpStartStopUnit, 0, 0x30),
        Cdb6(s::kOpPreventAllowMediumRemoval, 0, 1), Cdb6(s::kOpPreventAllowMediumRemoval, 0, 0)}) {
    const ScsiCompletion c = rig.Command(cdb);
    EXPECT_EQ(c.status, HostStatus::kSuccess) << int{cdb[0]};
    EXPECT_EQ(c.transferred, 0u);
  }
  EXPECT_TRUE(rig.blk.log().size() == 1) << "only the start-up GET_ID reached the device";
}

TEST(ScsiDiskTest, RequestSenseWithoutPendingSenseIsNoSense) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  std::vector<uint8_t> data;
  ASSERT_EQ(rig.Command(Cdb6(s::kOpRequestSense, 0, 252), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data, (std::vector<uint8_t>{0x70, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  ASSERT_EQ(rig.Command(Cdb6(s::kOpRequestSense, 0, 8), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data.size(), 8u);
}

TEST(ScsiDiskTest, ReportLuns) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  std::vector<uint8_t> data;
  ASSERT_EQ(rig.Command(ReportLunsCdb(256), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data, (std::vector<uint8_t>{0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  ExpectCheck(rig.Command(ReportLunsCdb(8)), s::kSenseIllegalRequest, s::kAscInvalidFieldInCdb);
}

TEST(ScsiDiskTest, AddressingAndMalformedRequests) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  std::vector<uint8_t> cdb = InquiryCdb(false, 0, 36);
  std::vector<uint8_t> buffer(36);
  ScsiRequest request{};
  request.cdb = cdb.data();
  request.cdb_length = 6;
  request.data.host = buffer.data();
  request.data.length = 36;
  request.lun = 1;
  EXPECT_EQ(rig.disk.Submit(request).status, HostStatus::kInvalidLun);
  request.lun = 0;
  request.cdb_length = 5;
  EXPECT_EQ(rig.disk.Submit(request).status, HostStatus::kInvalidRequest);
  request.cdb_length = 0;
  EXPECT_EQ(rig.disk.Submit(request).status, HostStatus::kInvalidRequest);
  request.cdb_length = 6;
  request.data.host = nullptr;
  EXPECT_EQ(rig.disk.Submit(request).status, HostStatus::kInvalidRequest) << "no host buffer";
  request.data.length = 0;
  EXPECT_EQ(rig.disk.Submit(request).status, HostStatus::kSuccess) << "nothing to transfer";
}

TEST(ScsiDiskTest, EmptyMediumIsNotReady) {
  RigOptions options;
  options.device.capacity_sectors = 0;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  ExpectCheck(rig.Command(Cdb6(s::kOpTestUnitReady, 0, 0)), s::kSenseNotReady,
              s::kAscMediumNotPresent);
  ExpectCheck(rig.Command(ReadCapacity16Cdb(32)), s::kSenseNotReady, s::kAscMediumNotPresent);
  EXPECT_EQ(rig.Command(InquiryCdb(false, 0, 36)).status, HostStatus::kSuccess);
}

TEST(ScsiDiskTest, ReadOnlyDeviceIsWriteProtected) {
  RigOptions options;
  options.device.features = FakeBlkDevice::DefaultFeatures() | spec::kFeatureReadOnly;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_TRUE(rig.disk.engine().read_only());
  std::vector<uint8_t> data;
  ASSERT_EQ(rig.Command(ModeSense10Cdb(0x3F, 255, false), &data).status, HostStatus::kSuccess);
  EXPECT_EQ(data[3], 0x80) << "WP";
  IoBuffer* buffer = rig.NewBuffer(512);
  ExpectCheck(rig.SubmitIo(Cdb10(s::kOpWrite10, 0, 1), buffer, buffer), s::kSenseDataProtect,
              s::kAscWriteProtected);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 0, 1), buffer).status, HostStatus::kSuccess);
  EXPECT_TRUE(rig.blk.protocol_errors().empty());
}

}  // namespace
}  // namespace aero::blk::testing
