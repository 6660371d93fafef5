// Reads the import directory of a parsed image: which modules it imports and which names or
// ordinals from each. Every pointer is bounds-checked and every loop is capped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pe_image.h"
#include "result.h"

namespace aero::pecheck {

struct ImportedSymbol {
  std::string name;                 // Empty when imported by ordinal.
  std::optional<uint16_t> ordinal;  // Set when imported by ordinal.
};

struct ImportedModule {
  std::string dll_name;
  std::vector<ImportedSymbol> symbols;
};

// Caps that keep a hostile image from making the reader loop or allocate without bound.
inline constexpr uint32_t kMaxImportedModules = 1024;
inline constexpr uint32_t kMaxImportedSymbols = 65536;
inline constexpr uint32_t kMaxImportNameLength = 512;

// The modules an image imports from, in import-directory order; empty when it imports nothing.
// An error describes the first malformed descriptor, thunk or name.
Result<std::vector<ImportedModule>> ReadImports(const PeImage& image);

}  // namespace aero::pecheck
