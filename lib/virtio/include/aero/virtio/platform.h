// The environment interface of the virtio library. Each environment (host tests, the bare-metal
// QEMU guest, the Windows kernel) implements Platform once; the library never touches hardware,
// memory allocators or time except through it.
#pragma once

#include <stdint.h>
#include "aero/virtio/types.h"

namespace aero::virtio {

// What PCI sizing found behind a base address register.
enum class BarKind : uint8_t { kAbsent = 0, kMemory32, kMemory64, kIo };

struct BarInfo {
  BarKind kind;
  uint64_t size;          // bytes; 0 when absent
  uintptr_t mapped_base;  // the Platform Mmio* address of BAR offset 0 (a mapping or a token)
};

inline constexpr int kPciBarCount = 6;

// One physically contiguous, zeroed, cache-coherent DMA block.
struct DmaBuffer {
  void* virt;
  uint64_t phys;
  size_t size;
};

// A lock that serializes short critical sections (a spin lock in the kernel). Implementations
// must not be copied while held; the library never calls Acquire recursively.
class Lock {
 public:
  virtual void Acquire() = 0;
  virtual void Release() = 0;

 protected:
  ~Lock() = default;
};

// Holds a Lock for a scope; a null lock means the caller already serializes.
class ScopedLock {
 public:
  explicit ScopedLock(Lock* lock) : lock_(lock) {
    if (lock_ != nullptr) {
      lock_->Acquire();
    }
  }
  ~ScopedLock() {
    if (lock_ != nullptr) {
      lock_->Release();
    }
  }
  ScopedLock(const ScopedLock&) = delete;
  ScopedLock& operator=(const ScopedLock&) = delete;

 private:
  Lock* lock_;
};

// A virtual interface rather than a template: every call it stands for is either a trap into the
// hypervisor (MMIO, config space) or rare (allocation, time), so one indirect call costs nothing
// measurable, and the library stays a plain static library built once per environment.
// The destructor is protected and non-virtual so kernel builds need no operator delete.
class Platform {
 public:
  // PCI configuration space of the device's function, offsets 0..255, little-endian.
  virtual uint8_t PciConfigRead8(uint16_t offset) = 0;
  virtual uint16_t PciConfigRead16(uint16_t offset) = 0;
  virtual uint32_t PciConfigRead32(uint16_t offset) = 0;

  // MMIO at BarInfo::mapped_base + offset. Each call is one device access (one trap).
  // A 64-bit access may be performed as two 32-bit accesses, low half first.
  virtual uint8_t MmioRead8(uintptr_t address) = 0;
  virtual uint16_t MmioRead16(uintptr_t address) = 0;
  virtual uint32_t MmioRead32(uintptr_t address) = 0;
  virtual uint64_t MmioRead64(uintptr_t address) = 0;
  virtual void MmioWrite8(uintptr_t address, uint8_t value) = 0;
  virtual void MmioWrite16(uintptr_t address, uint16_t value) = 0;
  virtual void MmioWrite32(uintptr_t address, uint32_t value) = 0;
  virtual void MmioWrite64(uintptr_t address, uint64_t value) = 0;

  // Setup-time allocations only (queue setup); the I/O paths never allocate.
  // DMA memory: physically contiguous, zeroed, aligned to `alignment` (a power of two <= 4096).
  virtual bool AllocateDma(size_t size, size_t alignment, DmaBuffer* out) = 0;
  virtual void FreeDma(const DmaBuffer& buffer) = 0;
  // Driver-private memory the device never sees (bookkeeping), aligned for any scalar.
  virtual void* AllocateMemory(size_t size) = 0;
  virtual void FreeMemory(void* memory, size_t size) = 0;

  // Ordering between CPU accesses to shared ring memory and between ring memory and MMIO.
  virtual void FullBarrier() = 0;   // loads and stores (store->load included)
  virtual void ReadBarrier() = 0;   // loads before later loads
  virtual void WriteBarrier() = 0;  // stores before later stores

  // A monotonic clock and a busy wait, for bounded polling (reset). Microseconds.
  virtual uint64_t MonotonicMicros() = 0;
  virtual void StallMicros(uint32_t micros) = 0;

 protected:
  ~Platform() = default;
};

}  // namespace aero::virtio
