// PCI plug-and-play hardware IDs as Windows forms them: PCI\VEN_v&DEV_d[&SUBSYS_ssssvvvv][&REV_rr]
// and the class-code compatible forms PCI\VEN_v&DEV_d&CC_ccss[pp].
#ifndef AERO_TOOLS_CONTRACT_HARDWARE_ID_H_
#define AERO_TOOLS_CONTRACT_HARDWARE_ID_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aero::contract_tool {

struct PciHardwareId {
  std::uint16_t vendor_id = 0;
  std::optional<std::uint16_t> device_id;
  std::optional<std::uint16_t> subsystem_id;         // high half of SUBSYS_
  std::optional<std::uint16_t> subsystem_vendor_id;  // low half of SUBSYS_
  std::optional<std::uint8_t> revision_id;
  std::optional<std::uint32_t> class_code;  // CC_ value
  int class_code_digits = 0;                // 4 (class+subclass) or 6 (with prog-if)

  bool revision_gated() const { return revision_id.has_value(); }
  bool has_subsystem() const { return subsystem_id.has_value(); }
};

// Parses case-insensitively; nullopt with `error` set when `text` is not a PCI ID.
std::optional<PciHardwareId> ParsePciHardwareId(std::string_view text, std::string* error);

// Canonical upper-case spelling.
std::string FormatPciHardwareId(const PciHardwareId& id);

// Key under HKLM\SYSTEM\CurrentControlSet\Control\CriticalDeviceDatabase for `id`: lower case,
// with '\' replaced by '#'.
std::string CriticalDeviceDatabaseKey(std::string_view hardware_id);

// Upper-case hex without prefix, zero-padded to at least `digits` digits (never truncated).
std::string Hex(std::uint64_t value, int digits);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_HARDWARE_ID_H_
