// Resets, device faults and power transitions: every outstanding request completes exactly once
// (with an error when the device did not finish it), nothing completes afterwards, and the
// device works again (or is reported failed).
#include <gtest/gtest.h>

#include <vector>

#include "aero/blk/blk_spec.h"
#include "aero/blk/scsi_disk.h"
#include "aero/blk/scsi_spec.h"
#include "aero/virtio/features.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/testing/fake_device.h"
#include "blk_test_rig.h"

namespace aero::blk::testing {
namespace {

namespace s = scsi;
using virtio::testing::CompletionOrder;
using virtio::testing::UsedFault;

RigOptions ManualDevice() {
  RigOptions options;
  options.device.auto_service = false;
  options.fetch_serial = false;
  return options;
}

// Submits `count` reads (cookies in `cookies`), all pending.
void SubmitReads(BlkRig& rig, IoBuffer* buffer, std::vector<int>& cookies,
                 std::vector<void*>* pointers) {
  for (size_t i = 0; i < cookies.size(); ++i) {
    const ScsiCompletion c =
        rig.SubmitIo(Cdb10(s::kOpRead10, static_cast<uint32_t>(i), 1), buffer, &cookies[i]);
    ASSERT_EQ(c.status, HostStatus::kPending) << i;
    pointers->push_back(&cookies[i]);
  }
}

void ExpectWorks(BlkRig& rig) {
  rig.blk.SetAutoService(true);
  IoBuffer* buffer = rig.NewBuffer(512);
  EXPECT_EQ(rig.RunIo(Cdb10(s::kOpRead10, 7, 1), buffer).status, HostStatus::kSuccess);
  rig.blk.SetAutoService(false);
}

class HostileUsedRingTest : public ::testing::TestWithParam<UsedFault> {};

TEST_P(HostileUsedRingTest, ViolationResetsAndCompletesEveryRequestOnce) {
  RigOptions options = ManualDevice();
  options.refused_features = virtio::kFeatureIndirectDesc;  // chains with non-head members
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  std::vector<int> cookies(6);
  std::vector<void*> pointers;
  SubmitReads(rig, buffer, cookies, &pointers);
  rig.blk.device().ArmUsedFault(0, GetParam());
  rig.blk.Service();
  EXPECT_EQ(rig.Interrupt(), 6u);
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(pointers, &why)) << why;
  size_t aborted = 0;
  for (void* cookie : pointers) {
    const HostStatus status = rig.log.last(cookie).status;
    EXPECT_TRUE(status == HostStatus::kSuccess || status == HostStatus::kAborted);
    aborted += status == HostStatus::kAborted ? 1 : 0;
  }
  EXPECT_GE(aborted, 1u);
  const RequestEngine& engine = rig.disk.engine();
  EXPECT_EQ(engine.counters().recoveries, 1u);
  EXPECT_EQ(engine.state(), EngineState::kRunning);
  EXPECT_EQ(engine.in_flight(), 0);
  EXPECT_NE(engine.last_fault(), virtio::Status::kOk) << "the rule the device broke";
  EXPECT_EQ(engine.virtio_status(), virtio::Status::kOk) << "and it came back";
  EXPECT_EQ(rig.Interrupt(), 0u) << "nothing completes twice";
  ExpectWorks(rig);
  EXPECT_EQ(rig.blk.device().counters().driver_errors, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllFaults, HostileUsedRingTest,
                         ::testing::Values(UsedFault::kIdOutOfRange, UsedFault::kIdDuplicate,
                                           UsedFault::kIdNotHead, UsedFault::kLengthOversized,
                                           UsedFault::kIndexJump));

TEST(RecoveryTest, BusResetCompletesOutstandingRequestsOnce) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  rig.blk.device().SetCompletionOrder(0, CompletionOrder::kHeld);
  IoBuffer* buffer = rig.NewBuffer(512);
  std::vector<int> cookies(5);
  std::vector<void*> pointers;
  SubmitReads(rig, buffer, cookies, &pointers);
  int flush_cookie;
  ASSERT_EQ(rig.SubmitIo(Cdb10(s::kOpSynchronizeCache10, 0, 0), nullptr, &flush_cookie).status,
            HostStatus::kPending);
  pointers.push_back(&flush_cookie);
  rig.blk.Service();
  EXPECT_EQ(rig.blk.device().held(0), 6u);
  EXPECT_EQ(rig.disk.ResetBus(CompletionLog::Callback, &rig.log), Status::kOk);
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(pointers, &why)) << why;
  for (void* cookie : pointers) {
    EXPECT_EQ(rig.log.last(cookie).status, HostStatus::kAborted);
  }
  EXPECT_EQ(rig.blk.device().held(0), 0u) << "the reset made the device forget them";
  rig.blk.device().ReleaseHeld(0);
  EXPECT_EQ(rig.disk.ProcessInterrupt(virtio::spec::kIsrQueue, CompletionLog::Callback, &rig.log),
            0u);
  EXPECT_EQ(rig.log.total(), 6u);
  rig.blk.device().SetCompletionOrder(0, CompletionOrder::kInOrder);
  ExpectWorks(rig);
  EXPECT_EQ(rig.blk.device().counters().driver_errors, 0u);
}

TEST(RecoveryTest, BusResetDuringTheFlushOfAFuaWrite) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  int cookie;
  ASSERT_EQ(rig.SubmitIo(Cdb10(s::kOpWrite10, 1, 1, 0x08), buffer, &cookie).status,
            HostStatus::kPending);
  rig.blk.Service();               // the write completes
  EXPECT_EQ(rig.Interrupt(), 0u);  // ... and its flush goes on the ring
  EXPECT_EQ(rig.disk.engine().in_flight(), 1);
  ASSERT_EQ(rig.disk.ResetBus(CompletionLog::Callback, &rig.log), Status::kOk);
  EXPECT_EQ(rig.log.count(&cookie), 1);
  EXPECT_EQ(rig.log.last(&cookie).status, HostStatus::kAborted);
}

TEST(RecoveryTest, DeviceNeedsResetRecovers) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  std::vector<int> cookies(3);
  std::vector<void*> pointers;
  SubmitReads(rig, buffer, cookies, &pointers);
  rig.blk.device().TriggerNeedsReset();
  EXPECT_EQ(rig.Interrupt(), 3u);
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(pointers, &why)) << why;
  EXPECT_EQ(rig.log.last(pointers[0]).status, HostStatus::kAborted);
  EXPECT_EQ(rig.disk.engine().last_fault(), virtio::Status::kDeviceNeedsReset);
  EXPECT_EQ(rig.disk.engine().counters().recoveries, 1u);
  ExpectWorks(rig);
}

TEST(RecoveryTest, FailedRecoveryLeavesAFailedDeviceUntilAResetWorks) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  std::vector<int> cookies(2);
  std::vector<void*> pointers;
  SubmitReads(rig, buffer, cookies, &pointers);
  rig.blk.device().RefuseFeaturesOk(true);
  rig.blk.device().ArmUsedFault(0, UsedFault::kIdOutOfRange);
  rig.blk.Service();
  rig.Interrupt();
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(pointers, &why)) << why;
  EXPECT_EQ(rig.disk.engine().state(), EngineState::kFailed);
  EXPECT_EQ(rig.disk.engine().virtio_status(), virtio::Status::kFeaturesRefused);

  const ScsiCompletion read = rig.SubmitIo(Cdb10(s::kOpRead10, 0, 1), buffer, nullptr);
  ASSERT_EQ(read.status, HostStatus::kCheckCondition);
  EXPECT_EQ(read.sense.bytes[2], s::kSenseHardwareError);
  EXPECT_EQ(read.sense.bytes[12], 0x44);
  EXPECT_EQ(rig.Command(InquiryCdb(false, 0, 36)).status, HostStatus::kSuccess)
      << "the SCSI target still answers";
  EXPECT_EQ(rig.disk.ResetBus(CompletionLog::Callback, &rig.log), Status::kVirtioError);
  rig.blk.device().RefuseFeaturesOk(false);
  EXPECT_EQ(rig.disk.ResetBus(CompletionLog::Callback, &rig.log), Status::kOk);
  ExpectWorks(rig);
}

TEST(RecoveryTest, ResetThatNeverFinishesFailsTheDeviceButCompletesRequests) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  std::vector<int> cookies(4);
  std::vector<void*> pointers;
  SubmitReads(rig, buffer, cookies, &pointers);
  rig.blk.device().SetResetPolls(UINT32_MAX);
  EXPECT_NE(rig.disk.ResetBus(CompletionLog::Callback, &rig.log), Status::kOk);
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(pointers, &why)) << why;
  EXPECT_EQ(rig.disk.engine().state(), EngineState::kFailed);
  // The first reset timed out; the fake then reports a stale status, so FEATURES_OK fails.
  EXPECT_NE(rig.disk.engine().virtio_status(), virtio::Status::kOk);
}

TEST(RecoveryTest, StopAndRestart) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  std::vector<int> cookies(3);
  std::vector<void*> pointers;
  SubmitReads(rig, buffer, cookies, &pointers);
  rig.disk.Stop(CompletionLog::Callback, &rig.log);
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(pointers, &why)) << why;
  EXPECT_EQ(rig.disk.engine().state(), EngineState::kStopped);
  EXPECT_EQ(rig.blk.device().device_status(), 0) << "the device is reset while stopped";
  EXPECT_EQ(rig.SubmitIo(Cdb10(s::kOpRead10, 0, 1), buffer, nullptr).status, HostStatus::kBusy);
  EXPECT_EQ(rig.Command(Cdb6(s::kOpTestUnitReady, 0, 0)).status, HostStatus::kBusy);
  EXPECT_EQ(rig.Command(InquiryCdb(false, 0, 36)).status, HostStatus::kSuccess);
  ASSERT_EQ(rig.disk.Restart(), Status::kOk);
  EXPECT_EQ(rig.disk.Restart(), Status::kNotReady) << "already running";
  ExpectWorks(rig);
}

TEST(RecoveryTest, ShutdownCompletesOutstandingAndReleasesMemory) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  IoBuffer* buffer = rig.NewBuffer(512);
  std::vector<int> cookies(4);
  std::vector<void*> pointers;
  SubmitReads(rig, buffer, cookies, &pointers);
  rig.disk.Shutdown(CompletionLog::Callback, &rig.log);
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce(pointers, &why)) << why;
  EXPECT_EQ(rig.platform.memory().live_allocations(), 1u) << "only the test's buffer";
  EXPECT_EQ(rig.platform.live_private_allocations(), 0);
  EXPECT_EQ(rig.disk.engine().state(), EngineState::kUninitialized);
}

TEST(RecoveryTest, RepeatedResetsDoNotLeak) {
  BlkRig rig(ManualDevice());
  ASSERT_EQ(rig.Init(), Status::kOk);
  const size_t dma = rig.platform.memory().live_allocations();
  const int64_t private_memory = rig.platform.live_private_allocations();
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(rig.disk.ResetBus(CompletionLog::Callback, &rig.log), Status::kOk);
  }
  EXPECT_EQ(rig.platform.memory().live_allocations(), dma);
  EXPECT_EQ(rig.platform.live_private_allocations(), private_memory);
  ExpectWorks(rig);
}

TEST(RecoveryTest, CrashDumpStylePolledInstance) {
  RigOptions options;
  options.polled = true;
  BlkRig rig(options);
  ASSERT_EQ(rig.Init(), Status::kOk);
  rig.blk.device().ResetCounters();
  IoBuffer* buffer = rig.NewBuffer(8 * 512);
  int cookies[4];
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(rig.SubmitIo(Cdb10(s::kOpWrite10, i * 8, 8), buffer, &cookies[i]).status,
              HostStatus::kPending);
  }
  EXPECT_EQ(rig.disk.Poll(CompletionLog::Callback, &rig.log), 4u);
  std::string why;
  EXPECT_TRUE(rig.log.EachExactlyOnce({&cookies[0], &cookies[1], &cookies[2], &cookies[3]}, &why))
      << why;
  EXPECT_EQ(rig.blk.device().counters().interrupts, 0u);
  EXPECT_EQ(rig.blk.device().counters().isr_reads, 0u);
}

}  // namespace
}  // namespace aero::blk::testing
