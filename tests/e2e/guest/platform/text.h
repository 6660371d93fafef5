// A fixed-capacity text builder (no heap) and the few string helpers the guest needs.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aero::guest {

class Text {
 public:
  static constexpr size_t kCapacity = 1024;

  Text() { buf_[0] = '\0'; }

  Text& str(const char* s);
  Text& str(const char* s, size_t n);
  Text& ch(char c);
  Text& dec(uint64_t v);
  Text& sdec(int64_t v);
  // "0x" followed by at least min_digits lower-case hex digits.
  Text& hex(uint64_t v, unsigned min_digits = 1);

  const char* c_str() const { return buf_; }
  size_t size() const { return len_; }
  bool truncated() const { return truncated_; }
  void clear() {
    len_ = 0;
    truncated_ = false;
    buf_[0] = '\0';
  }
  // Cuts the text back to n characters (n <= size()).
  void truncate_to(size_t n) {
    if (n < len_) {
      len_ = n;
      buf_[len_] = '\0';
    }
  }

 private:
  char buf_[kCapacity + 1];
  size_t len_ = 0;
  bool truncated_ = false;
};

size_t strlen_bounded(const char* s, size_t max = 4096);
bool str_equal(const char* a, const char* b);
bool str_equal(const char* a, size_t a_len, const char* b);
bool str_starts_with(const char* s, const char* prefix);
// Parses a decimal or 0x-prefixed hexadecimal unsigned number; false on junk or overflow.
bool parse_u64(const char* s, size_t len, uint64_t* out);

}  // namespace aero::guest
