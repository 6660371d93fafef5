#include "dma.h"

#include "cpu.h"
#include "multiboot.h"

extern "C" char __kernel_end[];
extern "C" void* memset(void* dst, int value, size_t n);

namespace aero::guest {
namespace {

constexpr uint64_t kFourGiB = uint64_t{1} << 32;
constexpr uint64_t kPage = 4096;

uint64_t g_base = 0;
uint64_t g_end = 0;
uint64_t g_next = 0;

uint64_t align_up(uint64_t v, uint64_t a) {
  return (v + a - 1) & ~(a - 1);
}

}  // namespace

const char* dma_init() {
  const uint64_t kernel_end = reinterpret_cast<uintptr_t>(__kernel_end);
  uint64_t best_base = 0;
  uint64_t best_end = 0;
  for (size_t i = 0; i < memory_range_count(); ++i) {
    const MemoryRange r = memory_range(i);
    uint64_t base = r.base;
    uint64_t end = r.base + r.length;
    if (end < r.base || end > kFourGiB) {
      end = kFourGiB;  // the guest only addresses the first 4 GiB
    }
    if (base < kernel_end) {
      base = kernel_end;
    }
    base = align_up(base, kPage);
    end &= ~(kPage - 1);
    if (end > base && end - base > best_end - best_base) {
      best_base = base;
      best_end = end;
    }
  }
  if (best_end - best_base < 4 * 1024 * 1024) {
    return "less than 4 MiB of RAM above the kernel for DMA buffers";
  }
  g_base = best_base;
  g_end = best_end;
  g_next = best_base;
  return nullptr;
}

DmaBuffer dma_alloc(size_t size, size_t alignment) {
  if (size == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0) {
    return DmaBuffer{nullptr, 0, 0};
  }
  uint64_t start;
  {
    InterruptGuard guard;
    start = align_up(g_next, alignment);
    if (start < g_next || start > g_end || g_end - start < size) {
      return DmaBuffer{nullptr, 0, 0};
    }
    g_next = start + size;
  }
  void* p = reinterpret_cast<void*>(static_cast<uintptr_t>(start));
  memset(p, 0, size);
  return DmaBuffer{p, start, size};
}

size_t dma_mark() {
  InterruptGuard guard;
  return static_cast<size_t>(g_next);
}

void dma_release(size_t mark) {
  InterruptGuard guard;
  if (mark >= g_base && mark <= g_next) {
    g_next = mark;
  }
}

size_t dma_bytes_free() {
  InterruptGuard guard;
  return static_cast<size_t>(g_end - g_next);
}

uint64_t dma_region_base() {
  return g_base;
}
uint64_t dma_region_end() {
  return g_end;
}

}  // namespace aero::guest
