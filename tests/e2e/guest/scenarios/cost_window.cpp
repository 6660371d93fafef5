#include "scenarios/cost_window.h"

#include "platform/cpu.h"
#include "platform/markers.h"
#include "platform/pci.h"

namespace aero::guest {
namespace {

constexpr uint32_t kFenceBegin = 0xae100000u;
constexpr uint32_t kFenceEnd = 0xae200000u;
constexpr uint32_t kFenceIdMask = 0x000fffffu;

}  // namespace

CostWindow::CostWindow(uint32_t id, VirtioDevice* const* devices, uint32_t count)
    : id_(id & kFenceIdMask), count_(count > kMaxDevices ? kMaxDevices : count) {
  InterruptGuard guard;
  for (uint32_t i = 0; i < count_; ++i) {
    devices_[i] = devices[i];
    notifies_[i] = devices[i]->platform.counters().notify_writes;
    isr_reads_[i] = devices[i]->platform.counters().isr_reads;
    interrupts_[i] = devices[i]->interrupts;
    handler_calls_[i] = devices[i]->handler_calls;
  }
  pci_trace_fence(kFenceBegin | id_);
}

void CostWindow::close(const char* label, uint32_t batch, uint32_t batches, uint32_t requests) {
  uint32_t notifies = 0, isr_reads = 0, interrupts = 0, handler_calls = 0;
  {
    InterruptGuard guard;
    pci_trace_fence(kFenceEnd | id_);
    for (uint32_t i = 0; i < count_; ++i) {
      notifies += devices_[i]->platform.counters().notify_writes - notifies_[i];
      isr_reads += devices_[i]->platform.counters().isr_reads - isr_reads_[i];
      interrupts += devices_[i]->interrupts - interrupts_[i];
      handler_calls += devices_[i]->handler_calls - handler_calls_[i];
    }
  }
  Marker::info()
      .kv("event", "cost_window")
      .kv("window", id_)
      .kv("label", label)
      .kv("batch", batch)
      .kv("batches", batches)
      .kv("requests", requests)
      .kv("guest_notifies", notifies)
      .kv("guest_interrupts", interrupts)
      .kv("guest_handler_calls", handler_calls)
      .kv("guest_isr_reads", isr_reads)
      .emit();
}

}  // namespace aero::guest
