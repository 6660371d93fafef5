// Compiled by the contract.header_freestanding.* tests with each target compiler, freestanding and
// without the C++ library: the generated header must build wherever drivers and the guest do.
#include "aero/contract/aero_contract.h"

static_assert(aero::contract::kDeviceCount > 0, "the contract lists devices");
static_assert(aero::contract::virtio_blk::kDeviceId == aero::contract::virtio::kModernDeviceIdBase +
                                                           aero::contract::virtio_blk::kVirtioType,
              "DID = 0x1040 + virtio type");
static_assert(sizeof(aero::contract::virtio_blk::kServiceNameW) ==
                  sizeof(wchar_t) * sizeof(aero::contract::virtio_blk::kServiceName),
              "wide and narrow service names have the same length");
