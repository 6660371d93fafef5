#include "catalog_cli.h"

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <vector>

#include "catalog_builder.h"
#include "error.h"
#include "file_io.h"
#include "inf_file.h"
#include "package_contents.h"

namespace aero::catalog {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    "usage: aero-catalog --inf <package.inf> --arch x86|amd64 [--os 7] [--time <unix-seconds>]\n"
    "                    [--output <file.cat>] [--list-files] [--catalog-name]\n";

struct TargetOs {
  const char* name;
  const char* member_os_attribute;
  const char* os_x86;
  const char* os_amd64;
};

// Inf2Cat's spelling of the targets this project supports.
constexpr TargetOs kTargets[] = {{"7", "2:6.1", "7X86", "7X64"}};

struct Options {
  std::filesystem::path inf;
  std::optional<PackageArch> arch;
  const TargetOs* os = &kTargets[0];
  std::optional<std::int64_t> time;
  std::filesystem::path output;
  bool list_files = false;
  bool catalog_name = false;
};

std::optional<std::int64_t> ParseSeconds(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// Returns an error message, or "" when the options are complete.
std::string ParseOptions(std::span<const std::string> args, Options* options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--list-files") {
      options->list_files = true;
    } else if (arg == "--catalog-name") {
      options->catalog_name = true;
    } else if (arg == "--inf" || arg == "--arch" || arg == "--os" || arg == "--time" ||
               arg == "--output") {
      if (!has_value) {
        return arg + " needs a value";
      }
      const std::string& value = args[++i];
      if (arg == "--inf") {
        options->inf = value;
      } else if (arg == "--output") {
        options->output = value;
      } else if (arg == "--arch") {
        options->arch = ParsePackageArch(value);
        if (!options->arch) {
          return "unknown architecture '" + value + "' (x86 or amd64)";
        }
      } else if (arg == "--os") {
        const TargetOs* found = nullptr;
        for (const TargetOs& target : kTargets) {
          if (value == target.name) {
            found = &target;
          }
        }
        if (found == nullptr) {
          return "unsupported --os '" + value + "' (supported: 7)";
        }
        options->os = found;
      } else {
        options->time = ParseSeconds(value);
        if (!options->time) {
          return "--time needs Unix seconds, not '" + value + "'";
        }
      }
    } else {
      return "unknown argument '" + arg + "'";
    }
  }
  if (options->inf.empty() || !options->arch) {
    return "--inf and --arch are required";
  }
  return {};
}

std::int64_t CatalogTime(const Options& options) {
  if (options.time) {
    return *options.time;
  }
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    if (const std::optional<std::int64_t> value = ParseSeconds(epoch)) {
      return *value;
    }
    throw Error("SOURCE_DATE_EPOCH is not a number of seconds: '" + std::string(epoch) + "'");
  }
  return static_cast<std::int64_t>(std::time(nullptr));
}

int Run(const Options& options, std::ostream& out) {
  const inf::InfParseResult parsed = inf::ParseInfFile(options.inf);
  if (!parsed.ok()) {
    throw Error(parsed.error.ToString());
  }
  const std::filesystem::path package_dir =
      options.inf.has_parent_path() ? options.inf.parent_path() : std::filesystem::path(".");
  const PackageContents contents = ReadPackageContents(*parsed.inf, package_dir, *options.arch);
  if (options.catalog_name || options.list_files) {
    if (options.catalog_name) {
      out << contents.catalog_name << "\n";
    }
    if (options.list_files) {
      for (const ReferencedFile& file : contents.files) {
        out << file.relative.generic_string() << "\n";
      }
    }
    return 0;
  }

  const std::string inf_name = options.inf.filename().string();
  if (!IsPlainFileName(inf_name)) {
    throw Error("the INF file name '" + inf_name + "' is not a plain Windows file name");
  }
  CatalogDescription description;
  description.member_os_attribute = options.os->member_os_attribute;
  description.this_update = CatalogTime(options);
  description.members.push_back(
      DescribeMember(inf::ToLowerAscii(inf_name), ReadRegularFile(options.inf)));
  for (const ReferencedFile& file : contents.files) {
    if (inf::EqualsIgnoreCase(file.name, inf_name)) {
      continue;  // some INFs list themselves
    }
    description.members.push_back(
        DescribeMember(inf::ToLowerAscii(file.name), ReadRegularFile(package_dir / file.relative)));
  }
  description.attributes.push_back(
      {"OS", *options.arch == PackageArch::kX86 ? options.os->os_x86 : options.os->os_amd64});
  for (std::size_t i = 0; i < contents.hardware_ids.size(); ++i) {
    description.attributes.push_back({"HWID" + std::to_string(i + 1), contents.hardware_ids[i]});
  }
  description.list_identifier = DeriveListIdentifier(contents.catalog_name, description);
  const std::vector<std::uint8_t> catalog = EncodeUnsignedCatalog(description);
  const std::filesystem::path output =
      options.output.empty() ? package_dir / contents.catalog_name : options.output;
  WriteFileAtomically(output, catalog);
  return 0;
}

}  // namespace

int RunCatalogTool(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  Options options;
  const std::string usage_error = ParseOptions(args, &options);
  if (!usage_error.empty()) {
    err << "aero-catalog: " << usage_error << "\n" << kUsage;
    return kExitUsage;
  }
  try {
    return Run(options, out);
  } catch (const Error& e) {
    err << "aero-catalog: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::filesystem::filesystem_error& e) {
    err << "aero-catalog: error: " << e.what() << "\n";
    return kExitError;
  }
}

}  // namespace aero::catalog
