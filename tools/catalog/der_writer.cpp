#include "der_writer.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <stdexcept>
#include <string>

namespace aero::catalog::der {
namespace {

void AppendLength(std::size_t length, Bytes* out) {
  if (length < 0x80) {
    out->push_back(static_cast<std::uint8_t>(length));
    return;
  }
  std::uint8_t digits[sizeof(std::size_t)] = {};
  int count = 0;
  for (std::size_t rest = length; rest != 0; rest >>= 8) {
    digits[count++] = static_cast<std::uint8_t>(rest & 0xff);
  }
  out->push_back(static_cast<std::uint8_t>(0x80 | count));
  for (int i = count - 1; i >= 0; --i) {
    out->push_back(digits[i]);
  }
}

Bytes Concatenate(std::span<const Bytes> elements) {
  Bytes content;
  for (const Bytes& element : elements) {
    content.insert(content.end(), element.begin(), element.end());
  }
  return content;
}

void AppendBase128(std::uint64_t value, Bytes* out) {
  std::uint8_t groups[10] = {};
  int count = 0;
  do {
    groups[count++] = static_cast<std::uint8_t>(value & 0x7f);
    value >>= 7;
  } while (value != 0);
  for (int i = count - 1; i >= 0; --i) {
    out->push_back(static_cast<std::uint8_t>(groups[i] | (i == 0 ? 0 : 0x80)));
  }
}

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

}  // namespace

Bytes Tlv(std::uint8_t tag, std::span<const std::uint8_t> content) {
  Bytes out;
  out.reserve(content.size() + 6);
  out.push_back(tag);
  AppendLength(content.size(), &out);
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes Sequence(std::span<const Bytes> elements) {
  return Tlv(kTagSequence, Concatenate(elements));
}

Bytes Sequence(std::initializer_list<Bytes> elements) {
  return Sequence(std::span<const Bytes>(elements.begin(), elements.size()));
}

Bytes Set(std::span<const Bytes> elements) {
  std::vector<Bytes> sorted(elements.begin(), elements.end());
  std::sort(sorted.begin(), sorted.end());
  return Tlv(kTagSet, Concatenate(sorted));
}

Bytes Set(std::initializer_list<Bytes> elements) {
  return Set(std::span<const Bytes>(elements.begin(), elements.size()));
}

Bytes ObjectId(std::string_view dotted) {
  std::vector<std::uint64_t> arcs;
  std::size_t pos = 0;
  while (pos <= dotted.size()) {
    const std::size_t dot = std::min(dotted.find('.', pos), dotted.size());
    const std::string_view arc = dotted.substr(pos, dot - pos);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(arc.data(), arc.data() + arc.size(), value);
    if (arc.empty() || error != std::errc() || end != arc.data() + arc.size() ||
        (arc.size() > 1 && arc[0] == '0')) {
      throw std::invalid_argument("malformed OID '" + std::string(dotted) + "'");
    }
    arcs.push_back(value);
    pos = dot + 1;
  }
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) ||
      arcs[1] > UINT64_MAX - 80) {
    throw std::invalid_argument("malformed OID '" + std::string(dotted) + "'");
  }
  Bytes content;
  AppendBase128(arcs[0] * 40 + arcs[1], &content);
  for (std::size_t i = 2; i < arcs.size(); ++i) {
    AppendBase128(arcs[i], &content);
  }
  return Tlv(kTagObjectId, content);
}

Bytes OctetString(std::span<const std::uint8_t> content) {
  return Tlv(kTagOctetString, content);
}

Bytes Null() {
  return Bytes{kTagNull, 0x00};
}

Bytes Integer(std::uint64_t value) {
  Bytes content;
  for (int shift = 56; shift >= 0; shift -= 8) {
    const auto byte = static_cast<std::uint8_t>((value >> shift) & 0xff);
    if (content.empty() && byte == 0 && shift != 0) {
      continue;
    }
    if (content.empty() && (byte & 0x80) != 0) {
      content.push_back(0x00);  // keep the value positive
    }
    content.push_back(byte);
  }
  return Tlv(kTagInteger, content);
}

Bytes BitString(std::span<const std::uint8_t> bits, std::uint8_t unused_bits) {
  if (unused_bits > 7 || (bits.empty() && unused_bits != 0)) {
    throw std::invalid_argument("BIT STRING with an impossible unused-bit count");
  }
  Bytes content;
  content.push_back(unused_bits);
  content.insert(content.end(), bits.begin(), bits.end());
  return Tlv(kTagBitString, content);
}

Bytes BmpContent(std::string_view ascii) {
  if (!IsPrintableAscii(ascii)) {
    throw std::invalid_argument("BMPString text must be printable ASCII");
  }
  Bytes content;
  for (char c : ascii) {
    content.push_back(0x00);
    content.push_back(static_cast<std::uint8_t>(c));
  }
  return content;
}

Bytes BmpString(std::string_view ascii) {
  return Tlv(kTagBmpString, BmpContent(ascii));
}

Bytes UtcTime(std::int64_t unix_seconds) {
  constexpr std::int64_t kFirst = -631152000;  // 1950-01-01T00:00:00Z
  constexpr std::int64_t kEnd = 2524608000;    // 2050-01-01T00:00:00Z
  if (unix_seconds < kFirst || unix_seconds >= kEnd) {
    throw std::out_of_range("time " + std::to_string(unix_seconds) +
                            " cannot be written as UTCTime (1950..2049)");
  }
  const auto seconds = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) {
    throw std::out_of_range("time " + std::to_string(unix_seconds) + " is not representable");
  }
  // UTCTime keeps two year digits; the range check above makes them unambiguous.
  const int fields[] = {utc.tm_year % 100, utc.tm_mon + 1, utc.tm_mday,
                        utc.tm_hour,       utc.tm_min,     utc.tm_sec};
  Bytes content;
  for (int field : fields) {
    content.push_back(static_cast<std::uint8_t>('0' + field / 10));
    content.push_back(static_cast<std::uint8_t>('0' + field % 10));
  }
  content.push_back('Z');
  return Tlv(kTagUtcTime, content);
}

Bytes ContextExplicit(std::uint8_t number, const Bytes& inner) {
  if (number > 30) {
    throw std::invalid_argument("context tag numbers above 30 are not supported");
  }
  return Tlv(static_cast<std::uint8_t>(0xa0 | number), inner);
}

Bytes ContextPrimitive(std::uint8_t number, std::span<const std::uint8_t> content) {
  if (number > 30) {
    throw std::invalid_argument("context tag numbers above 30 are not supported");
  }
  return Tlv(static_cast<std::uint8_t>(0x80 | number), content);
}

Bytes Utf16LeWithNul(std::string_view ascii) {
  if (!IsPrintableAscii(ascii)) {
    throw std::invalid_argument("'" + std::string(ascii) + "' is not printable ASCII");
  }
  Bytes out;
  out.reserve(ascii.size() * 2 + 2);
  for (char c : ascii) {
    out.push_back(static_cast<std::uint8_t>(c));
    out.push_back(0x00);
  }
  out.push_back(0x00);
  out.push_back(0x00);
  return out;
}

}  // namespace aero::catalog::der
