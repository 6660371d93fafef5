// Semantic checks of driver INFs against the contract: which hardware IDs each models section
// binds (all of the driver's, nothing else, all revision-gated, nothing forbidden), and which
// service the install sections add (the contract's name, binary, start type and group).
#ifndef AERO_TOOLS_CONTRACT_INF_CHECK_H_
#define AERO_TOOLS_CONTRACT_INF_CHECK_H_

#include <filesystem>
#include <string>
#include <vector>

#include "contract_model.h"
#include "diagnostics.h"
#include "inf_file.h"

namespace aero::contract_tool {

// Checks one parsed INF; `display_name` is its repository-relative path.
std::vector<Diagnostic> CheckInf(const Contract& contract, const inf::InfFile& inf,
                                 const std::string& display_name);

// Parses and checks every INF under `root` (see FindInfFiles for the excluded folders).
std::vector<Diagnostic> CheckRepositoryInfs(const Contract& contract,
                                            const std::filesystem::path& root, int* infs_checked);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_INF_CHECK_H_
