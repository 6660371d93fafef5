#include "test_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>

namespace aero::catalog::testing {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "aero-catalog-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::Write(const std::string& relative, std::string_view content) const {
  return Write(relative,
               std::span(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
}

std::filesystem::path TempDir::Write(const std::string& relative,
                                     std::span<const std::uint8_t> content) const {
  std::filesystem::path full = path_ / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream stream(full, std::ios::binary | std::ios::trunc);
  stream.write(reinterpret_cast<const char*>(content.data()),
               static_cast<std::streamsize>(content.size()));
  EXPECT_TRUE(stream.good()) << full;
  return full;
}

std::vector<std::string> TempDir::List() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path_)) {
    names.push_back(std::filesystem::relative(entry.path(), path_).generic_string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void PutU32(std::vector<std::uint8_t>* bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    (*bytes)[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
}

namespace {

void PutU16(std::vector<std::uint8_t>* bytes, std::size_t offset, std::uint16_t value) {
  (*bytes)[offset] = static_cast<std::uint8_t>(value);
  (*bytes)[offset + 1] = static_cast<std::uint8_t>(value >> 8);
}

}  // namespace

std::size_t TestSecurityDirectory(bool pe32_plus) {
  constexpr std::size_t kSecurityEntry = 32;  // IMAGE_DIRECTORY_ENTRY_SECURITY (4) * 8 bytes
  return kTestOptionalHeader + (pe32_plus ? 112 : 96) + kSecurityEntry;
}

PeOptions PeWith(bool pe32_plus, std::size_t size, std::uint32_t checksum,
                 std::vector<std::uint8_t> certificate) {
  PeOptions options;
  options.pe32_plus = pe32_plus;
  options.size = size;
  options.checksum = checksum;
  options.certificate = std::move(certificate);
  return options;
}

std::vector<std::uint8_t> BuildPeImage(const PeOptions& options) {
  std::vector<std::uint8_t> image(options.size, options.fill);
  std::fill(image.begin(), image.begin() + 0x200, 0);
  image[0] = 'M';
  image[1] = 'Z';
  PutU32(&image, 0x3c, kTestLfanew);
  image[kTestLfanew] = 'P';
  image[kTestLfanew + 1] = 'E';
  const std::size_t coff = kTestLfanew + 4;
  PutU16(&image, coff, options.pe32_plus ? 0x8664 : 0x14c);
  const std::uint16_t optional_size = options.pe32_plus ? 240 : 224;
  PutU16(&image, coff + 16, optional_size);
  PutU16(&image, kTestOptionalHeader, options.pe32_plus ? 0x20b : 0x10b);
  PutU32(&image, kTestChecksum, options.checksum);
  PutU32(&image, kTestOptionalHeader + (options.pe32_plus ? 108 : 92), 16);
  if (!options.certificate.empty()) {
    const std::size_t security = TestSecurityDirectory(options.pe32_plus);
    PutU32(&image, security, static_cast<std::uint32_t>(image.size()));
    PutU32(&image, security + 4, static_cast<std::uint32_t>(options.certificate.size()));
    image.insert(image.end(), options.certificate.begin(), options.certificate.end());
  }
  return image;
}

namespace {

bool ParseOne(std::span<const std::uint8_t> bytes, std::size_t* used, DerNode* node) {
  if (bytes.size() < 2) {
    return false;
  }
  node->tag = bytes[0];
  std::size_t length = bytes[1];
  std::size_t header = 2;
  if ((length & 0x80) != 0) {
    const std::size_t count = length & 0x7f;
    if (count == 0 || count > 4 || bytes.size() < 2 + count) {
      return false;
    }
    length = 0;
    for (std::size_t i = 0; i < count; ++i) {
      length = (length << 8) | bytes[2 + i];
    }
    header += count;
  }
  if (bytes.size() - header < length) {
    return false;
  }
  const std::span<const std::uint8_t> content = bytes.subspan(header, length);
  node->content.assign(content.begin(), content.end());
  *used = header + length;
  if ((node->tag & 0x20) != 0) {
    std::span<const std::uint8_t> rest(node->content);
    while (!rest.empty()) {
      DerNode child;
      std::size_t child_used = 0;
      if (!ParseOne(rest, &child_used, &child)) {
        return false;
      }
      node->children.push_back(std::move(child));
      rest = rest.subspan(child_used);
    }
  }
  return true;
}

}  // namespace

DerNode ParseDer(std::span<const std::uint8_t> bytes) {
  DerNode node;
  std::size_t used = 0;
  if (!ParseOne(bytes, &used, &node) || used != bytes.size()) {
    ADD_FAILURE() << "malformed DER";
    return {};
  }
  return node;
}

std::string OidText(const DerNode& node) {
  EXPECT_EQ(node.tag, 0x06);
  std::string text;
  std::uint64_t value = 0;
  bool first = true;
  for (std::uint8_t byte : node.content) {
    value = (value << 7) | (byte & 0x7f);
    if ((byte & 0x80) != 0) {
      continue;
    }
    if (first) {
      const std::uint64_t top = value < 80 ? value / 40 : 2;
      text = std::to_string(top) + "." + std::to_string(value - top * 40);
      first = false;
    } else {
      text += "." + std::to_string(value);
    }
    value = 0;
  }
  return text;
}

std::string Utf16LeText(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    if (bytes[i] == 0 && bytes[i + 1] == 0) {
      EXPECT_EQ(i + 2, bytes.size()) << "NUL before the end";
      break;
    }
    EXPECT_EQ(bytes[i + 1], 0);
    text.push_back(static_cast<char>(bytes[i]));
  }
  return text;
}

std::string BmpText(const DerNode& node) {
  EXPECT_EQ(node.tag, 0x1e);
  std::string text;
  for (std::size_t i = 0; i + 1 < node.content.size(); i += 2) {
    EXPECT_EQ(node.content[i], 0);
    text.push_back(static_cast<char>(node.content[i + 1]));
  }
  return text;
}

}  // namespace aero::catalog::testing
