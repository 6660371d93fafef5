#include "names.h"

namespace aero::contract_tool {

std::string PascalCase(std::string_view name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == '_' || c == '-') {
      start = true;
      continue;
    }
    if (start && c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (!start && c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    out.push_back(c);
    start = false;
  }
  return out;
}

std::string DeviceNamespace(std::string_view device_name) {
  std::string out(device_name);
  for (char& c : out) {
    if (c == '-') {
      c = '_';
    }
  }
  return out;
}

std::string DeviceVariablePrefix(std::string_view device_name) {
  std::string out = "AERO_";
  for (char c : device_name) {
    if (c == '-') {
      c = '_';
    } else if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace aero::contract_tool
