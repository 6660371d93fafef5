#include "manifest.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "digest.h"
#include "error.h"

namespace aero::packager {

std::string RenderManifest(const ManifestInfo& info, const std::vector<MediaFile>& files) {
  for (const char* key : {"identity", "file_digests", "catalog_digest"}) {
    if (info.signing.count(key) == 0) {
      throw catalog::Error(std::string("the manifest needs the signing entry '") + key + "'");
    }
  }
  nlohmann::ordered_json manifest;
  manifest["format"] = kManifestFormat;
  manifest["format_version"] = kManifestFormatVersion;
  manifest["product"] = "Aero Guest Tools";
  manifest["version"] = info.version;
  manifest["build_id"] = info.build_id;
  manifest["source_date_epoch"] = info.source_date_epoch;
  nlohmann::ordered_json signing = nlohmann::ordered_json::object();
  for (const auto& [key, value] : info.signing) {
    signing[key] = value;
  }
  manifest["signing"] = signing;
  nlohmann::ordered_json drivers = nlohmann::ordered_json::array();
  for (const DriverSummary& driver : info.drivers) {
    drivers.push_back({{"name", driver.name}, {"architectures", driver.architectures}});
  }
  manifest["drivers"] = drivers;
  std::vector<const MediaFile*> sorted;
  sorted.reserve(files.size());
  for (const MediaFile& file : files) {
    sorted.push_back(&file);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const MediaFile* a, const MediaFile* b) { return a->media_path < b->media_path; });
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  for (const MediaFile* file : sorted) {
    listed.push_back({{"path", file->media_path},
                      {"size", file->bytes.size()},
                      {"sha256", catalog::HexLower(catalog::ComputeDigest(
                                     catalog::DigestAlgorithm::kSha256, file->bytes))}});
  }
  manifest["files"] = listed;
  return manifest.dump(2) + "\n";
}

}  // namespace aero::packager
