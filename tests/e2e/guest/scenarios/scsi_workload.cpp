#include "scenarios/scsi_workload.h"

#include "platform/dma.h"
#include "platform/text.h"
#include "platform/timer.h"
#include "scenarios/pattern.h"

namespace aero::guest {
namespace {

enum class SlotState : uint8_t { kFree, kInFlight, kRetry };

Text g_reason;

uint32_t next_random(uint32_t* state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

// The CDB form for this request: pick selects 6/10/12/16 where the LBA and length fit it.
void build_cdb(ScsiIo* io, bool write, uint64_t lba, uint32_t blocks, uint32_t pick, bool fua) {
  switch (pick % 4) {
    case 0:
      if (!fua && lba < (uint64_t{1} << 21) && blocks <= 256) {
        cdb_rw6(io, write, static_cast<uint32_t>(lba), blocks);
        return;
      }
      [[fallthrough]];
    case 1:
      if (lba <= 0xffffffffu && blocks <= 0xffff) {
        cdb_rw10(io, write, static_cast<uint32_t>(lba), static_cast<uint16_t>(blocks), fua);
        return;
      }
      [[fallthrough]];
    case 2:
      if (lba <= 0xffffffffu) {
        cdb_rw12(io, write, static_cast<uint32_t>(lba), blocks, fua);
        return;
      }
      [[fallthrough]];
    default:
      cdb_rw16(io, write, lba, blocks, fua);
  }
}

bool is_unit_attention(const blk::ScsiCompletion& c) {
  return c.status == blk::HostStatus::kCheckCondition &&
         sense_key(c) == blk::scsi::kSenseUnitAttention;
}

bool is_capacity_change(const blk::ScsiCompletion& c) {
  return sense_asc(c) == blk::scsi::kAscCapacityDataChanged.code &&
         sense_ascq(c) == blk::scsi::kAscCapacityDataChanged.qualifier;
}

uint32_t cdb_form_index(uint8_t cdb_length) {
  return cdb_length == 6 ? 0 : cdb_length == 10 ? 1 : cdb_length == 12 ? 2 : 3;
}

const char* describe_failure(const char* what, const ScsiIo& io) {
  const blk::ScsiCompletion& c = io.completion;
  g_reason.clear();
  g_reason.str(what).str(": ").str(io.write ? "write" : "read").str(" opcode ");
  g_reason.hex(io.cdb[0], 2).str(" of sectors ").dec(io.first_sector).str("+").dec(io.sectors);
  g_reason.str(" ended with host status ").dec(static_cast<uint32_t>(c.status));
  g_reason.str(" scsi status ").hex(c.scsi_status, 2);
  if (c.status == blk::HostStatus::kCheckCondition) {
    g_reason.str(" sense ").hex(sense_key(c), 1).ch('/').hex(sense_asc(c), 2).ch('/');
    g_reason.hex(sense_ascq(c), 2);
  }
  return g_reason.c_str();
}

bool overlaps(WorkloadSlots& slots, const SlotState* state, uint64_t first, uint32_t sectors) {
  for (uint32_t i = 0; i < kWorkloadMaxDepth; ++i) {
    if (state[i] == SlotState::kFree) {
      continue;
    }
    const ScsiIo& io = slots.io(i);
    if (first < io.first_sector + io.sectors && io.first_sector < first + sectors) {
      return true;
    }
  }
  return false;
}

const char* verify_read(const ScsiIo& io, const SectorSeeds& seeds) {
  for (uint32_t s = 0; s < io.sectors; ++s) {
    const uint64_t sector = io.first_sector + s;
    const uint32_t seed = seeds.seed[sector];
    if (!check_sector_pattern(seed, static_cast<uint32_t>(sector), io.data + s * kSectorSize)) {
      const auto* words =
          static_cast<const uint32_t*>(static_cast<const void*>(io.data + s * kSectorSize));
      g_reason.clear();
      g_reason.str("read of sector ").dec(sector).str(" (opcode ").hex(io.cdb[0], 2);
      g_reason.str(") returned data that is not the pattern of seed ").hex(seed, 8);
      g_reason.str(": it starts with lba=").dec(words[0]).str(" seed=").hex(words[1], 8);
      return g_reason.c_str();
    }
  }
  return nullptr;
}

}  // namespace

bool WorkloadSlots::allocate(uint32_t max_bytes) {
  for (ScsiIo& io : ios_) {
    const DmaBuffer buffer = dma_alloc(max_bytes, 4096);
    if (buffer.virt == nullptr) {
      return false;
    }
    io = ScsiIo{};
    io.data = static_cast<uint8_t*>(buffer.virt);
  }
  max_bytes_ = max_bytes;
  return true;
}

const char* run_workload(ScsiRig& rig, WorkloadSlots& slots, const WorkloadSpec& spec,
                         SectorSeeds* seeds, WorkloadStats* stats) {
  *stats = WorkloadStats{};
  const uint32_t block_size = rig.block_size();
  const uint32_t sectors_per_block = block_size / kSectorSize;
  uint32_t max_bytes = spec.max_bytes < slots.max_bytes() ? spec.max_bytes : slots.max_bytes();
  if (rig.disk().limits().max_transfer_bytes < max_bytes) {
    max_bytes = rig.disk().limits().max_transfer_bytes;
  }
  const uint32_t max_blocks = max_bytes / block_size;
  const uint32_t fixed_blocks = spec.fixed_bytes / block_size;
  if (max_blocks == 0 || spec.queue_depth == 0 || spec.queue_depth > kWorkloadMaxDepth ||
      spec.block_count == 0 || fixed_blocks > max_blocks || (spec.fixed_bytes % block_size) != 0 ||
      (spec.verify &&
       (seeds == nullptr ||
        (spec.first_block + spec.block_count) * sectors_per_block > seeds->sectors))) {
    return "workload: bad parameters for this disk";
  }
  SlotState state[kWorkloadMaxDepth] = {};
  uint32_t attention_retries[kWorkloadMaxDepth] = {};
  uint32_t rng = spec.rng_seed | 1;
  uint32_t issued = 0;
  uint32_t in_flight = 0;
  uint64_t cursor = spec.first_block;
  const uint64_t end = spec.first_block + spec.block_count;
  bool stopping = false;
  const uint64_t start_us = now_us();
  uint64_t last_progress_us = start_us;

  auto more_to_issue = [&] {
    return !stopping && (spec.sequential ? cursor < end : issued < spec.requests);
  };
  // Requests the device holds (in_flight also counts slots waiting to be retried).
  auto on_device = [&] {
    uint32_t count = 0;
    for (uint32_t i = 0; i < kWorkloadMaxDepth; ++i) {
      count += state[i] == SlotState::kInFlight ? 1 : 0;
    }
    return count;
  };
  // UNIT ATTENTION: counted and retried (as the class driver does), a bounded number of times.
  auto attention = [&](uint32_t index) -> const char* {
    ++stats->unit_attentions;
    if (is_capacity_change(slots.io(index).completion)) {
      ++stats->capacity_changed;
    }
    state[index] = SlotState::kRetry;
    if (++attention_retries[index] > kMaxAttentionRetries) {
      return describe_failure("UNIT ATTENTION again and again", slots.io(index));
    }
    return nullptr;
  };
  auto submit = [&](uint32_t index) -> const char* {
    ScsiIo& io = slots.io(index);
    const blk::HostStatus status = rig.submit(&io);
    if (status == blk::HostStatus::kPending) {
      state[index] = SlotState::kInFlight;
      return nullptr;
    }
    if (status == blk::HostStatus::kBusy) {
      ++stats->busy;
      state[index] = SlotState::kRetry;
      return on_device() == 0 ? "the disk answered busy with nothing on the device" : nullptr;
    }
    if (is_unit_attention(io.completion)) {
      return attention(index);
    }
    return describe_failure("immediate completion", io);
  };

  for (;;) {
    // Retries first (back-pressure, unit attention), then new requests.
    for (uint32_t i = 0; i < spec.queue_depth; ++i) {
      if (state[i] == SlotState::kRetry) {
        state[i] = SlotState::kFree;  // still counted in in_flight while it is retried
        if (const char* e = submit(i)) {
          return e;
        }
      }
    }
    while (more_to_issue() && in_flight < spec.queue_depth) {
      uint32_t index = 0;
      while (state[index] != SlotState::kFree) {
        ++index;
      }
      uint32_t blocks = 0;
      uint64_t lba = 0;
      bool write = false;
      if (spec.sequential) {
        lba = cursor;
        blocks = static_cast<uint32_t>(end - cursor < max_blocks ? end - cursor : max_blocks);
        write = spec.write_percent >= 50;
      } else {
        bool found = false;
        for (int attempt = 0; attempt < 8 && !found; ++attempt) {
          blocks = fixed_blocks != 0 ? fixed_blocks : 1 + next_random(&rng) % max_blocks;
          if (blocks > spec.block_count) {
            blocks = static_cast<uint32_t>(spec.block_count);
          }
          lba = spec.first_block + next_random(&rng) % (spec.block_count - blocks + 1);
          found = !overlaps(slots, state, lba * sectors_per_block, blocks * sectors_per_block);
        }
        if (!found) {
          break;  // wait for completions to make room
        }
        write = next_random(&rng) % 100 < spec.write_percent;
      }
      ScsiIo& io = slots.io(index);
      io.length = blocks * block_size;
      io.first_sector = lba * sectors_per_block;
      io.sectors = blocks * sectors_per_block;
      io.write = write;
      io.seed = 0;
      if (write && spec.verify) {
        io.seed = spec.write_seed != 0 ? spec.write_seed : (next_random(&rng) | 1);
        for (uint32_t s = 0; s < io.sectors; ++s) {
          fill_sector_pattern(io.seed, static_cast<uint32_t>(io.first_sector + s),
                              io.data + s * kSectorSize);
        }
      }
      const uint32_t pick = next_random(&rng);
      build_cdb(&io, write, lba, blocks, pick, write && spec.fua && (pick & 0x10) != 0);
      if (spec.sequential) {
        cursor += blocks;
      }
      ++issued;
      ++in_flight;
      attention_retries[index] = 0;
      if (const char* e = submit(index)) {
        return e;
      }
    }
    if (in_flight == 0 && !more_to_issue()) {
      break;
    }
    const uint32_t held = on_device();
    if (held > stats->max_on_device) {
      stats->max_on_device = held;
    }
    if (held == 0) {
      continue;  // only unit-attention retries are left (bounded): no interrupt to wait for
    }

    rig.service(spec.timeout_ms);
    bool progress = false;
    for (uint32_t i = 0; i < spec.queue_depth; ++i) {
      ScsiIo& io = slots.io(i);
      if (state[i] != SlotState::kInFlight || !io.done) {
        continue;
      }
      progress = true;
      const blk::ScsiCompletion& c = io.completion;
      if (is_unit_attention(c)) {
        if (const char* e = attention(i)) {
          return e;
        }
        continue;
      }
      if (c.status != blk::HostStatus::kSuccess || c.transferred != io.length) {
        return describe_failure("completion", io);
      }
      if (spec.verify) {
        if (io.write) {
          for (uint32_t s = 0; s < io.sectors; ++s) {
            seeds->seed[io.first_sector + s] = io.seed;
          }
        } else if (const char* e = verify_read(io, *seeds)) {
          return e;
        }
      }
      if (io.write) {
        ++stats->writes;
        stats->write_bytes += io.length;
        stats->fua_writes += io.cdb_length != 6 && (io.cdb[1] & 0x08) != 0 ? 1 : 0;
      } else {
        ++stats->reads;
        stats->read_bytes += io.length;
      }
      ++stats->cdb_forms[cdb_form_index(io.cdb_length)];
      state[i] = SlotState::kFree;
      --in_flight;
    }
    const uint64_t now = now_us();
    if (progress) {
      last_progress_us = now;
    } else if (now - last_progress_us > uint64_t{spec.timeout_ms} * 1000) {
      g_reason.clear();
      g_reason.str(spec.label).str(": no completion for ").dec(spec.timeout_ms);
      g_reason.str(" ms with ").dec(in_flight).str(" requests in flight");
      return g_reason.c_str();
    }
    if (rig.protocol_errors() != 0) {
      return "a request completed twice, or completed while not pending";
    }
    if (spec.between != nullptr && !stopping && !spec.between(spec.context)) {
      stopping = true;
    }
  }
  stats->elapsed_us = now_us() - start_us;
  const uint32_t disk_depth = rig.disk().limits().queue_depth;
  if (!spec.sequential && !stopping && spec.requests >= spec.queue_depth &&
      spec.queue_depth <= disk_depth && stats->max_on_device < spec.queue_depth) {
    g_reason.clear();
    g_reason.str(spec.label).str(": the device never held ").dec(spec.queue_depth);
    g_reason.str(" requests at once (at most ").dec(stats->max_on_device).str(", busy answers ");
    g_reason.dec(stats->busy).ch(')');
    return g_reason.c_str();
  }
  return nullptr;
}

}  // namespace aero::guest
