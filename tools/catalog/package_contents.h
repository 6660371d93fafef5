// What a driver package INF says the package contains, for one architecture: the catalog's own
// name ([Version] CatalogFile*), the files it lists in [SourceDisksFiles*] (found on disk, with
// [SourceDisksNames*] paths and subdirectories), and the hardware IDs of its models sections.
// Copy lists reachable for the architecture are checked against [SourceDisksFiles*], the way
// Inf2Cat checks them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inf_file.h"

namespace aero::catalog {

enum class PackageArch { kX86, kAmd64 };

// "x86" / "amd64" (the INF decoration spelling, also used for media folders).
std::string_view PackageArchName(PackageArch arch);
// Accepts "x86", "amd64" and the build's "x64".
std::optional<PackageArch> ParsePackageArch(std::string_view text);

struct ReferencedFile {
  std::string name;                // as the INF spells it
  std::filesystem::path relative;  // where it is inside the package folder (on-disk spelling)
  std::string section;             // the [SourceDisksFiles*] section listing it
  int line_number = 0;
};

struct PackageContents {
  std::string catalog_name;
  std::vector<ReferencedFile> files;      // sorted by lower-case name
  std::vector<std::string> hardware_ids;  // lower case, INF order, without duplicates
};

// Throws Error listing every problem found (each as "<inf>:<line>: ..."), among them files the
// INF references that are missing from `package_dir`.
PackageContents ReadPackageContents(const inf::InfFile& inf,
                                    const std::filesystem::path& package_dir, PackageArch arch);

// A plain file name Windows accepts: printable ASCII, no path separators or reserved
// characters, not "." or "..", no trailing dot or space.
bool IsPlainFileName(std::string_view name);

}  // namespace aero::catalog
