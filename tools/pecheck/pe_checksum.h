// The PE image checksum (OptionalHeader.CheckSum) as Windows and ld compute it.
#pragma once

#include <cstdint>
#include <span>

namespace aero::pecheck {

// 16-bit one's-complement-style sum of the file as little-endian words, with the four CheckSum
// bytes at `checksum_offset` read as zero and an odd trailing byte padded with zero, plus the file
// length. `checksum_offset` may lie anywhere (or beyond the end); only bytes inside the file count.
uint32_t ComputePeChecksum(std::span<const uint8_t> file, uint64_t checksum_offset);

}  // namespace aero::pecheck
