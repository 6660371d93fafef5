// Placement and pool-backed operator new for kernel-mode C++ (no <new> in a driver).
#ifndef AERO_KCRT_NEW_H
#define AERO_KCRT_NEW_H

#include <stddef.h>

#ifdef AERO_KERNEL_MODE
// Placement new: constructs in storage the caller owns (for example a device extension).
inline void* operator new(size_t, void* where) noexcept {
  return where;
}
inline void* operator new[](size_t, void* where) noexcept {
  return where;
}
inline void operator delete(void*, void*) noexcept {}
inline void operator delete[](void*, void*) noexcept {}
#else
// Host builds of Windows-facing code (shim tests) take placement new from the C++ library.
#include <new>
#endif

namespace aero::kcrt {
// Which pool an allocation comes from. Non-paged memory may be touched at any IRQL; paged memory
// only below DISPATCH_LEVEL.
enum class Pool { kNonPaged, kPaged };
}  // namespace aero::kcrt

// Pool-backed new. Returns nullptr on failure (builds use -fcheck-new, so constructors are skipped
// then); callers must check. Never use it on an I/O path: allocate at start-up instead.
void* operator new(size_t size, aero::kcrt::Pool pool, unsigned long tag) noexcept;
void* operator new[](size_t size, aero::kcrt::Pool pool, unsigned long tag) noexcept;

#endif  // AERO_KCRT_NEW_H
