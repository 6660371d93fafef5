// The aero-pecheck command line, callable in-process for tests.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace aero::pecheck {

inline constexpr int kExitClean = 0;
inline constexpr int kExitViolations = 1;
inline constexpr int kExitUsageOrUnreadable = 2;

// `args` excludes the program name. Violations go to `out` as
// "aero-pecheck: <file>: <check>: <message>"; usage and read/parse errors go to `err`.
// Returns kExitUsageOrUnreadable if any argument, input file or image could not be used,
// else kExitViolations if any image has a violation, else kExitClean.
int RunPecheck(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace aero::pecheck
