// The handler GCC puts in the vtable slots of pure virtual functions. Reaching it means an object
// was used before construction or after destruction: stop the machine with a recognisable code.
#include <wdm.h>

namespace {
// MANUALLY_INITIATED_CRASH1 (0xDEADDEAD) with the marker 'PREA' as the first parameter.
constexpr ULONG kPureVirtualBugCheck = 0xDEADDEAD;
constexpr ULONG_PTR kPureVirtualMarker = 0x41455250;
}  // namespace

extern "C" void __cxa_pure_virtual();
extern "C" void __cxa_pure_virtual() {
  KeBugCheckEx(kPureVirtualBugCheck, kPureVirtualMarker, 0, 0, 0);
}
