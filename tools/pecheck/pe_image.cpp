#include "pe_image.h"

#include <algorithm>
#include <string>

#include "text_util.h"

namespace aero::pecheck {
namespace {

// Fixed-size part of the optional header, before the data directories.
constexpr uint32_t kOptionalFixedSize32 = 96;
constexpr uint32_t kOptionalFixedSize64 = 112;

Section ReadSectionHeader(const ByteView& file, uint64_t at) {
  Section s;
  for (uint64_t i = 0; i < 8; ++i) {
    const uint8_t c = *file.U8(at + i);
    if (c == 0) {
      break;
    }
    s.name.push_back(static_cast<char>(c));
  }
  s.virtual_size = *file.U32(at + 8);
  s.virtual_address = *file.U32(at + 12);
  s.raw_size = *file.U32(at + 16);
  s.raw_pointer = *file.U32(at + 20);
  s.characteristics = *file.U32(at + 36);
  return s;
}

}  // namespace

const Section* PeImage::SectionAt(uint32_t rva) const {
  for (const Section& s : sections) {
    if (rva >= s.virtual_address && uint64_t{rva} - s.virtual_address < s.mapped_size()) {
      return &s;
    }
  }
  return nullptr;
}

std::optional<uint64_t> PeImage::FileOffsetOf(uint32_t rva, uint32_t length) const {
  const uint64_t end = uint64_t{rva} + length;
  // The loader maps the headers at RVA 0.
  if (end <= size_of_headers && file.Contains(rva, length)) {
    return rva;
  }
  for (const Section& s : sections) {
    if (rva < s.virtual_address) {
      continue;
    }
    const uint64_t delta = uint64_t{rva} - s.virtual_address;
    if (delta >= s.file_backed_size() || end - s.virtual_address > s.file_backed_size()) {
      continue;
    }
    const uint64_t offset = uint64_t{s.raw_pointer} + delta;
    if (file.Contains(offset, length)) {
      return offset;
    }
  }
  return std::nullopt;
}

std::optional<uint32_t> PeImage::ReadU32(uint32_t rva) const {
  const std::optional<uint64_t> at = FileOffsetOf(rva, 4);
  return at ? file.U32(*at) : std::nullopt;
}

std::optional<uint64_t> PeImage::ReadU64(uint32_t rva) const {
  const std::optional<uint64_t> at = FileOffsetOf(rva, 8);
  return at ? file.U64(*at) : std::nullopt;
}

std::span<const uint8_t> PeImage::FileBytesFrom(uint32_t rva) const {
  if (rva < size_of_headers && rva < file.size()) {
    const uint64_t end = size_of_headers < file.size() ? size_of_headers : file.size();
    return file.Slice(rva, end - rva);
  }
  for (const Section& s : sections) {
    if (rva < s.virtual_address || uint64_t{rva} - s.virtual_address >= s.file_backed_size()) {
      continue;
    }
    const uint64_t delta = uint64_t{rva} - s.virtual_address;
    const uint64_t offset = uint64_t{s.raw_pointer} + delta;
    if (offset >= file.size()) {
      continue;
    }
    const uint64_t in_section = s.file_backed_size() - delta;
    const uint64_t in_file = file.size() - offset;
    return file.Slice(offset, in_section < in_file ? in_section : in_file);
  }
  return {};
}

std::optional<std::string> PeImage::ReadCString(uint32_t rva, uint32_t max_length) const {
  const std::span<const uint8_t> bytes = FileBytesFrom(rva);
  const auto limit =
      static_cast<size_t>(std::min<uint64_t>(bytes.size(), uint64_t{max_length} + 1));
  for (size_t i = 0; i < limit; ++i) {
    if (bytes[i] == 0) {
      return std::string(reinterpret_cast<const char*>(bytes.data()), i);
    }
  }
  return std::nullopt;
}

Result<PeImage> ParsePeImage(std::span<const uint8_t> bytes) {
  PeImage img;
  img.file = ByteView(bytes);
  const ByteView& f = img.file;

  if (f.size() < pe::kDosHeaderSize) {
    return Result<PeImage>::Error("file is " + std::to_string(f.size()) +
                                  " bytes, too short for a DOS header");
  }
  if (*f.U8(0) != 'M' || *f.U8(1) != 'Z') {
    return Result<PeImage>::Error("no 'MZ' signature: not a PE image");
  }
  img.pe_offset = *f.U32(pe::kDosLfanewOffset);
  const uint64_t pe = img.pe_offset;
  if (!f.Contains(pe, pe::kSignatureSize + pe::kFileHeaderSize)) {
    return Result<PeImage>::Error("e_lfanew " + Hex(pe) + " points past the end of the file (" +
                                  std::to_string(f.size()) + " bytes)");
  }
  if (*f.U32(pe) != 0x00004550u) {
    return Result<PeImage>::Error("no 'PE\\0\\0' signature at e_lfanew " + Hex(pe));
  }

  const uint64_t coff = pe + pe::kSignatureSize;
  img.machine = *f.U16(coff);
  const uint16_t section_count = *f.U16(coff + 2);
  const uint16_t optional_size = *f.U16(coff + 16);
  img.file_characteristics = *f.U16(coff + 18);

  const uint64_t opt = coff + pe::kFileHeaderSize;
  if (!f.Contains(opt, 2) || optional_size < 2) {
    return Result<PeImage>::Error("optional header missing");
  }
  const uint16_t magic = *f.U16(opt);
  uint32_t fixed_size = 0;
  if (magic == pe::kMagicPe32) {
    img.format = PeFormat::kPe32;
    fixed_size = kOptionalFixedSize32;
  } else if (magic == pe::kMagicPe32Plus) {
    img.format = PeFormat::kPe32Plus;
    fixed_size = kOptionalFixedSize64;
  } else {
    return Result<PeImage>::Error("unknown optional header magic " + Hex(magic));
  }
  if (optional_size < fixed_size) {
    return Result<PeImage>::Error("SizeOfOptionalHeader " + std::to_string(optional_size) +
                                  " is smaller than the fixed part (" + std::to_string(fixed_size) +
                                  ")");
  }
  if (!f.Contains(opt, optional_size)) {
    return Result<PeImage>::Error("optional header is truncated by the end of the file");
  }

  const bool is64 = img.format == PeFormat::kPe32Plus;
  img.entry_point = *f.U32(opt + 16);
  img.image_base = is64 ? *f.U64(opt + 24) : *f.U32(opt + 28);
  img.section_alignment = *f.U32(opt + 32);
  img.file_alignment = *f.U32(opt + 36);
  img.subsystem_major = *f.U16(opt + 48);
  img.subsystem_minor = *f.U16(opt + 50);
  img.size_of_image = *f.U32(opt + 56);
  img.size_of_headers = *f.U32(opt + 60);
  img.checksum_offset = opt + pe::kOptionalCheckSumOffset;
  img.checksum = *f.U32(img.checksum_offset);
  img.subsystem = *f.U16(opt + 68);
  img.dll_characteristics = *f.U16(opt + 70);
  img.directory_count = *f.U32(opt + fixed_size - 4);

  if (img.directory_count > pe::kDataDirectoryCount) {
    return Result<PeImage>::Error("NumberOfRvaAndSizes " + std::to_string(img.directory_count) +
                                  " exceeds " + std::to_string(pe::kDataDirectoryCount));
  }
  if (uint64_t{fixed_size} + uint64_t{img.directory_count} * 8 > optional_size) {
    return Result<PeImage>::Error("NumberOfRvaAndSizes " + std::to_string(img.directory_count) +
                                  " does not fit in SizeOfOptionalHeader " +
                                  std::to_string(optional_size));
  }
  for (uint32_t i = 0; i < img.directory_count; ++i) {
    const uint64_t at = opt + fixed_size + uint64_t{i} * 8;
    img.directories[i].rva = *f.U32(at);
    img.directories[i].size = *f.U32(at + 4);
  }

  if (section_count > pe::kMaxSections) {
    return Result<PeImage>::Error("NumberOfSections " + std::to_string(section_count) +
                                  " exceeds the loader's limit of " +
                                  std::to_string(pe::kMaxSections));
  }
  const uint64_t table = opt + optional_size;
  if (!f.Contains(table, uint64_t{section_count} * pe::kSectionHeaderSize)) {
    return Result<PeImage>::Error("section table (" + std::to_string(section_count) +
                                  " entries at " + Hex(table) +
                                  ") is truncated by the end of the file");
  }
  img.section_table_end = table + uint64_t{section_count} * pe::kSectionHeaderSize;
  img.sections.reserve(section_count);
  for (uint32_t i = 0; i < section_count; ++i) {
    img.sections.push_back(ReadSectionHeader(f, table + uint64_t{i} * pe::kSectionHeaderSize));
  }
  return Result<PeImage>::Ok(std::move(img));
}

}  // namespace aero::pecheck
