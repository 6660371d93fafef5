#include "bar_resources.h"

namespace aero::blk::win7 {
namespace {

uint32_t Read32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

constexpr size_t kBarOffset = 0x10;
constexpr uint32_t kBarIo = 0x1;
constexpr uint32_t kBarTypeMask = 0x6;
constexpr uint32_t kBarType64 = 0x4;

}  // namespace

int MatchBars(const uint8_t* config, size_t config_size, const AssignedRange* ranges,
              int range_count, BarAssignment (&bars)[virtio::kPciBarCount]) {
  for (auto& bar : bars) {
    bar = {virtio::BarKind::kAbsent, 0, -1, 0};
  }
  if (config == nullptr || config_size < kBarOffset + size_t{4} * virtio::kPciBarCount) {
    return 0;
  }
  int matched = 0;
  for (int i = 0; i < virtio::kPciBarCount; i++) {
    const uint32_t low = Read32(config + kBarOffset + size_t{4} * i);
    BarAssignment& bar = bars[i];
    if (low & kBarIo) {
      bar.kind = virtio::BarKind::kIo;
      bar.physical = low & ~uint32_t{0x3};
    } else if ((low & kBarTypeMask) == kBarType64) {
      if (i + 1 >= virtio::kPciBarCount) {
        break;  // a 64-bit BAR cannot start in the last slot: ignore it
      }
      bar.kind = virtio::BarKind::kMemory64;
      bar.physical = (uint64_t{Read32(config + kBarOffset + size_t{4} * (i + 1))} << 32) |
                     (low & ~uint32_t{0xF});
    } else {
      bar.kind = virtio::BarKind::kMemory32;
      bar.physical = low & ~uint32_t{0xF};
    }
    if (bar.physical == 0) {
      bar.kind = virtio::BarKind::kAbsent;
    } else {
      for (int r = 0; r < range_count; r++) {
        const bool memory = bar.kind != virtio::BarKind::kIo;
        if (ranges[r].in_memory == memory && ranges[r].physical == bar.physical) {
          bar.range = r;
          bar.length = ranges[r].length;
          matched++;
          break;
        }
      }
    }
    if (bar.kind == virtio::BarKind::kMemory64) {
      i++;  // the upper half is not a BAR of its own
    }
  }
  return matched;
}

}  // namespace aero::blk::win7
