// Cost of the virtio-blk request path against the fake device: SCSI READ(10) of 4 KiB through
// ScsiDisk::Submit, the device serving everything pending, then the interrupt path (ISR read,
// harvest, completion callback) which resubmits each finished request at once, keeping the queue
// depth constant. Counters: requests per second (items), nanoseconds per request, and doorbells,
// interrupts and MMIO accesses per request, with and without EVENT_IDX. A second benchmark
// measures the synchronous SCSI commands (INQUIRY VPD, MODE SENSE, READ CAPACITY).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <vector>

#include "../tests/blk_test_rig.h"
#include "aero/blk/scsi_disk.h"
#include "aero/blk/scsi_spec.h"
#include "aero/virtio/features.h"

namespace aero::blk::testing {
namespace {

constexpr uint32_t kBlocksPerRequest = 8;  // 4 KiB

struct Loop {
  BlkRig* rig;
  std::vector<IoBuffer*> buffers;
  std::vector<std::vector<uint8_t>> cdbs;
  uint64_t completed = 0;
  bool failed = false;

  void Submit(size_t slot) {
    const ScsiCompletion c =
        rig->SubmitIo(cdbs[slot], buffers[slot], reinterpret_cast<void*>(slot + 1));
    if (c.status != HostStatus::kPending) {
      failed = true;
    }
  }
  static void OnComplete(void* context, const ScsiCompletion& completion) {
    auto* loop = static_cast<Loop*>(context);
    if (completion.status != HostStatus::kSuccess) {
      loop->failed = true;
      return;
    }
    ++loop->completed;
    loop->Submit(reinterpret_cast<uintptr_t>(completion.cookie) - 1);
  }
};

void BM_ReadQueueDepth(benchmark::State& state) {
  const size_t depth = static_cast<size_t>(state.range(0));
  const bool event_idx = state.range(1) != 0;
  RigOptions options;
  options.device.auto_service = false;
  options.device.capacity_sectors = 1 << 16;
  options.device.features =
      FakeBlkDevice::DefaultFeatures() | (event_idx ? virtio::kFeatureEventIdx : 0);
  options.max_requests = 64;
  options.fetch_serial = false;
  BlkRig rig(options);
  if (rig.Init() != Status::kOk) {
    state.SkipWithError("init failed");
    return;
  }
  Loop loop{&rig, {}, {}, 0, false};
  for (size_t i = 0; i < depth; ++i) {
    loop.buffers.push_back(rig.NewBuffer(kBlocksPerRequest * 512));
    loop.cdbs.push_back(
        Cdb10(scsi::kOpRead10, static_cast<uint32_t>(i * kBlocksPerRequest), kBlocksPerRequest));
    loop.Submit(i);
  }
  rig.blk.device().ResetCounters();
  const uint64_t start = loop.completed;
  for (auto _ : state) {
    rig.blk.Service();
    const uint8_t isr = rig.disk.ReadInterruptStatus();
    rig.disk.ProcessInterrupt(isr, Loop::OnComplete, &loop);
  }
  if (loop.failed) {
    state.SkipWithError("a request failed");
    return;
  }
  const uint64_t requests = loop.completed - start;
  const auto counters = rig.blk.device().counters();
  const double n = static_cast<double>(requests == 0 ? 1 : requests);
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.SetBytesProcessed(static_cast<int64_t>(requests * kBlocksPerRequest * 512));
  state.counters["ns_per_request"] =
      benchmark::Counter(n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["notifies_per_req"] = static_cast<double>(counters.notifications) / n;
  state.counters["irqs_per_req"] = static_cast<double>(counters.interrupts) / n;
  state.counters["mmio_per_req"] =
      static_cast<double>(counters.mmio_reads + counters.mmio_writes) / n;
}
BENCHMARK(BM_ReadQueueDepth)
    ->ArgNames({"qd", "event_idx"})
    ->Args({1, 0})
    ->Args({32, 0})
    ->Args({1, 1})
    ->Args({32, 1});

void BM_SynchronousCommands(benchmark::State& state) {
  BlkRig rig;
  if (rig.Init() != Status::kOk) {
    state.SkipWithError("init failed");
    return;
  }
  const std::vector<std::vector<uint8_t>> cdbs = {InquiryCdb(true, 0x83, 255),
                                                  ModeSense6Cdb(0x3F, 255), ReadCapacity16Cdb(32)};
  std::vector<uint8_t> buffer(255);
  uint64_t commands = 0;
  for (auto _ : state) {
    for (const auto& cdb : cdbs) {
      ScsiRequest request{};
      request.cdb = cdb.data();
      request.cdb_length = static_cast<uint32_t>(cdb.size());
      request.data.host = buffer.data();
      request.data.length = static_cast<uint32_t>(buffer.size());
      benchmark::DoNotOptimize(rig.disk.Submit(request));
      ++commands;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(commands));
}
BENCHMARK(BM_SynchronousCommands);

}  // namespace
}  // namespace aero::blk::testing

BENCHMARK_MAIN();
