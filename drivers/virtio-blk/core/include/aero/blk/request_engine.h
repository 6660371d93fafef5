// The virtio-blk request engine: brings the device up over lib/virtio, turns block requests into
// descriptor chains (indirect when negotiated), harvests completions, and recovers from resets,
// device faults and configuration changes. It knows nothing about SCSI (see scsi_disk.h).
//
// Memory: everything is allocated by Initialize through the Platform (one DMA block of request
// slots, each holding the 16-byte header, the status byte and an indirect table, plus private
// bookkeeping). Submit and Harvest never allocate. Re-initialisation after a reset re-creates the
// ring through ModernTransport (it frees and allocates the ring of the same size again).
//
// Concurrency: not internally locked. The caller serializes every call (the StorPort shim: its
// StartIo/interrupt synchronisation), except ReadInterruptStatus, which touches no engine state
// and may run in an interrupt handler concurrently with the rest.
//
// Every request handed to Submit that returned kQueued comes back exactly once through a
// completion callback: from Harvest/ProcessInterrupt/Poll, or with IoResult::kAborted from Reset,
// Stop, Shutdown or the recovery from a device fault. Callbacks may call Submit.
#pragma once

#include <stdint.h>

#include "aero/blk/status.h"
#include "aero/virtio/pci_caps.h"
#include "aero/virtio/platform.h"
#include "aero/virtio/transport.h"
#include "aero/virtio/virtqueue.h"

namespace aero::blk {

struct EngineConfig {
  virtio::Platform* platform;
  virtio::BarInfo bars[virtio::kPciBarCount];  // what PCI sizing found (mapped)
  virtio::Lock* selector_lock;    // guards feature/queue selectors; null when the caller serializes
  uint16_t queue_size;            // preferred requestq size, a power of two; 0: the contract's
  uint16_t max_requests;          // request slots = the queue depth offered to the port driver
  uint16_t max_data_descriptors;  // data descriptors per request the slots are sized for
  uint32_t max_transfer_bytes;    // upper bound wanted by the caller; 0 = only device limits
  uint16_t config_msix_vector;    // virtio::spec::kNoVector: INTx
  uint16_t queue_msix_vector;     // virtio::spec::kNoVector: INTx
  uint64_t refused_features;      // never accepted even when offered (diagnostics, tests)
  bool polled;                    // start in polled mode (crash dump, hibernation)
  bool fetch_serial;              // issue GET_ID during Initialize (polled)
};

// A physically contiguous piece of a data buffer.
struct PhysicalSegment {
  uint64_t phys;
  uint32_t length;
};

enum class RequestType : uint8_t { kRead, kWrite, kFlush, kGetId };

struct BlkIo {
  RequestType type;
  bool flush_after;  // kWrite: flush once the write succeeded (SCSI FUA); ignored without FLUSH
  uint64_t sector;   // 512-byte virtio sector
  uint32_t bytes;    // data bytes, a multiple of 512 (0 for kFlush)
  const PhysicalSegment* segments;  // at least `bytes` long in total; zero-length pieces skipped
  uint32_t segment_count;
  void* cookie;
};

enum class SubmitStatus : uint8_t {
  kQueued,      // on the ring; completes exactly once later
  kBusy,        // no request slot or no descriptors: retry after completions (back-pressure)
  kInvalid,     // the request breaks a rule (size, alignment, range, too many segments)
  kNotRunning,  // stopped, failed or being reset
};

enum class IoResult : uint8_t {
  kOk,
  kIoError,      // device status IOERR
  kUnsupported,  // device status UNSUPP
  kBadResponse,  // the device broke the protocol for this request (status byte, used length)
  kAborted,      // ended by a reset, stop or device fault before the device completed it
};

struct BlkCompletion {
  void* cookie;
  IoResult result;
  RequestType type;  // as submitted (a write with flush_after stays kWrite)
  uint64_t sector;
  uint32_t bytes;
};

using BlkCompletionCallback = void (*)(void* context, const BlkCompletion& completion);

// What the medium looks like, from the device configuration.
struct DiskGeometry {
  uint64_t capacity_sectors;            // 512-byte sectors, as the device reports
  uint64_t block_count;                 // logical blocks
  uint32_t block_size;                  // logical block size: 512..4096, a power of two
  uint8_t block_shift;                  // log2(block_size)
  uint8_t physical_exponent;            // logical blocks per physical block = 1 << this (TOPOLOGY)
  uint16_t lowest_aligned_block;        // TOPOLOGY alignment_offset (0 when absent)
  uint32_t optimal_granularity_blocks;  // TOPOLOGY min_io_size (0 when absent)
  uint32_t optimal_transfer_blocks;     // TOPOLOGY opt_io_size (0 when absent)
};

// What the port driver must respect, fixed at Initialize.
struct TransferLimits {
  uint32_t max_transfer_bytes;  // a multiple of the logical block size
  uint16_t max_segments;        // scatter-gather elements per request
  uint16_t queue_depth;         // requests in flight
  uint16_t data_descriptors;    // data descriptors per request (after size_max splitting)
  uint32_t size_max;            // largest descriptor (0: no limit)
};

enum class EngineState : uint8_t { kUninitialized, kRunning, kResetting, kStopped, kFailed };

// Events for the layer above, collected until TakeEvents.
inline constexpr uint32_t kEventCapacityChanged = 1u << 0;
inline constexpr uint32_t kEventDeviceReset = 1u << 1;   // recovered from a fault by a reset
inline constexpr uint32_t kEventDeviceFailed = 1u << 2;  // recovery failed: the device is gone

struct EngineCounters {
  uint64_t submitted;
  uint64_t completed;  // via the used ring
  uint64_t aborted;    // via reset/stop/fault
  uint64_t busy;
  uint64_t notifications;
  uint64_t interrupts;  // ProcessInterrupt calls that found work bits
  uint64_t config_changes;
  uint64_t recoveries;  // resets after a device fault
  uint64_t bad_responses;
};

class RequestEngine {
 public:
  static constexpr uint16_t kMaxDataDescriptors = 1024;
  static constexpr uint32_t kLargestBlockSize = 4096;
  static constexpr uint64_t kMaxCapacitySectors = uint64_t{1} << 54;  // bytes fit in 63 bits
  static constexpr uint32_t kPollIntervalMicros = 10;
  static constexpr uint32_t kGetIdTimeoutMicros = 1000000;
  static constexpr uint32_t kSerialBytes = 20;

  RequestEngine() = default;
  RequestEngine(const RequestEngine&) = delete;
  RequestEngine& operator=(const RequestEngine&) = delete;

  // Parses the capabilities, allocates the request slots, brings the device up (and reads its
  // serial with GET_ID when asked). On failure everything allocated is released again.
  Status Initialize(const EngineConfig& config);
  // Resets the device, completes everything outstanding (kAborted), frees all memory.
  void Shutdown(BlkCompletionCallback callback, void* context);

  // Bus reset / re-initialisation: reset, complete everything outstanding once (kAborted), bring
  // the device up again. kOk when the device runs again.
  Status Reset(BlkCompletionCallback callback, void* context);
  // Power down: reset and complete everything outstanding (kAborted); Restart brings it up.
  void Stop(BlkCompletionCallback callback, void* context);
  Status Restart();

  SubmitStatus Submit(const BlkIo& io);

  // INTx: reads (and acknowledges) the ISR byte. Non-zero means the interrupt was ours. Safe to
  // call concurrently with everything else.
  uint8_t ReadInterruptStatus();
  // Handles the ISR bits (virtio::spec::kIsrQueue / kIsrConfig; with MSI-X pass the bit of the
  // vector that fired): a config change first, then the used ring. Returns completions delivered.
  size_t ProcessInterrupt(uint8_t isr_bits, BlkCompletionCallback callback, void* context);
  // Harvests the used ring (and recovers from a device fault). Polled mode calls only this.
  size_t Harvest(BlkCompletionCallback callback, void* context);

  // Polled mode: the device is asked not to interrupt; completions arrive through Harvest.
  // Leaving polled mode returns true when completions are already waiting (harvest them).
  bool SetPolledMode(bool polled);

  // Events since the last call (kEvent*), then cleared.
  uint32_t TakeEvents();
  // True once after a kBusy when completions have since freed resources.
  bool TakeResumeHint();

  EngineState state() const { return state_; }
  bool polled() const { return polled_; }
  const DiskGeometry& geometry() const { return geometry_; }
  const TransferLimits& limits() const { return limits_; }
  uint64_t negotiated_features() const { return transport_.negotiated_features(); }
  bool has_flush() const;
  bool read_only() const;
  // The GET_ID serial (printable ASCII, trimmed), empty when the device gave none.
  const char* serial() const { return serial_; }
  uint32_t serial_length() const { return serial_length_; }
  uint16_t in_flight() const { return in_flight_; }
  const EngineCounters& counters() const { return counters_; }
  // The virtio detail of the last set-up step (Initialize/Reset/Restart/recovery): kOk when the
  // device came up, else why it did not.
  virtio::Status virtio_status() const { return virtio_status_; }
  // The rule the device broke that caused the last recovery (kOk: none so far).
  virtio::Status last_fault() const { return last_fault_; }
  const virtio::VirtioPciLayout& layout() const { return layout_; }

 private:
  struct Slot;
  struct AbortContext;

  Status AllocateSlots();
  void FreeSlots();
  Status BringUp();
  Status ReadGeometry(DiskGeometry* out, uint32_t* seg_max, uint32_t* size_max);
  Status ComputeLimits(uint32_t seg_max, uint32_t size_max, TransferLimits* out) const;
  void TearDownDevice(BlkCompletionCallback callback, void* context);
  static void AbortTrampoline(void* context, const virtio::Completion& completion);
  void Recover(BlkCompletionCallback callback, void* context);
  void HandleConfigChange(BlkCompletionCallback callback, void* context);
  void FetchSerial();
  void StoreSerial(const uint8_t* id, uint32_t length);

  Slot* PopSlot();
  void PushSlot(Slot* slot);
  uint8_t* SlotDma(const Slot& slot) const;
  uint64_t SlotPhys(const Slot& slot) const;
  virtio::Status AddToRing(Slot* slot, uint32_t virtio_type, uint64_t sector,
                           const PhysicalSegment* segments, uint32_t segment_count, uint32_t bytes,
                           bool device_writes_data);
  // Returns true when the slot completed (false: it went back to the ring for its FUA flush).
  bool FinishSlot(Slot* slot, uint32_t written, BlkCompletionCallback callback, void* context,
                  bool* resubmitted);
  void Kick();

  EngineConfig config_ = {};
  virtio::VirtioPciLayout layout_ = {};
  virtio::ModernTransport transport_;
  virtio::SplitVirtqueue queue_;
  DiskGeometry geometry_ = {};
  TransferLimits limits_ = {};
  EngineCounters counters_ = {};

  virtio::DmaBuffer slot_dma_ = {};
  Slot* slots_ = nullptr;
  uint16_t* free_slots_ = nullptr;
  virtio::Segment* scratch_ = nullptr;  // one chain under construction (Submit is serialized)
  uint16_t slot_count_ = 0;
  uint16_t free_count_ = 0;
  uint16_t in_flight_ = 0;
  uint16_t table_capacity_ = 0;  // indirect descriptors per slot
  uint32_t slot_stride_ = 0;
  uint32_t id_offset_ = 0;          // GET_ID buffer inside slot_dma_
  uint16_t descriptor_budget_ = 0;  // data descriptors per request, current device
  uint32_t chunk_bytes_ = 0;        // split data segments at this size (0: never)

  virtio::Status virtio_status_ = virtio::Status::kOk;
  virtio::Status last_fault_ = virtio::Status::kOk;
  EngineState state_ = EngineState::kUninitialized;
  uint32_t events_ = 0;
  bool polled_ = false;
  bool busy_reported_ = false;
  bool resume_hint_ = false;
  char serial_[kSerialBytes + 1] = {};
  uint32_t serial_length_ = 0;
};

}  // namespace aero::blk
