#include "scenarios/scsi_rig.h"

#include "aero/blk/testing/cdb_encode.h"
#include "aero/virtio/spec.h"
#include "platform/cpu.h"
#include "platform/interrupts.h"
#include "platform/pic.h"
#include "platform/text.h"
#include "platform/timer.h"

namespace aero::guest {
namespace {

namespace scsi = blk::scsi;

constexpr uint32_t kPage = 4096;

Text g_reason;

constexpr uint8_t kFua = 0x08;  // byte 1 of the 10/12/16-byte forms

void clear_cdb(ScsiIo* io) {
  for (uint8_t& b : io->cdb) {
    b = 0;
  }
}

}  // namespace

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

uint64_t be64(const uint8_t* p) {
  return (uint64_t{be32(p)} << 32) | be32(p + 4);
}

void cdb_rw6(ScsiIo* io, bool write, uint32_t lba, uint32_t blocks) {
  clear_cdb(io);
  io->cdb_length = blk::testing::EncodeCdb6(io->cdb, write ? scsi::kOpWrite6 : scsi::kOpRead6, lba,
                                            static_cast<uint8_t>(blocks), 0);  // 256 -> 0
}

void cdb_rw10(ScsiIo* io, bool write, uint32_t lba, uint16_t blocks, bool fua) {
  clear_cdb(io);
  io->cdb_length = blk::testing::EncodeCdb10(io->cdb, write ? scsi::kOpWrite10 : scsi::kOpRead10,
                                             lba, blocks, fua ? kFua : 0);
}

void cdb_rw12(ScsiIo* io, bool write, uint32_t lba, uint32_t blocks, bool fua) {
  clear_cdb(io);
  io->cdb_length = blk::testing::EncodeCdb12(io->cdb, write ? scsi::kOpWrite12 : scsi::kOpRead12,
                                             lba, blocks, fua ? kFua : 0);
}

void cdb_rw16(ScsiIo* io, bool write, uint64_t lba, uint32_t blocks, bool fua) {
  clear_cdb(io);
  io->cdb_length = blk::testing::EncodeCdb16(io->cdb, write ? scsi::kOpWrite16 : scsi::kOpRead16,
                                             lba, blocks, fua ? kFua : 0);
}

void cdb_simple(ScsiIo* io, const uint8_t* bytes, uint8_t length) {
  clear_cdb(io);
  io->cdb_length = length;
  for (uint8_t i = 0; i < length && i < sizeof(io->cdb); ++i) {
    io->cdb[i] = bytes[i];
  }
}

bool ScsiRig::on_interrupt(void* context) {
  auto* rig = static_cast<ScsiRig*>(context);
  rig->handler_calls_ = rig->handler_calls_ + 1;
  // What HwInterrupt does: read (and so acknowledge) the ISR through the core.
  const uint8_t isr = rig->disk_.ReadInterruptStatus();
  if (isr == 0) {
    return false;
  }
  rig->interrupts_ = rig->interrupts_ + 1;
  rig->pending_isr_ = static_cast<uint8_t>(rig->pending_isr_ | isr);
  return true;
}

const char* ScsiRig::open(const PciFunction& function, uint16_t max_requests) {
  protocol_errors_ = 0;
  pending_isr_ = 0;
  interrupts_ = 0;
  handler_calls_ = 0;
  const virtio::CapParseOptions options{virtio::CapPolicy::kStandard, nullptr};
  if (const char* e = virtio_probe(&dev_, function, options, true)) {
    return e;
  }
  blk::DiskConfig config = {};
  config.engine.platform = &dev_.platform;
  for (uint32_t i = 0; i < virtio::kPciBarCount; ++i) {
    config.engine.bars[i] = dev_.bars[i];
  }
  config.engine.selector_lock = nullptr;  // one CPU; the rig serializes every call
  config.engine.queue_size = 0;           // the contract's
  config.engine.max_requests = max_requests;
  config.engine.max_data_descriptors = kScsiMaxSegments;
  config.engine.max_transfer_bytes = 0;
  config.engine.config_msix_vector = virtio::spec::kNoVector;
  config.engine.queue_msix_vector = virtio::spec::kNoVector;
  config.engine.fetch_serial = true;
  const blk::Status s = disk_.Initialize(config);
  if (s != blk::Status::kOk) {
    g_reason.clear();
    g_reason.str("ScsiDisk::Initialize: ").str(blk::StatusText(s)).str(" (virtio: ");
    g_reason.str(virtio::StatusText(disk_.engine().virtio_status())).ch(')');
    return g_reason.c_str();
  }
  const virtio::VirtioPciLayout& layout = disk_.engine().layout();
  dev_.platform.WatchRegions(dev_.bars[layout.notify.bar].mapped_base + layout.notify.offset,
                             layout.notify.length,
                             dev_.bars[layout.isr.bar].mapped_base + layout.isr.offset);
  const uint8_t line = function.interrupt_line;
  if (function.interrupt_pin == 0 || line >= kIrqCount || line == kCascadeIrq || line == 0) {
    disk_.Shutdown(on_completion, this);
    return "the function's INTx pin is not routed to a usable 8259 line";
  }
  if ((pic_read_elcr() & (1u << line)) == 0) {
    pic_set_level_triggered(line);
  }
  if (!irq_register(line, on_interrupt, this)) {
    disk_.Shutdown(on_completion, this);
    return "no room in the IRQ handler chain";
  }
  irq_attached_ = true;
  return nullptr;
}

void ScsiRig::close() {
  disk_.Shutdown(on_completion, this);
  if (irq_attached_) {
    irq_unregister(dev_.pci.interrupt_line, on_interrupt, this);
    irq_attached_ = false;
  }
}

void ScsiRig::complete(ScsiIo* io, const blk::ScsiCompletion& completion) {
  ++io->completions;
  if (io->completions != 1 || !io->pending) {
    ++protocol_errors_;
  }
  io->pending = false;
  io->done = true;
  io->completion = completion;
}

void ScsiRig::on_completion(void* context, const blk::ScsiCompletion& completion) {
  auto* rig = static_cast<ScsiRig*>(context);
  rig->complete(static_cast<ScsiIo*>(completion.cookie), completion);
}

blk::HostStatus ScsiRig::submit(ScsiIo* io) {
  io->completions = 0;
  if ((io->length != 0 && io->data == nullptr) || disk_.limits().max_segments == 0) {
    io->pending = false;
    io->done = true;
    io->completion = blk::ScsiCompletion{};
    io->completion.cookie = io;
    io->completion.status = blk::HostStatus::kInvalidRequest;
    return blk::HostStatus::kInvalidRequest;  // the scenario's mistake, not the disk's
  }
  uint32_t chunk = kPage;
  while ((io->length + chunk - 1) / chunk > kScsiMaxSegments ||
         (io->length + chunk - 1) / chunk > disk_.limits().max_segments) {
    chunk *= 2;
  }
  uint32_t count = 0;
  for (uint32_t offset = 0; offset < io->length; offset += chunk, ++count) {
    const uint32_t left = io->length - offset;
    io->segments[count].phys = reinterpret_cast<uintptr_t>(io->data) + offset;
    io->segments[count].length = left < chunk ? left : chunk;
  }
  io->pending = true;
  io->done = false;
  io->completions = 0;
  blk::ScsiRequest request = {};
  request.cdb = io->cdb;
  request.cdb_length = io->cdb_length;
  request.lun = 0;
  request.data.host = io->data;
  request.data.length = io->length;
  request.data.segments = io->segments;
  request.data.segment_count = count;
  request.cookie = io;
  const blk::ScsiCompletion immediate = disk_.Submit(request);
  if (immediate.status != blk::HostStatus::kPending) {
    complete(io, immediate);
  }
  return immediate.status;
}

size_t ScsiRig::service(uint32_t timeout_ms) {
  wait_until([&] { return pending_isr_ != 0; }, timeout_ms);
  uint8_t bits = 0;
  {
    InterruptGuard guard;
    bits = pending_isr_;
    pending_isr_ = 0;
  }
  if (bits == 0) {
    return 0;
  }
  return disk_.ProcessInterrupt(bits, on_completion, this);
}

bool ScsiRig::execute(ScsiIo* io, uint32_t timeout_ms) {
  if (submit(io) != blk::HostStatus::kPending) {
    return io->completion.status != blk::HostStatus::kBusy;
  }
  const Deadline deadline(timeout_ms);
  while (!io->done && !deadline.expired()) {
    service(timeout_ms);
  }
  return io->done;
}

blk::Status ScsiRig::reset_bus() {
  return disk_.ResetBus(on_completion, this);
}

}  // namespace aero::guest
