// Which bytes of a PE image the Authenticode image hash covers.
//
// The hash runs over the whole file in order, leaving out three pieces: the optional header's
// CheckSum, the certificate-table entry of the data directory (IMAGE_DIRECTORY_ENTRY_SECURITY),
// and the certificate table itself (the embedded signature, which must be the last thing in the
// file). That is why a catalog can hash a .sys after it has been signed: signing changes only
// the excluded parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace aero::catalog {

struct ByteRange {
  std::size_t offset = 0;
  std::size_t length = 0;

  bool operator==(const ByteRange&) const = default;
};

struct PeDigestLayout {
  std::vector<ByteRange> ranges;  // hashed in this order
  bool pe32_plus = false;
  bool has_certificate_table = false;
};

enum class PeProbe {
  kNotPe,      // no "MZ" header leading to a "PE\0\0" signature: hashed as a flat file
  kPe,         // a PE image; `layout` is filled in
  kMalformed,  // claims to be PE but cannot be hashed; `error` says why
};

struct PeProbeResult {
  PeProbe kind = PeProbe::kNotPe;
  PeDigestLayout layout;
  std::string error;
};

// Classifies `image` and, for PE images, computes the Authenticode ranges. Every header field is
// checked against the file size. An unsigned image whose size is not a multiple of 8 is refused:
// signing tools pad such files before hashing them and Windows does not, so no single hash would
// be right (sign the image first, as the packaging pipeline does).
PeProbeResult ProbePeImage(std::span<const std::uint8_t> image);

}  // namespace aero::catalog
