#include "aero/virtio/testing/fake_platform.h"

#include <cstdlib>
#include <cstring>

#include "aero/virtio/testing/fake_device.h"

namespace aero::virtio::testing {

// ---------------------------------------------------------------- FakeDmaMemory

FakeDmaMemory::~FakeDmaMemory() {
  for (auto& [phys, block] : blocks_) {
    std::free(block.host);
  }
}

bool FakeDmaMemory::Allocate(size_t size, size_t alignment, DmaBuffer* out) {
  if (fail_next_.load() > 0) {
    --fail_next_;
    return false;
  }
  if (size == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > 4096) {
    return false;
  }
  const size_t host_alignment = alignment < 64 ? 64 : alignment;
  const size_t rounded = (size + host_alignment - 1) & ~(host_alignment - 1);
  auto* host = static_cast<uint8_t*>(std::aligned_alloc(host_alignment, rounded));
  if (host == nullptr) {
    return false;
  }
  std::memset(host, 0, rounded);
  std::lock_guard<std::mutex> lock(mutex_);
  // Physical addresses are page aligned and separated by a guard page, so a device access that
  // runs past one block never lands in the next.
  const uint64_t phys = next_phys_;
  next_phys_ += (static_cast<uint64_t>(rounded) + 2 * 4096 - 1) & ~uint64_t{4095};
  blocks_[phys] = Block{host, size};
  *out = DmaBuffer{host, phys, size};
  return true;
}

void FakeDmaMemory::Free(const DmaBuffer& buffer) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = blocks_.find(buffer.phys);
  if (it == blocks_.end() || it->second.host != buffer.virt) {
    std::abort();  // freeing what was never allocated: a bug in the code under test
  }
  std::free(it->second.host);
  blocks_.erase(it);
}

uint8_t* FakeDmaMemory::Translate(uint64_t phys, uint64_t length) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = blocks_.upper_bound(phys);
  if (it == blocks_.begin()) {
    return nullptr;
  }
  --it;
  const uint64_t offset = phys - it->first;
  if (offset > it->second.size || length > it->second.size - offset) {
    return nullptr;
  }
  return it->second.host + offset;
}

size_t FakeDmaMemory::live_allocations() {
  std::lock_guard<std::mutex> lock(mutex_);
  return blocks_.size();
}

// ---------------------------------------------------------------- FakeLock

void FakeLock::Acquire() {
  mutex_.lock();
  ++acquisitions_;
}

void FakeLock::Release() {
  mutex_.unlock();
}

// ---------------------------------------------------------------- FakePlatform

namespace {

void Decode(uintptr_t address, int* bar, uint64_t* offset) {
  *bar = static_cast<int>(address >> 28) - 1;
  *offset = address & ((uintptr_t{1} << 28) - 1);
}

}  // namespace

FakePlatform::FakePlatform(FakeVirtioDevice* device) : device_(device) {
  device_->set_dma_memory(&memory_);
}

FakePlatform::~FakePlatform() {
  device_->set_dma_memory(nullptr);
}

uint8_t FakePlatform::PciConfigRead8(uint16_t offset) {
  return static_cast<uint8_t>(device_->PciConfigRead(offset, 1));
}
uint16_t FakePlatform::PciConfigRead16(uint16_t offset) {
  return static_cast<uint16_t>(device_->PciConfigRead(offset, 2));
}
uint32_t FakePlatform::PciConfigRead32(uint16_t offset) {
  return device_->PciConfigRead(offset, 4);
}

uint8_t FakePlatform::MmioRead8(uintptr_t address) {
  int bar;
  uint64_t offset;
  Decode(address, &bar, &offset);
  return static_cast<uint8_t>(device_->MmioRead(bar, offset, 1));
}
uint16_t FakePlatform::MmioRead16(uintptr_t address) {
  int bar;
  uint64_t offset;
  Decode(address, &bar, &offset);
  return static_cast<uint16_t>(device_->MmioRead(bar, offset, 2));
}
uint32_t FakePlatform::MmioRead32(uintptr_t address) {
  int bar;
  uint64_t offset;
  Decode(address, &bar, &offset);
  return static_cast<uint32_t>(device_->MmioRead(bar, offset, 4));
}
uint64_t FakePlatform::MmioRead64(uintptr_t address) {
  const uint64_t low = MmioRead32(address);
  const uint64_t high = MmioRead32(address + 4);
  return low | (high << 32);
}
void FakePlatform::MmioWrite8(uintptr_t address, uint8_t value) {
  int bar;
  uint64_t offset;
  Decode(address, &bar, &offset);
  device_->MmioWrite(bar, offset, 1, value);
}
void FakePlatform::MmioWrite16(uintptr_t address, uint16_t value) {
  int bar;
  uint64_t offset;
  Decode(address, &bar, &offset);
  device_->MmioWrite(bar, offset, 2, value);
}
void FakePlatform::MmioWrite32(uintptr_t address, uint32_t value) {
  int bar;
  uint64_t offset;
  Decode(address, &bar, &offset);
  device_->MmioWrite(bar, offset, 4, value);
}
void FakePlatform::MmioWrite64(uintptr_t address, uint64_t value) {
  // As a 32-bit guest does it: low half first.
  MmioWrite32(address, static_cast<uint32_t>(value));
  MmioWrite32(address + 4, static_cast<uint32_t>(value >> 32));
}

bool FakePlatform::AllocateDma(size_t size, size_t alignment, DmaBuffer* out) {
  return memory_.Allocate(size, alignment, out);
}
void FakePlatform::FreeDma(const DmaBuffer& buffer) {
  memory_.Free(buffer);
}

void* FakePlatform::AllocateMemory(size_t size) {
  if (fail_private_.load() > 0) {
    --fail_private_;
    return nullptr;
  }
  void* memory = std::malloc(size);
  if (memory != nullptr) {
    ++live_private_;
  }
  return memory;
}

void FakePlatform::FreeMemory(void* memory, size_t /*size*/) {
  if (memory != nullptr) {
    --live_private_;
    std::free(memory);
  }
}

void HostFullBarrier() {
  // A locked read-modify-write is a full barrier on x86 (like mfence); unlike a stand-alone
  // fence it is also accepted by GCC's thread sanitizer.
  static int fence_word = 0;
  __atomic_fetch_add(&fence_word, 0, __ATOMIC_SEQ_CST);
}

void FakePlatform::FullBarrier() {
  HostFullBarrier();
}
// The host is x86 (TSO): loads are not reordered with loads nor stores with stores, so the
// read and write barriers only need to stop the compiler.
void FakePlatform::ReadBarrier() {
  __atomic_signal_fence(__ATOMIC_ACQUIRE);
}
void FakePlatform::WriteBarrier() {
  __atomic_signal_fence(__ATOMIC_RELEASE);
}

uint64_t FakePlatform::MonotonicMicros() {
  return now_.load();
}
void FakePlatform::StallMicros(uint32_t micros) {
  now_ += micros;
}

}  // namespace aero::virtio::testing
