#include "inf_stamp.h"

#include <gtest/gtest.h>

#include "error.h"
#include "inf_text.h"

namespace aero::packager {
namespace {

std::vector<std::uint8_t> Bytes(std::string_view text) {
  return {text.begin(), text.end()};
}
std::string Text(const std::vector<std::uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

constexpr char kStamp[] = "11/14/2023,0.1.0.0";

TEST(InfStampTest, FormatsDateAndVersion) {
  EXPECT_EQ(FormatDriverVer(1700000000, "0.1.0"), kStamp);
  EXPECT_EQ(FormatDriverVer(0x7fffffff, "1.2.3.4"), "01/19/2038,1.2.3.4");
  EXPECT_EQ(FormatDriverVer(1700000000, "7"), "11/14/2023,7.0.0.0");
  for (const char* bad : {"", "1.", "1..2", "1.2.3.4.5", "65536", "a.b", "-1"}) {
    EXPECT_THROW(FormatDriverVer(1700000000, bad), catalog::Error) << bad;
  }
  EXPECT_THROW(FormatDriverVer(0, "1.0"), catalog::Error);  // 1970: before 1980
}

TEST(InfStampTest, ReplacesTheVersionSectionsDriverVer) {
  const std::string inf =
      "; comment DriverVer = old\r\n"
      "[Version]\r\n"
      "Signature = \"$WINDOWS NT$\"\r\n"
      "driverver=01/01/2020,9.9.9.9 ; old\r\n"
      "[Other]\r\n"
      "DriverVer = untouched\r\n";
  EXPECT_EQ(Text(StampDriverVer(Bytes(inf), "a.inf", kStamp)),
            "; comment DriverVer = old\r\n"
            "[Version]\r\n"
            "Signature = \"$WINDOWS NT$\"\r\n"
            "DriverVer = 11/14/2023,0.1.0.0\r\n"
            "[Other]\r\n"
            "DriverVer = untouched\r\n");
}

TEST(InfStampTest, AddsDriverVerWhenMissingKeepingLineEndings) {
  const std::string inf = "[Version]\nSignature = \"$WINDOWS NT$\"\n";
  EXPECT_EQ(Text(StampDriverVer(Bytes(inf), "a.inf", kStamp)),
            "[Version]\nDriverVer = 11/14/2023,0.1.0.0\nSignature = \"$WINDOWS NT$\"\n");
}

TEST(InfStampTest, KeepsUtf16Encoding) {
  std::string utf16;
  std::string error;
  ASSERT_TRUE(
      inf::EncodeText("[Version]\r\nSignature = \"$WINDOWS NT$\"\r\n"
                      "DriverVer = 01/01/2020,1.0\r\n",
                      inf::TextEncoding::kUtf16Le, &utf16, &error));
  const std::vector<std::uint8_t> stamped = StampDriverVer(Bytes(utf16), "a.inf", kStamp);
  inf::DecodedText decoded;
  ASSERT_TRUE(inf::DecodeText(stamped, &decoded, &error)) << error;
  EXPECT_EQ(decoded.encoding, inf::TextEncoding::kUtf16Le);
  EXPECT_EQ(decoded.utf8,
            "[Version]\r\nSignature = \"$WINDOWS NT$\"\r\nDriverVer = 11/14/2023,0.1.0.0\r\n");
}

TEST(InfStampTest, RefusesInfsItCannotStamp) {
  EXPECT_THROW(StampDriverVer(Bytes("[Strings]\r\nA=1\r\n"), "a.inf", kStamp), catalog::Error);
  EXPECT_THROW(StampDriverVer(Bytes("[Version]\r\nDriverVer=1\r\n[version]\r\nDriverVer=2\r\n"),
                              "a.inf", kStamp),
               catalog::Error);
  EXPECT_THROW(StampDriverVer(Bytes("[Version\r\n"), "a.inf", kStamp), catalog::Error);
  const std::vector<std::uint8_t> odd_utf16 = {0xff, 0xfe, 0x5b};
  EXPECT_THROW(StampDriverVer(odd_utf16, "a.inf", kStamp), catalog::Error);
}

}  // namespace
}  // namespace aero::packager
