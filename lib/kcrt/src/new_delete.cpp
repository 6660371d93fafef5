// Pool-backed operator new/delete (ntoskrnl pool). In its own object so that images that never
// allocate (StorPort miniports) do not import the pool functions.
#include <wdm.h>

#include "kcrt/new.h"

namespace {
constexpr ULONG kDefaultTag = 0x6F726541;  // 'Aero' as it appears in pool dumps

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
