#include "panic.h"

#include "cpu.h"
#include "markers.h"

namespace aero::guest {

void qemu_exit(uint32_t code) {
  cli();
  outl(kDebugExitPort, code);
  // Without the debug-exit device the write is ignored; stop here so the harness sees a hang, not
  // a reboot loop.
  halt_forever();
}

void panic(const char* reason) {
  cli();
  marker_result(false, reason);
  qemu_exit(kExitFail);
}

}  // namespace aero::guest
