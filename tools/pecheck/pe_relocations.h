// Walks the base relocation directory of a parsed image and validates every block and fixup.
#pragma once

#include <cstdint>

#include "pe_image.h"
#include "result.h"

namespace aero::pecheck {

struct RelocationSummary {
  uint32_t blocks = 0;
  uint32_t fixups = 0;  // Not counting ABSOLUTE padding entries.
};

// Zero blocks when the directory is empty. An error names the first malformed block or fixup:
// a block outside the directory, a fixup type other than HIGHLOW (PE32) / DIR64 (PE32+), or a
// fixup that would patch bytes outside SizeOfImage.
Result<RelocationSummary> ReadRelocations(const PeImage& image);

}  // namespace aero::pecheck
