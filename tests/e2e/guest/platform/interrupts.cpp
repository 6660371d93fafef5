#include "interrupts.h"

#include "cpu.h"
#include "markers.h"
#include "panic.h"
#include "pic.h"
#include "text.h"

extern "C" char isr_stubs[];
extern "C" void isr_dispatch(aero::guest::InterruptFrame* frame);

namespace aero::guest {
namespace {

constexpr uint32_t kStubStride = 16;
constexpr uint16_t kCodeSelector = 0x08;
constexpr uint8_t kInterruptGate = 0x8e;  // present, ring 0, 32-bit interrupt gate (IF cleared)
constexpr uint32_t kMaxHandlersPerLine = 8;

struct IdtGate {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t zero;
  uint8_t type_attr;
  uint16_t offset_high;
};
static_assert(sizeof(IdtGate) == 8);

struct [[gnu::packed]] IdtPointer {
  uint16_t limit;
  uint32_t base;
};

struct HandlerSlot {
  IrqHandler handler;
  void* context;
};

struct IrqLine {
  HandlerSlot slots[kMaxHandlersPerLine];
  uint32_t count;
  uint32_t unclaimed_in_a_row;
  IrqStats stats;
};

alignas(8) IdtGate g_idt[256];
IrqLine g_lines[kIrqCount];
bool g_storm = false;
uint8_t g_storm_irq = 0;
bool g_in_fatal = false;

const char* exception_name(uint32_t v) {
  static const char* const kNames[] = {"#DE divide error",
                                       "#DB debug",
                                       "NMI",
                                       "#BP breakpoint",
                                       "#OF overflow",
                                       "#BR bound range",
                                       "#UD invalid opcode",
                                       "#NM device not available",
                                       "#DF double fault",
                                       "coprocessor segment overrun",
                                       "#TS invalid TSS",
                                       "#NP segment not present",
                                       "#SS stack fault",
                                       "#GP general protection",
                                       "#PF page fault",
                                       "reserved",
                                       "#MF x87 error",
                                       "#AC alignment check",
                                       "#MC machine check",
                                       "#XM SIMD error",
                                       "#VE virtualization",
                                       "#CP control protection"};
  if (v < sizeof(kNames) / sizeof(kNames[0])) {
    return kNames[v];
  }
  return v < 32 ? "reserved exception" : "unexpected vector";
}

[[noreturn]] void fatal_vector(const InterruptFrame& f) {
  if (g_in_fatal) {
    qemu_exit(kExitFail);  // a fault while reporting a fault: leave without more output
  }
  g_in_fatal = true;
  Text reason;
  reason.str("cpu exception ").dec(f.vector).str(" (").str(exception_name(f.vector));
  reason.str(") at eip=").hex(f.eip, 8).str(" error=").hex(f.error_code);
  Marker::info()
      .kv("event", "exception")
      .kv("vector", f.vector)
      .kv("name", exception_name(f.vector))
      .kv_hex("error", f.error_code)
      .kv_hex("eip", f.eip, 8)
      .kv_hex("eflags", f.eflags, 8)
      .kv_hex("esp", f.esp, 8)
      .emit();
  if (current_test() != nullptr) {
    Marker::test(current_test(), TestStatus::kFail, reason.c_str()).emit();
  }
  panic(reason.c_str());
}

void dispatch_irq(uint8_t irq) {
  if (irq == 7 || irq == 15) {
    const uint16_t isr = pic_in_service();
    if ((isr & (1u << irq)) == 0) {
      ++g_lines[irq].stats.spurious;
      if (irq == 15) {
        pic_eoi_master();  // the master did see the cascade interrupt
      }
      return;
    }
  }
  IrqLine& line = g_lines[irq];
  ++line.stats.delivered;
  bool claimed = false;
  for (uint32_t i = 0; i < line.count; ++i) {
    // Every handler runs: two devices may be asserting the shared line at once.
    if (line.slots[i].handler(line.slots[i].context)) {
      claimed = true;
    }
  }
  if (claimed) {
    ++line.stats.claimed;
    line.unclaimed_in_a_row = 0;
  } else {
    ++line.stats.unclaimed;
    if (++line.unclaimed_in_a_row >= kStormThreshold) {
      pic_mask(irq);
      if (!g_storm) {
        g_storm = true;
        g_storm_irq = irq;
      }
    }
  }
  pic_eoi(irq);
}

}  // namespace

void interrupts_init() {
  const auto base = reinterpret_cast<uintptr_t>(isr_stubs);
  for (uint32_t v = 0; v < 256; ++v) {
    const uint32_t target = static_cast<uint32_t>(base + v * kStubStride);
    g_idt[v].offset_low = static_cast<uint16_t>(target & 0xffff);
    g_idt[v].selector = kCodeSelector;
    g_idt[v].zero = 0;
    g_idt[v].type_attr = kInterruptGate;
    g_idt[v].offset_high = static_cast<uint16_t>(target >> 16);
  }
  IdtPointer idtr = {static_cast<uint16_t>(sizeof(g_idt) - 1),
                     static_cast<uint32_t>(reinterpret_cast<uintptr_t>(g_idt))};
  asm volatile("lidt %0" ::"m"(idtr) : "memory");
  pic_init();
}

bool irq_register(uint8_t irq, IrqHandler handler, void* context) {
  if (irq >= kIrqCount || irq == kCascadeIrq || handler == nullptr) {
    return false;
  }
  {
    InterruptGuard guard;
    IrqLine& line = g_lines[irq];
    if (line.count == kMaxHandlersPerLine) {
      return false;
    }
    line.slots[line.count++] = HandlerSlot{handler, context};
    line.unclaimed_in_a_row = 0;
  }
  pic_unmask(irq);
  return true;
}

void irq_unregister(uint8_t irq, IrqHandler handler, void* context) {
  if (irq >= kIrqCount) {
    return;
  }
  InterruptGuard guard;
  IrqLine& line = g_lines[irq];
  for (uint32_t i = 0; i < line.count; ++i) {
    if (line.slots[i].handler == handler && line.slots[i].context == context) {
      for (uint32_t j = i + 1; j < line.count; ++j) {
        line.slots[j - 1] = line.slots[j];
      }
      --line.count;
      break;
    }
  }
  if (line.count == 0) {
    pic_mask(irq);
  }
}

IrqStats irq_stats(uint8_t irq) {
  if (irq >= kIrqCount) {
    return IrqStats{0, 0, 0, 0};
  }
  InterruptGuard guard;
  return g_lines[irq].stats;
}

bool irq_storm_detected(uint8_t* irq) {
  InterruptGuard guard;
  if (g_storm && irq != nullptr) {
    *irq = g_storm_irq;
  }
  return g_storm;
}

}  // namespace aero::guest

extern "C" void isr_dispatch(aero::guest::InterruptFrame* frame) {
  using namespace aero::guest;
  const uint32_t v = frame->vector;
  if (v >= kIrqVectorBase && v < kIrqVectorBase + kIrqCount) {
    dispatch_irq(static_cast<uint8_t>(v - kIrqVectorBase));
    return;
  }
  fatal_vector(*frame);
}
