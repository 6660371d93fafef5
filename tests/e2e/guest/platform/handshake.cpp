#include "handshake.h"

#include "serial.h"
#include "text.h"
#include "timer.h"

namespace aero::guest {
namespace {

constexpr size_t kMaxLine = 256;

struct LineReader {
  char line[kMaxLine + 1];
  size_t length;
  bool overflow;
};

// Consumes available input; returns true when a whole line is in reader.line.
bool read_line(LineReader& r) {
  char c;
  while (serial_read_byte(&c)) {
    if (c == '\r') {
      continue;
    }
    if (c == '\n') {
      r.line[r.length] = '\0';
      const bool complete = !r.overflow;
      r.length = 0;
      r.overflow = false;
      if (complete) {
        return true;
      }
      continue;
    }
    if (r.length < kMaxLine) {
      r.line[r.length++] = c;
    } else {
      r.overflow = true;
    }
  }
  return false;
}

}  // namespace

HarnessReply request_harness(Marker ready, const char* token, uint32_t timeout_ms) {
  Text ack;
  ack.str("AERO_HARNESS|ACK|").str(token);
  Text nak;
  nak.str("AERO_HARNESS|NAK|").str(token);
  LineReader reader = {};
  ready.emit();
  HarnessReply reply = HarnessReply::kTimeout;
  wait_until(
      [&] {
        while (read_line(reader)) {
          if (str_equal(reader.line, ack.c_str())) {
            reply = HarnessReply::kAck;
            return true;
          }
          if (str_starts_with(reader.line, nak.c_str())) {
            const char next = reader.line[nak.size()];  // the line is at least this long
            if (next == '\0' || next == '|') {
              reply = HarnessReply::kNak;
              return true;
            }
          }
        }
        return false;
      },
      timeout_ms);
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
