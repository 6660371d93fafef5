#include "storport_platform.h"

namespace aero::blk::win7 {
namespace {

constexpr uint16_t kConfigSize = 256;

// lib/virtio hands register addresses over as integers; StorPort wants pointers.
template <typename T>
T* RegisterAt(uintptr_t address) {
  return reinterpret_cast<T*>(address);  // NOLINT(performance-no-int-to-ptr)
}

}  // namespace

uint8_t StorPortPlatform::PciConfigRead8(uint16_t offset) {
  return offset < kConfigSize ? config_[offset] : 0xFF;
}

uint16_t StorPortPlatform::PciConfigRead16(uint16_t offset) {
  return static_cast<uint16_t>(PciConfigRead8(offset) | PciConfigRead8(offset + 1) << 8);
}

uint32_t StorPortPlatform::PciConfigRead32(uint16_t offset) {
  return uint32_t{PciConfigRead16(offset)} | uint32_t{PciConfigRead16(offset + 2)} << 16;
}

uint8_t StorPortPlatform::MmioRead8(uintptr_t address) {
  return StorPortReadRegisterUchar(extension_, RegisterAt<UCHAR>(address));
}

uint16_t StorPortPlatform::MmioRead16(uintptr_t address) {
  return StorPortReadRegisterUshort(extension_, RegisterAt<USHORT>(address));
}

uint32_t StorPortPlatform::MmioRead32(uintptr_t address) {
  return StorPortReadRegisterUlong(extension_, RegisterAt<ULONG>(address));
}

uint64_t StorPortPlatform::MmioRead64(uintptr_t address) {
  const uint64_t low = MmioRead32(address);
  return low | uint64_t{MmioRead32(address + 4)} << 32;
}

void StorPortPlatform::MmioWrite8(uintptr_t address, uint8_t value) {
  StorPortWriteRegisterUchar(extension_, RegisterAt<UCHAR>(address), value);
}

void StorPortPlatform::MmioWrite16(uintptr_t address, uint16_t value) {
  StorPortWriteRegisterUshort(extension_, RegisterAt<USHORT>(address), value);
}

void StorPortPlatform::MmioWrite32(uintptr_t address, uint32_t value) {
  StorPortWriteRegisterUlong(extension_, RegisterAt<ULONG>(address), value);
}

void StorPortPlatform::MmioWrite64(uintptr_t address, uint64_t value) {
  MmioWrite32(address, static_cast<uint32_t>(value));
  MmioWrite32(address + 4, static_cast<uint32_t>(value >> 32));
}

bool StorPortPlatform::AllocateDma(size_t size, size_t alignment, virtio::DmaBuffer* out) {
  uint64_t phys = 0;
  void* virt = pool_->Allocate(size, alignment, &phys);
  if (virt == nullptr) {
    return false;
  }
  *out = {virt, phys, size};
  return true;
}

void StorPortPlatform::FreeDma(const virtio::DmaBuffer& buffer) {
  pool_->Free(buffer.virt);
}

void* StorPortPlatform::AllocateMemory(size_t size) {
  uint64_t phys = 0;
  return pool_->Allocate(size, 16, &phys);
}

void StorPortPlatform::FreeMemory(void* memory, size_t) {
  pool_->Free(memory);
}

// x86 and x64 keep stores in order and loads in order for write-back memory, so the read and
// write barriers only stop the compiler; the full barrier also orders a store before a later load.
void StorPortPlatform::FullBarrier() {
  __sync_synchronize();
}
void StorPortPlatform::ReadBarrier() {
  __asm__ __volatile__("" ::: "memory");
}
void StorPortPlatform::WriteBarrier() {
  __asm__ __volatile__("" ::: "memory");
}

void StorPortPlatform::StallMicros(uint32_t micros) {
  StorPortStallExecution(micros);
  stalled_micros_ += micros;
}

}  // namespace aero::blk::win7
