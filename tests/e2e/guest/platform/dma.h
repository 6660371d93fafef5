// DMA memory: a bump allocator over the largest RAM range of the multiboot memory map above the
// kernel image and below 4 GiB. The guest runs without paging, so physical = virtual. Allocations
// are zeroed; a scenario releases its memory by returning to an earlier mark.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aero::guest {

struct DmaBuffer {
  void* virt;     // nullptr when the allocation failed
  uint64_t phys;  // == virt (identity mapped)
  size_t size;
};

// Returns nullptr on success or a reason.
const char* dma_init();
DmaBuffer dma_alloc(size_t size, size_t alignment);
size_t dma_mark();
void dma_release(size_t mark);
size_t dma_bytes_free();
uint64_t dma_region_base();
uint64_t dma_region_end();

}  // namespace aero::guest
