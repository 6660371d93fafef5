// PCI configuration mechanism #1 (ports 0xCF8/0xCFC), enumeration of every bus, BAR sizing and the
// command register. A 32-bit guest without paging can only reach memory BARs below 4 GiB; sizing
// records a clear error for a BAR that ends above (or is unassigned or misaligned).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aero::guest {

struct PciAddress {
  uint8_t bus;
  uint8_t device;
  uint8_t function;
};

inline constexpr uint8_t kPciCommand = 0x04;
inline constexpr uint8_t kPciStatus = 0x06;
inline constexpr uint8_t kPciCapabilitiesPointer = 0x34;
inline constexpr uint16_t kPciCommandIo = 1u << 0;
inline constexpr uint16_t kPciCommandMemory = 1u << 1;
inline constexpr uint16_t kPciCommandBusMaster = 1u << 2;
inline constexpr uint16_t kPciCommandInterruptDisable = 1u << 10;
inline constexpr uint16_t kPciStatusCapabilities = 1u << 4;
inline constexpr uint16_t kPciStatusInterrupt = 1u << 3;

uint8_t pci_read8(PciAddress a, uint16_t offset);
uint16_t pci_read16(PciAddress a, uint16_t offset);
uint32_t pci_read32(PciAddress a, uint16_t offset);
void pci_write8(PciAddress a, uint16_t offset, uint8_t v);
void pci_write16(PciAddress a, uint16_t offset, uint16_t v);
void pci_write32(PciAddress a, uint16_t offset, uint32_t v);

enum class PciBarKind : uint8_t { kUnused, kIo, kMemory32, kMemory64 };

struct PciBar {
  PciBarKind kind;
  bool prefetchable;
  uint64_t base;
  uint64_t size;
};

struct PciFunction {
  PciAddress address;
  uint16_t vendor_id;
  uint16_t device_id;
  uint8_t revision;
  uint8_t class_code;
  uint8_t subclass;
  uint8_t prog_if;
  uint8_t header_type;  // without the multi-function bit
  uint16_t subsystem_vendor_id;
  uint16_t subsystem_id;
  uint8_t interrupt_line;
  uint8_t interrupt_pin;  // 0 none, 1..4 = INTA..INTD
  uint16_t command;
  uint16_t status;
  PciBar bars[6];
  // Set by sizing when a BAR cannot be used by this guest; names the BAR and the problem.
  const char* bar_error;
  uint8_t bar_error_index;
};

inline constexpr size_t kMaxPciFunctions = 64;

// Scans buses 0..255 and sizes every BAR. Returns the number of functions found (which may exceed
// max; only the first max are stored).
size_t pci_enumerate(PciFunction* out, size_t max);

// The usable CPU address of a memory BAR, or 0 with *error set.
uintptr_t pci_memory_bar_address(const PciFunction& f, uint8_t bar, const char** error);

void pci_update_command(PciAddress a, uint16_t set_bits, uint16_t clear_bits);

// Writes value to the (read-only) vendor ID register of the host bridge 00:00.0. The write has no
// effect on the machine, but QEMU logs it as a pci_cfg_write trace event, so the harness can cut
// the trace log into the guest's measurement windows.
void pci_trace_fence(uint32_t value);

const char* pci_class_name(uint8_t class_code, uint8_t subclass);

}  // namespace aero::guest
