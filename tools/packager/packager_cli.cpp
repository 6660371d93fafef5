#include "packager_cli.h"

#include <charconv>
#include <filesystem>

#include "error.h"
#include "media_builder.h"

namespace aero::packager {
namespace {

constexpr char kUsage[] =
    "usage: aero-packager --iso <out.iso> --zip <out.zip> --version <x.y.z> --build-id <id>\n"
    "                     --source-date-epoch <unix-seconds> [--driver-packages <folder>]\n"
    "                     [--file <media-path>=<source>]... [--signing <key>=<value>]...\n"
    "                     [--volume-id <ID>] [--xorriso <program>]\n";

bool SplitPair(const std::string& text, std::string* key, std::string* value) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    return false;
  }
  *key = text.substr(0, equals);
  *value = text.substr(equals + 1);
  return true;
}

std::string Parse(std::span<const std::string> args, MediaRequest* request) {
  bool have_epoch = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& option = args[i];
    if (i + 1 >= args.size()) {
      return option + " needs a value";
    }
    const std::string& value = args[++i];
    std::string key;
    std::string rest;
    if (option == "--iso") {
      request->iso = value;
    } else if (option == "--zip") {
      request->zip = value;
    } else if (option == "--version") {
      request->manifest.version = value;
    } else if (option == "--build-id") {
      request->manifest.build_id = value;
    } else if (option == "--source-date-epoch") {
      std::int64_t seconds = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (value.empty() || error != std::errc() || end != value.data() + value.size() ||
          seconds < 0) {
        return "--source-date-epoch needs Unix seconds, not '" + value + "'";
      }
      request->manifest.source_date_epoch = seconds;
      have_epoch = true;
    } else if (option == "--driver-packages") {
      request->driver_packages = value;
    } else if (option == "--file") {
      if (!SplitPair(value, &key, &rest) || rest.empty()) {
        return "--file needs <media-path>=<source>, not '" + value + "'";
      }
      request->files.emplace_back(key, rest);
    } else if (option == "--signing") {
      if (!SplitPair(value, &key, &rest)) {
        return "--signing needs <key>=<value>, not '" + value + "'";
      }
      request->manifest.signing[key] = rest;
    } else if (option == "--volume-id") {
      request->volume_id = value;
    } else if (option == "--xorriso") {
      request->xorriso = value;
    } else {
      return "unknown argument '" + option + "'";
    }
  }
  if (request->iso.empty() || request->zip.empty() || request->manifest.version.empty() ||
      request->manifest.build_id.empty() || !have_epoch) {
    return "--iso, --zip, --version, --build-id and --source-date-epoch are required";
  }
  return {};
}

}  // namespace

int RunPackager(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  MediaRequest request;
  const std::string usage_error = Parse(args, &request);
  if (!usage_error.empty()) {
    err << "aero-packager: " << usage_error << "\n" << kUsage;
    return 2;
  }
  try {
    const MediaResult result = BuildMedia(request);
    out << "aero-packager: wrote " << request.iso.string() << " and " << request.zip.string()
        << " (" << result.media_paths.size() << " files, " << result.drivers.size()
        << " driver packages)\n";
  } catch (const catalog::Error& e) {
    err << "aero-packager: error: " << e.what() << "\n";
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    err << "aero-packager: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace aero::packager
