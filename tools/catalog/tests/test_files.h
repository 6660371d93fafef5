// Test helpers: a temporary folder, small PE images built in memory, and a minimal DER reader to
// look inside encoded catalogs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace aero::catalog::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative, creating folders; returns the full path.
  std::filesystem::path Write(const std::string& relative, std::string_view content) const;
  std::filesystem::path Write(const std::string& relative,
                              std::span<const std::uint8_t> content) const;
  // Every entry below path(), relative and sorted (to prove nothing else was left behind).
  std::vector<std::string> List() const;

 private:
  std::filesystem::path path_;
};

struct PeOptions {
  bool pe32_plus = true;
  std::size_t size = 0x400;  // total size before any certificate table
  std::uint32_t checksum = 0;
  std::vector<std::uint8_t> certificate;  // appended as the certificate table when not empty
  std::uint8_t fill = 0xcc;               // body bytes after the headers
};

std::vector<std::uint8_t> BuildPeImage(const PeOptions& options);
PeOptions PeWith(bool pe32_plus, std::size_t size = 0x400, std::uint32_t checksum = 0,
                 std::vector<std::uint8_t> certificate = {});

// Offsets in images from BuildPeImage.
inline constexpr std::size_t kTestLfanew = 0x40;
inline constexpr std::size_t kTestOptionalHeader = kTestLfanew + 24;
inline constexpr std::size_t kTestChecksum = kTestOptionalHeader + 64;
std::size_t TestSecurityDirectory(bool pe32_plus);

void PutU32(std::vector<std::uint8_t>* bytes, std::size_t offset, std::uint32_t value);

// One DER element: tag, content, and (for constructed tags) its children.
struct DerNode {
  std::uint8_t tag = 0;
  std::vector<std::uint8_t> content;
  std::vector<DerNode> children;
};

// Parses one element that must span all of `bytes`; constructed elements are parsed
// recursively. Fails the current test (and returns an empty node) on malformed input.
DerNode ParseDer(std::span<const std::uint8_t> bytes);
// Text of an OBJECT IDENTIFIER node, dotted.
std::string OidText(const DerNode& node);
// UTF-16LE content (with or without a trailing NUL) as ASCII.
std::string Utf16LeText(std::span<const std::uint8_t> bytes);
// UCS-2 big-endian (BMPString) content as ASCII.
std::string BmpText(const DerNode& node);

}  // namespace aero::catalog::testing
