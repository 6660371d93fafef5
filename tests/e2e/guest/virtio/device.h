// Bring-up glue between the guest's PCI layer and lib/virtio: one VirtioDevice per PCI function,
// with its platform binding, capability layout, transport and INTx handler. Scenarios (and later
// the device cores' e2e tests) build on this instead of repeating the sequence.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "aero/virtio/pci_caps.h"
#include "aero/virtio/transport.h"
#include "aero/virtio/virtqueue.h"
#include "platform/pci.h"
#include "platform/text.h"
#include "virtio/guest_platform.h"

namespace aero::guest {

inline constexpr uint16_t kVirtioTypeNet = 1;
inline constexpr uint16_t kVirtioTypeBlock = 2;
inline constexpr uint16_t kVirtioTypeInput = 18;

struct VirtioDevice {
  PciFunction pci;
  GuestVirtioPlatform platform;
  InterruptLock lock;
  virtio::BarInfo bars[virtio::kPciBarCount];
  virtio::VirtioPciLayout layout;
  virtio::CapDiagnostic diagnostic;
  virtio::ModernTransport transport;
  uint64_t negotiated;
  bool irq_attached;
  // Written by the interrupt handler (interrupts are off while the main code reads them).
  volatile uint32_t handler_calls;  // times the shared line fired while this device listened
  volatile uint32_t interrupts;     // ... and this device's ISR was non-zero
  volatile uint8_t pending_isr;     // ISR bits not yet taken by the main code
};

// Up to max functions (from an enumeration) with vendor 0x1AF4 and device 0x1040 + type.
size_t find_virtio_functions(const PciFunction* all, size_t count, uint16_t virtio_type,
                             const PciFunction** out, size_t max);

// Binds the platform, enables memory decoding (and bus mastering when asked), parses the
// capabilities under `options` and initialises the transport. Returns nullptr or a reason (the
// parser's diagnostic is kept in dev->diagnostic).
const char* virtio_probe(VirtioDevice* dev, const PciFunction& function,
                         const virtio::CapParseOptions& options, bool bus_master);

// Reset, ACK/DRIVER, feature negotiation, queue setup and (optionally) DRIVER_OK. Returns nullptr
// or a reason naming the step and lib/virtio's status text.
const char* virtio_start(VirtioDevice* dev, const virtio::FeatureRequest& features,
                         const virtio::QueueConfig* configs, virtio::SplitVirtqueue* const* queues,
                         size_t queue_count, bool driver_ok);

// Registers the INTx handler on the function's interrupt line (level-triggered, shared).
const char* virtio_attach_irq(VirtioDevice* dev);
void virtio_detach_irq(VirtioDevice* dev);

// Returns and clears the ISR bits gathered by the interrupt handler.
uint8_t virtio_take_isr(VirtioDevice* dev);

// Resets the device, returns in-flight requests (detached) and frees the rings; detaches the IRQ.
void virtio_stop(VirtioDevice* dev);

// Writes one byte of device-specific configuration (e.g. virtio-input's select/subsel), bounds
// checked against the device region. lib/virtio only reads device configuration.
bool virtio_config_write8(VirtioDevice* dev, uint32_t offset, uint8_t value);

// Short name of a modern virtio device ID ("blk", "net", "input", or "virtio").
const char* virtio_kind(uint16_t device_id);

// "1af4:1042 at 00:04.0" into text (for reasons and INFO lines).
void format_function(Text& text, const PciFunction& function);

}  // namespace aero::guest
