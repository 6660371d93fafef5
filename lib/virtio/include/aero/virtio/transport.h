// The virtio 1.x modern PCI transport: device status handshake, feature negotiation, queue setup,
// interrupts, device configuration and teardown, over a layout from ParseVirtioPciCaps.
//
// Trap budget (each MMIO access is a VM exit): the status byte the driver writes is cached (no
// read-modify-write), doorbell addresses are computed once per queue, the ISR is one read per
// interrupt, and registers are read back only where the spec requires (reset, FEATURES_OK,
// MSI-X vectors) or where they carry news (NEEDS_RESET, config_generation).
#pragma once

#include <stdint.h>
#include "aero/virtio/types.h"

#include "aero/virtio/pci_caps.h"
#include "aero/virtio/platform.h"
#include "aero/virtio/status.h"
#include "aero/virtio/virtqueue.h"

namespace aero::virtio {

// What the driver wants. VERSION_1 is always required; ACCESS_PLATFORM is accepted whenever the
// device offers it (unless refused). Transport bits (24..63) the library does not implement are
// never accepted; requiring one is kFeatureConflict.
struct FeatureRequest {
  uint64_t required;   // the device must offer every one of these
  uint64_t supported;  // accepted when offered
  uint64_t refused;    // never accepted, even when offered
};

struct QueueConfig {
  uint16_t index;
  uint16_t required_size;   // contract size; 0 = none (use preferred_size)
  uint16_t preferred_size;  // power of two; the queue gets min(device max, preferred)
  uint16_t msix_vector;     // spec::kNoVector: do not program (INTx, or MSI-X disabled)
};

// One field (or array of fields) of device-specific configuration. Width 1, 2, 4 or 8 bytes;
// 8-byte fields are read as two 4-byte accesses, low half first. `out` receives count * width
// bytes in CPU (little-endian) order.
struct ConfigField {
  uint32_t offset;
  uint8_t width;
  uint16_t count;
  void* out;
};

class ModernTransport {
 public:
  static constexpr int kMaxQueues = 16;
  static constexpr int kConfigReadAttempts = 8;
  static constexpr uint32_t kDefaultResetTimeoutMicros = 1000000;

  ModernTransport() = default;
  ModernTransport(const ModernTransport&) = delete;
  ModernTransport& operator=(const ModernTransport&) = delete;

  // Resolves the regions to MMIO addresses. `lock` (may be null when the caller serializes)
  // guards the selector registers (feature/queue select), which are global device state.
  Status Init(Platform* platform, const VirtioPciLayout& layout,
              const BarInfo (&bars)[kPciBarCount], Lock* lock);

  // Writes 0 to device_status and polls until it reads 0 (bounded by the platform clock).
  Status Reset(uint32_t timeout_micros = kDefaultResetTimeoutMicros);
  // Reset, then ACKNOWLEDGE and DRIVER.
  Status BeginInit(uint32_t timeout_micros = kDefaultResetTimeoutMicros);
  // Reads the 64-bit device features, writes the driver's, sets FEATURES_OK and reads it back.
  Status NegotiateFeatures(const FeatureRequest& request, uint64_t* negotiated);
  // Sizes, allocates (platform DMA) and programs one queue, then enables it.
  Status SetupQueue(const QueueConfig& config, SplitVirtqueue* queue);
  // Programs msix_config and reads it back (only when the environment enabled MSI-X).
  Status SetConfigMsixVector(uint16_t vector);
  Status DriverOk();
  // Sets FAILED (the driver gives up on the device).
  void Fail();

  // Reads (and so acknowledges) the ISR byte: one MMIO read. Bit 0 queue, bit 1 config change.
  uint8_t ReadIsr();
  // Reads device_status; when DEVICE_NEEDS_RESET is set, marks the transport and every queue
  // broken and returns kDeviceNeedsReset. Call it on a config-change interrupt.
  Status CheckDeviceStatus();

  // Reads the fields so that they are mutually consistent: config_generation is read before and
  // after, and the read repeats (at most kConfigReadAttempts times) while it changes.
  Status ReadConfig(const ConfigField* fields, size_t count);

  // Resets the device, hands every in-flight request of every set-up queue to `callback` once
  // (kDetached), frees the rings. The transport can then BeginInit again. When the reset times
  // out the requests are still handed back, but the rings are left allocated (leaked) because
  // the device may still write them; the environment should clear PCI bus mastering.
  Status Teardown(CompletionCallback callback, void* context,
                  uint32_t timeout_micros = kDefaultResetTimeoutMicros);

  uint16_t num_queues() const { return num_queues_; }
  uint64_t device_features() const { return device_features_; }
  uint64_t negotiated_features() const { return negotiated_features_; }
  uint8_t driver_status() const { return status_; }
  bool broken() const { return broken_ != Status::kOk; }
  Status broken_reason() const { return broken_; }
  const VirtioPciLayout& layout() const { return layout_; }

 private:
  void WriteStatus(uint8_t status);
  void MarkBroken(Status reason);
  void ReleaseQueue(SplitVirtqueue* queue);
  void ReadConfigOnce(const ConfigField* fields, size_t count);

  Platform* platform_ = nullptr;
  Lock* lock_ = nullptr;
  VirtioPciLayout layout_ = {};
  uintptr_t common_ = 0;
  uintptr_t notify_ = 0;
  uintptr_t isr_ = 0;
  uintptr_t device_ = 0;
  uint64_t device_features_ = 0;
  uint64_t negotiated_features_ = 0;
  SplitVirtqueue* queues_[kMaxQueues] = {};
  Status broken_ = Status::kNotReady;
  uint16_t num_queues_ = 0;
  uint8_t status_ = 0;
};

}  // namespace aero::virtio
