// Whole-file reads with clear error messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "result.h"

namespace aero::pecheck {

// Images larger than this are refused rather than read (no Win7 driver comes close).
inline constexpr uint64_t kMaxInputFileSize = 256ull * 1024 * 1024;

Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path);
Result<std::string> ReadFileText(const std::string& path);

}  // namespace aero::pecheck
