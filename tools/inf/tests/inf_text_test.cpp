#include "inf_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace aero::inf {
namespace {

std::vector<std::uint8_t> Bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(InfText, AsciiPassesThrough) {
  DecodedText out;
  std::string error;
  ASSERT_TRUE(DecodeText(Bytes("[Version]\r\n"), &out, &error)) << error;
  EXPECT_EQ(out.encoding, TextEncoding::kAnsi);
  EXPECT_EQ(out.utf8, "[Version]\r\n");
}

TEST(InfText, Utf8BomIsStripped) {
  DecodedText out;
  std::string error;
  ASSERT_TRUE(DecodeText(Bytes("\xEF\xBB\xBF[V]\n"), &out, &error)) << error;
  EXPECT_EQ(out.encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(out.utf8, "[V]\n");
}

TEST(InfText, Utf16LeWithBomDecodesToUtf8) {
  // "[é😀]" in UTF-16LE: BMP character and a surrogate pair.
  const std::vector<std::uint8_t> bytes = {0xFF, 0xFE, '[',  0,    0xE9, 0x00,
                                           0x3D, 0xD8, 0x00, 0xDE, ']',  0};
  DecodedText out;
  std::string error;
  ASSERT_TRUE(DecodeText(bytes, &out, &error)) << error;
  EXPECT_EQ(out.encoding, TextEncoding::kUtf16Le);
  EXPECT_EQ(out.utf8, "[\xC3\xA9\xF0\x9F\x98\x80]");
}

TEST(InfText, Utf16LeOddLengthIsAnError) {
  DecodedText out;
  std::string error;
  EXPECT_FALSE(DecodeText(std::vector<std::uint8_t>{0xFF, 0xFE, 'a'}, &out, &error));
  EXPECT_NE(error.find("odd number of bytes"), std::string::npos) << error;
}

TEST(InfText, Utf16LeUnpairedSurrogateIsAnError) {
  DecodedText out;
  std::string error;
  EXPECT_FALSE(DecodeText(std::vector<std::uint8_t>{0xFF, 0xFE, 0x3D, 0xD8, 'a', 0}, &out, &error));
  EXPECT_NE(error.find("unpaired high surrogate"), std::string::npos) << error;
  EXPECT_FALSE(DecodeText(std::vector<std::uint8_t>{0xFF, 0xFE, 0x00, 0xDE}, &out, &error));
  EXPECT_NE(error.find("unpaired low surrogate"), std::string::npos) << error;
  EXPECT_FALSE(DecodeText(std::vector<std::uint8_t>{0xFF, 0xFE, 0x3D, 0xD8}, &out, &error));
  EXPECT_NE(error.find("ends inside a surrogate pair"), std::string::npos) << error;
}

TEST(InfText, Utf16BeIsRejected) {
  DecodedText out;
  std::string error;
  EXPECT_FALSE(DecodeText(std::vector<std::uint8_t>{0xFE, 0xFF, 0, '['}, &out, &error));
  EXPECT_NE(error.find("UTF-16BE"), std::string::npos) << error;
}

TEST(InfText, NulByteWithoutBomIsRejected) {
  DecodedText out;
  std::string error;
  EXPECT_FALSE(DecodeText(std::vector<std::uint8_t>{'[', 0, 'V', 0}, &out, &error));
  EXPECT_NE(error.find("NUL byte at offset 1"), std::string::npos) << error;
}

TEST(InfText, EncodeRoundTripsEveryEncoding) {
  const std::string text = "[S]\r\nk = \xC3\xA9\xF0\x9F\x98\x80\r\n";
  for (TextEncoding encoding :
       {TextEncoding::kAnsi, TextEncoding::kUtf8Bom, TextEncoding::kUtf16Le}) {
    std::string encoded;
    std::string error;
    ASSERT_TRUE(EncodeText(text, encoding, &encoded, &error)) << error;
    DecodedText decoded;
    ASSERT_TRUE(DecodeText(Bytes(encoded), &decoded, &error)) << error;
    EXPECT_EQ(decoded.encoding, encoding);
    EXPECT_EQ(decoded.utf8, text);
  }
}

TEST(InfText, EncodeUtf16RejectsInvalidUtf8) {
  std::string encoded;
  std::string error;
  EXPECT_FALSE(EncodeText("a\xC3", TextEncoding::kUtf16Le, &encoded, &error));
  EXPECT_FALSE(EncodeText("\xED\xA0\x80", TextEncoding::kUtf16Le, &encoded, &error));  // surrogate
  EXPECT_FALSE(EncodeText("\xC0\x80", TextEncoding::kUtf16Le, &encoded, &error));      // overlong
  EXPECT_NE(error.find("not valid UTF-8"), std::string::npos) << error;
}

}  // namespace
}  // namespace aero::inf
