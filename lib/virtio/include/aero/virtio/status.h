// Result codes of the virtio library. Every rejection of device-provided data has its own code so
// logs and tests can tell exactly which rule a device broke. StatusText gives a fixed English text.
#pragma once

#include <stdint.h>

namespace aero::virtio {

enum class Status : uint8_t {
  kOk = 0,

  // Caller errors.
  kInvalidArgument,
  kNoMemory,
  kNotReady,          // called in the wrong state (e.g. queue not set up)
  kQueueFull,         // not enough free descriptors (retry after harvesting)
  kIndirectTooSmall,  // the caller's indirect table cannot hold the chain

  // PCI identity and capability chain.
  kPciNoCapabilityList,
  kPciCapPointerMisaligned,
  kPciCapPointerReserved,  // below 0x40 (the standard header)
  kPciCapBeyondConfigSpace,
  kPciCapChainCycle,
  kPciCapChainTooLong,
  kPciCapTooShort,        // cap_len below 16
  kPciNotifyCapTooShort,  // notify or pci_cfg cap_len below 20
  kPciCapBarInvalid,      // refers to an absent, I/O or unknown BAR that it must not
  kPciCapRegionOutOfBar,  // offset + length beyond the BAR
  kPciCapRegionTooShort,  // shorter than the structure it holds
  kPciCapRegionMisaligned,
  kPciNotifyMultiplierInvalid,
  kPciMissingCommonCfg,
  kPciMissingNotifyCfg,
  kPciMissingIsrCfg,
  kPciMissingDeviceCfg,
  kPciIdentityMismatch,  // vendor / device / subsystem / revision differ from what is expected
  kPciLayoutMismatch,    // aero-strict: a region differs from the contract's fixed layout
  kPciBarMismatch,       // aero-strict: the BAR kind or size differs from the contract

  // Transport.
  kResetTimeout,
  kMissingRequiredFeature,
  kFeatureConflict,  // a feature is both required and refused, or required but not implemented
  kFeaturesRefused,  // FEATURES_OK did not stick
  kDeviceNeedsReset,
  kDeviceBroken,  // the transport was marked broken earlier
  kQueueIndexInvalid,
  kQueueUnavailable,       // queue_size reads 0
  kQueueSizeInvalid,       // device maximum not a power of two / too large
  kQueueSizeMismatch,      // device cannot provide the required (contract) size
  kQueueNotifyOutOfRange,  // queue_notify_off * multiplier + 2 beyond the notify region
  kQueueAlreadySetUp,
  kTooManyQueues,
  kMsixVectorRejected,  // the read-back vector differs from the one written
  kConfigOutOfRange,    // device config access beyond the region
  kConfigUnstable,      // config_generation kept changing

  // Virtqueue (device misbehaviour found while harvesting).
  kQueueBroken,
  kUsedIndexJump,  // used.idx advanced by more than the requests in flight / the queue size
  kUsedIdOutOfRange,
  kUsedIdNotInFlight,
  kUsedIdNotHead,
  kUsedLengthTooLarge,
};

// Never null; "unknown status" for values outside the enum.
const char* StatusText(Status status);

}  // namespace aero::virtio
