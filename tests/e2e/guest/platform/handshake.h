// The READY handshake: the guest prints AERO_SELFTEST|READY|<token> when it needs the harness to
// act (inject input over QMP, inspect the devices), and waits for the harness's reply on the serial
// input: "AERO_HARNESS|ACK|<token>" once the action is done, or "AERO_HARNESS|NAK|<token>|..." if
// it failed. Other input lines are ignored.
#pragma once

#include <stdint.h>

#include <stddef.h>

#include "markers.h"
#include "text.h"

namespace aero::guest {

enum class HarnessReply { kAck, kNak, kTimeout };

// Emits the READY marker (with the fields already added to `ready`) and waits for the reply.
HarnessReply request_harness(Marker ready, const char* token, uint32_t timeout_ms);

// The same exchange without blocking, for a guest that keeps its devices busy while the harness
// acts (a QMP block_resize during I/O): Begin emits READY, Poll consumes the serial input that has
// arrived and reports a reply once it is there.
class PendingHarnessRequest {
 public:
  void Begin(Marker ready, const char* token);
  // True once the reply arrived (then *reply is kAck or kNak).
  bool Poll(HarnessReply* reply);

 private:
  static constexpr size_t kMaxLine = 256;
  bool ReadLine();

  Text ack_;
  Text nak_;
  char line_[kMaxLine + 1] = {};
  size_t length_ = 0;
  bool overflow_ = false;
};

const char* harness_reply_text(HarnessReply reply);

}  // namespace aero::guest
