#include "inf_models.h"

namespace aero::inf {

std::vector<ModelsSectionRef> FollowManufacturer(const InfFile& inf) {
  std::vector<ModelsSectionRef> refs;
  const InfSection* manufacturer = inf.FindSection("Manufacturer");
  if (manufacturer == nullptr) {
    return refs;
  }
  for (const InfLine& line : manufacturer->lines) {
    if (line.values.empty() || line.values.front().empty()) {
      continue;
    }
    ModelsSectionRef base;
    base.manufacturer = line.key;
    base.base_name = line.values.front();
    base.section_name = base.base_name;
    base.manufacturer_line = line.line_number;
    base.section = inf.FindSection(base.section_name);
    if (base.section != nullptr || line.values.size() == 1) {
      refs.push_back(base);
    }
    for (std::size_t i = 1; i < line.values.size(); ++i) {
      if (line.values[i].empty()) {
        continue;
      }
      ModelsSectionRef decorated = base;
      decorated.decoration = line.values[i];
      decorated.section_name = base.base_name + "." + line.values[i];
      decorated.section = inf.FindSection(decorated.section_name);
      refs.push_back(std::move(decorated));
    }
  }
  return refs;
}

std::vector<ModelEntry> ReadModels(const InfSection& models) {
  std::vector<ModelEntry> entries;
  for (const InfLine& line : models.lines) {
    ModelEntry entry;
    entry.line_number = line.line_number;
    if (line.has_key && line.values.size() >= 2) {
      entry.description = line.key;
      entry.install_section = line.values[0];
      entry.ids.assign(line.values.begin() + 1, line.values.end());
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string ArchitectureOfDecoration(std::string_view decoration) {
  if (decoration.size() < 2 || !EqualsIgnoreCase(decoration.substr(0, 2), "NT")) {
    return {};
  }
  std::string_view rest = decoration.substr(2);
  const std::size_t dot = rest.find('.');
  return ToLowerAscii(rest.substr(0, dot));
}

const InfSection* ResolveInstallSection(const InfFile& inf, std::string_view install_section,
                                        std::string_view architecture, std::string* resolved_name) {
  std::vector<std::string> candidates;
  if (!architecture.empty()) {
    candidates.push_back(std::string(install_section) + ".NT" + std::string(architecture));
  }
  candidates.push_back(std::string(install_section) + ".NT");
  candidates.push_back(std::string(install_section));
  for (const std::string& name : candidates) {
    const InfSection* section = inf.FindSection(name);
    if (section != nullptr) {
      *resolved_name = section->name;
      return section;
    }
  }
  resolved_name->clear();
  return nullptr;
}

std::vector<AddServiceEntry> FindAddServices(const InfFile& inf,
                                             std::string_view resolved_install_section) {
  std::vector<AddServiceEntry> entries;
  const InfSection* services = inf.FindSection(std::string(resolved_install_section) + ".Services");
  if (services == nullptr) {
    return entries;
  }
  for (const InfLine& line : services->lines) {
    if (!line.has_key || !EqualsIgnoreCase(line.key, "AddService")) {
      continue;
    }
    AddServiceEntry entry;
    entry.line_number = line.line_number;
    if (!line.values.empty()) {
      entry.service_name = line.values[0];
    }
    if (line.values.size() >= 2) {
      entry.flags = ParseInfNumber(line.values[1]);
    }
    if (line.values.size() >= 3) {
      entry.service_install_section = line.values[2];
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::optional<std::uint32_t> ParseInfNumber(std::string_view text) {
  unsigned base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty() || text.size() > 10) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (char c : text) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value * base + digit;
    if (value > 0xFFFFFFFFu) {
      return std::nullopt;
    }
  }
  return static_cast<std::uint32_t>(value);
}

}  // namespace aero::inf
