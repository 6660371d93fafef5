#include "media_builder.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <system_error>

#include "archive_writers.h"
#include "error.h"
#include "inf_file.h"

namespace aero::packager {
namespace {

using catalog::Error;

// A temporary folder next to an output (same file system, so the final rename is atomic) that is
// removed again whatever happens.
class TemporaryFolder {
 public:
  explicit TemporaryFolder(const std::filesystem::path& output) {
    const std::filesystem::path parent =
        output.has_parent_path() ? output.parent_path() : std::filesystem::path(".");
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    std::string pattern = (parent / ".aero-media-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error("cannot create a temporary folder in '" + parent.string() +
                  "': " + std::strerror(errno));
    }
    path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Windows compares names without case: two media paths that differ only in case, or a file
// whose path is another file's folder, cannot both exist on the media.
void CheckPathsDistinct(const std::vector<MediaFile>& files) {
  std::map<std::string, std::string> seen;  // lower-case path -> path
  for (const MediaFile& file : files) {
    const std::string lower = inf::ToLowerAscii(file.media_path);
    const auto [it, inserted] = seen.emplace(lower, file.media_path);
    if (!inserted) {
      throw Error("two files want the media path '" + file.media_path + "' (also '" + it->second +
                  "')");
    }
  }
  for (const auto& [lower, path] : seen) {
    const auto next = seen.upper_bound(lower + "/");
    if (seen.count(lower + "/") != 0 ||
        (next != seen.end() && next->first.rfind(lower + "/", 0) == 0)) {
      throw Error("media path '" + path + "' is both a file and a folder");
    }
  }
}

void Rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  std::filesystem::rename(from, to, error);
  if (error) {
    throw Error("cannot move the finished output to '" + to.string() + "': " + error.message());
  }
}

}  // namespace

MediaResult BuildMedia(const MediaRequest& request) {
  if (request.iso.empty() || request.zip.empty()) {
    throw Error("both an ISO and a ZIP output are required");
  }
  std::vector<MediaFile> files;
  ManifestInfo manifest = request.manifest;
  manifest.drivers.clear();
  if (!request.driver_packages.empty()) {
    files = ReadDriverPackages(request.driver_packages, &manifest.drivers);
  }
  for (const auto& [media_path, source] : request.files) {
    if (media_path.rfind("drivers/", 0) == 0 || media_path == "drivers" ||
        inf::EqualsIgnoreCase(media_path, kManifestPath)) {
      throw Error("media path '" + media_path + "' is reserved for the packager");
    }
    files.push_back(ReadMediaFile(media_path, source));
  }
  CheckPathsDistinct(files);
  const std::string manifest_text = RenderManifest(manifest, files);
  files.push_back(MediaFile{kManifestPath, {}, {manifest_text.begin(), manifest_text.end()}});
  std::sort(files.begin(), files.end(),
            [](const MediaFile& a, const MediaFile& b) { return a.media_path < b.media_path; });

  const TemporaryFolder iso_work(request.iso);
  const TemporaryFolder zip_work(request.zip);
  const std::filesystem::path tree = iso_work.path() / "tree";
  WriteStagingTree(tree, files, manifest.source_date_epoch);
  const std::filesystem::path iso = iso_work.path() / "media.iso";
  WriteIsoImage(request.xorriso, tree, iso, manifest.source_date_epoch, request.volume_id,
                iso_work.path() / "xorriso.log");
  const std::filesystem::path zip = zip_work.path() / "media.zip";
  WriteZipArchive(zip, files, manifest.source_date_epoch);
  Rename(zip, request.zip);
  Rename(iso, request.iso);

  MediaResult result;
  result.drivers = manifest.drivers;
  for (const MediaFile& file : files) {
    result.media_paths.push_back(file.media_path);
  }
  return result;
}

}  // namespace aero::packager
