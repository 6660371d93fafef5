#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "kcrt/mem.h"

namespace {

std::vector<unsigned char> Pattern(size_t n, unsigned seed) {
  std::vector<unsigned char> v(n);
  for (size_t i = 0; i < n; i++) {
    v[i] = static_cast<unsigned char>((i * 131u + seed) & 0xFF);
  }
  return v;
}

// Every length 0..80 at every relative alignment, compared with the C library.
TEST(KcrtMem, MemcpyMatchesLibcAcrossAlignments) {
  for (size_t n = 0; n <= 80; n++) {
    for (size_t so = 0; so < 8; so++) {
      for (size_t doff = 0; doff < 8; doff++) {
        auto src = Pattern(n + 16, static_cast<unsigned>(n));
        std::vector<unsigned char> a(n + 16, 0xEE), b(n + 16, 0xEE);
        aero_kcrt_memcpy(a.data() + doff, src.data() + so, n);
        std::memcpy(b.data() + doff, src.data() + so, n);
        ASSERT_EQ(a, b) << "n=" << n << " src+" << so << " dst+" << doff;
      }
    }
  }
}

TEST(KcrtMem, MemsetMatchesLibcAndLeavesNeighbours) {
  for (size_t n = 0; n <= 70; n++) {
    for (size_t off = 0; off < 8; off++) {
      std::vector<unsigned char> a(n + 16, 0x11), b(n + 16, 0x11);
      EXPECT_EQ(aero_kcrt_memset(a.data() + off, 0x1A5, n), a.data() + off);
      std::memset(b.data() + off, 0x1A5, n);
      ASSERT_EQ(a, b) << "n=" << n << " off=" << off;
    }
  }
}

TEST(KcrtMem, MemmoveHandlesBothOverlapDirections) {
  for (size_t n = 1; n <= 40; n++) {
    for (size_t shift = 1; shift < 10; shift++) {
      auto a = Pattern(64, 3), b = a;
      aero_kcrt_memmove(a.data() + shift, a.data(), n);  // destination above the source
      std::memmove(b.data() + shift, b.data(), n);
      ASSERT_EQ(a, b) << "up n=" << n << " shift=" << shift;
      aero_kcrt_memmove(a.data(), a.data() + shift, n);  // destination below the source
      std::memmove(b.data(), b.data() + shift, n);
      ASSERT_EQ(a, b) << "down n=" << n << " shift=" << shift;
    }
  }
}

TEST(KcrtMem, MemcmpOrdersAsUnsignedBytes) {
  const unsigned char x[] = {1, 2, 0x80};
  const unsigned char y[] = {1, 2, 0x7F};
  EXPECT_GT(aero_kcrt_memcmp(x, y, 3), 0);
  EXPECT_LT(aero_kcrt_memcmp(y, x, 3), 0);
  EXPECT_EQ(aero_kcrt_memcmp(x, y, 2), 0);
  EXPECT_EQ(aero_kcrt_memcmp(x, y, 0), 0);
}

}  // namespace
