#include "media_inputs.h"

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <set>
#include <system_error>

#include "error.h"
#include "file_io.h"
#include "inf_file.h"
#include "package_contents.h"

namespace aero::packager {
namespace {

using catalog::Error;

constexpr std::size_t kMaxMediaPathLength = 200;
constexpr std::size_t kMaxMediaPathDepth = 8;

std::string Extension(std::string_view file_name) {
  const std::size_t dot = file_name.rfind('.');
  return dot == std::string_view::npos ? std::string() : inf::ToLowerAscii(file_name.substr(dot));
}

bool Contains(std::span<const std::uint8_t> bytes, std::string_view needle) {
  return std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end()) != bytes.end();
}

bool IsPkcs12(std::span<const std::uint8_t> bytes) {
  const unsigned char* cursor = bytes.data();
  PKCS12* p12 = d2i_PKCS12(nullptr, &cursor, static_cast<long>(bytes.size()));
  PKCS12_free(p12);
  return p12 != nullptr;
}

// Reasons a file looks like private key material, or "" when it does not.
std::string PrivateKeyReason(std::string_view file_name, std::span<const std::uint8_t> bytes) {
  static constexpr std::array<std::string_view, 7> kKeyExtensions = {
      ".pfx", ".p12", ".pvk", ".key", ".snk", ".jks", ".keystore"};
  const std::string extension = Extension(file_name);
  if (std::find(kKeyExtensions.begin(), kKeyExtensions.end(), extension) != kKeyExtensions.end()) {
    return "its name (" + extension + ") marks a private key container";
  }
  if (Contains(bytes, "PRIVATE KEY")) {
    return "it contains a PEM private key block";
  }
  constexpr std::uint8_t kPvkMagic[] = {0x1e, 0xf1, 0xb5, 0xb0};
  if (bytes.size() >= 4 && std::equal(std::begin(kPvkMagic), std::end(kPvkMagic), bytes.begin())) {
    return "it is a PVK private key file";
  }
  if (IsPkcs12(bytes)) {
    return "it is a PKCS#12 (PFX) container";
  }
  return {};
}

bool IsSingleDerCertificate(std::span<const std::uint8_t> bytes) {
  const unsigned char* cursor = bytes.data();
  X509* certificate = d2i_X509(nullptr, &cursor, static_cast<long>(bytes.size()));
  const bool whole = certificate != nullptr && cursor == bytes.data() + bytes.size();
  X509_free(certificate);
  return whole;
}

bool IsDriverName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::filesystem::directory_entry> SortedEntries(const std::filesystem::path& folder) {
  std::error_code error;
  std::filesystem::directory_iterator it(folder, error);
  if (error) {
    throw Error("cannot list '" + folder.string() + "': " + error.message());
  }
  std::vector<std::filesystem::directory_entry> entries(begin(it), end(it));
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  return entries;
}

bool IsRealDirectory(const std::filesystem::directory_entry& entry) {
  std::error_code error;
  return std::filesystem::is_directory(entry.symlink_status(error));
}

void ReadPackageFolder(const std::filesystem::path& folder, const std::string& driver,
                       const std::string& arch_name, std::vector<MediaFile>* files) {
  const std::string where = driver + "/" + arch_name;
  std::vector<std::string> names;
  std::vector<std::string> infs;
  for (const auto& entry : SortedEntries(folder)) {
    const std::string name = entry.path().filename().string();
    std::error_code error;
    const auto status = entry.symlink_status(error);
    if (std::filesystem::is_symlink(status)) {
      throw Error("'" + entry.path().string() +
                  "' is a symbolic link; the media takes only "
                  "regular files");
    }
    if (!std::filesystem::is_regular_file(status)) {
      throw Error("unexpected entry '" + entry.path().string() +
                  "': driver package folders hold only files");
    }
    names.push_back(name);
    if (Extension(name) == ".inf") {
      infs.push_back(name);
    }
  }
  if (infs.size() != 1) {
    throw Error("driver package '" + where + "' must hold exactly one INF, not " +
                std::to_string(infs.size()));
  }
  const inf::InfParseResult parsed = inf::ParseInfFile(folder / infs[0]);
  if (!parsed.ok()) {
    throw Error(parsed.error.ToString());
  }
  const catalog::PackageContents contents =
      catalog::ReadPackageContents(*parsed.inf, folder, *catalog::ParsePackageArch(arch_name));
  std::set<std::string> expected = {infs[0], contents.catalog_name};
  for (const catalog::ReferencedFile& file : contents.files) {
    if (file.relative.has_parent_path()) {
      throw Error("driver package '" + where + "' keeps '" + file.relative.generic_string() +
                  "' in a subfolder; package folders are flat");
    }
    expected.insert(file.relative.string());
  }
  for (const std::string& name : names) {
    if (expected.count(name) == 0) {
      throw Error("unexpected file '" + (folder / name).string() + "': the INF " + infs[0] +
                  " does not reference it");
    }
  }
  if (std::find(names.begin(), names.end(), contents.catalog_name) == names.end()) {
    throw Error("driver package '" + where + "' lacks its catalog " + contents.catalog_name +
                " (sign the package first)");
  }
  const std::string media_folder = "drivers/" + where + "/";
  for (const std::string& name : names) {
    files->push_back(ReadMediaFile(media_folder + name, folder / name));
  }
}

}  // namespace

bool IsExpectedMediaFileType(std::string_view file_name) {
  static const std::set<std::string> kTypes = {".cat", ".cer", ".cmd", ".dll",
                                               ".inf", ".ps1", ".sys", ".txt"};
  return kTypes.count(Extension(file_name)) != 0;
}

void CheckMediaPath(std::string_view media_path) {
  if (media_path.empty() || media_path.size() > kMaxMediaPathLength) {
    throw Error("media path '" + std::string(media_path) + "' is empty or too long");
  }
  std::size_t depth = 0;
  std::size_t pos = 0;
  while (pos <= media_path.size()) {
    const std::size_t slash = std::min(media_path.find('/', pos), media_path.size());
    if (!catalog::IsPlainFileName(media_path.substr(pos, slash - pos)) ||
        ++depth > kMaxMediaPathDepth) {
      throw Error("media path '" + std::string(media_path) +
                  "' is not a relative path of plain names");
    }
    pos = slash + 1;
  }
}

MediaFile ReadMediaFile(const std::string& media_path, const std::filesystem::path& source) {
  CheckMediaPath(media_path);
  MediaFile file{media_path, source, catalog::ReadRegularFile(source)};
  const std::string reason = PrivateKeyReason(source.filename().string(), file.bytes);
  if (!reason.empty()) {
    throw Error("refusing '" + source.string() + "': " + reason +
                "; private keys never go onto the media");
  }
  const std::string name = media_path.substr(media_path.rfind('/') + 1);
  if (!IsExpectedMediaFileType(name) || !IsExpectedMediaFileType(source.filename().string())) {
    throw Error("unexpected file '" + source.string() + "' for '" + media_path +
                "': the media carries only .cat .cer .cmd .dll .inf .ps1 .sys .txt files");
  }
  if (Extension(name) == ".cer" && !IsSingleDerCertificate(file.bytes)) {
    throw Error("'" + source.string() + "' is not one DER-encoded X.509 certificate");
  }
  return file;
}

std::vector<MediaFile> ReadDriverPackages(const std::filesystem::path& root,
                                          std::vector<DriverSummary>* summary) {
  std::vector<MediaFile> files;
  std::error_code error;
  if (!std::filesystem::is_directory(std::filesystem::symlink_status(root, error))) {
    throw Error("driver packages folder '" + root.string() + "' is not a directory");
  }
  for (const auto& driver : SortedEntries(root)) {
    const std::string name = driver.path().filename().string();
    if (!IsRealDirectory(driver) || !IsDriverName(name)) {
      throw Error("unexpected entry '" + driver.path().string() +
                  "': the driver packages folder holds only <driver>/ folders named like "
                  "aero_virtio_blk");
    }
    DriverSummary driver_summary{name, {}};
    for (const auto& arch : SortedEntries(driver.path())) {
      const std::string arch_name = arch.path().filename().string();
      if (!IsRealDirectory(arch) || (arch_name != "x86" && arch_name != "amd64")) {
        throw Error("unexpected entry '" + arch.path().string() +
                    "': a driver package holds only x86/ and amd64/ folders");
      }
      ReadPackageFolder(arch.path(), name, arch_name, &files);
      driver_summary.architectures.push_back(arch_name);
    }
    if (driver_summary.architectures.empty()) {
      throw Error("driver package '" + driver.path().string() + "' has no x86/ or amd64/ folder");
    }
    summary->push_back(std::move(driver_summary));
  }
  return files;
}

}  // namespace aero::packager
