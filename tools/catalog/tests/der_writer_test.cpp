#include "der_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace aero::catalog::der {
namespace {

using ::testing::ElementsAre;

TEST(DerWriterTest, IntegersAreMinimalAndPositive) {
  EXPECT_EQ(Integer(0), (Bytes{0x02, 0x01, 0x00}));
  EXPECT_EQ(Integer(127), (Bytes{0x02, 0x01, 0x7f}));
  EXPECT_EQ(Integer(128), (Bytes{0x02, 0x02, 0x00, 0x80}));
  EXPECT_EQ(Integer(0x200), (Bytes{0x02, 0x02, 0x02, 0x00}));
  EXPECT_EQ(Integer(0x10010001), (Bytes{0x02, 0x04, 0x10, 0x01, 0x00, 0x01}));
}

TEST(DerWriterTest, LongLengthsUseTheFewestBytes) {
  const Bytes short_form = OctetString(Bytes(127, 0xaa));
  EXPECT_EQ(short_form[1], 127);
  const Bytes one_byte = OctetString(Bytes(200, 0xaa));
  EXPECT_EQ(one_byte[1], 0x81);
  EXPECT_EQ(one_byte[2], 200);
  EXPECT_EQ(one_byte.size(), 203u);
  const Bytes two_bytes = OctetString(Bytes(300, 0xaa));
  EXPECT_EQ(two_bytes[1], 0x82);
  EXPECT_EQ(two_bytes[2], 0x01);
  EXPECT_EQ(two_bytes[3], 0x2c);
}

TEST(DerWriterTest, ObjectIdentifiers) {
  EXPECT_EQ(ObjectId("1.3.14.3.2.26"), (Bytes{0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a}));
  EXPECT_EQ(ObjectId("1.2.840.113549.1.7.2"),
            (Bytes{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}));
  EXPECT_EQ(ObjectId("1.3.6.1.4.1.311.12.1.1"),
            (Bytes{0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0c, 0x01, 0x01}));
  EXPECT_EQ(ObjectId("2.999.3"), (Bytes{0x06, 0x03, 0x88, 0x37, 0x03}));
}

TEST(DerWriterTest, MalformedObjectIdentifiersThrow) {
  for (const char* bad : {"", "1", "1.", ".1", "1..2", "3.1", "1.40", "1.2.x", "1.02", "1.2.-3"}) {
    EXPECT_THROW(ObjectId(bad), std::invalid_argument) << bad;
  }
}

TEST(DerWriterTest, SetOfSortsItsElementsButSequenceKeepsOrder) {
  const Bytes b = Integer(2);
  const Bytes a = Integer(1);
  EXPECT_EQ(Set({b, a}), (Bytes{0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}));
  EXPECT_EQ(Sequence({b, a}), (Bytes{0x30, 0x06, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01}));
  EXPECT_EQ(Set({}), (Bytes{0x31, 0x00}));
}

TEST(DerWriterTest, StringsAndTimes) {
  EXPECT_EQ(BmpString("Fi"), (Bytes{0x1e, 0x04, 0x00, 'F', 0x00, 'i'}));
  EXPECT_EQ(Utf16LeWithNul("ab"), (Bytes{'a', 0, 'b', 0, 0, 0}));
  EXPECT_EQ(UtcTime(1700000000),
            (Bytes{0x17, 0x0d, '2', '3', '1', '1', '1', '4', '2', '2', '1', '3', '2', '0', 'Z'}));
  EXPECT_EQ(UtcTime(0)[2], '7');
  EXPECT_THROW(UtcTime(2524608000), std::out_of_range);  // 2050
  EXPECT_THROW(UtcTime(-631152001), std::out_of_range);  // 1949
  EXPECT_THROW(BmpString("caf\xc3\xa9"), std::invalid_argument);
  EXPECT_THROW(Utf16LeWithNul("tab\there"), std::invalid_argument);
}

TEST(DerWriterTest, TaggingAndBitStrings) {
  EXPECT_EQ(BitString({}, 0), (Bytes{0x03, 0x01, 0x00}));
  EXPECT_THROW(BitString({}, 1), std::invalid_argument);
  EXPECT_EQ(ContextExplicit(0, Null()), (Bytes{0xa0, 0x02, 0x05, 0x00}));
  const Bytes content = {0x00, 0x41};
  EXPECT_EQ(ContextPrimitive(0, content), (Bytes{0x80, 0x02, 0x00, 0x41}));
  EXPECT_THAT(Tlv(0x04, content), ElementsAre(0x04, 0x02, 0x00, 0x41));
}

}  // namespace
}  // namespace aero::catalog::der
