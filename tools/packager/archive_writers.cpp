#include "archive_writers.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "error.h"
#include "process.h"

namespace aero::packager {
namespace {

using catalog::Error;

constexpr mode_t kFileMode = 0644;
constexpr mode_t kFolderMode = 0755;

// Every folder that holds a file, e.g. "drivers", "drivers/aero_virtio_blk", ...
std::set<std::string> FoldersOf(const std::vector<MediaFile>& files) {
  std::set<std::string> folders;
  for (const MediaFile& file : files) {
    for (std::size_t slash = file.media_path.find('/'); slash != std::string::npos;
         slash = file.media_path.find('/', slash + 1)) {
      folders.insert(file.media_path.substr(0, slash));
    }
  }
  return folders;
}

// ZIP stores local times (DOS date/time); writing them in UTC makes the bytes independent of
// the build machine's zone.
class UtcTimeZone {
 public:
  UtcTimeZone() {
    if (const char* zone = std::getenv("TZ")) {
      saved_ = zone;
    }
    setenv("TZ", "UTC0", 1);
    tzset();
  }
  ~UtcTimeZone() {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  UtcTimeZone(const UtcTimeZone&) = delete;
  UtcTimeZone& operator=(const UtcTimeZone&) = delete;

 private:
  std::optional<std::string> saved_;
};

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

void Check(archive* a, int status, const std::string& what) {
  if (status < ARCHIVE_OK) {
    const char* message = archive_error_string(a);
    throw Error("zip: " + what + ": " + (message != nullptr ? message : "libarchive failed"));
  }
}

void SetTimes(const std::filesystem::path& path, std::int64_t seconds) {
  const timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
  if (utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    throw Error("cannot set the time of '" + path.string() + "': " + std::strerror(errno));
  }
}

std::string Tail(const std::filesystem::path& log_file) {
  std::ifstream stream(log_file);
  std::stringstream text;
  text << stream.rdbuf();
  std::string all = text.str();
  constexpr std::size_t kKeep = 2000;
  return all.size() > kKeep ? "..." + all.substr(all.size() - kKeep) : all;
}

}  // namespace

void WriteZipArchive(const std::filesystem::path& output, const std::vector<MediaFile>& files,
                     std::int64_t source_date_epoch) {
  const UtcTimeZone utc;
  std::unique_ptr<archive, ArchiveDeleter> zip(archive_write_new());
  if (!zip) {
    throw Error("zip: libarchive could not allocate a writer");
  }
  Check(zip.get(), archive_write_set_format_zip(zip.get()), "format");
  Check(zip.get(), archive_write_zip_set_compression_deflate(zip.get()), "compression");
  Check(zip.get(), archive_write_open_filename(zip.get(), output.c_str()),
        "open " + output.string());

  struct Item {
    std::string path;
    const MediaFile* file;  // nullptr for folders
  };
  std::vector<Item> items;
  for (const std::string& folder : FoldersOf(files)) {
    items.push_back({folder + "/", nullptr});
  }
  for (const MediaFile& file : files) {
    items.push_back({file.media_path, &file});
  }
  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return a.path < b.path; });

  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  for (const Item& item : items) {
    archive_entry_clear(entry.get());
    archive_entry_set_pathname(entry.get(), item.path.c_str());
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(source_date_epoch), 0);
    if (item.file == nullptr) {
      archive_entry_set_filetype(entry.get(), AE_IFDIR);
      archive_entry_set_perm(entry.get(), kFolderMode);
      archive_entry_set_size(entry.get(), 0);
      Check(zip.get(), archive_write_header(zip.get(), entry.get()), item.path);
      continue;
    }
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), kFileMode);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(item.file->bytes.size()));
    Check(zip.get(), archive_write_header(zip.get(), entry.get()), item.path);
    const la_ssize_t written =
        archive_write_data(zip.get(), item.file->bytes.data(), item.file->bytes.size());
    if (written < 0 || static_cast<std::size_t>(written) != item.file->bytes.size()) {
      Check(zip.get(), ARCHIVE_FATAL, "write " + item.path);
    }
  }
  Check(zip.get(), archive_write_close(zip.get()), "close");
}

void WriteStagingTree(const std::filesystem::path& tree, const std::vector<MediaFile>& files,
                      std::int64_t source_date_epoch) {
  if (mkdir(tree.c_str(), kFolderMode) != 0) {
    throw Error("cannot create '" + tree.string() + "': " + std::strerror(errno));
  }
  const std::set<std::string> folders = FoldersOf(files);
  for (const std::string& folder : folders) {
    const std::filesystem::path path = tree / folder;
    if (mkdir(path.c_str(), kFolderMode) != 0 || chmod(path.c_str(), kFolderMode) != 0) {
      throw Error("cannot create '" + path.string() + "': " + std::strerror(errno));
    }
  }
  for (const MediaFile& file : files) {
    const std::filesystem::path path = tree / file.media_path;
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, kFileMode);
    bool ok = fd >= 0;
    std::size_t written = 0;
    while (ok && written < file.bytes.size()) {
      const ssize_t n = write(fd, file.bytes.data() + written, file.bytes.size() - written);
      ok = n > 0 || (n < 0 && errno == EINTR);
      written += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    ok = ok && fchmod(fd, kFileMode) == 0;
    if (fd >= 0) {
      ok = close(fd) == 0 && ok;
    }
    if (!ok) {
      throw Error("cannot write '" + path.string() + "': " + std::strerror(errno));
    }
    SetTimes(path, source_date_epoch);
  }
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) {
    SetTimes(tree / *it, source_date_epoch);
  }
  SetTimes(tree, source_date_epoch);
}

void WriteIsoImage(const std::filesystem::path& xorriso, const std::filesystem::path& tree,
                   const std::filesystem::path& output, std::int64_t source_date_epoch,
                   const std::string& volume_id, const std::filesystem::path& log_file) {
  const bool id_ok = !volume_id.empty() && volume_id.size() <= 32 &&
                     std::all_of(volume_id.begin(), volume_id.end(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                     });
  if (!id_ok) {
    throw Error("volume ID '" + volume_id + "' must be 1..32 of A-Z, 0-9 and _");
  }
  std::error_code error;
  if (std::filesystem::exists(output, error)) {
    throw Error("'" + output.string() + "' already exists; xorriso must start a new image");
  }
  const std::string epoch = std::to_string(source_date_epoch);
  const std::vector<std::string> argv = {xorriso.string(),
                                         "-no_rc",
                                         "-abort_on",
                                         "FAILURE",
                                         "-return_with",
                                         "SORRY",
                                         "32",
                                         "-report_about",
                                         "SORRY",
                                         "-outdev",
                                         "stdio:" + output.string(),
                                         "-volid",
                                         volume_id,
                                         "-joliet",
                                         "on",
                                         "-rockridge",
                                         "on",
                                         "-preparer_id",
                                         "aero-packager",
                                         "-application_id",
                                         "AERO GUEST TOOLS",
                                         "-map",
                                         tree.string(),
                                         "/",
                                         "-chown_r",
                                         "0",
                                         "/",
                                         "--",
                                         "-chgrp_r",
                                         "0",
                                         "/",
                                         "--",
                                         "-alter_date_r",
                                         "b",
                                         "=" + epoch,
                                         "/",
                                         "--",
                                         "-commit"};
  const int status = RunProcess(argv, {"SOURCE_DATE_EPOCH=" + epoch, "LC_ALL=C"}, log_file);
  if (status != 0 || !std::filesystem::is_regular_file(output, error)) {
    throw Error("xorriso failed (exit status " + std::to_string(status) + "):\n" + Tail(log_file));
  }
}

}  // namespace aero::packager
