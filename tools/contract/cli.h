// The aero-contract command line, callable in-process for tests.
#ifndef AERO_TOOLS_CONTRACT_CLI_H_
#define AERO_TOOLS_CONTRACT_CLI_H_

#include <ostream>
#include <string>
#include <vector>

namespace aero::contract_tool {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;  // validation or check failure
inline constexpr int kExitUsage = 2;        // bad arguments or an I/O error

// `args` excludes the program name.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_CLI_H_
