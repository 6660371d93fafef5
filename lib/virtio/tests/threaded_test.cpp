// Driver and device on separate threads (run under -DAERO_SANITIZE=thread): the device thread
// sleeps on doorbells and suppresses them while busy; the driver sleeps on interrupts and
// suppresses them while harvesting. Lost wake-ups show up as timeouts, data races as TSAN reports.
#include <atomic>
#include <cstring>
#include <thread>

#include "test_support.h"

namespace aero::virtio::testing {
namespace {

constexpr int kWaitMs = 10000;

// The device side: serve until told to stop, with the race re-check after re-enabling doorbells.
void DeviceLoop(FakeVirtioDevice& device, std::atomic<bool>& stop, std::atomic<bool>& stalled) {
  uint64_t seen = 0;
  while (!stop.load()) {
    device.SuppressNotifications(0, true);
    for (;;) {
      const size_t served = device.ServiceQueue(0, [](DeviceChain& chain) {
        uint32_t sequence;
        std::memcpy(&sequence, chain.buffers[0].data, 4);
        std::memcpy(chain.buffers[1].data, &sequence, 4);  // echo the request's sequence number
        return 4u;
      });
      if (served == 0) {
        break;
      }
    }
    seen = device.counters().notifications;
    device.SuppressNotifications(0, false);
    if (device.HasAvail(0)) {
      continue;  // added while doorbells were off: no doorbell will come for it
    }
    // Sleep until a doorbell, in slices so a stop request is noticed promptly.
    int waited_ms = 0;
    while (!stop.load() && device.WaitForNotification(seen, 20) == seen) {
      waited_ms += 20;
      if (waited_ms >= kWaitMs && device.HasAvail(0)) {
        stalled = true;  // work waiting and no doorbell: a lost notification
        return;
      }
    }
  }
}

class VirtioThreaded : public ::testing::TestWithParam<bool> {};

TEST_P(VirtioThreaded, DriverAndDeviceOnSeparateThreads) {
  const bool event_idx = GetParam();
  Harness h(QemuOptions(event_idx ? kFeatureEventIdx : 0, 1));
  ASSERT_EQ(h.BringUp(event_idx ? kFeatureEventIdx : 0, 1, 32), Status::kOk);
  SplitVirtqueue& vq = h.queues[0];

  constexpr size_t kSlots = 16;  // requests of 2 descriptors in a 32-entry ring
  constexpr uint32_t kTotal = 20000;
  RequestPool pool(h.platform, kSlots, 4);
  std::vector<bool> busy(kSlots, false);
  uint32_t next_sequence = 0;
  uint32_t completed = 0;
  std::vector<uint8_t> seen_sequence(kTotal, 0);

  std::atomic<bool> stop{false};
  std::atomic<bool> device_stalled{false};
  std::thread device_thread(DeviceLoop, std::ref(h.device), std::ref(stop),
                            std::ref(device_stalled));
  // Stops the device thread on every exit path (a failed ASSERT returns early).
  struct Joiner {
    std::atomic<bool>& stop;
    FakeVirtioDevice& device;
    std::thread& thread;
    ~Joiner() {
      stop = true;
      device.WakeWaiters();
      thread.join();
    }
  } joiner{stop, h.device, device_thread};

  auto submit = [&]() {
    bool added = false;
    for (size_t slot = 0; slot < kSlots && next_sequence < kTotal; ++slot) {
      if (busy[slot])
        continue;
      std::memcpy(pool[slot].header.virt, &next_sequence, 4);
      ASSERT_EQ(vq.Add(pool[slot].segments, 2, pool.cookie(slot)), Status::kOk);
      busy[slot] = true;
      ++next_sequence;
      added = true;
    }
    if (added) {
      vq.Kick();  // one doorbell per batch, if the device wants one
    }
  };

  bool failed = false;
  submit();
  while (completed < kTotal && !failed) {
    const uint64_t interrupts_before = h.device.counters().interrupts;
    vq.DisableInterrupts();
    Completion done[kSlots];
    size_t n;
    while ((n = vq.Harvest(done, kSlots)) > 0) {
      for (size_t i = 0; i < n; ++i) {
        const size_t slot = static_cast<Request*>(done[i].cookie) - &pool[0];
        uint32_t sequence;
        std::memcpy(&sequence, pool[slot].data.virt, 4);
        ASSERT_LT(sequence, kTotal);
        ASSERT_EQ(done[i].written, 4u);
        ASSERT_EQ(seen_sequence[sequence], 0) << "completed twice: " << sequence;
        seen_sequence[sequence] = 1;
        busy[slot] = false;
        ++completed;
      }
      submit();
    }
    ASSERT_FALSE(vq.broken()) << StatusText(vq.broken_reason());
    if (completed == kTotal)
      break;
    if (vq.EnableInterrupts()) {
      continue;  // completions raced with re-enabling: harvest without waiting
    }
    if (h.device.WaitForInterrupt(interrupts_before, kWaitMs) == interrupts_before &&
        !vq.HasUsed()) {
      failed = true;  // in flight, no interrupt, nothing used: a lost interrupt
    }
    h.transport.ReadIsr();
  }
  EXPECT_FALSE(failed) << "lost interrupt";
  EXPECT_FALSE(device_stalled.load()) << "lost notification";
  EXPECT_EQ(completed, kTotal);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
  const FakeCounters c = h.device.counters();
  // Suppression on both sides keeps doorbells and interrupts well below one per request.
  EXPECT_LT(c.notifications, kTotal);
  EXPECT_LT(c.interrupts, kTotal);
  RecordProperty("notifications", static_cast<int>(c.notifications));
  RecordProperty("interrupts", static_cast<int>(c.interrupts));
}

INSTANTIATE_TEST_SUITE_P(Notification, VirtioThreaded, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "EventIdx" : "Flags"; });

}  // namespace
}  // namespace aero::virtio::testing
