#include "inf_check.h"

#include <map>
#include <set>

#include "generators.h"
#include "hardware_id.h"
#include "inf_models.h"
#include "invariants.h"
#include "repo_files.h"

namespace aero::contract_tool {
namespace {

using inf::EqualsIgnoreCase;
using inf::InfFile;
using inf::InfLine;
using inf::InfSection;

std::string BaseName(const std::string& path) {
  const std::size_t slash = path.find_last_of("\\/");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class InfChecker {
 public:
  InfChecker(const Contract& contract, const InfFile& inf, std::string display)
      : c_(contract), inf_(inf), file_(std::move(display)) {
    for (const Driver& d : c_.drivers) {
      for (const std::string& id : DriverHardwareIds(c_, d)) {
        id_owner_.emplace(inf::ToUpperAscii(id), d.name);
      }
    }
  }

  std::vector<Diagnostic> Run() {
    const std::string base = inf::ToLowerAscii(BaseName(file_));
    for (const Driver& d : c_.drivers) {
      if (d.inf == base) {
        driver_ = &d;
      }
    }
    if (driver_ == nullptr) {
      std::string known;
      for (const Driver& d : c_.drivers) {
        known += (known.empty() ? "" : ", ") + d.inf;
      }
      Error(0, "INF is not a driver package of the contract (expected one of: " + known + ")");
      return std::move(errors_);
    }
    CheckVersion();
    CheckModels();
    return std::move(errors_);
  }

 private:
  void Error(int line, const std::string& message) {
    Diagnostic d = line > 0 ? AtLine(file_, line, message) : InFile(file_, message);
    if (reported_.insert(d.ToString()).second) {
      errors_.push_back(std::move(d));
    }
  }

  void CheckVersion() {
    const InfSection* version = inf_.FindSection("Version");
    if (version == nullptr) {
      Error(0, "no [Version] section");
      return;
    }
    const InfLine* signature = version->FindKey("Signature");
    if (signature == nullptr || signature->values.empty() ||
        !(EqualsIgnoreCase(signature->values[0], "$Windows NT$") ||
          EqualsIgnoreCase(signature->values[0], "$Chicago$"))) {
      Error(signature != nullptr ? signature->line_number : version->line_number,
            "[Version] Signature must be \"$Windows NT$\"");
    }
    CheckVersionValue(*version, "Class", driver_->class_name);
    CheckVersionValue(*version, "ClassGuid", driver_->class_guid);
  }

  void CheckVersionValue(const InfSection& version, const char* key, const std::string& wanted) {
    const InfLine* line = version.FindKey(key);
    if (line == nullptr) {
      Error(version.line_number,
            std::string("[Version] has no ") + key + " (the contract says " + wanted + ")");
    } else if (line->values.empty() || !EqualsIgnoreCase(line->values[0], wanted)) {
      Error(line->line_number, std::string(key) + " is '" +
                                   (line->values.empty() ? std::string() : line->values[0]) +
                                   "' but the contract says '" + wanted + "'");
    }
  }

  void CheckModels() {
    const std::vector<std::string> wanted = DriverHardwareIds(c_, *driver_);
    const std::vector<inf::ModelsSectionRef> refs = inf::FollowManufacturer(inf_);
    const InfSection* manufacturer = inf_.FindSection("Manufacturer");
    if (refs.empty()) {
      Error(manufacturer != nullptr ? manufacturer->line_number : 0,
            "no [Manufacturer] models: the INF binds none of " + std::to_string(wanted.size()) +
                " contract hardware IDs");
      return;
    }
    for (const std::string& decoration : driver_->inf_models.decorations) {
      bool listed = false;
      for (const inf::ModelsSectionRef& ref : refs) {
        listed = listed || EqualsIgnoreCase(ref.decoration, decoration);
      }
      if (!listed) {
        Error(refs.front().manufacturer_line, "[Manufacturer] does not list the decoration " +
                                                  decoration + " the contract requires");
      }
    }
    for (const inf::ModelsSectionRef& ref : refs) {
      if (ref.section == nullptr) {
        Error(ref.manufacturer_line, "models section [" + ref.section_name + "] is missing");
        continue;
      }
      CheckModelsSection(ref, wanted);
    }
  }

  void CheckModelsSection(const inf::ModelsSectionRef& ref,
                          const std::vector<std::string>& wanted) {
    const std::string architecture = inf::ArchitectureOfDecoration(ref.decoration);
    std::set<std::string> bound;
    for (const inf::ModelEntry& entry : inf::ReadModels(*ref.section)) {
      if (entry.install_section.empty()) {
        Error(entry.line_number,
              "malformed model entry in [" + ref.section_name +
                  "] (expected: description = install-section, hardware-id[, ...])");
        continue;
      }
      for (const std::string& id : entry.ids) {
        if (CheckBoundId(id, entry.line_number)) {
          bound.insert(inf::ToUpperAscii(id));
        }
      }
      CheckInstall(entry, architecture);
    }
    for (const std::string& id : wanted) {
      if (bound.count(inf::ToUpperAscii(id)) == 0) {
        Error(ref.section->line_number,
              "[" + ref.section->name + "] misses hardware ID " + id + " of the contract");
      }
    }
  }

  // Classifies one ID bound by a model line; true when it is one of this driver's contract IDs.
  bool CheckBoundId(const std::string& id, int line) {
    std::string parse_error;
    std::optional<PciHardwareId> pci = ParsePciHardwareId(id, &parse_error);
    std::string reason;
    if (pci && pci->device_id &&
        IsForbiddenIdentity(c_, pci->vendor_id, *pci->device_id, &reason)) {
      Error(line, "binds " + id + ", a forbidden identity: " + reason);
      return false;
    }
    if (pci && !pci->device_id && IsForbiddenIdentity(c_, pci->vendor_id, 0x0000, &reason)) {
      Error(line, "binds " + id + ", a forbidden identity: " + reason);
      return false;
    }
    if (pci && !pci->revision_gated()) {
      Error(line, "binds " + id + ", which is not revision-gated (&REV_xx)");
      return false;
    }
    auto owner = id_owner_.find(inf::ToUpperAscii(id));
    if (owner == id_owner_.end()) {
      Error(line, "binds " + id + ", which is not in the contract");
      return false;
    }
    if (owner->second != driver_->name) {
      Error(line, "binds " + id + ", which the contract assigns to driver " + owner->second);
      return false;
    }
    return true;
  }

  void CheckInstall(const inf::ModelEntry& entry, const std::string& architecture) {
    std::string resolved;
    if (inf::ResolveInstallSection(inf_, entry.install_section, architecture, &resolved) ==
        nullptr) {
      Error(entry.line_number, "install section [" + entry.install_section + "] not found");
      return;
    }
    const std::vector<inf::AddServiceEntry> services = inf::FindAddServices(inf_, resolved);
    const InfSection* services_section = inf_.FindSection(resolved + ".Services");
    const inf::AddServiceEntry* function_driver = nullptr;
    for (const inf::AddServiceEntry& service : services) {
      if (!service.flags) {
        Error(service.line_number, "AddService flags are not a number");
        continue;
      }
      if ((*service.flags & inf::kSpsvcinstAssocService) == 0) {
        continue;
      }
      if (function_driver != nullptr) {
        Error(service.line_number,
              "second AddService with SPSVCINST_ASSOCSERVICE in [" + resolved + ".Services]");
        continue;
      }
      function_driver = &service;
    }
    if (function_driver == nullptr) {
      Error(services_section != nullptr ? services_section->line_number : entry.line_number,
            "[" + resolved + ".Services] has no AddService with SPSVCINST_ASSOCSERVICE (0x2) for " +
                driver_->service);
      return;
    }
    if (function_driver->service_name != driver_->service) {
      Error(function_driver->line_number, "installs service '" + function_driver->service_name +
                                              "' but the contract says '" + driver_->service + "'");
    }
    CheckServiceInstall(*function_driver);
  }

  void CheckServiceInstall(const inf::AddServiceEntry& service) {
    const InfSection* section = inf_.FindSection(service.service_install_section);
    if (section == nullptr) {
      Error(service.line_number,
            "service-install section [" + service.service_install_section + "] not found");
      return;
    }
    const InfLine* binary = section->FindKey("ServiceBinary");
    if (binary == nullptr || binary->values.empty()) {
      Error(section->line_number, "[" + section->name + "] has no ServiceBinary");
    } else if (!EqualsIgnoreCase(BaseName(binary->values[0]), driver_->sys)) {
      Error(binary->line_number, "ServiceBinary is '" + binary->values[0] +
                                     "' but the contract's driver binary is " + driver_->sys);
    }
    CheckNumber(*section, "ServiceType", driver_->service_type, "kernel driver");
    CheckNumber(*section, "StartType", static_cast<std::uint32_t>(driver_->start_type),
                StartTypeName(driver_->start_type));
    CheckNumber(*section, "ErrorControl", static_cast<std::uint32_t>(driver_->error_control),
                ErrorControlName(driver_->error_control));
    const InfLine* group = section->FindKey("LoadOrderGroup");
    const std::string actual = group != nullptr && !group->values.empty() ? group->values[0] : "";
    const std::string wanted = driver_->load_order_group.value_or("");
    if (!EqualsIgnoreCase(actual, wanted)) {
      Error(group != nullptr ? group->line_number : section->line_number,
            "LoadOrderGroup is '" + actual + "' but the contract says '" + wanted + "'");
    }
  }

  void CheckNumber(const InfSection& section, const char* key, std::uint32_t wanted,
                   const char* meaning) {
    const InfLine* line = section.FindKey(key);
    if (line == nullptr || line->values.empty()) {
      Error(section.line_number, "[" + section.name + "] has no " + key + " (the contract says " +
                                     std::to_string(wanted) + ", " + meaning + ")");
      return;
    }
    const std::optional<std::uint32_t> value = inf::ParseInfNumber(line->values[0]);
    if (!value || *value != wanted) {
      Error(line->line_number, std::string(key) + " is '" + line->values[0] +
                                   "' but the contract says " + std::to_string(wanted) + " (" +
                                   meaning + ")");
    }
  }

  const Contract& c_;
  const InfFile& inf_;
  std::string file_;
  const Driver* driver_ = nullptr;
  std::map<std::string, std::string> id_owner_;  // upper-case hardware ID -> driver
  std::vector<Diagnostic> errors_;
  std::set<std::string> reported_;
};

}  // namespace

std::vector<Diagnostic> CheckInf(const Contract& contract, const inf::InfFile& inf,
                                 const std::string& display_name) {
  return InfChecker(contract, inf, display_name).Run();
}

std::vector<Diagnostic> CheckRepositoryInfs(const Contract& contract,
                                            const std::filesystem::path& root, int* infs_checked) {
  std::vector<Diagnostic> errors;
  std::vector<std::string> walk_errors;
  const std::vector<std::filesystem::path> infs = FindInfFiles(root, &walk_errors);
  errors.reserve(walk_errors.size());
  for (const std::string& e : walk_errors) {
    errors.push_back(InFile(DisplayPath(root), e));
  }
  std::map<std::string, std::string> seen;  // lower-case file name -> first path
  *infs_checked = 0;
  for (const std::filesystem::path& relative : infs) {
    const std::string display = DisplayPath(relative);
    const std::string name = inf::ToLowerAscii(relative.filename().string());
    auto [it, fresh] = seen.emplace(name, display);
    if (!fresh) {
      errors.push_back(InFile(display, "second INF named " + name + " (also " + it->second +
                                           "): one package per driver"));
    }
    inf::InfParseResult parsed = inf::ParseInfFile(root / relative);
    ++*infs_checked;
    if (!parsed.ok()) {
      Diagnostic d = parsed.error.line > 0
                         ? AtLine(display, parsed.error.line, parsed.error.message)
                         : InFile(display, parsed.error.message);
      errors.push_back(std::move(d));
      continue;
    }
    std::vector<Diagnostic> found = CheckInf(contract, *parsed.inf, display);
    errors.insert(errors.end(), found.begin(), found.end());
  }
  return errors;
}

}  // namespace aero::contract_tool
