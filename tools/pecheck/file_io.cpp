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

// Reads the whole file into a byte container (std::vector<uint8_t> or std::string), straight
// into its storage in large chunks.
template <typename Container>
Result<Container> ReadWhole(const std::string& path) {
  constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return Result<Container>::Error(SystemError("cannot open", path, errno));
  }
  Container data;
  size_t used = 0;
  for (;;) {
    data.resize(used + kChunk);
    const size_t got = std::fread(data.data() + used, 1, kChunk, file.get());
    used += got;
    if (used > kMaxInputFileSize) {
      return Result<Container>::Error(path + ": larger than " + std::to_string(kMaxInputFileSize) +
                                      " bytes");
    }
    if (got < kChunk) {
      break;
    }
  }
  if (std::ferror(file.get())) {
    return Result<Container>::Error(SystemError("cannot read", path, errno));
  }
  data.resize(used);
  return Result<Container>::Ok(std::move(data));
}

}  // namespace

Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  return ReadWhole<std::vector<uint8_t>>(path);
}

Result<std::string> ReadFileText(const std::string& path) {
  return ReadWhole<std::string>(path);
}

}  // namespace aero::pecheck
