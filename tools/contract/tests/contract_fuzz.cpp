// libFuzzer target: the contract loader (strict JSON, schema, conversion, invariants) and, for
// inputs that pass, the generators.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "contract_loader.h"
#include "generators.h"
#include "json_reader.h"

namespace {

std::unique_ptr<aero::contract_tool::SchemaChecker>& Schema() {
  static std::unique_ptr<aero::contract_tool::SchemaChecker> schema;
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string text;
  std::string error;
  if (!aero::contract_tool::ReadFileToString(AERO_CONTRACT_SCHEMA, 1u << 20, &text, &error)) {
    std::fprintf(stderr, "cannot read %s: %s\n", AERO_CONTRACT_SCHEMA, error.c_str());
    __builtin_trap();
  }
  std::vector<aero::contract_tool::Diagnostic> errors;
  Schema() =
      aero::contract_tool::SchemaChecker::Create(nlohmann::json::parse(text), "schema", &errors);
  if (!Schema()) {
    __builtin_trap();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace aero::contract_tool;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonParseResult parsed = ParseJsonStrict(text, "fuzz.json");
  if (!parsed.json) {
    return 0;
  }
  const std::vector<Diagnostic> schema_errors = Schema()->Check(*parsed.json, "fuzz.json");
  // Every document the schema accepts must convert: the schema and the converter agree.
  LoadResult converted = ConvertContract(*parsed.json, "fuzz.json");
  if (schema_errors.empty() && !converted.errors.empty()) {
    std::fprintf(stderr, "schema-valid but not convertible: %s\n",
                 converted.errors.front().ToString().c_str());
    __builtin_trap();
  }
  LoadResult loaded = LoadContractText(text, "fuzz.json", *Schema());
  if (loaded.ok()) {
    (void)GenerateHeader(*loaded.contract);
    (void)GenerateMarkdown(*loaded.contract);
    (void)GenerateDevicesCmd(*loaded.contract);
    for (const Driver& driver : loaded.contract->drivers) {
      (void)GenerateInfModelsLines(*loaded.contract, driver);
    }
  }
  return 0;
}
