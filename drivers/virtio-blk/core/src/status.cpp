#include "aero/blk/status.h"

namespace aero::blk {

const char* StatusText(Status status) {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kInvalidArgument:
      return "invalid configuration";
    case Status::kNoMemory:
      return "out of memory";
    case Status::kNotReady:
      return "not ready (wrong state)";
    case Status::kNotBlockDevice:
      return "the PCI function is not a virtio-blk device";
    case Status::kVirtioError:
      return "virtio transport error";
    case Status::kBadBlockSize:
      return "device blk_size is not a power of two in 512..4096";
    case Status::kBadCapacity:
      return "device capacity is beyond 2^54 sectors";
    case Status::kBadSizeMax:
      return "device size_max is below 512";
    case Status::kLimitsTooSmall:
      return "device limits cannot carry one logical block";
    case Status::kQueueTooSmall:
      return "the queue cannot hold a request chain";
  }
  return "unknown status";
}

}  // namespace aero::blk
