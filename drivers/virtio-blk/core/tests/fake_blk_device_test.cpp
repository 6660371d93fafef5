// The fake device itself, driven through raw lib/virtio (no core): it must catch a driver that
// breaks the contract, so the core tests can rely on its silence.
#include "aero/blk/testing/fake_blk_device.h"

#include <gtest/gtest.h>

#include <cstring>

#include "aero/blk/blk_spec.h"
#include "aero/virtio/features.h"
#include "aero/virtio/pci_caps.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/testing/fake_platform.h"
#include "aero/virtio/transport.h"
#include "aero/virtio/virtqueue.h"

namespace aero::blk::testing {
namespace {

namespace bs = aero::blk::spec;

class RawDriver {
 public:
  explicit RawDriver(FakeBlkDevice& blk) : platform(&blk.device()) {
    virtio::VirtioPciLayout layout;
    const virtio::CapParseOptions options{virtio::CapPolicy::kStandard, nullptr};
    ok = virtio::ParseVirtioPciCaps(platform, blk.device().bars(), options, &layout, nullptr) ==
             virtio::Status::kOk &&
         transport.Init(&platform, layout, blk.device().bars(), nullptr) == virtio::Status::kOk &&
         transport.BeginInit() == virtio::Status::kOk &&
         transport.NegotiateFeatures({0, bs::kFeatureBlkSize | bs::kFeatureFlush, 0}, nullptr) ==
             virtio::Status::kOk &&
         transport.SetupQueue({0, 0, 16, virtio::spec::kNoVector}, &queue) == virtio::Status::kOk &&
         transport.DriverOk() == virtio::Status::kOk;
    platform.AllocateDma(kMemoryBytes, 16, &memory);
  }
  ~RawDriver() {
    transport.Teardown(nullptr, nullptr);
    platform.FreeDma(memory);
  }
  static constexpr uint32_t kMemoryBytes = 16384;
  static constexpr uint32_t kStatus = kMemoryBytes - 1;
  // header at 0, data at 512, status in the last byte.
  uint8_t Request(uint32_t type, uint64_t sector, uint32_t data_bytes, bool data_writable) {
    auto* bytes = static_cast<uint8_t*>(memory.virt);
    std::memset(bytes, 0, 16);
    std::memcpy(bytes, &type, 4);
    std::memcpy(bytes + 8, &sector, 8);
    bytes[kStatus] = 0xFF;
    virtio::Segment segments[3] = {{memory.phys, 16, false},
                                   {memory.phys + 512, data_bytes, data_writable},
                                   {memory.phys + kStatus, 1, true}};
    const bool with_data = data_bytes != 0;
    virtio::Segment chain[3] = {segments[0], with_data ? segments[1] : segments[2], segments[2]};
    EXPECT_EQ(queue.Add(chain, with_data ? 3 : 2, &memory), virtio::Status::kOk);
    queue.Kick();
    virtio::Completion done;
    EXPECT_EQ(queue.Harvest(&done, 1), 1u);
    return bytes[kStatus];
  }

  virtio::testing::FakePlatform platform;
  virtio::ModernTransport transport;
  virtio::SplitVirtqueue queue;
  virtio::DmaBuffer memory{};
  bool ok = false;
};

TEST(FakeBlkDeviceTest, ServesReadsAndWrites) {
  FakeBlkDevice blk;
  RawDriver driver(blk);
  ASSERT_TRUE(driver.ok);
  auto* data = static_cast<uint8_t*>(driver.memory.virt) + 512;
  std::memset(data, 0x5A, 1024);
  EXPECT_EQ(driver.Request(bs::kTypeOut, 4, 1024, false), bs::kStatusOk);
  EXPECT_EQ(blk.disk()[4 * 512], 0x5A);
  EXPECT_EQ(blk.disk()[6 * 512 - 1], 0x5A);
  std::memset(data, 0, 1024);
  EXPECT_EQ(driver.Request(bs::kTypeIn, 5, 512, true), bs::kStatusOk);
  EXPECT_EQ(data[0], 0x5A);
  EXPECT_EQ(driver.Request(bs::kTypeFlush, 0, 0, false), bs::kStatusOk);
  EXPECT_EQ(driver.Request(99, 0, 0, false), bs::kStatusUnsupported);
  EXPECT_TRUE(blk.protocol_errors().empty());
  EXPECT_EQ(blk.served(bs::kTypeOut), 1u);
}

TEST(FakeBlkDeviceTest, FlagsContractViolations) {
  FakeBlkOptions options;
  options.block_size = 4096;
  FakeBlkDevice blk(options);
  RawDriver driver(blk);
  ASSERT_TRUE(driver.ok);
  EXPECT_EQ(driver.Request(bs::kTypeIn, 0, 100, true), bs::kStatusIoError);
  EXPECT_EQ(driver.Request(bs::kTypeIn, 1, 512, true), bs::kStatusIoError) << "misaligned 4Kn";
  EXPECT_EQ(driver.Request(bs::kTypeIn, 0, 1024, false), bs::kStatusIoError)
      << "IN with readable data";
  EXPECT_EQ(blk.protocol_errors().size(), 4u);
  EXPECT_EQ(driver.Request(bs::kTypeIn, 2048, 4096, true), bs::kStatusIoError);
  EXPECT_EQ(blk.out_of_range(), 1u);
}

TEST(FakeBlkDeviceTest, ResizeChangesConfigAndInterrupts) {
  FakeBlkDevice blk;
  RawDriver driver(blk);
  ASSERT_TRUE(driver.ok);
  blk.Resize(0x1000);
  uint64_t capacity = 0;
  const virtio::ConfigField field{bs::kConfigCapacity, 8, 1, &capacity};
  ASSERT_EQ(driver.transport.ReadConfig(&field, 1), virtio::Status::kOk);
  EXPECT_EQ(capacity, 0x1000u);
  EXPECT_EQ(blk.disk().size(), 0x1000u * 512);
  EXPECT_EQ(driver.transport.ReadIsr() & virtio::spec::kIsrConfig, virtio::spec::kIsrConfig);
}

}  // namespace
}  // namespace aero::blk::testing
