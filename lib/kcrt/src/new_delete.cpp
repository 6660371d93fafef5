// Pool-backed operator new/delete and the C++ runtime hooks a kernel image needs.
#include <wdm.h>

#include "kcrt/new.h"

namespace {
constexpr ULONG kDefaultTag = 0x6F726541;  // 'Aero' as it appears in pool dumps
// Bugcheck code for a call through a pure virtual function (an object used after destruction or
// before construction): MANUALLY_INITIATED_CRASH1 (0xDEADDEAD) with our marker.
constexpr ULONG kPureVirtualBugCheck = 0xDEADDEAD;
constexpr ULONG_PTR kPureVirtualMarker = 0x41455250;  // 'PREA'

POOL_TYPE PoolTypeOf(aero::kcrt::Pool pool) {
  return pool == aero::kcrt::Pool::kPaged ? PagedPool : NonPagedPool;
}
}  // namespace

void* operator new(size_t size, aero::kcrt::Pool pool, unsigned long tag) noexcept {
  return ExAllocatePoolWithTag(PoolTypeOf(pool), size == 0 ? 1 : size, tag);
}

void* operator new[](size_t size, aero::kcrt::Pool pool, unsigned long tag) noexcept {
  return ExAllocatePoolWithTag(PoolTypeOf(pool), size == 0 ? 1 : size, tag);
}

// Plain new is non-paged with the project tag; it is noexcept and may return nullptr.
void* operator new(size_t size) noexcept {
  return ExAllocatePoolWithTag(NonPagedPool, size == 0 ? 1 : size, kDefaultTag);
}
void* operator new[](size_t size) noexcept {
  return ExAllocatePoolWithTag(NonPagedPool, size == 0 ? 1 : size, kDefaultTag);
}

// Pool frees accept any tag the block was allocated with (tag 0 checks nothing).
void operator delete(void* p) noexcept {
  if (p) {
    ExFreePoolWithTag(p, 0);
  }
}
void operator delete[](void* p) noexcept {
  if (p) {
    ExFreePoolWithTag(p, 0);
  }
}

// Called through a vtable slot of a pure virtual function; never returns.
extern "C" void __cxa_pure_virtual();
extern "C" void __cxa_pure_virtual() {
  KeBugCheckEx(kPureVirtualBugCheck, kPureVirtualMarker, 0, 0, 0);
}
