// Checks that every import names an allowed module and a Windows 7 export of it that the WDK facts
// describe as a function (or that the --not-in-facts allowlist accounts for).
#include <string>

#include "check_context.h"
#include "pe_imports.h"
#include "text_util.h"

namespace aero::pecheck {
namespace {

bool IsAllowed(const CheckConfig& config, const std::string& module) {
  for (const std::string& allowed : config.allowed_modules) {
    if (EqualsIgnoreCase(allowed, module)) {
      return true;
    }
  }
  return false;
}

const ModuleExports* FindExports(const CheckConfig& config, const std::string& module) {
  for (const ModuleExports& exports : config.module_exports) {
    if (EqualsIgnoreCase(exports.library, module)) {
      return &exports;
    }
  }
  return nullptr;
}

std::string AllowedList(const CheckConfig& config) {
  std::string list;
  for (const std::string& allowed : config.allowed_modules) {
    list += (list.empty() ? "" : ", ") + allowed;
  }
  return list.empty() ? "none" : list;
}

void CheckSymbol(const CheckContext& ctx, const ImportedModule& module,
                 const ModuleExports* exports, const ImportedSymbol& symbol) {
  const std::string from = " from " + Quoted(module.dll_name);
  std::string name = symbol.name;
  if (symbol.ordinal) {
    const std::string ordinal = "ordinal " + std::to_string(*symbol.ordinal);
    if (ctx.kernel_driver()) {
      ctx.Report("imports", "imports " + ordinal + from +
                                "; kernel drivers must import by name (ordinals differ between "
                                "builds of system modules)");
      return;
    }
    if (exports == nullptr) {
      return;  // Reported once per module.
    }
    const auto it = exports->ordinals.find(*symbol.ordinal);
    if (it == exports->ordinals.end()) {
      ctx.Report("imports", "imports " + ordinal + from + ", which its .def does not list");
      return;
    }
    name = it->second;
  } else if (exports != nullptr && !exports->names.contains(name)) {
    ctx.Report("imports", "imports " + Quoted(name) + from + ", which the module's .def (" +
                              Quoted(exports->library) + ") does not list");
  }
  if (!ctx.config.facts.functions.contains(name) &&
      !ctx.config.not_in_facts.Covers(module.dll_name, name)) {
    ctx.Report("imports", "imports " + Quoted(name) + from +
                              ", which is not a function in the facts (functions." +
                              ArchName(ctx.config.arch) + ") nor listed in --not-in-facts");
  }
}

}  // namespace

void CheckImports(const CheckContext& ctx) {
  const DataDirectory& delay = ctx.image.directory(pe::kDirDelayImport);
  if (!delay.empty()) {
    ctx.Report("imports",
               "delay-load import directory is set; delay-loaded imports cannot be "
               "verified (and the kernel has no delay-load helper), so link without "
               "them");
  }
  const Result<std::vector<ImportedModule>> modules = ReadImports(ctx.image);
  if (!modules.ok()) {
    ctx.Report("imports", "malformed import table: " + modules.error());
    return;
  }
  for (const ImportedModule& module : modules.value()) {
    if (!IsAllowed(ctx.config, module.dll_name)) {
      ctx.Report("imports",
                 "imports from " + Quoted(module.dll_name) +
                     ", which is not an allowed module (allowed: " + AllowedList(ctx.config) + ")");
      continue;
    }
    const ModuleExports* exports = FindExports(ctx.config, module.dll_name);
    if (exports == nullptr) {
      ctx.Report("imports", "no --exports .def describes allowed module " +
                                Quoted(module.dll_name) + ", so its imports cannot be verified");
    }
    for (const ImportedSymbol& symbol : module.symbols) {
      CheckSymbol(ctx, module, exports, symbol);
    }
  }
}

}  // namespace aero::pecheck
