// Assembles the Guest Tools media: checks every input, writes manifest.json, then the ISO and
// the ZIP through temporary files that are renamed into place only when both are complete.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "manifest.h"

namespace aero::packager {

struct MediaRequest {
  std::filesystem::path iso;
  std::filesystem::path zip;
  std::filesystem::path driver_packages;                             // empty: no drivers
  std::vector<std::pair<std::string, std::filesystem::path>> files;  // media path, source
  ManifestInfo manifest;
  std::string volume_id = "AERO_GUEST_TOOLS";
  std::filesystem::path xorriso = "xorriso";
};

struct MediaResult {
  std::vector<std::string> media_paths;  // every file on the media, manifest.json included
  std::vector<DriverSummary> drivers;
};

// Throws catalog::Error; on error neither output is created or changed.
MediaResult BuildMedia(const MediaRequest& request);

}  // namespace aero::packager
