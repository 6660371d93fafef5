#include "pe_imports.h"

#include "text_util.h"

namespace aero::pecheck {
namespace {

constexpr uint32_t kDescriptorSize = 20;

using ModulesResult = Result<std::vector<ImportedModule>>;

bool IsPrintableName(const std::string& name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    if (c <= 0x20 || c >= 0x7f) {
      return false;
    }
  }
  return true;
}

// Adds `step` to an RVA, failing when the result leaves the 32-bit address space.
std::optional<uint32_t> OffsetRva(uint32_t rva, uint64_t step) {
  const uint64_t sum = uint64_t{rva} + step;
  if (sum > 0xffffffffu) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(sum);
}

struct Descriptor {
  uint32_t lookup_table = 0;  // OriginalFirstThunk (0 in some old images: use the IAT).
  uint32_t name = 0;
  uint32_t address_table = 0;  // FirstThunk.
  bool all_zero = true;
};

std::optional<Descriptor> ReadDescriptor(const PeImage& image, uint32_t rva) {
  const std::optional<uint64_t> at = image.FileOffsetOf(rva, kDescriptorSize);
  if (!at) {
    return std::nullopt;
  }
  Descriptor d;
  for (uint32_t i = 0; i < kDescriptorSize; i += 4) {
    if (*image.file.U32(*at + i) != 0) {
      d.all_zero = false;
    }
  }
  d.lookup_table = *image.file.U32(*at);
  d.name = *image.file.U32(*at + 12);
  d.address_table = *image.file.U32(*at + 16);
  return d;
}

// Reads one module's thunks into `module`; returns an error message or "".
std::string ReadThunks(const PeImage& image, const Descriptor& d, uint32_t& symbol_budget,
                       ImportedModule& module) {
  const bool is64 = image.format == PeFormat::kPe32Plus;
  const uint32_t width = image.pointer_size();
  const uint32_t table = d.lookup_table != 0 ? d.lookup_table : d.address_table;
  const std::string where = "module " + Quoted(module.dll_name) + ": ";
  for (uint32_t index = 0;; ++index) {
    const std::optional<uint32_t> thunk_rva = OffsetRva(table, uint64_t{index} * width);
    std::optional<uint64_t> thunk;
    if (thunk_rva && is64) {
      thunk = image.ReadU64(*thunk_rva);
    } else if (thunk_rva) {
      const std::optional<uint32_t> narrow = image.ReadU32(*thunk_rva);
      if (narrow) {
        thunk = *narrow;
      }
    }
    if (!thunk) {
      return where + "import lookup table at RVA " + Hex(table) +
             " runs outside the file-backed image at entry " + std::to_string(index);
    }
    if (*thunk == 0) {
      // The IAT must have room for the same entries plus its terminator.
      const uint64_t iat_bytes = (uint64_t{index} + 1) * width;
      if (!image.FileOffsetOf(d.address_table, static_cast<uint32_t>(iat_bytes))) {
        return where + "import address table at RVA " + Hex(d.address_table) + " (" +
               std::to_string(iat_bytes) + " bytes) is outside the file-backed image";
      }
      return "";
    }
    if (symbol_budget == 0) {
      return "more than " + std::to_string(kMaxImportedSymbols) + " imported symbols";
    }
    --symbol_budget;

    const uint64_t ordinal_flag = is64 ? pe::kOrdinalFlag64 : pe::kOrdinalFlag32;
    // Bits between the 31-bit hint/name RVA (or 16-bit ordinal) and the ordinal flag are reserved.
    const uint64_t payload = *thunk & ~ordinal_flag;
    ImportedSymbol symbol;
    if ((*thunk & ordinal_flag) != 0) {
      if (payload > 0xffff) {
        return where + "ordinal thunk " + Hex(*thunk) + " has reserved bits set";
      }
      symbol.ordinal = static_cast<uint16_t>(payload);
    } else {
      if (payload > 0x7fffffff) {
        return where + "name thunk " + Hex(*thunk) + " has reserved bits set";
      }
      const auto hint_rva = static_cast<uint32_t>(payload);
      const std::optional<uint32_t> name_rva = OffsetRva(hint_rva, 2);
      std::optional<std::string> name;
      if (name_rva && image.FileOffsetOf(hint_rva, 2)) {
        name = image.ReadCString(*name_rva, kMaxImportNameLength);
      }
      if (!name) {
        return where + "hint/name entry at RVA " + Hex(hint_rva) +
               " is outside the file-backed image, unterminated or longer than " +
               std::to_string(kMaxImportNameLength) + " bytes";
      }
      if (!IsPrintableName(*name)) {
        return where + "imported name " + Quoted(*name) + " is empty or not printable ASCII";
      }
      symbol.name = std::move(*name);
    }
    module.symbols.push_back(std::move(symbol));
  }
}

}  // namespace

ModulesResult ReadImports(const PeImage& image) {
  std::vector<ImportedModule> modules;
  const DataDirectory& dir = image.directory(pe::kDirImport);
  if (dir.rva == 0) {
    if (dir.size != 0) {
      return ModulesResult::Error("import directory has size " + std::to_string(dir.size) +
                                  " but RVA 0");
    }
    return ModulesResult::Ok(std::move(modules));
  }
  uint32_t symbol_budget = kMaxImportedSymbols;
  for (uint32_t index = 0;; ++index) {
    if (index > kMaxImportedModules) {
      return ModulesResult::Error("more than " + std::to_string(kMaxImportedModules) +
                                  " import descriptors");
    }
    const std::optional<uint32_t> rva = OffsetRva(dir.rva, uint64_t{index} * kDescriptorSize);
    const std::optional<Descriptor> d = rva ? ReadDescriptor(image, *rva) : std::nullopt;
    if (!d) {
      return ModulesResult::Error("import descriptor " + std::to_string(index) +
                                  " (directory RVA " + Hex(dir.rva) +
                                  ") is outside the file-backed image or unterminated");
    }
    if (d->all_zero) {
      return ModulesResult::Ok(std::move(modules));
    }
    if (d->name == 0 || d->address_table == 0) {
      return ModulesResult::Error("import descriptor " + std::to_string(index) +
                                  " has no name or no import address table");
    }
    ImportedModule module;
    std::optional<std::string> dll_name = image.ReadCString(d->name, kMaxImportNameLength);
    if (!dll_name || !IsPrintableName(*dll_name)) {
      return ModulesResult::Error("import descriptor " + std::to_string(index) +
                                  ": DLL name at RVA " + Hex(d->name) +
                                  " is outside the image, unterminated, empty or not printable");
    }
    module.dll_name = std::move(*dll_name);
    const std::string error = ReadThunks(image, *d, symbol_budget, module);
    if (!error.empty()) {
      return ModulesResult::Error(error);
    }
    modules.push_back(std::move(module));
  }
}

}  // namespace aero::pecheck
