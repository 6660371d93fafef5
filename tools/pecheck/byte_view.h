// Bounds-checked little-endian reads from an untrusted byte buffer. Every read says whether it
// fit; offsets are 64-bit so that offset + length never wraps for 32-bit PE fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace aero::pecheck {

class ByteView {
 public:
  ByteView() = default;
  explicit ByteView(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  uint64_t size() const { return bytes_.size(); }
  std::span<const uint8_t> bytes() const { return bytes_; }

  // True when [offset, offset + length) lies inside the buffer.
  bool Contains(uint64_t offset, uint64_t length) const {
    return offset <= bytes_.size() && length <= bytes_.size() - offset;
  }

  std::optional<uint8_t> U8(uint64_t offset) const { return Read<uint8_t>(offset); }
  std::optional<uint16_t> U16(uint64_t offset) const { return Read<uint16_t>(offset); }
  std::optional<uint32_t> U32(uint64_t offset) const { return Read<uint32_t>(offset); }
  std::optional<uint64_t> U64(uint64_t offset) const { return Read<uint64_t>(offset); }

  // The sub-range, or an empty span when it does not fit.
  std::span<const uint8_t> Slice(uint64_t offset, uint64_t length) const {
    if (!Contains(offset, length)) {
      return {};
    }
    return bytes_.subspan(static_cast<size_t>(offset), static_cast<size_t>(length));
  }

 private:
  template <typename T>
  std::optional<T> Read(uint64_t offset) const {
    if (!Contains(offset, sizeof(T))) {
      return std::nullopt;
    }
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      value = static_cast<T>(value | static_cast<T>(static_cast<T>(bytes_[offset + i]) << (8 * i)));
    }
    return value;
  }

  std::span<const uint8_t> bytes_;
};

}  // namespace aero::pecheck
