// Basic types for the portable library. Only <stdint.h> is included: under the Win7 kernel flags
// (-nostdinc -isystem <gcc include>) mingw's <stddef.h> is a wrapper whose #include_next finds
// nothing, so size_t is spelled here instead.
#pragma once

#include <stdint.h>

namespace aero::virtio {

using size_t = decltype(sizeof(0));

}  // namespace aero::virtio
