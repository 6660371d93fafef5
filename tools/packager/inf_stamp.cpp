#include "inf_stamp.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <optional>

#include "error.h"
#include "inf_file.h"
#include "inf_text.h"

namespace aero::packager {
namespace {

using catalog::Error;

std::string_view Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// The section a header line opens, or nullopt for other lines.
std::optional<std::string_view> SectionOf(std::string_view line) {
  const std::string_view text = Trim(line);
  if (text.empty() || text.front() != '[') {
    return std::nullopt;
  }
  const std::size_t close = text.find(']');
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  return Trim(text.substr(1, close - 1));
}

bool IsDriverVerLine(std::string_view line) {
  const std::string_view text = Trim(line);
  if (text.empty() || text.front() == ';') {
    return false;
  }
  const std::size_t equals = text.find('=');
  return equals != std::string_view::npos &&
         inf::EqualsIgnoreCase(Trim(text.substr(0, equals)), "DriverVer");
}

}  // namespace

std::string FormatDriverVer(std::int64_t unix_seconds, std::string_view version) {
  std::vector<unsigned> parts;
  std::size_t pos = 0;
  while (pos <= version.size()) {
    const std::size_t dot = std::min(version.find('.', pos), version.size());
    const std::string_view part = version.substr(pos, dot - pos);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc() || end != part.data() + part.size() || value > 65535) {
      throw Error("version '" + std::string(version) +
                  "' must be one to four numbers of at most 65535, separated by dots");
    }
    parts.push_back(value);
    pos = dot + 1;
  }
  if (parts.size() > 4) {
    throw Error("version '" + std::string(version) + "' has more than four parts");
  }
  parts.resize(4, 0);
  const auto seconds = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr || utc.tm_year + 1900 < 1980 ||
      utc.tm_year + 1900 > 2099) {
    throw Error("time " + std::to_string(unix_seconds) + " is outside the years 1980..2099");
  }
  const auto two = [](int value) {
    return std::string(value < 10 ? "0" : "") + std::to_string(value);
  };
  const std::string date =
      two(utc.tm_mon + 1) + "/" + two(utc.tm_mday) + "/" + std::to_string(utc.tm_year + 1900);
  return date + "," + std::to_string(parts[0]) + "." + std::to_string(parts[1]) + "." +
         std::to_string(parts[2]) + "." + std::to_string(parts[3]);
}

std::vector<std::uint8_t> StampDriverVer(std::span<const std::uint8_t> inf,
                                         const std::string& file_name,
                                         const std::string& driver_ver) {
  const inf::InfParseResult before = inf::ParseInf(inf, file_name);
  if (!before.ok()) {
    throw Error(before.error.ToString());
  }
  inf::DecodedText decoded;
  std::string error;
  if (!inf::DecodeText(inf, &decoded, &error)) {
    throw Error(file_name + ": " + error);
  }

  std::string stamped;
  bool in_version = false;
  bool seen_version = false;
  int replaced = 0;
  std::size_t insert_at = std::string::npos;  // just after the first [Version] header line
  std::string insert_ending = "\r\n";
  std::size_t pos = 0;
  const std::string& text = decoded.utf8;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string_view line(text.data() + pos, end - pos);
    std::string_view ending;
    if (!line.empty() && line.back() == '\n') {
      ending = line.size() >= 2 && line[line.size() - 2] == '\r' ? "\r\n" : "\n";
      line.remove_suffix(ending.size());
    }
    if (const std::optional<std::string_view> section = SectionOf(line)) {
      in_version = inf::EqualsIgnoreCase(*section, "Version");
      if (in_version && !seen_version) {
        seen_version = true;
        stamped.append(line).append(ending.empty() ? "\r\n" : ending);
        insert_at = stamped.size();
        insert_ending = ending.empty() ? "\r\n" : std::string(ending);
        pos = end;
        continue;
      }
    } else if (in_version && IsDriverVerLine(line)) {
      ++replaced;
      stamped.append("DriverVer = ").append(driver_ver).append(ending);
      pos = end;
      continue;
    }
    stamped.append(line).append(ending);
    pos = end;
  }
  if (!seen_version) {
    throw Error(file_name + ": the INF has no [Version] section to stamp");
  }
  if (replaced > 1) {
    throw Error(file_name + ": [Version] has " + std::to_string(replaced) + " DriverVer lines");
  }
  if (replaced == 0) {
    stamped.insert(insert_at, "DriverVer = " + driver_ver + insert_ending);
  }

  const inf::InfParseResult after = inf::ParseInfText(stamped, file_name);
  const inf::InfSection* version = after.ok() ? after.inf->FindSection("Version") : nullptr;
  const inf::InfLine* line = version != nullptr ? version->FindKey("DriverVer") : nullptr;
  if (line == nullptr || line->values.size() != 2 ||
      line->values[0] + "," + line->values[1] != driver_ver) {
    throw Error(file_name + ": the stamped INF does not read back DriverVer = " + driver_ver);
  }
  std::string encoded;
  if (!inf::EncodeText(stamped, decoded.encoding, &encoded, &error)) {
    throw Error(file_name + ": " + error);
  }
  return {encoded.begin(), encoded.end()};
}

}  // namespace aero::packager
