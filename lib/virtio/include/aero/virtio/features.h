// Transport feature bits (virtio 1.x). Device-type bits (0..23) belong to each driver.
#pragma once

#include <stdint.h>

namespace aero::virtio {

inline constexpr uint64_t FeatureBit(unsigned bit) {
  return uint64_t{1} << bit;
}

inline constexpr uint64_t kFeatureIndirectDesc = FeatureBit(28);
inline constexpr uint64_t kFeatureEventIdx = FeatureBit(29);
inline constexpr uint64_t kFeatureVersion1 = FeatureBit(32);
inline constexpr uint64_t kFeatureAccessPlatform = FeatureBit(33);
inline constexpr uint64_t kFeatureRingPacked = FeatureBit(34);
inline constexpr uint64_t kFeatureInOrder = FeatureBit(35);
inline constexpr uint64_t kFeatureOrderPlatform = FeatureBit(36);
inline constexpr uint64_t kFeatureSrIov = FeatureBit(37);
inline constexpr uint64_t kFeatureNotificationData = FeatureBit(38);
inline constexpr uint64_t kFeatureRingReset = FeatureBit(40);

// Bits 24..63 are transport features; the library accepts only those it implements.
inline constexpr uint64_t kTransportFeatureMask = ~((uint64_t{1} << 24) - 1);
inline constexpr uint64_t kTransportFeaturesImplemented =
    kFeatureIndirectDesc | kFeatureEventIdx | kFeatureVersion1 | kFeatureAccessPlatform;

}  // namespace aero::virtio
