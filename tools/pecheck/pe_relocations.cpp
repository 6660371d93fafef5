#include "pe_relocations.h"

#include <string>

#include "text_util.h"

namespace aero::pecheck {
namespace {

constexpr uint32_t kBlockHeaderSize = 8;
using SummaryResult = Result<RelocationSummary>;

}  // namespace

SummaryResult ReadRelocations(const PeImage& image) {
  RelocationSummary summary;
  const DataDirectory& dir = image.directory(pe::kDirBaseReloc);
  if (dir.empty()) {
    return SummaryResult::Ok(summary);
  }
  if (dir.rva == 0 || dir.size == 0) {
    return SummaryResult::Error("base relocation directory has RVA " + Hex(dir.rva) + " and size " +
                                std::to_string(dir.size));
  }
  const std::optional<uint64_t> start = image.FileOffsetOf(dir.rva, dir.size);
  if (!start) {
    return SummaryResult::Error("base relocation directory (RVA " + Hex(dir.rva) + ", " +
                                std::to_string(dir.size) +
                                " bytes) is not inside the file-backed part of one section");
  }
  const bool is64 = image.format == PeFormat::kPe32Plus;
  const uint16_t wanted_type = is64 ? pe::kRelBasedDir64 : pe::kRelBasedHighLow;
  const uint32_t width = is64 ? 8 : 4;
  const char* wanted_name = is64 ? "DIR64" : "HIGHLOW";

  uint32_t offset = 0;
  while (offset < dir.size) {
    const uint32_t remaining = dir.size - offset;
    const std::string where = "relocation block at directory offset " + Hex(offset);
    if (remaining < kBlockHeaderSize) {
      return SummaryResult::Error(where + ": " + std::to_string(remaining) +
                                  " trailing bytes, too few for a block header");
    }
    const uint32_t page = *image.file.U32(*start + offset);
    const uint32_t block_size = *image.file.U32(*start + offset + 4);
    if (block_size < kBlockHeaderSize || block_size % 4 != 0 || block_size > remaining) {
      return SummaryResult::Error(where + ": block size " + std::to_string(block_size) +
                                  " is not a multiple of 4 between 8 and the " +
                                  std::to_string(remaining) + " bytes left");
    }
    for (uint32_t entry = kBlockHeaderSize; entry < block_size; entry += 2) {
      const uint16_t value = *image.file.U16(*start + offset + entry);
      const auto type = static_cast<uint16_t>(value >> 12);
      if (type == pe::kRelBasedAbsolute) {
        continue;
      }
      const uint64_t target = uint64_t{page} + (value & 0xfffu);
      if (type != wanted_type) {
        return SummaryResult::Error(where + ": fixup at RVA " + Hex(target) + " has type " +
                                    std::to_string(type) + ", expected " + wanted_name);
      }
      if (target + width > image.size_of_image) {
        return SummaryResult::Error(where + ": fixup at RVA " + Hex(target) +
                                    " patches bytes beyond SizeOfImage " +
                                    Hex(image.size_of_image));
      }
      ++summary.fixups;
    }
    ++summary.blocks;
    offset += block_size;
  }
  return SummaryResult::Ok(summary);
}

}  // namespace aero::pecheck
