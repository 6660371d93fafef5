#include "catalog_builder.h"

#include <gtest/gtest.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include <map>

#include "digest.h"
#include "error.h"
#include "test_files.h"

namespace aero::catalog {
namespace {

using testing::BmpText;
using testing::DerNode;
using testing::OidText;
using testing::ParseDer;
using testing::Utf16LeText;

std::vector<std::uint8_t> Bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

CatalogDescription SampleDescription() {
  CatalogDescription description;
  description.members.push_back(DescribeMember("aero_test.inf", Bytes("[Version]\r\n")));
  description.members.push_back(DescribeMember("aero_test.sys", testing::BuildPeImage({})));
  description.member_os_attribute = "2:6.1";
  description.attributes = {{"OS", "7X64"}, {"HWID1", "pci\\ven_1af4&dev_1042"}};
  description.this_update = 1700000000;
  description.list_identifier = DeriveListIdentifier("aero_test.cat", description);
  return description;
}

// The CTL inside ContentInfo -> [0] -> SignedData -> ContentInfo -> [0].
DerNode CertificateTrustList(const DerNode& root) {
  EXPECT_EQ(OidText(root.children.at(0)), kOidSignedData);
  const DerNode& signed_data = root.children.at(1).children.at(0);
  const DerNode& content_info = signed_data.children.at(2);
  EXPECT_EQ(OidText(content_info.children.at(0)), kOidCtl);
  return content_info.children.at(1).children.at(0);
}

// Attribute OID -> the single value of its SET; name-value attributes keyed by "OID/name".
std::map<std::string, DerNode> MemberAttributes(const DerNode& member) {
  std::map<std::string, DerNode> attributes;
  for (const DerNode& attribute : member.children.at(1).children) {
    std::string key = OidText(attribute.children.at(0));
    const DerNode& value = attribute.children.at(1).children.at(0);
    if (key == kOidCatNameValue) {
      key += "/" + BmpText(value.children.at(0));
    }
    attributes[key] = value;
  }
  return attributes;
}

TEST(CatalogBuilderTest, OpenSslReadsItAsSignedDataWithCtlContent) {
  const std::vector<std::uint8_t> catalog = EncodeUnsignedCatalog(SampleDescription());
  const unsigned char* cursor = catalog.data();
  PKCS7* p7 = d2i_PKCS7(nullptr, &cursor, static_cast<long>(catalog.size()));
  ASSERT_NE(p7, nullptr);
  EXPECT_EQ(cursor, catalog.data() + catalog.size());
  EXPECT_TRUE(PKCS7_type_is_signed(p7));
  char oid[64] = {};
  OBJ_obj2txt(oid, sizeof(oid), p7->d.sign->contents->type, 1);
  EXPECT_STREQ(oid, kOidCtl);
  EXPECT_EQ(sk_PKCS7_SIGNER_INFO_num(p7->d.sign->signer_info), 0);
  PKCS7_free(p7);
}

TEST(CatalogBuilderTest, ListHeaderNamesTheCatalogListUsage) {
  const CatalogDescription description = SampleDescription();
  const DerNode ctl = CertificateTrustList(ParseDer(EncodeUnsignedCatalog(description)));
  ASSERT_EQ(ctl.children.size(), 6u);
  EXPECT_EQ(OidText(ctl.children[0].children.at(0)), kOidCatalogList);
  EXPECT_EQ(ctl.children[1].content, std::vector<std::uint8_t>(description.list_identifier.begin(),
                                                               description.list_identifier.end()));
  EXPECT_EQ(std::string(ctl.children[2].content.begin(), ctl.children[2].content.end()),
            "231114221320Z");
  EXPECT_EQ(OidText(ctl.children[3].children.at(0)), kOidCatalogListMember);
  EXPECT_EQ(ctl.children[3].children.at(1).tag, 0x05);
}

TEST(CatalogBuilderTest, MembersAreSortedByTheirHexTags) {
  const CatalogDescription description = SampleDescription();
  const DerNode ctl = CertificateTrustList(ParseDer(EncodeUnsignedCatalog(description)));
  const std::vector<DerNode>& members = ctl.children[4].children;
  ASSERT_EQ(members.size(), 2u);
  std::vector<std::string> tags;
  for (const DerNode& member : members) {
    EXPECT_EQ(member.children.at(0).content.size(), 82u);  // 40 UTF-16 digits and a NUL
    tags.push_back(Utf16LeText(member.children.at(0).content));
  }
  EXPECT_LT(tags[0], tags[1]);
  std::vector<std::string> expected = {MemberTag(description.members[0].sha1),
                                       MemberTag(description.members[1].sha1)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(tags, expected);
}

TEST(CatalogBuilderTest, EachMemberCarriesHashSubjectFileAndOs) {
  const CatalogDescription description = SampleDescription();
  const DerNode ctl = CertificateTrustList(ParseDer(EncodeUnsignedCatalog(description)));
  int pe_members = 0;
  for (const DerNode& member : ctl.children[4].children) {
    const std::string tag = Utf16LeText(member.children.at(0).content);
    std::map<std::string, DerNode> attributes = MemberAttributes(member);
    ASSERT_EQ(attributes.size(), 4u);
    const DerNode& indirect = attributes.at(kOidSpcIndirectData);
    const DerNode& digest_info = indirect.children.at(1);
    EXPECT_EQ(OidText(digest_info.children.at(0).children.at(0)), kOidSha1);
    EXPECT_EQ(HexUpper(digest_info.children.at(1).content), tag);
    const std::string data_type = OidText(indirect.children.at(0).children.at(0));
    const DerNode& member_info = attributes.at(kOidCatMemberInfo);
    const std::string file =
        Utf16LeText(attributes.at(std::string(kOidCatNameValue) + "/File").children.at(2).content);
    if (data_type == kOidSpcPeImageData) {
      ++pe_members;
      EXPECT_EQ(file, "aero_test.sys");
      EXPECT_EQ(BmpText(member_info.children.at(0)), kSipGuidPeImage);
    } else {
      EXPECT_EQ(data_type, kOidSpcCabData);
      EXPECT_EQ(file, "aero_test.inf");
      EXPECT_EQ(BmpText(member_info.children.at(0)), kSipGuidFlatFile);
    }
    EXPECT_EQ(member_info.children.at(1).content, (std::vector<std::uint8_t>{0x02, 0x00}));
    const DerNode& os = attributes.at(std::string(kOidCatNameValue) + "/OSAttr");
    EXPECT_EQ(os.children.at(1).content, (std::vector<std::uint8_t>{0x10, 0x01, 0x00, 0x01}));
    EXPECT_EQ(Utf16LeText(os.children.at(2).content), "2:6.1");
  }
  EXPECT_EQ(pe_members, 1);
}

TEST(CatalogBuilderTest, CatalogAttributesAreNameValueExtensions) {
  const DerNode ctl = CertificateTrustList(ParseDer(EncodeUnsignedCatalog(SampleDescription())));
  const DerNode& extensions = ctl.children[5];
  EXPECT_EQ(extensions.tag, 0xa0);
  std::vector<std::pair<std::string, std::string>> found;
  for (const DerNode& extension : extensions.children.at(0).children) {
    EXPECT_EQ(OidText(extension.children.at(0)), kOidCatNameValue);
    const DerNode name_value = ParseDer(extension.children.at(1).content);
    found.emplace_back(BmpText(name_value.children.at(0)),
                       Utf16LeText(name_value.children.at(2).content));
  }
  EXPECT_EQ(found, (std::vector<std::pair<std::string, std::string>>{
                       {"OS", "7X64"}, {"HWID1", "pci\\ven_1af4&dev_1042"}}));
}

TEST(CatalogBuilderTest, SameInputSameBytes) {
  EXPECT_EQ(EncodeUnsignedCatalog(SampleDescription()), EncodeUnsignedCatalog(SampleDescription()));
  CatalogDescription later = SampleDescription();
  later.this_update += 1;
  EXPECT_NE(EncodeUnsignedCatalog(SampleDescription()), EncodeUnsignedCatalog(later));
}

TEST(CatalogBuilderTest, ListIdentifierDependsOnContentAndLooksLikeAGuid) {
  CatalogDescription description = SampleDescription();
  const auto first = DeriveListIdentifier("a.cat", description);
  EXPECT_EQ(first, DeriveListIdentifier("a.cat", description));
  EXPECT_NE(first, DeriveListIdentifier("b.cat", description));
  description.attributes[0].value = "7X86";
  EXPECT_NE(first, DeriveListIdentifier("a.cat", description));
  EXPECT_EQ(first[7] & 0xf0, 0x40);
  EXPECT_EQ(first[8] & 0xc0, 0x80);
}

TEST(CatalogBuilderTest, RefusesBadMembers) {
  CatalogDescription empty = SampleDescription();
  empty.members.clear();
  EXPECT_THROW(EncodeUnsignedCatalog(empty), Error);

  CatalogDescription duplicate = SampleDescription();
  duplicate.members.push_back(duplicate.members[0]);
  duplicate.members.back().file_name = "copy.inf";
  EXPECT_THROW(EncodeUnsignedCatalog(duplicate), Error);

  CatalogDescription short_digest = SampleDescription();
  short_digest.members[0].sha1.pop_back();
  EXPECT_THROW(EncodeUnsignedCatalog(short_digest), Error);

  CatalogDescription bad_name = SampleDescription();
  bad_name.members[0].file_name = "caf\xc3\xa9.inf";
  EXPECT_THROW(EncodeUnsignedCatalog(bad_name), Error);

  CatalogDescription late = SampleDescription();
  late.this_update = 2600000000;
  EXPECT_THROW(EncodeUnsignedCatalog(late), Error);
}

TEST(CatalogBuilderTest, DescribeMemberPicksTheHashByContent) {
  const std::vector<std::uint8_t> image = testing::BuildPeImage({});
  const CatalogMember pe = DescribeMember("x.sys", image);
  EXPECT_EQ(pe.kind, MemberKind::kPeImage);
  EXPECT_NE(pe.sha1, ComputeDigest(DigestAlgorithm::kSha1, image));
  const CatalogMember flat = DescribeMember("x.inf", Bytes("text"));
  EXPECT_EQ(flat.kind, MemberKind::kFlatFile);
  EXPECT_EQ(HexLower(flat.sha1), "372ea08cab33e71c02c651dbc83a474d32c676ea");  // sha1("text")
  EXPECT_THROW(DescribeMember("odd.sys", testing::BuildPeImage(testing::PeWith(true, 0x401))),
               Error);
}

}  // namespace
}  // namespace aero::catalog
