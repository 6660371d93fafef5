// The function names of the WDK ABI facts file (wdk-abi-win7.json): what an import may name.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "result.h"
#include "target.h"

namespace aero::pecheck {

struct FunctionFacts {
  std::set<std::string> functions;  // functions.<arch>.NAME with "kind": "function".
};

// Reads functions.<arch> from the facts JSON. Fails on malformed JSON or a missing or mistyped
// table; entries that are not objects with a string "kind" are errors too.
Result<FunctionFacts> ParseFunctionFacts(std::string_view json_text, Arch arch,
                                         std::string_view source);

}  // namespace aero::pecheck
