// The seeded disk pattern shared with the harness (tools/e2e/aero_e2e/disk.py): sector n of seed s
// is the words (n, s) followed by an xorshift32 stream seeded from both.
#pragma once

#include <stdint.h>

namespace aero::guest {

inline constexpr uint32_t kSectorSize = 512;

inline void fill_sector_pattern(uint32_t seed, uint32_t lba, uint8_t* out) {
  auto* words = static_cast<uint32_t*>(static_cast<void*>(out));
  uint32_t x = seed ^ (lba * 0x9E3779B1u) ^ 0x5BD1E995u;
  if (x == 0) {
    x = 0x6D2B79F5u;
  }
  words[0] = lba;
  words[1] = seed;
  for (uint32_t i = 2; i < kSectorSize / 4; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    words[i] = x;
  }
}

// Returns true when the sector holds exactly the pattern.
inline bool check_sector_pattern(uint32_t seed, uint32_t lba, const uint8_t* data) {
  alignas(4) uint8_t expected[kSectorSize];
  fill_sector_pattern(seed, lba, expected);
  const auto* a = static_cast<const uint32_t*>(static_cast<const void*>(data));
  const auto* b = static_cast<const uint32_t*>(static_cast<const void*>(expected));
  for (uint32_t i = 0; i < kSectorSize / 4; ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace aero::guest
