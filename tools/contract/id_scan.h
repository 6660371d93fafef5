// Finds PCI IDs written as literals in driver sources. Drivers take IDs from the generated
// header (include/aero/contract/aero_contract.h); a literal 0x1042 in drivers/ is a copy that can
// drift from the contract.
#ifndef AERO_TOOLS_CONTRACT_ID_SCAN_H_
#define AERO_TOOLS_CONTRACT_ID_SCAN_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "contract_model.h"
#include "diagnostics.h"

namespace aero::contract_tool {

// Folders scanned, relative to the repository root. lib/ joins once lib/virtio takes its IDs from
// the generated header too.
inline const std::vector<std::string> kScannedSourceDirs = {"drivers"};

// Diagnostics for literal IDs in one source text, outside comments: 4-digit hex literals equal to
// a contract vendor ID, a contract device ID of 0x1000 or above, or a forbidden vendor ID, and
// "VEN_xxxx" spellings of those vendors.
std::vector<Diagnostic> ScanSourceForLiteralIds(const Contract& contract, std::string_view text,
                                                const std::string& display_name);

std::vector<Diagnostic> ScanRepositorySources(const Contract& contract,
                                              const std::filesystem::path& root,
                                              int* files_scanned);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_ID_SCAN_H_
