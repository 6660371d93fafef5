// Fuzzes the capability parser with arbitrary config spaces and BAR tables. Input: 256 bytes of
// config space, then per BAR a kind byte and a size byte (size = 1 << (byte & 31)), then a policy
// byte. The parser must never read outside config space nor accept a region outside its BAR.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "aero/virtio/pci_caps.h"
#include "aero/virtio/testing/fake_device.h"
#include "aero/virtio/testing/fake_platform.h"

using aero::virtio::BarInfo;
using aero::virtio::BarKind;
using aero::virtio::CapRegion;
using aero::virtio::Status;

namespace {

void CheckRegion(const CapRegion& region, const BarInfo (&bars)[aero::virtio::kPciBarCount]) {
  if (!region.present)
    return;
  if (region.bar >= aero::virtio::kPciBarCount ||
      uint64_t{region.offset} + region.length > bars[region.bar].size ||
      (bars[region.bar].kind != BarKind::kMemory32 &&
       bars[region.bar].kind != BarKind::kMemory64)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 256 + 12 + 1)
    return 0;
  aero::virtio::testing::FakeDeviceOptions options;
  options.layout = aero::virtio::testing::FakeLayout::kAeroBar0;
  aero::virtio::testing::FakeVirtioDevice device(options);
  std::memcpy(device.config_space(), data, 256);
  for (int bar = 0; bar < aero::virtio::kPciBarCount; ++bar) {
    const uint8_t kind = data[256 + 2 * bar] & 3;
    const uint8_t shift = data[257 + 2 * bar] & 31;
    device.mutable_bars()[bar] =
        BarInfo{static_cast<BarKind>(kind), kind == 0 ? 0 : uint64_t{1} << shift,
                aero::virtio::testing::FakePlatform::BarBase(bar)};
  }
  aero::virtio::testing::FakePlatform platform(&device);
  aero::virtio::AeroStrictExpectations strict = device.AeroExpectations();
  const bool use_strict = data[268] & 1;
  aero::virtio::CapParseOptions parse{
      use_strict ? aero::virtio::CapPolicy::kAeroStrict : aero::virtio::CapPolicy::kStandard,
      &strict};
  aero::virtio::VirtioPciLayout layout;
  aero::virtio::CapDiagnostic diagnostic{};
  const Status status = ParseVirtioPciCaps(platform, device.bars(), parse, &layout, &diagnostic);
  if (diagnostic.text == nullptr || diagnostic.status != status)
    __builtin_trap();
  if (device.counters().driver_errors != 0)
    __builtin_trap();  // a config read out of range
  if (status == Status::kOk) {
    CheckRegion(layout.common, device.bars());
    CheckRegion(layout.notify, device.bars());
    CheckRegion(layout.isr, device.bars());
    CheckRegion(layout.device, device.bars());
    if (!layout.common.present || !layout.notify.present || !layout.isr.present)
      __builtin_trap();
  }
  return 0;
}
