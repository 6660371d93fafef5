// What may go onto the Guest Tools media, checked before anything is written: media paths, the
// kind of every source file (no private keys, no symbolic links, only the expected file types)
// and the shape of the signed driver packages folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace aero::packager {

// One file of the media, read once: its bytes are what gets hashed, listed and packed.
struct MediaFile {
  std::string media_path;  // relative, '/'-separated
  std::filesystem::path source;
  std::vector<std::uint8_t> bytes;
};

struct DriverSummary {
  std::string name;
  std::vector<std::string> architectures;  // "amd64", "x86" (sorted)
};

// A relative path of plain names (see catalog::IsPlainFileName) separated by '/', without empty,
// "." or ".." components, at most 8 levels and 200 characters. Throws catalog::Error.
void CheckMediaPath(std::string_view media_path);

// Reads `source` for `media_path` and refuses symbolic links, non-regular files, private keys
// (by name or by content: PEM "PRIVATE KEY" blocks, PKCS#12 and PVK files), file types the media
// does not carry, and .cer files that are not a single DER X.509 certificate.
// Throws catalog::Error naming the file.
MediaFile ReadMediaFile(const std::string& media_path, const std::filesystem::path& source);

// Reads the signed driver packages below `root`: <driver>/<x86|amd64>/ folders, each with one
// INF, the catalog it names and exactly the files it references. Anything else there (stray or
// unexpected files, subfolders, links) is refused. Files go to drivers/<driver>/<arch>/...
std::vector<MediaFile> ReadDriverPackages(const std::filesystem::path& root,
                                          std::vector<DriverSummary>* summary);

// File types the media carries.
bool IsExpectedMediaFileType(std::string_view file_name);

}  // namespace aero::packager
