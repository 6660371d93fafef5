#include "cli.h"

#include <optional>
#include <string_view>

#include "checks.h"
#include "file_io.h"
#include "text_util.h"

namespace aero::pecheck {
namespace {

constexpr std::string_view kProgram = "aero-pecheck";

constexpr std::string_view kUsage =
    "usage: aero-pecheck --kind kernel-driver|dll|exe --arch x86|x64 --facts <wdk-abi-win7.json>\n"
    "                    [--exports <module.def>]... [--allow-module <name>]...\n"
    "                    [--not-in-facts <file>] <image>...\n"
    "Exit status: 0 clean, 1 violations found, 2 usage error or unreadable input.\n";

struct Options {
  std::optional<ImageKind> kind;
  std::optional<Arch> arch;
  std::string facts_path;
  std::vector<std::string> def_paths;
  std::vector<std::string> allowed_modules;
  std::string not_in_facts_path;
  std::vector<std::string> images;
  bool help = false;
};

// Parses the arguments; returns an error message or "".
std::string ParseOptions(const std::vector<std::string>& args, Options& opts) {
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      opts.images.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      opts.help = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    const size_t equals = arg.find('=');
    if (equals != std::string::npos) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    const bool known = name == "--kind" || name == "--arch" || name == "--facts" ||
                       name == "--exports" || name == "--allow-module" || name == "--not-in-facts";
    if (!known) {
      return "unknown option " + Quoted(arg);
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return name + " needs a value";
      }
      value = args[++i];
    }
    if (value->empty()) {
      return name + " needs a non-empty value";
    }
    if (name == "--kind") {
      opts.kind = ParseImageKind(*value);
      if (!opts.kind) {
        return "--kind must be kernel-driver, dll or exe, not " + Quoted(*value);
      }
    } else if (name == "--arch") {
      opts.arch = ParseArch(*value);
      if (!opts.arch) {
        return "--arch must be x86 or x64, not " + Quoted(*value);
      }
    } else if (name == "--facts") {
      if (!opts.facts_path.empty()) {
        return "--facts given twice";
      }
      opts.facts_path = *value;
    } else if (name == "--exports") {
      opts.def_paths.push_back(*value);
    } else if (name == "--allow-module") {
      opts.allowed_modules.push_back(*value);
    } else {
      if (!opts.not_in_facts_path.empty()) {
        return "--not-in-facts given twice";
      }
      opts.not_in_facts_path = *value;
    }
  }
  if (opts.help) {
    return "";
  }
  if (!opts.kind) {
    return "--kind is required";
  }
  if (!opts.arch) {
    return "--arch is required";
  }
  if (opts.facts_path.empty()) {
    return "--facts is required";
  }
  if (opts.images.empty()) {
    return "no image files given";
  }
  return "";
}

// Loads the facts, .def files and allowlist named by the options; returns an error or "".
std::string BuildConfig(const Options& opts, CheckConfig& config) {
  config.kind = *opts.kind;
  config.arch = *opts.arch;
  config.allowed_modules = opts.allowed_modules;

  const Result<std::string> facts_text = ReadFileText(opts.facts_path);
  if (!facts_text.ok()) {
    return facts_text.error();
  }
  Result<FunctionFacts> facts =
      ParseFunctionFacts(facts_text.value(), config.arch, opts.facts_path);
  if (!facts.ok()) {
    return facts.error();
  }
  config.facts = std::move(facts).value();

  for (const std::string& path : opts.def_paths) {
    const Result<std::string> text = ReadFileText(path);
    if (!text.ok()) {
      return text.error();
    }
    Result<ModuleExports> exports = ParseDefFile(text.value(), config.arch, path);
    if (!exports.ok()) {
      return exports.error();
    }
    for (const ModuleExports& earlier : config.module_exports) {
      if (EqualsIgnoreCase(earlier.library, exports.value().library)) {
        return path + ": a second .def for LIBRARY " + Quoted(earlier.library);
      }
    }
    config.module_exports.push_back(std::move(exports).value());
  }

  if (!opts.not_in_facts_path.empty()) {
    const Result<std::string> text = ReadFileText(opts.not_in_facts_path);
    if (!text.ok()) {
      return text.error();
    }
    Result<NotInFactsList> list = NotInFactsList::Parse(text.value(), opts.not_in_facts_path);
    if (!list.ok()) {
      return list.error();
    }
    config.not_in_facts = std::move(list).value();
  }
  return "";
}

}  // namespace

int RunPecheck(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Options opts;
  const std::string usage_error = ParseOptions(args, opts);
  if (!usage_error.empty()) {
    err << kProgram << ": " << usage_error << "\n" << kUsage;
    return kExitUsageOrUnreadable;
  }
  if (opts.help) {
    out << kUsage;
    return kExitClean;
  }
  CheckConfig config;
  const std::string config_error = BuildConfig(opts, config);
  if (!config_error.empty()) {
    err << kProgram << ": " << config_error << "\n";
    return kExitUsageOrUnreadable;
  }

  int status = kExitClean;
  for (const std::string& path : opts.images) {
    const Result<std::vector<uint8_t>> bytes = ReadFileBytes(path);
    if (!bytes.ok()) {
      err << kProgram << ": " << path << ": error: " << bytes.error() << "\n";
      status = kExitUsageOrUnreadable;
      continue;
    }
    const CheckReport report = CheckImage(bytes.value(), config);
    if (!report.parsed()) {
      err << kProgram << ": " << path << ": error: not a usable PE image: " << report.parse_error
          << "\n";
      status = kExitUsageOrUnreadable;
      continue;
    }
    for (const Violation& v : report.violations) {
      out << kProgram << ": " << path << ": " << v.check << ": " << v.message << "\n";
    }
    if (!report.violations.empty() && status == kExitClean) {
      status = kExitViolations;
    }
  }
  return status;
}

}  // namespace aero::pecheck
