#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "error.h"

namespace aero::catalog {
namespace {

std::string Describe(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

}  // namespace

std::vector<std::uint8_t> ReadRegularFile(const std::filesystem::path& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::symlink_status(path, error);
  if (error || !std::filesystem::exists(status)) {
    throw Error(Describe(path) + " does not exist");
  }
  if (std::filesystem::is_symlink(status)) {
    throw Error(Describe(path) + " is a symbolic link; refusing to follow it");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(Describe(path) + " is not a regular file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) {
    throw Error("cannot read the size of " + Describe(path) + ": " + error.message());
  }
  if (size > kMaxInputFileSize) {
    throw Error(Describe(path) + " is larger than " + std::to_string(kMaxInputFileSize) + " bytes");
  }
  std::ifstream stream(path, std::ios::binary);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  if (!stream || !stream.read(reinterpret_cast<char*>(bytes.data()),
                              static_cast<std::streamsize>(bytes.size()))) {
    throw Error("cannot read " + Describe(path));
  }
  if (stream.peek() != std::char_traits<char>::eof()) {
    throw Error(Describe(path) + " changed while it was being read");
  }
  return bytes;
}

void WriteFileAtomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string pattern = (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0) {
    throw Error("cannot create a temporary file in " + Describe(folder) + ": " +
                std::strerror(errno));
  }
  const std::filesystem::path temporary(pattern);
  int failure = 0;  // errno of the first failing step
  std::size_t written = 0;
  while (failure == 0 && written < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      failure = n < 0 ? errno : EIO;
    } else {
      written += static_cast<std::size_t>(n);
    }
  }
  if (failure == 0 && (fchmod(fd, 0644) != 0 || fsync(fd) != 0)) {
    failure = errno;
  }
  if (close(fd) != 0 && failure == 0) {
    failure = errno;
  }
  std::error_code ignored;
  if (failure != 0) {
    std::filesystem::remove(temporary, ignored);
    throw Error("cannot write " + Describe(path) + ": " + std::strerror(failure));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, ignored);
    throw Error("cannot move the output into place at " + Describe(path) + ": " + error.message());
  }
}

}  // namespace aero::catalog
