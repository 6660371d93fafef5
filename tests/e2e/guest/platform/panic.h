// Ending the guest: QEMU's isa-debug-exit device (iobase 0xf4) turns a write of v into the exit
// status (v << 1) | 1. 0x10 (status 33) means pass and 0x11 (status 35) fail; every other status,
// including QEMU's own errors (1) and a triple fault under -no-reboot (0), is a failure.
#pragma once

#include <stdint.h>

namespace aero::guest {

inline constexpr uint16_t kDebugExitPort = 0xf4;
inline constexpr uint32_t kExitPass = 0x10;
inline constexpr uint32_t kExitFail = 0x11;

[[noreturn]] void qemu_exit(uint32_t code);

// Reports an unrecoverable guest error as a failed run (RESULT|FAIL with the reason) and exits.
[[noreturn]] void panic(const char* reason);

}  // namespace aero::guest
