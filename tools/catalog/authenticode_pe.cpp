#include "authenticode_pe.h"

#include <string>
#include <utility>

namespace aero::catalog {
namespace {

constexpr std::size_t kDosHeaderSize = 0x40;
constexpr std::size_t kLfanewOffset = 0x3c;
constexpr std::size_t kCoffHeaderSize = 20;
constexpr std::size_t kSizeOfOptionalHeaderOffset = 16;  // within the COFF header
constexpr std::uint16_t kPe32Magic = 0x10b;
constexpr std::uint16_t kPe32PlusMagic = 0x20b;
constexpr std::size_t kCheckSumOffset = 64;  // within the optional header, both formats
constexpr std::size_t kSecurityDirectoryIndex = 4;
constexpr std::size_t kDataDirectoryEntrySize = 8;
constexpr std::size_t kCertificateTableAlignment = 8;

std::uint16_t ReadU16(std::span<const std::uint8_t> bytes, std::size_t offset) {
  return static_cast<std::uint16_t>(bytes[offset] | (bytes[offset + 1] << 8));
}

std::uint32_t ReadU32(std::span<const std::uint8_t> bytes, std::size_t offset) {
  return static_cast<std::uint32_t>(bytes[offset]) |
         (static_cast<std::uint32_t>(bytes[offset + 1]) << 8) |
         (static_cast<std::uint32_t>(bytes[offset + 2]) << 16) |
         (static_cast<std::uint32_t>(bytes[offset + 3]) << 24);
}

std::string HexU16(std::uint16_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) {
    text.push_back(kDigits[(value >> shift) & 0xf]);
  }
  return text;
}

PeProbeResult Malformed(std::string error) {
  PeProbeResult result;
  result.kind = PeProbe::kMalformed;
  result.error = std::move(error);
  return result;
}

}  // namespace

PeProbeResult ProbePeImage(std::span<const std::uint8_t> image) {
  const std::size_t size = image.size();
  if (size < kDosHeaderSize || image[0] != 'M' || image[1] != 'Z') {
    return {};
  }
  const std::uint32_t lfanew = ReadU32(image, kLfanewOffset);
  if (lfanew > size || size - lfanew < 4 || image[lfanew] != 'P' || image[lfanew + 1] != 'E' ||
      image[lfanew + 2] != 0 || image[lfanew + 3] != 0) {
    return {};  // an MZ file without an NT header is not a PE image to Windows either
  }
  const std::size_t coff = std::size_t{lfanew} + 4;
  if (size - coff < kCoffHeaderSize) {
    return Malformed("the COFF file header is cut off by the end of the file");
  }
  const std::size_t optional_size = ReadU16(image, coff + kSizeOfOptionalHeaderOffset);
  const std::size_t optional = coff + kCoffHeaderSize;
  if (size - optional < optional_size) {
    return Malformed("the optional header (" + std::to_string(optional_size) +
                     " bytes) runs past the end of the file");
  }
  if (optional_size < 2) {
    return Malformed("the optional header is too small to hold its magic number");
  }
  const std::uint16_t magic = ReadU16(image, optional);
  std::size_t rva_count_offset = 0;
  std::size_t directories = 0;
  PeProbeResult result;
  result.kind = PeProbe::kPe;
  if (magic == kPe32Magic) {
    rva_count_offset = optional + 92;
    directories = optional + 96;
  } else if (magic == kPe32PlusMagic) {
    rva_count_offset = optional + 108;
    directories = optional + 112;
    result.layout.pe32_plus = true;
  } else {
    return Malformed("unknown optional header magic " + HexU16(magic));
  }
  const std::size_t optional_end = optional + optional_size;
  if (rva_count_offset + 4 > optional_end) {
    return Malformed("the optional header ends before NumberOfRvaAndSizes");
  }
  const std::uint32_t rva_count = ReadU32(image, rva_count_offset);
  const std::size_t security = directories + kSecurityDirectoryIndex * kDataDirectoryEntrySize;
  if (rva_count <= kSecurityDirectoryIndex || security + kDataDirectoryEntrySize > optional_end) {
    return Malformed("the data directory has no certificate-table entry");
  }
  const std::size_t checksum = optional + kCheckSumOffset;
  const std::uint32_t table_offset = ReadU32(image, security);
  const std::uint32_t table_size = ReadU32(image, security + 4);
  std::size_t hashed_end = size;
  if (table_offset == 0 && table_size == 0) {
    if (size % kCertificateTableAlignment != 0) {
      return Malformed("the image is unsigned and its size (" + std::to_string(size) +
                       " bytes) is not a multiple of 8; sign it before cataloging it");
    }
  } else {
    if (table_offset == 0 || table_size == 0) {
      return Malformed("the certificate-table entry has an offset or a size but not both");
    }
    if (table_offset < security + kDataDirectoryEntrySize || table_offset > size ||
        size - table_offset != table_size) {
      return Malformed("the certificate table (offset " + std::to_string(table_offset) + ", size " +
                       std::to_string(table_size) + ") is not the last thing in the file");
    }
    if (table_offset % kCertificateTableAlignment != 0) {
      return Malformed("the certificate table is not 8-byte aligned");
    }
    hashed_end = table_offset;
    result.layout.has_certificate_table = true;
  }
  result.layout.ranges = {
      {0, checksum},
      {checksum + 4, security - (checksum + 4)},
      {security + kDataDirectoryEntrySize, hashed_end - (security + kDataDirectoryEntrySize)},
  };
  return result;
}

}  // namespace aero::catalog
