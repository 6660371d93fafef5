#include "virtio/device.h"

#include "aero/virtio/spec.h"
#include "aero/virtio/status.h"
#include "platform/cpu.h"
#include "platform/interrupts.h"
#include "platform/pic.h"
#include "platform/text.h"

namespace aero::guest {
namespace {

bool on_interrupt(void* context) {
  auto* dev = static_cast<VirtioDevice*>(context);
  dev->handler_calls = dev->handler_calls + 1;
  const uint8_t isr = dev->transport.ReadIsr();  // acknowledges and lowers this device's level
  if (isr == 0) {
    return false;
  }
  dev->interrupts = dev->interrupts + 1;
  dev->pending_isr = static_cast<uint8_t>(dev->pending_isr | isr);
  return true;
}

// Reasons live in a static buffer: one failure is reported at a time.
Text g_reason;

const char* with_status(const char* step, virtio::Status status) {
  g_reason.clear();
  g_reason.str(step).str(": ").str(virtio::StatusText(status));
  return g_reason.c_str();
}

}  // namespace

void format_function(Text& text, const PciFunction& f) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto hex4 = [&](uint16_t v) {
    for (int shift = 12; shift >= 0; shift -= 4) {
      text.ch(kHex[(v >> shift) & 0xf]);
    }
  };
  hex4(f.vendor_id);
  text.ch(':');
  hex4(f.device_id);
  text.str(" at ");
  text.ch(kHex[f.address.bus >> 4]).ch(kHex[f.address.bus & 0xf]).ch(':');
  text.ch(kHex[f.address.device >> 4]).ch(kHex[f.address.device & 0xf]).ch('.');
  text.ch(kHex[f.address.function & 7]);
}

size_t find_virtio_functions(const PciFunction* all, size_t count, uint16_t virtio_type,
                             const PciFunction** out, size_t max) {
  size_t found = 0;
  for (size_t i = 0; i < count; ++i) {
    if (all[i].vendor_id == virtio::spec::kPciVendorId &&
        all[i].device_id == virtio::spec::kPciModernDeviceIdBase + virtio_type) {
      if (found < max) {
        out[found] = &all[i];
      }
      ++found;
    }
  }
  return found;
}

const char* virtio_probe(VirtioDevice* dev, const PciFunction& function,
                         const virtio::CapParseOptions& options, bool bus_master) {
  dev->pci = function;
  dev->platform.Bind(function);
  dev->negotiated = 0;
  dev->irq_attached = false;
  dev->handler_calls = 0;
  dev->interrupts = 0;
  dev->pending_isr = 0;
  dev->diagnostic = virtio::CapDiagnostic{virtio::Status::kOk, 0, ""};
  if (function.bar_error != nullptr) {
    return function.bar_error;
  }
  const uint16_t set =
      static_cast<uint16_t>(kPciCommandMemory | (bus_master ? kPciCommandBusMaster : 0));
  const uint16_t clear = static_cast<uint16_t>(kPciCommandInterruptDisable | kPciCommandIo |
                                               (bus_master ? 0 : kPciCommandBusMaster));
  pci_update_command(function.address, set, clear);
  dev->platform.DescribeBars(dev->bars);
  const virtio::Status parsed =
      virtio::ParseVirtioPciCaps(dev->platform, dev->bars, options, &dev->layout, &dev->diagnostic);
  if (parsed != virtio::Status::kOk) {
    g_reason.clear();
    g_reason.str("capability parse: ").str(virtio::StatusText(parsed));
    if (dev->diagnostic.text != nullptr && dev->diagnostic.text[0] != '\0') {
      g_reason.str(" (").str(dev->diagnostic.text).ch(')');
    }
    if (dev->diagnostic.cap_offset != 0) {
      g_reason.str(" at cap ").hex(dev->diagnostic.cap_offset, 2);
    }
    return g_reason.c_str();
  }
  const virtio::Status init =
      dev->transport.Init(&dev->platform, dev->layout, dev->bars, &dev->lock);
  if (init != virtio::Status::kOk) {
    return with_status("transport init", init);
  }
  const virtio::CapRegion& notify = dev->layout.notify;
  const virtio::CapRegion& isr = dev->layout.isr;
  dev->platform.WatchRegions(dev->bars[notify.bar].mapped_base + notify.offset, notify.length,
                             dev->bars[isr.bar].mapped_base + isr.offset);
  return nullptr;
}

const char* virtio_start(VirtioDevice* dev, const virtio::FeatureRequest& features,
                         const virtio::QueueConfig* configs, virtio::SplitVirtqueue* const* queues,
                         size_t queue_count, bool driver_ok) {
  virtio::Status s = dev->transport.BeginInit();
  if (s != virtio::Status::kOk) {
    return with_status("reset", s);
  }
  s = dev->transport.NegotiateFeatures(features, &dev->negotiated);
  if (s != virtio::Status::kOk) {
    dev->transport.Fail();
    return with_status("feature negotiation", s);
  }
  for (size_t i = 0; i < queue_count; ++i) {
    s = dev->transport.SetupQueue(configs[i], queues[i]);
    if (s != virtio::Status::kOk) {
      dev->transport.Fail();
      g_reason.clear();
      g_reason.str("setup of queue ").dec(configs[i].index).str(": ").str(virtio::StatusText(s));
      return g_reason.c_str();
    }
  }
  if (driver_ok) {
    s = dev->transport.DriverOk();
    if (s != virtio::Status::kOk) {
      return with_status("DRIVER_OK", s);
    }
  }
  return nullptr;
}

const char* virtio_attach_irq(VirtioDevice* dev) {
  const uint8_t line = dev->pci.interrupt_line;
  if (dev->pci.interrupt_pin == 0) {
    return "function has no interrupt pin";
  }
  if (line >= kIrqCount || line == kCascadeIrq || line == 0) {
    return "INTx pin not routed to a usable 8259 line";
  }
  // PCI INTx is level-triggered and shared; make sure the 8259 treats it so.
  if ((pic_read_elcr() & (1u << line)) == 0) {
    pic_set_level_triggered(line);
  }
  if (!irq_register(line, on_interrupt, dev)) {
    return "no room in the IRQ handler chain";
  }
  dev->irq_attached = true;
  return nullptr;
}

void virtio_detach_irq(VirtioDevice* dev) {
  if (dev->irq_attached) {
    irq_unregister(dev->pci.interrupt_line, on_interrupt, dev);
    dev->irq_attached = false;
  }
}

uint8_t virtio_take_isr(VirtioDevice* dev) {
  InterruptGuard guard;
  const uint8_t isr = dev->pending_isr;
  dev->pending_isr = 0;
  return isr;
}

bool virtio_config_write8(VirtioDevice* dev, uint32_t offset, uint8_t value) {
  const virtio::CapRegion& region = dev->layout.device;
  if (!region.present || offset >= region.length) {
    return false;
  }
  dev->platform.MmioWrite8(dev->bars[region.bar].mapped_base + region.offset + offset, value);
  return true;
}

const char* virtio_kind(uint16_t device_id) {
  switch (device_id) {
    case virtio::spec::kPciModernDeviceIdBase + kVirtioTypeNet:
      return "net";
    case virtio::spec::kPciModernDeviceIdBase + kVirtioTypeBlock:
      return "blk";
    case virtio::spec::kPciModernDeviceIdBase + kVirtioTypeInput:
      return "input";
    default:
      return "virtio";
  }
}

void virtio_stop(VirtioDevice* dev) {
  // Reset first (the device stops raising interrupts), then let go of the line.
  dev->transport.Teardown(nullptr, nullptr);
  virtio_detach_irq(dev);
}

}  // namespace aero::guest
