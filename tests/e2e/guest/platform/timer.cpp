#include "timer.h"

#include "interrupts.h"

namespace aero::guest {
namespace {

constexpr uint16_t kPitChannel0 = 0x40;
constexpr uint16_t kPitCommand = 0x43;
constexpr uint32_t kPitInputHz = 1193182;
constexpr uint8_t kChannel0RateGenerator = 0x34;  // channel 0, lo/hi byte, mode 2, binary
constexpr uint16_t kPitChannel2 = 0x42;
constexpr uint16_t kSpeakerPort = 0x61;     // bit 0: channel 2 gate, bit 1: speaker, bit 5: OUT2
constexpr uint8_t kChannel2OneShot = 0xb0;  // channel 2, lo/hi byte, mode 0, binary
constexpr uint8_t kChannel2Latch = 0x80;    // latch channel 2's count
constexpr uint64_t kMaxSampleCycles = 200000;
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

// Busy-waits (interrupts on) until the tick count reaches target; false if it never does.
bool spin_until_tick(uint64_t target) {
  for (uint32_t spins = 0; spins < 200000000u; ++spins) {
    if (read_ticks() >= target) {
      return true;
    }
    pause();
  }
  return false;
}

struct PitSample {
  uint64_t tsc;
  uint16_t count;
};

// Reads PIT channel 2's counter together with the TSC. A sample whose read took long (the vCPU
// was descheduled in between) is retried, so each pair is tight.
bool sample_channel2(PitSample* out) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const uint64_t before = rdtsc();
    outb(kPitCommand, kChannel2Latch);
    const uint8_t low = inb(kPitChannel2);
    const uint8_t high = inb(kPitChannel2);
    const uint64_t after = rdtsc();
    if (after - before < kMaxSampleCycles) {
      out->tsc = before + (after - before) / 2;
      out->count = static_cast<uint16_t>(low | (high << 8));
      return true;
    }
  }
  return false;
}

// TSC cycles per millisecond, measured against PIT channel 2 counting down (mode 0). The counter
// is computed from QEMU's clock when read, so the result stays right when the host is busy and
// the 1 kHz tick interrupts arrive late or get merged (they are not used here for that reason).
uint64_t calibrate_tsc() {
  constexpr uint32_t span = kPitInputHz / 1000 * kCalibrationMs;  // counts in the window
  const uint8_t saved = inb(kSpeakerPort);
  outb(kSpeakerPort, static_cast<uint8_t>((saved & ~0x02) | 0x01));  // gate on, speaker off
  outb(kPitCommand, kChannel2OneShot);
  outb(kPitChannel2, 0xff);
  outb(kPitChannel2, 0xff);
  PitSample first = {};
  PitSample last = {};
  bool ok = sample_channel2(&first);
  while (ok) {
    ok = sample_channel2(&last);
    if (static_cast<uint16_t>(first.count - last.count) >= span) {
      break;
    }
  }
  outb(kSpeakerPort, saved);
  if (!ok) {
    return 0;
  }
  const uint64_t cycles = last.tsc - first.tsc;
  const uint64_t counts = static_cast<uint16_t>(first.count - last.count);
  return cycles * kPitInputHz / (counts * 1000);
}

}  // namespace

bool timer_init() {
  g_tsc_per_ms = calibrate_tsc();
  if (g_tsc_per_ms == 0) {
    return false;  // channel 2 never counted down
  }
  g_tsc_at_init = rdtsc();
  constexpr uint32_t divisor = (kPitInputHz + kTimerHz / 2) / kTimerHz;
  outb(kPitCommand, kChannel0RateGenerator);
  outb(kPitChannel0, static_cast<uint8_t>(divisor & 0xff));
  outb(kPitChannel0, static_cast<uint8_t>(divisor >> 8));
  if (!irq_register(kTimerIrq, on_tick, nullptr)) {
    return false;
  }
  sti();
  // The tick must arrive: every hlt-based wait relies on it to re-check its deadline.
  return spin_until_tick(read_ticks() + 2);
}

uint64_t ticks_ms() {
  return read_ticks();
}

uint64_t tsc_per_ms() {
  return g_tsc_per_ms;
}

uint64_t now_us() {
  return (rdtsc() - g_tsc_at_init) * 1000 / g_tsc_per_ms;
}

void delay_us(uint32_t us) {
  const uint64_t end = rdtsc() + static_cast<uint64_t>(us) * g_tsc_per_ms / 1000;
  while (rdtsc() < end) {
    pause();
  }
}

Deadline::Deadline(uint32_t timeout_ms)
    : end_tsc_(rdtsc() + static_cast<uint64_t>(timeout_ms) * g_tsc_per_ms) {}

}  // namespace aero::guest
