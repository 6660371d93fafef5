// The two cascaded 8259 PICs (present on both pc/i440fx and q35/ICH9). IRQ n is delivered on vector
// kIrqVectorBase + n. PCI INTx lines are level-triggered (ELCR bit set by the firmware).
#pragma once

#include <stdint.h>

namespace aero::guest {

inline constexpr uint8_t kIrqVectorBase = 0x20;
inline constexpr uint8_t kIrqCount = 16;
inline constexpr uint8_t kCascadeIrq = 2;

// Remaps to vectors 0x20..0x2f and masks every line except the cascade.
void pic_init();
void pic_mask(uint8_t irq);
void pic_unmask(uint8_t irq);
// In-service register of both PICs (bit n = IRQ n), read with OCW3.
uint16_t pic_in_service();
// End of interrupt for irq: slave (for IRQ 8-15) then master.
void pic_eoi(uint8_t irq);
// Spurious interrupts (IRQ 7/15 without the ISR bit) need an EOI only on the master for IRQ 15.
void pic_eoi_master();
// Edge/level control register (ports 0x4d0/0x4d1): bit n set = IRQ n level-triggered.
uint16_t pic_read_elcr();
void pic_set_level_triggered(uint8_t irq);

}  // namespace aero::guest
