// A DmaSpace for tests whose device reads memory directly: physical address = host address.
#pragma once

#include <cstdlib>
#include <cstring>

#include "storport_double.h"

namespace aero::testing {

class HostDmaSpace final : public DmaSpace {
 public:
  void* Allocate(size_t size, size_t alignment, uint64_t* phys) override {
    const size_t rounded = (size + alignment - 1) / alignment * alignment;
    void* p = std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
    if (p != nullptr) {
      std::memset(p, 0, rounded);
      *phys = reinterpret_cast<uintptr_t>(p);
    }
    return p;
  }
  void Free(void* virt) override { std::free(virt); }
};

}  // namespace aero::testing
