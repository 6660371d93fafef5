#include "scenarios/blk_engine.h"

#include "aero/virtio/features.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/status.h"
#include "platform/cpu.h"
#include "platform/dma.h"
#include "platform/text.h"
#include "platform/timer.h"

namespace aero::guest {
namespace {

constexpr uint32_t kHeaderBytes = 16;
constexpr uint32_t kStatusOffset = 16;
constexpr uint16_t kIndirectEntries = 4;
constexpr uint32_t kRequestSlotBytes = 128;  // header+status at 0, indirect table at 64

Text g_error;

void store32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    p[i] = static_cast<uint8_t>(v >> (8 * i));
  }
}

void store64(uint8_t* p, uint64_t v) {
  store32(p, static_cast<uint32_t>(v));
  store32(p + 4, static_cast<uint32_t>(v >> 32));
}

}  // namespace

const char* BlkEngine::open(const PciFunction& function, const virtio::FeatureRequest& features,
                            uint16_t queue_size, bool bus_master) {
  opened_ = false;
  in_flight_ = 0;
  const virtio::CapParseOptions options{virtio::CapPolicy::kStandard, nullptr};
  if (const char* e = virtio_probe(&dev_, function, options, bus_master)) {
    return e;
  }
  const DmaBuffer slots = dma_alloc(kRequestSlotBytes * kMaxRequests, 64);
  if (slots.virt == nullptr) {
    return "out of DMA memory for request headers";
  }
  for (uint16_t i = 0; i < kMaxRequests; ++i) {
    BlkRequest& r = requests_[i];
    r = BlkRequest{};
    r.header = static_cast<uint8_t*>(slots.virt) + i * kRequestSlotBytes;
    r.header_phys = slots.phys + i * kRequestSlotBytes;
    r.indirect.virt = r.header + 64;
    r.indirect.phys = r.header_phys + 64;
    r.indirect.capacity = kIndirectEntries;
  }
  virtio::FeatureRequest request = features;
  request.supported |= kBlkFeatureSegMax | kBlkFeatureBlkSize | kBlkFeatureFlush;
  const virtio::QueueConfig config{0, 0, queue_size, virtio::spec::kNoVector};
  virtio::SplitVirtqueue* queues[] = {&queue_};
  if (const char* e = virtio_start(&dev_, request, &config, queues, 1, false)) {
    return e;
  }
  uint64_t capacity = 0;
  uint32_t seg_max = 0;
  const virtio::ConfigField fields[] = {{0x00, 8, 1, &capacity}, {0x0c, 4, 1, &seg_max}};
  const virtio::Status s = dev_.transport.ReadConfig(fields, 2);
  if (s != virtio::Status::kOk) {
    g_error.clear();
    g_error.str("reading the blk config: ").str(virtio::StatusText(s));
    return g_error.c_str();
  }
  capacity_ = capacity;
  seg_max_ = (dev_.negotiated & kBlkFeatureSegMax) != 0 ? seg_max : 1;
  if (const char* e = virtio_attach_irq(&dev_)) {
    return e;
  }
  const virtio::Status ok = dev_.transport.DriverOk();
  if (ok != virtio::Status::kOk) {
    g_error.clear();
    g_error.str("DRIVER_OK: ").str(virtio::StatusText(ok));
    return g_error.c_str();
  }
  opened_ = true;
  return nullptr;
}

void BlkEngine::close() {
  virtio_stop(&dev_);
  for (BlkRequest& r : requests_) {
    r.busy = false;
  }
  in_flight_ = 0;
  opened_ = false;
}

const char* BlkEngine::add(uint32_t type, uint64_t sector, uint64_t data_phys, uint32_t data_bytes,
                           bool use_indirect, BlkRequest** out) {
  BlkRequest* r = nullptr;
  for (BlkRequest& candidate : requests_) {
    if (!candidate.busy) {
      r = &candidate;
      break;
    }
  }
  if (r == nullptr) {
    return "all request slots busy";
  }
  store32(r->header, type);
  store32(r->header + 4, 0);
  store64(r->header + 8, sector);
  r->header[kStatusOffset] = 0xff;  // the device must overwrite it
  r->type = type;
  r->data_bytes = data_bytes;
  r->written = 0;
  r->status = 0xff;
  r->done = false;
  r->detached = false;
  virtio::Segment segments[3];
  uint16_t count = 0;
  segments[count++] = virtio::Segment{r->header_phys, kHeaderBytes, false};
  if (data_bytes != 0) {
    segments[count++] = virtio::Segment{data_phys, data_bytes, type == kBlkTypeIn};
  }
  segments[count++] = virtio::Segment{r->header_phys + kStatusOffset, 1, true};
  const virtio::Status s = queue_.Add(segments, count, r, use_indirect ? &r->indirect : nullptr);
  if (s != virtio::Status::kOk) {
    g_error.clear();
    g_error.str("adding a request: ").str(virtio::StatusText(s));
    return g_error.c_str();
  }
  r->busy = true;
  ++in_flight_;
  *out = r;
  return nullptr;
}

size_t BlkEngine::poll() {
  virtio::Completion done[16];
  size_t total = 0;
  for (;;) {
    const size_t n = queue_.Harvest(done, 16);
    for (size_t i = 0; i < n; ++i) {
      auto* r = static_cast<BlkRequest*>(done[i].cookie);
      r->written = done[i].written;
      r->status = r->header[kStatusOffset];
      r->done = true;
      --in_flight_;
    }
    total += n;
    if (n < 16) {
      return total;
    }
  }
}

const char* BlkEngine::wait_idle(uint32_t timeout_ms) {
  const bool idle = wait_until(
      [&] {
        poll();
        return in_flight_ == 0 || queue_.broken();
      },
      timeout_ms);
  if (queue_.broken()) {
    g_error.clear();
    g_error.str("queue broken: ").str(virtio::StatusText(queue_.broken_reason()));
    return g_error.c_str();
  }
  if (!idle) {
    g_error.clear();
    g_error.str("timed out after ").dec(timeout_ms).str(" ms with ").dec(in_flight_);
    g_error.str(" request(s) in flight (notifies written ");
    g_error.dec(dev_.platform.counters().notify_writes).str(", dropped ");
    g_error.dec(dev_.platform.counters().dropped_notifies).str(", interrupts ");
    g_error.dec(dev_.interrupts).ch(')');
    return g_error.c_str();
  }
  return nullptr;
}

const char* BlkEngine::check(const BlkRequest& r) const {
  if (!r.done) {
    return "request not completed";
  }
  if (r.status != kBlkStatusOk) {
    g_error.clear();
    g_error.str("device returned status ").dec(r.status);
    return g_error.c_str();
  }
  const uint32_t expected = 1 + (r.type == kBlkTypeIn ? r.data_bytes : 0);
  if (r.written != expected) {
    g_error.clear();
    g_error.str("used.len ").dec(r.written).str(", expected ").dec(expected);
    return g_error.c_str();
  }
  return nullptr;
}

void BlkEngine::release_all_done() {
  for (BlkRequest& r : requests_) {
    if (r.busy && r.done) {
      r.busy = false;
    }
  }
}

const char* blk_transfer(BlkEngine& engine, uint32_t type, uint64_t first, uint32_t sectors,
                         uint64_t buffer_phys, uint32_t sectors_per_request, uint32_t max_in_flight,
                         bool use_indirect, uint32_t timeout_ms) {
  BlkRequest* slots[BlkEngine::kMaxRequests] = {};
  uint64_t sector_of[BlkEngine::kMaxRequests] = {};
  if (max_in_flight > BlkEngine::kMaxRequests) {
    max_in_flight = BlkEngine::kMaxRequests;
  }
  uint32_t next = 0;  // sectors submitted so far
  uint32_t completed = 0;
  const Deadline deadline(timeout_ms);
  while (completed < sectors) {
    // Fill the ring up to max_in_flight, then one kick for the batch.
    bool added = false;
    for (uint32_t i = 0; i < max_in_flight && next < sectors; ++i) {
      if (slots[i] != nullptr) {
        continue;
      }
      const uint32_t n =
          sectors - next < sectors_per_request ? sectors - next : sectors_per_request;
      BlkRequest* r = nullptr;
      const uint64_t offset = static_cast<uint64_t>(next) * 512;
      if (const char* e =
              engine.add(type, first + next, buffer_phys + offset, n * 512, use_indirect, &r)) {
        return e;
      }
      slots[i] = r;
      sector_of[i] = next;
      next += n;
      added = true;
    }
    if (added) {
      engine.kick();
    }
    bool progressed = false;
    const bool ok = wait_until(
        [&] {
          engine.poll();
          for (uint32_t i = 0; i < max_in_flight; ++i) {
            if (slots[i] != nullptr && slots[i]->done) {
              progressed = true;
            }
          }
          return progressed || engine.queue().broken() || deadline.expired();
        },
        timeout_ms);
    if (engine.queue().broken()) {
      g_error.clear();
      g_error.str("queue broken: ").str(virtio::StatusText(engine.queue().broken_reason()));
      return g_error.c_str();
    }
    if (!ok || !progressed) {
      g_error.clear();
      g_error.str("timed out after ").dec(timeout_ms).str(" ms: ").dec(completed).str(" of ");
      g_error.dec(sectors).str(" sectors done, ").dec(engine.in_flight());
      g_error.str(" request(s) in flight (notifies written ");
      g_error.dec(engine.device().platform.counters().notify_writes).str(", dropped ");
      g_error.dec(engine.device().platform.counters().dropped_notifies).str(", interrupts ");
      g_error.dec(engine.device().interrupts).ch(')');
      return g_error.c_str();
    }
    for (uint32_t i = 0; i < max_in_flight; ++i) {
      BlkRequest* r = slots[i];
      if (r == nullptr || !r->done) {
        continue;
      }
      if (const char* e = engine.check(*r)) {
        Text detail;
        detail.str(e);
        g_error.clear();
        g_error.str("request at sector ").dec(first + sector_of[i]).str(": ").str(detail.c_str());
        return g_error.c_str();
      }
      completed += r->data_bytes / 512;
      engine.release(r);
      slots[i] = nullptr;
    }
  }
  return nullptr;
}

}  // namespace aero::guest
