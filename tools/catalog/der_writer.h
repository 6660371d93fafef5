// A small DER (X.690 distinguished encoding) writer: just the types a catalog needs. Each function
// returns one complete TLV; constructed types take already-encoded children.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace aero::catalog::der {

using Bytes = std::vector<std::uint8_t>;

// Universal tags used here.
inline constexpr std::uint8_t kTagInteger = 0x02;
inline constexpr std::uint8_t kTagBitString = 0x03;
inline constexpr std::uint8_t kTagOctetString = 0x04;
inline constexpr std::uint8_t kTagNull = 0x05;
inline constexpr std::uint8_t kTagObjectId = 0x06;
inline constexpr std::uint8_t kTagUtcTime = 0x17;
inline constexpr std::uint8_t kTagBmpString = 0x1e;
inline constexpr std::uint8_t kTagSequence = 0x30;
inline constexpr std::uint8_t kTagSet = 0x31;

// Any single-byte tag with definite-length content.
Bytes Tlv(std::uint8_t tag, std::span<const std::uint8_t> content);

// SEQUENCE of the given encodings, in order.
Bytes Sequence(std::span<const Bytes> elements);
Bytes Sequence(std::initializer_list<Bytes> elements);

// SET OF: DER orders the elements by their encodings.
Bytes Set(std::span<const Bytes> elements);
Bytes Set(std::initializer_list<Bytes> elements);

// Dotted-decimal OID such as "1.3.6.1.4.1.311.12.1.1". Throws std::invalid_argument when the text
// is not a valid OID (the callers pass constants; a bad one is a programming error).
Bytes ObjectId(std::string_view dotted);

Bytes OctetString(std::span<const std::uint8_t> content);
Bytes Null();
Bytes Integer(std::uint64_t value);

// BIT STRING with `unused_bits` (0..7) unused bits in the last byte.
Bytes BitString(std::span<const std::uint8_t> bits, std::uint8_t unused_bits);

// BMPString (UCS-2 big-endian) of printable ASCII text; throws std::invalid_argument otherwise.
Bytes BmpString(std::string_view ascii);
// The same UCS-2 big-endian bytes without a tag, for IMPLICIT-tagged BMPStrings.
Bytes BmpContent(std::string_view ascii);

// UTCTime "YYMMDDHHMMSSZ" for a Unix time; throws std::out_of_range outside 1950..2049.
Bytes UtcTime(std::int64_t unix_seconds);

// [n] EXPLICIT (constructed, context-specific) around one encoding.
Bytes ContextExplicit(std::uint8_t number, const Bytes& inner);
// [n] IMPLICIT primitive (context-specific) with raw content.
Bytes ContextPrimitive(std::uint8_t number, std::span<const std::uint8_t> content);

// UTF-16LE bytes of printable ASCII text followed by a 16-bit NUL, the way CryptoAPI stores
// wide-string values inside OCTET STRINGs. Throws std::invalid_argument for non-ASCII text.
Bytes Utf16LeWithNul(std::string_view ascii);

}  // namespace aero::catalog::der
