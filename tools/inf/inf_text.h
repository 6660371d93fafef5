// Byte-level decoding of INF files: UTF-16LE with a BOM, UTF-8 with or without a BOM, and plain
// ASCII/ANSI. The parser works on UTF-8 text; the encoding is remembered so that tools which
// rewrite part of an INF can write it back the way it was stored.
#ifndef AERO_TOOLS_INF_INF_TEXT_H_
#define AERO_TOOLS_INF_INF_TEXT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace aero::inf {

enum class TextEncoding {
  kAnsi,     // no BOM: ASCII, UTF-8 or a single-byte code page; passed through unchanged
  kUtf8Bom,  // EF BB BF
  kUtf16Le,  // FF FE
};

struct DecodedText {
  TextEncoding encoding = TextEncoding::kAnsi;
  std::string utf8;  // the text without its BOM
};

// Decodes `bytes`. On failure returns false and sets `error` (no line number: the failure is in
// the byte encoding, e.g. an odd-length UTF-16 file or an unpaired surrogate).
bool DecodeText(std::span<const std::uint8_t> bytes, DecodedText* out, std::string* error);

// Encodes UTF-8 `text` in `encoding`, adding the BOM that encoding implies. Fails only for
// kUtf16Le when `text` is not valid UTF-8.
bool EncodeText(std::string_view text, TextEncoding encoding, std::string* out, std::string* error);

}  // namespace aero::inf

#endif  // AERO_TOOLS_INF_INF_TEXT_H_
