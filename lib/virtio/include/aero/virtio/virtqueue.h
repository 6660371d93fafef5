// Driver side of a virtio split virtqueue. Everything the device can write (the used ring) is
// validated before use; all bookkeeping lives in driver-private memory the device never sees.
//
// Concurrency: one SplitVirtqueue is not internally locked. The caller serializes Add/Kick/
// Harvest/Enable/Disable/Detach on one queue (its submit lock or interrupt/DPC lock). The device
// runs concurrently; ring accesses use the Platform barriers and single-copy atomic accesses.
#pragma once

#include <stdint.h>
#include "aero/virtio/types.h"

#include "aero/virtio/platform.h"
#include "aero/virtio/status.h"

namespace aero::virtio {

// One buffer of a request. Device-readable segments must come before device-writable ones.
struct Segment {
  uint64_t phys;
  uint32_t length;  // > 0
  bool device_writable;
};

// Caller-owned DMA memory for one indirect descriptor table: 16-byte aligned, capacity * 16
// bytes. It must stay allocated and untouched until the request completes (or is detached).
struct IndirectTable {
  void* virt;
  uint64_t phys;
  uint16_t capacity;  // descriptors
};

enum class CompletionStatus : uint8_t {
  kDone,      // the device returned it through the used ring
  kDetached,  // returned by DetachAll/DetachNext after a reset; the device did not complete it
};

struct Completion {
  void* cookie;
  uint32_t written;  // bytes the device reports written (validated <= writable capacity)
  CompletionStatus status;
};

using CompletionCallback = void (*)(void* context, const Completion& completion);

// Where a queue's rings live and how to reach its doorbell (filled by ModernTransport, or by a
// test that drives a queue directly).
struct QueueAttachment {
  uint16_t index;            // queue index, the value written to the doorbell
  uint16_t size;             // power of two, 1..32768
  DmaBuffer ring;            // at least SplitVirtqueue::RingBytes(size), zeroed
  void* state;               // at least SplitVirtqueue::StateBytes(size), driver-private
  bool event_idx;            // VIRTIO_F_EVENT_IDX negotiated
  bool indirect;             // VIRTIO_F_INDIRECT_DESC negotiated
  uintptr_t notify_address;  // Platform MMIO address of the doorbell (16-bit write)
};

class SplitVirtqueue {
 public:
  // Ring layout inside QueueAttachment::ring: descriptor table at 0, avail ring after it, used
  // ring on its own 64-byte line (the device writes it; keeping it apart avoids false sharing).
  static size_t RingBytes(uint16_t size);
  static size_t UsedRingOffset(uint16_t size);
  static size_t AvailRingOffset(uint16_t size) { return size_t{16} * size; }
  static size_t StateBytes(uint16_t size);
  static constexpr size_t kRingAlignment = 4096;

  SplitVirtqueue() = default;
  SplitVirtqueue(const SplitVirtqueue&) = delete;
  SplitVirtqueue& operator=(const SplitVirtqueue&) = delete;

  // Resets all bookkeeping and the ring memory; the queue becomes usable (not broken).
  Status Attach(Platform* platform, const QueueAttachment& attachment);
  // Forgets the memory (does not free it; ModernTransport owns what it allocated).
  void Detach();
  bool attached() const { return platform_ != nullptr; }

  // Adds one request (a chain of `count` segments). With `indirect` non-null and INDIRECT_DESC
  // negotiated, the chain is written into the caller's table and takes one ring descriptor.
  // Publishes the request to the device at once; call Kick (or KickPrepare/Notify) afterwards,
  // once per batch.
  Status Add(const Segment* segments, uint16_t count, void* cookie,
             const IndirectTable* indirect = nullptr);

  // Whether the device must be notified about what was added since the last kick (NO_NOTIFY, or
  // avail_event under EVENT_IDX). Contains the full barrier the decision needs.
  bool KickPrepare();
  // The doorbell: one 16-bit MMIO write of the queue index to the cached notify address.
  void Notify();
  // KickPrepare + Notify when needed; returns whether it notified.
  bool Kick();

  // Returns up to `max` completed requests, validating every used element. On a violation the
  // queue is marked broken, nothing more is returned, and the remaining requests must be
  // recovered with DetachAll/DetachNext after resetting the device.
  size_t Harvest(Completion* out, size_t max);
  bool HasUsed();  // one ring read; no validation

  // Interrupt suppression. EnableInterrupts re-arms and re-checks the used ring afterwards:
  // it returns true when completions arrived meanwhile (harvest again; no interrupt may come).
  void DisableInterrupts();
  bool EnableInterrupts();

  // After the device was reset (it owns no buffers any more): hands every request still in
  // flight back exactly once with CompletionStatus::kDetached.
  size_t DetachAll(CompletionCallback callback, void* context);
  bool DetachNext(Completion* out);

  bool broken() const { return broken_ != Status::kOk; }
  Status broken_reason() const { return broken_; }
  void MarkBroken(Status reason);

  uint16_t index() const { return index_; }
  uint16_t size() const { return size_; }
  uint16_t free_descriptors() const { return free_count_; }
  uint16_t in_flight() const { return in_flight_; }
  uint64_t desc_phys() const { return ring_.phys; }
  uint64_t avail_phys() const { return ring_.phys + AvailRingOffset(size_); }
  uint64_t used_phys() const { return ring_.phys + UsedRingOffset(size_); }
  const DmaBuffer& ring_memory() const { return ring_; }
  void* state_memory() const { return state_; }
  uint64_t notifications() const { return notifications_; }

 private:
  struct DescriptorState;

  void FreeChain(uint16_t head);
  void WriteUsedEvent(uint16_t value);
  uint16_t ReadUsedIndex();

  Platform* platform_ = nullptr;
  DmaBuffer ring_ = {};
  void* state_ = nullptr;
  uint8_t* desc_ = nullptr;   // descriptor table (device reads)
  uint8_t* avail_ = nullptr;  // avail ring (device reads)
  uint8_t* used_ = nullptr;   // used ring (device writes: hostile)
  DescriptorState* states_ = nullptr;
  uintptr_t notify_address_ = 0;
  uint64_t notifications_ = 0;
  Status broken_ = Status::kNotReady;
  uint16_t index_ = 0;
  uint16_t size_ = 0;
  uint16_t mask_ = 0;
  uint16_t free_head_ = 0;
  uint16_t free_count_ = 0;
  uint16_t in_flight_ = 0;
  uint16_t avail_index_ = 0;         // shadow of avail.idx (never read back from the ring)
  uint16_t kicked_avail_index_ = 0;  // avail.idx at the last KickPrepare
  uint16_t last_used_index_ = 0;
  uint16_t detach_cursor_ = 0;
  uint32_t added_since_kick_ = 0;
  bool event_idx_ = false;
  bool indirect_ = false;
  bool interrupts_disabled_ = false;
};

}  // namespace aero::virtio
