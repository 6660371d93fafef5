// Whole-file reads and atomic writes (temporary file in the destination folder, then rename), so
// a failed run never leaves a half-written output behind.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace aero::catalog {

// Inputs larger than this are refused rather than read (no driver package file comes close).
inline constexpr std::uintmax_t kMaxInputFileSize = 256ull * 1024 * 1024;

// Reads a regular file (symbolic links are refused). Throws Error with the path in the message.
std::vector<std::uint8_t> ReadRegularFile(const std::filesystem::path& path);

// Writes `bytes` to `path` through a temporary file next to it and a rename. On failure the
// temporary file is removed, any earlier `path` is left as it was, and Error is thrown.
void WriteFileAtomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace aero::catalog
