#include "id_scan.h"

#include <map>

#include "hardware_id.h"
#include "json_reader.h"
#include "repo_files.h"

namespace aero::contract_tool {
namespace {

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::map<std::uint16_t, std::string> WatchedIds(const Contract& c) {
  std::map<std::uint16_t, std::string> watched;
  for (const Device& d : c.devices) {
    watched.emplace(d.pci.vendor_id, "vendor ID of " + d.name);
    if (d.pci.device_id >= 0x1000) {
      watched.emplace(d.pci.device_id, "device ID of " + d.name);
    }
  }
  for (const ForbiddenIdentity& f : c.forbidden) {
    watched.emplace(f.vendor_id, "forbidden vendor ID (" + f.reason + ")");
  }
  return watched;
}

std::vector<std::uint16_t> WatchedVendors(const Contract& c) {
  std::vector<std::uint16_t> vendors;
  for (const Device& d : c.devices) {
    vendors.push_back(d.pci.vendor_id);
  }
  for (const ForbiddenIdentity& f : c.forbidden) {
    vendors.push_back(f.vendor_id);
  }
  return vendors;
}

}  // namespace

std::vector<Diagnostic> ScanSourceForLiteralIds(const Contract& contract, std::string_view text,
                                                const std::string& display_name) {
  const std::map<std::uint16_t, std::string> watched = WatchedIds(contract);
  std::vector<std::string> vendor_tokens;
  for (std::uint16_t vendor : WatchedVendors(contract)) {
    vendor_tokens.push_back("VEN_" + Hex(vendor, 4));
  }
  std::vector<Diagnostic> found;
  int line = 1;
  // Comments are skipped (a number in prose cannot drift the code); string literals are not,
  // since "PCI\\VEN_1AF4..." in a string is exactly the copy this scan is after.
  enum class State { kCode, kLineComment, kBlockComment };
  State state = State::kCode;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      if (state == State::kLineComment) {
        state = State::kCode;
      }
      continue;
    }
    if (state == State::kLineComment) {
      continue;
    }
    if (state == State::kBlockComment) {
      if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') {
        state = State::kCode;
        ++i;
      }
      continue;
    }
    if (in_string) {
      if (c == '\\') {
        ++i;  // skip the escaped character, counting an escaped line break
        if (i < text.size() && text[i] == '\n') {
          ++line;
        }
        continue;
      }
      if (c == '"') {
        in_string = false;
        continue;
      }
    } else if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      state = text[i + 1] == '/' ? State::kLineComment : State::kBlockComment;
      ++i;
      continue;
    } else if (c == '"') {
      in_string = true;
      continue;
    } else if (c == '\'') {
      // A character literal: skip it whole so that '"' does not open a string.
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '\'' && text[j] != '\n') {
        j += text[j] == '\\' ? 2 : 1;
      }
      i = j < text.size() && text[j] == '\'' ? j : i;
      continue;
    }
    const bool boundary = i == 0 || !IsIdentifierChar(text[i - 1]);
    if (boundary && c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
      std::size_t j = i + 2;
      std::uint32_t value = 0;
      while (j < text.size() && HexValue(text[j]) >= 0) {
        value = (value << 4) | static_cast<std::uint32_t>(HexValue(text[j]));
        ++j;
        if (j - i > 12) {
          break;
        }
      }
      std::size_t k = j;
      while (k < text.size() &&
             (text[k] == 'u' || text[k] == 'U' || text[k] == 'l' || text[k] == 'L')) {
        ++k;
      }
      const bool whole = k >= text.size() || !IsIdentifierChar(text[k]);
      if (j - i == 6 && whole) {
        auto hit = watched.find(static_cast<std::uint16_t>(value));
        if (hit != watched.end()) {
          found.push_back(AtLine(display_name, line,
                                 "literal " + std::string(text.substr(i, j - i)) + " (" +
                                     hit->second +
                                     "): take it from aero/contract/aero_contract.h"));
        }
      }
      i = j - 1;
      continue;
    }
    if (boundary && (c == 'V' || c == 'v')) {
      for (const std::string& token : vendor_tokens) {
        if (text.size() - i >= token.size()) {
          bool match = true;
          for (std::size_t t = 0; t < token.size() && match; ++t) {
            char x = text[i + t];
            if (x >= 'a' && x <= 'z') {
              x = static_cast<char>(x - 'a' + 'A');
            }
            match = x == token[t];
          }
          if (match) {
            found.push_back(AtLine(display_name, line,
                                   "literal hardware-ID text " + token +
                                       ": take IDs from aero/contract/aero_contract.h"));
            break;
          }
        }
      }
    }
  }
  return found;
}

std::vector<Diagnostic> ScanRepositorySources(const Contract& contract,
                                              const std::filesystem::path& root,
                                              int* files_scanned) {
  std::vector<Diagnostic> found;
  std::vector<std::string> walk_errors;
  const std::vector<std::filesystem::path> sources =
      FindDriverSources(root, kScannedSourceDirs, &walk_errors);
  found.reserve(walk_errors.size());
  for (const std::string& e : walk_errors) {
    found.push_back(InFile(DisplayPath(root), e));
  }
  *files_scanned = 0;
  for (const std::filesystem::path& relative : sources) {
    std::string text;
    std::string error;
    if (!ReadFileToString(root / relative, 64u << 20, &text, &error)) {
      found.push_back(InFile(DisplayPath(relative), error));
      continue;
    }
    ++*files_scanned;
    std::vector<Diagnostic> hits = ScanSourceForLiteralIds(contract, text, DisplayPath(relative));
    found.insert(found.end(), hits.begin(), hits.end());
  }
  return found;
}

}  // namespace aero::contract_tool
