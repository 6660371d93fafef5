// Fuzzes the PE probe that decides which bytes the Authenticode hash covers: whatever the input,
// the ranges must be in order, inside the file, and leave out exactly the checksum, the
// certificate-table entry and the table itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "authenticode_pe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> image(data, size);
  const aero::catalog::PeProbeResult result = aero::catalog::ProbePeImage(image);
  if (result.kind != aero::catalog::PeProbe::kPe) {
    if (result.kind == aero::catalog::PeProbe::kMalformed && result.error.empty()) {
      std::abort();
    }
    return 0;
  }
  const auto& ranges = result.layout.ranges;
  if (ranges.size() != 3 || ranges[0].offset != 0) {
    std::abort();
  }
  std::size_t end = 0;
  std::size_t skipped = 0;
  for (const aero::catalog::ByteRange& range : ranges) {
    if (range.offset < end || range.offset > size || size - range.offset < range.length) {
      std::abort();
    }
    skipped += range.offset - end;
    end = range.offset + range.length;
  }
  if (skipped != 4 + 8) {
    std::abort();
  }
  if (result.layout.has_certificate_table ? end >= size : end != size) {
    std::abort();
  }
  return 0;
}
