// Parser and validator of the virtio vendor capabilities in PCI configuration space.
#pragma once

#include <stdint.h>

#include "aero/virtio/platform.h"
#include "aero/virtio/status.h"

namespace aero::virtio {

// Where one virtio structure lives: BAR, offset and length (from its capability).
struct CapRegion {
  bool present;
  uint8_t cap_offset;  // config-space offset of the capability that described it
  uint8_t bar;
  uint32_t offset;
  uint32_t length;
};

struct VirtioPciLayout {
  uint16_t vendor_id;
  uint16_t device_id;
  uint16_t subsystem_vendor_id;
  uint16_t subsystem_id;
  uint8_t revision;
  CapRegion common;
  CapRegion notify;
  CapRegion isr;
  CapRegion device;  // may be absent under the standard policy
  uint32_t notify_off_multiplier;
  uint8_t pci_cfg_cap_offset;  // 0 when the device has no VIRTIO_PCI_CAP_PCI_CFG
  uint8_t msix_cap_offset;     // 0 when the device has no MSI-X capability
};

struct RegionExpectation {
  uint32_t offset;
  uint32_t length;
};

// What aero-strict requires (contract v1). The caller fills it, e.g. from the generated contract
// header; the library holds no device IDs of its own.
struct AeroStrictExpectations {
  uint16_t vendor_id;
  uint16_t device_id;
  uint16_t subsystem_vendor_id;
  uint16_t subsystem_id;
  uint8_t revision;
  uint8_t bar;            // every structure lives in this BAR
  BarKind bar_kind;       // e.g. kMemory64
  uint64_t bar_min_size;  // the BAR must be at least this large
  RegionExpectation common;
  RegionExpectation notify;
  RegionExpectation isr;
  RegionExpectation device;
  uint32_t notify_off_multiplier;
};

enum class CapPolicy : uint8_t {
  kStandard,    // any conformant virtio 1.x layout (QEMU: everything in BAR4)
  kAeroStrict,  // exactly the contract's identity and fixed layout
};

struct CapParseOptions {
  CapPolicy policy;
  const AeroStrictExpectations* strict;  // required for kAeroStrict, ignored otherwise
};

// Why a device was rejected: the rule (status), where (config-space offset of the offending
// capability, 0 when not tied to one) and a fixed text.
struct CapDiagnostic {
  Status status;
  uint8_t cap_offset;
  const char* text;
};

inline constexpr int kPciMaxCapabilities = 48;  // (256 - 64) / 4: a longer walk must be a cycle

// Walks the PCI capability list of the function behind `platform` and fills `layout`.
// `bars` is what the environment found by sizing the six BARs. Under kStandard, vendor 0x1AF4 and
// a modern device ID (0x1040..0x107F) are required, unusable structures (I/O or unknown BAR) are
// skipped in favour of a later instance, and the device-specific region is optional. Under
// kAeroStrict every identity field, the BAR and each region must equal the expectations.
Status ParseVirtioPciCaps(Platform& platform, const BarInfo (&bars)[kPciBarCount],
                          const CapParseOptions& options, VirtioPciLayout* layout,
                          CapDiagnostic* diagnostic);

}  // namespace aero::virtio
