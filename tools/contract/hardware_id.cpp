#include "hardware_id.h"

#include <vector>

namespace aero::contract_tool {
namespace {

bool ParseHexDigits(std::string_view text, std::size_t digits, std::uint32_t* out) {
  if (text.size() != digits) {
    return false;
  }
  std::uint32_t value = 0;
  for (char c : text) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else {
      return false;
    }
    value = (value << 4) | digit;
  }
  *out = value;
  return true;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    if (c != prefix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Hex(std::uint64_t value, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[value & 0xF]);
    value >>= 4;
  } while (value != 0);
  if (out.size() < static_cast<std::size_t>(digits)) {
    out.insert(0, static_cast<std::size_t>(digits) - out.size(), '0');
  }
  return out;
}

std::optional<PciHardwareId> ParsePciHardwareId(std::string_view text, std::string* error) {
  if (!StartsWithIgnoreCase(text, "PCI\\")) {
    *error = "does not start with PCI\\";
    return std::nullopt;
  }
  std::vector<std::string_view> parts;
  std::string_view rest = text.substr(4);
  while (true) {
    const std::size_t amp = rest.find('&');
    parts.push_back(rest.substr(0, amp));
    if (amp == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(amp + 1);
  }
  PciHardwareId id;
  // Components must appear in Windows' order: VEN, DEV, SUBSYS, REV, or VEN, [DEV,] CC.
  enum Stage { kVen, kDev, kSubsys, kRev, kDone };
  int stage = kVen;
  for (std::string_view part : parts) {
    std::uint32_t value = 0;
    if (stage == kVen) {
      if (!StartsWithIgnoreCase(part, "VEN_") || !ParseHexDigits(part.substr(4), 4, &value)) {
        *error = "expected VEN_xxxx after PCI\\, got '" + std::string(part) + "'";
        return std::nullopt;
      }
      id.vendor_id = static_cast<std::uint16_t>(value);
      stage = kDev;
    } else if (StartsWithIgnoreCase(part, "DEV_") && stage == kDev) {
      if (!ParseHexDigits(part.substr(4), 4, &value)) {
        *error = "DEV_ needs 4 hex digits, got '" + std::string(part) + "'";
        return std::nullopt;
      }
      id.device_id = static_cast<std::uint16_t>(value);
      stage = kSubsys;
    } else if (StartsWithIgnoreCase(part, "SUBSYS_") && stage == kSubsys) {
      if (!ParseHexDigits(part.substr(7), 8, &value)) {
        *error = "SUBSYS_ needs 8 hex digits, got '" + std::string(part) + "'";
        return std::nullopt;
      }
      id.subsystem_id = static_cast<std::uint16_t>(value >> 16);
      id.subsystem_vendor_id = static_cast<std::uint16_t>(value & 0xFFFF);
      stage = kRev;
    } else if (StartsWithIgnoreCase(part, "REV_") && (stage == kSubsys || stage == kRev)) {
      if (!ParseHexDigits(part.substr(4), 2, &value)) {
        *error = "REV_ needs 2 hex digits, got '" + std::string(part) + "'";
        return std::nullopt;
      }
      id.revision_id = static_cast<std::uint8_t>(value);
      stage = kDone;
    } else if (StartsWithIgnoreCase(part, "CC_") && (stage == kDev || stage == kSubsys)) {
      const std::string_view digits = part.substr(3);
      if (!(ParseHexDigits(digits, 4, &value) || ParseHexDigits(digits, 6, &value))) {
        *error = "CC_ needs 4 or 6 hex digits, got '" + std::string(part) + "'";
        return std::nullopt;
      }
      id.class_code = value;
      id.class_code_digits = static_cast<int>(digits.size());
      stage = kDone;
    } else {
      *error = "unexpected component '" + std::string(part) + "'";
      return std::nullopt;
    }
  }
  return id;
}

std::string FormatPciHardwareId(const PciHardwareId& id) {
  std::string out = "PCI\\VEN_" + Hex(id.vendor_id, 4);
  if (id.device_id) {
    out += "&DEV_" + Hex(*id.device_id, 4);
  }
  if (id.subsystem_id && id.subsystem_vendor_id) {
    out += "&SUBSYS_" + Hex(*id.subsystem_id, 4) + Hex(*id.subsystem_vendor_id, 4);
  }
  if (id.revision_id) {
    out += "&REV_" + Hex(*id.revision_id, 2);
  }
  if (id.class_code) {
    out += "&CC_" + Hex(*id.class_code, id.class_code_digits);
  }
  return out;
}

std::string CriticalDeviceDatabaseKey(std::string_view hardware_id) {
  std::string out(hardware_id);
  for (char& c : out) {
    if (c == '\\') {
      c = '#';
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace aero::contract_tool
