#include "timer.h"

#include "interrupts.h"

namespace aero::guest {
namespace {

constexpr uint16_t kPitChannel0 = 0x40;
constexpr uint16_t kPitCommand = 0x43;
constexpr uint32_t kPitInputHz = 1193182;
constexpr uint8_t kChannel0RateGenerator = 0x34;  // channel 0, lo/hi byte, mode 2, binary
constexpr uint32_t kCalibrationMs = 20;

volatile uint64_t g_ticks = 0;
uint64_t g_tsc_per_ms = 1;
uint64_t g_tsc_at_init = 0;

bool on_tick(void*) {
  g_ticks = g_ticks + 1;
  return true;
}

uint64_t read_ticks() {
  InterruptGuard guard;
  return g_ticks;
}

// Busy-waits (interrupts on) until the tick count passes target; false after ~max_spins.
bool spin_until_tick(uint64_t target) {
  for (uint32_t spins = 0; spins < 200000000u; ++spins) {
    if (read_ticks() >= target) {
      return true;
    }
    pause();
  }
  return false;
}

}  // namespace

bool timer_init() {
  constexpr uint32_t divisor = (kPitInputHz + kTimerHz / 2) / kTimerHz;
  outb(kPitCommand, kChannel0RateGenerator);
  outb(kPitChannel0, static_cast<uint8_t>(divisor & 0xff));
  outb(kPitChannel0, static_cast<uint8_t>(divisor >> 8));
  if (!irq_register(kTimerIrq, on_tick, nullptr)) {
    return false;
  }
  sti();
  // Align to a tick edge, then count TSC cycles across whole ticks.
  if (!spin_until_tick(read_ticks() + 1)) {
    return false;
  }
  const uint64_t start_ticks = read_ticks();
  const uint64_t start_tsc = rdtsc();
  if (!spin_until_tick(start_ticks + kCalibrationMs)) {
    return false;
  }
  const uint64_t cycles = rdtsc() - start_tsc;
  const uint64_t elapsed = read_ticks() - start_ticks;
  g_tsc_per_ms = cycles / (elapsed == 0 ? 1 : elapsed);
  if (g_tsc_per_ms == 0) {
    g_tsc_per_ms = 1;
  }
  g_tsc_at_init = rdtsc();
  return true;
}

uint64_t ticks_ms() { return read_ticks(); }

uint64_t tsc_per_ms() { return g_tsc_per_ms; }

uint64_t now_us() { return (rdtsc() - g_tsc_at_init) * 1000 / g_tsc_per_ms; }

void delay_us(uint32_t us) {
  const uint64_t end = rdtsc() + static_cast<uint64_t>(us) * g_tsc_per_ms / 1000;
  while (rdtsc() < end) {
    pause();
  }
}

Deadline::Deadline(uint32_t timeout_ms)
    : end_tsc_(rdtsc() + static_cast<uint64_t>(timeout_ms) * g_tsc_per_ms) {}

}  // namespace aero::guest
