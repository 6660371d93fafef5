// Check configurations for the tests, built from the fixtures and the shared facts file.
#pragma once

#include <set>
#include <string>

#include "checks.h"

namespace aero::pecheck::testing {

std::string FixturePath(const std::string& relative);
std::string FactsPath();

// Matches DriverSpec(arch): ntoskrnl.exe (+ hal.dll on x86) allowed with their fixture .defs.
CheckConfig DriverConfig(Arch arch);
// Matches DllSpec(arch): kernel32.dll and msvcrt.dll.
CheckConfig DllConfig(Arch arch);

// The distinct check ids in a report, for exact comparisons.
std::set<std::string> CheckIds(const CheckReport& report);
// All violation lines joined, for failure messages and substring checks.
std::string Describe(const CheckReport& report);

}  // namespace aero::pecheck::testing
