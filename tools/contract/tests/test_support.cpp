#include "test_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "json_reader.h"

namespace aero::contract_tool::testing {

std::filesystem::path SourceDir() {
  return AERO_SOURCE_DIR;
}
std::filesystem::path FixturesDir() {
  return AERO_CONTRACT_FIXTURES;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::string text;
  std::string error;
  if (!ReadFileToString(path, 64u << 20, &text, &error)) {
    throw std::runtime_error(path.string() + ": " + error);
  }
  return text;
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

const SchemaChecker& RealSchema() {
  static const std::unique_ptr<SchemaChecker> schema = [] {
    const std::string text = ReadFile(SourceDir() / "contract/aero-contract.schema.json");
    std::vector<Diagnostic> errors;
    std::unique_ptr<SchemaChecker> checker =
        SchemaChecker::Create(nlohmann::json::parse(text), "schema.json", &errors);
    if (!checker) {
      throw std::runtime_error("schema does not compile: " + Joined(errors));
    }
    return checker;
  }();
  return *schema;
}

nlohmann::json RealContractJson() {
  return nlohmann::json::parse(ReadFile(SourceDir() / "contract/aero-contract.json"));
}

LoadResult LoadJson(const nlohmann::json& doc) {
  return LoadContractText(doc.dump(2), "contract.json", RealSchema());
}

Contract RealContract() {
  LoadResult result = LoadJson(RealContractJson());
  if (!result.ok()) {
    throw std::runtime_error("the real contract does not load: " + Joined(result.errors));
  }
  return std::move(*result.contract);
}

std::string Joined(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += d.ToString() + "\n";
  }
  return out;
}

std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to) {
  const std::size_t pos = text.find(from);
  if (pos == std::string::npos) {
    throw std::runtime_error("test setup: '" + from + "' not found");
  }
  return text.replace(pos, from.size(), to);
}

int LineOf(const std::string& text, const std::string& needle, int after) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number > after && line.find(needle) != std::string::npos) {
      return number;
    }
  }
  throw std::runtime_error("test setup: '" + needle + "' not found");
}

TempDir::TempDir() {
  std::string templ =
      (std::filesystem::temp_directory_path() / "aero-contract-test-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void MakeRepository(const std::filesystem::path& root) {
  for (const char* file : {"contract/aero-contract.json", "contract/aero-contract.schema.json"}) {
    WriteFile(root / file, ReadFile(SourceDir() / file));
  }
}

}  // namespace aero::contract_tool::testing
