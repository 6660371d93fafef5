// Scenario options from the multiboot command line (key=value). A malformed value ends the run
// with a clear reason rather than running with a guess.
#pragma once

#include <stdint.h>

#include "platform/multiboot.h"
#include "platform/panic.h"
#include "platform/text.h"

namespace aero::guest {

inline uint32_t option_u32(const char* key, uint32_t fallback) {
  bool valid = true;
  const uint64_t v = cmdline_u64(key, fallback, &valid);
  if (!valid || v > 0xffffffffu) {
    Text reason;
    reason.str("bad value for command-line option ").str(key);
    panic(reason.c_str());
  }
  return static_cast<uint32_t>(v);
}

}  // namespace aero::guest
