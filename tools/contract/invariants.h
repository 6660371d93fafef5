// Cross-field rules of the contract that JSON Schema cannot express. docs/contract.md lists them.
#ifndef AERO_TOOLS_CONTRACT_INVARIANTS_H_
#define AERO_TOOLS_CONTRACT_INVARIANTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "contract_model.h"
#include "diagnostics.h"

namespace aero::contract_tool {

// Fixed facts the contract must agree with.
inline constexpr std::uint16_t kVirtioVendorId = 0x1AF4;
inline constexpr std::uint16_t kVirtioModernDeviceIdBase = 0x1040;
inline constexpr std::uint16_t kVirtioTransitionalFirst = 0x1000;
inline constexpr std::uint16_t kVirtioTransitionalLast = 0x103F;
inline constexpr std::uint32_t kVirtioFVersion1 = 32;
inline constexpr std::uint16_t kAerogpuVendorId = 0xA3A0;
inline constexpr std::uint16_t kAerogpuDeviceId = 0x0001;
inline constexpr std::uint32_t kAerogpuMmioMagic = 0x55504741;  // "AGPU"
inline constexpr std::uint16_t kLegacyAerogpuVendorIds[] = {0x1AED, 0x1AE0};

// The system setup class GUID of a device class name, or nullptr for an unknown class.
const char* SystemClassGuid(const std::string& class_name);

// True when vendor/device falls in a forbidden identity or the transitional virtio range.
// `reason` receives the explanation.
bool IsForbiddenIdentity(const Contract& contract, std::uint16_t vendor_id, std::uint16_t device_id,
                         std::string* reason);

std::vector<Diagnostic> CheckInvariants(const Contract& contract, const std::string& file_name);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_INVARIANTS_H_
