// Text generated from the contract. Each function is pure: contract in, file content out.
#ifndef AERO_TOOLS_CONTRACT_GENERATORS_H_
#define AERO_TOOLS_CONTRACT_GENERATORS_H_

#include <string>
#include <vector>

#include "contract_model.h"

namespace aero::contract_tool {

// Repository-relative paths of the fixed outputs.
inline constexpr char kHeaderPath[] = "include/aero/contract/aero_contract.h";
inline constexpr char kMarkdownPath[] = "contract/CONTRACT.md";
inline constexpr char kDevicesCmdPath[] = "guest-tools/config/devices.cmd";
inline constexpr char kContractPath[] = "contract/aero-contract.json";
inline constexpr char kSchemaPath[] = "contract/aero-contract.schema.json";

// Freestanding C++ header (only <stdint.h>) with namespace aero::contract.
std::string GenerateHeader(const Contract& contract);

// contract/CONTRACT.md: the contract as tables.
std::string GenerateMarkdown(const Contract& contract);

// guest-tools/config/devices.cmd: `set` lines for the installer (CRLF line endings).
std::string GenerateDevicesCmd(const Contract& contract);

// The [Models] sections of `driver`'s INF, one per decoration, without line endings; callers
// join them with the INF's own line ending.
std::vector<std::string> GenerateInfModelsLines(const Contract& contract, const Driver& driver);

// Hardware IDs bound by `driver`: the union over its devices, in contract order, each once.
std::vector<std::string> DriverHardwareIds(const Contract& contract, const Driver& driver);

// CriticalDeviceDatabase key names for a boot-critical device: its hardware IDs plus the class
// code forms PCI\VEN_v&DEV_d&CC_ccsspp and &CC_ccss, lower case with '\' as '#'.
std::vector<std::string> CriticalDeviceDatabaseKeys(const Device& device);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_GENERATORS_H_
