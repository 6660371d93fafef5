// memcpy/memmove/memset/memcmp for kernel images (cdecl, like the C library's). Built with
// -fno-tree-loop-distribute-patterns so GCC does not turn these loops back into calls to
// themselves.
#include "kcrt/mem.h"

#include <stdint.h>

void* AERO_KCRT_NAME(memcpy)(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  // Word copies when both sides are aligned alike: block copies of rings and buffers are common.
  if ((((uintptr_t)d ^ (uintptr_t)s) & (sizeof(uintptr_t) - 1)) == 0) {
    while (n && ((uintptr_t)d & (sizeof(uintptr_t) - 1))) {
      *d++ = *s++;
      n--;
    }
    uintptr_t* dw = (uintptr_t*)d;
    const uintptr_t* sw = (const uintptr_t*)s;
    while (n >= sizeof(uintptr_t)) {
      *dw++ = *sw++;
      n -= sizeof(uintptr_t);
    }
    d = (unsigned char*)dw;
    s = (const unsigned char*)sw;
  }
  while (n--) {
    *d++ = *s++;
  }
  return dst;
}

void* AERO_KCRT_NAME(memmove)(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  if (d == s || n == 0) {
    return dst;
  }
  if (d < s || d >= s + n) {
    return AERO_KCRT_NAME(memcpy)(dst, src, n);
  }
  // Overlapping with the destination above the source: copy backwards.
  while (n--) {
    d[n] = s[n];
  }
  return dst;
}

void* AERO_KCRT_NAME(memset)(void* dst, int value, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char byte = (unsigned char)value;
  while (n && ((uintptr_t)d & (sizeof(uintptr_t) - 1))) {
    *d++ = byte;
    n--;
  }
  uintptr_t word = byte;
  word |= word << 8;
  word |= word << 16;
  if (sizeof(uintptr_t) == 8) {
    word |= (word << 16) << 16;
  }
  uintptr_t* dw = (uintptr_t*)d;
  while (n >= sizeof(uintptr_t)) {
    *dw++ = word;
    n -= sizeof(uintptr_t);
  }
  d = (unsigned char*)dw;
  while (n--) {
    *d++ = byte;
  }
  return dst;
}

int AERO_KCRT_NAME(memcmp)(const void* a, const void* b, size_t n) {
  const unsigned char* x = (const unsigned char*)a;
  const unsigned char* y = (const unsigned char*)b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  return 0;
}
