// Reads the project's module-definition (.def) files: the export list of one system module
// (ntoskrnl.exe, hal.dll, storport.sys, ...) as the image's import table names it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "result.h"
#include "target.h"

namespace aero::pecheck {

struct ModuleExports {
  std::string library;                       // The LIBRARY name, e.g. "storport.sys".
  std::set<std::string> names;               // Import names (x86 decorations removed).
  std::map<uint16_t, std::string> ordinals;  // Explicit "@N" ordinals.
};

// x86 .def names carry the link-time decoration; the import table holds the plain name
// (dlltool -k): "Name@16" -> "Name", "@Name@4" (fastcall) -> "Name". A leading '_' is kept,
// because .def files never add one for cdecl and real exports such as "_snprintf" begin with it.
std::string UndecorateX86(std::string_view name);

// Supported syntax: "LIBRARY <name>", "EXPORTS", then one export per line:
// "<name>[=<internal>] [@<ordinal>] [NONAME] [DATA] [PRIVATE] [CONSTANT]"; ';' starts a comment.
// On x64 names are taken as written. `source` names the file in error messages.
Result<ModuleExports> ParseDefFile(std::string_view text, Arch arch, std::string_view source);

}  // namespace aero::pecheck
