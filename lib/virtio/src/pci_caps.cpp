#include "aero/virtio/pci_caps.h"

#include "aero/virtio/spec.h"

namespace aero::virtio {
namespace {

Status Reject(CapDiagnostic* diagnostic, Status status, uint8_t cap_offset) {
  if (diagnostic != nullptr) {
    diagnostic->status = status;
    diagnostic->cap_offset = cap_offset;
    diagnostic->text = StatusText(status);
  }
  return status;
}

bool IsMemoryBar(const BarInfo& bar) {
  return bar.kind == BarKind::kMemory32 || bar.kind == BarKind::kMemory64;
}

// What each structure needs: its minimum length and offset alignment.
struct RegionRule {
  uint32_t min_length;
  uint32_t alignment;
};

RegionRule RuleFor(uint8_t cfg_type) {
  switch (cfg_type) {
    case spec::kCfgCommon:
      return {spec::kCommonCfgMinLength, 4};
    case spec::kCfgNotify:
      return {spec::kNotifyMinLength, 2};
    case spec::kCfgIsr:
      return {spec::kIsrMinLength, 1};
    default:
      return {1, 4};  // device-specific configuration
  }
}

CapRegion* RegionFor(VirtioPciLayout* layout, uint8_t cfg_type) {
  switch (cfg_type) {
    case spec::kCfgCommon:
      return &layout->common;
    case spec::kCfgNotify:
      return &layout->notify;
    case spec::kCfgIsr:
      return &layout->isr;
    case spec::kCfgDevice:
      return &layout->device;
    default:
      return nullptr;
  }
}

// One virtio capability (cfg_type 1..4): validated against the BARs, recorded if it is the first
// usable instance of its type.
Status TakeStructure(Platform& platform, const BarInfo (&bars)[kPciBarCount], bool strict,
                     uint8_t cap, uint8_t cfg_type, VirtioPciLayout* layout,
                     CapDiagnostic* diagnostic) {
  CapRegion* region = RegionFor(layout, cfg_type);
  if (region->present) {
    return Status::kOk;  // the first instance of each type wins
  }
  const uint8_t bar = static_cast<uint8_t>(platform.PciConfigRead32(cap + spec::kCapBarOffset));
  if (bar >= kPciBarCount || !IsMemoryBar(bars[bar])) {
    // Standard: a structure in a BAR the driver cannot use (I/O, reserved) is ignored and a later
    // instance may serve. Strict: the contract has no such structures.
    return strict ? Reject(diagnostic, Status::kPciCapBarInvalid, cap) : Status::kOk;
  }
  const uint32_t offset = platform.PciConfigRead32(cap + spec::kCapRegionOffset);
  const uint32_t length = platform.PciConfigRead32(cap + spec::kCapRegionLengthOffset);
  if (static_cast<uint64_t>(offset) + length > bars[bar].size) {
    return Reject(diagnostic, Status::kPciCapRegionOutOfBar, cap);
  }
  const RegionRule rule = RuleFor(cfg_type);
  if (length < rule.min_length) {
    return Reject(diagnostic, Status::kPciCapRegionTooShort, cap);
  }
  if ((offset & (rule.alignment - 1)) != 0) {
    return Reject(diagnostic, Status::kPciCapRegionMisaligned, cap);
  }
  if (cfg_type == spec::kCfgNotify) {
    const uint32_t multiplier = platform.PciConfigRead32(cap + spec::kCapNotifyMultiplierOffset);
    // 0 (one doorbell for all) or a power of two that keeps 16-bit doorbells aligned.
    if (multiplier == 1 || (multiplier & (multiplier - 1)) != 0) {
      return Reject(diagnostic, Status::kPciNotifyMultiplierInvalid, cap);
    }
    layout->notify_off_multiplier = multiplier;
  }
  region->present = true;
  region->cap_offset = cap;
  region->bar = bar;
  region->offset = offset;
  region->length = length;
  return Status::kOk;
}

Status WalkCapabilities(Platform& platform, const BarInfo (&bars)[kPciBarCount], bool strict,
                        VirtioPciLayout* layout, CapDiagnostic* diagnostic) {
  const uint16_t pci_status = platform.PciConfigRead16(spec::kPciStatusOffset);
  if ((pci_status & spec::kPciStatusCapList) == 0) {
    return Reject(diagnostic, Status::kPciNoCapabilityList, 0);
  }
  uint64_t visited = 0;  // one bit per dword of config space
  uint8_t cap = platform.PciConfigRead8(spec::kPciCapPointerOffset);
  for (int hops = 0; cap != 0; ++hops) {
    if (hops >= kPciMaxCapabilities) {
      return Reject(diagnostic, Status::kPciCapChainTooLong, cap);
    }
    if ((cap & 3) != 0) {
      return Reject(diagnostic, Status::kPciCapPointerMisaligned, cap);
    }
    if (cap < spec::kPciFirstCapOffset) {
      return Reject(diagnostic, Status::kPciCapPointerReserved, cap);
    }
    const uint64_t bit = uint64_t{1} << (cap >> 2);
    if ((visited & bit) != 0) {
      return Reject(diagnostic, Status::kPciCapChainCycle, cap);
    }
    visited |= bit;

    // id, next, cap_len, cfg_type in one dword read (config reads trap as well).
    const uint32_t header = platform.PciConfigRead32(cap);
    const uint8_t id = static_cast<uint8_t>(header);
    const uint8_t next = static_cast<uint8_t>(header >> 8);
    if (id == spec::kPciCapIdMsix && layout->msix_cap_offset == 0) {
      layout->msix_cap_offset = cap;
    } else if (id == spec::kPciCapIdVendor) {
      const uint8_t cap_len = static_cast<uint8_t>(header >> 16);
      const uint8_t cfg_type = static_cast<uint8_t>(header >> 24);
      if (cap_len < spec::kCapMinLength) {
        return Reject(diagnostic, Status::kPciCapTooShort, cap);
      }
      if (static_cast<uint32_t>(cap) + cap_len > spec::kPciConfigSpaceSize) {
        return Reject(diagnostic, Status::kPciCapBeyondConfigSpace, cap);
      }
      if ((cfg_type == spec::kCfgNotify || cfg_type == spec::kCfgPci) &&
          cap_len < spec::kNotifyCapMinLength) {
        return Reject(diagnostic, Status::kPciNotifyCapTooShort, cap);
      }
      if (cfg_type >= spec::kCfgCommon && cfg_type <= spec::kCfgDevice) {
        const Status status =
            TakeStructure(platform, bars, strict, cap, cfg_type, layout, diagnostic);
        if (status != Status::kOk) {
          return status;
        }
      } else if (cfg_type == spec::kCfgPci && layout->pci_cfg_cap_offset == 0) {
        layout->pci_cfg_cap_offset = cap;
      }
      // Other cfg_types (shared memory, vendor data, reserved) are ignored, as the spec asks.
    }
    cap = next;
  }
  return Status::kOk;
}

bool RegionMatches(const CapRegion& region, uint8_t bar, const RegionExpectation& expected) {
  return region.bar == bar && region.offset == expected.offset && region.length == expected.length;
}

Status CheckStrictLayout(const BarInfo (&bars)[kPciBarCount], const AeroStrictExpectations& want,
                         const VirtioPciLayout& layout, CapDiagnostic* diagnostic) {
  if (want.bar >= kPciBarCount || bars[want.bar].kind != want.bar_kind ||
      bars[want.bar].size < want.bar_min_size) {
    return Reject(diagnostic, Status::kPciBarMismatch, 0);
  }
  if (!RegionMatches(layout.common, want.bar, want.common)) {
    return Reject(diagnostic, Status::kPciLayoutMismatch, layout.common.cap_offset);
  }
  if (!RegionMatches(layout.notify, want.bar, want.notify) ||
      layout.notify_off_multiplier != want.notify_off_multiplier) {
    return Reject(diagnostic, Status::kPciLayoutMismatch, layout.notify.cap_offset);
  }
  if (!RegionMatches(layout.isr, want.bar, want.isr)) {
    return Reject(diagnostic, Status::kPciLayoutMismatch, layout.isr.cap_offset);
  }
  if (!RegionMatches(layout.device, want.bar, want.device)) {
    return Reject(diagnostic, Status::kPciLayoutMismatch, layout.device.cap_offset);
  }
  return Status::kOk;
}

}  // namespace

Status ParseVirtioPciCaps(Platform& platform, const BarInfo (&bars)[kPciBarCount],
                          const CapParseOptions& options, VirtioPciLayout* layout,
                          CapDiagnostic* diagnostic) {
  if (layout == nullptr) {
    return Reject(diagnostic, Status::kInvalidArgument, 0);
  }
  *layout = VirtioPciLayout{};
  const bool strict = options.policy == CapPolicy::kAeroStrict;
  if (strict && options.strict == nullptr) {
    return Reject(diagnostic, Status::kInvalidArgument, 0);
  }

  const uint32_t ids = platform.PciConfigRead32(spec::kPciVendorIdOffset);
  const uint32_t subsystem = platform.PciConfigRead32(spec::kPciSubsystemVendorIdOffset);
  layout->vendor_id = static_cast<uint16_t>(ids);
  layout->device_id = static_cast<uint16_t>(ids >> 16);
  layout->subsystem_vendor_id = static_cast<uint16_t>(subsystem);
  layout->subsystem_id = static_cast<uint16_t>(subsystem >> 16);
  layout->revision = platform.PciConfigRead8(spec::kPciRevisionOffset);
  if (strict) {
    const AeroStrictExpectations& want = *options.strict;
    if (layout->vendor_id != want.vendor_id || layout->device_id != want.device_id ||
        layout->subsystem_vendor_id != want.subsystem_vendor_id ||
        layout->subsystem_id != want.subsystem_id || layout->revision != want.revision) {
      return Reject(diagnostic, Status::kPciIdentityMismatch, 0);
    }
  } else if (layout->vendor_id != spec::kPciVendorId ||
             layout->device_id < spec::kPciModernDeviceIdBase ||
             layout->device_id > spec::kPciModernDeviceIdLast) {
    return Reject(diagnostic, Status::kPciIdentityMismatch, 0);
  }

  Status status = WalkCapabilities(platform, bars, strict, layout, diagnostic);
  if (status != Status::kOk) {
    return status;
  }
  if (!layout->common.present) {
    return Reject(diagnostic, Status::kPciMissingCommonCfg, 0);
  }
  if (!layout->notify.present) {
    return Reject(diagnostic, Status::kPciMissingNotifyCfg, 0);
  }
  if (!layout->isr.present) {
    return Reject(diagnostic, Status::kPciMissingIsrCfg, 0);
  }
  if (strict) {
    if (!layout->device.present) {
      return Reject(diagnostic, Status::kPciMissingDeviceCfg, 0);
    }
    status = CheckStrictLayout(bars, *options.strict, *layout, diagnostic);
    if (status != Status::kOk) {
      return status;
    }
  }
  if (diagnostic != nullptr) {
    diagnostic->status = Status::kOk;
    diagnostic->cap_offset = 0;
    diagnostic->text = StatusText(Status::kOk);
  }
  return Status::kOk;
}

}  // namespace aero::virtio
