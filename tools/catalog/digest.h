// Message digests through OpenSSL's EVP interface.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "authenticode_pe.h"

namespace aero::catalog {

enum class DigestAlgorithm { kSha1, kSha256 };

// Digest of `data`, or of the given ranges of it in order (each range must lie inside `data`).
// Throws Error when OpenSSL fails or a range is out of bounds.
std::vector<std::uint8_t> ComputeDigest(DigestAlgorithm algorithm,
                                        std::span<const std::uint8_t> data);
std::vector<std::uint8_t> ComputeDigest(DigestAlgorithm algorithm,
                                        std::span<const std::uint8_t> data,
                                        std::span<const ByteRange> ranges);

std::string HexUpper(std::span<const std::uint8_t> bytes);
std::string HexLower(std::span<const std::uint8_t> bytes);

// "sha1" / "sha256".
std::string_view DigestName(DigestAlgorithm algorithm);

}  // namespace aero::catalog
