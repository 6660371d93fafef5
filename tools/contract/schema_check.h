// JSON Schema (draft-07) validation of the contract with valijson, reporting JSON pointers.
#ifndef AERO_TOOLS_CONTRACT_SCHEMA_CHECK_H_
#define AERO_TOOLS_CONTRACT_SCHEMA_CHECK_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace valijson {
class Schema;
}

namespace aero::contract_tool {

class SchemaChecker {
 public:
  // Compiles `schema_doc`; returns nullptr and appends to `errors` if it is not a usable schema.
  static std::unique_ptr<SchemaChecker> Create(const nlohmann::json& schema_doc,
                                               const std::string& schema_name,
                                               std::vector<Diagnostic>* errors);
  ~SchemaChecker();
  SchemaChecker(const SchemaChecker&) = delete;
  SchemaChecker& operator=(const SchemaChecker&) = delete;

  // Validation errors of `doc`, each at the JSON pointer valijson reports.
  std::vector<Diagnostic> Check(const nlohmann::json& doc, const std::string& file_name) const;

 private:
  SchemaChecker();
  std::unique_ptr<valijson::Schema> schema_;
};

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_SCHEMA_CHECK_H_
