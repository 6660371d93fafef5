// The --not-in-facts allowlist: imports that the WDK facts file does not describe but that a
// module really exports (variadic functions such as DbgPrint, data exports such as KeTickCount).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "result.h"

namespace aero::pecheck {

// One entry per line: "module!Name  reason...". '#' starts a comment line; blank lines are
// ignored. "module!*" covers every name of that module (for user-mode system DLLs, whose Win32
// API the facts never cover). Module names compare case-insensitively, function names exactly.
class NotInFactsList {
 public:
  bool Covers(std::string_view module, std::string_view name) const;
  size_t size() const;

  static Result<NotInFactsList> Parse(std::string_view text, std::string_view source);

 private:
  std::map<std::string, std::set<std::string>> names_by_module_;  // Key: lower-case module.
};

}  // namespace aero::pecheck
