// Freestanding <stddef.h> for kernel-mode builds. mingw-w64's GCC wraps its own stddef.h around the
// mingw C runtime headers, which kernel code must not see, so kernel builds use this one.
#ifndef AERO_KCRT_STDDEF_H
#define AERO_KCRT_STDDEF_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#ifndef __cplusplus
typedef __WCHAR_TYPE__ wchar_t;
#endif
typedef struct {
  long long max_align_ll __attribute__((aligned(__alignof__(long long))));
  long double max_align_ld __attribute__((aligned(__alignof__(long double))));
} max_align_t;

#ifdef __cplusplus
#define NULL nullptr
#else
#define NULL ((void*)0)
#endif
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif  // AERO_KCRT_STDDEF_H
