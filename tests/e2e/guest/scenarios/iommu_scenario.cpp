// Scenario "iommu": virtio-blk with iommu_platform=on. The device then offers ACCESS_PLATFORM,
// refuses FEATURES_OK unless the driver accepts it, and can reach memory only while the function
// is a bus master. The harness seeds the disk and checks the written sectors afterwards.
#include "aero/virtio/features.h"
#include "aero/virtio/status.h"
#include "platform/dma.h"
#include "platform/markers.h"
#include "platform/text.h"
#include "platform/timer.h"
#include "scenarios/blk_engine.h"
#include "scenarios/options.h"
#include "scenarios/pattern.h"
#include "scenarios/scenarios.h"

namespace aero::guest {
namespace {

constexpr uint16_t kQueueSize = 64;
constexpr uint32_t kWrittenSectors =
    64;  // sectors [0, 64) get seed_write; the rest keep seed_initial

bool verify(const uint8_t* data, uint32_t first, uint32_t count, uint32_t seed) {
  for (uint32_t s = 0; s < count; ++s) {
    if (!check_sector_pattern(seed, first + s, data + static_cast<size_t>(s) * kSectorSize)) {
      return false;
    }
  }
  return true;
}

}  // namespace

void run_iommu_scenario() {
  const uint32_t seed_initial = option_u32("seed_initial", 0x1234);
  const uint32_t seed_write = option_u32("seed_write", 0x5678);
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  const uint32_t no_bm_wait_ms = option_u32("no_bus_master_wait_ms", 1000);
  static BlkEngine engine;
  const PciFunction* function = nullptr;
  if (!find_blk(&function)) {
    TestCase t("iommu.find");
    t.fail("no virtio-blk device (1af4:1042) found").emit();
    return;
  }
  const DmaBuffer buffer = dma_alloc(2 * kWrittenSectors * kSectorSize, 4096);
  if (buffer.virt == nullptr) {
    TestCase t("iommu.memory");
    t.fail("out of DMA memory").emit();
    return;
  }
  auto* data = static_cast<uint8_t*>(buffer.virt);

  {
    TestCase t("iommu.refused_without_access_platform");
    // A driver that does not accept ACCESS_PLATFORM must see FEATURES_OK refused.
    VirtioDevice& dev = engine.device();
    const virtio::CapParseOptions standard{virtio::CapPolicy::kStandard, nullptr};
    const char* e = virtio_probe(&dev, *function, standard, true);
    virtio::Status s = virtio::Status::kOk;
    if (e == nullptr) {
      s = dev.transport.BeginInit();
    }
    if (e == nullptr && s == virtio::Status::kOk) {
      const virtio::FeatureRequest refuse{0, 0, virtio::kFeatureAccessPlatform};
      s = dev.transport.NegotiateFeatures(refuse, nullptr);
    }
    const uint64_t offered = dev.transport.device_features();
    dev.transport.Reset();
    if (e != nullptr) {
      t.fail(e).emit();
      return;
    }
    if ((offered & virtio::kFeatureAccessPlatform) == 0) {
      t.fail("the device does not offer ACCESS_PLATFORM (is iommu_platform=on set?)").emit();
      return;
    }
    if (s != virtio::Status::kFeaturesRefused) {
      Text reason;
      reason.str("negotiation without ACCESS_PLATFORM gave '").str(virtio::StatusText(s));
      reason.str("', expected FEATURES_OK to be refused");
      t.fail(reason.c_str()).emit();
      return;
    }
    t.pass().kv_hex("offered", offered, 16).kv("status", virtio::StatusText(s)).emit();
  }

  {
    TestCase t("iommu.io_with_bus_master");
    if (const char* e = engine.open(*function, kBlkDefaultFeatures, kQueueSize, true)) {
      t.fail(e).emit();
      return;
    }
    if ((engine.device().negotiated & virtio::kFeatureAccessPlatform) == 0) {
      t.fail("ACCESS_PLATFORM was not negotiated").emit();
      engine.close();
      return;
    }
    for (uint32_t s = 0; s < kWrittenSectors; ++s) {
      fill_sector_pattern(seed_write, s, data + static_cast<size_t>(s) * kSectorSize);
    }
    const char* e =
        blk_transfer(engine, kBlkTypeOut, 0, kWrittenSectors, buffer.phys, 16, 4, true, timeout_ms);
    BlkRequest* flush = nullptr;
    if (e == nullptr) {
      e = engine.add(kBlkTypeFlush, 0, 0, 0, false, &flush);
    }
    if (e == nullptr) {
      engine.kick();
      e = engine.wait_idle(timeout_ms);
    }
    if (e == nullptr) {
      e = engine.check(*flush);
      engine.release(flush);
    }
    if (e == nullptr) {
      for (size_t i = 0; i < buffer.size; ++i) {
        data[i] = 0;
      }
      e = blk_transfer(engine, kBlkTypeIn, 0, 2 * kWrittenSectors, buffer.phys, 16, 4, false,
                       timeout_ms);
    }
    if (e == nullptr && (!verify(data, 0, kWrittenSectors, seed_write) ||
                         !verify(data + kWrittenSectors * kSectorSize, kWrittenSectors,
                                 kWrittenSectors, seed_initial))) {
      e = "data read back differs from what was written / seeded";
    }
    engine.close();
    if (e != nullptr) {
      t.fail(e).emit();
      return;
    }
    t.pass().kv_hex("negotiated", engine.device().negotiated, 16).emit();
  }

  {
    TestCase t("iommu.bus_master_required");
    // Same device, bus mastering off: the device cannot read the ring, so nothing completes.
    if (const char* e = engine.open(*function, kBlkDefaultFeatures, kQueueSize, false)) {
      t.fail(e).emit();
      return;
    }
    BlkRequest* r = nullptr;
    if (const char* e = engine.add(kBlkTypeIn, 0, buffer.phys, kSectorSize, false, &r)) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    engine.kick();
    const bool completed = wait_until(
        [&] {
          engine.poll();
          return r->done;
        },
        no_bm_wait_ms);
    engine.close();  // reset: the request comes back detached
    if (completed) {
      t.fail("a request completed while bus mastering was disabled").emit();
      return;
    }
    t.pass().kv("waited_ms", no_bm_wait_ms).emit();
  }

  {
    TestCase t("iommu.recovers_with_bus_master");
    if (const char* e = engine.open(*function, kBlkDefaultFeatures, kQueueSize, true)) {
      t.fail(e).emit();
      return;
    }
    for (size_t i = 0; i < kSectorSize; ++i) {
      data[i] = 0;
    }
    const char* e = blk_transfer(engine, kBlkTypeIn, 0, 1, buffer.phys, 1, 1, false, timeout_ms);
    if (e == nullptr && !verify(data, 0, 1, seed_write)) {
      e = "sector 0 differs after re-enabling bus mastering";
    }
    engine.close();
    if (e != nullptr) {
      t.fail(e).emit();
      return;
    }
    t.pass().emit();
  }
}

}  // namespace aero::guest
