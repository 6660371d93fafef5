// Shared helpers for the contract tool tests: the real contract and schema, temporary
// repositories, and file I/O.
#ifndef AERO_TOOLS_CONTRACT_TESTS_TEST_SUPPORT_H_
#define AERO_TOOLS_CONTRACT_TESTS_TEST_SUPPORT_H_

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "contract_loader.h"
#include "contract_model.h"
#include "diagnostics.h"
#include "schema_check.h"

namespace aero::contract_tool::testing {

std::filesystem::path SourceDir();    // the repository the tests were configured from
std::filesystem::path FixturesDir();  // tools/contract/tests/fixtures

const SchemaChecker& RealSchema();
nlohmann::json RealContractJson();
Contract RealContract();

// Loads `doc` as "contract.json" through the whole pipeline (schema, conversion, invariants).
LoadResult LoadJson(const nlohmann::json& doc);

std::string Joined(const std::vector<Diagnostic>& diagnostics);

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& content);

// Replaces the first occurrence of `from` (which must exist) with `to`.
std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to);

// 1-based line of the first occurrence of `needle` after `after` lines (0: whole text).
int LineOf(const std::string& text, const std::string& needle, int after = 0);

// A temporary directory removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Makes `root` look like a repository holding only the real contract and schema.
void MakeRepository(const std::filesystem::path& root);

}  // namespace aero::contract_tool::testing

#endif  // AERO_TOOLS_CONTRACT_TESTS_TEST_SUPPORT_H_
