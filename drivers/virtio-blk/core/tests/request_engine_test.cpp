// The request engine against the fake device: feature negotiation, configuration validation,
// limits, chain layout, completion accounting, notification and interrupt behaviour, polled mode.
#include "aero/blk/request_engine.h"

#include <gtest/gtest.h>

#include <vector>

#include "aero/blk/blk_spec.h"
#include "aero/virtio/features.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/testing/fake_device.h"
#include "aero/virtio/testing/fake_platform.h"
#include "blk_test_rig.h"

namespace aero::blk::testing {
namespace {

using virtio::testing::CompletionOrder;
using virtio::testing::FakeLayout;

struct BlkLog {
  static void Callback(void* context, const BlkCompletion& completion) {
    static_cast<BlkLog*>(context)->items.push_back(completion);
  }
  int count(void* cookie) const {
    int n = 0;
    for (const auto& item : items)
      n += item.cookie == cookie ? 1 : 0;
    return n;
  }
  std::vector<BlkCompletion> items;
};

BlkIo ReadIo(uint64_t sector, IoBuffer* buffer, void* cookie) {
  BlkIo io{};
  io.type = RequestType::kRead;
  io.sector = sector;
  io.bytes = static_cast<uint32_t>(buffer->dma.size);
  io.segments = buffer->segments.data();
  io.segment_count = static_cast<uint32_t>(buffer->segments.size());
  io.cookie = cookie;
  return io;
}

TEST(RequestEngineTest, AcceptsOnlyWhatItImplementsFromQemuFeatures) {
  RigOptions options;
  options.device.layout = FakeLayout::kQemuBar4;
  options.device.queue_max_size = 256;
  options.device.features = 0x00000101'30006E54ull;  // QEMU 7.2 virtio-blk-pci
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  const uint64_t expected = virtio::kFeatureVersion1 | virtio::kFeatureIndirectDesc |
                            virtio::kFeatureEventIdx | spec::kFeatureSegMax |
                            spec::kFeatureBlkSize | spec::kFeatureFlush | spec::kFeatureTopology;
  EXPECT_EQ(rig.blk.device().driver_features(), expected);
  EXPECT_EQ(rig.disk.engine().negotiated_features(), expected);
  EXPECT_EQ(rig.blk.device().queue_size(0), 128) << "the preferred (contract) size";
  EXPECT_EQ(rig.blk.device().device_status(), 0x0F);
}

TEST(RequestEngineTest, AccessPlatformIsAcceptedWhenOffered) {
  RigOptions options;
  options.device.features = FakeBlkDevice::DefaultFeatures() | virtio::kFeatureAccessPlatform;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_NE(rig.blk.device().driver_features() & virtio::kFeatureAccessPlatform, 0u);
}

TEST(RequestEngineTest, RejectsOtherDeviceTypes) {
  virtio::testing::FakeDeviceOptions net;
  net.device_id = 0x1041;
  net.features = virtio::kFeatureVersion1;
  virtio::testing::FakeVirtioDevice device(net);
  virtio::testing::FakePlatform platform(&device);
  EngineConfig config{};
  config.platform = &platform;
  for (int i = 0; i < virtio::kPciBarCount; ++i)
    config.bars[i] = device.bars()[i];
  config.queue_size = 128;
  config.max_requests = 4;
  config.max_data_descriptors = 8;
  config.config_msix_vector = config.queue_msix_vector = virtio::spec::kNoVector;
  RequestEngine engine;
  EXPECT_EQ(engine.Initialize(config), Status::kNotBlockDevice);
  EXPECT_EQ(platform.memory().live_allocations(), 0u);
  config.max_data_descriptors = 0;
  EXPECT_EQ(engine.Initialize(config), Status::kInvalidArgument);
}

TEST(RequestEngineTest, RejectsImpossibleConfiguration) {
  struct Case {
    uint32_t block_size;
    uint32_t size_max;
    uint64_t capacity;
    Status expected;
  };
  for (const Case& c :
       {Case{1000, 0, 2048, Status::kBadBlockSize}, Case{8192, 0, 2048, Status::kBadBlockSize},
        Case{256, 0, 2048, Status::kBadBlockSize}, Case{0, 0, 2048, Status::kBadBlockSize},
        Case{512, 100, 2048, Status::kBadSizeMax},
        Case{512, 0, uint64_t{1} << 60, Status::kBadCapacity}}) {
    RigOptions options;
    options.device.features = FakeBlkDevice::DefaultFeatures() | spec::kFeatureSizeMax;
    options.device.block_size = c.block_size;
    options.device.size_max = c.size_max;
    options.device.capacity_sectors = c.capacity > (1u << 20) ? 8 : c.capacity;
    BlkRig rig(options);
    if (c.capacity > (1u << 20)) {
      auto& config = rig.blk.device().device_config();
      for (int i = 0; i < 8; ++i)
        config[i] = static_cast<uint8_t>(c.capacity >> (8 * i));
    }
    EXPECT_EQ(rig.Init(), c.expected) << c.block_size << " " << c.size_max;
    EXPECT_NE(rig.blk.device().device_status() & virtio::spec::kStatusFailed, 0)
        << "the device is told the driver gave up";
    EXPECT_EQ(rig.platform.memory().live_allocations(), 0u);
    EXPECT_EQ(rig.platform.live_private_allocations(), 0);
  }
}

TEST(RequestEngineTest, ConfigurationThatNeverSettlesIsRefused) {
  RigOptions options;
  BlkRig rig(options);
  rig.blk.device().ChurnConfig(UINT32_MAX);
  EXPECT_EQ(rig.Init(), Status::kVirtioError);
  EXPECT_EQ(rig.disk.engine().virtio_status(), virtio::Status::kConfigUnstable);
}

TEST(RequestEngineTest, LimitsWithoutSegMaxAllowOneSegment) {
  RigOptions options;
  options.device.features = FakeBlkDevice::DefaultFeatures() & ~spec::kFeatureSegMax;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_EQ(rig.disk.limits().max_segments, 1);
  EXPECT_EQ(rig.disk.limits().max_transfer_bytes, 4096u);
}

TEST(RequestEngineTest, SizeMaxTooSmallForA4KnBlockWithOneSegment) {
  RigOptions options;
  options.device.features =
      (FakeBlkDevice::DefaultFeatures() & ~spec::kFeatureSegMax) | spec::kFeatureSizeMax;
  options.device.block_size = 4096;
  options.device.size_max = 1024;
  BlkRig rig(options);
  EXPECT_EQ(rig.Init(), Status::kLimitsTooSmall);
}

TEST(RequestEngineTest, SmallDeviceQueueLimitsTheDepth) {
  RigOptions options;
  options.device.queue_max_size = 16;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_EQ(rig.blk.device().queue_size(0), 16);
  EXPECT_EQ(rig.disk.limits().queue_depth, 16);
}

TEST(RequestEngineTest, ChainIsHeaderDataStatus) {
  RigOptions options;
  options.device.auto_service = false;
  options.fetch_serial = false;
  options.refused_features = virtio::kFeatureIndirectDesc;
  options.device.capacity_sectors = 0x2000;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(1024, 512);
  RequestEngine& engine = rig.disk.engine();
  int cookie;
  ASSERT_EQ(engine.Submit(ReadIo(0x1234, buffer, &cookie)), SubmitStatus::kQueued);
  virtio::testing::DeviceChain chain;
  ASSERT_TRUE(rig.blk.device().PopAvail(0, &chain));
  ASSERT_EQ(chain.buffers.size(), 4u);
  EXPECT_FALSE(chain.indirect);
  EXPECT_FALSE(chain.buffers[0].writable);
  ASSERT_EQ(chain.buffers[0].length, 16u);
  const uint8_t* header = chain.buffers[0].data;
  EXPECT_EQ(std::vector<uint8_t>(header, header + 16),
            (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(chain.buffers[1].writable);
  EXPECT_EQ(chain.buffers[1].phys, buffer->dma.phys);
  EXPECT_EQ(chain.buffers[2].phys, buffer->dma.phys + 512);
  EXPECT_TRUE(chain.buffers[3].writable);
  EXPECT_EQ(chain.buffers[3].length, 1u);
  EXPECT_EQ(chain.buffers[3].data[0], 0xFF) << "status pre-set to a value no device sends";
  chain.buffers[3].data[0] = spec::kStatusOk;
  rig.blk.device().Complete(0, chain, 1025);
  rig.blk.device().FlushUsed(0);
  BlkLog log;
  EXPECT_EQ(engine.ProcessInterrupt(engine.ReadInterruptStatus(), BlkLog::Callback, &log), 1u);
  ASSERT_EQ(log.items.size(), 1u);
  EXPECT_EQ(log.items[0].result, IoResult::kOk);
  EXPECT_EQ(log.items[0].sector, 0x1234u);
}

TEST(RequestEngineTest, OutOfOrderCompletionsReturnEachCookieOnce) {
  RigOptions options;
  options.device.auto_service = false;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  rig.blk.device().SetCompletionOrder(0, CompletionOrder::kReversed);
  RequestEngine& engine = rig.disk.engine();
  IoBuffer* buffer = rig.NewBuffer(512);
  int cookies[16];
  for (int i = 0; i < 16; ++i) {
    ASSERT_EQ(engine.Submit(ReadIo(i, buffer, &cookies[i])), SubmitStatus::kQueued);
  }
  EXPECT_EQ(engine.in_flight(), 16);
  rig.blk.Service();
  BlkLog log;
  EXPECT_EQ(engine.Harvest(BlkLog::Callback, &log), 16u);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(log.count(&cookies[i]), 1) << i;
  }
  EXPECT_EQ(log.items.front().cookie, &cookies[15]);
  EXPECT_EQ(engine.in_flight(), 0);
  EXPECT_EQ(engine.counters().completed, 16u);
}

TEST(RequestEngineTest, EventIdxLetsABusyDeviceSkipDoorbells) {
  for (bool event_idx : {true, false}) {
    RigOptions options;
    options.device.auto_service = false;
    options.fetch_serial = false;
    options.device.features =
        FakeBlkDevice::DefaultFeatures() | (event_idx ? virtio::kFeatureEventIdx : 0);
    BlkRig rig(options);
    ASSERT_EQ(rig.Init(), Status::kOk);
    RequestEngine& engine = rig.disk.engine();
    IoBuffer* buffer = rig.NewBuffer(512);
    int cookies[8];
    for (int i = 0; i < 8; ++i) {
      ASSERT_EQ(engine.Submit(ReadIo(i, buffer, &cookies[i])), SubmitStatus::kQueued);
    }
    EXPECT_EQ(rig.blk.device().counters().notifications, event_idx ? 1u : 8u);
    rig.blk.Service();
    BlkLog log;
    EXPECT_EQ(engine.ProcessInterrupt(engine.ReadInterruptStatus(), BlkLog::Callback, &log), 8u);
    EXPECT_EQ(rig.blk.device().counters().interrupts, 1u) << "one interrupt for the batch";
  }
}

TEST(RequestEngineTest, PolledModeNeedsNoInterrupts) {
  RigOptions options;
  options.polled = true;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_TRUE(rig.disk.engine().polled());
  EXPECT_STREQ(rig.disk.engine().serial(), "AERO-BLK-0001") << "GET_ID polled at start";
  rig.blk.device().ResetCounters();
  IoBuffer* buffer = rig.NewBuffer(4096);
  int cookie;
  ASSERT_EQ(rig.disk.engine().Submit(ReadIo(8, buffer, &cookie)), SubmitStatus::kQueued);
  EXPECT_EQ(rig.blk.device().counters().interrupts, 0u) << "NO_INTERRUPT honoured";
  EXPECT_EQ(rig.disk.ReadInterruptStatus(), 0);
  BlkLog log;
  EXPECT_EQ(rig.disk.engine().Harvest(BlkLog::Callback, &log), 1u);
  EXPECT_EQ(log.count(&cookie), 1);
  // Back to interrupts.
  EXPECT_FALSE(rig.disk.SetPolledMode(false));
  ASSERT_EQ(rig.disk.engine().Submit(ReadIo(8, buffer, &cookie)), SubmitStatus::kQueued);
  EXPECT_EQ(rig.blk.device().counters().interrupts, 1u);
}

TEST(RequestEngineTest, StalledGetIdIsRecoveredByAReset) {
  RigOptions options;
  options.device.auto_service = false;  // nobody answers during start-up
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  EXPECT_EQ(rig.disk.engine().serial_length(), 0u);
  EXPECT_EQ(rig.disk.engine().counters().recoveries, 1u);
  EXPECT_GE(rig.platform.stalled_micros(), RequestEngine::kGetIdTimeoutMicros);
  EXPECT_EQ(rig.disk.engine().in_flight(), 0);
  rig.blk.SetAutoService(true);
  IoBuffer* buffer = rig.NewBuffer(512);
  EXPECT_EQ(rig.RunIo(Cdb10(scsi::kOpRead10, 0, 1), buffer).status, HostStatus::kSuccess);
}

TEST(RequestEngineTest, StartUpFailsCleanlyWhenTheStallRecoveryFails) {
  RigOptions options;
  options.device.auto_service = false;
  BlkRig rig(options);
  virtio::testing::FakeVirtioDevice& device = rig.blk.device();
  device.on_notify = [&device](uint16_t) { device.RefuseFeaturesOk(true); };
  EXPECT_EQ(rig.Init(), Status::kVirtioError);
  EXPECT_EQ(rig.disk.engine().state(), EngineState::kUninitialized);
  EXPECT_EQ(rig.disk.engine().virtio_status(), virtio::Status::kFeaturesRefused);
  EXPECT_EQ(rig.platform.memory().live_allocations(), 0u);
  EXPECT_EQ(rig.platform.live_private_allocations(), 0);
}

TEST(RequestEngineTest, SubmitRejectsRuleBreakers) {
  RigOptions options;
  options.device.block_size = 4096;
  options.device.features = FakeBlkDevice::DefaultFeatures() & ~spec::kFeatureFlush;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  RequestEngine& engine = rig.disk.engine();
  IoBuffer* buffer = rig.NewBuffer(4096);
  int cookie;
  BlkIo io = ReadIo(8, buffer, &cookie);
  EXPECT_EQ(engine.Submit(io), SubmitStatus::kQueued);
  io.sector = 4;  // not on a 4 KiB boundary
  EXPECT_EQ(engine.Submit(io), SubmitStatus::kInvalid);
  io = ReadIo(2048 - 8, buffer, &cookie);
  EXPECT_EQ(engine.Submit(io), SubmitStatus::kQueued);
  io.sector = 2048;  // beyond the capacity
  EXPECT_EQ(engine.Submit(io), SubmitStatus::kInvalid);
  io = ReadIo(0, buffer, &cookie);
  io.bytes = 100;
  EXPECT_EQ(engine.Submit(io), SubmitStatus::kInvalid);
  io.bytes = 0;
  EXPECT_EQ(engine.Submit(io), SubmitStatus::kInvalid);
  io.bytes = 4096;
  io.segments = nullptr;
  EXPECT_EQ(engine.Submit(io), SubmitStatus::kInvalid);
  BlkIo flush{};
  flush.type = RequestType::kFlush;
  EXPECT_EQ(engine.Submit(flush), SubmitStatus::kInvalid) << "FLUSH was not negotiated";
  BlkLog log;
  engine.Harvest(BlkLog::Callback, &log);
  EXPECT_EQ(log.items.size(), 2u);
  engine.Stop(BlkLog::Callback, &log);
  EXPECT_EQ(engine.Submit(ReadIo(0, buffer, &cookie)), SubmitStatus::kNotRunning);
}

TEST(RequestEngineTest, GetIdRequestsFromTheCaller) {
  BlkRig rig;
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(20);
  int cookie;
  BlkIo io{};
  io.type = RequestType::kGetId;
  io.bytes = 20;
  io.segments = buffer->segments.data();
  io.segment_count = 1;
  io.cookie = &cookie;
  ASSERT_EQ(rig.disk.engine().Submit(io), SubmitStatus::kQueued);
  BlkLog log;
  rig.disk.engine().Harvest(BlkLog::Callback, &log);
  ASSERT_EQ(log.items.size(), 1u);
  EXPECT_EQ(log.items[0].result, IoResult::kOk);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer->bytes()), 13), "AERO-BLK-0001");
}

}  // namespace
}  // namespace aero::blk::testing
