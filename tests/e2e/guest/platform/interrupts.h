// IDT, CPU exceptions and INTx delivery. Any exception or unexpected vector ends the run as a
// failure (vector, error code and EIP reported). PCI INTx lines are shared and level-triggered:
// every handler registered on a line is called on each interrupt (each reads its device's ISR,
// which lowers its part of the level), then both PICs get their EOI.
#pragma once

#include <stdint.h>

namespace aero::guest {

// The register frame built by the stubs in boot.S (pusha order, then vector and error code, then
// what the CPU pushed).
struct InterruptFrame {
  uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
  uint32_t vector;
  uint32_t error_code;
  uint32_t eip, cs, eflags;
};

void interrupts_init();

// Returns true when the handler's device had raised the interrupt.
using IrqHandler = bool (*)(void* context);

// Adds a handler to the chain of irq and unmasks the line; false if the chain is full.
bool irq_register(uint8_t irq, IrqHandler handler, void* context);
// Removes a handler; the line is masked when its chain becomes empty.
void irq_unregister(uint8_t irq, IrqHandler handler, void* context);

struct IrqStats {
  uint32_t delivered;  // interrupts taken on the line (spurious ones excluded)
  uint32_t claimed;    // ... in which at least one handler found its device interrupting
  uint32_t unclaimed;  // ... in which no handler did
  uint32_t spurious;   // IRQ 7/15 without the in-service bit
};
IrqStats irq_stats(uint8_t irq);

// A line that keeps interrupting with no handler claiming it is masked after kStormThreshold
// consecutive unclaimed interrupts; this reports the first such line.
inline constexpr uint32_t kStormThreshold = 10000;
bool irq_storm_detected(uint8_t* irq);

}  // namespace aero::guest
