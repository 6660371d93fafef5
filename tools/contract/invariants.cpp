#include "invariants.h"

#include <algorithm>
#include <map>
#include <set>

#include "hardware_id.h"
#include "names.h"

namespace aero::contract_tool {
namespace {

std::string Hex4(std::uint64_t v) {
  return "0x" + Hex(v, 4);
}

bool IsPowerOfTwo(std::uint64_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

class Checker {
 public:
  Checker(const Contract& contract, std::string file) : c_(contract), file_(std::move(file)) {}

  std::vector<Diagnostic> Run() {
    CheckVirtioCommon();
    CheckDrivers();
    CheckForbiddenList();
    std::set<std::string> names;
    int aerogpu_count = 0;
    for (const Device& device : c_.devices) {
      if (!names.insert(device.name).second) {
        Error(device.pointer + "/name", "duplicate device name '" + device.name + "'");
      }
      CheckDevice(device);
      if (device.kind == DeviceKind::kAerogpu && ++aerogpu_count > 1) {
        Error(device.pointer, "more than one AeroGPU device");
      }
    }
    CheckHardwareIdsAcrossDevices();
    return std::move(errors_);
  }

 private:
  void Error(const std::string& pointer, std::string message) {
    errors_.push_back(AtPointer(file_, pointer, std::move(message)));
  }

  void CheckVirtioCommon() {
    const VirtioCommon& v = c_.virtio;
    if (v.vendor_id != kVirtioVendorId) {
      Error("/virtio/vendor_id", "virtio vendor ID must be 0x1AF4, not " + Hex4(v.vendor_id));
    }
    if (v.modern_device_id_base != kVirtioModernDeviceIdBase) {
      Error("/virtio/modern_device_id_base",
            "modern virtio device IDs start at 0x1040, not " + Hex4(v.modern_device_id_base));
    }
    if (v.transitional_first != kVirtioTransitionalFirst ||
        v.transitional_last != kVirtioTransitionalLast) {
      Error("/virtio/transitional_device_ids",
            "transitional virtio device IDs are 0x1000-0x103F, not " + Hex4(v.transitional_first) +
                "-" + Hex4(v.transitional_last));
    }
    if (v.isr_queue_bit == v.isr_config_bit) {
      Error("/virtio/isr_config_bit", "ISR queue and config-change bits must differ");
    }
    if (v.min_notify_capability_length < v.min_capability_length) {
      Error("/virtio/min_notify_capability_length",
            "the notify capability is longer than the minimum capability");
    }
  }

  void CheckDrivers() {
    std::map<std::string, std::string> seen;
    for (const Driver& d : c_.drivers) {
      const std::string& p = d.pointer;
      if (!seen.emplace(d.name, p).second) {
        Error(p + "/name", "duplicate driver name '" + d.name + "' (also " + seen[d.name] + ")");
      }
      if (d.service != d.name) {
        Error(p + "/service", "service name '" + d.service + "' must equal the driver name '" +
                                  d.name + "' (one base name for .sys, service, INF and catalog)");
      }
      if (d.inf != d.name + ".inf") {
        Error(p + "/inf", "INF file '" + d.inf + "' must be named '" + d.name +
                              ".inf' (INF base name = service name)");
      }
      if (d.sys != d.name + ".sys") {
        Error(p + "/sys", "driver binary '" + d.sys + "' must be named '" + d.name +
                              ".sys' (.sys base name = service name)");
      }
      const char* guid = SystemClassGuid(d.class_name);
      if (guid == nullptr) {
        Error(p + "/class", "unknown device class '" + d.class_name + "'");
      } else if (d.class_guid != guid) {
        Error(p + "/class_guid", "class GUID " + d.class_guid + " is not the GUID of class " +
                                     d.class_name + " (" + guid + ")");
      }
      if (d.boot_critical && d.start_type != StartType::kBoot) {
        Error(p + "/start_type", "a boot-critical driver must be boot-start, not '" +
                                     std::string(StartTypeName(d.start_type)) + "'");
      }
      if (!d.boot_critical && d.start_type == StartType::kBoot) {
        Error(p + "/boot_critical", "a boot-start driver must be marked boot_critical");
      }
      if (d.boot_critical && !d.load_order_group) {
        Error(p + "/load_order_group", "a boot-critical driver needs a load-order group");
      }
      CheckDecorations(d);
      const bool used = std::any_of(c_.devices.begin(), c_.devices.end(),
                                    [&d](const Device& dev) { return dev.driver == d.name; });
      if (!used) {
        Error(p, "driver '" + d.name + "' binds no device");
      }
    }
  }

  void CheckDecorations(const Driver& d) {
    const std::string p = d.pointer + "/inf_models/decorations";
    std::set<std::string> seen;
    bool x86 = false;
    bool amd64 = false;
    for (std::size_t i = 0; i < d.inf_models.decorations.size(); ++i) {
      const std::string& decoration = d.inf_models.decorations[i];
      if (!seen.insert(decoration).second) {
        Error(p + "/" + std::to_string(i), "duplicate decoration '" + decoration + "'");
      }
      x86 = x86 || decoration.rfind("NTx86", 0) == 0;
      amd64 = amd64 || decoration.rfind("NTamd64", 0) == 0;
    }
    if (!x86 || !amd64) {
      Error(p, "decorations must cover both NTx86 and NTamd64 (Windows 7 x86 and x64)");
    }
    if (d.inf_models.section == d.inf_models.install_section) {
      Error(d.pointer + "/inf_models/install_section",
            "the install section must differ from the models section");
    }
  }

  void CheckForbiddenList() {
    for (std::uint16_t legacy : kLegacyAerogpuVendorIds) {
      const bool listed =
          std::any_of(c_.forbidden.begin(), c_.forbidden.end(), [legacy](const auto& f) {
            return f.vendor_id == legacy && !f.device_id_first && !f.device_id_last;
          });
      if (!listed) {
        Error("/forbidden_identities", "the legacy AeroGPU vendor " + Hex4(legacy) +
                                           " must be listed as forbidden (all device IDs)");
      }
    }
    for (const ForbiddenIdentity& f : c_.forbidden) {
      if (f.device_id_first && f.device_id_last && *f.device_id_first > *f.device_id_last) {
        Error(f.pointer, "device_id_first " + Hex4(*f.device_id_first) +
                             " is after device_id_last " + Hex4(*f.device_id_last));
      }
    }
  }

  void CheckDevice(const Device& device) {
    const std::string& p = device.pointer;
    const Driver* driver = c_.FindDriver(device.driver);
    if (driver == nullptr) {
      Error(p + "/driver", "unknown driver '" + device.driver + "'");
    }
    const PciIdentity& pci = device.pci;
    if (pci.revision_id != c_.version_major) {
      Error(p + "/pci/revision_id", "revision 0x" + Hex(pci.revision_id, 2) +
                                        " must equal the contract major version " +
                                        std::to_string(c_.version_major));
    }
    std::string reason;
    if (IsForbiddenIdentity(c_, pci.vendor_id, pci.device_id, &reason)) {
      Error(p + "/pci", "identity VEN_" + Hex(pci.vendor_id, 4) + "&DEV_" + Hex(pci.device_id, 4) +
                            " is forbidden: " + reason);
    }
    if (device.kind == DeviceKind::kVirtio) {
      CheckVirtioDevice(device);
    } else {
      CheckAerogpuDevice(device);
    }
    CheckHardwareIds(device);
    CheckBars(device);
    CheckDeviceConfig(device);
    if (!device.intx_mandatory) {
      Error(p + "/interrupts/intx", "INTx must be mandatory");
    }
  }

  void CheckVirtioDevice(const Device& device) {
    const std::string& p = device.pointer;
    if (!device.virtio) {
      Error(p, "a virtio device needs a 'virtio' section");
      return;
    }
    if (device.aerogpu) {
      Error(p + "/aerogpu", "a virtio device cannot have an 'aerogpu' section");
    }
    const VirtioDevice& v = *device.virtio;
    const PciIdentity& pci = device.pci;
    if (pci.vendor_id != kVirtioVendorId) {
      Error(p + "/pci/vendor_id", "virtio devices use vendor 0x1AF4, not " + Hex4(pci.vendor_id));
    }
    if (pci.subsystem_vendor_id != kVirtioVendorId) {
      Error(p + "/pci/subsystem_vendor_id",
            "virtio devices use subsystem vendor 0x1AF4, not " + Hex4(pci.subsystem_vendor_id));
    }
    const std::uint32_t expected = kVirtioModernDeviceIdBase + v.type;
    if (pci.device_id != expected) {
      Error(p + "/pci/device_id", "device ID " + Hex4(pci.device_id) +
                                      " must be 0x1040 + virtio type " + std::to_string(v.type) +
                                      " = " + Hex4(expected));
    }
    const std::uint32_t transitional = kVirtioTransitionalFirst - 1 + v.type;
    if (v.transitional_device_id != transitional ||
        v.transitional_device_id < kVirtioTransitionalFirst ||
        v.transitional_device_id > kVirtioTransitionalLast) {
      Error(p + "/virtio/transitional_device_id",
            "transitional device ID " + Hex4(v.transitional_device_id) + " must be 0x0FFF + type " +
                std::to_string(v.type) + " = " + Hex4(transitional) + " within 0x1000-0x103F");
    }
    std::set<std::string> queue_names;
    for (std::size_t i = 0; i < v.queues.size(); ++i) {
      const Queue& q = v.queues[i];
      if (q.index != i) {
        Error(q.pointer + "/index", "queue index " + std::to_string(q.index) +
                                        " breaks the dense order from 0 (expected " +
                                        std::to_string(i) + ")");
      }
      if (!IsPowerOfTwo(q.size) || q.size > 32768) {
        Error(q.pointer + "/size",
              "queue size " + std::to_string(q.size) + " is not a power of two up to 32768");
      }
      if (!queue_names.insert(PascalCase(q.name)).second) {
        Error(q.pointer + "/name", "duplicate queue name '" + q.name + "'");
      }
    }
    const auto has_version1 =
        std::any_of(v.features.required.begin(), v.features.required.end(),
                    [](const Feature& f) { return f.bit == kVirtioFVersion1; });
    if (!has_version1) {
      Error(p + "/virtio/features/required", "VERSION_1 (bit 32) must be required");
    }
    CheckFeatures(v.features);
    if (v.notify_off_multiplier % 2 != 0) {
      Error(p + "/virtio/notify_off_multiplier",
            "notify_off_multiplier " + std::to_string(v.notify_off_multiplier) + " must be even");
    }
    CheckVirtioRegions(device);
  }

  void CheckVirtioRegions(const Device& device) {
    const VirtioDevice& v = *device.virtio;
    static constexpr const char* kCapNames[] = {"", "common", "notify", "ISR", "device"};
    std::map<std::uint32_t, const BarRegion*> caps;
    const BarRegion* msix = nullptr;
    for (const Bar& bar : device.bars) {
      for (const BarRegion& r : bar.regions) {
        if (r.name == "msix_table") {
          msix = &r;
        }
        if (!r.virtio_cfg_type) {
          continue;
        }
        if (!caps.emplace(*r.virtio_cfg_type, &r).second) {
          Error(r.pointer + "/virtio_cfg_type",
                "virtio cfg_type " + std::to_string(*r.virtio_cfg_type) + " appears twice");
        }
      }
    }
    for (std::uint32_t type = 1; type <= 4; ++type) {
      if (caps.find(type) == caps.end()) {
        Error(device.pointer + "/bars", "missing the virtio " + std::string(kCapNames[type]) +
                                            " configuration region (cfg_type " +
                                            std::to_string(type) + ")");
      }
    }
    auto common = caps.find(1);
    if (common != caps.end() && common->second->length < c_.virtio.common_cfg_used_length) {
      Error(common->second->pointer + "/length", "the common configuration region must hold the " +
                                                     Hex4(c_.virtio.common_cfg_used_length) +
                                                     " bytes of virtio_pci_common_cfg");
    }
    auto notify = caps.find(2);
    if (notify != caps.end() && !v.queues.empty()) {
      const std::uint64_t last_doorbell =
          static_cast<std::uint64_t>(v.notify_off_multiplier) * (v.queues.size() - 1) + 2;
      if (last_doorbell > notify->second->length) {
        Error(device.pointer + "/virtio/notify_off_multiplier",
              "queue " + std::to_string(v.queues.size() - 1) + "'s 16-bit doorbell ends at " +
                  Hex4(last_doorbell) + ", past the notify region (" +
                  Hex4(notify->second->length) + " bytes)");
      }
    }
    if (device.msix == MsixSupport::kOptional) {
      const std::uint64_t needed = 16 * (v.queues.size() + 1);
      if (msix == nullptr) {
        Error(device.pointer + "/bars", "MSI-X is optional but no 'msix_table' region is listed");
      } else if (msix->length != needed) {
        Error(msix->pointer + "/length", "the MSI-X table for " + std::to_string(v.queues.size()) +
                                             " queues needs " + Hex4(needed) +
                                             " bytes (16 per vector, queues + 1 vectors), not " +
                                             Hex4(msix->length));
      }
    } else if (msix != nullptr) {
      Error(msix->pointer, "MSI-X is unsupported but an 'msix_table' region is listed");
    }
  }

  void CheckAerogpuDevice(const Device& device) {
    const std::string& p = device.pointer;
    if (!device.aerogpu) {
      Error(p, "an AeroGPU device needs an 'aerogpu' section");
      return;
    }
    if (device.virtio) {
      Error(p + "/virtio", "an AeroGPU device cannot have a 'virtio' section");
    }
    const PciIdentity& pci = device.pci;
    if (pci.vendor_id != kAerogpuVendorId || pci.device_id != kAerogpuDeviceId ||
        pci.subsystem_vendor_id != kAerogpuVendorId || pci.subsystem_id != kAerogpuDeviceId) {
      Error(p + "/pci", "the AeroGPU identity must be VEN_A3A0&DEV_0001&SUBSYS_0001A3A0, not VEN_" +
                            Hex(pci.vendor_id, 4) + "&DEV_" + Hex(pci.device_id, 4) + "&SUBSYS_" +
                            Hex(pci.subsystem_id, 4) + Hex(pci.subsystem_vendor_id, 4));
    }
    if (pci.class_code.base != 0x03 || pci.class_code.subclass != 0x00 ||
        pci.class_code.prog_if != 0x00) {
      Error(p + "/pci/class_code", "AeroGPU is a VGA-compatible display controller (03/00/00)");
    }
    if (device.aerogpu->mmio_magic != kAerogpuMmioMagic) {
      Error(p + "/aerogpu/mmio_magic", "the AeroGPU MMIO magic is 0x55504741 (\"AGPU\")");
    }
    CheckFeatures(device.aerogpu->features);
    for (const Bar& bar : device.bars) {
      for (const BarRegion& r : bar.regions) {
        if (r.virtio_cfg_type) {
          Error(r.pointer + "/virtio_cfg_type", "AeroGPU regions have no virtio cfg_type");
        }
      }
    }
    if (device.msix != MsixSupport::kUnsupported) {
      Error(p + "/interrupts/msix", "AeroGPU has no MSI-X (INTA# only)");
    }
  }

  void CheckFeatures(const FeatureSets& sets) {
    std::map<std::uint32_t, const Feature*> bits;
    std::map<std::string, const Feature*> names;
    const std::pair<const char*, const std::vector<Feature>*> lists[] = {
        {"required", &sets.required}, {"optional", &sets.optional}, {"forbidden", &sets.forbidden}};
    for (const auto& [set, list] : lists) {
      for (const Feature& f : *list) {
        if (f.bit > 63) {
          Error(f.pointer + "/bit", "feature bit " + std::to_string(f.bit) + " is beyond 63");
        }
        auto [bit_it, bit_new] = bits.emplace(f.bit, &f);
        if (!bit_new) {
          Error(f.pointer + "/bit", "bit " + std::to_string(f.bit) + " (" + f.name +
                                        ") is already listed at " + bit_it->second->pointer + " (" +
                                        bit_it->second->name +
                                        "): required, optional and forbidden must be disjoint");
        }
        auto [name_it, name_new] = names.emplace(PascalCase(f.name), &f);
        if (!name_new) {
          Error(f.pointer + "/name",
                "feature name " + f.name + " is already listed at " + name_it->second->pointer);
        }
        if (std::string(set) == "required" && !f.offered) {
          Error(f.pointer + "/offered", "required feature " + f.name + " must be offered");
        }
        if (std::string(set) == "forbidden" && f.offered) {
          Error(f.pointer + "/offered", "forbidden feature " + f.name + " cannot be offered");
        }
      }
    }
  }

  void CheckHardwareIds(const Device& device) {
    const std::string base = device.pointer + "/hardware_ids/";
    const PciIdentity& pci = device.pci;
    std::map<std::string, std::size_t> seen;
    bool generic_seen = false;
    for (std::size_t i = 0; i < device.hardware_ids.size(); ++i) {
      const std::string& text = device.hardware_ids[i];
      const std::string p = base + std::to_string(i);
      auto [it, fresh] = seen.emplace(text, i);
      if (!fresh) {
        Error(p,
              "duplicate hardware ID " + text + " (also index " + std::to_string(it->second) + ")");
        continue;
      }
      std::string error;
      std::optional<PciHardwareId> id = ParsePciHardwareId(text, &error);
      if (!id) {
        Error(p, "not a PCI hardware ID: " + error);
        continue;
      }
      const std::string canonical = FormatPciHardwareId(*id);
      if (canonical != text) {
        std::string message = "hardware ID " + text;
        message += " is not in canonical form (" + canonical + ")";
        Error(p, message);
      }
      if (id->class_code) {
        Error(p, "class-code ID " + text + " is not a bindable hardware ID");
        continue;
      }
      if (!id->device_id) {
        Error(p, "hardware ID " + text + " has no DEV_ part");
        continue;
      }
      if (!id->revision_gated()) {
        Error(p, "hardware ID " + text + " is not revision-gated (add &REV_" +
                     Hex(pci.revision_id, 2) + ")");
      } else if (*id->revision_id != pci.revision_id) {
        Error(p, "REV_" + Hex(*id->revision_id, 2) + " in " + text +
                     " does not match the device revision 0x" + Hex(pci.revision_id, 2));
      }
      std::string reason;
      if (IsForbiddenIdentity(c_, id->vendor_id, *id->device_id, &reason)) {
        std::string message = "hardware ID " + text;
        message += " binds a forbidden identity: " + reason;
        Error(p, message);
      }
      if (id->vendor_id != pci.vendor_id || *id->device_id != pci.device_id) {
        Error(p, "VEN_" + Hex(id->vendor_id, 4) + "&DEV_" + Hex(*id->device_id, 4) + " in " + text +
                     " does not match the device identity VEN_" + Hex(pci.vendor_id, 4) + "&DEV_" +
                     Hex(pci.device_id, 4));
      }
      if (id->has_subsystem()) {
        if (*id->subsystem_id != pci.subsystem_id ||
            *id->subsystem_vendor_id != pci.subsystem_vendor_id) {
          Error(p, "SUBSYS_" + Hex(*id->subsystem_id, 4) + Hex(*id->subsystem_vendor_id, 4) +
                       " in " + text + " does not match the device subsystem SUBSYS_" +
                       Hex(pci.subsystem_id, 4) + Hex(pci.subsystem_vendor_id, 4));
        }
        if (generic_seen) {
          Error(p, "hardware IDs must be most specific first: " + text +
                       " comes after an ID without SUBSYS");
        }
      } else {
        if (i == 0) {
          Error(p, "the first hardware ID must be the most specific one (with SUBSYS and REV)");
        }
        generic_seen = true;
      }
    }
  }

  void CheckHardwareIdsAcrossDevices() {
    // An ID may appear in several devices only when it is the generic form (no SUBSYS) shared by
    // functions of one driver, e.g. the three virtio-input functions.
    std::map<std::string, std::pair<const Device*, std::size_t>> owners;
    for (const Device& device : c_.devices) {
      std::set<std::string> own;
      for (std::size_t i = 0; i < device.hardware_ids.size(); ++i) {
        const std::string& text = device.hardware_ids[i];
        if (!own.insert(text).second) {
          continue;  // reported as a duplicate within the device
        }
        auto [it, fresh] = owners.emplace(text, std::make_pair(&device, i));
        if (fresh) {
          continue;
        }
        const Device& other = *it->second.first;
        std::string error;
        std::optional<PciHardwareId> id = ParsePciHardwareId(text, &error);
        const bool shareable = id && !id->has_subsystem() && other.driver == device.driver;
        if (!shareable) {
          Error(device.pointer + "/hardware_ids/" + std::to_string(i),
                "hardware ID " + text + " is also bound by " + other.pointer + " (" + other.name +
                    "): hardware IDs must be unique across devices" +
                    (other.driver == device.driver
                         ? std::string(" (only the generic ID without SUBSYS may be shared)")
                         : " (they belong to different drivers)"));
        }
      }
    }
  }

  void CheckBars(const Device& device) {
    std::map<std::uint32_t, const Bar*> indices;
    std::map<std::string, const BarRegion*> region_names;
    for (const Bar& bar : device.bars) {
      if (!indices.emplace(bar.index, &bar).second) {
        Error(bar.pointer + "/index", "BAR " + std::to_string(bar.index) + " is listed twice");
      }
      if (bar.type == BarType::kMmio64 && bar.index == 5) {
        Error(bar.pointer + "/type", "a 64-bit BAR cannot start at index 5");
      }
      const std::uint64_t minimum = bar.type == BarType::kIo ? 4 : 16;
      if (!IsPowerOfTwo(bar.size) || bar.size < minimum) {
        Error(bar.pointer + "/size", "BAR size 0x" + Hex(bar.size, 1) +
                                         " is not a power of two of at least " +
                                         std::to_string(minimum) + " bytes");
      }
      std::vector<const BarRegion*> sorted;
      for (const BarRegion& r : bar.regions) {
        if (!region_names.emplace(PascalCase(r.name), &r).second) {
          Error(r.pointer + "/name", "duplicate region name '" + r.name + "'");
        }
        if (r.length == 0) {
          Error(r.pointer + "/length", "region " + r.name + " is empty");
        }
        if (r.offset % 4 != 0) {
          Error(r.pointer + "/offset",
                "region " + r.name + " offset 0x" + Hex(r.offset, 4) + " is not 4-byte aligned");
        }
        if (r.offset > bar.size || r.length > bar.size - r.offset) {
          Error(r.pointer, "region " + r.name + " [0x" + Hex(r.offset, 4) + ", +0x" +
                               Hex(r.length, 4) + ") extends past the end of BAR " +
                               std::to_string(bar.index) + " (0x" + Hex(bar.size, 4) + " bytes)");
        }
        sorted.push_back(&r);
      }
      std::sort(sorted.begin(), sorted.end(),
                [](const BarRegion* a, const BarRegion* b) { return a->offset < b->offset; });
      for (std::size_t i = 1; i < sorted.size(); ++i) {
        const BarRegion& prev = *sorted[i - 1];
        const BarRegion& cur = *sorted[i];
        if (prev.length > 0 && cur.offset - prev.offset < prev.length) {
          Error(cur.pointer, "region " + cur.name + " at 0x" + Hex(cur.offset, 4) +
                                 " overlaps region " + prev.name + " [0x" + Hex(prev.offset, 4) +
                                 ", 0x" + Hex(prev.offset + prev.length, 4) + ")");
        }
      }
    }
    for (const auto& [index, bar] : indices) {
      if (bar->type != BarType::kMmio64) {
        continue;
      }
      auto upper = indices.find(index + 1);
      if (upper != indices.end()) {
        Error(upper->second->pointer + "/index", "BAR " + std::to_string(index + 1) +
                                                     " is the upper half of 64-bit BAR " +
                                                     std::to_string(index));
      }
    }
  }

  void CheckDeviceConfig(const Device& device) {
    const std::string p = device.pointer + "/device_config";
    const BarRegion* region = nullptr;
    for (const Bar& bar : device.bars) {
      for (const BarRegion& r : bar.regions) {
        if (r.name == device.device_config_region) {
          region = &r;
        }
      }
    }
    if (region == nullptr) {
      Error(p + "/region", "no BAR region named '" + device.device_config_region + "'");
      return;
    }
    if (device.kind == DeviceKind::kVirtio &&
        (!region->virtio_cfg_type || *region->virtio_cfg_type != 4)) {
      Error(p + "/region", "the device configuration of a virtio device is its cfg_type 4 region");
    }
    std::set<std::string> names;
    std::vector<const ConfigField*> sorted;
    for (const ConfigField& f : device.config_fields) {
      if (!names.insert(PascalCase(f.name)).second) {
        Error(f.pointer + "/name", "duplicate config field '" + f.name + "'");
      }
      if (f.offset > region->length || f.size > region->length - f.offset) {
        Error(f.pointer, "field " + f.name + " [0x" + Hex(f.offset, 2) + ", +" +
                             std::to_string(f.size) +
                             ") extends past the device-config region (0x" +
                             Hex(region->length, 4) + " bytes)");
      }
      sorted.push_back(&f);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const ConfigField* a, const ConfigField* b) { return a->offset < b->offset; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i]->offset - sorted[i - 1]->offset < sorted[i - 1]->size) {
        Error(sorted[i]->pointer,
              "field " + sorted[i]->name + " overlaps field " + sorted[i - 1]->name);
      }
    }
  }

  const Contract& c_;
  std::string file_;
  std::vector<Diagnostic> errors_;
};

}  // namespace

const char* SystemClassGuid(const std::string& class_name) {
  static constexpr std::pair<const char*, const char*> kClasses[] = {
      {"SCSIAdapter", "{4D36E97B-E325-11CE-BFC1-08002BE10318}"},
      {"Net", "{4D36E972-E325-11CE-BFC1-08002BE10318}"},
      {"HIDClass", "{745A17A0-74D3-11D0-B6FE-00A0C90F57DA}"},
      {"MEDIA", "{4D36E96C-E325-11CE-BFC1-08002BE10318}"},
      {"Display", "{4D36E968-E325-11CE-BFC1-08002BE10318}"},
  };
  for (const auto& [name, guid] : kClasses) {
    if (class_name == name) {
      return guid;
    }
  }
  return nullptr;
}

bool IsForbiddenIdentity(const Contract& contract, std::uint16_t vendor_id, std::uint16_t device_id,
                         std::string* reason) {
  for (const ForbiddenIdentity& f : contract.forbidden) {
    if (f.vendor_id != vendor_id) {
      continue;
    }
    const bool in_range = !f.device_id_first || !f.device_id_last ||
                          (device_id >= *f.device_id_first && device_id <= *f.device_id_last);
    if (in_range) {
      *reason = f.reason;
      return true;
    }
  }
  if (vendor_id == kVirtioVendorId && device_id >= kVirtioTransitionalFirst &&
      device_id <= kVirtioTransitionalLast) {
    *reason = "transitional virtio device ID (0x1000-0x103F), never bound";
    return true;
  }
  return false;
}

std::vector<Diagnostic> CheckInvariants(const Contract& contract, const std::string& file_name) {
  return Checker(contract, file_name).Run();
}

}  // namespace aero::contract_tool
