#include "test_image_builder.h"

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "pe_format.h"

namespace aero::pecheck::testing {
namespace {

constexpr uint32_t kFileAlignment = 0x200;
constexpr uint32_t kSectionAlignment = 0x1000;
constexpr uint32_t kPeOffset = 0x80;
constexpr uint32_t kDataFlags = 0xc0000040;   // INITIALIZED_DATA | READ | WRITE
constexpr uint32_t kRelocFlags = 0x42000040;  // INITIALIZED_DATA | DISCARDABLE | READ

uint32_t AlignUp(uint32_t value, uint32_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// Stores `value` little-endian in `width` (at most 8) bytes, growing `out` as needed.
void Put(std::vector<uint8_t>& out, size_t offset, uint64_t value, size_t width) {
  if (width > 8) {
    throw std::invalid_argument("Put: width above 8");
  }
  if (out.size() < offset + width) {
    out.resize(offset + width);
  }
  for (size_t i = 0; i < width; ++i) {
    out[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  }
}

void PutString(std::vector<uint8_t>& out, size_t offset, const std::string& text) {
  if (out.size() < offset + text.size() + 1) {
    out.resize(offset + text.size() + 1);
  }
  for (size_t i = 0; i < text.size(); ++i) {
    out[offset + i] = static_cast<uint8_t>(text[i]);
  }
  out[offset + text.size()] = 0;
}

struct PlannedSection {
  std::string name;
  uint32_t characteristics = 0;
  uint32_t rva = 0;
  std::vector<uint8_t> data;
};

// Lays out the import descriptors, lookup tables, address tables and names at `rva`.
struct ImportTable {
  std::vector<uint8_t> data;
  uint32_t descriptors_size = 0;
  uint32_t iat_rva = 0;
  uint32_t iat_size = 0;
};

ImportTable BuildImports(const std::vector<TestModule>& modules, uint32_t rva, bool is64) {
  const uint32_t width = is64 ? 8 : 4;
  ImportTable t;
  t.descriptors_size = static_cast<uint32_t>((modules.size() + 1) * 20);
  uint32_t thunk_count = 0;
  for (const TestModule& m : modules) {
    thunk_count += static_cast<uint32_t>(m.imports.size() + 1);
  }
  const uint32_t lookup_start = t.descriptors_size;
  const uint32_t iat_start = lookup_start + thunk_count * width;
  uint32_t names_at = iat_start + thunk_count * width;
  t.iat_rva = rva + iat_start;
  t.iat_size = thunk_count * width;

  uint32_t thunk_index = 0;
  for (size_t i = 0; i < modules.size(); ++i) {
    const TestModule& m = modules[i];
    const uint32_t lookup = lookup_start + thunk_index * width;
    const uint32_t iat = iat_start + thunk_index * width;
    for (size_t j = 0; j < m.imports.size(); ++j) {
      const TestImport& imp = m.imports[j];
      uint64_t thunk = 0;
      if (imp.ordinal) {
        thunk = (is64 ? pe::kOrdinalFlag64 : pe::kOrdinalFlag32) | *imp.ordinal;
      } else {
        thunk = rva + names_at;
        Put(t.data, names_at, 0, 2);  // Hint: any value works.
        PutString(t.data, names_at + 2, imp.name);
        names_at = AlignUp(names_at + 2 + static_cast<uint32_t>(imp.name.size()) + 1, 2);
      }
      Put(t.data, lookup + j * width, thunk, width);
      Put(t.data, iat + j * width, thunk, width);
    }
    Put(t.data, lookup + m.imports.size() * width, 0, width);
    Put(t.data, iat + m.imports.size() * width, 0, width);
    thunk_index += static_cast<uint32_t>(m.imports.size() + 1);

    const uint32_t descriptor = static_cast<uint32_t>(i * 20);
    Put(t.data, descriptor + 0, rva + lookup, 4);  // OriginalFirstThunk
    Put(t.data, descriptor + 12, rva + names_at, 4);
    Put(t.data, descriptor + 16, rva + iat, 4);  // FirstThunk
    PutString(t.data, names_at, m.dll_name);
    names_at = AlignUp(names_at + static_cast<uint32_t>(m.dll_name.size()) + 1, 2);
  }
  // The terminating descriptor: zero bytes, as the buffer grows zero-filled.
  if (t.data.size() < t.descriptors_size) {
    t.data.resize(t.descriptors_size);
  }
  return t;
}

}  // namespace

TestImageSpec DriverSpec(Arch arch) {
  TestImageSpec spec;
  spec.arch = arch;
  if (arch == Arch::kX86) {
    spec.file_characteristics = 0x030e;  // EXECUTABLE | stripped bits | 32BIT_MACHINE
    spec.dll_characteristics = 0x0140;   // DYNAMIC_BASE | NX_COMPAT
    spec.modules = {
        {"ntoskrnl.exe",
         {{"IoCreateDevice", {}},
          {"ObfReferenceObject", {}},
          {"DbgPrint", {}},
          {"KeTickCount", {}}}},
        {"HAL.dll", {{"KeGetCurrentIrql", {}}, {"KfAcquireSpinLock", {}}}},
    };
  } else {
    spec.file_characteristics = 0x022e;  // EXECUTABLE | stripped bits | LARGE_ADDRESS_AWARE
    spec.dll_characteristics = 0x0160;   // + HIGH_ENTROPY_VA
    spec.modules = {
        {"ntoskrnl.exe",
         {{"IoCreateDevice", {}},
          {"ObfReferenceObject", {}},
          {"DbgPrint", {}},
          {"KeAcquireSpinLockRaiseToDpc", {}}}},
    };
  }
  return spec;
}

TestImageSpec DllSpec(Arch arch) {
  TestImageSpec spec = DriverSpec(arch);
  spec.file_characteristics |= pe::kFileDll;
  spec.subsystem = pe::kSubsystemWindowsGui;
  spec.modules = {
      {"KERNEL32.dll", {{"GetLastError", {}}, {"Sleep", {}}}},
      {"msvcrt.dll", {{"memcpy", {}}}},
  };
  return spec;
}

const SectionLayout& TestImage::section(const std::string& name) const {
  for (const SectionLayout& s : sections) {
    if (s.name == name) {
      return s;
    }
  }
  throw std::invalid_argument("test image has no section " + name);
}

uint32_t TestImage::ReadU32(uint32_t offset) const {
  if (offset + 4ull > bytes.size()) {
    throw std::out_of_range("ReadU32 past the end of the test image");
  }
  return bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16 |
         static_cast<uint32_t>(bytes[offset + 3]) << 24;
}

void TestImage::WriteU16(uint32_t offset, uint16_t value) {
  if (offset + 2ull > bytes.size()) {
    throw std::out_of_range("WriteU16 past the end of the test image");
  }
  Put(bytes, offset, value, 2);
}

void TestImage::WriteU32(uint32_t offset, uint32_t value) {
  if (offset + 4ull > bytes.size()) {
    throw std::out_of_range("WriteU32 past the end of the test image");
  }
  Put(bytes, offset, value, 4);
}

void TestImage::RefreshChecksum() {
  WriteU32(checksum_offset, ReferenceChecksum(bytes, checksum_offset));
}

uint32_t ReferenceChecksum(std::span<const uint8_t> bytes, uint64_t checksum_offset) {
  uint64_t total = 0;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    uint8_t lo = bytes[i];
    uint8_t hi = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    if (i >= checksum_offset && i < checksum_offset + 4) {
      lo = 0;
    }
    if (i + 1 >= checksum_offset && i + 1 < checksum_offset + 4) {
      hi = 0;
    }
    total += static_cast<uint64_t>(lo | hi << 8);
  }
  while (total >> 16 != 0) {
    total = (total & 0xffff) + (total >> 16);
  }
  return static_cast<uint32_t>(total + bytes.size());
}

TestImage BuildTestImage(const TestImageSpec& spec) {
  const bool is64 = spec.arch == Arch::kX64;
  const uint32_t width = is64 ? 8 : 4;
  const uint64_t image_base = is64 ? 0x140000000ull : 0x10000ull;

  // Sections follow each other in RVA order; each one's data must be final before the next is
  // added, because its size decides where the next one starts.
  std::vector<PlannedSection> plan;
  auto add = [&](const std::string& name, uint32_t flags) -> PlannedSection& {
    PlannedSection s;
    s.name = name;
    s.characteristics = flags;
    s.rva = plan.empty()
                ? kSectionAlignment
                : plan.back().rva +
                      AlignUp(std::max<uint32_t>(static_cast<uint32_t>(plan.back().data.size()), 1),
                              kSectionAlignment);
    plan.push_back(std::move(s));
    return plan.back();
  };
  const uint32_t text_rva = add(".text", spec.text_characteristics).rva;
  plan.back().data = is64 ? std::vector<uint8_t>{0x31, 0xc0, 0xc3}               // xor eax,eax; ret
                          : std::vector<uint8_t>{0x31, 0xc0, 0xc2, 0x08, 0x00};  // ...; ret 8
  plan.back().data.resize(16, 0xcc);

  const uint32_t data_rva = add(".data", kDataFlags).rva;
  // An absolute pointer to .text: what the relocation below fixes up.
  Put(plan.back().data, 0, image_base + text_rva, width);
  plan.back().data.resize(16);
  const uint32_t tls_rva = data_rva + 16;
  const uint32_t tls_size = is64 ? 40 : 24;
  if (spec.tls_directory) {
    plan.back().data.resize(16 + tls_size);
  }

  uint32_t pdata_rva = 0;
  if (is64 && spec.unwind_table) {
    // One RUNTIME_FUNCTION covering the code, then its UNWIND_INFO (version 1, no codes).
    pdata_rva = add(".pdata", 0x40000040).rva;  // INITIALIZED_DATA | READ
    Put(plan.back().data, 0, text_rva, 4);
    Put(plan.back().data, 4, text_rva + 3, 4);
    Put(plan.back().data, 8, pdata_rva + 12, 4);
    Put(plan.back().data, 12, 0x00000001, 4);
  }

  ImportTable imports;
  uint32_t idata_rva = 0;
  if (!spec.modules.empty()) {
    idata_rva = add(".idata", kDataFlags).rva;
    imports = BuildImports(spec.modules, idata_rva, is64);
    plan.back().data = imports.data;
  }
  for (const TestSection& extra : spec.extra_sections) {
    add(extra.name, extra.characteristics).data = extra.data;
  }
  uint32_t reloc_rva = 0;
  if (spec.relocations) {
    reloc_rva = add(".reloc", kRelocFlags).rva;
    const uint16_t type = is64 ? pe::kRelBasedDir64 : pe::kRelBasedHighLow;
    Put(plan.back().data, 0, data_rva, 4);
    Put(plan.back().data, 4, 12, 4);
    Put(plan.back().data, 8, static_cast<uint16_t>(type << 12), 2);
    Put(plan.back().data, 10, pe::kRelBasedAbsolute, 2);  // Pads the block to 4 bytes.
  }
  for (const PlannedSection& s : plan) {
    if (s.name.size() > 8 || s.data.size() > (16u << 20)) {
      throw std::invalid_argument("test section " + s.name + " has a long name or too much data");
    }
  }

  TestImage img;
  std::vector<uint8_t>& out = img.bytes;
  const uint32_t optional_size = is64 ? 240 : 224;
  img.pe_offset = kPeOffset;
  img.optional_header_offset = kPeOffset + 4 + 20;
  img.checksum_offset = img.optional_header_offset + 64;
  img.data_directory_offset = img.optional_header_offset + (is64 ? 112 : 96);
  const uint32_t table = img.optional_header_offset + optional_size;
  const uint32_t headers_size =
      AlignUp(table + static_cast<uint32_t>(plan.size()) * 40, kFileAlignment);

  out.assign(headers_size, 0);
  out[0] = 'M';
  out[1] = 'Z';
  Put(out, pe::kDosLfanewOffset, kPeOffset, 4);
  Put(out, kPeOffset, 0x00004550, 4);  // "PE\0\0"
  const uint32_t coff = kPeOffset + 4;
  Put(out, coff + 0, spec.machine.value_or(is64 ? pe::kMachineAmd64 : pe::kMachineI386), 2);
  Put(out, coff + 2, plan.size(), 2);
  Put(out, coff + 16, optional_size, 2);
  Put(out, coff + 18, spec.file_characteristics, 2);

  uint32_t raw_at = headers_size;
  uint32_t code_size = 0;
  uint32_t data_size = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const PlannedSection& s = plan[i];
    const uint32_t raw_size = AlignUp(static_cast<uint32_t>(s.data.size()), kFileAlignment);
    const uint32_t header = table + static_cast<uint32_t>(i) * 40;
    for (size_t c = 0; c < s.name.size(); ++c) {
      out[header + c] = static_cast<uint8_t>(s.name[c]);
    }
    Put(out, header + 8, s.data.size(), 4);
    Put(out, header + 12, s.rva, 4);
    Put(out, header + 16, raw_size, 4);
    Put(out, header + 20, raw_size != 0 ? raw_at : 0, 4);
    Put(out, header + 36, s.characteristics, 4);
    img.sections.push_back(SectionLayout{s.name, header, s.rva, raw_at});
    out.resize(raw_at + raw_size, 0);
    std::copy(s.data.begin(), s.data.end(), out.begin() + raw_at);
    raw_at += raw_size;
    ((s.characteristics & pe::kScnCntCode) != 0 ? code_size : data_size) += raw_size;
  }

  const uint32_t opt = img.optional_header_offset;
  const uint32_t size_of_image =
      plan.back().rva +
      AlignUp(std::max<uint32_t>(static_cast<uint32_t>(plan.back().data.size()), 1),
              kSectionAlignment);
  Put(out, opt + 0, is64 ? pe::kMagicPe32Plus : pe::kMagicPe32, 2);
  out[opt + 2] = 2;  // Linker version 2.40, like binutils.
  out[opt + 3] = 40;
  Put(out, opt + 4, code_size, 4);
  Put(out, opt + 8, data_size, 4);
  Put(out, opt + 16, spec.entry_point.value_or(text_rva), 4);
  Put(out, opt + 20, text_rva, 4);  // BaseOfCode
  if (is64) {
    Put(out, opt + 24, image_base, 8);
  } else {
    Put(out, opt + 28, image_base, 4);
  }
  Put(out, opt + 32, kSectionAlignment, 4);
  Put(out, opt + 36, kFileAlignment, 4);
  Put(out, opt + 40, 6, 2);  // Operating system version 6.1.
  Put(out, opt + 42, 1, 2);
  Put(out, opt + 48, spec.subsystem_major, 2);
  Put(out, opt + 50, spec.subsystem_minor, 2);
  Put(out, opt + 56, size_of_image, 4);
  Put(out, opt + 60, headers_size, 4);
  Put(out, opt + 68, spec.subsystem, 2);
  Put(out, opt + 70, spec.dll_characteristics, 2);
  const uint32_t sizes = 72;  // SizeOfStackReserve, then 3 more fields of pointer width.
  Put(out, opt + sizes, 0x40000, width);               // Stack reserve
  Put(out, opt + sizes + width, 0x1000, width);        // Stack commit
  Put(out, opt + sizes + 2 * width, 0x100000, width);  // Heap reserve
  Put(out, opt + sizes + 3 * width, 0x1000, width);    // Heap commit
  Put(out, img.data_directory_offset - 4, pe::kDataDirectoryCount, 4);

  if (idata_rva != 0) {
    Put(out, img.directory_offset(pe::kDirImport), idata_rva, 4);
    Put(out, img.directory_offset(pe::kDirImport) + 4, imports.descriptors_size, 4);
    Put(out, img.directory_offset(pe::kDirIat), imports.iat_rva, 4);
    Put(out, img.directory_offset(pe::kDirIat) + 4, imports.iat_size, 4);
  }
  if (pdata_rva != 0) {
    Put(out, img.directory_offset(pe::kDirException), pdata_rva, 4);
    Put(out, img.directory_offset(pe::kDirException) + 4, pe::kRuntimeFunctionSize, 4);
  }
  if (reloc_rva != 0) {
    Put(out, img.directory_offset(pe::kDirBaseReloc), reloc_rva, 4);
    Put(out, img.directory_offset(pe::kDirBaseReloc) + 4, 12, 4);
  }
  if (spec.tls_directory) {
    Put(out, img.directory_offset(pe::kDirTls), tls_rva, 4);
    Put(out, img.directory_offset(pe::kDirTls) + 4, tls_size, 4);
  }

  switch (spec.checksum) {
    case ChecksumMode::kCorrect:
      img.RefreshChecksum();
      break;
    case ChecksumMode::kZero:
      break;
    case ChecksumMode::kWrong:
      img.WriteU32(img.checksum_offset, ReferenceChecksum(out, img.checksum_offset) ^ 0x10);
      break;
  }
  return img;
}

bool WriteFileAtomically(const std::string& path, std::span<const uint8_t> bytes) {
  const std::string temp = path + ".tmp." + std::to_string(getpid());
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) {
    return false;
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace aero::pecheck::testing
