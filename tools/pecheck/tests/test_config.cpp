#include "test_config.h"

#include <stdexcept>

#include "file_io.h"

namespace aero::pecheck::testing {
namespace {

FunctionFacts LoadFacts(Arch arch) {
  const Result<std::string> text = ReadFileText(FactsPath());
  if (!text.ok()) {
    throw std::runtime_error(text.error());
  }
  Result<FunctionFacts> facts = ParseFunctionFacts(text.value(), arch, FactsPath());
  if (!facts.ok()) {
    throw std::runtime_error(facts.error());
  }
  return std::move(facts).value();
}

// Loaded once per process and architecture (CTest runs each test in its own process).
const FunctionFacts& CachedFacts(Arch arch) {
  if (arch == Arch::kX86) {
    static const FunctionFacts x86 = LoadFacts(Arch::kX86);
    return x86;
  }
  static const FunctionFacts x64 = LoadFacts(Arch::kX64);
  return x64;
}

ModuleExports LoadDef(Arch arch, const std::string& file) {
  const std::string path = FixturePath(std::string(ArchName(arch)) + "/" + file);
  const Result<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    throw std::runtime_error(text.error());
  }
  Result<ModuleExports> exports = ParseDefFile(text.value(), arch, path);
  if (!exports.ok()) {
    throw std::runtime_error(exports.error());
  }
  return std::move(exports).value();
}

NotInFactsList LoadNotInFacts() {
  const std::string path = FixturePath("not-in-facts.txt");
  const Result<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    throw std::runtime_error(text.error());
  }
  Result<NotInFactsList> list = NotInFactsList::Parse(text.value(), path);
  if (!list.ok()) {
    throw std::runtime_error(list.error());
  }
  return std::move(list).value();
}

}  // namespace

std::string FixturePath(const std::string& relative) {
  return std::string(AERO_PECHECK_FIXTURES_DIR) + "/" + relative;
}

std::string FactsPath() {
  return AERO_PECHECK_FACTS_FILE;
}

CheckConfig DriverConfig(Arch arch) {
  CheckConfig config;
  config.kind = ImageKind::kKernelDriver;
  config.arch = arch;
  config.facts = CachedFacts(arch);
  config.module_exports.push_back(LoadDef(arch, "ntoskrnl.def"));
  config.allowed_modules = {"ntoskrnl.exe"};
  if (arch == Arch::kX86) {
    config.module_exports.push_back(LoadDef(arch, "hal.def"));
    config.allowed_modules.push_back("hal.dll");
  }
  config.not_in_facts = LoadNotInFacts();
  return config;
}

CheckConfig DllConfig(Arch arch) {
  CheckConfig config;
  config.kind = ImageKind::kDll;
  config.arch = arch;
  config.facts = CachedFacts(arch);
  config.module_exports.push_back(LoadDef(arch, "kernel32.def"));
  config.module_exports.push_back(LoadDef(arch, "msvcrt.def"));
  config.allowed_modules = {"kernel32.dll", "msvcrt.dll"};
  config.not_in_facts = LoadNotInFacts();
  return config;
}

std::set<std::string> CheckIds(const CheckReport& report) {
  std::set<std::string> ids;
  for (const Violation& v : report.violations) {
    ids.insert(v.check);
  }
  return ids;
}

std::string Describe(const CheckReport& report) {
  if (!report.parsed()) {
    return "parse error: " + report.parse_error;
  }
  std::string text;
  for (const Violation& v : report.violations) {
    text += v.check + ": " + v.message + "\n";
  }
  return text.empty() ? "(clean)" : text;
}

}  // namespace aero::pecheck::testing
