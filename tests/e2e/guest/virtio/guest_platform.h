// lib/virtio's Platform for the bare-metal guest: config space through mechanism #1, MMIO at the
// identity-mapped BAR addresses, DMA memory from the guest's bump allocator, x86 barriers, and the
// TSC clock. It also counts the device accesses that cost an exit in an emulator (notify writes,
// ISR reads, all MMIO), and can drop doorbell writes on purpose (fault=drop-notify) to prove that
// a broken ring makes a scenario fail instead of hang.
#pragma once

#include <stdint.h>

#include "aero/virtio/platform.h"
#include "platform/pci.h"

namespace aero::guest {

// Disables interrupts for the critical section (one CPU: this excludes the interrupt handlers).
class InterruptLock final : public virtio::Lock {
 public:
  void Acquire() override;
  void Release() override;

 private:
  bool was_enabled_ = false;
};

struct AccessCounters {
  uint32_t mmio_reads;
  uint32_t mmio_writes;
  uint32_t notify_writes;     // writes to the notify region (doorbells)
  uint32_t dropped_notifies;  // doorbells swallowed by fault=drop-notify
  uint32_t isr_reads;         // reads of the ISR byte
};

class GuestVirtioPlatform final : public virtio::Platform {
 public:
  GuestVirtioPlatform() = default;

  void Bind(const PciFunction& function);
  // Fills the BAR table lib/virtio wants from the guest's sizing; BARs this guest cannot reach
  // are reported absent.
  void DescribeBars(virtio::BarInfo (&bars)[virtio::kPciBarCount]) const;
  // Tells the counters where the doorbells and the ISR byte are (after the capability parse).
  void WatchRegions(uintptr_t notify_base, uint32_t notify_length, uintptr_t isr_address);

  const AccessCounters& counters() const { return counters_; }
  void ResetCounters() { counters_ = AccessCounters{}; }
  size_t dma_bytes_allocated() const { return dma_bytes_; }

  uint8_t PciConfigRead8(uint16_t offset) override;
  uint16_t PciConfigRead16(uint16_t offset) override;
  uint32_t PciConfigRead32(uint16_t offset) override;
  uint8_t MmioRead8(uintptr_t address) override;
  uint16_t MmioRead16(uintptr_t address) override;
  uint32_t MmioRead32(uintptr_t address) override;
  uint64_t MmioRead64(uintptr_t address) override;
  void MmioWrite8(uintptr_t address, uint8_t value) override;
  void MmioWrite16(uintptr_t address, uint16_t value) override;
  void MmioWrite32(uintptr_t address, uint32_t value) override;
  void MmioWrite64(uintptr_t address, uint64_t value) override;
  // Memory comes from the bump allocator; freeing is bookkeeping only (a scenario reclaims its
  // memory by releasing its allocator mark).
  bool AllocateDma(virtio::size_t size, virtio::size_t alignment, virtio::DmaBuffer* out) override;
  void FreeDma(const virtio::DmaBuffer& buffer) override;
  void* AllocateMemory(virtio::size_t size) override;
  void FreeMemory(void* memory, virtio::size_t size) override;
  void FullBarrier() override;
  void ReadBarrier() override;
  void WriteBarrier() override;
  uint64_t MonotonicMicros() override;
  void StallMicros(uint32_t micros) override;

 private:
  bool InNotifyRegion(uintptr_t address) const {
    return address >= notify_base_ && address - notify_base_ < notify_length_;
  }

  PciFunction function_ = {};
  uintptr_t notify_base_ = 0;
  uint32_t notify_length_ = 0;
  uintptr_t isr_address_ = 0;
  AccessCounters counters_ = {};
  size_t dma_bytes_ = 0;
};

// Set from the command line (fault=drop-notify) before any device is started.
void set_fault_drop_notify(bool enabled);
bool fault_drop_notify();

}  // namespace aero::guest
