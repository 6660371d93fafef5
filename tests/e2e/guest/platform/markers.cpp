#include "markers.h"

#include "serial.h"

namespace aero::guest {
namespace {

constexpr char kPrefix[] = "AERO_SELFTEST|";
// Room kept for "|truncated=1".
constexpr size_t kReserve = 16;

TestTally g_tally = {0, 0, 0};
const char* g_current_test = nullptr;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

const char* status_word(TestStatus s) {
  switch (s) {
    case TestStatus::kPass:
      return "PASS";
    case TestStatus::kFail:
      return "FAIL";
    case TestStatus::kSkip:
      return "SKIP";
  }
  return "FAIL";
}

}  // namespace

void Marker::raw(const char* s) {
  text_.str(s);
}

void Marker::name(const char* s) {
  if (s == nullptr || *s == '\0') {
    text_.ch('_');
    return;
  }
  for (; *s != '\0'; ++s) {
    text_.ch(is_name_char(*s) ? *s : '_');
  }
}

void Marker::escaped(const char* s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (s == nullptr) {
    return;
  }
  for (; *s != '\0'; ++s) {
    const auto c = static_cast<unsigned char>(*s);
    if (c == '%' || c == '|' || c < 0x20 || c == 0x7f) {
      text_.ch('%').ch(kHex[c >> 4]).ch(kHex[c & 0xf]);
    } else {
      text_.ch(static_cast<char>(c));
    }
  }
}

void Marker::field_begin() {
  field_start_ = text_.size();
  text_.ch('|');
}

void Marker::field_end() {
  if (cut_ || text_.size() + kReserve > Text::kCapacity) {
    text_.truncate_to(field_start_);
    cut_ = true;
  }
}

Marker Marker::start() {
  Marker m;
  m.raw(kPrefix);
  m.raw("START|version=1");
  return m;
}

Marker Marker::begin(const char* test) {
  Marker m;
  m.raw(kPrefix);
  m.raw("BEGIN|");
  m.name(test);
  g_current_test = test;
  return m;
}

Marker Marker::info() {
  Marker m;
  m.raw(kPrefix);
  m.raw("INFO");
  return m;
}

Marker Marker::ready(const char* token) {
  Marker m;
  m.raw(kPrefix);
  m.raw("READY|");
  m.name(token);
  return m;
}

Marker Marker::test(const char* test, TestStatus status, const char* reason) {
  Marker m;
  m.raw(kPrefix);
  m.raw("TEST|");
  m.name(test);
  m.raw("|");
  m.raw(status_word(status));
  m.is_test_result_ = true;
  m.status_ = status;
  if (status != TestStatus::kPass) {
    m.kv("reason", reason != nullptr && *reason != '\0' ? reason : "unspecified");
  }
  return m;
}

Marker& Marker::kv(const char* key, const char* value) {
  field_begin();
  name(key);
  text_.ch('=');
  escaped(value);
  field_end();
  return *this;
}

Marker& Marker::kv(const char* key, uint64_t value) {
  field_begin();
  name(key);
  text_.ch('=').dec(value);
  field_end();
  return *this;
}

Marker& Marker::kv_signed(const char* key, int64_t value) {
  field_begin();
  name(key);
  text_.ch('=').sdec(value);
  field_end();
  return *this;
}

Marker& Marker::kv_hex(const char* key, uint64_t value, unsigned min_digits) {
  field_begin();
  name(key);
  text_.ch('=').hex(value, min_digits);
  field_end();
  return *this;
}

void Marker::emit() {
  if (cut_) {
    text_.str("|truncated=1");
  }
  text_.ch('\n');
  serial_write(text_.c_str(), text_.size());
  if (is_test_result_) {
    switch (status_) {
      case TestStatus::kPass:
        ++g_tally.passed;
        break;
      case TestStatus::kFail:
        ++g_tally.failed;
        break;
      case TestStatus::kSkip:
        ++g_tally.skipped;
        break;
    }
    g_current_test = nullptr;
  }
  text_.clear();
  is_test_result_ = false;
}

TestTally test_tally() {
  return g_tally;
}

const char* current_test() {
  return g_current_test;
}

Marker Marker::result(bool pass, const char* reason) {
  Marker m;
  m.raw(kPrefix);
  m.raw(pass ? "RESULT|PASS" : "RESULT|FAIL");
  if (!pass) {
    m.kv("reason", reason != nullptr && *reason != '\0' ? reason : "unspecified");
  }
  m.kv("passed", g_tally.passed).kv("failed", g_tally.failed).kv("skipped", g_tally.skipped);
  return m;
}

void marker_result(bool pass, const char* reason) {
  Marker::result(pass, reason).emit();
}

TestCase::TestCase(const char* name) : name_(name) {
  Marker::begin(name).emit();
}

TestCase::~TestCase() {
  if (!reported_) {
    Marker::test(name_, TestStatus::kFail, "test returned without a result").emit();
  }
}

Marker TestCase::pass() {
  reported_ = true;
  return Marker::test(name_, TestStatus::kPass, nullptr);
}

Marker TestCase::fail(const char* reason) {
  reported_ = true;
  return Marker::test(name_, TestStatus::kFail, reason);
}

Marker TestCase::skip(const char* reason) {
  reported_ = true;
  return Marker::test(name_, TestStatus::kSkip, reason);
}

}  // namespace aero::guest
