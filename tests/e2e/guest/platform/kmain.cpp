// Guest entry: bring up the platform, run the scenario named on the command line, report, exit.
#include <stdint.h>

#include "cpu.h"
#include "dma.h"
#include "interrupts.h"
#include "markers.h"
#include "multiboot.h"
#include "panic.h"
#include "scenario.h"
#include "serial.h"
#include "text.h"
#include "timer.h"
#include "virtio/guest_platform.h"

extern "C" [[noreturn]] void kmain(uint32_t magic, uint32_t info_address);

namespace aero::guest {
namespace {

const Scenario* find_scenario(const char* name) {
  for (size_t i = 0; i < kScenarioCount; ++i) {
    if (str_equal(kScenarios[i].name, name)) {
      return &kScenarios[i];
    }
  }
  return nullptr;
}

[[noreturn]] void fail_early(const char* reason) {
  Marker::start().kv("guest", "aero-e2e-i686").emit();
  panic(reason);
}

}  // namespace
}  // namespace aero::guest

extern "C" void kmain(uint32_t magic, uint32_t info_address) {
  using namespace aero::guest;
  serial_init();
  if (const char* error = multiboot_init(magic, info_address)) {
    fail_early(error);
  }
  interrupts_init();
  if (!timer_init()) {
    fail_early("PIT: TSC calibration (channel 2) or the 1 kHz tick interrupt failed");
  }
  if (const char* error = dma_init()) {
    fail_early(error);
  }

  char fault[32];
  if (cmdline_string("fault", fault, sizeof(fault))) {
    if (!str_equal(fault, "drop-notify")) {
      fail_early("unknown fault= option (known: drop-notify)");
    }
    set_fault_drop_notify(true);
  }

  char name[64];
  if (!cmdline_string("scenario", name, sizeof(name))) {
    name[0] = '\0';
  }
  Marker::start()
      .kv("guest", "aero-e2e-i686")
      .kv("scenario", name)
      .kv("tsc_khz", tsc_per_ms())
      .kv("fault", fault_drop_notify() ? "drop-notify" : "none")
      .emit();
  Marker::info()
      .kv("cmdline", cmdline())
      .kv_hex("dma_base", dma_region_base(), 8)
      .kv_hex("dma_end", dma_region_end(), 8)
      .emit();

  const Scenario* scenario = find_scenario(name);
  if (scenario == nullptr) {
    Text reason;
    reason.str("unknown scenario '").str(name).str("'; known:");
    for (size_t i = 0; i < kScenarioCount; ++i) {
      reason.ch(' ').str(kScenarios[i].name);
    }
    panic(reason.c_str());
  }
  scenario->run();

  uint8_t storm_irq = 0;
  if (irq_storm_detected(&storm_irq)) {
    Text reason;
    reason.str("interrupt storm: IRQ ").dec(storm_irq).str(" kept firing unclaimed and was masked");
    panic(reason.c_str());
  }
  const TestTally tally = test_tally();
  if (tally.failed != 0) {
    marker_result(false, "one or more tests failed");
    qemu_exit(kExitFail);
  }
  if (tally.passed == 0) {
    marker_result(false, "no test passed");
    qemu_exit(kExitFail);
  }
  marker_result(true, nullptr);
  qemu_exit(kExitPass);
}
