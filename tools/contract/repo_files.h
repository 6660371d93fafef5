// File-system helpers: finding the files `check` inspects, and writing outputs atomically.
#ifndef AERO_TOOLS_CONTRACT_REPO_FILES_H_
#define AERO_TOOLS_CONTRACT_REPO_FILES_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace aero::contract_tool {

// True for directories `check` never looks into: build/ and out/ at the repository root, and
// .git and test folders anywhere (tests, test, testing, fixtures, testdata, fuzz_corpus), whose
// INFs and sources are deliberately broken or minimal inputs.
bool IsExcludedDirectory(const std::filesystem::path& relative_dir);

// Every *.inf (case-insensitive) under `root` outside excluded directories, as sorted
// root-relative paths. Unreadable directories are reported in `errors`.
std::vector<std::filesystem::path> FindInfFiles(const std::filesystem::path& root,
                                                std::vector<std::string>* errors);

// C/C++ sources under root/<subdir> for the literal-ID scan, skipping tests: the excluded folders
// above, and files named *_test.*, *_fuzz.* or *_benchmark.*.
std::vector<std::filesystem::path> FindDriverSources(const std::filesystem::path& root,
                                                     const std::vector<std::string>& subdirs,
                                                     std::vector<std::string>* errors);

// Writes `content` to `path` through a temporary file in the same directory and a rename, so
// readers see the old or the new file, never a partial one. Creates parent directories. Leaves
// an existing identical file untouched (`*changed` = false).
bool WriteFileAtomically(const std::filesystem::path& path, std::string_view content, bool* changed,
                         std::string* error);

// "a/b/c" with forward slashes, for messages.
std::string DisplayPath(const std::filesystem::path& path);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_REPO_FILES_H_
