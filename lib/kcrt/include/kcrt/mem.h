// The memory functions GCC may call even in freestanding code (block copies, zeroing, comparisons).
// Kernel builds export them under their C names; host tests build the same code with a prefix so
// it can be tested next to the C library's versions.
#ifndef AERO_KCRT_MEM_H
#define AERO_KCRT_MEM_H

#include <stddef.h>

#ifdef AERO_KCRT_HOST_TEST
#define AERO_KCRT_NAME(name) aero_kcrt_##name
#else
#define AERO_KCRT_NAME(name) name
#endif

#ifdef __cplusplus
extern "C" {
#endif
void* AERO_KCRT_NAME(memcpy)(void* dst, const void* src, size_t n);
void* AERO_KCRT_NAME(memmove)(void* dst, const void* src, size_t n);
void* AERO_KCRT_NAME(memset)(void* dst, int value, size_t n);
int AERO_KCRT_NAME(memcmp)(const void* a, const void* b, size_t n);
#ifdef __cplusplus
}
#endif

#endif  // AERO_KCRT_MEM_H
