#include "bar_resources.h"

#include <gtest/gtest.h>

#include <cstring>

namespace aero::blk::win7 {
namespace {

void Put32(uint8_t* p, uint32_t v) {
  std::memcpy(p, &v, 4);
}

TEST(MatchBars, QemuLayout32And64BitBars) {
  uint8_t config[256] = {};
  Put32(config + 0x14, 0xFEBD1000u);  // BAR1: 32-bit memory
  Put32(config + 0x20, 0xFE00000Cu);  // BAR4: 64-bit prefetchable, upper half in BAR5 = 0
  const AssignedRange ranges[] = {{0xFEBD1000u, 0x1000, true}, {0xFE000000u, 0x4000, true}};
  BarAssignment bars[virtio::kPciBarCount];
  EXPECT_EQ(MatchBars(config, sizeof(config), ranges, 2, bars), 2);
  EXPECT_EQ(bars[1].kind, virtio::BarKind::kMemory32);
  EXPECT_EQ(bars[1].range, 0);
  EXPECT_EQ(bars[4].kind, virtio::BarKind::kMemory64);
  EXPECT_EQ(bars[4].range, 1);
  EXPECT_EQ(bars[4].length, 0x4000u);
  EXPECT_EQ(bars[5].kind, virtio::BarKind::kAbsent);
  EXPECT_EQ(bars[0].kind, virtio::BarKind::kAbsent);
}

TEST(MatchBars, SixtyFourBitBarAbove4GiBAndUnassignedBar) {
  uint8_t config[256] = {};
  Put32(config + 0x10, 0x0000000Cu);  // BAR0: 64-bit at 0x8_0000_0000
  Put32(config + 0x14, 0x00000008u);
  Put32(config + 0x18, 0xFEB00000u);  // BAR2: 32-bit but nothing assigned there
  const AssignedRange ranges[] = {{0x800000000ull, 0x4000, true}};
  BarAssignment bars[virtio::kPciBarCount];
  EXPECT_EQ(MatchBars(config, sizeof(config), ranges, 1, bars), 1);
  EXPECT_EQ(bars[0].physical, 0x800000000ull);
  EXPECT_EQ(bars[0].range, 0);
  EXPECT_EQ(bars[2].range, -1);
}

TEST(MatchBars, IoBarNeverMatchesAMemoryRangeAndShortConfigIsRejected) {
  uint8_t config[256] = {};
  Put32(config + 0x10, 0xC001u);  // BAR0: I/O port 0xC000
  const AssignedRange ranges[] = {{0xC000, 0x40, true}};
  BarAssignment bars[virtio::kPciBarCount];
  EXPECT_EQ(MatchBars(config, sizeof(config), ranges, 1, bars), 0);
  EXPECT_EQ(bars[0].kind, virtio::BarKind::kIo);
  EXPECT_EQ(MatchBars(config, 32, ranges, 1, bars), 0);
}

}  // namespace
}  // namespace aero::blk::win7
