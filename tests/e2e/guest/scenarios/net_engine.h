// Two virtio-net NICs on one QEMU hub (-netdev hubport): frames sent on one arrive on the other.
// The engine builds numbered frames with a size-dependent pattern, sends them in batches (one kick
// per batch), and checks that every frame arrives once, in order and byte-exact, with the
// virtio_net_hdr the device must write. The product's virtio-net core will bring its own engine.
#pragma once

#include <stdint.h>

#include "aero/virtio/features.h"
#include "aero/virtio/virtqueue.h"
#include "platform/dma.h"
#include "virtio/device.h"

namespace aero::guest {

inline constexpr uint64_t kNetFeatureMac = uint64_t{1} << 5;
inline constexpr uint64_t kNetFeatureStatus = uint64_t{1} << 16;
inline constexpr uint32_t kNetHeaderBytes = 12;  // virtio 1.x virtio_net_hdr (with num_buffers)
inline constexpr uint32_t kNetMinFrame = 60;
inline constexpr uint32_t kNetMaxFrame = 1514;
inline constexpr uint16_t kNetQueueSize = 256;

struct NetNic {
  VirtioDevice dev;
  virtio::SplitVirtqueue rx;
  virtio::SplitVirtqueue tx;
  uint8_t mac[6];
  DmaBuffer rx_buffers;
  DmaBuffer tx_buffers;
  uint16_t tx_free[kNetQueueSize];
  uint16_t tx_free_count;
  uint32_t rx_kicks;
  uint32_t tx_kicks;
  bool up;
};

// Probes, negotiates (VERSION_1 and MAC required), sets up rx/tx, fills the rx ring, registers
// the INTx handler and sets DRIVER_OK. With quiet_tx, tx completions raise no interrupt
// (VRING_AVAIL_F_NO_INTERRUPT or EVENT_IDX parked) and are harvested lazily.
const char* net_open(NetNic& nic, const PciFunction& function,
                     const virtio::FeatureRequest& features, bool quiet_tx);
void net_close(NetNic& nic);

using FrameSize = uint32_t (*)(uint32_t index);

struct TransferStats {
  uint32_t frames;
  uint64_t bytes;
  uint64_t elapsed_us;
};

// Sends count frames (frame i has size size_of(i) and number first_seq + i) from `from` to `to`,
// at most max_batch per kick, and waits until `to` received each one and `from` got every tx
// buffer back. nullptr or a reason.
const char* net_transfer(NetNic& from, NetNic& to, uint32_t count, FrameSize size_of,
                         uint32_t first_seq, uint32_t max_batch, uint32_t timeout_ms,
                         TransferStats* stats);

}  // namespace aero::guest
