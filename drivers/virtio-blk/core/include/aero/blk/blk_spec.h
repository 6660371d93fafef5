// Constants of the virtio-blk device (facts from the virtio 1.x specification, section "Block
// Device"). The Aero contract v1 repeats the subset it uses; identity and queue sizes that are
// contract decisions come from the caller, not from here.
#pragma once

#include <stdint.h>

namespace aero::blk::spec {

inline constexpr uint16_t kVirtioDeviceType = 2;  // PCI device ID = 0x1040 + type

// Device feature bits (0..23 belong to the device type).
inline constexpr uint64_t kFeatureSizeMax = uint64_t{1} << 1;
inline constexpr uint64_t kFeatureSegMax = uint64_t{1} << 2;
inline constexpr uint64_t kFeatureGeometry = uint64_t{1} << 4;
inline constexpr uint64_t kFeatureReadOnly = uint64_t{1} << 5;
inline constexpr uint64_t kFeatureBlkSize = uint64_t{1} << 6;
inline constexpr uint64_t kFeatureFlush = uint64_t{1} << 9;
inline constexpr uint64_t kFeatureTopology = uint64_t{1} << 10;
inline constexpr uint64_t kFeatureConfigWce = uint64_t{1} << 11;
inline constexpr uint64_t kFeatureMultiQueue = uint64_t{1} << 12;
inline constexpr uint64_t kFeatureDiscard = uint64_t{1} << 13;
inline constexpr uint64_t kFeatureWriteZeroes = uint64_t{1} << 14;

// struct virtio_blk_config offsets.
inline constexpr uint32_t kConfigCapacity = 0x00;          // u64, 512-byte sectors
inline constexpr uint32_t kConfigSizeMax = 0x08;           // u32
inline constexpr uint32_t kConfigSegMax = 0x0C;            // u32
inline constexpr uint32_t kConfigBlkSize = 0x14;           // u32
inline constexpr uint32_t kConfigPhysicalBlockExp = 0x18;  // u8 (TOPOLOGY)
inline constexpr uint32_t kConfigAlignmentOffset = 0x19;   // u8 (TOPOLOGY)
inline constexpr uint32_t kConfigMinIoSize = 0x1A;         // u16, in blk_size units (TOPOLOGY)
inline constexpr uint32_t kConfigOptIoSize = 0x1C;         // u32, in blk_size units (TOPOLOGY)

// Request header {le32 type, le32 reserved/ioprio, le64 sector}, then data, then a status byte.
inline constexpr uint32_t kRequestHeaderBytes = 16;
inline constexpr uint32_t kTypeIn = 0;
inline constexpr uint32_t kTypeOut = 1;
inline constexpr uint32_t kTypeFlush = 4;
inline constexpr uint32_t kTypeGetId = 8;

inline constexpr uint8_t kStatusOk = 0;
inline constexpr uint8_t kStatusIoError = 1;
inline constexpr uint8_t kStatusUnsupported = 2;

inline constexpr uint32_t kSectorShift = 9;  // virtio sectors are always 512 bytes
inline constexpr uint32_t kSectorSize = 1u << kSectorShift;
inline constexpr uint32_t kIdBytes = 20;  // GET_ID answer: a serial, NUL-padded

}  // namespace aero::blk::spec
