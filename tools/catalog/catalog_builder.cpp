#include "catalog_builder.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "authenticode_pe.h"
#include "der_writer.h"
#include "digest.h"
#include "error.h"

namespace aero::catalog {
namespace {

using der::Bytes;

constexpr std::size_t kSha1Size = 20;

// "<<<Obsolete>>>" as SpcLink.file: [2] EXPLICIT SpcString, unicode [0] IMPLICIT BMPString.
Bytes ObsoleteLink() {
  return der::ContextExplicit(2, der::ContextPrimitive(0, der::BmpContent("<<<Obsolete>>>")));
}

// SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue,
//                                       messageDigest DigestInfo }
Bytes IndirectData(const CatalogMember& member) {
  Bytes data;
  if (member.kind == MemberKind::kPeImage) {
    // SpcPeImageData ::= SEQUENCE { flags BIT STRING, file [0] EXPLICIT SpcLink }
    const Bytes image_data =
        der::Sequence({der::BitString({}, 0), der::ContextExplicit(0, ObsoleteLink())});
    data = der::Sequence({der::ObjectId(kOidSpcPeImageData), image_data});
  } else {
    data = der::Sequence({der::ObjectId(kOidSpcCabData), ObsoleteLink()});
  }
  const Bytes digest_info = der::Sequence(
      {der::Sequence({der::ObjectId(kOidSha1), der::Null()}), der::OctetString(member.sha1)});
  return der::Sequence({data, digest_info});
}

// CAT_NAMEVALUE ::= SEQUENCE { tag BMPString, flags INTEGER, value OCTET STRING }
Bytes NameValue(const std::string& name, const std::string& value) {
  return der::Sequence({der::BmpString(name), der::Integer(kNameValueFlags),
                        der::OctetString(der::Utf16LeWithNul(value))});
}

Bytes Attribute(const char* oid, const Bytes& value) {
  return der::Sequence({der::ObjectId(oid), der::Set({value})});
}

Bytes EncodeMember(const CatalogMember& member, const std::string& os_attribute) {
  const char* sip = member.kind == MemberKind::kPeImage ? kSipGuidPeImage : kSipGuidFlatFile;
  const Bytes member_info = der::Sequence({der::BmpString(sip), der::Integer(kMemberInfoVersion)});
  const std::vector<Bytes> attributes = {
      Attribute(kOidSpcIndirectData, IndirectData(member)),
      Attribute(kOidCatMemberInfo, member_info),
      Attribute(kOidCatNameValue, NameValue("File", member.file_name)),
      Attribute(kOidCatNameValue, NameValue("OSAttr", os_attribute)),
  };
  return der::Sequence(
      {der::OctetString(der::Utf16LeWithNul(MemberTag(member.sha1))), der::Set(attributes)});
}

// Catalog-level attributes are CTL extensions: SEQUENCE { OID, OCTET STRING { CAT_NAMEVALUE } }.
Bytes EncodeExtensions(const std::vector<CatalogAttribute>& attributes) {
  std::vector<Bytes> extensions;
  extensions.reserve(attributes.size());
  for (const CatalogAttribute& attribute : attributes) {
    extensions.push_back(
        der::Sequence({der::ObjectId(kOidCatNameValue),
                       der::OctetString(NameValue(attribute.name, attribute.value))}));
  }
  return der::ContextExplicit(0, der::Sequence(extensions));
}

}  // namespace

std::string MemberTag(std::span<const std::uint8_t> sha1) {
  return HexUpper(sha1);
}

std::vector<std::uint8_t> EncodeUnsignedCatalog(const CatalogDescription& description) {
  if (description.members.empty()) {
    throw Error("a catalog needs at least one member");
  }
  std::vector<std::pair<std::string, Bytes>> members;
  try {
    for (const CatalogMember& member : description.members) {
      if (member.sha1.size() != kSha1Size) {
        throw Error("member '" + member.file_name + "' has a digest of " +
                    std::to_string(member.sha1.size()) + " bytes, not a SHA-1");
      }
      members.emplace_back(MemberTag(member.sha1),
                           EncodeMember(member, description.member_os_attribute));
    }
    std::sort(members.begin(), members.end());
    for (std::size_t i = 1; i < members.size(); ++i) {
      if (members[i].first == members[i - 1].first) {
        throw Error("two members have the same content (SHA-1 " + members[i].first + ")");
      }
    }
    std::vector<Bytes> entries;
    entries.reserve(members.size());
    for (auto& [tag, encoding] : members) {
      entries.push_back(std::move(encoding));
    }
    std::vector<Bytes> ctl = {
        der::Sequence({der::ObjectId(kOidCatalogList)}),                     // subjectUsage
        der::OctetString(description.list_identifier),                       // listIdentifier
        der::UtcTime(description.this_update),                               // thisUpdate
        der::Sequence({der::ObjectId(kOidCatalogListMember), der::Null()}),  // subjectAlgorithm
        der::Sequence(entries),                                              // trustedSubjects
    };
    if (!description.attributes.empty()) {
      ctl.push_back(EncodeExtensions(description.attributes));
    }
    const Bytes content_info =
        der::Sequence({der::ObjectId(kOidCtl), der::ContextExplicit(0, der::Sequence(ctl))});
    // SignedData v1 without digest algorithms, certificates or signers: the signer adds them.
    const Bytes signed_data =
        der::Sequence({der::Integer(1), der::Set({}), content_info, der::Set({})});
    return der::Sequence({der::ObjectId(kOidSignedData), der::ContextExplicit(0, signed_data)});
  } catch (const std::invalid_argument& e) {
    throw Error(std::string("cannot encode the catalog: ") + e.what());
  } catch (const std::out_of_range& e) {
    throw Error(std::string("cannot encode the catalog: ") + e.what());
  }
}

CatalogMember DescribeMember(const std::string& file_name, std::span<const std::uint8_t> bytes) {
  CatalogMember member;
  member.file_name = file_name;
  const PeProbeResult probe = ProbePeImage(bytes);
  switch (probe.kind) {
    case PeProbe::kPe:
      member.kind = MemberKind::kPeImage;
      member.sha1 = ComputeDigest(DigestAlgorithm::kSha1, bytes, probe.layout.ranges);
      break;
    case PeProbe::kNotPe:
      member.kind = MemberKind::kFlatFile;
      member.sha1 = ComputeDigest(DigestAlgorithm::kSha1, bytes);
      break;
    case PeProbe::kMalformed:
      throw Error("'" + file_name + "' is a PE image that cannot be hashed: " + probe.error);
  }
  return member;
}

std::array<std::uint8_t, 16> DeriveListIdentifier(const std::string& catalog_name,
                                                  const CatalogDescription& description) {
  std::vector<std::string> tags;
  for (const CatalogMember& member : description.members) {
    tags.push_back(MemberTag(member.sha1) + " " + member.file_name);
  }
  std::sort(tags.begin(), tags.end());
  std::string text = "aero-catalog list identifier\n" + catalog_name + "\n";
  for (const CatalogAttribute& attribute : description.attributes) {
    text += attribute.name + "=" + attribute.value + "\n";
  }
  for (const std::string& tag : tags) {
    text += tag + "\n";
  }
  const std::vector<std::uint8_t> digest =
      ComputeDigest(DigestAlgorithm::kSha256,
                    std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  std::array<std::uint8_t, 16> id{};
  std::copy_n(digest.begin(), id.size(), id.begin());
  id[7] = static_cast<std::uint8_t>((id[7] & 0x0f) | 0x40);  // GUID version 4 (Data3, little end)
  id[8] = static_cast<std::uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return id;
}

}  // namespace aero::catalog
