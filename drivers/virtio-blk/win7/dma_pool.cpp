#include "dma_pool.h"

namespace aero::blk::win7 {
namespace {

void Zero(uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    p[i] = 0;
  }
}

}  // namespace

void DmaPool::Reset(void* base, uint64_t phys, size_t size) {
  base_ = static_cast<uint8_t*>(base);
  phys_ = phys;
  size_ = base == nullptr ? 0 : size;
  top_ = 0;
  block_count_ = 0;
}

void* DmaPool::Allocate(size_t size, size_t alignment, uint64_t* phys) {
  if (size == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0 || base_ == nullptr) {
    return nullptr;
  }
  // Alignment is of the physical address (what the device sees).
  auto aligned = [&](size_t offset) { return ((phys_ + offset) & (alignment - 1)) == 0; };
  // A freed block that fits (the same sizes come back after every reset).
  for (int i = 0; i < block_count_; i++) {
    Block& b = blocks_[i];
    if (!b.live && b.size >= size && aligned(b.offset)) {
      b.live = true;
      Zero(base_ + b.offset, b.size);
      *phys = phys_ + b.offset;
      return base_ + b.offset;
    }
  }
  if (block_count_ == kMaxBlocks) {
    return nullptr;
  }
  size_t offset = top_;
  while (!aligned(offset)) {
    offset++;
  }
  if (offset > size_ || size > size_ - offset) {
    return nullptr;
  }
  blocks_[block_count_++] = {offset, size, true};
  top_ = offset + size;
  Zero(base_ + offset, size);
  *phys = phys_ + offset;
  return base_ + offset;
}

bool DmaPool::Free(const void* p) {
  for (int i = 0; i < block_count_; i++) {
    Block& b = blocks_[i];
    if (b.live && base_ + b.offset == p) {
      b.live = false;
      // Give back the top of the bump area when the last block goes.
      while (block_count_ > 0 && !blocks_[block_count_ - 1].live) {
        block_count_--;
        top_ = blocks_[block_count_].offset;
      }
      return true;
    }
  }
  return false;
}

int DmaPool::live_blocks() const {
  int n = 0;
  for (int i = 0; i < block_count_; i++) {
    n += blocks_[i].live ? 1 : 0;
  }
  return n;
}

}  // namespace aero::blk::win7
