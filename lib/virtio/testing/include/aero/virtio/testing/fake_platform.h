// Host implementation of aero::virtio::Platform wired to a FakeVirtioDevice: MMIO and config reads
// go to the fake (and are counted there), DMA memory comes from FakeDmaMemory (physical addresses
// above 4 GiB, translated and bounds-checked for the device), time is simulated.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>

#include "aero/virtio/platform.h"

namespace aero::virtio::testing {

class FakeVirtioDevice;

// A full memory barrier for host test code (the device side uses it too).
void HostFullBarrier();

// The "physical memory" the fake device can reach: only what was allocated here.
class FakeDmaMemory {
 public:
  static constexpr uint64_t kPhysBase = uint64_t{1} << 32;  // DMA above 4 GiB must work

  FakeDmaMemory() = default;
  ~FakeDmaMemory();
  FakeDmaMemory(const FakeDmaMemory&) = delete;
  FakeDmaMemory& operator=(const FakeDmaMemory&) = delete;

  bool Allocate(size_t size, size_t alignment, DmaBuffer* out);
  void Free(const DmaBuffer& buffer);
  // Host pointer for [phys, phys + length) when it lies inside one allocation, else nullptr.
  uint8_t* Translate(uint64_t phys, uint64_t length);
  size_t live_allocations();
  void FailNextAllocations(int count) { fail_next_ = count; }

 private:
  struct Block {
    uint8_t* host;
    size_t size;
  };
  std::mutex mutex_;
  std::map<uint64_t, Block> blocks_;  // by physical base
  uint64_t next_phys_ = kPhysBase;
  std::atomic<int> fail_next_{0};
};

// A std::mutex behind the library's Lock interface; counts acquisitions.
class FakeLock final : public Lock {
 public:
  void Acquire() override;
  void Release() override;
  uint64_t acquisitions() const { return acquisitions_.load(); }

 private:
  std::mutex mutex_;
  std::atomic<uint64_t> acquisitions_{0};
};

class FakePlatform final : public Platform {
 public:
  explicit FakePlatform(FakeVirtioDevice* device);
  ~FakePlatform();
  FakePlatform(const FakePlatform&) = delete;
  FakePlatform& operator=(const FakePlatform&) = delete;

  // MMIO address tokens: BAR n is mapped at (n + 1) << 28.
  static uintptr_t BarBase(int bar) { return static_cast<uintptr_t>(bar + 1) << 28; }

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
  bool AllocateDma(size_t size, size_t alignment, DmaBuffer* out) override;
  void FreeDma(const DmaBuffer& buffer) override;
  void* AllocateMemory(size_t size) override;
  void FreeMemory(void* memory, size_t size) override;
  void FullBarrier() override;
  void ReadBarrier() override;
  void WriteBarrier() override;
  uint64_t MonotonicMicros() override;
  void StallMicros(uint32_t micros) override;

  FakeDmaMemory& memory() { return memory_; }
  FakeVirtioDevice& device() { return *device_; }
  int64_t live_private_allocations() const { return live_private_.load(); }
  void FailNextPrivateAllocations(int count) { fail_private_ = count; }
  uint64_t stalled_micros() const { return now_.load(); }

 private:
  FakeVirtioDevice* device_;
  FakeDmaMemory memory_;
  std::atomic<uint64_t> now_{0};
  std::atomic<int64_t> live_private_{0};
  std::atomic<int> fail_private_{0};
};

}  // namespace aero::virtio::testing
