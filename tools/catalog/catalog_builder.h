// Encodes a Windows catalog (.cat) the way MakeCat / Inf2Cat lay it out for Windows 7: a PKCS#7
// SignedData whose content (szOID_CTL) is a certificate trust list of usage szOID_CATALOG_LIST.
// Each member is tagged with its SHA-1 as upper-case hex in UTF-16 and carries
//   SPC_INDIRECT_DATA  the hash: Authenticode PE image hash (SPC_PE_IMAGE_DATA) or flat file
//                      hash (SPC_CAB_DATA), SHA-1
//   CAT_MEMBERINFO     the subject interface package GUID (PE image or flat file), version 0x200
//   "File", "OSAttr"   name-value attributes
// and the list carries catalog-level name-value attributes ("OS", "HWID<n>") as extensions.
// The result has no signer: osslsigncode signs it (it handles the Authenticode quirks of
// signing a CTL). See docs/packaging.md for the structure.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace aero::catalog {

enum class MemberKind { kPeImage, kFlatFile };

struct CatalogMember {
  std::string file_name;  // recorded as written (callers pass lower case, as Inf2Cat does)
  MemberKind kind = MemberKind::kFlatFile;
  std::vector<std::uint8_t> sha1;  // the Authenticode or flat SHA-1 digest, 20 bytes
};

struct CatalogAttribute {
  std::string name;
  std::string value;
};

struct CatalogDescription {
  std::vector<CatalogMember> members;        // any order; encoded sorted by tag
  std::string member_os_attribute;           // OSAttr of each member, e.g. "2:6.1"
  std::vector<CatalogAttribute> attributes;  // catalog-level, encoded in this order
  std::int64_t this_update = 0;              // Unix time of the list
  std::array<std::uint8_t, 16> list_identifier{};
};

// Throws Error (bad digest size, non-ASCII names, time outside UTCTime's range).
std::vector<std::uint8_t> EncodeUnsignedCatalog(const CatalogDescription& description);

// Hashes one package file: PE images get the Authenticode image hash, anything else the flat
// hash. Throws Error naming `file_name` for PE images that cannot be hashed.
CatalogMember DescribeMember(const std::string& file_name, std::span<const std::uint8_t> bytes);

// The member tag Windows looks files up by: the SHA-1 as upper-case hex.
std::string MemberTag(std::span<const std::uint8_t> sha1);

// A GUID-shaped list identifier derived from the catalog's content, so that the same package
// always yields the same bytes (MakeCat uses a random GUID).
std::array<std::uint8_t, 16> DeriveListIdentifier(const std::string& catalog_name,
                                                  const CatalogDescription& description);

// OIDs (dotted) used in the encoding; the tests look for them in `openssl asn1parse` output.
inline constexpr char kOidSignedData[] = "1.2.840.113549.1.7.2";
inline constexpr char kOidCtl[] = "1.3.6.1.4.1.311.10.1";
inline constexpr char kOidCatalogList[] = "1.3.6.1.4.1.311.12.1.1";
inline constexpr char kOidCatalogListMember[] = "1.3.6.1.4.1.311.12.1.2";
inline constexpr char kOidCatNameValue[] = "1.3.6.1.4.1.311.12.2.1";
inline constexpr char kOidCatMemberInfo[] = "1.3.6.1.4.1.311.12.2.2";
inline constexpr char kOidSpcIndirectData[] = "1.3.6.1.4.1.311.2.1.4";
inline constexpr char kOidSpcPeImageData[] = "1.3.6.1.4.1.311.2.1.15";
inline constexpr char kOidSpcCabData[] = "1.3.6.1.4.1.311.2.1.25";
inline constexpr char kOidSha1[] = "1.3.14.3.2.26";

// Subject interface packages recorded in CAT_MEMBERINFO.
inline constexpr char kSipGuidPeImage[] = "{C689AAB8-8E78-11D0-8C47-00C04FC295EE}";
inline constexpr char kSipGuidFlatFile[] = "{DE351A42-8E59-11D0-8C47-00C04FC295EE}";
inline constexpr std::uint32_t kMemberInfoVersion = 0x200;
// CRYPTCAT_ATTR_AUTHENTICATED | CRYPTCAT_ATTR_DATAASCII | CRYPTCAT_ATTR_NAMEASCII
inline constexpr std::uint32_t kNameValueFlags = 0x10010001;

}  // namespace aero::catalog
