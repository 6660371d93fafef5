// lib/virtio's Platform for a StorPort miniport: MMIO through StorPort's register routines, PCI
// configuration from the copy read in HwFindAdapter, DMA memory from the uncached extension (via
// DmaPool), barriers, and time counted in StorPortStallExecution micros (a miniport has no other
// clock it may use at DIRQL). It imports nothing beyond storport.sys.
//
// IRQL: every method may run at any IRQL up to DIRQL; nothing here blocks or allocates pool.
#pragma once

#include <storport.h>

#include "aero/virtio/platform.h"
#include "dma_pool.h"

namespace aero::blk::win7 {

class StorPortPlatform final : public virtio::Platform {
 public:
  // `config` must outlive the platform (it lives in the device extension too).
  StorPortPlatform(PVOID device_extension, const uint8_t* config, DmaPool* pool)
      : extension_(device_extension), config_(config), pool_(pool) {}

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
  bool AllocateDma(size_t size, size_t alignment, virtio::DmaBuffer* out) override;
  void FreeDma(const virtio::DmaBuffer& buffer) override;
  void* AllocateMemory(size_t size) override;
  void FreeMemory(void* memory, size_t size) override;
  void FullBarrier() override;
  void ReadBarrier() override;
  void WriteBarrier() override;
  uint64_t MonotonicMicros() override { return stalled_micros_; }
  void StallMicros(uint32_t micros) override;

 private:
  PVOID extension_;
  const uint8_t* config_;
  DmaPool* pool_;
  uint64_t stalled_micros_ = 0;
};

// The selector lock of lib/virtio. The shim already serializes every core call (StartIo lock or
// DPC under the StartIo lock), so it only checks it is not taken recursively.
class SerializedLock final : public virtio::Lock {
 public:
  void Acquire() override { held_ = true; }
  void Release() override { held_ = false; }
  bool held() const { return held_; }

 private:
  bool held_ = false;
};

}  // namespace aero::blk::win7
