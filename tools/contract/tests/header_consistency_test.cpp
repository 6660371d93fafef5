// Compiles the committed generated header and checks its values against the contract JSON, so a
// header that does not compile, or that disagrees with the contract, fails here as well as in the
// drift check.
#include <gtest/gtest.h>

#include "aero/contract/aero_contract.h"
#include "names.h"
#include "test_support.h"

namespace aero::contract_tool {
namespace {

namespace h = ::aero::contract;

static_assert(h::virtio_blk::kDeviceId ==
              h::virtio::kModernDeviceIdBase + h::virtio_blk::kVirtioType);
static_assert(h::virtio_net::kDeviceId ==
              h::virtio::kModernDeviceIdBase + h::virtio_net::kVirtioType);
static_assert(h::virtio_snd::kDeviceId ==
              h::virtio::kModernDeviceIdBase + h::virtio_snd::kVirtioType);
static_assert((h::virtio_blk::kRequiredFeatures & h::virtio_blk::feature::kVersion1) != 0);
static_assert((h::virtio_net::kRequiredFeatures & h::virtio_net::kForbiddenFeatures) == 0);
static_assert(h::virtio_blk::bar0::kDeviceCfgOffset + h::virtio_blk::bar0::kDeviceCfgLength <=
              h::virtio_blk::bar0::kSize);
static_assert(h::virtio_snd::queue::kCount == 4);
static_assert(h::IsForbiddenIdentity(h::virtio::kVendorId, h::virtio::kTransitionalDeviceIdFirst));
static_assert(!h::IsForbiddenIdentity(h::aerogpu::kVendorId, h::aerogpu::kDeviceId));
static_assert(h::aerogpu::kAbiVersion ==
              (h::aerogpu::kAbiVersionMajor << 16 | h::aerogpu::kAbiVersionMinor));

TEST(GeneratedHeader, DeviceTableMatchesTheContract) {
  const Contract contract = testing::RealContract();
  ASSERT_EQ(h::kDeviceCount, contract.devices.size());
  for (std::size_t i = 0; i < contract.devices.size(); ++i) {
    const Device& d = contract.devices[i];
    const h::DeviceIdentity& row = h::kDevices[i];
    EXPECT_STREQ(row.name, d.name.c_str());
    EXPECT_EQ(row.vendor_id, d.pci.vendor_id);
    EXPECT_EQ(row.device_id, d.pci.device_id);
    EXPECT_EQ(row.subsystem_vendor_id, d.pci.subsystem_vendor_id);
    EXPECT_EQ(row.subsystem_id, d.pci.subsystem_id);
    EXPECT_EQ(row.revision_id, d.pci.revision_id);
    EXPECT_STREQ(row.service_name, contract.FindDriver(d.driver)->service.c_str());
  }
  EXPECT_EQ(h::kContractVersionMajor, contract.version_major);
  EXPECT_EQ(h::kPciRevisionId, contract.version_major);
}

TEST(GeneratedHeader, HardwareIdListsMatchTheContract) {
  const Contract contract = testing::RealContract();
  const std::vector<std::string> blk(h::virtio_blk::kHardwareIds,
                                     h::virtio_blk::kHardwareIds + h::virtio_blk::kHardwareIdCount);
  EXPECT_EQ(blk, contract.devices[0].hardware_ids);
  const std::vector<std::string> gpu(h::aerogpu::kHardwareIds,
                                     h::aerogpu::kHardwareIds + h::aerogpu::kHardwareIdCount);
  EXPECT_EQ(gpu, contract.devices[6].hardware_ids);
}

}  // namespace
}  // namespace aero::contract_tool
