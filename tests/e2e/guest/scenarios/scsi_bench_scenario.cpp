// Scenario "blk-bench": throughput and trap cost of the virtio-blk driver core on QEMU, for 4 KiB
// and 64 KiB random reads and writes at queue depth 1 and 32. Each run prints an
// AERO_SELFTEST|INFO|event=blk_bench line: requests, elapsed time, and the device exits the guest
// counted (doorbell writes, interrupts taken, ISR reads, all MMIO). The harness turns them into
// IOPS, MB/s and exits per request (docs/e2e.md). Figures under TCG are relative, not absolute.
#include "platform/markers.h"
#include "platform/text.h"
#include "scenarios/options.h"
#include "scenarios/scenarios.h"
#include "scenarios/scsi_common.h"

namespace aero::guest {
namespace {

constexpr uint16_t kDepth = 32;
constexpr uint32_t kMaxBytes = 64 * 1024;

struct BenchRun {
  const char* label;
  uint32_t bytes;
  uint32_t write_percent;
  uint32_t queue_depth;
  uint32_t requests;
};

constexpr BenchRun kRuns[] = {
    {"randread-4k-qd1", 4096, 0, 1, 2000},      {"randread-4k-qd32", 4096, 0, 32, 8000},
    {"randwrite-4k-qd1", 4096, 100, 1, 2000},   {"randwrite-4k-qd32", 4096, 100, 32, 8000},
    {"randread-64k-qd1", 65536, 0, 1, 1000},    {"randread-64k-qd32", 65536, 0, 32, 2000},
    {"randwrite-64k-qd1", 65536, 100, 1, 1000}, {"randwrite-64k-qd32", 65536, 100, 32, 2000},
};

}  // namespace

void run_scsi_bench_scenario() {
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  if (!scsi_open_test(scenario_rig(), "bench.init", kDepth, 0, 512)) {
    return;
  }
  if (!scenario_slots().allocate(kMaxBytes)) {
    TestCase t("bench.memory");
    t.fail("out of DMA memory").emit();
    scenario_rig().close();
    return;
  }
  TestCase t("bench.blk");
  for (const BenchRun& run : kRuns) {
    WorkloadSpec spec = {};
    spec.label = run.label;
    spec.queue_depth = run.queue_depth;
    spec.requests = run.requests;
    spec.max_bytes = kMaxBytes;
    spec.fixed_bytes = run.bytes;
    spec.write_percent = run.write_percent;
    spec.block_count = scenario_rig().block_count();
    spec.verify = false;
    spec.rng_seed = run.bytes ^ run.queue_depth ^ run.write_percent;
    spec.timeout_ms = timeout_ms;
    const blk::EngineCounters before = scenario_rig().disk().engine().counters();
    const AccessCounters access_before = scenario_rig().device().platform.counters();
    const uint32_t interrupts_before = scenario_rig().interrupts();
    WorkloadStats stats = {};
    if (const char* e = run_workload(scenario_rig(), scenario_slots(), spec, nullptr, &stats)) {
      t.fail(e).kv("label", run.label).emit();
      scenario_rig().close();
      return;
    }
    const blk::EngineCounters& after = scenario_rig().disk().engine().counters();
    const AccessCounters& access = scenario_rig().device().platform.counters();
    Marker::info()
        .kv("event", "blk_bench")
        .kv("label", run.label)
        .kv("bytes", run.bytes)
        .kv("qd", run.queue_depth)
        .kv("requests", stats.reads + stats.writes)
        .kv("elapsed_us", stats.elapsed_us)
        .kv("notifies", access.notify_writes - access_before.notify_writes)
        .kv("engine_notifications", after.notifications - before.notifications)
        .kv("interrupts", scenario_rig().interrupts() - interrupts_before)
        .kv("isr_reads", access.isr_reads - access_before.isr_reads)
        .kv("mmio_reads", access.mmio_reads - access_before.mmio_reads)
        .kv("mmio_writes", access.mmio_writes - access_before.mmio_writes)
        .kv("max_on_device", stats.max_on_device)
        .emit();
  }
  scenario_rig().close();
  if (scenario_rig().protocol_errors() != 0) {
    t.fail("a request completed twice or while not pending").emit();
    return;
  }
  t.pass().kv("runs", sizeof(kRuns) / sizeof(kRuns[0])).emit();
}

}  // namespace aero::guest
