#include "virtio/guest_platform.h"

#include "platform/cpu.h"
#include "platform/dma.h"
#include "platform/timer.h"

namespace aero::guest {
namespace {

// One `add` to memory: the INTx handler counts too (ISR reads), and on this single CPU an
// interrupt cannot split one instruction, so no update is lost.
void count(uint32_t* counter, uint32_t n) {
  asm volatile("addl %1, %0" : "+m"(*counter) : "ir"(n));
}

bool g_drop_notify = false;

}  // namespace

void set_fault_drop_notify(bool enabled) {
  g_drop_notify = enabled;
}
bool fault_drop_notify() {
  return g_drop_notify;
}

void InterruptLock::Acquire() {
  const bool enabled = interrupts_enabled();
  cli();
  was_enabled_ = enabled;
}

void InterruptLock::Release() {
  if (was_enabled_) {
    sti();
  }
}

void GuestVirtioPlatform::Bind(const PciFunction& function) {
  function_ = function;
  notify_base_ = 0;
  notify_length_ = 0;
  isr_address_ = 0;
  counters_ = AccessCounters{};
}

void GuestVirtioPlatform::DescribeBars(virtio::BarInfo (&bars)[virtio::kPciBarCount]) const {
  for (int i = 0; i < virtio::kPciBarCount; ++i) {
    const PciBar& b = function_.bars[i];
    virtio::BarInfo& out = bars[i];
    out = virtio::BarInfo{virtio::BarKind::kAbsent, 0, 0};
    const char* error = nullptr;
    switch (b.kind) {
      case PciBarKind::kMemory32:
      case PciBarKind::kMemory64: {
        const uintptr_t base = pci_memory_bar_address(function_, static_cast<uint8_t>(i), &error);
        if (base != 0) {
          out.kind = b.kind == PciBarKind::kMemory32 ? virtio::BarKind::kMemory32
                                                     : virtio::BarKind::kMemory64;
          out.size = b.size;
          out.mapped_base = base;
        }
        break;
      }
      case PciBarKind::kIo:
        out.kind = virtio::BarKind::kIo;
        out.size = b.size;
        out.mapped_base = static_cast<uintptr_t>(b.base);
        break;
      case PciBarKind::kUnused:
        break;
    }
  }
}

void GuestVirtioPlatform::WatchRegions(uintptr_t notify_base, uint32_t notify_length,
                                       uintptr_t isr_address) {
  notify_base_ = notify_base;
  notify_length_ = notify_length;
  isr_address_ = isr_address;
}

uint8_t GuestVirtioPlatform::PciConfigRead8(uint16_t offset) {
  return pci_read8(function_.address, offset);
}

uint16_t GuestVirtioPlatform::PciConfigRead16(uint16_t offset) {
  return pci_read16(function_.address, offset);
}

uint32_t GuestVirtioPlatform::PciConfigRead32(uint16_t offset) {
  return pci_read32(function_.address, offset);
}

uint8_t GuestVirtioPlatform::MmioRead8(uintptr_t address) {
  count(&counters_.mmio_reads, 1);
  if (address == isr_address_ && isr_address_ != 0) {
    count(&counters_.isr_reads, 1);
  }
  return mmio_read8(address);
}

uint16_t GuestVirtioPlatform::MmioRead16(uintptr_t address) {
  count(&counters_.mmio_reads, 1);
  return mmio_read16(address);
}

uint32_t GuestVirtioPlatform::MmioRead32(uintptr_t address) {
  count(&counters_.mmio_reads, 1);
  return mmio_read32(address);
}

uint64_t GuestVirtioPlatform::MmioRead64(uintptr_t address) {
  count(&counters_.mmio_reads, 2);
  const uint32_t low = mmio_read32(address);
  const uint32_t high = mmio_read32(address + 4);
  return (static_cast<uint64_t>(high) << 32) | low;
}

void GuestVirtioPlatform::MmioWrite8(uintptr_t address, uint8_t value) {
  count(&counters_.mmio_writes, 1);
  mmio_write8(address, value);
}

void GuestVirtioPlatform::MmioWrite16(uintptr_t address, uint16_t value) {
  if (InNotifyRegion(address)) {
    if (g_drop_notify) {
      count(&counters_.dropped_notifies, 1);
      return;
    }
    count(&counters_.notify_writes, 1);
  }
  count(&counters_.mmio_writes, 1);
  mmio_write16(address, value);
}

void GuestVirtioPlatform::MmioWrite32(uintptr_t address, uint32_t value) {
  count(&counters_.mmio_writes, 1);
  mmio_write32(address, value);
}

void GuestVirtioPlatform::MmioWrite64(uintptr_t address, uint64_t value) {
  count(&counters_.mmio_writes, 2);
  mmio_write32(address, static_cast<uint32_t>(value));
  mmio_write32(address + 4, static_cast<uint32_t>(value >> 32));
}

bool GuestVirtioPlatform::AllocateDma(virtio::size_t size, virtio::size_t alignment,
                                      virtio::DmaBuffer* out) {
  const DmaBuffer b = dma_alloc(size, alignment);
  if (b.virt == nullptr) {
    return false;
  }
  dma_bytes_ += size;
  *out = virtio::DmaBuffer{b.virt, b.phys, b.size};
  return true;
}

void GuestVirtioPlatform::FreeDma(const virtio::DmaBuffer& buffer) {
  dma_bytes_ = buffer.size > dma_bytes_ ? 0 : dma_bytes_ - buffer.size;
}

void* GuestVirtioPlatform::AllocateMemory(virtio::size_t size) {
  const DmaBuffer b = dma_alloc(size, 16);
  return b.virt;
}

void GuestVirtioPlatform::FreeMemory(void*, virtio::size_t) {}

void GuestVirtioPlatform::FullBarrier() {
  full_barrier();
}
void GuestVirtioPlatform::ReadBarrier() {
  compiler_barrier();
}
void GuestVirtioPlatform::WriteBarrier() {
  compiler_barrier();
}

uint64_t GuestVirtioPlatform::MonotonicMicros() {
  return now_us();
}

void GuestVirtioPlatform::StallMicros(uint32_t micros) {
  delay_us(micros);
}

}  // namespace aero::guest
