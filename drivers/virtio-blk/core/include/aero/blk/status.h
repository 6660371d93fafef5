// Result codes of the virtio-blk core's set-up paths. Each rejection of device-provided data has
// its own code; StatusText gives a fixed English text for logs.
#pragma once

#include <stdint.h>

namespace aero::blk {

using size_t = decltype(sizeof(0));

enum class Status : uint8_t {
  kOk = 0,
  kInvalidArgument,  // the caller's configuration is unusable
  kNoMemory,
  kNotReady,        // called in the wrong state
  kNotBlockDevice,  // the PCI function is not a virtio-blk device
  kVirtioError,     // lib/virtio refused (see RequestEngine::virtio_status())
  kBadBlockSize,    // blk_size is not a power of two in 512..4096
  kBadCapacity,     // capacity beyond 2^54 sectors
  kBadSizeMax,      // size_max below 512
  kLimitsTooSmall,  // the device's limits leave no room for one logical block per request
  kQueueTooSmall,   // the ring cannot hold a request chain
};

// Never null; "unknown status" for values outside the enum.
const char* StatusText(Status status);

}  // namespace aero::blk
