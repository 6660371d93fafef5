// The virtio-blk driver core (RequestEngine + ScsiDisk from drivers/virtio-blk/core) on QEMU's
// virtio-blk, driven the way the StorPort shim drives it on Windows: SRB-like requests with a
// CDB and a scatter-gather list go to ScsiDisk::Submit, the INTx handler calls
// ReadInterruptStatus, and the "DPC" (service) calls ProcessInterrupt, whose callbacks complete
// the requests. The rig checks StorPort's rule that every request completes exactly once.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "aero/blk/scsi_disk.h"
#include "platform/pci.h"
#include "virtio/device.h"

namespace aero::guest {

inline constexpr uint32_t kScsiMaxSegments = 32;

// One request, as an SRB would carry it. `data` is identity-mapped DMA memory; the rig splits it
// into page-sized scatter-gather elements (as StorPort describes a buffer).
struct ScsiIo {
  uint8_t cdb[16];
  uint8_t cdb_length;
  uint8_t* data;
  uint32_t length;
  blk::PhysicalSegment segments[kScsiMaxSegments];
  // Set by the rig.
  bool pending;
  bool done;
  uint32_t completions;  // must end at exactly 1
  blk::ScsiCompletion completion;
  // Free for the scenario.
  uint64_t first_sector;  // 512-byte sectors this request covers
  uint32_t sectors;
  uint32_t seed;
  bool write;
};

// CDB builders (big-endian fields).
void cdb_rw6(ScsiIo* io, bool write, uint32_t lba, uint32_t blocks);
void cdb_rw10(ScsiIo* io, bool write, uint32_t lba, uint16_t blocks, bool fua);
void cdb_rw12(ScsiIo* io, bool write, uint32_t lba, uint32_t blocks, bool fua);
void cdb_rw16(ScsiIo* io, bool write, uint64_t lba, uint32_t blocks, bool fua);
void cdb_simple(ScsiIo* io, const uint8_t* bytes, uint8_t length);

uint32_t be32(const uint8_t* p);
uint64_t be64(const uint8_t* p);

class ScsiRig {
 public:
  // Finds nothing itself: binds the function, brings the disk up through ScsiDisk::Initialize
  // and hooks the INTx line. Returns nullptr or a reason.
  const char* open(const PciFunction& function, uint16_t max_requests);
  // ScsiDisk::Shutdown (everything outstanding completes, aborted) and the IRQ let go.
  void close();

  // Prepares io (segments, bookkeeping) and submits it. An immediate outcome is stored in
  // io->completion with io->done set; kPending means a callback completes it later.
  blk::HostStatus submit(ScsiIo* io);
  // Waits up to timeout_ms for an interrupt and runs the DPC work. Returns completions delivered.
  size_t service(uint32_t timeout_ms);
  // submit + service until done; false on timeout or when the disk reports busy.
  bool execute(ScsiIo* io, uint32_t timeout_ms);
  // ScsiDisk::ResetBus: outstanding requests complete (aborted) before it returns.
  blk::Status reset_bus();

  blk::ScsiDisk& disk() { return disk_; }
  VirtioDevice& device() { return dev_; }
  uint32_t block_size() const { return disk_.engine().geometry().block_size; }
  uint64_t block_count() const { return disk_.engine().geometry().block_count; }
  // Requests completed more than once, or completed while not pending (must stay 0).
  uint32_t protocol_errors() const { return protocol_errors_; }
  uint32_t interrupts() const { return interrupts_; }
  uint32_t handler_calls() const { return handler_calls_; }

 private:
  static bool on_interrupt(void* context);
  static void on_completion(void* context, const blk::ScsiCompletion& completion);
  void complete(ScsiIo* io, const blk::ScsiCompletion& completion);

  VirtioDevice dev_;
  blk::ScsiDisk disk_;
  bool irq_attached_ = false;
  volatile uint8_t pending_isr_ = 0;
  volatile uint32_t interrupts_ = 0;
  volatile uint32_t handler_calls_ = 0;
  uint32_t protocol_errors_ = 0;
};

// Fixed-format sense fields of a completion.
inline uint8_t sense_key(const blk::ScsiCompletion& c) {
  return c.sense.bytes[2] & 0x0f;
}
inline uint8_t sense_asc(const blk::ScsiCompletion& c) {
  return c.sense.bytes[12];
}
inline uint8_t sense_ascq(const blk::ScsiCompletion& c) {
  return c.sense.bytes[13];
}

}  // namespace aero::guest
