// Scenario "blk-scsi-ioerror": QEMU's blkdebug driver fails every read touching sector
// read_error_sector and every write touching write_error_sector with EIO; virtio-blk reports
// VIRTIO_BLK_S_IOERR. The driver core must turn that into CHECK CONDITION / MEDIUM ERROR with
// UNRECOVERED READ ERROR or WRITE ERROR and the failed request's first LBA in INFORMATION, and
// keep working: the device is not reset or marked broken for a media error. The harness checks
// that the image still holds seed_initial everywhere (the failed write changed nothing).
#include "aero/blk/scsi_spec.h"
#include "platform/markers.h"
#include "platform/text.h"
#include "scenarios/options.h"
#include "scenarios/pattern.h"
#include "scenarios/scenarios.h"
#include "scenarios/scsi_common.h"

namespace aero::guest {
namespace {

namespace scsi = blk::scsi;

constexpr uint32_t kBlocksPerRequest = 8;

Text g_reason;

// The request covers the failing sector from 3 blocks before it.
const char* expect_medium_error(bool write, uint32_t error_sector, uint32_t seed,
                                uint32_t timeout_ms, Marker* report) {
  ScsiIo& io = scenario_slots().io(0);
  const uint32_t lba = error_sector - 3;
  if (write) {
    for (uint32_t s = 0; s < kBlocksPerRequest; ++s) {
      fill_sector_pattern(seed, lba + s, io.data + s * kSectorSize);
    }
    cdb_rw16(&io, true, lba, kBlocksPerRequest, false);
  } else {
    cdb_rw10(&io, false, lba, kBlocksPerRequest, false);
  }
  io.length = kBlocksPerRequest * kSectorSize;
  if (!scenario_rig().execute(&io, timeout_ms)) {
    return "the request did not complete";
  }
  const blk::ScsiCompletion& c = io.completion;
  const scsi::Asc asc = write ? scsi::kAscWriteError : scsi::kAscUnrecoveredReadError;
  const uint32_t information = be32(c.sense.bytes + 3);
  if (c.status != blk::HostStatus::kCheckCondition ||
      c.scsi_status != scsi::kStatusCheckCondition || sense_key(c) != scsi::kSenseMediumError ||
      sense_asc(c) != asc.code || sense_ascq(c) != asc.qualifier ||
      c.sense_length != scsi::kFixedSenseBytes ||
      c.sense.bytes[0] != (scsi::kSenseResponseFixedCurrent | scsi::kSenseValidInformation) ||
      c.sense.bytes[7] != scsi::kFixedSenseAdditionalLength || information != lba) {
    g_reason.clear();
    g_reason.str("expected CHECK CONDITION, MEDIUM ERROR ").hex(asc.code, 2).str(" at LBA ");
    g_reason.dec(lba).str("; got host status ").dec(static_cast<uint32_t>(c.status));
    g_reason.str(" sense ").hex(sense_key(c), 1).ch('/').hex(sense_asc(c), 2).ch('/');
    g_reason.hex(sense_ascq(c), 2).str(" information ").dec(information);
    return g_reason.c_str();
  }
  report->kv("lba", lba).kv_hex("sense_key", sense_key(c)).kv_hex("asc", sense_asc(c), 2);
  return nullptr;
}

}  // namespace

void run_scsi_error_scenario() {
  const uint32_t seed_initial = option_u32("seed_initial", 0x1234);
  const uint32_t disk_sectors = option_u32("disk_sectors", 4096);
  const uint32_t read_error = option_u32("read_error_sector", 1000);
  const uint32_t write_error = option_u32("write_error_sector", 2000);
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  if (!scsi_open_test(scenario_rig(), "ioerror.init", 8, disk_sectors, 512)) {
    return;
  }
  SectorSeeds seeds = {};
  if (!scenario_slots().allocate(64 * 1024) || !seeds_init(&seeds, disk_sectors, seed_initial)) {
    TestCase t("ioerror.memory");
    t.fail("out of DMA memory").emit();
    scenario_rig().close();
    return;
  }
  const bool ok_read = [&] {
    TestCase t("ioerror.read_medium_error");
    Marker pass = t.pass();
    if (const char* e = expect_medium_error(false, read_error, 0, timeout_ms, &pass)) {
      t.fail(e).emit();
      return false;
    }
    pass.emit();
    return true;
  }();
  const bool ok_write = ok_read && [&] {
    TestCase t("ioerror.write_medium_error");
    Marker pass = t.pass();
    if (const char* e = expect_medium_error(true, write_error, 0x77, timeout_ms, &pass)) {
      t.fail(e).emit();
      return false;
    }
    pass.emit();
    return true;
  }();
  if (!ok_write) {
    scenario_rig().close();
    return;
  }
  {
    TestCase t("ioerror.still_running");
    const blk::EngineCounters& c = scenario_rig().disk().engine().counters();
    if (scenario_rig().disk().engine().state() != blk::EngineState::kRunning || c.recoveries != 0) {
      t.fail("a media error reset the device or stopped the engine").emit();
      scenario_rig().close();
      return;
    }
    t.pass().emit();
  }
  // Everything before the failing read sector, and after it up to the failing write sector,
  // reads back as seeded.
  WorkloadSpec spec = {};
  spec.label = "read-around-errors";
  spec.queue_depth = 8;
  spec.max_bytes = 64 * 1024;
  spec.sequential = true;
  spec.verify = true;
  spec.rng_seed = 1;
  spec.timeout_ms = timeout_ms;
  spec.first_block = 0;
  spec.block_count = read_error;
  WorkloadSpec middle = spec;
  middle.first_block = read_error + 1;
  middle.block_count = write_error - read_error - 1;
  if (!workload_test("ioerror.read_before", scenario_rig(), scenario_slots(), spec, &seeds) ||
      !workload_test("ioerror.read_between", scenario_rig(), scenario_slots(), middle, &seeds)) {
    scenario_rig().close();
    return;
  }
  scsi_close_test(scenario_rig(), "ioerror.shutdown");
}

}  // namespace aero::guest
