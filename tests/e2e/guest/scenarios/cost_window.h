// Measurement windows of the cost report. The guest fences each window in the QEMU trace (a
// harmless config write QEMU logs, see pci_trace_fence) and prints its own counts in an
// AERO_SELFTEST|INFO|event=cost_window line; the harness joins both (tools/e2e/aero_e2e/trace.py).
#pragma once

#include <stdint.h>

#include "virtio/device.h"

namespace aero::guest {

class CostWindow {
 public:
  static constexpr uint32_t kMaxDevices = 2;

  // Opens window `id` over the given devices (their counters are sampled now).
  CostWindow(uint32_t id, VirtioDevice* const* devices, uint32_t count);
  // Closes the window and prints the cost_window line.
  void close(const char* label, uint32_t batch, uint32_t batches, uint32_t requests);

 private:
  uint32_t id_;
  VirtioDevice* devices_[kMaxDevices];
  uint32_t count_;
  uint32_t notifies_[kMaxDevices];
  uint32_t isr_reads_[kMaxDevices];
  uint32_t interrupts_[kMaxDevices];
  uint32_t handler_calls_[kMaxDevices];
};

}  // namespace aero::guest
