// Scenario "pci": enumerates every PCI function, prints it (the harness compares the list with the
// devices it configured), and checks that each memory BAR is usable by this guest and that each
// interrupt pin is routed to a level-triggered 8259 line.
#include "scenarios.h"

#include "platform/markers.h"
#include "platform/pci.h"
#include "platform/pic.h"
#include "platform/text.h"

namespace aero::guest {
namespace {

void format_bdf(Text& t, PciAddress a) {
  static constexpr char kHex[] = "0123456789abcdef";
  t.ch(kHex[a.bus >> 4]).ch(kHex[a.bus & 0xf]).ch(':');
  t.ch(kHex[a.device >> 4]).ch(kHex[a.device & 0xf]).ch('.').ch(kHex[a.function]);
}

void format_hex_digits(Text& t, uint32_t v, unsigned digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned i = digits; i > 0; --i) {
    t.ch(kHex[(v >> ((i - 1) * 4)) & 0xf]);
  }
}

void format_bars(Text& t, const PciFunction& f) {
  bool first = true;
  for (uint8_t i = 0; i < 6; ++i) {
    const PciBar& b = f.bars[i];
    if (b.kind == PciBarKind::kUnused) {
      continue;
    }
    if (!first) {
      t.ch(',');
    }
    first = false;
    t.dec(i).ch(':');
    t.str(b.kind == PciBarKind::kIo ? "io" : (b.kind == PciBarKind::kMemory64 ? "mem64" : "mem32"));
    if (b.prefetchable) {
      t.str("p");
    }
    t.ch('@').hex(b.base).ch('+').hex(b.size);
  }
}

}  // namespace

void run_pci_scenario() {
  static PciFunction functions[kMaxPciFunctions];
  size_t count = 0;
  {
    TestCase t("pci.enumerate");
    count = pci_enumerate(functions, kMaxPciFunctions);
    if (count > kMaxPciFunctions) {
      t.fail("more PCI functions than the guest can hold").kv("count", count).emit();
      return;
    }
    if (count == 0) {
      t.fail("no PCI function found (config mechanism #1 broken?)").emit();
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      const PciFunction& f = functions[i];
      Text bdf, id, cls, subsys, bars;
      format_bdf(bdf, f.address);
      format_hex_digits(id, f.vendor_id, 4);
      id.ch(':');
      format_hex_digits(id, f.device_id, 4);
      format_hex_digits(cls, f.class_code, 2);
      format_hex_digits(cls, f.subclass, 2);
      format_hex_digits(cls, f.prog_if, 2);
      format_hex_digits(subsys, f.subsystem_vendor_id, 4);
      subsys.ch(':');
      format_hex_digits(subsys, f.subsystem_id, 4);
      format_bars(bars, f);
      Marker::info()
          .kv("event", "pci_function")
          .kv("bdf", bdf.c_str())
          .kv("id", id.c_str())
          .kv_hex("rev", f.revision, 2)
          .kv("class", cls.c_str())
          .kv("kind", pci_class_name(f.class_code, f.subclass))
          .kv("subsys", subsys.c_str())
          .kv("header", f.header_type)
          .kv("irq_pin", f.interrupt_pin)
          .kv("irq_line", f.interrupt_line)
          .kv_hex("command", f.command, 4)
          .kv("bars", bars.c_str())
          .emit();
    }
    t.pass().kv("functions", count).emit();
  }
  {
    TestCase t("pci.bars_reachable");
    uint32_t memory_bars = 0;
    for (size_t i = 0; i < count; ++i) {
      const PciFunction& f = functions[i];
      if (f.bar_error != nullptr) {
        Text reason;
        format_bdf(reason, f.address);
        reason.str(" BAR").dec(f.bar_error_index).str(": ").str(f.bar_error);
        reason.str(" (base ").hex(f.bars[f.bar_error_index].base);
        reason.str(" size ").hex(f.bars[f.bar_error_index].size).ch(')');
        t.fail(reason.c_str()).emit();
        break;
      }
      for (const PciBar& b : f.bars) {
        if (b.kind == PciBarKind::kMemory32 || b.kind == PciBarKind::kMemory64) {
          ++memory_bars;
        }
      }
    }
    if (!t.reported()) {
      t.pass().kv("memory_bars", memory_bars).emit();
    }
  }
  {
    TestCase t("pci.intx_routing");
    const uint16_t elcr = pic_read_elcr();
    uint32_t with_pin = 0;
    for (size_t i = 0; i < count && !t.reported(); ++i) {
      const PciFunction& f = functions[i];
      // Only the virtio functions this bench drives must sit on level-triggered PCI lines;
      // chipset functions (the PIIX4 ACPI SCI on IRQ 9) have their own wiring.
      if (f.interrupt_pin == 0 || f.vendor_id != 0x1af4) {
        continue;
      }
      ++with_pin;
      Text reason;
      format_bdf(reason, f.address);
      if (f.interrupt_pin > 4) {
        reason.str(" has invalid interrupt pin ").dec(f.interrupt_pin);
        t.fail(reason.c_str()).emit();
      } else if (f.interrupt_line >= 16 || f.interrupt_line == kCascadeIrq) {
        reason.str(" INT").ch(static_cast<char>('A' + f.interrupt_pin - 1));
        reason.str(" is not routed to an 8259 line (line ").dec(f.interrupt_line).ch(')');
        t.fail(reason.c_str()).emit();
      } else if ((elcr & (1u << f.interrupt_line)) == 0) {
        reason.str(" uses IRQ ").dec(f.interrupt_line).str(", which the ELCR marks edge-triggered");
        t.fail(reason.c_str()).emit();
      }
    }
    if (!t.reported()) {
      t.pass().kv("virtio_functions_with_pin", with_pin).kv_hex("elcr", elcr, 4).emit();
    }
  }
}

}  // namespace aero::guest
