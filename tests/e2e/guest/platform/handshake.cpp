#include "handshake.h"

#include "serial.h"
#include "timer.h"

namespace aero::guest {

void PendingHarnessRequest::Begin(Marker ready, const char* token) {
  ack_.clear();
  ack_.str("AERO_HARNESS|ACK|").str(token);
  nak_.clear();
  nak_.str("AERO_HARNESS|NAK|").str(token);
  length_ = 0;
  overflow_ = false;
  ready.emit();
}

// Consumes available input; returns true when a whole line is in line_.
bool PendingHarnessRequest::ReadLine() {
  char c;
  while (serial_read_byte(&c)) {
    if (c == '\r') {
      continue;
    }
    if (c == '\n') {
      line_[length_] = '\0';
      const bool complete = !overflow_;
      length_ = 0;
      overflow_ = false;
      if (complete) {
        return true;
      }
      continue;
    }
    if (length_ < kMaxLine) {
      line_[length_++] = c;
    } else {
      overflow_ = true;
    }
  }
  return false;
}

bool PendingHarnessRequest::Poll(HarnessReply* reply) {
  while (ReadLine()) {
    if (str_equal(line_, ack_.c_str())) {
      *reply = HarnessReply::kAck;
      return true;
    }
    if (str_starts_with(line_, nak_.c_str())) {
      const char next = line_[nak_.size()];  // the line is at least this long
      if (next == '\0' || next == '|') {
        *reply = HarnessReply::kNak;
        return true;
      }
    }
  }
  return false;
}

HarnessReply request_harness(Marker ready, const char* token, uint32_t timeout_ms) {
  static PendingHarnessRequest request;  // one exchange at a time; keeps the stack small
  request.Begin(ready, token);
  HarnessReply reply = HarnessReply::kTimeout;
  wait_until([&] { return request.Poll(&reply); }, timeout_ms);
  return reply;
}

const char* harness_reply_text(HarnessReply reply) {
  switch (reply) {
    case HarnessReply::kAck:
      return "acknowledged";
    case HarnessReply::kNak:
      return "the harness reported that its action failed";
    case HarnessReply::kTimeout:
      return "no reply from the harness";
  }
  return "?";
}

}  // namespace aero::guest
