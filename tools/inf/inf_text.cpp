#include "inf_text.h"

namespace aero::inf {
namespace {

void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool DecodeUtf16Le(std::span<const std::uint8_t> bytes, std::string* out, std::string* error) {
  if (bytes.size() % 2 != 0) {
    *error = "UTF-16LE file has an odd number of bytes";
    return false;
  }
  out->reserve(bytes.size() / 2);
  const std::size_t units = bytes.size() / 2;
  for (std::size_t i = 0; i < units; ++i) {
    std::uint32_t unit = bytes[2 * i] | (static_cast<std::uint32_t>(bytes[2 * i + 1]) << 8);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (i + 1 >= units) {
        *error = "UTF-16LE text ends inside a surrogate pair";
        return false;
      }
      std::uint32_t low = bytes[2 * i + 2] | (static_cast<std::uint32_t>(bytes[2 * i + 3]) << 8);
      if (low < 0xDC00 || low > 0xDFFF) {
        *error =
            "UTF-16LE text has an unpaired high surrogate at byte " + std::to_string(2 * i + 2);
        return false;
      }
      AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out);
      ++i;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      *error = "UTF-16LE text has an unpaired low surrogate at byte " + std::to_string(2 * i + 2);
      return false;
    } else if (unit == 0) {
      *error = "UTF-16LE text contains a NUL character at byte " + std::to_string(2 * i + 2);
      return false;
    } else {
      AppendUtf8(unit, out);
    }
  }
  return true;
}

// Decodes one UTF-8 sequence starting at text[*pos]; returns false on malformed input.
bool NextCodePoint(std::string_view text, std::size_t* pos, std::uint32_t* cp) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(*pos);
  std::size_t length = 0;
  std::uint32_t value = 0;
  if (lead < 0x80) {
    *cp = lead;
    *pos += 1;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
  } else {
    return false;
  }
  if (*pos + length > text.size()) {
    return false;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const std::uint8_t b = byte(*pos + i);
    if ((b & 0xC0) != 0x80) {
      return false;
    }
    value = (value << 6) | (b & 0x3F);
  }
  static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return false;
  }
  *cp = value;
  *pos += length;
  return true;
}

}  // namespace

bool DecodeText(std::span<const std::uint8_t> bytes, DecodedText* out, std::string* error) {
  out->utf8.clear();
  if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
    out->encoding = TextEncoding::kUtf16Le;
    return DecodeUtf16Le(bytes.subspan(2), &out->utf8, error);
  }
  if (bytes.size() >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) {
    *error = "UTF-16BE files are not supported (Windows reads UTF-16LE INFs only)";
    return false;
  }
  std::size_t start = 0;
  out->encoding = TextEncoding::kAnsi;
  if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
    out->encoding = TextEncoding::kUtf8Bom;
    start = 3;
  }
  for (std::size_t i = start; i < bytes.size(); ++i) {
    if (bytes[i] == 0) {
      *error = "file contains a NUL byte at offset " + std::to_string(i) +
               " (UTF-16 without a byte-order mark is not supported)";
      return false;
    }
  }
  out->utf8.assign(reinterpret_cast<const char*>(bytes.data()) + start, bytes.size() - start);
  return true;
}

bool EncodeText(std::string_view text, TextEncoding encoding, std::string* out,
                std::string* error) {
  out->clear();
  switch (encoding) {
    case TextEncoding::kAnsi:
      out->assign(text);
      return true;
    case TextEncoding::kUtf8Bom:
      out->assign("\xEF\xBB\xBF");
      out->append(text);
      return true;
    case TextEncoding::kUtf16Le:
      break;
  }
  out->assign("\xFF\xFE");
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::uint32_t cp = 0;
    if (!NextCodePoint(text, &pos, &cp)) {
      *error = "text is not valid UTF-8 at byte " + std::to_string(pos);
      return false;
    }
    const auto put = [out](std::uint32_t unit) {
      out->push_back(static_cast<char>(unit & 0xFF));
      out->push_back(static_cast<char>(unit >> 8));
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return true;
}

}  // namespace aero::inf
