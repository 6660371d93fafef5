// Scenario "blk-scsi-resize": QEMU grows the disk (QMP block_resize) while the driver core has
// mixed I/O in flight. The config interrupt must update the geometry, the next command must
// report UNIT ATTENTION / CAPACITY DATA HAS CHANGED (and succeed when retried), READ CAPACITY must
// show the new size, and the new blocks must be writable. The harness checks that the image holds
// seed_write in the grown part.
#include "aero/blk/scsi_spec.h"
#include "platform/dma.h"
#include "platform/handshake.h"
#include "platform/markers.h"
#include "platform/text.h"
#include "platform/timer.h"
#include "scenarios/options.h"
#include "scenarios/pattern.h"
#include "scenarios/scenarios.h"
#include "scenarios/scsi_common.h"

namespace aero::guest {
namespace {

namespace scsi = blk::scsi;

constexpr uint16_t kDepth = 16;
constexpr uint32_t kMaxBytes = 32 * 1024;
constexpr uint32_t kRoundsBeforeResize = 16;
constexpr uint32_t kRoundsAfterChange = 32;

// Synchronous non-I/O commands (INQUIRY, READ CAPACITY, ...) use their own request.
ScsiIo g_command;

SectorSeeds g_seeds;

// Drives the READY exchange from inside the workload (between service rounds).
struct ResizeDriver {
  PendingHarnessRequest request;
  uint64_t new_sectors;
  uint32_t timeout_ms;
  uint32_t rounds;
  bool asked;
  bool answered;
  HarnessReply reply;
  uint64_t asked_at_us;
  uint32_t rounds_since_change;
  bool changed;
  bool timed_out;
};

bool between_rounds(void* context) {
  auto* d = static_cast<ResizeDriver*>(context);
  ++d->rounds;
  if (!d->asked && d->rounds >= kRoundsBeforeResize) {
    Marker ready = Marker::ready("resize");
    ready.kv("new_bytes", d->new_sectors * kSectorSize);
    d->request.Begin(ready, "resize");
    d->asked = true;
    d->asked_at_us = now_us();
  }
  if (d->asked && !d->answered) {
    d->answered = d->request.Poll(&d->reply);
  }
  if (!d->changed && scenario_rig().disk().engine().geometry().capacity_sectors == d->new_sectors) {
    d->changed = true;
  }
  if (d->changed && ++d->rounds_since_change >= kRoundsAfterChange && d->answered) {
    return false;  // enough I/O after the change to have met the unit attention
  }
  if (d->asked && now_us() - d->asked_at_us > uint64_t{d->timeout_ms} * 1000) {
    d->timed_out = true;
    return false;
  }
  return true;
}

const char* check_capacity(uint64_t expect_blocks, uint32_t block_size, uint32_t timeout_ms,
                           uint8_t* buf) {
  ScsiIo& io = g_command;
  const uint8_t cap16[16] = {scsi::kOpServiceActionIn16,
                             scsi::kServiceActionReadCapacity16,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             32,
                             0,
                             0};
  for (int attempt = 0; attempt < 2; ++attempt) {  // a pending unit attention is met first
    if (const char* e = scsi_run(scenario_rig(), &io, cap16, 16, buf, 32, timeout_ms)) {
      return e;
    }
    if (io.completion.status != blk::HostStatus::kCheckCondition) {
      break;
    }
  }
  if (const char* e = scsi_expect_good("READ CAPACITY (16)", io)) {
    return e;
  }
  if (be64(buf) != expect_blocks - 1 || be32(buf + 8) != block_size) {
    return "READ CAPACITY (16) does not show the grown disk";
  }
  const uint8_t cap10[10] = {scsi::kOpReadCapacity10};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "READ CAPACITY (10)", cap10, 10, buf, 8, timeout_ms)) {
    return e;
  }
  if (be32(buf) != expect_blocks - 1) {
    return "READ CAPACITY (10) does not show the grown disk";
  }
  return nullptr;
}

}  // namespace

void run_scsi_resize_scenario() {
  const uint32_t seed_initial = option_u32("seed_initial", 0x1234);
  const uint32_t seed_write = option_u32("seed_write", 0x5678);
  const uint32_t disk_sectors = option_u32("disk_sectors", 4096);
  const uint32_t new_sectors = option_u32("new_sectors", 6144);
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  if (!scsi_open_test(scenario_rig(), "resize.init", kDepth, disk_sectors, 512)) {
    return;
  }
  const DmaBuffer page = dma_alloc(4096, 4096);
  if (!scenario_slots().allocate(kMaxBytes) || page.virt == nullptr ||
      !seeds_init(&g_seeds, new_sectors, seed_initial)) {
    TestCase t("resize.memory");
    t.fail("out of DMA memory").emit();
    scenario_rig().close();
    return;
  }
  static ResizeDriver driver;
  driver = ResizeDriver{};
  driver.new_sectors = new_sectors;
  driver.timeout_ms = timeout_ms;
  {
    TestCase t("resize.during_io");
    WorkloadSpec spec = {};
    spec.label = "mixed-during-resize";
    spec.queue_depth = kDepth;
    spec.requests = 1000000;  // ended by between_rounds
    spec.max_bytes = kMaxBytes;
    spec.write_percent = 30;
    spec.block_count = disk_sectors;
    spec.verify = true;
    spec.fua = true;
    spec.rng_seed = seed_write;
    spec.timeout_ms = timeout_ms;
    spec.between = between_rounds;
    spec.context = &driver;
    const uint64_t config_changes = scenario_rig().disk().engine().counters().config_changes;
    WorkloadStats stats = {};
    const char* e = run_workload(scenario_rig(), scenario_slots(), spec, &g_seeds, &stats);
    if (e == nullptr && driver.timed_out) {
      e = driver.answered ? "the disk never reported the new capacity"
                          : "the harness did not answer READY resize";
    }
    if (e == nullptr && driver.reply != HarnessReply::kAck) {
      e = "the harness failed to resize";
    }
    if (e == nullptr && stats.capacity_changed == 0) {
      e = "no command reported UNIT ATTENTION / CAPACITY DATA HAS CHANGED after the resize";
    }
    if (e != nullptr) {
      t.fail(e).emit();
      scenario_rig().close();
      return;
    }
    t.pass()
        .kv("requests", stats.reads + stats.writes)
        .kv("unit_attentions", stats.unit_attentions)
        .kv("capacity_changed", stats.capacity_changed)
        .kv("config_changes",
            scenario_rig().disk().engine().counters().config_changes - config_changes)
        .kv("rounds", driver.rounds)
        .emit();
  }
  {
    TestCase t("resize.capacity");
    if (const char* e =
            check_capacity(new_sectors, 512, timeout_ms, static_cast<uint8_t*>(page.virt))) {
      t.fail(e).emit();
      scenario_rig().close();
      return;
    }
    t.pass().kv("blocks", new_sectors).emit();
  }
  WorkloadSpec grow = {};
  grow.label = "write-new-area";
  grow.queue_depth = 8;
  grow.max_bytes = kMaxBytes;
  grow.write_percent = 100;
  grow.first_block = disk_sectors;
  grow.block_count = new_sectors - disk_sectors;
  grow.sequential = true;
  grow.verify = true;
  grow.write_seed = seed_write;
  grow.rng_seed = 3;
  grow.timeout_ms = timeout_ms;
  WorkloadSpec check = grow;
  check.label = "read-all";
  check.write_percent = 0;
  check.first_block = 0;
  check.block_count = new_sectors;
  if (!workload_test("resize.write_new_area", scenario_rig(), scenario_slots(), grow, &g_seeds) ||
      !workload_test("resize.read_all", scenario_rig(), scenario_slots(), check, &g_seeds)) {
    scenario_rig().close();
    return;
  }
  scsi_close_test(scenario_rig(), "resize.shutdown");
}

}  // namespace aero::guest
