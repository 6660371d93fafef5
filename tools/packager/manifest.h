// manifest.json of the Guest Tools media (schema: packaging/manifest.schema.json): what the
// media is, how it was signed, which drivers it carries, and the path, size and SHA-256 of every
// other file on it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "media_inputs.h"

namespace aero::packager {

struct ManifestInfo {
  std::string version;
  std::string build_id;
  std::int64_t source_date_epoch = 0;
  std::map<std::string, std::string> signing;  // must hold identity, file_digests, catalog_digest
  std::vector<DriverSummary> drivers;
};

inline constexpr char kManifestPath[] = "manifest.json";
inline constexpr char kManifestFormat[] = "aero-guest-tools-manifest";
inline constexpr int kManifestFormatVersion = 1;

// Pretty-printed JSON with a trailing newline; files listed in path order. Throws catalog::Error
// when a required signing entry is missing.
std::string RenderManifest(const ManifestInfo& info, const std::vector<MediaFile>& files);

}  // namespace aero::packager
