#include "text.h"

namespace aero::guest {

Text& Text::ch(char c) {
  if (len_ < kCapacity) {
    buf_[len_++] = c;
    buf_[len_] = '\0';
  } else {
    truncated_ = true;
  }
  return *this;
}

Text& Text::str(const char* s) {
  if (s == nullptr) {
    return str("(null)");
  }
  while (*s != '\0') {
    ch(*s++);
  }
  return *this;
}

Text& Text::str(const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    ch(s[i]);
  }
  return *this;
}

Text& Text::dec(uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) {
    ch(digits[--n]);
  }
  return *this;
}

Text& Text::sdec(int64_t v) {
  if (v < 0) {
    ch('-');
    return dec(uint64_t{0} - static_cast<uint64_t>(v));
  }
  return dec(static_cast<uint64_t>(v));
}

Text& Text::hex(uint64_t v, unsigned min_digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  str("0x");
  unsigned digits = 16;
  while (digits > 1 && ((v >> ((digits - 1) * 4)) & 0xf) == 0) {
    --digits;
  }
  if (min_digits > 16) {
    min_digits = 16;
  }
  if (digits < min_digits) {
    digits = min_digits;
  }
  for (unsigned i = digits; i > 0; --i) {
    ch(kDigits[(v >> ((i - 1) * 4)) & 0xf]);
  }
  return *this;
}

size_t strlen_bounded(const char* s, size_t max) {
  size_t n = 0;
  while (n < max && s[n] != '\0') {
    ++n;
  }
  return n;
}

bool str_equal(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

bool str_equal(const char* a, size_t a_len, const char* b) {
  for (size_t i = 0; i < a_len; ++i) {
    if (b[i] == '\0' || a[i] != b[i]) {
      return false;
    }
  }
  return b[a_len] == '\0';
}

bool str_starts_with(const char* s, const char* prefix) {
  while (*prefix != '\0') {
    if (*s++ != *prefix++) {
      return false;
    }
  }
  return true;
}

bool parse_u64(const char* s, size_t len, uint64_t* out) {
  if (len == 0) {
    return false;
  }
  uint64_t value = 0;
  if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    if (len - 2 > 16) {
      return false;
    }
    for (size_t i = 2; i < len; ++i) {
      const char c = s[i];
      uint64_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint64_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<uint64_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<uint64_t>(c - 'A' + 10);
      } else {
        return false;
      }
      value = (value << 4) | d;
    }
  } else {
    for (size_t i = 0; i < len; ++i) {
      const char c = s[i];
      if (c < '0' || c > '9') {
        return false;
      }
      const uint64_t d = static_cast<uint64_t>(c - '0');
      if (value > (UINT64_MAX - d) / 10) {
        return false;
      }
      value = value * 10 + d;
    }
  }
  *out = value;
  return true;
}

}  // namespace aero::guest
