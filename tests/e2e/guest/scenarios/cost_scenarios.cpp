// Scenarios "blk-cost" and "net-cost": what a request costs in device exits. For batches of 1, 8
// and 32 requests (one kick per batch) the guest measures doorbell writes, interrupts and ISR
// reads, with EVENT_IDX negotiated and refused; QEMU's trace (ioeventfd=off) counts the same from
// the device side. The harness prints the table (docs/e2e.md lists the figures).
#include "aero/virtio/features.h"
#include "platform/dma.h"
#include "platform/markers.h"
#include "platform/pci.h"
#include "platform/text.h"
#include "platform/timer.h"
#include "scenarios/blk_engine.h"
#include "scenarios/cost_window.h"
#include "scenarios/net_engine.h"
#include "scenarios/options.h"
#include "scenarios/scenarios.h"

namespace aero::guest {
namespace {

constexpr uint32_t kBatches[] = {1, 8, 32};
constexpr uint32_t kRounds = 8;

struct Mode {
  const char* name;
  virtio::FeatureRequest features;
};

constexpr Mode kModes[] = {
    {"event_idx", {0, virtio::kFeatureEventIdx | virtio::kFeatureIndirectDesc, 0}},
    {"no_event_idx", {0, virtio::kFeatureIndirectDesc, virtio::kFeatureEventIdx}},
};

uint32_t full_frame(uint32_t) {
  return kNetMaxFrame;
}

}  // namespace

void run_blk_cost_scenario() {
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  static BlkEngine engine;
  const PciFunction* function = nullptr;
  TestCase t("cost.blk");
  if (!find_blk(&function)) {
    t.fail("no virtio-blk device found").emit();
    return;
  }
  const DmaBuffer buffer = dma_alloc(32 * 4096, 4096);
  if (buffer.virt == nullptr) {
    t.fail("out of DMA memory").emit();
    return;
  }
  uint32_t window = 0;
  for (const Mode& mode : kModes) {
    if (const char* e = engine.open(*function, mode.features, 128, true)) {
      t.fail(e).emit();
      return;
    }
    for (uint32_t batch : kBatches) {
      VirtioDevice* devices[] = {&engine.device()};
      CostWindow w(++window, devices, 1);
      for (uint32_t round = 0; round < kRounds; ++round) {
        for (uint32_t i = 0; i < batch; ++i) {
          BlkRequest* r = nullptr;
          const uint64_t sector = (uint64_t{round} * batch + i) * 8 % (engine.capacity() - 8);
          if (const char* e =
                  engine.add(kBlkTypeIn, sector, buffer.phys + i * 4096, 4096, false, &r)) {
            w.close("aborted", batch, round, 0);
            t.fail(e).emit();
            engine.close();
            return;
          }
        }
        engine.kick();
        const char* e = engine.wait_idle(timeout_ms);
        engine.release_all_done();
        if (e != nullptr) {
          w.close("aborted", batch, round, 0);
          t.fail(e).emit();
          engine.close();
          return;
        }
      }
      Text label;
      label.str("blk.").str(mode.name).str(".batch").dec(batch);
      w.close(label.c_str(), batch, kRounds, batch * kRounds);
    }
    engine.close();
  }
  t.pass().kv("windows", window).emit();
}

void run_net_cost_scenario() {
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  static PciFunction functions[kMaxPciFunctions];
  static NetNic nics[2];
  TestCase t("cost.net");
  size_t count = pci_enumerate(functions, kMaxPciFunctions);
  if (count > kMaxPciFunctions) {
    count = kMaxPciFunctions;
  }
  const PciFunction* found[2];
  if (find_virtio_functions(functions, count, kVirtioTypeNet, found, 2) != 2) {
    t.fail("expected exactly two virtio-net devices").emit();
    return;
  }
  uint32_t window = 0;
  uint32_t seq = 0;
  for (const Mode& mode : kModes) {
    for (int i = 0; i < 2; ++i) {
      if (const char* e = net_open(nics[i], *found[i], mode.features, true)) {
        t.fail(e).emit();
        net_close(nics[0]);
        net_close(nics[1]);
        return;
      }
    }
    for (uint32_t batch : kBatches) {
      VirtioDevice* devices[] = {&nics[0].dev, &nics[1].dev};
      CostWindow w(++window, devices, 2);
      for (uint32_t round = 0; round < kRounds; ++round) {
        if (const char* e = net_transfer(nics[0], nics[1], batch, full_frame, seq, batch,
                                         timeout_ms, nullptr)) {
          w.close("aborted", batch, round, 0);
          t.fail(e).emit();
          net_close(nics[0]);
          net_close(nics[1]);
          return;
        }
        seq += batch;
      }
      Text label;
      label.str("net.").str(mode.name).str(".batch").dec(batch);
      w.close(label.c_str(), batch, kRounds, batch * kRounds);
    }
    net_close(nics[0]);
    net_close(nics[1]);
  }
  t.pass().kv("windows", window).emit();
}

}  // namespace aero::guest
