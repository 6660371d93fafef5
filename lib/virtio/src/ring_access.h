// Single-copy accesses to ring memory shared with the device. Each device-written field is read
// exactly once into a local (no double fetch), and the index stores/loads carry release/acquire
// ordering so the compiler (and thread sanitizer on the host) see the publication order. The
// Platform barriers are still issued where the virtio spec asks for them.
#pragma once

#include <stdint.h>

namespace aero::virtio::ring {

#if defined(__GNUC__) || defined(__clang__)
inline uint16_t Load16(const uint16_t* p) {
  return __atomic_load_n(p, __ATOMIC_RELAXED);
}
inline uint32_t Load32(const uint32_t* p) {
  return __atomic_load_n(p, __ATOMIC_RELAXED);
}
inline uint16_t LoadAcquire16(const uint16_t* p) {
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
inline void Store16(uint16_t* p, uint16_t v) {
  __atomic_store_n(p, v, __ATOMIC_RELAXED);
}
inline void StoreRelease16(uint16_t* p, uint16_t v) {
  __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
#else
// Other compilers (MSVC): volatile accesses; x86 keeps aligned 16/32-bit accesses single-copy.
inline uint16_t Load16(const uint16_t* p) {
  return *static_cast<const volatile uint16_t*>(p);
}
inline uint32_t Load32(const uint32_t* p) {
  return *static_cast<const volatile uint32_t*>(p);
}
inline uint16_t LoadAcquire16(const uint16_t* p) {
  return *static_cast<const volatile uint16_t*>(p);
}
inline void Store16(uint16_t* p, uint16_t v) {
  *static_cast<volatile uint16_t*>(p) = v;
}
inline void StoreRelease16(uint16_t* p, uint16_t v) {
  *static_cast<volatile uint16_t*>(p) = v;
}
#endif

// The split ring's structures (little-endian CPU assumed: every supported target is x86).
struct Descriptor {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};
static_assert(sizeof(Descriptor) == 16, "virtq_desc is 16 bytes");

struct UsedElement {
  uint32_t id;
  uint32_t len;
};
static_assert(sizeof(UsedElement) == 8, "virtq_used_elem is 8 bytes");

}  // namespace aero::virtio::ring
