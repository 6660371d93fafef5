// Scenario "blk": QEMU's virtio-blk through lib/virtio. The harness seeds the disk image with the
// pattern of seed_initial; the guest checks it, writes the pattern of seed_write over the whole
// disk, flushes and reads it back; the harness then checks the image file. Completion is
// interrupt-driven (INTx on a shared, level-triggered line).
#include "aero/virtio/features.h"
#include "aero/virtio/status.h"
#include "platform/dma.h"
#include "platform/interrupts.h"
#include "platform/markers.h"
#include "platform/pci.h"
#include "platform/text.h"
#include "platform/timer.h"
#include "scenarios/blk_engine.h"
#include "scenarios/options.h"
#include "scenarios/pattern.h"
#include "scenarios/scenarios.h"

namespace aero::guest {
namespace {

constexpr uint16_t kQueueSize = 128;
constexpr uint32_t kSectorsPerRequest = 64;  // 32 KiB
constexpr uint32_t kMaxInFlight = 16;

struct DetachCount {
  uint32_t detached;
};

void count_detached(void* context, const virtio::Completion& c) {
  if (c.status == virtio::CompletionStatus::kDetached) {
    ++static_cast<DetachCount*>(context)->detached;
  }
}

// First sector whose content differs from the pattern, or -1.
int64_t first_bad_sector(const uint8_t* data, uint32_t sectors, uint32_t seed) {
  for (uint32_t s = 0; s < sectors; ++s) {
    if (!check_sector_pattern(seed, s, data + static_cast<size_t>(s) * kSectorSize)) {
      return s;
    }
  }
  return -1;
}

void pattern_failure(TestCase& t, const uint8_t* data, int64_t bad, uint32_t seed) {
  const auto* words = static_cast<const uint32_t*>(
      static_cast<const void*>(data + static_cast<size_t>(bad) * kSectorSize));
  Text reason;
  reason.str("sector ").dec(static_cast<uint64_t>(bad)).str(" does not hold the pattern of seed ");
  reason.hex(seed, 8).str(" (starts with lba=").dec(words[0]).str(" seed=").hex(words[1], 8);
  reason.ch(')');
  t.fail(reason.c_str()).emit();
}

}  // namespace

bool find_blk(const PciFunction** out) {
  static PciFunction functions[kMaxPciFunctions];
  const size_t count = pci_enumerate(functions, kMaxPciFunctions);
  const PciFunction* found[1];
  if (find_virtio_functions(functions, count > kMaxPciFunctions ? kMaxPciFunctions : count,
                            kVirtioTypeBlock, found, 1) == 0) {
    return false;
  }
  *out = found[0];
  return true;
}

void run_blk_scenario() {
  const uint32_t seed_initial = option_u32("seed_initial", 0x1234);
  const uint32_t seed_write = option_u32("seed_write", 0x5678);
  const uint32_t disk_sectors = option_u32("disk_sectors", 0);
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  static BlkEngine engine;
  const PciFunction* function = nullptr;
  uint32_t sectors = 0;
  {
    TestCase t("blk.init");
    if (!find_blk(&function)) {
      t.fail("no virtio-blk device (1af4:1042) found").emit();
      return;
    }
    if (const char* e = engine.open(*function, kBlkDefaultFeatures, kQueueSize, true)) {
      t.fail(e).emit();
      return;
    }
    if (disk_sectors != 0 && engine.capacity() != disk_sectors) {
      Text reason;
      reason.str("capacity ").dec(engine.capacity()).str(" sectors, expected ").dec(disk_sectors);
      t.fail(reason.c_str()).emit();
      engine.close();
      return;
    }
    if (engine.capacity() == 0 || engine.capacity() > 65536) {
      t.fail("capacity must be 1..65536 sectors for this scenario")
          .kv("capacity", engine.capacity())
          .emit();
      engine.close();
      return;
    }
    sectors = static_cast<uint32_t>(engine.capacity());
    t.pass()
        .kv_hex("device_features", engine.device().transport.device_features(), 16)
        .kv_hex("negotiated", engine.device().negotiated, 16)
        .kv("capacity", engine.capacity())
        .kv("seg_max", engine.seg_max())
        .kv("queue_size", engine.queue().size())
        .kv("irq_line", engine.device().pci.interrupt_line)
        .emit();
  }

  const DmaBuffer disk = dma_alloc(static_cast<size_t>(sectors) * kSectorSize, 4096);
  if (disk.virt == nullptr) {
    TestCase t("blk.memory");
    t.fail("out of DMA memory for the disk buffer").emit();
    engine.close();
    return;
  }
  auto* data = static_cast<uint8_t*>(disk.virt);

  {
    TestCase t("blk.intx_completion");
    const uint32_t before = engine.device().interrupts;
    BlkRequest* r = nullptr;
    if (const char* e = engine.add(kBlkTypeIn, 0, disk.phys, kSectorSize, false, &r)) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    engine.kick();
    // Only the interrupt handler can end this wait: the used ring is not looked at.
    const bool interrupted =
        wait_until([&] { return engine.device().interrupts != before; }, timeout_ms);
    const size_t harvested = engine.poll();
    if (!interrupted) {
      Text reason;
      reason.str("no INTx interrupt within ")
          .dec(timeout_ms)
          .str(" ms of a read (completed by then: ");
      reason.dec(harvested).str("; doorbells written ");
      reason.dec(engine.device().platform.counters().notify_writes).str(", dropped ");
      reason.dec(engine.device().platform.counters().dropped_notifies).ch(')');
      t.fail(reason.c_str()).emit();
      engine.close();
      return;
    }
    if (const char* e = engine.check(*r)) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    engine.release(r);
    if (!check_sector_pattern(seed_initial, 0, data)) {
      pattern_failure(t, data, 0, seed_initial);
      engine.close();
      return;
    }
    const IrqStats s = irq_stats(engine.device().pci.interrupt_line);
    t.pass()
        .kv("irq_line", engine.device().pci.interrupt_line)
        .kv("line_interrupts", s.delivered)
        .kv("line_unclaimed", s.unclaimed)
        .emit();
  }

  {
    TestCase t("blk.read_seeded");
    const uint64_t start = now_us();
    if (const char* e = blk_transfer(engine, kBlkTypeIn, 0, sectors, disk.phys, kSectorsPerRequest,
                                     kMaxInFlight, false, timeout_ms)) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    const int64_t bad = first_bad_sector(data, sectors, seed_initial);
    if (bad >= 0) {
      pattern_failure(t, data, bad, seed_initial);
      engine.close();
      return;
    }
    t.pass()
        .kv("sectors", sectors)
        .kv("elapsed_us", now_us() - start)
        .kv("chains", "direct")
        .emit();
  }

  {
    TestCase t("blk.write_pattern");
    for (uint32_t s = 0; s < sectors; ++s) {
      fill_sector_pattern(seed_write, s, data + static_cast<size_t>(s) * kSectorSize);
    }
    const uint64_t start = now_us();
    if (const char* e = blk_transfer(engine, kBlkTypeOut, 0, sectors, disk.phys, kSectorsPerRequest,
                                     kMaxInFlight, true, timeout_ms)) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    t.pass()
        .kv("sectors", sectors)
        .kv("elapsed_us", now_us() - start)
        .kv("chains",
            (engine.device().negotiated & virtio::kFeatureIndirectDesc) ? "indirect" : "direct")
        .emit();
  }

  {
    TestCase t("blk.flush");
    if ((engine.device().negotiated & kBlkFeatureFlush) == 0) {
      t.fail("the device does not offer VIRTIO_BLK_F_FLUSH").emit();
      engine.close();
      return;
    }
    BlkRequest* r = nullptr;
    const char* e = engine.add(kBlkTypeFlush, 0, 0, 0, false, &r);
    if (e == nullptr) {
      engine.kick();
      e = engine.wait_idle(timeout_ms);
    }
    if (e == nullptr) {
      e = engine.check(*r);
    }
    if (e != nullptr) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    engine.release(r);
    t.pass().emit();
  }

  {
    TestCase t("blk.read_back");
    for (size_t i = 0; i < disk.size; ++i) {
      data[i] = 0;
    }
    if (const char* e = blk_transfer(engine, kBlkTypeIn, 0, sectors, disk.phys, kSectorsPerRequest,
                                     kMaxInFlight, true, timeout_ms)) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    const int64_t bad = first_bad_sector(data, sectors, seed_write);
    if (bad >= 0) {
      pattern_failure(t, data, bad, seed_write);
      engine.close();
      return;
    }
    t.pass().kv("sectors", sectors).emit();
  }

  {
    TestCase t("blk.out_of_range");
    BlkRequest* r = nullptr;
    const char* e = engine.add(kBlkTypeIn, engine.capacity(), disk.phys, kSectorSize, false, &r);
    if (e == nullptr) {
      engine.kick();
      e = engine.wait_idle(timeout_ms);
    }
    if (e != nullptr) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    if (r->status != kBlkStatusIoErr) {
      t.fail("a read past the capacity did not fail with VIRTIO_BLK_S_IOERR")
          .kv("status", r->status)
          .emit();
      engine.release(r);
      engine.close();
      return;
    }
    engine.release(r);
    t.pass().kv("status", r->status).emit();
  }

  {
    TestCase t("blk.reset_detaches_in_flight");
    constexpr uint32_t kRequests = 8;
    for (uint32_t i = 0; i < kRequests; ++i) {
      BlkRequest* r = nullptr;
      if (const char* e = engine.add(kBlkTypeIn, i * 8, disk.phys + i * 4096, 4096, false, &r)) {
        t.fail(e).emit();
        engine.close();
        return;
      }
    }
    engine.kick();
    const size_t harvested = engine.poll();
    DetachCount count{0};
    const virtio::Status s = engine.device().transport.Teardown(count_detached, &count);
    virtio_detach_irq(&engine.device());
    if (s != virtio::Status::kOk) {
      t.fail(virtio::StatusText(s)).emit();
      return;
    }
    if (harvested + count.detached != kRequests) {
      t.fail("requests were lost or returned twice across the reset")
          .kv("harvested", harvested)
          .kv("detached", count.detached)
          .emit();
      return;
    }
    // The device must come back after the reset.
    engine.release_all_done();
    for (size_t i = 0; i < 8 * kSectorSize; ++i) {
      data[i] = 0;
    }
    if (const char* e = engine.open(*function, kBlkDefaultFeatures, kQueueSize, true)) {
      t.fail(e).emit();
      return;
    }
    if (const char* e =
            blk_transfer(engine, kBlkTypeIn, 0, 8, disk.phys, 8, 1, false, timeout_ms)) {
      t.fail(e).emit();
      engine.close();
      return;
    }
    if (first_bad_sector(data, 8, seed_write) >= 0) {
      t.fail("reads after the re-initialisation returned wrong data").emit();
      engine.close();
      return;
    }
    t.pass().kv("harvested", harvested).kv("detached", count.detached).emit();
  }
  engine.close();
}

}  // namespace aero::guest
