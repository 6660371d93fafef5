// Time: the PIT (channel 0) ticks at 1 kHz on IRQ 0, which also wakes every hlt so waits can
// check their deadlines; the TSC, calibrated against those ticks, gives microsecond time stamps.
// Under TCG both follow the host clock, so timeouts are approximate but safe.
#pragma once

#include <stdint.h>

#include "cpu.h"

namespace aero::guest {

inline constexpr uint8_t kTimerIrq = 0;
inline constexpr uint32_t kTimerHz = 1000;

// Programs the PIT, registers the tick handler, enables interrupts and calibrates the TSC.
// Returns false if the ticks never arrive (no PIT or no interrupts).
bool timer_init();
uint64_t ticks_ms();
uint64_t tsc_per_ms();
uint64_t now_us();
void delay_us(uint32_t us);

class Deadline {
 public:
  explicit Deadline(uint32_t timeout_ms);
  bool expired() const { return rdtsc() >= end_tsc_; }

 private:
  uint64_t end_tsc_;
};

// Waits until pred() holds or timeout_ms passes; returns the final pred(). pred() is evaluated with
// interrupts disabled and the wait re-enables them atomically with the hlt (sti; hlt), so an
// interrupt that makes pred() true cannot slip in between the check and the hlt. Interrupts are
// enabled again on return.
template <typename Pred>
bool wait_until(Pred&& pred, uint32_t timeout_ms) {
  const Deadline deadline(timeout_ms);
  cli();
  while (!pred()) {
    if (deadline.expired()) {
      const bool last = pred();
      sti();
      return last;
    }
    sti_hlt_cli();
  }
  sti();
  return true;
}

}  // namespace aero::guest
