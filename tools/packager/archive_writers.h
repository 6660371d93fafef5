// The two media containers. Both are deterministic: entries in path order, fixed owners (0:0)
// and permissions (0644 files, 0755 folders), every time stamp at SOURCE_DATE_EPOCH.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "media_inputs.h"

namespace aero::packager {

// ZIP through libarchive (deflate), with explicit folder entries. Time stamps are written in
// UTC whatever the caller's time zone. Throws catalog::Error.
void WriteZipArchive(const std::filesystem::path& output, const std::vector<MediaFile>& files,
                     std::int64_t source_date_epoch);

// Writes `files` as a plain folder tree under `tree` (which must not exist yet), with the fixed
// permissions and time stamps, for xorriso to map.
void WriteStagingTree(const std::filesystem::path& tree, const std::vector<MediaFile>& files,
                      std::int64_t source_date_epoch);

// ISO 9660 with Joliet (the names Windows reads) and Rock Ridge, by xorriso from `tree`, with
// SOURCE_DATE_EPOCH fixing volume dates and UUID. `volume_id`: 1..32 of A-Z 0-9 _.
// xorriso's output goes to `log_file`; its tail is quoted when it fails. Throws catalog::Error.
void WriteIsoImage(const std::filesystem::path& xorriso, const std::filesystem::path& tree,
                   const std::filesystem::path& output, std::int64_t source_date_epoch,
                   const std::string& volume_id, const std::filesystem::path& log_file);

}  // namespace aero::packager
