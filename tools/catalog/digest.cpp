#include "digest.h"

#include <openssl/evp.h>

#include <memory>

#include "error.h"

namespace aero::catalog {
namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

const EVP_MD* EvpDigest(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha1 ? EVP_sha1() : EVP_sha256();
}

std::string Hex(std::span<const std::uint8_t> bytes, const char* digits) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    text.push_back(digits[byte >> 4]);
    text.push_back(digits[byte & 0xf]);
  }
  return text;
}

}  // namespace

std::vector<std::uint8_t> ComputeDigest(DigestAlgorithm algorithm,
                                        std::span<const std::uint8_t> data) {
  const ByteRange whole{0, data.size()};
  return ComputeDigest(algorithm, data, std::span(&whole, 1));
}

std::vector<std::uint8_t> ComputeDigest(DigestAlgorithm algorithm,
                                        std::span<const std::uint8_t> data,
                                        std::span<const ByteRange> ranges) {
  std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EvpDigest(algorithm), nullptr) != 1) {
    throw Error("OpenSSL could not start a " + std::string(DigestName(algorithm)) + " digest");
  }
  for (const ByteRange& range : ranges) {
    if (range.offset > data.size() || data.size() - range.offset < range.length) {
      throw Error("digest range outside the data");
    }
    if (EVP_DigestUpdate(context.get(), data.data() + range.offset, range.length) != 1) {
      throw Error("OpenSSL digest update failed");
    }
  }
  std::vector<std::uint8_t> digest(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
    throw Error("OpenSSL digest final failed");
  }
  digest.resize(length);
  return digest;
}

std::string HexUpper(std::span<const std::uint8_t> bytes) {
  return Hex(bytes, "0123456789ABCDEF");
}

std::string HexLower(std::span<const std::uint8_t> bytes) {
  return Hex(bytes, "0123456789abcdef");
}

std::string_view DigestName(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha1 ? "sha1" : "sha256";
}

}  // namespace aero::catalog
