#include "facts.h"

#include <nlohmann/json.hpp>

namespace aero::pecheck {

Result<FunctionFacts> ParseFunctionFacts(std::string_view json_text, Arch arch,
                                         std::string_view source) {
  const std::string where = std::string(source) + ": ";
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    return Result<FunctionFacts>::Error(where + "invalid JSON: " + e.what());
  }
  const std::string arch_name = ArchName(arch);
  const auto functions = doc.is_object() ? doc.find("functions") : doc.end();
  if (!doc.is_object() || functions == doc.end() || !functions->is_object()) {
    return Result<FunctionFacts>::Error(where + "no \"functions\" object");
  }
  const auto table = functions->find(arch_name);
  if (table == functions->end() || !table->is_object()) {
    return Result<FunctionFacts>::Error(where + "no \"functions\"." + arch_name + " object");
  }
  FunctionFacts facts;
  for (const auto& [name, entry] : table->items()) {
    const auto kind = entry.is_object() ? entry.find("kind") : entry.end();
    if (!entry.is_object() || kind == entry.end() || !kind->is_string()) {
      return Result<FunctionFacts>::Error(where + "functions." + arch_name + "." + name +
                                          " has no string \"kind\"");
    }
    if (kind->get_ref<const std::string&>() == "function") {
      facts.functions.insert(name);
    }
  }
  return Result<FunctionFacts>::Ok(std::move(facts));
}

}  // namespace aero::pecheck
