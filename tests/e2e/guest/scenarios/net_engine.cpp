#include "scenarios/net_engine.h"

#include "aero/virtio/spec.h"
#include "aero/virtio/status.h"
#include "platform/text.h"
#include "platform/timer.h"

namespace aero::guest {
namespace {

constexpr uint32_t kSlotBytes = 2048;
constexpr uint16_t kEtherType = 0x88b5;  // IEEE local experimental

Text g_error;

uint8_t pattern_byte(uint32_t seq, uint32_t size, uint32_t i) {
  return static_cast<uint8_t>(seq * 7u + i * 13u + size);
}

void build_frame(uint8_t* f, const uint8_t* dst, const uint8_t* src, uint32_t seq, uint32_t size) {
  for (int i = 0; i < 6; ++i) {
    f[i] = dst[i];
    f[6 + i] = src[i];
  }
  f[12] = kEtherType >> 8;
  f[13] = kEtherType & 0xff;
  f[14] = static_cast<uint8_t>(seq);
  f[15] = static_cast<uint8_t>(seq >> 8);
  f[16] = static_cast<uint8_t>(seq >> 16);
  f[17] = static_cast<uint8_t>(seq >> 24);
  f[18] = static_cast<uint8_t>(size);
  f[19] = static_cast<uint8_t>(size >> 8);
  for (uint32_t i = 20; i < size; ++i) {
    f[i] = pattern_byte(seq, size, i);
  }
}

// nullptr when the received frame is exactly frame `seq` of `size` bytes.
const char* check_frame(const uint8_t* f, uint32_t length, const uint8_t* dst, const uint8_t* src,
                        uint32_t seq, uint32_t size) {
  g_error.clear();
  if (length != size) {
    g_error.str("frame ").dec(seq).str(": received ").dec(length).str(" bytes, sent ").dec(size);
    return g_error.c_str();
  }
  const uint32_t got_seq = static_cast<uint32_t>(f[14]) | (static_cast<uint32_t>(f[15]) << 8) |
                           (static_cast<uint32_t>(f[16]) << 16) |
                           (static_cast<uint32_t>(f[17]) << 24);
  if (got_seq != seq) {
    g_error.str("expected frame ").dec(seq).str(", received frame ").dec(got_seq);
    g_error.str(" (lost, duplicated or reordered)");
    return g_error.c_str();
  }
  for (int i = 0; i < 6; ++i) {
    if (f[i] != dst[i] || f[6 + i] != src[i]) {
      g_error.str("frame ").dec(seq).str(": MAC addresses altered");
      return g_error.c_str();
    }
  }
  if (f[12] != (kEtherType >> 8) || f[13] != (kEtherType & 0xff) ||
      f[18] != static_cast<uint8_t>(size) || f[19] != static_cast<uint8_t>(size >> 8)) {
    g_error.str("frame ").dec(seq).str(": header bytes altered");
    return g_error.c_str();
  }
  for (uint32_t i = 20; i < size; ++i) {
    if (f[i] != pattern_byte(seq, size, i)) {
      g_error.str("frame ")
          .dec(seq)
          .str(" (")
          .dec(size)
          .str(" bytes): byte ")
          .dec(i)
          .str(" differs");
      return g_error.c_str();
    }
  }
  return nullptr;
}

const char* post_rx(NetNic& nic, uint16_t slot) {
  const virtio::Segment segment{nic.rx_buffers.phys + uint64_t{slot} * kSlotBytes, kSlotBytes,
                                true};
  const virtio::Status s =
      nic.rx.Add(&segment, 1, reinterpret_cast<void*>(static_cast<uintptr_t>(slot + 1)));
  return s == virtio::Status::kOk ? nullptr : virtio::StatusText(s);
}

}  // namespace

const char* net_open(NetNic& nic, const PciFunction& function,
                     const virtio::FeatureRequest& features, bool quiet_tx) {
  nic.up = false;
  nic.rx_kicks = 0;
  nic.tx_kicks = 0;
  const virtio::CapParseOptions standard{virtio::CapPolicy::kStandard, nullptr};
  if (const char* e = virtio_probe(&nic.dev, function, standard, true)) {
    return e;
  }
  virtio::FeatureRequest request = features;
  request.required |= kNetFeatureMac;
  request.supported |= kNetFeatureStatus;
  const virtio::QueueConfig configs[] = {{0, 0, kNetQueueSize, virtio::spec::kNoVector},
                                         {1, 0, kNetQueueSize, virtio::spec::kNoVector}};
  virtio::SplitVirtqueue* queues[] = {&nic.rx, &nic.tx};
  if (const char* e = virtio_start(&nic.dev, request, configs, queues, 2, false)) {
    return e;
  }
  if (nic.rx.size() != kNetQueueSize || nic.tx.size() != kNetQueueSize) {
    return "the device offers smaller rx/tx queues than 256";
  }
  const virtio::ConfigField mac{0, 1, 6, nic.mac};
  const virtio::Status s = nic.dev.transport.ReadConfig(&mac, 1);
  if (s != virtio::Status::kOk) {
    return virtio::StatusText(s);
  }
  if (nic.rx_buffers.virt == nullptr) {
    nic.rx_buffers = dma_alloc(kSlotBytes * kNetQueueSize, 4096);
    nic.tx_buffers = dma_alloc(kSlotBytes * kNetQueueSize, 4096);
    if (nic.rx_buffers.virt == nullptr || nic.tx_buffers.virt == nullptr) {
      return "out of DMA memory for frame buffers";
    }
  }
  for (uint16_t i = 0; i < kNetQueueSize; ++i) {
    if (const char* e = post_rx(nic, i)) {
      return e;
    }
    nic.tx_free[i] = static_cast<uint16_t>(kNetQueueSize - 1 - i);
  }
  nic.tx_free_count = kNetQueueSize;
  if (quiet_tx) {
    nic.tx.DisableInterrupts();
  }
  if (const char* e = virtio_attach_irq(&nic.dev)) {
    return e;
  }
  const virtio::Status ok = nic.dev.transport.DriverOk();
  if (ok != virtio::Status::kOk) {
    return virtio::StatusText(ok);
  }
  if (nic.rx.Kick()) {
    ++nic.rx_kicks;
  }
  nic.up = true;
  return nullptr;
}

void net_close(NetNic& nic) {
  if (nic.up) {
    virtio_stop(&nic.dev);
    nic.up = false;
  }
}

const char* net_transfer(NetNic& from, NetNic& to, uint32_t count, FrameSize size_of,
                         uint32_t first_seq, uint32_t max_batch, uint32_t timeout_ms,
                         TransferStats* stats) {
  uint32_t queued = 0;
  uint32_t received = 0;
  uint32_t tx_done = 0;
  uint64_t bytes = 0;
  const char* error = nullptr;
  const uint64_t start = now_us();
  auto* tx_base = static_cast<uint8_t*>(from.tx_buffers.virt);
  auto* rx_base = static_cast<uint8_t*>(to.rx_buffers.virt);
  while (received < count || tx_done < queued) {
    uint32_t added = 0;
    while (queued < count && added < max_batch && from.tx_free_count > 0 &&
           from.tx.free_descriptors() >= 2) {
      const uint16_t slot = from.tx_free[--from.tx_free_count];
      uint8_t* header = tx_base + uint32_t{slot} * kSlotBytes;
      const uint32_t size = size_of(queued);
      for (uint32_t i = 0; i < kNetHeaderBytes; ++i) {
        header[i] = 0;
      }
      build_frame(header + kNetHeaderBytes, to.mac, from.mac, first_seq + queued, size);
      const uint64_t phys = from.tx_buffers.phys + uint64_t{slot} * kSlotBytes;
      const virtio::Segment segments[] = {{phys, kNetHeaderBytes, false},
                                          {phys + kNetHeaderBytes, size, false}};
      const virtio::Status s =
          from.tx.Add(segments, 2, reinterpret_cast<void*>(static_cast<uintptr_t>(slot + 1)));
      if (s != virtio::Status::kOk) {
        return virtio::StatusText(s);
      }
      ++queued;
      ++added;
    }
    if (added != 0 && from.tx.Kick()) {
      ++from.tx_kicks;
    }
    bool progress = false;
    const bool ok = wait_until(
        [&] {
          virtio::Completion done[32];
          size_t n;
          while ((n = from.tx.Harvest(done, 32)) != 0) {
            for (size_t i = 0; i < n; ++i) {
              from.tx_free[from.tx_free_count++] =
                  static_cast<uint16_t>(reinterpret_cast<uintptr_t>(done[i].cookie) - 1);
            }
            tx_done += static_cast<uint32_t>(n);
            progress = true;
          }
          bool reposted = false;
          while (error == nullptr && (n = to.rx.Harvest(done, 32)) != 0) {
            for (size_t i = 0; i < n && error == nullptr; ++i) {
              const auto slot =
                  static_cast<uint16_t>(reinterpret_cast<uintptr_t>(done[i].cookie) - 1);
              const uint8_t* buffer = rx_base + uint32_t{slot} * kSlotBytes;
              if (done[i].written < kNetHeaderBytes) {
                error = "received a buffer shorter than the virtio_net_hdr";
              } else if (buffer[0] != 0 || buffer[1] != 0) {
                // No offloads were negotiated: flags and gso_type must be 0. (num_buffers is only
                // meaningful with MRG_RXBUF; QEMU 7.2 leaves it untouched otherwise.)
                g_error.clear();
                g_error.str("virtio_net_hdr flags ").hex(buffer[0], 2).str(" gso_type ");
                g_error.hex(buffer[1], 2).str(" without negotiated offloads");
                error = g_error.c_str();
              } else if (received >= count) {
                error = "received more frames than were sent";
              } else {
                error = check_frame(buffer + kNetHeaderBytes, done[i].written - kNetHeaderBytes,
                                    to.mac, from.mac, first_seq + received, size_of(received));
                bytes += done[i].written - kNetHeaderBytes;
                ++received;
              }
              if (error == nullptr) {
                error = post_rx(to, slot);
                reposted = true;
              }
            }
            progress = true;
          }
          // Refill at once: a dry rx ring makes QEMU hold frames until the next rx kick.
          if (reposted && to.rx.Kick()) {
            ++to.rx_kicks;
          }
          if (from.tx.broken() || to.rx.broken()) {
            error = "a queue was marked broken";
          }
          return progress || error != nullptr;
        },
        timeout_ms);
    if (error != nullptr) {
      return error;
    }
    if (!ok) {
      g_error.clear();
      g_error.str("timed out after ").dec(timeout_ms).str(" ms: ").dec(received).str(" of ");
      g_error.dec(count).str(" frames received, ").dec(tx_done).str(" of ").dec(queued);
      g_error.str(" tx buffers returned (doorbells written ");
      g_error.dec(from.dev.platform.counters().notify_writes).str(", dropped ");
      g_error.dec(from.dev.platform.counters().dropped_notifies).ch(')');
      return g_error.c_str();
    }
  }
  if (stats != nullptr) {
    *stats = TransferStats{received, bytes, now_us() - start};
  }
  return nullptr;
}

}  // namespace aero::guest
