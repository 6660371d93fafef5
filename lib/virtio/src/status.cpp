#include "aero/virtio/status.h"

namespace aero::virtio {

const char* StatusText(Status status) {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kInvalidArgument:
      return "invalid argument";
    case Status::kNoMemory:
      return "out of memory";
    case Status::kNotReady:
      return "not ready (wrong state for this call)";
    case Status::kQueueFull:
      return "not enough free descriptors";
    case Status::kIndirectTooSmall:
      return "indirect table too small for the chain";
    case Status::kPciNoCapabilityList:
      return "PCI function has no capability list";
    case Status::kPciCapPointerMisaligned:
      return "capability pointer not 4-byte aligned";
    case Status::kPciCapPointerReserved:
      return "capability pointer inside the standard header (< 0x40)";
    case Status::kPciCapBeyondConfigSpace:
      return "capability extends beyond config space";
    case Status::kPciCapChainCycle:
      return "capability chain has a cycle";
    case Status::kPciCapChainTooLong:
      return "capability chain longer than config space allows";
    case Status::kPciCapTooShort:
      return "virtio capability shorter than 16 bytes";
    case Status::kPciNotifyCapTooShort:
      return "notify/pci_cfg capability shorter than 20 bytes";
    case Status::kPciCapBarInvalid:
      return "capability refers to an unusable BAR";
    case Status::kPciCapRegionOutOfBar:
      return "capability region extends beyond its BAR";
    case Status::kPciCapRegionTooShort:
      return "capability region shorter than its structure";
    case Status::kPciCapRegionMisaligned:
      return "capability region offset misaligned";
    case Status::kPciNotifyMultiplierInvalid:
      return "notify_off_multiplier neither 0 nor a power of two >= 2";
    case Status::kPciMissingCommonCfg:
      return "no common configuration capability";
    case Status::kPciMissingNotifyCfg:
      return "no notification capability";
    case Status::kPciMissingIsrCfg:
      return "no ISR capability";
    case Status::kPciMissingDeviceCfg:
      return "no device configuration capability";
    case Status::kPciIdentityMismatch:
      return "PCI identity differs from the expected device";
    case Status::kPciLayoutMismatch:
      return "region differs from the contract's fixed layout";
    case Status::kPciBarMismatch:
      return "BAR kind or size differs from the contract";
    case Status::kResetTimeout:
      return "device did not complete reset in time";
    case Status::kMissingRequiredFeature:
      return "device does not offer a required feature";
    case Status::kFeatureConflict:
      return "feature both required and refused, or not implemented";
    case Status::kFeaturesRefused:
      return "device refused the feature set (FEATURES_OK not kept)";
    case Status::kDeviceNeedsReset:
      return "device set DEVICE_NEEDS_RESET";
    case Status::kDeviceBroken:
      return "device marked broken earlier";
    case Status::kQueueIndexInvalid:
      return "queue index beyond num_queues";
    case Status::kQueueUnavailable:
      return "queue not available (size 0)";
    case Status::kQueueSizeInvalid:
      return "queue size not a power of two or too large";
    case Status::kQueueSizeMismatch:
      return "device cannot provide the required queue size";
    case Status::kQueueNotifyOutOfRange:
      return "queue doorbell beyond the notify region";
    case Status::kQueueAlreadySetUp:
      return "queue already set up";
    case Status::kTooManyQueues:
      return "more queues than the transport tracks";
    case Status::kMsixVectorRejected:
      return "MSI-X vector read back differently";
    case Status::kConfigOutOfRange:
      return "device config access out of range";
    case Status::kConfigUnstable:
      return "device config kept changing (config_generation)";
    case Status::kQueueBroken:
      return "queue broken by an earlier device error";
    case Status::kUsedIndexJump:
      return "used index advanced more than requests in flight";
    case Status::kUsedIdOutOfRange:
      return "used id beyond the queue size";
    case Status::kUsedIdNotInFlight:
      return "used id not in flight (duplicate or stale)";
    case Status::kUsedIdNotHead:
      return "used id is not the head of a chain";
    case Status::kUsedLengthTooLarge:
      return "used length exceeds the writable capacity";
  }
  return "unknown status";
}

}  // namespace aero::virtio
