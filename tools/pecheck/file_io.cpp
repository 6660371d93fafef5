#include "file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace aero::pecheck {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string SystemError(const std::string& what, const std::string& path, int error) {
  return what + " " + path + ": " + std::strerror(error);
}

}  // namespace

Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  using BytesResult = Result<std::vector<uint8_t>>;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return BytesResult::Error(SystemError("cannot open", path, errno));
  }
  std::vector<uint8_t> bytes;
  uint8_t buffer[65536];
  for (;;) {
    const size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
    bytes.insert(bytes.end(), buffer, buffer + got);
    if (bytes.size() > kMaxInputFileSize) {
      return BytesResult::Error(path + ": larger than " + std::to_string(kMaxInputFileSize) +
                                " bytes");
    }
    if (got < sizeof buffer) {
      break;
    }
  }
  if (std::ferror(file.get())) {
    return BytesResult::Error(SystemError("cannot read", path, errno));
  }
  return BytesResult::Ok(std::move(bytes));
}

Result<std::string> ReadFileText(const std::string& path) {
  Result<std::vector<uint8_t>> bytes = ReadFileBytes(path);
  if (!bytes.ok()) {
    return Result<std::string>::Error(bytes.error());
  }
  return Result<std::string>::Ok(std::string(bytes.value().begin(), bytes.value().end()));
}

}  // namespace aero::pecheck
