// The AERO_SELFTEST line protocol (docs/selftest-protocol.md), writer side. Every line goes to the
// serial console in one piece. Values are percent-escaped ('%', '|', CR, LF and control bytes);
// keys and test names are restricted to [A-Za-z0-9_.-] and sanitised to '_' otherwise.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "text.h"

namespace aero::guest {

enum class TestStatus { kPass, kFail, kSkip };

class Marker {
 public:
  static Marker start();                   // AERO_SELFTEST|START|version=1
  static Marker begin(const char* test);   // AERO_SELFTEST|BEGIN|<test>
  static Marker info();                    // AERO_SELFTEST|INFO
  static Marker ready(const char* token);  // AERO_SELFTEST|READY|<token>
  static Marker test(const char* test, TestStatus status, const char* reason);
  // AERO_SELFTEST|RESULT|PASS or |FAIL|reason=..., with the test counts.
  static Marker result(bool pass, const char* reason);

  Marker& kv(const char* key, const char* value);
  Marker& kv(const char* key, uint64_t value);
  Marker& kv_signed(const char* key, int64_t value);
  Marker& kv_hex(const char* key, uint64_t value, unsigned min_digits = 1);
  Marker& kv_bool(const char* key, bool value) { return kv(key, value ? "1" : "0"); }

  // Writes the line. A line that would exceed Text::kCapacity is cut after its last whole field
  // and ends with "|truncated=1".
  void emit();

 private:
  Marker() = default;
  void field_begin();
  void field_end();
  void raw(const char* s);
  void name(const char* s);
  void escaped(const char* s);

  Text text_;
  size_t field_start_ = 0;
  bool cut_ = false;
  bool is_test_result_ = false;
  TestStatus status_ = TestStatus::kPass;
};

// Counts of TEST lines emitted so far; RESULT is derived from them.
struct TestTally {
  uint32_t passed;
  uint32_t failed;
  uint32_t skipped;
};
TestTally test_tally();

// The test opened by the last BEGIN and not yet closed by its TEST line (nullptr if none); used
// to blame a CPU exception on the right test.
const char* current_test();

// AERO_SELFTEST|RESULT|PASS or |FAIL|reason=...; reason may be nullptr for PASS.
void marker_result(bool pass, const char* reason);

// Runs one named test with BEGIN/TEST bookkeeping. The test function fills `result` and returns
// the status; a test that returns without a status is reported as failed.
class TestCase {
 public:
  explicit TestCase(const char* name);
  ~TestCase();
  TestCase(const TestCase&) = delete;
  TestCase& operator=(const TestCase&) = delete;

  // Returns the result line, ready for extra key=value fields; the caller emits it.
  [[nodiscard]] Marker pass();
  [[nodiscard]] Marker fail(const char* reason);
  [[nodiscard]] Marker skip(const char* reason);

  const char* name() const { return name_; }
  bool reported() const { return reported_; }

 private:
  const char* name_;
  bool reported_ = false;
};

}  // namespace aero::guest
