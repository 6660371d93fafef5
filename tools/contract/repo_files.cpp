#include "repo_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>

#include "json_reader.h"

namespace aero::contract_tool {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

bool HasSuffixIgnoreCase(const std::string& name, std::string_view suffix) {
  const std::string lower = Lower(name);
  return lower.size() >= suffix.size() &&
         lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
}

template <typename Visit>
void Walk(const std::filesystem::path& root, const std::filesystem::path& start,
          std::vector<std::string>* errors, Visit visit) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(start, ec)) {
    return;
  }
  fs::recursive_directory_iterator it(start, fs::directory_options::none, ec);
  if (ec) {
    errors->push_back(DisplayPath(start) + ": " + ec.message());
    return;
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      // A failed step leaves the iterator unusable: report it and stop this walk.
      errors->push_back(DisplayPath(start) + ": " + ec.message());
      break;
    }
    const fs::path relative = it->path().lexically_relative(root);
    std::error_code type_ec;
    if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
      if (IsExcludedDirectory(relative)) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (it->is_regular_file(type_ec)) {
      visit(relative);
    }
  }
}

}  // namespace

bool IsExcludedDirectory(const std::filesystem::path& relative_dir) {
  static const std::set<std::string> kAnywhere = {".git",     "tests",    "test",       "testing",
                                                  "fixtures", "testdata", "fuzz_corpus"};
  static const std::set<std::string> kAtRoot = {"build", "out"};
  const std::string name = relative_dir.filename().string();
  if (kAnywhere.count(name) != 0) {
    return true;
  }
  const bool at_root = relative_dir.has_filename() && !relative_dir.parent_path().has_filename();
  return at_root && kAtRoot.count(name) != 0;
}

std::vector<std::filesystem::path> FindInfFiles(const std::filesystem::path& root,
                                                std::vector<std::string>* errors) {
  std::vector<std::filesystem::path> found;
  Walk(root, root, errors, [&found](const std::filesystem::path& rel) {
    if (HasSuffixIgnoreCase(rel.filename().string(), ".inf")) {
      found.push_back(rel);
    }
  });
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::filesystem::path> FindDriverSources(const std::filesystem::path& root,
                                                     const std::vector<std::string>& subdirs,
                                                     std::vector<std::string>* errors) {
  static constexpr std::string_view kExtensions[] = {".c",  ".cc",  ".cpp", ".cxx", ".h",
                                                     ".hh", ".hpp", ".hxx", ".inl"};
  static constexpr std::string_view kTestMarkers[] = {"_test.", "_fuzz.", "_benchmark."};
  std::vector<std::filesystem::path> found;
  for (const std::string& subdir : subdirs) {
    Walk(root, root / subdir, errors, [&found](const std::filesystem::path& rel) {
      const std::string name = rel.filename().string();
      const bool source =
          std::any_of(std::begin(kExtensions), std::end(kExtensions),
                      [&name](std::string_view ext) { return HasSuffixIgnoreCase(name, ext); });
      const bool test = std::any_of(
          std::begin(kTestMarkers), std::end(kTestMarkers),
          [&name](std::string_view marker) { return name.find(marker) != std::string::npos; });
      if (source && !test) {
        found.push_back(rel);
      }
    });
  }
  std::sort(found.begin(), found.end());
  return found;
}

bool WriteFileAtomically(const std::filesystem::path& path, std::string_view content, bool* changed,
                         std::string* error) {
  namespace fs = std::filesystem;
  *changed = false;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    std::string existing;
    std::string read_error;
    if (ReadFileToString(path, content.size() + 1, &existing, &read_error) && existing == content) {
      return true;
    }
  }
  const fs::path parent = path.parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) {
      *error = "cannot create directory " + DisplayPath(parent) + ": " + ec.message();
      return false;
    }
  }
  static std::atomic<unsigned> counter{0};
  const fs::path temp = path.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter.fetch_add(1));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot create " + DisplayPath(temp) + ": " + std::strerror(errno);
    return false;
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      *error = "cannot write " + DisplayPath(temp) + ": " + std::strerror(errno);
      ::close(fd);
      fs::remove(temp, ec);
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    *error = "cannot flush " + DisplayPath(temp) + ": " + std::strerror(errno);
    fs::remove(temp, ec);
    return false;
  }
  fs::rename(temp, path, ec);
  if (ec) {
    *error =
        "cannot rename " + DisplayPath(temp) + " to " + DisplayPath(path) + ": " + ec.message();
    fs::remove(temp, ec);
    return false;
  }
  *changed = true;
  return true;
}

std::string DisplayPath(const std::filesystem::path& path) {
  return path.generic_string();
}

}  // namespace aero::contract_tool
