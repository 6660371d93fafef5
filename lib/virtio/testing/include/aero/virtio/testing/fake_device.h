// The device half of a virtio 1.x PCI function, for host tests: PCI config space with a capability
// chain (QEMU-like BAR4 layout or the Aero contract's BAR0 layout), common/notify/ISR/device
// registers, and the device side of split rings. It counts every access, checks the driver's
// side of the protocol (driver_errors) and can misbehave on request (the fault-injection menu).
//
// Thread safety: register accesses (from the driver's thread, via FakePlatform) and ring service
// (from a device thread) may run concurrently. Callbacks run without internal locks held.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aero/virtio/features.h"
#include "aero/virtio/pci_caps.h"
#include "aero/virtio/platform.h"

namespace aero::virtio::testing {

class FakeDmaMemory;

enum class FakeLayout {
  kQemuBar4,  // QEMU 7.2: caps into BAR4 (16 KiB, 64-bit), MSI-X table in BAR1
  kAeroBar0,  // contract v1: BAR0 (16 KiB, 64-bit), fixed offsets
};

// Malformed capability chains the fake can present.
enum class CapFault {
  kNone,
  kNoCapabilityList,      // status register lacks the capability-list bit
  kCycle,                 // the last capability points back to the first
  kRegionOutOfBar,        // common cfg region ends beyond its BAR
  kShortCap,              // common cap_len 12
  kShortNotifyCap,        // notify cap_len 16
  kMisalignedPointer,     // a next pointer with low bits set
  kPointerIntoHeader,     // capabilities pointer 0x20
  kCapBeyondConfigSpace,  // a vendor cap at 0xF8 with cap_len 20
  kBadNotifyMultiplier,   // notify_off_multiplier 3
  kMissingCommon,         // the common cap turned into an unknown cfg_type
  kCommonInIoBar,         // the common cap names an I/O BAR (no other instance)
  kRegionMisaligned,      // common cfg offset 2
};

// Used-ring misbehaviour, armed once and applied to the next completion / flush.
enum class UsedFault {
  kNone,
  kIdOutOfRange,     // id = queue size + 3
  kIdDuplicate,      // the element is written twice
  kIdNotHead,        // id = the second descriptor of the chain
  kLengthOversized,  // len = writable bytes + 1
  kIndexJump,        // used.idx advances by queue size + 1 more than written
};

// How completions reach the used ring.
enum class CompletionOrder {
  kInOrder,
  kReversed,  // each flush writes its batch in reverse order
  kHeld,      // kept back until ReleaseHeld (delayed completions)
};

struct FakeDeviceOptions {
  FakeLayout layout = FakeLayout::kQemuBar4;
  uint16_t device_id = 0x1042;
  uint16_t subsystem_vendor_id = 0x1AF4;
  uint16_t subsystem_id = 0x1100;
  uint8_t revision = 1;
  uint64_t features = kFeatureVersion1 | kFeatureIndirectDesc;
  uint16_t num_queues = 1;
  uint16_t queue_max_size = 256;
  uint32_t device_config_size = 0x100;  // bytes of device-specific configuration presented
  CapFault cap_fault = CapFault::kNone;
};

struct FakeCounters {
  uint64_t mmio_reads;
  uint64_t mmio_writes;
  uint64_t pci_config_reads;
  uint64_t notifications;
  uint64_t interrupts;     // INTx assertions (queue or config)
  uint64_t msix_messages;  // MSI-X messages sent
  uint64_t isr_reads;
  uint64_t driver_errors;  // protocol violations by the driver under test
};

struct DeviceBuffer {
  uint64_t phys;
  uint32_t length;
  bool writable;
  uint8_t* data;  // host view of the guest buffer
};

struct DeviceChain {
  uint16_t head = 0;
  std::vector<uint16_t> descriptors;  // ring descriptors of the chain (1 when indirect)
  std::vector<DeviceBuffer> buffers;
  uint64_t readable_bytes = 0;
  uint64_t writable_bytes = 0;
  bool indirect = false;
};

class FakeVirtioDevice {
 public:
  static constexpr uint32_t kQemuNotifyMultiplier = 4;

  explicit FakeVirtioDevice(const FakeDeviceOptions& options = {});
  ~FakeVirtioDevice();
  FakeVirtioDevice(const FakeVirtioDevice&) = delete;
  FakeVirtioDevice& operator=(const FakeVirtioDevice&) = delete;

  // What PCI sizing would have found (mapped_base in FakePlatform's token space).
  const BarInfo (&bars() const)[kPciBarCount] { return bars_; }
  BarInfo (&mutable_bars())[kPciBarCount] { return bars_; }
  // Expectations matching this fake's Aero layout and identity (for the aero-strict policy).
  AeroStrictExpectations AeroExpectations() const;
  uint8_t* config_space() { return config_space_; }
  void set_dma_memory(FakeDmaMemory* memory) { memory_ = memory; }

  // ---- Register side (called by FakePlatform). ----
  uint32_t PciConfigRead(uint16_t offset, int width);
  uint64_t MmioRead(int bar, uint64_t offset, int width);
  void MmioWrite(int bar, uint64_t offset, int width, uint64_t value);

  // ---- Ring side (the device's work). ----
  // Takes the next available chain, validating the driver's descriptors. False when none (or
  // when the queue is not enabled).
  bool PopAvail(uint16_t queue, DeviceChain* chain);
  // Records a completion; it reaches the used ring now, at FlushUsed (kReversed) or ReleaseHeld.
  void Complete(uint16_t queue, const DeviceChain& chain, uint32_t written);
  // Publishes used.idx and interrupts the driver if it asked for it.
  void FlushUsed(uint16_t queue);
  // Writes the held completions (kHeld) in the given order (true: reversed) and flushes.
  void ReleaseHeld(uint16_t queue, bool reversed = false);
  size_t held(uint16_t queue);
  // Pops every available chain, lets `handler` fill it (returns bytes written; default: fills the
  // writable buffers with 0xA5 and reports them all), completes and flushes once.
  using Handler = std::function<uint32_t(DeviceChain&)>;
  size_t ServiceQueue(uint16_t queue, const Handler& handler = nullptr);
  // Device-side notification suppression (used.flags NO_NOTIFY, or avail_event with EVENT_IDX).
  void SuppressNotifications(uint16_t queue, bool suppress);
  // True when avail.idx moved past what the device consumed.
  bool HasAvail(uint16_t queue);

  // ---- Events. ----
  std::function<void(uint16_t queue)> on_notify;  // from the driver's doorbell write
  std::function<void()> on_interrupt;             // INTx asserted or MSI-X message sent
  // Blocks until the notification count exceeds `seen` (or timeout); returns the count.
  uint64_t WaitForNotification(uint64_t seen, int timeout_ms);
  uint64_t WaitForInterrupt(uint64_t seen, int timeout_ms);
  // Wakes every thread blocked in WaitFor* (e.g. to stop a device thread).
  void WakeWaiters();

  // ---- Fault injection. ----
  void ArmUsedFault(uint16_t queue, UsedFault fault);
  void SetCompletionOrder(uint16_t queue, CompletionOrder order);
  void TriggerNeedsReset();  // status |= NEEDS_RESET, config interrupt
  void RefuseFeaturesOk(bool refuse) { refuse_features_ok_ = refuse; }
  void SetResetPolls(uint32_t polls) {
    reset_polls_ = polls;
  }  // reads of a non-zero status after reset; UINT32_MAX: forever
  void ChurnConfig(uint32_t reads) { churn_reads_ = reads; }  // each device-config read changes it
  void RefuseMsixVectors(bool refuse) { refuse_msix_ = refuse; }
  void EnableMsix(bool enabled) { msix_enabled_ = enabled; }
  void SetQueueMaxSize(uint16_t queue, uint16_t size);
  void SetQueueNotifyOff(uint16_t queue, uint16_t notify_off);
  std::vector<uint8_t>& device_config() { return device_config_; }
  void ChangeConfig(uint32_t offset, uint8_t value);  // generation++ and config interrupt

  // ---- Observation. ----
  FakeCounters counters() const;
  void ResetCounters();
  uint64_t queue_notifications(uint16_t queue);
  uint8_t device_status();
  uint64_t driver_features();
  bool queue_enabled(uint16_t queue);
  uint16_t queue_size(uint16_t queue);
  uint16_t queue_msix_vector(uint16_t queue);
  uint64_t queue_desc(uint16_t queue);
  std::vector<std::string> driver_error_messages();
  uint8_t isr_pending() const { return isr_.load(); }

 private:
  struct Queue;
  struct Region {
    int bar;
    uint32_t offset;
    uint32_t length;
  };

  void BuildConfigSpace();
  void ApplyCapFault(CapFault fault);
  void ResetLocked();
  void DriverError(const std::string& message);
  uint64_t CommonRead(uint32_t offset, int width);
  void CommonWrite(uint32_t offset, int width, uint64_t value);
  void WriteUsedElement(Queue& q, uint16_t id, uint32_t written);
  void RaiseInterrupt(uint16_t vector, uint8_t isr_bits);
  bool InRegion(const Region& region, int bar, uint64_t offset) const;
  Queue& queue_ref(uint16_t queue);
  bool WalkChain(Queue& q, uint16_t head, DeviceChain* chain);

  FakeDeviceOptions options_;
  FakeDmaMemory* memory_ = nullptr;
  BarInfo bars_[kPciBarCount] = {};
  uint8_t config_space_[256] = {};
  Region common_{}, notify_{}, isr_region_{}, device_{};
  uint32_t notify_multiplier_ = 4;
  uint8_t cap_offsets_[8] = {};  // config offset of each built capability, in chain order
  int cap_count_ = 0;

  mutable std::mutex mutex_;  // registers and rings
  std::vector<std::unique_ptr<Queue>> queues_;
  std::vector<uint8_t> device_config_;
  std::vector<std::string> driver_errors_;
  uint32_t device_feature_select_ = 0;
  uint32_t driver_feature_select_ = 0;
  uint64_t driver_features_ = 0;
  uint16_t msix_config_ = 0xFFFF;
  uint8_t status_ = 0;
  uint8_t generation_ = 0;
  uint16_t queue_select_ = 0;
  uint32_t reset_polls_ = 0;
  uint32_t reset_polls_left_ = 0;
  uint8_t status_before_reset_ = 0;
  uint32_t churn_reads_ = 0;
  bool refuse_features_ok_ = false;
  bool refuse_msix_ = false;
  bool msix_enabled_ = false;
  std::atomic<uint8_t> isr_{0};

  std::mutex event_mutex_;
  std::condition_variable event_cv_;
  uint64_t wake_generation_ = 0;  // guarded by event_mutex_
  std::atomic<uint64_t> mmio_reads_{0}, mmio_writes_{0}, pci_config_reads_{0}, notifications_{0},
      interrupts_{0}, msix_messages_{0}, isr_reads_{0}, driver_error_count_{0};
};

}  // namespace aero::virtio::testing
