#include "scenarios/scsi_common.h"

#include "platform/dma.h"
#include "platform/markers.h"
#include "platform/text.h"
#include "scenarios/blk_engine.h"
#include "scenarios/pattern.h"

namespace aero::guest {

namespace {
Text g_reason;
}  // namespace

ScsiRig& scenario_rig() {
  static ScsiRig instance;
  return instance;
}

WorkloadSlots& scenario_slots() {
  static WorkloadSlots instance;
  return instance;
}

bool scsi_open_test(ScsiRig& rig, const char* test_name, uint16_t depth, uint64_t expect_sectors,
                    uint32_t expect_block_size) {
  TestCase t(test_name);
  const PciFunction* function = nullptr;
  if (!find_blk(&function)) {
    t.fail("no virtio-blk device (1af4:1042) found").emit();
    return false;
  }
  if (const char* e = rig.open(*function, depth)) {
    t.fail(e).emit();
    return false;
  }
  const blk::DiskGeometry& g = rig.disk().engine().geometry();
  if ((expect_sectors != 0 && g.capacity_sectors != expect_sectors) ||
      g.block_size != expect_block_size) {
    g_reason.clear();
    g_reason.str("geometry ").dec(g.capacity_sectors).str(" sectors of 512, blocks of ");
    g_reason.dec(g.block_size).str("; expected ").dec(expect_sectors).str(" and ");
    g_reason.dec(expect_block_size);
    t.fail(g_reason.c_str()).emit();
    rig.close();
    return false;
  }
  const blk::TransferLimits& l = rig.disk().limits();
  t.pass()
      .kv_hex("negotiated", rig.disk().engine().negotiated_features(), 16)
      .kv("capacity_sectors", g.capacity_sectors)
      .kv("block_size", g.block_size)
      .kv("physical_exponent", g.physical_exponent)
      .kv("max_transfer", l.max_transfer_bytes)
      .kv("max_segments", l.max_segments)
      .kv("queue_depth", l.queue_depth)
      .kv("serial", rig.disk().engine().serial())
      .emit();
  return true;
}

const char* scsi_run(ScsiRig& rig, ScsiIo* io, const uint8_t* cdb, uint8_t cdb_length,
                     uint8_t* buffer, uint32_t length, uint32_t timeout_ms) {
  cdb_simple(io, cdb, cdb_length);
  io->data = buffer;
  io->length = length;
  if (!rig.execute(io, timeout_ms)) {
    g_reason.clear();
    g_reason.str("opcode ").hex(cdb[0], 2).str(": no completion within ").dec(timeout_ms);
    g_reason.str(" ms (or busy)");
    return g_reason.c_str();
  }
  return nullptr;
}

const char* scsi_expect_good(const char* what, const ScsiIo& io) {
  const blk::ScsiCompletion& c = io.completion;
  if (c.status == blk::HostStatus::kSuccess) {
    return nullptr;
  }
  g_reason.clear();
  g_reason.str(what).str(": host status ").dec(static_cast<uint32_t>(c.status));
  g_reason.str(", scsi status ").hex(c.scsi_status, 2);
  if (c.status == blk::HostStatus::kCheckCondition) {
    g_reason.str(", sense ").hex(sense_key(c), 1).ch('/').hex(sense_asc(c), 2).ch('/');
    g_reason.hex(sense_ascq(c), 2);
  }
  return g_reason.c_str();
}

const char* scsi_query(ScsiRig& rig, ScsiIo* io, const char* what, const uint8_t* cdb,
                       uint8_t cdb_length, uint8_t* buffer, uint32_t length, uint32_t timeout_ms) {
  if (const char* e = scsi_run(rig, io, cdb, cdb_length, buffer, length, timeout_ms)) {
    return e;
  }
  return scsi_expect_good(what, *io);
}

void scsi_close_test(ScsiRig& rig, const char* test_name) {
  TestCase t(test_name);
  rig.close();
  if (rig.protocol_errors() != 0) {
    t.fail("a request completed twice or while not pending").emit();
    return;
  }
  t.pass().kv("interrupts", rig.interrupts()).kv("handler_calls", rig.handler_calls()).emit();
}

bool seeds_init(SectorSeeds* seeds, uint64_t sectors, uint32_t seed) {
  const DmaBuffer table = dma_alloc(static_cast<size_t>(sectors) * sizeof(uint32_t), 64);
  if (table.virt == nullptr) {
    return false;
  }
  seeds->seed = static_cast<uint32_t*>(table.virt);
  seeds->sectors = sectors;
  for (uint64_t s = 0; s < sectors; ++s) {
    seeds->seed[s] = seed;
  }
  return true;
}

bool workload_test(const char* test_name, ScsiRig& rig, WorkloadSlots& slots,
                   const WorkloadSpec& spec, SectorSeeds* seeds, WorkloadStats* totals) {
  TestCase t(test_name);
  const blk::EngineCounters before = rig.disk().engine().counters();
  const uint32_t interrupts_before = rig.interrupts();
  WorkloadStats stats = {};
  if (const char* e = run_workload(rig, slots, spec, seeds, &stats)) {
    t.fail(e).kv("label", spec.label).emit();
    return false;
  }
  const blk::EngineCounters& after = rig.disk().engine().counters();
  t.pass()
      .kv("label", spec.label)
      .kv("qd", spec.queue_depth)
      .kv("reads", stats.reads)
      .kv("writes", stats.writes)
      .kv("fua_writes", stats.fua_writes)
      .kv("bytes", stats.read_bytes + stats.write_bytes)
      .kv("cdb6", stats.cdb_forms[0])
      .kv("cdb10", stats.cdb_forms[1])
      .kv("cdb12", stats.cdb_forms[2])
      .kv("cdb16", stats.cdb_forms[3])
      .kv("max_on_device", stats.max_on_device)
      .kv("busy", stats.busy)
      .kv("unit_attentions", stats.unit_attentions)
      .kv("notifications", after.notifications - before.notifications)
      .kv("interrupts", rig.interrupts() - interrupts_before)
      .kv("elapsed_us", stats.elapsed_us)
      .emit();
  if (totals != nullptr) {
    totals->reads += stats.reads;
    totals->writes += stats.writes;
    totals->fua_writes += stats.fua_writes;
    totals->read_bytes += stats.read_bytes;
    totals->write_bytes += stats.write_bytes;
    for (uint32_t i = 0; i < 4; ++i) {
      totals->cdb_forms[i] += stats.cdb_forms[i];
    }
    totals->unit_attentions += stats.unit_attentions;
    totals->capacity_changed += stats.capacity_changed;
  }
  return true;
}

}  // namespace aero::guest
