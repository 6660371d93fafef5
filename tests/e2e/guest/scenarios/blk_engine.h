// A minimal virtio-blk request engine over lib/virtio for the e2e scenarios: request headers and
// status bytes in DMA memory, direct or indirect chains, batching (many adds, one kick), and
// completion by harvesting the used ring. The product's virtio-blk core (drivers/virtio-blk) will
// bring its own engine; this one exists to drive QEMU's device from the bench.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "aero/virtio/features.h"
#include "aero/virtio/transport.h"
#include "aero/virtio/virtqueue.h"
#include "virtio/device.h"

namespace aero::guest {

inline constexpr uint32_t kBlkTypeIn = 0;
inline constexpr uint32_t kBlkTypeOut = 1;
inline constexpr uint32_t kBlkTypeFlush = 4;
inline constexpr uint8_t kBlkStatusOk = 0;
inline constexpr uint8_t kBlkStatusIoErr = 1;
inline constexpr uint8_t kBlkStatusUnsupported = 2;
inline constexpr uint64_t kBlkFeatureSegMax = uint64_t{1} << 2;
inline constexpr uint64_t kBlkFeatureBlkSize = uint64_t{1} << 6;
inline constexpr uint64_t kBlkFeatureFlush = uint64_t{1} << 9;

// What the scenarios ask for by default: indirect descriptors and EVENT_IDX when offered.
inline constexpr virtio::FeatureRequest kBlkDefaultFeatures = {
    0, virtio::kFeatureIndirectDesc | virtio::kFeatureEventIdx, 0};

struct BlkRequest {
  uint8_t* header;  // 16 bytes {type, ioprio, sector}; status byte at +16
  uint64_t header_phys;
  virtio::IndirectTable indirect;
  uint32_t type;
  uint32_t data_bytes;
  uint32_t written;
  uint8_t status;
  bool busy;
  bool done;
  bool detached;
};

class BlkEngine {
 public:
  static constexpr uint16_t kMaxRequests = 64;

  // Probes the function, negotiates `features` (+ what the engine needs), sets up queue 0 with
  // queue_size, registers the INTx handler and sets DRIVER_OK. nullptr or a reason.
  const char* open(const PciFunction& function, const virtio::FeatureRequest& features,
                   uint16_t queue_size, bool bus_master);
  void close();

  uint64_t capacity() const { return capacity_; }
  uint32_t seg_max() const { return seg_max_; }
  VirtioDevice& device() { return dev_; }
  virtio::SplitVirtqueue& queue() { return queue_; }
  uint32_t in_flight() const { return in_flight_; }

  // Adds one request without kicking; *out is the request (for its status later).
  const char* add(uint32_t type, uint64_t sector, uint64_t data_phys, uint32_t data_bytes,
                  bool use_indirect, BlkRequest** out);
  bool kick() { return queue_.Kick(); }
  // Harvests the used ring; returns the number of requests completed.
  size_t poll();
  // Harvests until nothing is in flight, or fails after timeout_ms (or on a broken queue).
  const char* wait_idle(uint32_t timeout_ms);
  // Checks a completed request: status OK and the written length the device must report.
  const char* check(const BlkRequest& r) const;
  void release(BlkRequest* r) { r->busy = false; }
  void release_all_done();

 private:
  VirtioDevice dev_;
  virtio::SplitVirtqueue queue_;
  BlkRequest requests_[kMaxRequests];
  uint64_t capacity_ = 0;
  uint32_t seg_max_ = 0;
  uint32_t in_flight_ = 0;
  bool opened_ = false;
};

// Reads or writes [first, first + sectors) with requests of sectors_per_request, keeping up to
// max_in_flight in the ring and kicking once per batch. Each completion is checked.
const char* blk_transfer(BlkEngine& engine, uint32_t type, uint64_t first, uint32_t sectors,
                         uint64_t buffer_phys, uint32_t sectors_per_request, uint32_t max_in_flight,
                         bool use_indirect, uint32_t timeout_ms);

// The first virtio-blk function on the PCI bus; false if there is none.
bool find_blk(const PciFunction** out);

}  // namespace aero::guest
