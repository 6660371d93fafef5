// Matches a PCI function's base address registers with the memory ranges the port driver assigned
// (PORT_CONFIGURATION_INFORMATION.AccessRanges), so the virtio capability parser gets each BAR's
// kind and size and the shim knows which range to map for which BAR. Portable (no WDK headers).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "aero/virtio/platform.h"

namespace aero::blk::win7 {

struct AssignedRange {
  uint64_t physical;
  uint32_t length;
  bool in_memory;
};

struct BarAssignment {
  virtio::BarKind kind;
  uint64_t physical;  // base address from the BAR register(s)
  int range;          // index into the assigned ranges; -1 when none matched
  uint32_t length;    // the assigned range's length
};

// `config` is the first 64 bytes (or more) of the function's configuration space.
// Returns the number of BARs that matched an assigned range.
int MatchBars(const uint8_t* config, size_t config_size, const AssignedRange* ranges,
              int range_count, BarAssignment (&bars)[virtio::kPciBarCount]);

}  // namespace aero::blk::win7
