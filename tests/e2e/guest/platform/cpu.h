// Port I/O, MMIO and CPU control for the i686 test guest. Everything here is a thin wrapper over
// one instruction; the volatile asm statements double as compiler barriers.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aero::guest {

inline uint8_t inb(uint16_t port) {
  uint8_t v;
  asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
  return v;
}
inline uint16_t inw(uint16_t port) {
  uint16_t v;
  asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
  return v;
}
inline uint32_t inl(uint16_t port) {
  uint32_t v;
  asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
  return v;
}
inline void outb(uint16_t port, uint8_t v) {
  asm volatile("outb %0, %1" ::"a"(v), "Nd"(port) : "memory");
}
inline void outw(uint16_t port, uint16_t v) {
  asm volatile("outw %0, %1" ::"a"(v), "Nd"(port) : "memory");
}
inline void outl(uint16_t port, uint32_t v) {
  asm volatile("outl %0, %1" ::"a"(v), "Nd"(port) : "memory");
}

// MMIO: identity mapped (physical = virtual), uncached by the default MTRR setup for PCI holes.
inline uint8_t mmio_read8(uintptr_t a) {
  return *reinterpret_cast<volatile uint8_t*>(a);
}
inline uint16_t mmio_read16(uintptr_t a) {
  return *reinterpret_cast<volatile uint16_t*>(a);
}
inline uint32_t mmio_read32(uintptr_t a) {
  return *reinterpret_cast<volatile uint32_t*>(a);
}
inline void mmio_write8(uintptr_t a, uint8_t v) {
  *reinterpret_cast<volatile uint8_t*>(a) = v;
}
inline void mmio_write16(uintptr_t a, uint16_t v) {
  *reinterpret_cast<volatile uint16_t*>(a) = v;
}
inline void mmio_write32(uintptr_t a, uint32_t v) {
  *reinterpret_cast<volatile uint32_t*>(a) = v;
}

inline void cli() {
  asm volatile("cli" ::: "memory");
}
inline void sti() {
  asm volatile("sti" ::: "memory");
}
inline void pause() {
  asm volatile("pause" ::: "memory");
}
// sti's one-instruction interrupt shadow makes "sti; hlt" atomic: an interrupt that became pending
// while IF was 0 wakes the hlt instead of being taken before it (the lost-wakeup race).
inline void sti_hlt_cli() {
  asm volatile("sti; hlt; cli" ::: "memory");
}
[[noreturn]] inline void halt_forever() {
  for (;;) {
    asm volatile("cli; hlt" ::: "memory");
  }
}

inline uint32_t read_eflags() {
  uint32_t f;
  asm volatile("pushfl; popl %0" : "=r"(f)::"memory");
  return f;
}
inline bool interrupts_enabled() {
  return (read_eflags() & 0x200u) != 0;
}

inline uint64_t rdtsc() {
  uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

// x86 keeps stores in order and loads in order; only store->load needs a full fence. i686 has no
// mfence (SSE2), so use a locked no-op on the stack.
inline void compiler_barrier() {
  asm volatile("" ::: "memory");
}
inline void full_barrier() {
  asm volatile("lock; addl $0, (%%esp)" ::: "memory", "cc");
}

// Saves IF and disables interrupts for a scope; restores the previous state.
class InterruptGuard {
 public:
  InterruptGuard() : was_enabled_(interrupts_enabled()) { cli(); }
  ~InterruptGuard() {
    if (was_enabled_) {
      sti();
    }
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  bool was_enabled_;
};

}  // namespace aero::guest
