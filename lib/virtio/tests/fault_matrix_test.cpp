// The fault-injection menu end to end: for each device misbehaviour, a clean error, the queue or
// device marked broken, every request completed exactly once (harvested or detached), no leaks,
// and a working device again after a fresh initialization.
#include "test_support.h"

namespace aero::virtio::testing {
namespace {

struct UsedFaultCase {
  UsedFault fault;
  Status expected;
  size_t harvested_before_break;
  const char* name;
};

using UsedFaultParam = std::tuple<UsedFaultCase, FakeLayout, bool /*event_idx*/>;

class FaultMatrixUsedRing : public ::testing::TestWithParam<UsedFaultParam> {};

FakeDeviceOptions OptionsFor(FakeLayout layout, bool event_idx) {
  const uint64_t extra = event_idx ? kFeatureEventIdx : 0;
  return layout == FakeLayout::kAeroBar0 ? AeroOptions(extra, 1) : QemuOptions(extra, 1);
}

// Brings the device up again and runs one request through it.
void ExpectRecovers(Harness& h, bool event_idx) {
  ASSERT_EQ(h.transport.BeginInit(), Status::kOk);
  ASSERT_EQ(h.transport.NegotiateFeatures({0, event_idx ? kFeatureEventIdx : 0, 0}, nullptr),
            Status::kOk);
  ASSERT_EQ(h.transport.SetupQueue({0, 0, 16, spec::kNoVector}, &h.queues[0]), Status::kOk);
  ASSERT_EQ(h.transport.DriverOk(), Status::kOk);
  RequestPool pool(h.platform, 1);
  ASSERT_EQ(h.queues[0].Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  h.queues[0].Kick();
  h.device.ServiceQueue(0);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(h.queues[0], ledger), 1u);
  EXPECT_TRUE(ledger.EachExactlyOnce({pool.cookie(0)}));
}

TEST_P(FaultMatrixUsedRing, CleanErrorBrokenQueueEachRequestOnce) {
  const auto& [fault_case, layout, event_idx] = GetParam();
  Harness h(OptionsFor(layout, event_idx));
  ASSERT_EQ(h.BringUp(event_idx ? kFeatureEventIdx : 0, 1, 16), Status::kOk);
  SplitVirtqueue& vq = h.queues[0];
  CompletionLedger ledger;
  std::vector<void*> cookies;
  {
    RequestPool pool(h.platform, 6);
    for (size_t i = 0; i < 6; ++i) {  // header + data: 12 of the 16 descriptors
      ASSERT_EQ(vq.Add(pool[i].segments, 2, pool.cookie(i)), Status::kOk);
      cookies.push_back(pool.cookie(i));
    }
    vq.Kick();
    // The device takes three requests, completes them (the first one wrongly) and leaves three.
    h.device.ArmUsedFault(0, fault_case.fault);
    for (int i = 0; i < 3; ++i) {
      DeviceChain chain;
      ASSERT_TRUE(h.device.PopAvail(0, &chain));
      h.device.Complete(0, chain, 17);
    }
    h.device.FlushUsed(0);

    EXPECT_EQ(HarvestAll(vq, ledger), fault_case.harvested_before_break);
    EXPECT_TRUE(vq.broken());
    EXPECT_EQ(vq.broken_reason(), fault_case.expected) << StatusText(vq.broken_reason());
    // A broken queue stays shut: no adds, no doorbells, nothing harvested.
    EXPECT_EQ(vq.Add(pool[0].segments, 3, pool.cookie(0)), Status::kQueueBroken);
    EXPECT_FALSE(vq.Kick());
    EXPECT_EQ(HarvestAll(vq, ledger), 0u);
    EXPECT_FALSE(vq.EnableInterrupts());

    // Recovery: reset, and every request not yet returned comes back exactly once.
    EXPECT_EQ(h.transport.Teardown(CompletionLedger::Callback, &ledger), Status::kOk);
    EXPECT_TRUE(ledger.EachExactlyOnce(cookies));
    EXPECT_EQ(ledger.done(), fault_case.harvested_before_break);
  }
  EXPECT_EQ(h.platform.memory().live_allocations(), 0u);
  EXPECT_EQ(h.platform.live_private_allocations(), 0);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
  ExpectRecovers(h, event_idx);
}

INSTANTIATE_TEST_SUITE_P(
    Menu, FaultMatrixUsedRing,
    ::testing::Combine(
        ::testing::Values(
            UsedFaultCase{UsedFault::kIdOutOfRange, Status::kUsedIdOutOfRange, 0, "IdOutOfRange"},
            UsedFaultCase{UsedFault::kIdDuplicate, Status::kUsedIdNotInFlight, 1, "IdDuplicate"},
            UsedFaultCase{UsedFault::kIdNotHead, Status::kUsedIdNotHead, 0, "IdNotHead"},
            UsedFaultCase{UsedFault::kLengthOversized, Status::kUsedLengthTooLarge, 0,
                          "LengthOversized"},
            UsedFaultCase{UsedFault::kIndexJump, Status::kUsedIndexJump, 0, "IndexJump"}),
        ::testing::Values(FakeLayout::kQemuBar4, FakeLayout::kAeroBar0), ::testing::Bool()),
    [](const auto& p) {
      return std::string(std::get<0>(p.param).name) +
             (std::get<1>(p.param) == FakeLayout::kAeroBar0 ? "_Aero" : "_Qemu") +
             (std::get<2>(p.param) ? "_EventIdx" : "_Flags");
    });

class FaultMatrixDevice : public ::testing::TestWithParam<FakeLayout> {
 protected:
  FakeDeviceOptions Options() const {
    return GetParam() == FakeLayout::kAeroBar0 ? AeroOptions(0, 1) : QemuOptions(0, 1);
  }
};

TEST_P(FaultMatrixDevice, NeedsResetFailsEverythingOnceAndRecovers) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  SplitVirtqueue& vq = h.queues[0];
  CompletionLedger ledger;
  std::vector<void*> cookies;
  {
    RequestPool pool(h.platform, 4);
    for (size_t i = 0; i < 4; ++i) {
      ASSERT_EQ(vq.Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
      cookies.push_back(pool.cookie(i));
    }
    vq.Kick();
    DeviceChain chain;
    ASSERT_TRUE(h.device.PopAvail(0, &chain));
    h.device.Complete(0, chain, 0);
    h.device.FlushUsed(0);
    EXPECT_EQ(HarvestAll(vq, ledger), 1u);
    ASSERT_TRUE(h.device.PopAvail(0, &chain));  // in the device's hands when it fails

    h.device.TriggerNeedsReset();
    const uint8_t isr = h.transport.ReadIsr();
    ASSERT_TRUE(isr & spec::kIsrConfig);
    EXPECT_EQ(h.transport.CheckDeviceStatus(), Status::kDeviceNeedsReset);
    EXPECT_TRUE(h.transport.broken());
    EXPECT_EQ(vq.broken_reason(), Status::kDeviceNeedsReset);
    EXPECT_EQ(vq.Add(pool[0].segments, 3, pool.cookie(0)), Status::kQueueBroken);
    EXPECT_EQ(h.transport.SetupQueue({0, 0, 16, spec::kNoVector}, &h.queues[1]),
              Status::kDeviceBroken);

    EXPECT_EQ(h.transport.Teardown(CompletionLedger::Callback, &ledger), Status::kOk);
    EXPECT_EQ(ledger.detached(), 3u);
    EXPECT_TRUE(ledger.EachExactlyOnce(cookies));
    // The device finishing its request after the reset must not reach the driver.
    h.device.Complete(0, chain, 0);
    h.device.FlushUsed(0);
  }
  EXPECT_EQ(h.platform.memory().live_allocations(), 0u);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
  ExpectRecovers(h, false);
}

TEST_P(FaultMatrixDevice, DelayedCompletionsThenResetCompleteOnce) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  CompletionLedger ledger;
  std::vector<void*> cookies;
  {
    RequestPool pool(h.platform, 5);
    h.device.SetCompletionOrder(0, CompletionOrder::kHeld);
    for (size_t i = 0; i < 5; ++i) {
      ASSERT_EQ(h.queues[0].Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
      cookies.push_back(pool.cookie(i));
    }
    h.queues[0].Kick();
    EXPECT_EQ(h.device.ServiceQueue(0), 5u);
    EXPECT_EQ(HarvestAll(h.queues[0], ledger), 0u);
    // The driver gives up waiting (e.g. a timeout) and resets the device.
    EXPECT_EQ(h.transport.Teardown(CompletionLedger::Callback, &ledger), Status::kOk);
    h.device.ReleaseHeld(0);  // too late: the rings are gone
    EXPECT_TRUE(ledger.EachExactlyOnce(cookies));
    EXPECT_EQ(ledger.detached(), 5u);
  }
  EXPECT_EQ(h.platform.memory().live_allocations(), 0u);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
}

TEST_P(FaultMatrixDevice, FeaturesOkRefusedIsCleanAndRecoverable) {
  Harness h(Options());
  h.device.RefuseFeaturesOk(true);
  EXPECT_EQ(h.BringUp(0, 1, 16), Status::kFeaturesRefused);
  EXPECT_TRUE(h.transport.broken());
  EXPECT_EQ(h.platform.memory().live_allocations(), 0u);
  h.device.RefuseFeaturesOk(false);
  ExpectRecovers(h, false);
}

TEST_P(FaultMatrixDevice, ConfigChangingDuringReadNeverTears) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  uint32_t a = 0, b = 0;
  const ConfigField fields[] = {{0x10, 4, 1, &a}, {0x14, 4, 1, &b}};
  h.device.ChurnConfig(3);
  ASSERT_EQ(h.transport.ReadConfig(fields, 2), Status::kOk);
  // Only the pass with an unchanged generation counts: a consistent snapshot.
  EXPECT_EQ(a, 0x13121112u);
  EXPECT_EQ(b, 0x17161515u);
  h.device.ChurnConfig(UINT32_MAX);
  EXPECT_EQ(h.transport.ReadConfig(fields, 2), Status::kConfigUnstable);
  h.device.ChurnConfig(0);
}

TEST_P(FaultMatrixDevice, ResetThatNeverCompletesTimesOut) {
  Harness h(Options());
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);
  CompletionLedger ledger;
  RequestPool pool(h.platform, 2);
  ASSERT_EQ(h.queues[0].Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  ASSERT_EQ(h.queues[0].Add(pool[1].segments, 3, pool.cookie(1)), Status::kOk);
  h.device.SetResetPolls(UINT32_MAX);
  EXPECT_EQ(h.transport.Teardown(CompletionLedger::Callback, &ledger, 20000),
            Status::kResetTimeout);
  // The requests still come back once (the OS must get them); the ring stays allocated because
  // a device that ignores reset may still write it.
  EXPECT_TRUE(ledger.EachExactlyOnce({pool.cookie(0), pool.cookie(1)}));
  EXPECT_FALSE(h.queues[0].attached());
  EXPECT_EQ(h.platform.memory().live_allocations(), 6u + 1);  // pool + the leaked ring
  EXPECT_EQ(h.platform.live_private_allocations(), 0);
  h.device.SetResetPolls(0);
}

INSTANTIATE_TEST_SUITE_P(Layouts, FaultMatrixDevice,
                         ::testing::Values(FakeLayout::kQemuBar4, FakeLayout::kAeroBar0),
                         [](const auto& p) {
                           return p.param == FakeLayout::kAeroBar0 ? "Aero" : "Qemu";
                         });

}  // namespace
}  // namespace aero::virtio::testing
