// Runs a helper program (xorriso) without a shell.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace aero::packager {

// Runs argv[0] (searched on PATH when it has no '/') with the current environment plus
// `extra_environment` ("NAME=value", overriding), stdin from /dev/null and stdout and stderr
// appended to `log_file`. Returns the exit status; throws catalog::Error when the program
// cannot be started or is killed by a signal.
int RunProcess(const std::vector<std::string>& argv,
               const std::vector<std::string>& extra_environment,
               const std::filesystem::path& log_file);

}  // namespace aero::packager
