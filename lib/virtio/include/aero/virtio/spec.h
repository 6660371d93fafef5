// Constants of the virtio 1.x PCI transport and the split ring (facts from the virtio spec).
#pragma once

#include <stdint.h>

namespace aero::virtio::spec {

inline constexpr uint16_t kPciVendorId = 0x1AF4;
inline constexpr uint16_t kPciModernDeviceIdBase = 0x1040;  // + virtio device type
inline constexpr uint16_t kPciModernDeviceIdLast = 0x107F;

// PCI configuration header.
inline constexpr uint16_t kPciVendorIdOffset = 0x00;
inline constexpr uint16_t kPciDeviceIdOffset = 0x02;
inline constexpr uint16_t kPciStatusOffset = 0x06;
inline constexpr uint16_t kPciRevisionOffset = 0x08;
inline constexpr uint16_t kPciSubsystemVendorIdOffset = 0x2C;
inline constexpr uint16_t kPciSubsystemIdOffset = 0x2E;
inline constexpr uint16_t kPciCapPointerOffset = 0x34;
inline constexpr uint16_t kPciStatusCapList = 1u << 4;
inline constexpr uint16_t kPciConfigSpaceSize = 256;
inline constexpr uint8_t kPciFirstCapOffset = 0x40;
inline constexpr uint8_t kPciCapIdVendor = 0x09;
inline constexpr uint8_t kPciCapIdMsix = 0x11;

// struct virtio_pci_cap, at the capability's config-space offset.
inline constexpr uint8_t kCapNextOffset = 1;
inline constexpr uint8_t kCapLenOffset = 2;
inline constexpr uint8_t kCapCfgTypeOffset = 3;
inline constexpr uint8_t kCapBarOffset = 4;
inline constexpr uint8_t kCapRegionOffset = 8;
inline constexpr uint8_t kCapRegionLengthOffset = 12;
inline constexpr uint8_t kCapNotifyMultiplierOffset = 16;
inline constexpr uint8_t kCapMinLength = 16;
inline constexpr uint8_t kNotifyCapMinLength = 20;
inline constexpr uint8_t kPciCfgCapMinLength = 20;

enum CfgType : uint8_t {
  kCfgCommon = 1,
  kCfgNotify = 2,
  kCfgIsr = 3,
  kCfgDevice = 4,
  kCfgPci = 5,
};

// struct virtio_pci_common_cfg.
inline constexpr uint32_t kCommonDeviceFeatureSelect = 0x00;
inline constexpr uint32_t kCommonDeviceFeature = 0x04;
inline constexpr uint32_t kCommonDriverFeatureSelect = 0x08;
inline constexpr uint32_t kCommonDriverFeature = 0x0C;
inline constexpr uint32_t kCommonConfigMsixVector = 0x10;
inline constexpr uint32_t kCommonNumQueues = 0x12;
inline constexpr uint32_t kCommonDeviceStatus = 0x14;
inline constexpr uint32_t kCommonConfigGeneration = 0x15;
inline constexpr uint32_t kCommonQueueSelect = 0x16;
inline constexpr uint32_t kCommonQueueSize = 0x18;
inline constexpr uint32_t kCommonQueueMsixVector = 0x1A;
inline constexpr uint32_t kCommonQueueEnable = 0x1C;
inline constexpr uint32_t kCommonQueueNotifyOff = 0x1E;
inline constexpr uint32_t kCommonQueueDesc = 0x20;
inline constexpr uint32_t kCommonQueueDriver = 0x28;
inline constexpr uint32_t kCommonQueueDevice = 0x30;
inline constexpr uint32_t kCommonCfgMinLength = 0x38;

inline constexpr uint32_t kNotifyMinLength = 2;
inline constexpr uint32_t kIsrMinLength = 1;

// device_status bits.
inline constexpr uint8_t kStatusAcknowledge = 1;
inline constexpr uint8_t kStatusDriver = 2;
inline constexpr uint8_t kStatusDriverOk = 4;
inline constexpr uint8_t kStatusFeaturesOk = 8;
inline constexpr uint8_t kStatusNeedsReset = 64;
inline constexpr uint8_t kStatusFailed = 128;

// ISR status bits (reading the ISR acknowledges them).
inline constexpr uint8_t kIsrQueue = 1;
inline constexpr uint8_t kIsrConfig = 2;

inline constexpr uint16_t kNoVector = 0xFFFF;

// Split ring.
inline constexpr uint16_t kDescFlagNext = 1;
inline constexpr uint16_t kDescFlagWrite = 2;
inline constexpr uint16_t kDescFlagIndirect = 4;
inline constexpr uint16_t kAvailFlagNoInterrupt = 1;
inline constexpr uint16_t kUsedFlagNoNotify = 1;
inline constexpr uint32_t kDescriptorSize = 16;
inline constexpr uint32_t kUsedElementSize = 8;
inline constexpr uint32_t kMaxQueueSize = 32768;

// Descriptor table 16*N (align 16); avail 6+2N with used_event (align 2); used 6+8N with
// avail_event (align 4).
constexpr uint32_t DescriptorTableBytes(uint32_t size) {
  return kDescriptorSize * size;
}
constexpr uint32_t AvailRingBytes(uint32_t size) {
  return 6 + 2 * size;
}
constexpr uint32_t UsedRingBytes(uint32_t size) {
  return 6 + kUsedElementSize * size;
}

// True when the other side asked to be told about index `event` and [old, new) passed it.
constexpr bool NeedEvent(uint16_t event, uint16_t new_index, uint16_t old_index) {
  return static_cast<uint16_t>(new_index - event - 1) <
         static_cast<uint16_t>(new_index - old_index);
}

}  // namespace aero::virtio::spec
