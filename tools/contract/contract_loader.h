// Loading a contract: strict JSON parse, JSON Schema validation, conversion to the model, then
// the cross-field invariants. Stops after the first stage that reports errors.
#ifndef AERO_TOOLS_CONTRACT_CONTRACT_LOADER_H_
#define AERO_TOOLS_CONTRACT_CONTRACT_LOADER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract_model.h"
#include "diagnostics.h"
#include "schema_check.h"

namespace aero::contract_tool {

struct LoadResult {
  std::optional<Contract> contract;  // set when conversion succeeded, even if invariants failed
  std::vector<Diagnostic> errors;

  bool ok() const { return contract.has_value() && errors.empty(); }
};

// Converts a schema-valid document. Defensive: a document the schema should have rejected still
// yields errors, never undefined behaviour.
LoadResult ConvertContract(const nlohmann::json& doc, const std::string& file_name);

LoadResult LoadContractText(std::string_view text, const std::string& file_name,
                            const SchemaChecker& schema);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_CONTRACT_LOADER_H_
