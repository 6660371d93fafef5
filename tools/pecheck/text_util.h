// Small string helpers shared by the parsers and the message formatting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aero::pecheck {

std::string Hex(uint64_t value);
std::string ToLowerAscii(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string_view TrimWhitespace(std::string_view text);
// Quotes text from an untrusted file for a one-line message: non-printable bytes become \xNN.
std::string Quoted(std::string_view text);

}  // namespace aero::pecheck
