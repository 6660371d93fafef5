// Round-trip cost of the split virtqueue against the fake device: add, notify decision (and
// doorbell when needed), device consume + complete, harvest. Counters report requests per second,
// nanoseconds per request, and doorbells / interrupts / MMIO accesses per request.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "aero/virtio/features.h"
#include "aero/virtio/pci_caps.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/testing/fake_device.h"
#include "aero/virtio/testing/fake_platform.h"
#include "aero/virtio/transport.h"

namespace aero::virtio::testing {
namespace {

constexpr uint16_t kQueueSize = 256;

struct Rig {
  FakeVirtioDevice device;
  FakePlatform platform{&device};
  ModernTransport transport;
  SplitVirtqueue queue;
  std::vector<DmaBuffer> buffers;
  std::vector<Segment> segments;  // 2 per request: 16-byte header, 512-byte writable data

  explicit Rig(size_t requests) : device(MakeOptions()) {
    VirtioPciLayout layout;
    CapParseOptions options{CapPolicy::kStandard, nullptr};
    if (ParseVirtioPciCaps(platform, device.bars(), options, &layout, nullptr) != Status::kOk ||
        transport.Init(&platform, layout, device.bars(), nullptr) != Status::kOk ||
        transport.BeginInit() != Status::kOk ||
        transport.NegotiateFeatures({0, kFeatureIndirectDesc, 0}, nullptr) != Status::kOk ||
        transport.SetupQueue({0, 0, kQueueSize, spec::kNoVector}, &queue) != Status::kOk ||
        transport.DriverOk() != Status::kOk) {
      std::abort();
    }
    buffers.resize(requests * 2);
    for (size_t i = 0; i < requests; ++i) {
      platform.AllocateDma(16, 16, &buffers[2 * i]);
      platform.AllocateDma(512, 16, &buffers[2 * i + 1]);
      segments.push_back(Segment{buffers[2 * i].phys, 16, false});
      segments.push_back(Segment{buffers[2 * i + 1].phys, 512, true});
    }
  }
  ~Rig() {
    transport.Teardown(nullptr, nullptr);
    for (auto& b : buffers)
      platform.FreeDma(b);
  }
  static FakeDeviceOptions MakeOptions() {
    FakeDeviceOptions o;
    o.num_queues = 1;
    o.queue_max_size = kQueueSize;
    return o;
  }
};

uint32_t CompleteWithoutTouchingData(DeviceChain& chain) {
  return static_cast<uint32_t>(chain.writable_bytes);
}

void Report(benchmark::State& state, const FakeCounters& c, uint64_t requests) {
  const double n = static_cast<double>(requests);
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.counters["ns_per_request"] =
      benchmark::Counter(n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["notifies_per_req"] = static_cast<double>(c.notifications) / n;
  state.counters["irqs_per_req"] = static_cast<double>(c.interrupts) / n;
  state.counters["mmio_per_req"] = static_cast<double>(c.mmio_reads + c.mmio_writes) / n;
}

// One thread plays both sides: batch adds, one kick, the device serves the batch, one harvest.
void BM_RoundTripSingleThread(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  Rig rig(batch);
  Completion done[64];
  uint64_t requests = 0;
  rig.device.ResetCounters();
  for (auto _ : state) {
    for (size_t i = 0; i < batch; ++i) {
      rig.queue.Add(&rig.segments[2 * i], 2, &rig.buffers[2 * i]);
    }
    rig.queue.Kick();
    rig.device.ServiceQueue(0, CompleteWithoutTouchingData);
    rig.transport.ReadIsr();  // the interrupt handler's one read
    size_t harvested = 0;
    while (harvested < batch) {
      harvested += rig.queue.Harvest(done, 64);
    }
    requests += batch;
  }
  Report(state, rig.device.counters(), requests);
}
BENCHMARK(BM_RoundTripSingleThread)->Arg(1)->Arg(8)->Arg(64);

// Driver and device on two threads: the device sleeps on doorbells and suppresses them while
// busy; the driver submits a batch and polls the used ring until the batch is back.
void BM_RoundTripTwoThreads(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  Rig rig(batch);
  std::atomic<bool> stop{false};
  std::thread device([&] {
    while (!stop.load(std::memory_order_relaxed)) {
      rig.device.SuppressNotifications(0, true);
      while (rig.device.ServiceQueue(0, CompleteWithoutTouchingData) > 0) {
      }
      const uint64_t seen = rig.device.counters().notifications;
      rig.device.SuppressNotifications(0, false);
      if (!rig.device.HasAvail(0)) {
        rig.device.WaitForNotification(seen, 100);
      }
    }
  });
  Completion done[64];
  uint64_t requests = 0;
  rig.device.ResetCounters();
  for (auto _ : state) {
    // One iteration: `batch` requests added, one kick decision, then polled until all are back.
    for (size_t i = 0; i < batch; ++i) {
      rig.queue.Add(&rig.segments[2 * i], 2, &rig.buffers[2 * i]);
    }
    rig.queue.Kick();
    size_t harvested = 0;
    while (harvested < batch) {
      harvested += rig.queue.Harvest(done, 64);
    }
    requests += batch;
  }
  stop = true;
  rig.device.WakeWaiters();
  device.join();
  Report(state, rig.device.counters(), requests);
}
BENCHMARK(BM_RoundTripTwoThreads)->Arg(1)->Arg(8)->Arg(64)->UseRealTime();

}  // namespace
}  // namespace aero::virtio::testing

BENCHMARK_MAIN();
