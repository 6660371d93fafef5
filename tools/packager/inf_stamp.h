// Stamps [Version] DriverVer of a driver package INF with the build's date and version, keeping
// the INF's text encoding (ANSI, UTF-8 with BOM or UTF-16LE) and line endings.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace aero::packager {

// "mm/dd/yyyy,w.x.y.z" for a Unix time (UTC date) and a version of one to four numbers
// ("0.1.0" becomes "0.1.0.0"). Throws catalog::Error for versions Windows cannot rank (parts
// above 65535, not numbers) and dates outside 1980..2099.
std::string FormatDriverVer(std::int64_t unix_seconds, std::string_view version);

// Returns the INF with its DriverVer line replaced by `DriverVer = <driver_ver>` (or such a line
// added after the [Version] header when there is none). Throws catalog::Error for INFs without a
// [Version] section, with two DriverVer lines, or that do not parse before or after stamping.
std::vector<std::uint8_t> StampDriverVer(std::span<const std::uint8_t> inf,
                                         const std::string& file_name,
                                         const std::string& driver_ver);

}  // namespace aero::packager
