// The READY handshake: the guest prints AERO_SELFTEST|READY|<token> when it needs the harness to
// act (inject input over QMP, inspect the devices), and waits for the harness's reply on the serial
// input: "AERO_HARNESS|ACK|<token>" once the action is done, or "AERO_HARNESS|NAK|<token>|..." if
// it failed. Other input lines are ignored.
#pragma once

#include <stdint.h>

#include "markers.h"

namespace aero::guest {

enum class HarnessReply { kAck, kNak, kTimeout };

// Emits the READY marker (with the fields already added to `ready`) and waits for the reply.
HarnessReply request_harness(Marker ready, const char* token, uint32_t timeout_ms);

const char* harness_reply_text(HarnessReply reply);

}  // namespace aero::guest
