// Test-only writer of small but loadable-looking PE images (x86 PE32 and x64 PE32+): headers,
// .text, .data, .pdata (x64), an import table in .idata, optional .reloc and TLS directory,
// correct checksum.
// Each knob lets a test produce exactly one defect.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "target.h"

namespace aero::pecheck::testing {

struct TestImport {
  std::string name;
  std::optional<uint16_t> ordinal;  // When set, the import is by ordinal and `name` is unused.
};

struct TestModule {
  std::string dll_name;
  std::vector<TestImport> imports;
};

struct TestSection {
  std::string name;  // At most 8 bytes.
  uint32_t characteristics = 0;
  std::vector<uint8_t> data;
};

enum class ChecksumMode { kCorrect, kZero, kWrong };

struct TestImageSpec {
  Arch arch = Arch::kX86;
  std::optional<uint16_t> machine;  // Default: the machine of `arch`.
  uint16_t file_characteristics = 0;
  uint16_t dll_characteristics = 0;
  uint16_t subsystem = 1;
  uint16_t subsystem_major = 6;
  uint16_t subsystem_minor = 1;
  std::vector<TestModule> modules;
  bool relocations = true;
  bool tls_directory = false;
  bool unwind_table = true;                    // x64 only: a .pdata entry for the code in .text.
  uint32_t text_characteristics = 0x60000020;  // CODE | EXECUTE | READ
  std::vector<TestSection> extra_sections;     // Placed between .idata and .reloc.
  std::optional<uint32_t> entry_point;         // Default: the start of .text.
  ChecksumMode checksum = ChecksumMode::kCorrect;
};

// A valid kernel driver importing from ntoskrnl.exe (and hal.dll on x86), matching the fixtures.
TestImageSpec DriverSpec(Arch arch);
// A valid user-mode DLL importing from kernel32.dll and msvcrt.dll, matching the fixtures.
TestImageSpec DllSpec(Arch arch);

struct SectionLayout {
  std::string name;
  uint32_t header_offset = 0;  // File offset of its section header.
  uint32_t rva = 0;
  uint32_t raw_pointer = 0;
};

struct TestImage {
  std::vector<uint8_t> bytes;
  uint32_t pe_offset = 0;
  uint32_t optional_header_offset = 0;
  uint32_t checksum_offset = 0;
  uint32_t data_directory_offset = 0;  // File offset of DataDirectory[0].
  std::vector<SectionLayout> sections;

  const SectionLayout& section(const std::string& name) const;
  uint32_t directory_offset(uint32_t index) const { return data_directory_offset + index * 8; }
  uint32_t ReadU32(uint32_t offset) const;
  void WriteU16(uint32_t offset, uint16_t value);
  void WriteU32(uint32_t offset, uint32_t value);
  // Stores the correct checksum again after a test patched bytes.
  void RefreshChecksum();
};

TestImage BuildTestImage(const TestImageSpec& spec);

// The PE checksum computed independently of the checker (sum all words, fold at the end).
uint32_t ReferenceChecksum(std::span<const uint8_t> bytes, uint64_t checksum_offset);

// Writes `bytes` to `path` through a temporary file and a rename. Returns false on failure.
bool WriteFileAtomically(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace aero::pecheck::testing
