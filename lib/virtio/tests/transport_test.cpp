// Modern transport: handshake, features, queues, interrupts, config, reset, teardown, trap costs.
#include <cstring>

#include "test_support.h"

namespace aero::virtio::testing {
namespace {

class TransportTest : public ::testing::TestWithParam<FakeLayout> {
 protected:
  FakeDeviceOptions Options(uint64_t extra = 0) const {
    return GetParam() == FakeLayout::kAeroBar0 ? AeroOptions(extra) : QemuOptions(extra);
  }
};

TEST_P(TransportTest, BringUpReachesDriverOk) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(kFeatureIndirectDesc, 2, 64), Status::kOk);
  EXPECT_EQ(h.device.device_status(), spec::kStatusAcknowledge | spec::kStatusDriver |
                                          spec::kStatusFeaturesOk | spec::kStatusDriverOk);
  EXPECT_EQ(h.transport.negotiated_features(), kFeatureVersion1 | kFeatureIndirectDesc);
  EXPECT_EQ(h.device.driver_features(), kFeatureVersion1 | kFeatureIndirectDesc);
  EXPECT_EQ(h.transport.num_queues(), 2);
  EXPECT_GT(h.lock.acquisitions(), 0u);  // selector registers are accessed under the lock
  for (uint16_t q = 0; q < 2; ++q) {
    EXPECT_TRUE(h.device.queue_enabled(q));
    EXPECT_EQ(h.device.queue_size(q), 64);
    // Rings live above 4 GiB in the fake: both address halves must have been programmed.
    EXPECT_EQ(h.device.queue_desc(q), h.queues[q].desc_phys());
    EXPECT_GE(h.queues[q].desc_phys(), uint64_t{1} << 32);
  }
  EXPECT_EQ(h.device.counters().driver_errors, 0u) << h.device.driver_error_messages()[0];
}

TEST_P(TransportTest, BringUpTrapBudget) {
  Harness h(Options());
  ASSERT_EQ(h.Parse(), Status::kOk);
  ASSERT_EQ(h.transport.Init(&h.platform, h.layout, h.device.bars(), &h.lock), Status::kOk);
  h.device.ResetCounters();
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  ASSERT_EQ(h.transport.NegotiateFeatures({0, kFeatureIndirectDesc, 0}, nullptr), Status::kOk);
  ASSERT_EQ(h.transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h.queues[0]), Status::kOk);
  ASSERT_EQ(h.transport.DriverOk(), Status::kOk);
  const FakeCounters c = h.device.counters();
  // reset write + 1 poll, ACK, DRIVER, num_queues | 4 feature accesses | 4 feature writes,
  // FEATURES_OK + read-back | select, size, notify_off, select, size, 3x2 address halves,
  // enable | DRIVER_OK.
  EXPECT_EQ(c.mmio_reads, 1u + 1 + 2 + 1 + 2);
  EXPECT_EQ(c.mmio_writes, 1u + 2 + 2 + 4 + 1 + 2 + 1 + 6 + 1 + 1);
}

TEST_P(TransportTest, ResetPollsUntilZero) {
  Harness h(Options());
  ASSERT_EQ(h.Parse(), Status::kOk);
  ASSERT_EQ(h.transport.Init(&h.platform, h.layout, h.device.bars(), nullptr), Status::kOk);
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  h.device.SetResetPolls(3);
  h.device.ResetCounters();
  EXPECT_EQ(h.transport.Reset(), Status::kOk);
  EXPECT_EQ(h.device.counters().mmio_reads, 4u);  // 3 non-zero reads, then 0
  EXPECT_GT(h.platform.stalled_micros(), 0u);
}

TEST_P(TransportTest, ResetTimeoutIsBoundedAndBreaksTransport) {
  Harness h(Options());
  ASSERT_EQ(h.Parse(), Status::kOk);
  ASSERT_EQ(h.transport.Init(&h.platform, h.layout, h.device.bars(), nullptr), Status::kOk);
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  h.device.SetResetPolls(UINT32_MAX);
  h.device.ResetCounters();
  EXPECT_EQ(h.transport.Reset(50000), Status::kResetTimeout);
  EXPECT_TRUE(h.transport.broken());
  EXPECT_LT(h.device.counters().mmio_reads, 100u);  // exponential back-off, not a spin
  EXPECT_GE(h.platform.stalled_micros(), 50000u);
  EXPECT_EQ(h.transport.NegotiateFeatures({}, nullptr), Status::kDeviceBroken);
  h.device.SetResetPolls(0);
}

struct FeatureCase {
  const char* name;
  uint64_t offered_extra;
  FeatureRequest request;
  Status expected;
  uint64_t expected_negotiated;
};

class FeatureNegotiation : public ::testing::TestWithParam<FeatureCase> {};

TEST_P(FeatureNegotiation, Outcome) {
  const FeatureCase& c = GetParam();
  FakeDeviceOptions options = QemuOptions();
  options.features = c.offered_extra;
  Harness h(options);
  ASSERT_EQ(h.Parse(), Status::kOk);
  ASSERT_EQ(h.transport.Init(&h.platform, h.layout, h.device.bars(), &h.lock), Status::kOk);
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  uint64_t negotiated = 0xDEAD;
  EXPECT_EQ(h.transport.NegotiateFeatures(c.request, &negotiated), c.expected);
  if (c.expected == Status::kOk) {
    EXPECT_EQ(negotiated, c.expected_negotiated);
    EXPECT_EQ(h.device.driver_features(), c.expected_negotiated);
    EXPECT_TRUE(h.device.device_status() & spec::kStatusFeaturesOk);
  }
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
}

constexpr uint64_t kV1 = kFeatureVersion1;
constexpr uint64_t kBlkSegMax = FeatureBit(2);
constexpr uint64_t kBlkFlush = FeatureBit(9);
constexpr uint64_t kBlkRo = FeatureBit(5);

INSTANTIATE_TEST_SUITE_P(
    All, FeatureNegotiation,
    ::testing::Values(
        FeatureCase{"Version1Only", kV1, {0, 0, 0}, Status::kOk, kV1},
        FeatureCase{"SupportedSubset",
                    kV1 | kBlkSegMax | kBlkFlush | kBlkRo,
                    {kBlkSegMax, kBlkFlush, 0},
                    Status::kOk,
                    kV1 | kBlkSegMax | kBlkFlush},
        FeatureCase{
            "MissingVersion1", kBlkSegMax, {0, kBlkSegMax, 0}, Status::kMissingRequiredFeature, 0},
        FeatureCase{"MissingRequired", kV1, {kBlkFlush, 0, 0}, Status::kMissingRequiredFeature, 0},
        FeatureCase{"RequiredAndRefused",
                    kV1 | kBlkFlush,
                    {kBlkFlush, 0, kBlkFlush},
                    Status::kFeatureConflict,
                    0},
        FeatureCase{"RequiredNotImplemented",
                    kV1 | kFeatureRingPacked,
                    {kFeatureRingPacked, 0, 0},
                    Status::kFeatureConflict,
                    0},
        FeatureCase{"UnimplementedNeverAccepted",
                    kV1 | kFeatureRingPacked | kFeatureRingReset | kFeatureInOrder |
                        kFeatureNotificationData,
                    {0, ~uint64_t{0}, 0},
                    Status::kOk,
                    kV1},
        FeatureCase{"AccessPlatformAccepted",
                    kV1 | kFeatureAccessPlatform,
                    {0, 0, 0},
                    Status::kOk,
                    kV1 | kFeatureAccessPlatform},
        FeatureCase{"AccessPlatformRefusedMeansFeaturesOkRefused",
                    kV1 | kFeatureAccessPlatform,
                    {0, 0, kFeatureAccessPlatform},
                    Status::kFeaturesRefused,
                    0},
        FeatureCase{"EventIdxOnlyWhenSupported",
                    kV1 | kFeatureEventIdx | kFeatureIndirectDesc,
                    {0, kFeatureIndirectDesc, 0},
                    Status::kOk,
                    kV1 | kFeatureIndirectDesc},
        FeatureCase{"EventIdxWhenSupported",
                    kV1 | kFeatureEventIdx,
                    {0, kFeatureEventIdx, 0},
                    Status::kOk,
                    kV1 | kFeatureEventIdx}),
    [](const auto& p) { return std::string(p.param.name); });

TEST_P(TransportTest, FeaturesOkRefusalBreaksTransport) {
  Harness h(Options());
  h.device.RefuseFeaturesOk(true);
  ASSERT_EQ(h.Parse(), Status::kOk);
  ASSERT_EQ(h.transport.Init(&h.platform, h.layout, h.device.bars(), &h.lock), Status::kOk);
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  EXPECT_EQ(h.transport.NegotiateFeatures({0, kFeatureIndirectDesc, 0}, nullptr),
            Status::kFeaturesRefused);
  EXPECT_TRUE(h.transport.broken());
  EXPECT_EQ(h.transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h.queues[0]),
            Status::kDeviceBroken);
  EXPECT_EQ(h.transport.DriverOk(), Status::kDeviceBroken);
  // A fresh start works once the device cooperates.
  h.device.RefuseFeaturesOk(false);
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  EXPECT_EQ(h.transport.NegotiateFeatures({0, kFeatureIndirectDesc, 0}, nullptr), Status::kOk);
}

TEST_P(TransportTest, CallsOutOfOrderAreRefused) {
  Harness h(Options());
  ASSERT_EQ(h.Parse(), Status::kOk);
  ASSERT_EQ(h.transport.Init(&h.platform, h.layout, h.device.bars(), &h.lock), Status::kOk);
  EXPECT_EQ(h.transport.NegotiateFeatures({}, nullptr), Status::kNotReady);  // no DRIVER yet
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  EXPECT_EQ(h.transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h.queues[0]), Status::kNotReady);
  EXPECT_EQ(h.transport.DriverOk(), Status::kNotReady);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
}

class QueueSetup : public TransportTest {
 protected:
  void SetUp() override {
    h_ = std::make_unique<Harness>(Options());
    ASSERT_EQ(h_->Parse(), Status::kOk);
    ASSERT_EQ(h_->transport.Init(&h_->platform, h_->layout, h_->device.bars(), &h_->lock),
              Status::kOk);
    ASSERT_EQ(h_->transport.BeginInit(), Status::kOk);
    ASSERT_EQ(h_->transport.NegotiateFeatures({0, kFeatureIndirectDesc, 0}, nullptr), Status::kOk);
  }
  void ExpectNoLeak() {
    EXPECT_EQ(h_->platform.memory().live_allocations(), 0u);
    EXPECT_EQ(h_->platform.live_private_allocations(), 0);
  }
  std::unique_ptr<Harness> h_;
};

TEST_P(QueueSetup, SizeIsMinOfDeviceMaxAndPreference) {
  const uint16_t max = GetParam() == FakeLayout::kAeroBar0 ? 128 : 256;
  ASSERT_EQ(h_->transport.SetupQueue({0, 0, 1024, spec::kNoVector}, &h_->queues[0]), Status::kOk);
  EXPECT_EQ(h_->queues[0].size(), max);
  EXPECT_EQ(h_->device.queue_size(0), max);
  ASSERT_EQ(h_->transport.SetupQueue({1, 0, 16, spec::kNoVector}, &h_->queues[1]), Status::kOk);
  EXPECT_EQ(h_->queues[1].size(), 16);
}

TEST_P(QueueSetup, RequiredContractSize) {
  ASSERT_EQ(h_->transport.SetupQueue({0, 128, 0, spec::kNoVector}, &h_->queues[0]), Status::kOk);
  EXPECT_EQ(h_->queues[0].size(), 128);
  h_->device.SetQueueMaxSize(1, 64);
  EXPECT_EQ(h_->transport.SetupQueue({1, 128, 0, spec::kNoVector}, &h_->queues[1]),
            Status::kQueueSizeMismatch);
  EXPECT_FALSE(h_->queues[1].attached());
}

TEST_P(QueueSetup, DeviceSizeZeroOrNotPowerOfTwoRejected) {
  h_->device.SetQueueMaxSize(0, 0);
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h_->queues[0]),
            Status::kQueueUnavailable);
  h_->device.SetQueueMaxSize(1, 100);
  EXPECT_EQ(h_->transport.SetupQueue({1, 0, 64, spec::kNoVector}, &h_->queues[1]),
            Status::kQueueSizeInvalid);
  ExpectNoLeak();
}

TEST_P(QueueSetup, BadArgumentsRejected) {
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 48, spec::kNoVector}, &h_->queues[0]),
            Status::kInvalidArgument);
  EXPECT_EQ(h_->transport.SetupQueue({0, 96, 0, spec::kNoVector}, &h_->queues[0]),
            Status::kInvalidArgument);
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 0, spec::kNoVector}, &h_->queues[0]),
            Status::kInvalidArgument);
  EXPECT_EQ(h_->transport.SetupQueue({2, 0, 64, spec::kNoVector}, &h_->queues[0]),
            Status::kQueueIndexInvalid);
  ASSERT_EQ(h_->transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h_->queues[0]), Status::kOk);
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h_->queues[0]),
            Status::kQueueAlreadySetUp);
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h_->queues[1]),
            Status::kQueueAlreadySetUp);
  EXPECT_EQ(h_->device.counters().driver_errors, 0u);
}

TEST_P(QueueSetup, NotifyOffsetBeyondRegionRejected) {
  h_->device.SetQueueNotifyOff(1, 0x8000);
  EXPECT_EQ(h_->transport.SetupQueue({1, 0, 64, spec::kNoVector}, &h_->queues[1]),
            Status::kQueueNotifyOutOfRange);
  ExpectNoLeak();
}

TEST_P(QueueSetup, AllocationFailureLeavesNothingBehind) {
  h_->platform.memory().FailNextAllocations(1);
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h_->queues[0]),
            Status::kNoMemory);
  h_->platform.FailNextPrivateAllocations(1);
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h_->queues[0]),
            Status::kNoMemory);
  ExpectNoLeak();
  EXPECT_EQ(h_->transport.SetupQueue({0, 0, 64, spec::kNoVector}, &h_->queues[0]), Status::kOk);
}

TEST_P(QueueSetup, DoorbellOfEachQueueIsItsOwn) {
  ASSERT_EQ(h_->transport.SetupQueue({0, 0, 16, spec::kNoVector}, &h_->queues[0]), Status::kOk);
  ASSERT_EQ(h_->transport.SetupQueue({1, 0, 16, spec::kNoVector}, &h_->queues[1]), Status::kOk);
  ASSERT_EQ(h_->transport.DriverOk(), Status::kOk);
  RequestPool pool(h_->platform, 1);
  ASSERT_EQ(h_->queues[1].Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  EXPECT_TRUE(h_->queues[1].Kick());
  EXPECT_EQ(h_->device.queue_notifications(1), 1u);  // the fake checks offset 4 and value 1
  EXPECT_EQ(h_->device.queue_notifications(0), 0u);
  EXPECT_EQ(h_->device.counters().driver_errors, 0u);
}

TEST_P(QueueSetup, MsixVectorsProgrammedAndReadBack) {
  h_->device.EnableMsix(true);
  ASSERT_EQ(h_->transport.SetConfigMsixVector(0), Status::kOk);
  ASSERT_EQ(h_->transport.SetupQueue({0, 0, 16, 1}, &h_->queues[0]), Status::kOk);
  EXPECT_EQ(h_->device.queue_msix_vector(0), 1);
  h_->device.RefuseMsixVectors(true);
  EXPECT_EQ(h_->transport.SetConfigMsixVector(0), Status::kMsixVectorRejected);
  EXPECT_EQ(h_->transport.SetupQueue({1, 0, 16, 2}, &h_->queues[1]), Status::kMsixVectorRejected);
  EXPECT_FALSE(h_->queues[1].attached());
  EXPECT_EQ(h_->platform.memory().live_allocations(), 1u);  // only queue 0's ring
}

TEST_P(QueueSetup, MsixInterruptsGoToTheVectorNotTheIsr) {
  h_->device.EnableMsix(true);
  ASSERT_EQ(h_->transport.SetupQueue({0, 0, 16, 1}, &h_->queues[0]), Status::kOk);
  ASSERT_EQ(h_->transport.DriverOk(), Status::kOk);
  RequestPool pool(h_->platform, 1);
  ASSERT_EQ(h_->queues[0].Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  h_->queues[0].Kick();
  h_->device.ServiceQueue(0);
  EXPECT_EQ(h_->device.counters().msix_messages, 1u);
  EXPECT_EQ(h_->device.counters().interrupts, 0u);
  EXPECT_EQ(h_->transport.ReadIsr(), 0);
}

TEST_P(TransportTest, IsrIsReadToAcknowledgeWithOneAccess) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  RequestPool pool(h.platform, 1);
  ASSERT_EQ(h.queues[0].Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  h.queues[0].Kick();
  h.device.ServiceQueue(0);
  h.device.ResetCounters();
  EXPECT_EQ(h.transport.ReadIsr(), spec::kIsrQueue);
  EXPECT_EQ(h.transport.ReadIsr(), 0);
  EXPECT_EQ(h.device.counters().mmio_reads, 2u);
  EXPECT_EQ(h.device.counters().isr_reads, 2u);
}

TEST_P(TransportTest, ConfigReadIsConsistentAndCheap) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  std::vector<uint8_t>& cfg = h.device.device_config();
  const uint64_t capacity = 0x1122334455667788ull;
  std::memcpy(cfg.data(), &capacity, 8);
  uint64_t got_capacity = 0;
  uint32_t seg_max = 0;
  uint16_t half = 0;
  uint8_t mac[6] = {};
  const ConfigField fields[] = {
      {0x00, 8, 1, &got_capacity}, {0x0C, 4, 1, &seg_max}, {0x12, 2, 1, &half}, {0x20, 1, 6, mac}};
  h.device.ResetCounters();
  ASSERT_EQ(h.transport.ReadConfig(fields, 4), Status::kOk);
  EXPECT_EQ(got_capacity, capacity);
  EXPECT_EQ(seg_max, 0x0F0E0D0Cu);
  EXPECT_EQ(half, 0x1312);
  EXPECT_EQ(mac[0], 0x20);
  EXPECT_EQ(mac[5], 0x25);
  EXPECT_EQ(h.device.counters().mmio_reads, 2u + 2 + 1 + 1 + 6);  // generation twice + fields
}

TEST_P(TransportTest, ConfigChangingDuringReadIsRetried) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  uint32_t value = 0;
  const ConfigField field{0x04, 4, 1, &value};
  h.device.ChurnConfig(1);  // the first read changes the config under the driver
  EXPECT_EQ(h.transport.ReadConfig(&field, 1), Status::kOk);
  EXPECT_EQ(value, 0x07060505u);  // byte 4 was bumped once: 04 -> 05
}

TEST_P(TransportTest, ConfigThatNeverSettlesIsAnError) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  uint32_t value = 0;
  const ConfigField field{0x04, 4, 1, &value};
  h.device.ChurnConfig(UINT32_MAX);
  h.device.ResetCounters();
  EXPECT_EQ(h.transport.ReadConfig(&field, 1), Status::kConfigUnstable);
  EXPECT_EQ(h.device.counters().mmio_reads, 3u * ModernTransport::kConfigReadAttempts);
  h.device.ChurnConfig(0);
}

TEST_P(TransportTest, ConfigArgumentsValidated) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  uint32_t value = 0;
  ConfigField field{0xFE, 4, 1, &value};
  EXPECT_EQ(h.transport.ReadConfig(&field, 1), Status::kInvalidArgument);  // misaligned
  field = {0xFC, 4, 2, &value};
  EXPECT_EQ(h.transport.ReadConfig(&field, 1), Status::kConfigOutOfRange);
  field = {0x00, 3, 1, &value};
  EXPECT_EQ(h.transport.ReadConfig(&field, 1), Status::kInvalidArgument);
  field = {0xFFFFFFFCu, 4, 1, &value};
  EXPECT_EQ(h.transport.ReadConfig(&field, 1), Status::kConfigOutOfRange);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
}

TEST_P(TransportTest, NeedsResetDetectedOnConfigInterrupt) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  EXPECT_EQ(h.transport.CheckDeviceStatus(), Status::kOk);
  h.device.TriggerNeedsReset();
  const uint8_t isr = h.transport.ReadIsr();
  EXPECT_TRUE(isr & spec::kIsrConfig);
  EXPECT_EQ(h.transport.CheckDeviceStatus(), Status::kDeviceNeedsReset);
  EXPECT_TRUE(h.transport.broken());
  EXPECT_EQ(h.queues[0].broken_reason(), Status::kDeviceNeedsReset);
}

TEST_P(TransportTest, TeardownFreesEverythingAndAllowsRestart) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(kFeatureIndirectDesc, 2, 16), Status::kOk);
  EXPECT_EQ(h.transport.Init(&h.platform, h.layout, h.device.bars(), &h.lock),
            Status::kQueueAlreadySetUp);  // live rings: no silent re-init
  EXPECT_EQ(h.transport.Teardown(nullptr, nullptr), Status::kOk);
  EXPECT_EQ(h.device.device_status(), 0);
  EXPECT_EQ(h.platform.memory().live_allocations(), 0u);
  EXPECT_EQ(h.platform.live_private_allocations(), 0);
  EXPECT_FALSE(h.queues[0].attached());
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  ASSERT_EQ(h.transport.NegotiateFeatures({0, kFeatureIndirectDesc, 0}, nullptr), Status::kOk);
  ASSERT_EQ(h.transport.SetupQueue({0, 0, 16, spec::kNoVector}, &h.queues[0]), Status::kOk);
  EXPECT_EQ(h.transport.DriverOk(), Status::kOk);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
}

INSTANTIATE_TEST_SUITE_P(Layouts, TransportTest,
                         ::testing::Values(FakeLayout::kQemuBar4, FakeLayout::kAeroBar0),
                         [](const auto& p) {
                           return p.param == FakeLayout::kAeroBar0 ? "Aero" : "Qemu";
                         });
INSTANTIATE_TEST_SUITE_P(Layouts, QueueSetup,
                         ::testing::Values(FakeLayout::kQemuBar4, FakeLayout::kAeroBar0),
                         [](const auto& p) {
                           return p.param == FakeLayout::kAeroBar0 ? "Aero" : "Qemu";
                         });

}  // namespace
}  // namespace aero::virtio::testing
