// The checks every built Windows 7 binary must pass. Each violation names its check:
//   machine, image-type, headers, subsystem, checksum, relocations, sections, tls, unwind,
//   imports, entry-point, nx-compat.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "def_file.h"
#include "facts.h"
#include "not_in_facts.h"
#include "target.h"

namespace aero::pecheck {

struct CheckConfig {
  ImageKind kind = ImageKind::kKernelDriver;
  Arch arch = Arch::kX86;
  FunctionFacts facts;                        // functions.<arch> of the facts file.
  std::vector<ModuleExports> module_exports;  // One per --exports .def.
  std::vector<std::string> allowed_modules;   // --allow-module, compared case-insensitively.
  NotInFactsList not_in_facts;
};

struct Violation {
  std::string check;
  std::string message;
};

struct CheckReport {
  std::string parse_error;  // Set when the file is not a PE image at all; then no violations.
  std::vector<Violation> violations;
  bool parsed() const { return parse_error.empty(); }
  bool clean() const { return parsed() && violations.empty(); }
};

CheckReport CheckImage(std::span<const uint8_t> file, const CheckConfig& config);

}  // namespace aero::pecheck
