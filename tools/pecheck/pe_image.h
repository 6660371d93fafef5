// The PE reader: parses and bounds-checks the headers and the section table of an untrusted image,
// and maps RVAs to file bytes for the checks that follow pointers into the image.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "byte_view.h"
#include "pe_format.h"
#include "result.h"

namespace aero::pecheck {

enum class PeFormat { kPe32, kPe32Plus };

struct DataDirectory {
  uint32_t rva = 0;
  uint32_t size = 0;
  bool empty() const { return rva == 0 && size == 0; }
};

struct Section {
  std::string name;  // Up to 8 bytes, cut at the first NUL; may hold any byte.
  uint32_t virtual_size = 0;
  uint32_t virtual_address = 0;
  uint32_t raw_size = 0;
  uint32_t raw_pointer = 0;
  uint32_t characteristics = 0;

  // Old linkers leave VirtualSize 0 and mean SizeOfRawData.
  uint32_t mapped_size() const { return virtual_size != 0 ? virtual_size : raw_size; }
  // How much of the mapped range the file supplies; the rest is zero-filled by the loader.
  uint32_t file_backed_size() const { return raw_size < mapped_size() ? raw_size : mapped_size(); }
  bool has(uint32_t flags) const { return (characteristics & flags) == flags; }
};

struct PeImage {
  ByteView file;
  uint32_t pe_offset = 0;  // e_lfanew: where "PE\0\0" is.
  uint16_t machine = 0;
  uint16_t file_characteristics = 0;
  PeFormat format = PeFormat::kPe32;
  uint32_t entry_point = 0;
  uint64_t image_base = 0;
  uint32_t section_alignment = 0;
  uint32_t file_alignment = 0;
  uint16_t subsystem_major = 0;
  uint16_t subsystem_minor = 0;
  uint32_t size_of_image = 0;
  uint32_t size_of_headers = 0;
  uint32_t checksum = 0;
  uint64_t checksum_offset = 0;  // File offset of OptionalHeader.CheckSum.
  uint16_t subsystem = 0;
  uint16_t dll_characteristics = 0;
  uint64_t section_table_end = 0;  // File offset just past the section table.
  uint32_t directory_count = 0;    // NumberOfRvaAndSizes; absent directories read as empty.
  std::array<DataDirectory, pe::kDataDirectoryCount> directories{};
  std::vector<Section> sections;

  uint32_t pointer_size() const { return format == PeFormat::kPe32Plus ? 8 : 4; }
  const DataDirectory& directory(uint32_t index) const { return directories[index]; }

  // The section whose mapped range holds `rva`, or nullptr.
  const Section* SectionAt(uint32_t rva) const;
  // The file offset of [rva, rva + length) when the whole range is backed by file bytes of the
  // headers or of a single section.
  std::optional<uint64_t> FileOffsetOf(uint32_t rva, uint32_t length) const;
  // The file bytes from `rva` to the end of the file-backed part of the headers or the section
  // holding it; empty when `rva` has no file bytes.
  std::span<const uint8_t> FileBytesFrom(uint32_t rva) const;
  std::optional<uint32_t> ReadU32(uint32_t rva) const;
  std::optional<uint64_t> ReadU64(uint32_t rva) const;
  // A NUL-terminated string at `rva` of at most `max_length` bytes (the NUL not counted), which
  // must end inside the file-backed part of the headers or section where it starts.
  std::optional<std::string> ReadCString(uint32_t rva, uint32_t max_length) const;
};

// Parses the DOS header, the PE signature, the file and optional headers and the section table.
// Fails only when the file cannot be read as a PE image at all; everything past the headers is
// left to the checks, which report problems as violations. The image refers to `file`, which must
// outlive it.
Result<PeImage> ParsePeImage(std::span<const uint8_t> file);

}  // namespace aero::pecheck
