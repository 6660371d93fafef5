#include "pe_checksum.h"

namespace aero::pecheck {

uint32_t ComputePeChecksum(std::span<const uint8_t> file, uint64_t checksum_offset) {
  const uint64_t size = file.size();
  auto byte_at = [&](uint64_t i) -> uint32_t {
    if (i >= size || (i >= checksum_offset && i - checksum_offset < 4)) {
      return 0;
    }
    return file[static_cast<size_t>(i)];
  };
  uint32_t sum = 0;
  for (uint64_t i = 0; i < size; i += 2) {
    sum += byte_at(i) | (byte_at(i + 1) << 8);
    // Fold the carry back in each step, so sum stays within 16 bits.
    sum = (sum & 0xffffu) + (sum >> 16);
  }
  return static_cast<uint32_t>((sum + size) & 0xffffffffu);
}

}  // namespace aero::pecheck
