// A sub-allocator over one physically contiguous block (StorPort's uncached extension, which a
// miniport can only obtain in HwFindAdapter). The virtio-blk core allocates its rings and request
// slots through the Platform at start-up and again after every reset, so freed blocks are kept
// and handed out again. Portable (no WDK headers); callers serialize.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aero::blk::win7 {

class DmaPool {
 public:
  static constexpr int kMaxBlocks = 32;

  void Reset(void* base, uint64_t phys, size_t size);
  // Zeroed memory of `size` bytes aligned to `alignment` (a power of two), or nullptr.
  void* Allocate(size_t size, size_t alignment, uint64_t* phys);
  // Returns a block to the pool; false when `p` is not a live block of this pool.
  bool Free(const void* p);

  size_t used_bytes() const { return top_; }
  size_t capacity() const { return size_; }
  int live_blocks() const;

 private:
  struct Block {
    size_t offset;
    size_t size;
    bool live;
  };
  uint8_t* base_ = nullptr;
  uint64_t phys_ = 0;
  size_t size_ = 0;
  size_t top_ = 0;
  Block blocks_[kMaxBlocks] = {};
  int block_count_ = 0;
};

}  // namespace aero::blk::win7
