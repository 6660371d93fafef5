// Scenario "blk-scsi": the virtio-blk driver core (ScsiDisk over RequestEngine) against QEMU's
// virtio-blk, spoken to in SCSI as StorPort and the Windows disk class driver do. The harness
// seeds the disk with seed_initial and checks afterwards that it holds seed_write everywhere.
// Run with 512-byte and with 4096-byte logical blocks (block_size=).
#include "aero/blk/scsi_spec.h"
#include "platform/dma.h"
#include "platform/handshake.h"
#include "platform/markers.h"
#include "platform/text.h"
#include "scenarios/options.h"
#include "scenarios/pattern.h"
#include "scenarios/scenarios.h"
#include "scenarios/scsi_common.h"

namespace aero::guest {
namespace {

namespace scsi = blk::scsi;

constexpr uint16_t kDepth = 32;
constexpr uint32_t kMaxBytes = 64 * 1024;
constexpr uint32_t kRandomRequestsPerDepth = 160;
constexpr uint32_t kDepths[] = {1, 2, 4, 8, 16, 32};

// Synchronous non-I/O commands (INQUIRY, READ CAPACITY, ...) use their own request.
ScsiIo g_command;

SectorSeeds g_seeds;
Text g_reason;

struct Options {
  uint32_t seed_initial;
  uint32_t seed_write;
  uint32_t disk_sectors;
  uint32_t block_size;
  uint32_t timeout_ms;
  const char* serial;
};

// INQUIRY (standard and the VPD pages), READ CAPACITY (10)/(16), MODE SENSE caching page, TEST
// UNIT READY and REPORT LUNS, as the disk class driver asks at boot.
const char* identify(const Options& o, uint8_t* buf, Marker* report) {
  ScsiIo& io = g_command;
  const uint32_t blocks = o.disk_sectors / (o.block_size / kSectorSize);
  const uint8_t inquiry[6] = {scsi::kOpInquiry, 0, 0, 0, 96, 0};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "INQUIRY", inquiry, 6, buf, 96, o.timeout_ms)) {
    return e;
  }
  if (buf[0] != scsi::kPeripheralDirectAccess || io.completion.transferred < 36) {
    return "INQUIRY: not a direct-access device, or short data";
  }
  const uint8_t vpd0[6] = {scsi::kOpInquiry, 1, scsi::kVpdSupportedPages, 0, 64, 0};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "INQUIRY VPD 0x00", vpd0, 6, buf, 64, o.timeout_ms)) {
    return e;
  }
  const uint8_t wanted[] = {scsi::kVpdUnitSerialNumber, scsi::kVpdDeviceIdentification,
                            scsi::kVpdBlockLimits, scsi::kVpdBlockDeviceCharacteristics};
  for (uint8_t page : wanted) {
    bool listed = false;
    for (uint32_t i = 0; i < buf[3]; ++i) {
      listed = listed || buf[4 + i] == page;
    }
    if (!listed) {
      return "INQUIRY VPD 0x00 does not list 0x80, 0x83, 0xB0 and 0xB1";
    }
  }
  // The serial QEMU was given (serial=) must come through GET_ID into VPD 0x80.
  const uint8_t vpd80[6] = {scsi::kOpInquiry, 1, scsi::kVpdUnitSerialNumber, 0, 64, 0};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "INQUIRY VPD 0x80", vpd80, 6, buf, 64, o.timeout_ms)) {
    return e;
  }
  uint32_t serial_length = 0;
  while (o.serial[serial_length] != '\0') {
    ++serial_length;
  }
  if (buf[3] != serial_length) {
    return "INQUIRY VPD 0x80: serial length differs from QEMU's serial";
  }
  for (uint32_t i = 0; i < serial_length; ++i) {
    if (buf[4 + i] != static_cast<uint8_t>(o.serial[i])) {
      return "INQUIRY VPD 0x80: serial differs from QEMU's serial";
    }
  }
  const uint8_t vpd83[6] = {scsi::kOpInquiry, 1, scsi::kVpdDeviceIdentification, 0, 96, 0};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "INQUIRY VPD 0x83", vpd83, 6, buf, 96, o.timeout_ms)) {
    return e;
  }
  const uint8_t vpdb0[6] = {scsi::kOpInquiry, 1, scsi::kVpdBlockLimits, 0, 64, 0};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "INQUIRY VPD 0xB0", vpdb0, 6, buf, 64, o.timeout_ms)) {
    return e;
  }
  const uint32_t max_transfer_blocks = be32(buf + 8);
  if (max_transfer_blocks == 0 || uint64_t{max_transfer_blocks} * o.block_size >
                                      scenario_rig().disk().limits().max_transfer_bytes) {
    return "INQUIRY VPD 0xB0: MAXIMUM TRANSFER LENGTH disagrees with the engine's limit";
  }

  const uint8_t cap10[10] = {scsi::kOpReadCapacity10};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "READ CAPACITY (10)", cap10, 10, buf, 8, o.timeout_ms)) {
    return e;
  }
  if (be32(buf) != blocks - 1 || be32(buf + 4) != o.block_size) {
    g_reason.clear();
    g_reason.str("READ CAPACITY (10): last LBA ").dec(be32(buf)).str(", block length ");
    g_reason.dec(be32(buf + 4)).str("; expected ").dec(blocks - 1).str(", ").dec(o.block_size);
    return g_reason.c_str();
  }
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
  if (const char* e =
          scsi_query(scenario_rig(), &io, "READ CAPACITY (16)", cap16, 16, buf, 32, o.timeout_ms)) {
    return e;
  }
  if (be64(buf) != blocks - 1 || be32(buf + 8) != o.block_size) {
    return "READ CAPACITY (16): last LBA or block length differ from the disk";
  }
  const uint8_t mode6[6] = {scsi::kOpModeSense6, 0x08, scsi::kModePageCaching, 0, 64, 0};
  if (const char* e = scsi_query(scenario_rig(), &io, "MODE SENSE (6) caching", mode6, 6, buf, 64,
                                 o.timeout_ms)) {
    return e;
  }
  // DBD set: header (4) then the caching page; QEMU's default cache mode is writeback (FLUSH).
  const bool wce = (buf[4 + 2] & scsi::kCachingWce) != 0;
  if (buf[3] != 0 || (buf[4] & 0x3f) != scsi::kModePageCaching ||
      wce != scenario_rig().disk().engine().has_flush()) {
    return "MODE SENSE (6): block descriptor despite DBD, caching page missing, or WCE disagrees "
           "with VIRTIO_BLK_F_FLUSH";
  }
  const uint8_t tur[6] = {scsi::kOpTestUnitReady};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "TEST UNIT READY", tur, 6, nullptr, 0, o.timeout_ms)) {
    return e;
  }
  const uint8_t luns[12] = {scsi::kOpReportLuns, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0};
  if (const char* e =
          scsi_query(scenario_rig(), &io, "REPORT LUNS", luns, 12, buf, 64, o.timeout_ms)) {
    return e;
  }
  if (be32(buf) != 8) {
    return "REPORT LUNS: expected exactly one LUN";
  }
  report->kv("blocks", blocks)
      .kv("wce", wce ? 1u : 0u)
      .kv("vpd_b0_max_blocks", max_transfer_blocks);
  return nullptr;
}

// READ (16) one block past the end and WRITE (10) across it: ILLEGAL REQUEST, LBA OUT OF RANGE,
// without reaching the device.
const char* out_of_range(const Options& o) {
  ScsiIo& io = scenario_slots().io(0);
  const uint64_t blocks = scenario_rig().block_count();
  cdb_rw16(&io, false, blocks, 1, false);
  io.length = o.block_size;
  const uint64_t submitted = scenario_rig().disk().engine().counters().submitted;
  if (!scenario_rig().execute(&io, o.timeout_ms)) {
    return "READ (16) past the end did not complete";
  }
  const blk::ScsiCompletion& c = io.completion;
  if (c.status != blk::HostStatus::kCheckCondition || sense_key(c) != scsi::kSenseIllegalRequest ||
      sense_asc(c) != scsi::kAscLbaOutOfRange.code) {
    return "READ (16) past the end: expected ILLEGAL REQUEST / LBA OUT OF RANGE";
  }
  cdb_rw10(&io, true, static_cast<uint32_t>(blocks - 1), 2, false);
  io.length = 2 * o.block_size;
  if (!scenario_rig().execute(&io, o.timeout_ms)) {
    return "WRITE (10) across the end did not complete";
  }
  if (io.completion.status != blk::HostStatus::kCheckCondition ||
      sense_key(io.completion) != scsi::kSenseIllegalRequest ||
      sense_asc(io.completion) != scsi::kAscLbaOutOfRange.code) {
    return "WRITE (10) across the end: expected ILLEGAL REQUEST / LBA OUT OF RANGE";
  }
  if (scenario_rig().disk().engine().counters().submitted != submitted) {
    return "an out-of-range request reached the device";
  }
  return nullptr;
}

// HwResetBus with 32 reads in flight: each completes exactly once (done or aborted) before the
// reset returns, and the disk works afterwards.
const char* reset_with_io_in_flight(const Options& o, Marker* report) {
  const uint32_t sectors_per_block = o.block_size / kSectorSize;
  const uint32_t blocks = 8 / sectors_per_block > 0 ? 8 / sectors_per_block : 1;
  uint32_t pending = 0;
  for (uint32_t i = 0; i < kDepth; ++i) {
    ScsiIo& io = scenario_slots().io(i);
    const uint64_t lba = (uint64_t{i} * 13 * blocks) % (scenario_rig().block_count() - blocks);
    cdb_rw10(&io, false, static_cast<uint32_t>(lba), static_cast<uint16_t>(blocks), false);
    io.length = blocks * o.block_size;
    if (scenario_rig().submit(&io) == blk::HostStatus::kPending) {
      ++pending;
    }
  }
  if (pending == 0) {
    return "no read was accepted before the reset";
  }
  const blk::Status s = scenario_rig().reset_bus();
  if (s != blk::Status::kOk) {
    return "ResetBus did not bring the device back";
  }
  uint32_t aborted = 0;
  uint32_t succeeded = 0;
  for (uint32_t i = 0; i < kDepth; ++i) {
    const ScsiIo& io = scenario_slots().io(i);
    if (io.completions != 1) {
      return "a request did not complete exactly once across the reset";
    }
    if (io.completion.status == blk::HostStatus::kAborted) {
      ++aborted;
    } else if (io.completion.status == blk::HostStatus::kSuccess) {
      ++succeeded;
    } else {
      return "a request ended neither done nor aborted across the reset";
    }
  }
  // The first command afterwards may report the reset (UNIT ATTENTION); then it must work.
  ScsiIo& io = scenario_slots().io(0);
  for (int attempt = 0; attempt < 2; ++attempt) {
    cdb_rw16(&io, false, 0, blocks, false);
    io.length = blocks * o.block_size;
    if (!scenario_rig().execute(&io, o.timeout_ms)) {
      return "no read completed after the reset";
    }
    if (io.completion.status != blk::HostStatus::kCheckCondition ||
        sense_key(io.completion) != scsi::kSenseUnitAttention) {
      break;
    }
  }
  if (const char* e = scsi_expect_good("read after the reset", io)) {
    return e;
  }
  for (uint32_t sector = 0; sector < blocks * sectors_per_block; ++sector) {
    if (!check_sector_pattern(g_seeds.seed[sector], sector, io.data + sector * kSectorSize)) {
      return "data read after the reset is not what the disk holds";
    }
  }
  report->kv("in_flight", pending).kv("aborted", aborted).kv("completed", succeeded);
  return nullptr;
}

WorkloadSpec sequential(const Options& o, const char* label, bool write, uint32_t seed) {
  WorkloadSpec spec = {};
  spec.label = label;
  spec.queue_depth = 16;
  spec.max_bytes = kMaxBytes;
  spec.write_percent = write ? 100 : 0;
  spec.block_count = scenario_rig().block_count();
  spec.sequential = true;
  spec.verify = true;
  spec.write_seed = seed;
  spec.fua = true;
  spec.rng_seed = seed;
  spec.timeout_ms = o.timeout_ms;
  return spec;
}

bool sync_cache_test(const Options& o) {
  TestCase t("scsi.synchronize_cache");
  ScsiIo& io = g_command;
  const uint64_t flushes_before = scenario_rig().disk().engine().counters().submitted;
  const uint8_t sync10[10] = {scsi::kOpSynchronizeCache10};
  const uint8_t sync16[16] = {scsi::kOpSynchronizeCache16};
  const char* e = scsi_run(scenario_rig(), &io, sync10, 10, nullptr, 0, o.timeout_ms);
  if (e == nullptr) {
    e = scsi_expect_good("SYNCHRONIZE CACHE (10)", io);
  }
  if (e == nullptr) {
    e = scsi_run(scenario_rig(), &io, sync16, 16, nullptr, 0, o.timeout_ms);
  }
  if (e == nullptr) {
    e = scsi_expect_good("SYNCHRONIZE CACHE (16)", io);
  }
  const uint64_t sent = scenario_rig().disk().engine().counters().submitted - flushes_before;
  // QEMU's default cache mode (writeback) offers VIRTIO_BLK_F_FLUSH.
  if (e == nullptr && !scenario_rig().disk().engine().has_flush()) {
    e = "QEMU did not offer VIRTIO_BLK_F_FLUSH";
  }
  if (e == nullptr && sent != 2) {
    e = "SYNCHRONIZE CACHE did not become one virtio FLUSH each";
  }
  if (e != nullptr) {
    t.fail(e).emit();
    return false;
  }
  t.pass().kv("flushes", sent).emit();
  return true;
}

// QEMU's own accounting must agree: every byte written through SCSI reached the image, and
// every FUA write and SYNCHRONIZE CACHE became exactly one flush (the harness compares
// query-blockstats for drive d0 and answers NAK on a difference).
bool blockstats_test(const WorkloadStats& totals) {
  TestCase t("scsi.qemu_blockstats");
  const uint64_t flushes = uint64_t{totals.fua_writes} + 2;  // + SYNCHRONIZE CACHE (10) and (16)
  Marker ready = Marker::ready("blockstats");
  ready.kv("write_bytes", totals.write_bytes).kv("flushes", flushes);
  const HarnessReply reply = request_harness(ready, "blockstats", 10000);
  if (reply != HarnessReply::kAck) {
    t.fail(harness_reply_text(reply))
        .kv("write_bytes", totals.write_bytes)
        .kv("flushes", flushes)
        .emit();
    return false;
  }
  t.pass().kv("write_bytes", totals.write_bytes).kv("flushes", flushes).emit();
  return true;
}

void run(const Options& o) {
  if (!scsi_open_test(scenario_rig(), "scsi.init", kDepth, o.disk_sectors, o.block_size)) {
    return;
  }
  const DmaBuffer page = dma_alloc(4096, 4096);
  if (!scenario_slots().allocate(kMaxBytes) || page.virt == nullptr ||
      !seeds_init(&g_seeds, o.disk_sectors, o.seed_initial)) {
    TestCase t("scsi.memory");
    t.fail("out of DMA memory").emit();
    scenario_rig().close();
    return;
  }
  {
    TestCase t("scsi.identify");
    Marker pass = t.pass();
    if (const char* e = identify(o, static_cast<uint8_t*>(page.virt), &pass)) {
      t.fail(e).emit();
      scenario_rig().close();
      return;
    }
    pass.emit();
  }
  WorkloadStats totals = {};  // everything the workloads moved, for the blockstats comparison
  if (!workload_test("scsi.read_seeded", scenario_rig(), scenario_slots(),
                     sequential(o, "read-seeded", false, o.seed_initial), &g_seeds, &totals)) {
    scenario_rig().close();
    return;
  }
  for (uint32_t depth : kDepths) {
    WorkloadSpec spec = {};
    spec.label = "random-mixed";
    spec.queue_depth = depth;
    spec.requests = kRandomRequestsPerDepth;
    spec.max_bytes = kMaxBytes;
    spec.write_percent = 50;
    spec.block_count = scenario_rig().block_count();
    spec.verify = true;
    spec.fua = true;
    spec.rng_seed = o.seed_write ^ (depth * 0x9E3779B1u);
    spec.timeout_ms = o.timeout_ms;
    Text name;
    name.str("scsi.random_qd").dec(depth);
    if (!workload_test(name.c_str(), scenario_rig(), scenario_slots(), spec, &g_seeds, &totals)) {
      scenario_rig().close();
      return;
    }
  }
  {
    TestCase t("scsi.cdb_forms");
    const uint32_t* forms = totals.cdb_forms;
    const bool all_used =
        forms[0] != 0 && forms[1] != 0 && forms[2] != 0 && forms[3] != 0 && totals.fua_writes != 0;
    (all_used ? t.pass() : t.fail("the workloads did not use every READ/WRITE CDB size and FUA"))
        .kv("cdb6", forms[0])
        .kv("cdb10", forms[1])
        .kv("cdb12", forms[2])
        .kv("cdb16", forms[3])
        .kv("fua_writes", totals.fua_writes)
        .emit();
    if (!all_used) {
      scenario_rig().close();
      return;
    }
  }
  if (!workload_test("scsi.verify_after_random", scenario_rig(), scenario_slots(),
                     sequential(o, "read-all", false, 1), &g_seeds, &totals) ||
      !workload_test("scsi.write_pattern", scenario_rig(), scenario_slots(),
                     sequential(o, "write-all", true, o.seed_write), &g_seeds, &totals) ||
      !sync_cache_test(o) ||
      !workload_test("scsi.read_back", scenario_rig(), scenario_slots(),
                     sequential(o, "read-all", false, 2), &g_seeds, &totals) ||
      !blockstats_test(totals)) {
    scenario_rig().close();
    return;
  }
  {
    TestCase t("scsi.out_of_range");
    if (const char* e = out_of_range(o)) {
      t.fail(e).emit();
      scenario_rig().close();
      return;
    }
    t.pass().emit();
  }
  {
    TestCase t("scsi.reset_bus");
    Marker pass = t.pass();
    if (const char* e = reset_with_io_in_flight(o, &pass)) {
      t.fail(e).emit();
      scenario_rig().close();
      return;
    }
    pass.emit();
  }
  scsi_close_test(scenario_rig(), "scsi.shutdown");
}

}  // namespace

void run_scsi_scenario() {
  Options o = {};
  o.seed_initial = option_u32("seed_initial", 0x1234);
  o.seed_write = option_u32("seed_write", 0x5678);
  o.disk_sectors = option_u32("disk_sectors", 4096);
  o.block_size = option_u32("block_size", 512);
  o.timeout_ms = option_u32("io_timeout_ms", 10000);
  o.serial = "AERO-E2E-BLK";
  run(o);
}

}  // namespace aero::guest
