#include "pci.h"

#include "cpu.h"

namespace aero::guest {
namespace {

constexpr uint16_t kConfigAddress = 0xcf8;
constexpr uint16_t kConfigData = 0xcfc;
constexpr uint8_t kHeaderTypeOffset = 0x0e;
constexpr uint8_t kBar0 = 0x10;
constexpr uint8_t kMultiFunction = 0x80;
constexpr uint64_t kFourGiB = uint64_t{1} << 32;

void select(PciAddress a, uint16_t offset) {
  const uint32_t address = 0x80000000u | (static_cast<uint32_t>(a.bus) << 16) |
                           (static_cast<uint32_t>(a.device & 0x1f) << 11) |
                           (static_cast<uint32_t>(a.function & 0x7) << 8) | (offset & 0xfc);
  outl(kConfigAddress, address);
}

void size_bars(PciFunction* f) {
  const uint8_t bar_count = f->header_type == 0 ? 6 : (f->header_type == 1 ? 2 : 0);
  const PciAddress a = f->address;
  const uint16_t command = pci_read16(a, kPciCommand);
  // Decoding off while all-ones are in a BAR, so the probe value never claims an address range.
  pci_write16(a, kPciCommand,
              static_cast<uint16_t>(command & ~(kPciCommandIo | kPciCommandMemory)));
  for (uint8_t i = 0; i < bar_count; ++i) {
    const uint16_t reg = static_cast<uint16_t>(kBar0 + 4 * i);
    const uint32_t original = pci_read32(a, reg);
    pci_write32(a, reg, 0xffffffffu);
    const uint32_t probe = pci_read32(a, reg);
    pci_write32(a, reg, original);
    PciBar& bar = f->bars[i];
    if ((original & 1u) != 0) {
      const uint32_t mask = probe & 0xfffffffcu & 0xffffu;
      bar.kind = mask == 0 ? PciBarKind::kUnused : PciBarKind::kIo;
      bar.base = original & 0xfffffffcu;
      bar.size = mask == 0 ? 0 : ((~mask + 1) & 0xffffu);
      continue;
    }
    const uint32_t type = (original >> 1) & 3u;
    const uint8_t index = i;
    bar.prefetchable = (original & 8u) != 0;
    uint64_t base = original & 0xfffffff0u;
    uint64_t mask = probe & 0xfffffff0u;
    if (type == 2 && i + 1 < bar_count) {
      const uint16_t high_reg = static_cast<uint16_t>(reg + 4);
      const uint32_t high = pci_read32(a, high_reg);
      pci_write32(a, high_reg, 0xffffffffu);
      const uint32_t high_probe = pci_read32(a, high_reg);
      pci_write32(a, high_reg, high);
      base |= static_cast<uint64_t>(high) << 32;
      mask |= static_cast<uint64_t>(high_probe) << 32;
      bar.kind = PciBarKind::kMemory64;
      ++i;  // the next register is the upper half of this BAR
    } else {
      if (mask != 0) {
        mask |= 0xffffffff00000000ull;  // a 32-bit BAR decodes no upper address bits
      }
      bar.kind = PciBarKind::kMemory32;
    }
    if (mask == 0) {
      bar.kind = PciBarKind::kUnused;
      continue;
    }
    bar.base = base;
    bar.size = ~mask + 1;
    if (f->bar_error != nullptr) {
      continue;
    }
    if (bar.base == 0) {
      f->bar_error = "memory BAR not assigned by the firmware (base 0)";
    } else if ((bar.base & (bar.size - 1)) != 0) {
      f->bar_error = "memory BAR base not aligned to its size";
    } else if (bar.base >= kFourGiB || bar.size > kFourGiB - bar.base) {
      f->bar_error = "memory BAR ends above 4 GiB, unreachable for a 32-bit guest without paging";
    }
    if (f->bar_error != nullptr) {
      f->bar_error_index = index;
    }
  }
  pci_write16(a, kPciCommand, command);
}

void read_function(PciAddress a, PciFunction* f) {
  *f = PciFunction{};
  f->address = a;
  f->vendor_id = pci_read16(a, 0x00);
  f->device_id = pci_read16(a, 0x02);
  f->revision = pci_read8(a, 0x08);
  f->prog_if = pci_read8(a, 0x09);
  f->subclass = pci_read8(a, 0x0a);
  f->class_code = pci_read8(a, 0x0b);
  f->header_type = pci_read8(a, kHeaderTypeOffset) & 0x7f;
  if (f->header_type == 0) {
    f->subsystem_vendor_id = pci_read16(a, 0x2c);
    f->subsystem_id = pci_read16(a, 0x2e);
  }
  f->interrupt_line = pci_read8(a, 0x3c);
  f->interrupt_pin = pci_read8(a, 0x3d);
  f->command = pci_read16(a, kPciCommand);
  f->status = pci_read16(a, kPciStatus);
  size_bars(f);
}

}  // namespace

uint8_t pci_read8(PciAddress a, uint16_t offset) {
  InterruptGuard guard;
  select(a, offset);
  return inb(static_cast<uint16_t>(kConfigData + (offset & 3)));
}

uint16_t pci_read16(PciAddress a, uint16_t offset) {
  InterruptGuard guard;
  select(a, offset);
  return inw(static_cast<uint16_t>(kConfigData + (offset & 2)));
}

uint32_t pci_read32(PciAddress a, uint16_t offset) {
  InterruptGuard guard;
  select(a, offset);
  return inl(kConfigData);
}

void pci_write8(PciAddress a, uint16_t offset, uint8_t v) {
  InterruptGuard guard;
  select(a, offset);
  outb(static_cast<uint16_t>(kConfigData + (offset & 3)), v);
}

void pci_write16(PciAddress a, uint16_t offset, uint16_t v) {
  InterruptGuard guard;
  select(a, offset);
  outw(static_cast<uint16_t>(kConfigData + (offset & 2)), v);
}

void pci_write32(PciAddress a, uint16_t offset, uint32_t v) {
  InterruptGuard guard;
  select(a, offset);
  outl(kConfigData, v);
}

size_t pci_enumerate(PciFunction* out, size_t max) {
  size_t found = 0;
  for (uint32_t bus = 0; bus < 256; ++bus) {
    for (uint8_t device = 0; device < 32; ++device) {
      const PciAddress fn0{static_cast<uint8_t>(bus), device, 0};
      if (pci_read16(fn0, 0x00) == 0xffff) {
        continue;
      }
      const bool multi = (pci_read8(fn0, kHeaderTypeOffset) & kMultiFunction) != 0;
      for (uint8_t function = 0; function < (multi ? 8 : 1); ++function) {
        const PciAddress a{static_cast<uint8_t>(bus), device, function};
        if (pci_read16(a, 0x00) == 0xffff) {
          continue;
        }
        if (found < max) {
          read_function(a, &out[found]);
        }
        ++found;
      }
    }
  }
  return found;
}

uintptr_t pci_memory_bar_address(const PciFunction& f, uint8_t bar, const char** error) {
  if (bar >= 6) {
    *error = "BAR index out of range";
    return 0;
  }
  const PciBar& b = f.bars[bar];
  if (b.kind != PciBarKind::kMemory32 && b.kind != PciBarKind::kMemory64) {
    *error = "BAR is not a memory BAR";
    return 0;
  }
  if (f.bar_error != nullptr && f.bar_error_index == bar) {
    *error = f.bar_error;
    return 0;
  }
  if (b.base == 0 || b.base >= kFourGiB || b.size > kFourGiB - b.base) {
    *error = "memory BAR ends above 4 GiB, unreachable for a 32-bit guest without paging";
    return 0;
  }
  return static_cast<uintptr_t>(b.base);
}

void pci_update_command(PciAddress a, uint16_t set_bits, uint16_t clear_bits) {
  InterruptGuard guard;
  const uint16_t command = pci_read16(a, kPciCommand);
  pci_write16(a, kPciCommand, static_cast<uint16_t>((command | set_bits) & ~clear_bits));
}

void pci_trace_fence(uint32_t value) {
  pci_write32(PciAddress{0, 0, 0}, 0x00, value);
}

const char* pci_class_name(uint8_t class_code, uint8_t subclass) {
  switch (class_code) {
    case 0x01:
      return subclass == 0x00 ? "scsi-storage" : (subclass == 0x06 ? "sata" : "storage");
    case 0x02:
      return "network";
    case 0x03:
      return "display";
    case 0x06:
      return subclass == 0x00 ? "host-bridge" : (subclass == 0x01 ? "isa-bridge" : "bridge");
    case 0x09:
      return "input";
    case 0x0c:
      return "serial-bus";
    default:
      return "other";
  }
}

}  // namespace aero::guest
