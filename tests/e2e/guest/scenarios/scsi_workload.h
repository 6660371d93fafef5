// Streams of SCSI READ/WRITE requests over the ScsiRig at a fixed queue depth: sequential passes
// over a range (the whole-disk pattern) and random mixed I/O, each optionally verified sector by
// sector against a table of the pattern seed every 512-byte sector holds. Requests in flight never
// overlap, so the table is exact. The CDB form (6/10/12/16 byte) and FUA vary per request.
#pragma once

#include <stdint.h>

#include "scenarios/scsi_rig.h"

namespace aero::guest {

inline constexpr uint32_t kWorkloadMaxDepth = 32;

// The seed whose pattern each 512-byte sector holds (tests/e2e/guest/scenarios/pattern.h).
struct SectorSeeds {
  uint32_t* seed;
  uint64_t sectors;
};

struct WorkloadSpec {
  const char* label;
  uint32_t queue_depth;    // 1..kWorkloadMaxDepth
  uint32_t requests;       // random: requests to complete; sequential: ignored
  uint32_t max_bytes;      // per request; random sizes are 1..max_bytes/block_size blocks
  uint32_t fixed_bytes;    // non-zero: every request is this size (a block multiple)
  uint32_t write_percent;  // 0..100
  uint64_t first_block;    // the range the requests fall in
  uint64_t block_count;
  bool sequential;      // one pass over the range in order
  bool verify;          // fill writes with the pattern, check reads against SectorSeeds
  uint32_t write_seed;  // non-zero: writes carry this seed; 0: a fresh seed per write
  bool fua;             // about half the writes carry FUA (a virtio write + FLUSH)
  uint32_t rng_seed;
  uint32_t timeout_ms;  // per wait for progress
  // Called between service rounds; returning false stops new submissions (the rest drains).
  bool (*between)(void* context);
  void* context;
};

struct WorkloadStats {
  uint32_t reads;
  uint32_t writes;
  uint32_t fua_writes;  // completed writes that carried FUA (each one virtio FLUSH more)
  uint64_t read_bytes;
  uint64_t write_bytes;
  uint32_t cdb_forms[4];      // requests completed per CDB size: 6, 10, 12, 16 bytes
  uint32_t unit_attentions;   // CHECK CONDITION / UNIT ATTENTION, retried like the class driver
  uint32_t capacity_changed;  // ... of them with CAPACITY DATA HAS CHANGED (2A/09)
  uint32_t busy;              // back-pressure answers, retried after completions
  uint32_t max_on_device;     // most requests the device held at once
  uint64_t elapsed_us;
};

// A request is retried at most this often for UNIT ATTENTION before the workload fails.
inline constexpr uint32_t kMaxAttentionRetries = 3;

// The request slots: kWorkloadMaxDepth buffers of max_bytes each, from the DMA allocator.
class WorkloadSlots {
 public:
  // Returns false when out of DMA memory.
  bool allocate(uint32_t max_bytes);
  ScsiIo& io(uint32_t index) { return ios_[index]; }
  uint32_t max_bytes() const { return max_bytes_; }

 private:
  ScsiIo ios_[kWorkloadMaxDepth] = {};
  uint32_t max_bytes_ = 0;
};

// Runs the stream; nullptr when every request completed as expected, else a reason. A random
// stream of at least queue_depth requests must have had queue_depth requests on the device at
// once (when the disk's queue is that deep): back-pressure cannot pass for queue depth.
const char* run_workload(ScsiRig& rig, WorkloadSlots& slots, const WorkloadSpec& spec,
                         SectorSeeds* seeds, WorkloadStats* stats);

}  // namespace aero::guest
