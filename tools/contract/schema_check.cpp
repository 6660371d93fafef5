#include "schema_check.h"

#include <set>
#include <string_view>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace aero::contract_tool {
namespace {

// valijson reports a failing child and then a summary for each enclosing schema; the summaries
// repeat the child's position without saying what is wrong, so they are dropped when a specific
// error exists.
bool IsSummary(const std::string& message) {
  static constexpr std::string_view kPrefixes[] = {
      "Failed to validate against schema associated with property name",
      "Failed to validate item #",
      "Failed to validate against child schema",
      "Failed to validate against any child schemas",
      "Failed to validate against a conditional schema",
      "Failed to validate against any schemas allowed by",
      "Failed to validate against additional properties schema",
  };
  for (std::string_view prefix : kPrefixes) {
    if (message.compare(0, prefix.size(), prefix) == 0) {
      return true;
    }
  }
  return false;
}

std::string PointerFromContext(const std::vector<std::string>& context) {
  std::string pointer;
  for (const std::string& part : context) {
    if (part == "<root>") {
      continue;
    }
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    pointer += "/" + EscapePointerToken(token);
  }
  return pointer;
}

// The offending value, shortened, for messages that do not say what was wrong with it.
std::string ValueAt(const nlohmann::json& doc, const std::string& pointer) {
  try {
    std::string text = doc.at(nlohmann::json::json_pointer(pointer)).dump();
    if (text.size() > 60) {
      text = text.substr(0, 57) + "...";
    }
    return text;
  } catch (const nlohmann::json::exception&) {
    return "?";
  }
}

// Rewrites valijson's wording for the common failures into shorter, specific messages.
std::string Describe(const std::string& message, const nlohmann::json& doc,
                     const std::string& pointer) {
  static constexpr std::string_view kUnknown =
      "Object contains a property that could not be validated using 'properties' or "
      "'additionalProperties' constraints: ";
  if (message.compare(0, kUnknown.size(), kUnknown) == 0) {
    std::string name = message.substr(kUnknown.size());
    while (!name.empty() && name.back() == '.') {
      name.pop_back();
    }
    return "unknown property " + name;
  }
  if (message.find("'pattern' constraint") != std::string::npos) {
    return ValueAt(doc, pointer) + " does not have the required form";
  }
  if (message.find("any enum values") != std::string::npos) {
    return ValueAt(doc, pointer) + " is not one of the allowed values";
  }
  if (message.find("'type' constraint") != std::string::npos) {
    return ValueAt(doc, pointer) + " has the wrong type";
  }
  return message;
}

// valijson's messages start with a capital and often end with '.'; ours do neither.
std::string Tidy(std::string message) {
  while (!message.empty() && (message.back() == '.' || message.back() == ' ')) {
    message.pop_back();
  }
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z') {
    message[0] = static_cast<char>(message[0] - 'A' + 'a');
  }
  return message;
}

}  // namespace

SchemaChecker::SchemaChecker() : schema_(std::make_unique<valijson::Schema>()) {}
SchemaChecker::~SchemaChecker() = default;

std::unique_ptr<SchemaChecker> SchemaChecker::Create(const nlohmann::json& schema_doc,
                                                     const std::string& schema_name,
                                                     std::vector<Diagnostic>* errors) {
  std::unique_ptr<SchemaChecker> checker(new SchemaChecker());
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema_doc);
    parser.populateSchema(adapter, *checker->schema_);
  } catch (const std::exception& e) {
    errors->push_back(InFile(schema_name, std::string("not a usable JSON Schema: ") + e.what()));
    return nullptr;
  }
  return checker;
}

std::vector<Diagnostic> SchemaChecker::Check(const nlohmann::json& doc,
                                             const std::string& file_name) const {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  std::vector<Diagnostic> errors;
  try {
    if (validator.validate(*schema_, adapter, &results)) {
      return errors;
    }
  } catch (const std::exception& e) {
    errors.push_back(InFile(file_name, std::string("schema validation failed: ") + e.what()));
    return errors;
  }
  std::vector<Diagnostic> summaries;
  std::set<std::string> seen;
  for (const valijson::ValidationResults::Error& error : results) {
    const std::string pointer = PointerFromContext(error.context);
    Diagnostic d =
        AtPointer(file_name, pointer, "schema: " + Tidy(Describe(error.description, doc, pointer)));
    if (!seen.insert(d.ToString()).second) {
      continue;
    }
    (IsSummary(error.description) ? summaries : errors).push_back(std::move(d));
  }
  return errors.empty() ? summaries : errors;
}

}  // namespace aero::contract_tool
