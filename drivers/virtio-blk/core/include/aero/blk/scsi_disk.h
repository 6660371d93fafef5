// The SCSI disk a StorPort miniport presents (one target, LUN 0), implemented over the virtio-blk
// request engine. The shim hands every SRB to Submit: commands that need no device complete at
// once; READ/WRITE/SYNCHRONIZE CACHE go to the device and complete later through a callback from
// ProcessInterrupt, Poll, ResetBus, Stop or Shutdown. Sense data is built here; the shim copies
// it into the SRB (autosense). See docs/virtio-blk.md.
//
// Concurrency and reentrancy: as RequestEngine (the caller serializes every call except
// ReadInterruptStatus; completion callbacks may call Submit).
#pragma once

#include <stdint.h>

#include "aero/blk/cdb.h"
#include "aero/blk/request_engine.h"
#include "aero/blk/scsi_pages.h"
#include "aero/blk/sense.h"

namespace aero::blk {

// The data of one request, as the port driver describes it.
struct DataBuffer {
  void* host;       // CPU view; needed by commands whose data the core builds (INQUIRY, ...)
  uint32_t length;  // bytes the initiator provided (SRB DataTransferLength)
  const PhysicalSegment* segments;  // DMA view; needed by READ and WRITE
  uint32_t segment_count;
};

struct ScsiRequest {
  const uint8_t* cdb;
  uint32_t cdb_length;
  uint8_t lun;
  DataBuffer data;
  void* cookie;  // returned in the completion
};

// The outcome, chosen so the shim maps it one to one onto an SRB status.
enum class HostStatus : uint8_t {
  kPending,         // on the device; the completion arrives through a callback
  kSuccess,         // SCSI GOOD (transferred may be less than the buffer: allocation length)
  kCheckCondition,  // SCSI CHECK CONDITION; sense holds fixed-format sense data
  kBusy,            // out of request slots or ring space: retry later (back-pressure)
  kAborted,         // ended by a reset, stop or device fault before it completed
  kInvalidRequest,  // the request is malformed (CDB too short, data buffer missing or short)
  kInvalidLun,      // the only logical unit is LUN 0
};

struct ScsiCompletion {
  void* cookie;
  HostStatus status;
  uint8_t scsi_status;   // scsi::kStatusGood / kStatusCheckCondition / kStatusBusy
  uint8_t sense_length;  // 18 with kCheckCondition, else 0
  uint32_t transferred;  // data bytes moved
  SenseData sense;
};

using ScsiCompletionCallback = void (*)(void* context, const ScsiCompletion& completion);

struct DiskConfig {
  EngineConfig engine;
  const char* vendor;  // INQUIRY strings; null selects the defaults below
  const char* product;
  const char* revision;
};

inline constexpr const char* kDefaultVendor = "Aero";
inline constexpr const char* kDefaultProduct = "Virtio Block";
inline constexpr const char* kDefaultRevision = "1.0";

class ScsiDisk {
 public:
  ScsiDisk() = default;
  ScsiDisk(const ScsiDisk&) = delete;
  ScsiDisk& operator=(const ScsiDisk&) = delete;

  Status Initialize(const DiskConfig& config);
  // Everything outstanding completes (kAborted), the device is reset, memory is released.
  void Shutdown(ScsiCompletionCallback callback, void* context);

  ScsiCompletion Submit(const ScsiRequest& request);

  // INTx interrupt service: reads and acknowledges the ISR; non-zero means "ours, queue a DPC".
  uint8_t ReadInterruptStatus() { return engine_.ReadInterruptStatus(); }
  // DPC work for the ISR bits (MSI-X: the bit of the vector that fired). Returns completions.
  size_t ProcessInterrupt(uint8_t isr_bits, ScsiCompletionCallback callback, void* context);
  // Polled completion (crash dump, hibernation, or any time).
  size_t Poll(ScsiCompletionCallback callback, void* context);

  // HwResetBus: every outstanding request completes once (kAborted) before this returns; the
  // device is reset and brought up again.
  Status ResetBus(ScsiCompletionCallback callback, void* context);
  // Power transitions (HwAdapterControl stop/restart).
  void Stop(ScsiCompletionCallback callback, void* context);
  Status Restart();
  bool SetPolledMode(bool polled) { return engine_.SetPolledMode(polled); }

  // True once after a kBusy when completions have freed resources (StorPortReady time).
  bool TakeResumeHint() { return engine_.TakeResumeHint(); }

  // For the port configuration: MaximumTransferLength, NumberOfPhysicalBreaks, queue depth.
  const TransferLimits& limits() const { return engine_.limits(); }
  const RequestEngine& engine() const { return engine_; }
  RequestEngine& engine() { return engine_; }
  bool unit_attention_pending() const { return unit_attention_; }

 private:
  struct Forward;

  DiskDescription Describe() const;
  ScsiCompletion Execute(const DecodedCdb& cdb, const ScsiRequest& request);
  ScsiCompletion SubmitTransfer(const DecodedCdb& cdb, const ScsiRequest& request);
  ScsiCompletion SubmitFlush(const ScsiRequest& request);
  ScsiCompletion ReturnData(const ScsiRequest& request, const uint8_t* data, size_t length,
                            uint32_t allocation_length);
  static void ForwardCompletion(void* context, const BlkCompletion& completion);
  void CollectEvents();

  RequestEngine engine_;
  DiskIdentity identity_ = {};
  bool unit_attention_ = false;
};

}  // namespace aero::blk
