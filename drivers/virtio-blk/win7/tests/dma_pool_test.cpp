#include "dma_pool.h"

#include <gtest/gtest.h>

#include <vector>

namespace aero::blk::win7 {
namespace {

TEST(DmaPool, AlignsPhysicalAddressesAndZeroes) {
  std::vector<uint8_t> memory(8192, 0xEE);
  DmaPool pool;
  pool.Reset(memory.data(), 0x100000008ull, memory.size());  // physical base only 8-aligned
  uint64_t phys = 0;
  auto* p = static_cast<uint8_t*>(pool.Allocate(100, 4096, &phys));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(phys % 4096, 0u);
  EXPECT_EQ(phys - 0x100000008ull, static_cast<uint64_t>(p - memory.data()));
  for (int i = 0; i < 100; i++) {
    ASSERT_EQ(p[i], 0);
  }
}

TEST(DmaPool, ReusesFreedBlocksSoResetsDoNotLeak) {
  std::vector<uint8_t> memory(64 * 1024);
  DmaPool pool;
  pool.Reset(memory.data(), 0x200000, memory.size());
  uint64_t phys = 0;
  for (int round = 0; round < 100; round++) {  // as many bring-ups as a long-running guest sees
    void* ring = pool.Allocate(5000, 4096, &phys);
    void* state = pool.Allocate(700, 16, &phys);
    ASSERT_NE(ring, nullptr) << round;
    ASSERT_NE(state, nullptr) << round;
    EXPECT_TRUE(pool.Free(ring));
    EXPECT_TRUE(pool.Free(state));
  }
  EXPECT_EQ(pool.live_blocks(), 0);
  EXPECT_LE(pool.used_bytes(), 16u * 1024);
}

TEST(DmaPool, RefusesWhatDoesNotFitAndForeignPointers) {
  std::vector<uint8_t> memory(4096);
  DmaPool pool;
  pool.Reset(memory.data(), 0, memory.size());
  uint64_t phys = 0;
  EXPECT_EQ(pool.Allocate(4097, 8, &phys), nullptr);
  EXPECT_EQ(pool.Allocate(16, 3, &phys), nullptr);  // not a power of two
  EXPECT_EQ(pool.Allocate(0, 8, &phys), nullptr);
  int x = 0;
  EXPECT_FALSE(pool.Free(&x));
  void* a = pool.Allocate(4096, 8, &phys);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(pool.Allocate(1, 1, &phys), nullptr);
  EXPECT_TRUE(pool.Free(a));
  EXPECT_FALSE(pool.Free(a));  // twice
}

}  // namespace
}  // namespace aero::blk::win7
