// Driver-package views of a parsed INF: [Manufacturer] -> models sections (with target-OS
// decorations such as NTx86.6.1), the model entries that bind hardware IDs, DDInstall section
// resolution per architecture, and the AddService directives of [<install>.Services].
#ifndef AERO_TOOLS_INF_INF_MODELS_H_
#define AERO_TOOLS_INF_INF_MODELS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inf_file.h"

namespace aero::inf {

// One models section reached from a [Manufacturer] entry.
struct ModelsSectionRef {
  std::string manufacturer;  // the entry's key (substituted)
  std::string base_name;     // e.g. "AeroVirtioBlk"
  std::string decoration;    // e.g. "NTamd64.6.1"; empty for the undecorated section
  std::string section_name;  // base_name[.decoration]
  int manufacturer_line = 0;
  const InfSection* section = nullptr;  // nullptr when the INF does not define it
};

// Lists, per [Manufacturer] entry, the undecorated models section (only when the INF defines it
// or the entry lists no decorations) followed by one reference per decoration.
std::vector<ModelsSectionRef> FollowManufacturer(const InfFile& inf);

struct ModelEntry {
  std::string description;
  std::string install_section;
  std::vector<std::string> ids;  // hardware ID then compatible IDs, as written
  int line_number = 0;
};

// Reads `description = install-section, hw-id[, compatible-id...]` lines. Lines that do not have
// that shape are returned with empty fields so callers can report them.
std::vector<ModelEntry> ReadModels(const InfSection& models);

// Architecture part of a decoration: "NTamd64.6.1" -> "amd64", "NTx86" -> "x86", "NT" -> "".
std::string ArchitectureOfDecoration(std::string_view decoration);

// The DDInstall section Windows would use on `architecture`: <name>.NT<arch>, then <name>.NT,
// then <name>. Returns nullptr when none exists; `resolved_name` gets the chosen name.
const InfSection* ResolveInstallSection(const InfFile& inf, std::string_view install_section,
                                        std::string_view architecture, std::string* resolved_name);

struct AddServiceEntry {
  std::string service_name;
  std::optional<std::uint32_t> flags;  // nullopt when the flags field is missing or not a number
  std::string service_install_section;
  int line_number = 0;
};

inline constexpr std::uint32_t kSpsvcinstAssocService = 0x00000002;

// AddService directives of [<resolved_install_section>.Services] (empty if that section is absent).
std::vector<AddServiceEntry> FindAddServices(const InfFile& inf,
                                             std::string_view resolved_install_section);

// Parses an INF number: decimal or 0x-prefixed hex, up to 32 bits.
std::optional<std::uint32_t> ParseInfNumber(std::string_view text);

}  // namespace aero::inf

#endif  // AERO_TOOLS_INF_INF_MODELS_H_
