// The few runtime functions a freestanding clang build may call: the mem* family (the compiler
// emits calls for struct copies and zeroing) and 64-bit division (i686 has no 64-bit divide
// instruction and there is no compiler-rt for i686-elf here).
#include <stddef.h>
#include <stdint.h>

#include "panic.h"

extern "C" {

void* memset(void* dst, int value, size_t n) {
  void* d = dst;
  asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(value) : "memory");
  return dst;
}

void* memcpy(void* dst, const void* src, size_t n) {
  void* d = dst;
  asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n)::"memory");
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  if (d == s || n == 0) {
    return dst;
  }
  if (d < s || d >= s + n) {
    return memcpy(dst, src, n);
  }
  // Overlapping with dst above src: copy backwards.
  const unsigned char* s_last = s + n - 1;
  unsigned char* d_last = d + n - 1;
  asm volatile("std; rep movsb; cld" : "+D"(d_last), "+S"(s_last), "+c"(n)::"memory", "cc");
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  return 0;
}

size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') {
    ++n;
  }
  return n;
}

// Binary long division; only used off the I/O paths (formatting, time conversion).
static uint64_t udivmod64(uint64_t num, uint64_t den, uint64_t* rem) {
  if (den == 0) {
    aero::guest::panic("64-bit division by zero");
  }
  if (num < den) {
    *rem = num;
    return 0;
  }
  if ((num >> 32) == 0 && (den >> 32) == 0) {
    const uint32_t n32 = static_cast<uint32_t>(num);
    const uint32_t d32 = static_cast<uint32_t>(den);
    *rem = n32 % d32;
    return n32 / d32;
  }
  uint64_t quotient = 0;
  uint64_t remainder = 0;
  for (int bit = 63; bit >= 0; --bit) {
    remainder = (remainder << 1) | ((num >> bit) & 1u);
    if (remainder >= den) {
      remainder -= den;
      quotient |= uint64_t{1} << bit;
    }
  }
  *rem = remainder;
  return quotient;
}

uint64_t __udivdi3(uint64_t num, uint64_t den);
uint64_t __umoddi3(uint64_t num, uint64_t den);
int64_t __divdi3(int64_t num, int64_t den);
int64_t __moddi3(int64_t num, int64_t den);

uint64_t __udivdi3(uint64_t num, uint64_t den) {
  uint64_t rem;
  return udivmod64(num, den, &rem);
}

uint64_t __umoddi3(uint64_t num, uint64_t den) {
  uint64_t rem;
  udivmod64(num, den, &rem);
  return rem;
}

static uint64_t magnitude(int64_t v) {
  return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

int64_t __divdi3(int64_t num, int64_t den) {
  uint64_t rem;
  const uint64_t q = udivmod64(magnitude(num), magnitude(den), &rem);
  return ((num < 0) != (den < 0)) ? -static_cast<int64_t>(q) : static_cast<int64_t>(q);
}

int64_t __moddi3(int64_t num, int64_t den) {
  uint64_t rem;
  udivmod64(magnitude(num), magnitude(den), &rem);
  return num < 0 ? -static_cast<int64_t>(rem) : static_cast<int64_t>(rem);
}

// A pure virtual call means a broken object; there is nobody to throw to.
void __cxa_pure_virtual();
void __cxa_pure_virtual() {
  aero::guest::panic("pure virtual function called");
}

}  // extern "C"

// Deleting destructors of classes with virtual destructors reference operator delete. The guest has
// no heap, so reaching one is a bug.
void operator delete(void*) noexcept {
  aero::guest::panic("operator delete called (no heap)");
}
void operator delete(void*, size_t) noexcept {
  aero::guest::panic("operator delete called (no heap)");
}
