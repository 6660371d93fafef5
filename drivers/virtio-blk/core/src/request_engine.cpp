#include "aero/blk/request_engine.h"

#include "aero/blk/blk_spec.h"
#include "aero/contract/aero_contract.h"
#include "aero/virtio/features.h"
#include "aero/virtio/spec.h"
#include "byte_order.h"

namespace aero::blk {
namespace {

// One slot's DMA memory: header, status byte, then the indirect table (16-byte aligned).
constexpr uint32_t kHeaderOffset = 0;
constexpr uint32_t kStatusOffset = 16;
constexpr uint32_t kTableOffset = 32;
constexpr uint32_t kIdAreaBytes = 32;
constexpr uint32_t kPageBytes = 4096;
constexpr uint8_t kStatusUnwritten = 0xFF;  // a status the device never sends
constexpr size_t kHarvestBatch = 16;

bool IsPowerOfTwo(uint32_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

uint8_t Log2(uint32_t power_of_two) {
  uint8_t shift = 0;
  while ((uint32_t{1} << shift) < power_of_two) {
    ++shift;
  }
  return shift;
}

uint32_t Min32(uint32_t a, uint32_t b) {
  return a < b ? a : b;
}

namespace contract = aero::contract::virtio_blk;

// The virtio spec constants used here are the contract's, where the contract names them.
static_assert(contract::kDeviceId ==
              aero::contract::virtio::kModernDeviceIdBase + spec::kVirtioDeviceType);
static_assert(contract::feature::kSegMax == spec::kFeatureSegMax);
static_assert(contract::feature::kBlkSize == spec::kFeatureBlkSize);
static_assert(contract::feature::kFlush == spec::kFeatureFlush);
static_assert(contract::feature::kRo == spec::kFeatureReadOnly);
static_assert(contract::feature::kIndirectDesc == virtio::kFeatureIndirectDesc);
static_assert(contract::feature::kEventIdx == virtio::kFeatureEventIdx);
static_assert(contract::config::kCapacityOffset == spec::kConfigCapacity);
static_assert(contract::config::kSizeMaxOffset == spec::kConfigSizeMax);
static_assert(contract::config::kSegMaxOffset == spec::kConfigSegMax);
static_assert(contract::config::kBlkSizeOffset == spec::kConfigBlkSize);

constexpr uint64_t kSupportedFeatures = spec::kFeatureSizeMax | spec::kFeatureSegMax |
                                        spec::kFeatureReadOnly | spec::kFeatureBlkSize |
                                        spec::kFeatureFlush | spec::kFeatureTopology |
                                        virtio::kFeatureIndirectDesc | virtio::kFeatureEventIdx;

}  // namespace

struct RequestEngine::Slot {
  void* cookie;
  uint64_t sector;
  uint32_t bytes;
  uint16_t index;
  RequestType type;
  bool flush_after;
  bool flushing;  // the write finished; its FUA flush is on the ring
  bool internal;  // the engine's own GET_ID
  bool in_flight;
};

struct RequestEngine::AbortContext {
  RequestEngine* engine;
  BlkCompletionCallback callback;
  void* context;
};

// ---------------------------------------------------------------- set-up

Status RequestEngine::Initialize(const EngineConfig& config) {
  if (state_ != EngineState::kUninitialized) {
    return Status::kNotReady;
  }
  if (config.platform == nullptr || (config.queue_size != 0 && !IsPowerOfTwo(config.queue_size)) ||
      config.max_requests == 0 || config.max_data_descriptors == 0 ||
      config.max_data_descriptors > kMaxDataDescriptors) {
    return Status::kInvalidArgument;
  }
  config_ = config;
  if (config_.queue_size == 0) {
    config_.queue_size = contract::queue::kRequestqSize;
  }
  polled_ = config.polled;
  counters_ = EngineCounters{};
  last_fault_ = virtio::Status::kOk;
  serial_length_ = 0;
  serial_[0] = '\0';

  virtio::CapParseOptions options{virtio::CapPolicy::kStandard, nullptr};
  virtio::CapDiagnostic diagnostic{};
  virtio_status_ =
      virtio::ParseVirtioPciCaps(*config_.platform, config_.bars, options, &layout_, &diagnostic);
  if (virtio_status_ != virtio::Status::kOk) {
    return Status::kVirtioError;
  }
  if (layout_.device_id != contract::kDeviceId) {
    return Status::kNotBlockDevice;
  }
  virtio_status_ = transport_.Init(config_.platform, layout_, config_.bars, config_.selector_lock);
  if (virtio_status_ != virtio::Status::kOk) {
    return Status::kVirtioError;
  }
  Status status = AllocateSlots();
  if (status != Status::kOk) {
    return status;
  }
  limits_ = TransferLimits{};
  status = BringUp();
  if (status != Status::kOk) {
    FreeSlots();
    return status;
  }
  state_ = EngineState::kRunning;
  if (config_.fetch_serial) {
    FetchSerial();
  }
  if (state_ != EngineState::kRunning) {  // GET_ID stalled and the device did not come back
    TearDownDevice(nullptr, nullptr);
    FreeSlots();
    state_ = EngineState::kUninitialized;
    return Status::kVirtioError;
  }
  events_ = 0;
  busy_reported_ = false;
  resume_hint_ = false;
  return Status::kOk;
}

Status RequestEngine::AllocateSlots() {
  virtio::Platform& platform = *config_.platform;
  slot_count_ = config_.max_requests;
  table_capacity_ = static_cast<uint16_t>(config_.max_data_descriptors + 2);
  slot_stride_ = kTableOffset + virtio::spec::kDescriptorSize * table_capacity_;
  id_offset_ = slot_stride_ * slot_count_;
  if (!platform.AllocateDma(id_offset_ + kIdAreaBytes, 16, &slot_dma_)) {
    slot_dma_ = virtio::DmaBuffer{};
    return Status::kNoMemory;
  }
  slots_ = static_cast<Slot*>(platform.AllocateMemory(sizeof(Slot) * slot_count_));
  free_slots_ = static_cast<uint16_t*>(platform.AllocateMemory(sizeof(uint16_t) * slot_count_));
  scratch_ = static_cast<virtio::Segment*>(
      platform.AllocateMemory(sizeof(virtio::Segment) * table_capacity_));
  if (slots_ == nullptr || free_slots_ == nullptr || scratch_ == nullptr) {
    FreeSlots();
    return Status::kNoMemory;
  }
  for (uint16_t i = 0; i < slot_count_; ++i) {
    slots_[i] = Slot{nullptr, 0, 0, i, RequestType::kRead, false, false, false, false};
    free_slots_[i] = static_cast<uint16_t>(slot_count_ - 1 - i);
  }
  free_count_ = slot_count_;
  in_flight_ = 0;
  return Status::kOk;
}

void RequestEngine::FreeSlots() {
  virtio::Platform& platform = *config_.platform;
  if (slots_ != nullptr) {
    platform.FreeMemory(slots_, sizeof(Slot) * slot_count_);
  }
  if (free_slots_ != nullptr) {
    platform.FreeMemory(free_slots_, sizeof(uint16_t) * slot_count_);
  }
  if (scratch_ != nullptr) {
    platform.FreeMemory(scratch_, sizeof(virtio::Segment) * table_capacity_);
  }
  if (slot_dma_.virt != nullptr) {
    platform.FreeDma(slot_dma_);
  }
  slots_ = nullptr;
  free_slots_ = nullptr;
  scratch_ = nullptr;
  slot_dma_ = virtio::DmaBuffer{};
  slot_count_ = 0;
  free_count_ = 0;
  in_flight_ = 0;
}

Status RequestEngine::ReadGeometry(DiskGeometry* out, uint32_t* seg_max, uint32_t* size_max) {
  const uint64_t negotiated = transport_.negotiated_features();
  uint64_t capacity = 0;
  uint32_t blk_size = 0;
  uint8_t physical_exp = 0;
  uint8_t alignment = 0;
  uint16_t min_io = 0;
  uint32_t opt_io = 0;
  *seg_max = 0;
  *size_max = 0;
  virtio::ConfigField fields[8];
  size_t count = 0;
  fields[count++] = {spec::kConfigCapacity, 8, 1, &capacity};
  if ((negotiated & spec::kFeatureSizeMax) != 0) {
    fields[count++] = {spec::kConfigSizeMax, 4, 1, size_max};
  }
  if ((negotiated & spec::kFeatureSegMax) != 0) {
    fields[count++] = {spec::kConfigSegMax, 4, 1, seg_max};
  }
  if ((negotiated & spec::kFeatureBlkSize) != 0) {
    fields[count++] = {spec::kConfigBlkSize, 4, 1, &blk_size};
  }
  if ((negotiated & spec::kFeatureTopology) != 0) {
    fields[count++] = {spec::kConfigPhysicalBlockExp, 1, 1, &physical_exp};
    fields[count++] = {spec::kConfigAlignmentOffset, 1, 1, &alignment};
    fields[count++] = {spec::kConfigMinIoSize, 2, 1, &min_io};
    fields[count++] = {spec::kConfigOptIoSize, 4, 1, &opt_io};
  }
  virtio_status_ = transport_.ReadConfig(fields, count);
  if (virtio_status_ != virtio::Status::kOk) {
    return Status::kVirtioError;
  }
  if (capacity > kMaxCapacitySectors) {
    return Status::kBadCapacity;
  }
  if ((negotiated & spec::kFeatureBlkSize) == 0) {
    blk_size = spec::kSectorSize;
  } else if (!IsPowerOfTwo(blk_size) || blk_size < spec::kSectorSize ||
             blk_size > kLargestBlockSize) {
    return Status::kBadBlockSize;
  }
  if (*size_max != 0 && *size_max < spec::kSectorSize) {
    return Status::kBadSizeMax;
  }
  // Topology is advice: values a block layer cannot express are dropped, not fatal.
  if (physical_exp > 15) {
    physical_exp = 0;
  }
  if (alignment >= (1u << physical_exp)) {
    alignment = 0;
  }
  DiskGeometry geometry{};
  geometry.capacity_sectors = capacity;
  geometry.block_size = blk_size;
  geometry.block_shift = Log2(blk_size);
  geometry.block_count = capacity >> (geometry.block_shift - spec::kSectorShift);
  geometry.physical_exponent = physical_exp;
  geometry.lowest_aligned_block = alignment;
  geometry.optimal_granularity_blocks = min_io;
  geometry.optimal_transfer_blocks = opt_io;
  *out = geometry;
  return Status::kOk;
}

// Chooses how many scatter-gather elements (E) and bytes (T) a request may carry so that, after
// splitting elements at size_max (S), the data descriptors never exceed the budget D:
// the pieces of E elements totalling T bytes are at most E + T / S.
Status RequestEngine::ComputeLimits(uint32_t seg_max, uint32_t size_max,
                                    TransferLimits* out) const {
  const uint64_t negotiated = transport_.negotiated_features();
  const bool indirect = (negotiated & virtio::kFeatureIndirectDesc) != 0;
  uint32_t budget = config_.max_data_descriptors;
  const uint32_t device_segments =
      (negotiated & spec::kFeatureSegMax) != 0 && seg_max != 0 ? seg_max : 1;
  budget = Min32(budget, device_segments);
  if (!indirect) {
    if (queue_.size() < 3) {
      return Status::kQueueTooSmall;
    }
    budget = Min32(budget, queue_.size() - 2u);
  }
  const uint32_t chunk = size_max & ~(spec::kSectorSize - 1);
  uint32_t elements = 0;
  uint64_t transfer = 0;
  if (chunk == 0) {
    elements = budget;
    transfer = budget > 1 ? uint64_t{budget - 1} * kPageBytes : kPageBytes;
  } else if (budget == 1) {
    elements = 1;
    transfer = Min32(chunk, kPageBytes);
  } else {
    elements = budget / 2;
    const uint64_t page_bound = elements > 1 ? uint64_t{elements - 1} * kPageBytes : kPageBytes;
    const uint64_t split_bound = uint64_t{budget - elements} * chunk;
    transfer = page_bound < split_bound ? page_bound : split_bound;
  }
  if (config_.max_transfer_bytes != 0 && transfer > config_.max_transfer_bytes) {
    transfer = config_.max_transfer_bytes;
  }
  if (transfer > 0x80000000u) {
    transfer = 0x80000000u;
  }
  transfer &= ~uint64_t{geometry_.block_size - 1};
  if (transfer < geometry_.block_size) {
    return Status::kLimitsTooSmall;
  }
  const uint32_t ring = queue_.size();
  const uint32_t depth = Min32(slot_count_, indirect ? ring : ring / 3u);
  out->max_transfer_bytes = static_cast<uint32_t>(transfer);
  out->max_segments = static_cast<uint16_t>(elements);
  out->queue_depth = static_cast<uint16_t>(depth == 0 ? 1 : depth);
  out->data_descriptors = static_cast<uint16_t>(budget);
  out->size_max = chunk;
  return Status::kOk;
}

Status RequestEngine::BringUp() {
  virtio_status_ = transport_.BeginInit();
  Status status = Status::kVirtioError;
  uint32_t seg_max = 0;
  uint32_t size_max = 0;
  DiskGeometry geometry{};
  TransferLimits limits{};
  const virtio::FeatureRequest request{0, kSupportedFeatures, config_.refused_features};
  if (virtio_status_ == virtio::Status::kOk) {
    virtio_status_ = transport_.NegotiateFeatures(request, nullptr);
  }
  if (virtio_status_ == virtio::Status::kOk) {
    status = ReadGeometry(&geometry, &seg_max, &size_max);
  }
  if (status == Status::kOk && config_.config_msix_vector != virtio::spec::kNoVector) {
    virtio_status_ = transport_.SetConfigMsixVector(config_.config_msix_vector);
    status = virtio_status_ == virtio::Status::kOk ? Status::kOk : Status::kVirtioError;
  }
  if (status == Status::kOk) {
    const virtio::QueueConfig queue{0, 0, config_.queue_size, config_.queue_msix_vector};
    virtio_status_ = transport_.SetupQueue(queue, &queue_);
    status = virtio_status_ == virtio::Status::kOk ? Status::kOk : Status::kVirtioError;
  }
  if (status == Status::kOk) {
    const DiskGeometry previous = geometry_;
    geometry_ = geometry;
    status = ComputeLimits(seg_max, size_max, &limits);
    if (status != Status::kOk) {
      geometry_ = previous;
    } else if (previous.block_size != 0 &&
               (previous.capacity_sectors != geometry.capacity_sectors ||
                previous.block_size != geometry.block_size)) {
      events_ |= kEventCapacityChanged;
    }
  }
  if (status == Status::kOk) {
    virtio_status_ = transport_.DriverOk();
    status = virtio_status_ == virtio::Status::kOk ? Status::kOk : Status::kVirtioError;
  }
  if (status != Status::kOk) {
    AbortContext abort{this, nullptr, nullptr};
    transport_.Teardown(AbortTrampoline, &abort);
    transport_.Fail();
    return status;
  }
  // The port driver was told the first limits; later bring-ups only tighten the descriptor use.
  if (limits_.max_transfer_bytes == 0) {
    limits_ = limits;
  }
  descriptor_budget_ = limits.data_descriptors;
  chunk_bytes_ = limits.size_max;
  if (polled_) {
    queue_.DisableInterrupts();
  }
  return Status::kOk;
}

// ---------------------------------------------------------------- lifecycle

void RequestEngine::AbortTrampoline(void* context, const virtio::Completion& completion) {
  auto* abort = static_cast<AbortContext*>(context);
  RequestEngine& engine = *abort->engine;
  auto* slot = static_cast<Slot*>(completion.cookie);
  if (slot == nullptr || !slot->in_flight) {
    return;
  }
  slot->in_flight = false;
  --engine.in_flight_;
  const bool internal = slot->internal;
  const BlkCompletion done{slot->cookie, IoResult::kAborted, slot->type, slot->sector, slot->bytes};
  engine.PushSlot(slot);
  if (!internal) {
    ++engine.counters_.aborted;
    if (abort->callback != nullptr) {
      abort->callback(abort->context, done);
    }
  }
}

void RequestEngine::TearDownDevice(BlkCompletionCallback callback, void* context) {
  state_ = EngineState::kResetting;
  if (busy_reported_) {
    busy_reported_ = false;
    resume_hint_ = true;  // everything is about to be free again
  }
  AbortContext abort{this, callback, context};
  transport_.Teardown(AbortTrampoline, &abort);
  // Every slot the ring did not hand back (none, unless the ring was never attached) ends too.
  for (uint16_t i = 0; i < slot_count_; ++i) {
    if (slots_[i].in_flight) {
      const virtio::Completion orphan{&slots_[i], 0, virtio::CompletionStatus::kDetached};
      AbortTrampoline(&abort, orphan);
    }
  }
}

void RequestEngine::Recover(BlkCompletionCallback callback, void* context) {
  ++counters_.recoveries;
  TearDownDevice(callback, context);
  events_ |= kEventDeviceReset;
  if (BringUp() == Status::kOk) {
    state_ = EngineState::kRunning;
  } else {
    state_ = EngineState::kFailed;
    events_ |= kEventDeviceFailed;
  }
}

Status RequestEngine::Reset(BlkCompletionCallback callback, void* context) {
  if (state_ == EngineState::kUninitialized || state_ == EngineState::kResetting) {
    return Status::kNotReady;
  }
  TearDownDevice(callback, context);
  const Status status = BringUp();
  state_ = status == Status::kOk ? EngineState::kRunning : EngineState::kFailed;
  return status;
}

void RequestEngine::Stop(BlkCompletionCallback callback, void* context) {
  if (state_ == EngineState::kUninitialized || state_ == EngineState::kResetting) {
    return;
  }
  TearDownDevice(callback, context);
  state_ = EngineState::kStopped;
}

Status RequestEngine::Restart() {
  if (state_ != EngineState::kStopped && state_ != EngineState::kFailed) {
    return Status::kNotReady;
  }
  const Status status = BringUp();
  state_ = status == Status::kOk ? EngineState::kRunning : EngineState::kFailed;
  return status;
}

void RequestEngine::Shutdown(BlkCompletionCallback callback, void* context) {
  if (state_ == EngineState::kUninitialized) {
    return;
  }
  TearDownDevice(callback, context);
  FreeSlots();
  state_ = EngineState::kUninitialized;
}

// ---------------------------------------------------------------- slots

RequestEngine::Slot* RequestEngine::PopSlot() {
  if (free_count_ == 0) {
    return nullptr;
  }
  Slot* slot = &slots_[free_slots_[--free_count_]];
  slot->flushing = false;
  slot->internal = false;
  slot->flush_after = false;
  return slot;
}

void RequestEngine::PushSlot(Slot* slot) {
  slot->cookie = nullptr;
  free_slots_[free_count_++] = slot->index;
}

uint8_t* RequestEngine::SlotDma(const Slot& slot) const {
  return static_cast<uint8_t*>(slot_dma_.virt) + size_t{slot_stride_} * slot.index;
}

uint64_t RequestEngine::SlotPhys(const Slot& slot) const {
  return slot_dma_.phys + uint64_t{slot_stride_} * slot.index;
}

bool RequestEngine::has_flush() const {
  return (transport_.negotiated_features() & spec::kFeatureFlush) != 0;
}

bool RequestEngine::read_only() const {
  return (transport_.negotiated_features() & spec::kFeatureReadOnly) != 0;
}

// ---------------------------------------------------------------- submission

virtio::Status RequestEngine::AddToRing(Slot* slot, uint32_t virtio_type, uint64_t sector,
                                        const PhysicalSegment* segments, uint32_t segment_count,
                                        uint32_t bytes, bool device_writes_data) {
  uint8_t* dma = SlotDma(*slot);
  const uint64_t phys = SlotPhys(*slot);
  uint16_t count = 0;
  scratch_[count++] = virtio::Segment{phys + kHeaderOffset, spec::kRequestHeaderBytes, false};
  uint32_t remaining = bytes;
  uint32_t data_descriptors = 0;
  for (uint32_t i = 0; i < segment_count && remaining > 0; ++i) {
    uint64_t address = segments[i].phys;
    uint32_t length = Min32(segments[i].length, remaining);
    if (address + length < address) {
      return virtio::Status::kInvalidArgument;  // wraps the address space
    }
    while (length > 0) {
      const uint32_t piece = chunk_bytes_ != 0 && length > chunk_bytes_ ? chunk_bytes_ : length;
      if (data_descriptors == descriptor_budget_) {
        return virtio::Status::kInvalidArgument;
      }
      scratch_[count++] = virtio::Segment{address, piece, device_writes_data};
      ++data_descriptors;
      address += piece;
      length -= piece;
      remaining -= piece;
    }
  }
  if (remaining != 0) {
    return virtio::Status::kInvalidArgument;  // the segments are shorter than the transfer
  }
  scratch_[count++] = virtio::Segment{phys + kStatusOffset, 1, true};

  StoreLe32(dma + kHeaderOffset, virtio_type);
  StoreLe32(dma + kHeaderOffset + 4, 0);
  StoreLe64(dma + kHeaderOffset + 8, sector);
  *static_cast<volatile uint8_t*>(dma + kStatusOffset) = kStatusUnwritten;
  const virtio::IndirectTable table{dma + kTableOffset, phys + kTableOffset, table_capacity_};
  return queue_.Add(scratch_, count, slot, &table);
}

void RequestEngine::Kick() {
  if (queue_.Kick()) {
    ++counters_.notifications;
  }
}

SubmitStatus RequestEngine::Submit(const BlkIo& io) {
  if (state_ != EngineState::kRunning) {
    return SubmitStatus::kNotRunning;
  }
  uint32_t virtio_type = 0;
  bool device_writes = false;
  switch (io.type) {
    case RequestType::kRead:
    case RequestType::kWrite: {
      if (io.bytes == 0 || (io.bytes & (spec::kSectorSize - 1)) != 0 ||
          io.bytes > limits_.max_transfer_bytes || io.segments == nullptr ||
          ((io.sector << spec::kSectorShift) & (geometry_.block_size - 1)) != 0) {
        return SubmitStatus::kInvalid;
      }
      const uint64_t sectors = io.bytes >> spec::kSectorShift;
      if (io.sector > geometry_.capacity_sectors ||
          sectors > geometry_.capacity_sectors - io.sector) {
        return SubmitStatus::kInvalid;
      }
      if (io.type == RequestType::kWrite && read_only()) {
        return SubmitStatus::kInvalid;
      }
      virtio_type = io.type == RequestType::kRead ? spec::kTypeIn : spec::kTypeOut;
      device_writes = io.type == RequestType::kRead;
      break;
    }
    case RequestType::kFlush:
      if (io.bytes != 0 || !has_flush()) {
        return SubmitStatus::kInvalid;
      }
      virtio_type = spec::kTypeFlush;
      break;
    case RequestType::kGetId:
      if (io.bytes == 0 || io.bytes > spec::kIdBytes || io.segments == nullptr) {
        return SubmitStatus::kInvalid;
      }
      virtio_type = spec::kTypeGetId;
      device_writes = true;
      break;
    default:
      return SubmitStatus::kInvalid;
  }
  Slot* slot = PopSlot();
  if (slot == nullptr) {
    ++counters_.busy;
    busy_reported_ = true;
    return SubmitStatus::kBusy;
  }
  slot->cookie = io.cookie;
  slot->type = io.type;
  slot->sector = io.type == RequestType::kFlush || io.type == RequestType::kGetId ? 0 : io.sector;
  slot->bytes = io.bytes;
  slot->flush_after = io.type == RequestType::kWrite && io.flush_after && has_flush();
  const virtio::Status added = AddToRing(slot, virtio_type, slot->sector, io.segments,
                                         io.segment_count, io.bytes, device_writes);
  if (added != virtio::Status::kOk) {
    PushSlot(slot);
    if (added == virtio::Status::kQueueFull) {
      ++counters_.busy;
      busy_reported_ = true;
      return SubmitStatus::kBusy;
    }
    return added == virtio::Status::kInvalidArgument || added == virtio::Status::kIndirectTooSmall
               ? SubmitStatus::kInvalid
               : SubmitStatus::kNotRunning;
  }
  slot->in_flight = true;
  ++in_flight_;
  ++counters_.submitted;
  Kick();
  return SubmitStatus::kQueued;
}

// ---------------------------------------------------------------- completion

bool RequestEngine::FinishSlot(Slot* slot, uint32_t written, BlkCompletionCallback callback,
                               void* context, bool* resubmitted) {
  const uint8_t status = *static_cast<const volatile uint8_t*>(SlotDma(*slot) + kStatusOffset);
  // The device reports what it wrote: the status byte always, and for a successful IN every
  // data byte (a short read must not pass as data).
  const bool reading = slot->type == RequestType::kRead && !slot->flushing;
  // Anything not recognised below (no status byte written, an unknown status, a short read) is a
  // protocol violation.
  IoResult result = IoResult::kBadResponse;
  if (written >= 1) {
    if (status == spec::kStatusOk) {
      if (!reading || written == uint64_t{slot->bytes} + 1) {
        result = IoResult::kOk;
      }
    } else if (status == spec::kStatusIoError) {
      result = IoResult::kIoError;
    } else if (status == spec::kStatusUnsupported) {
      result = IoResult::kUnsupported;
    }
  }
  if (result == IoResult::kBadResponse) {
    ++counters_.bad_responses;
  }
  if (result == IoResult::kOk && slot->flush_after && !slot->flushing) {
    slot->flushing = true;
    if (AddToRing(slot, spec::kTypeFlush, 0, nullptr, 0, 0, false) == virtio::Status::kOk) {
      *resubmitted = true;
      return false;
    }
    result = IoResult::kIoError;  // written, but durability could not be requested
  }
  const BlkCompletion done{slot->cookie, result, slot->type, slot->sector, slot->bytes};
  slot->in_flight = false;
  --in_flight_;
  PushSlot(slot);
  ++counters_.completed;
  if (busy_reported_) {
    busy_reported_ = false;
    resume_hint_ = true;
  }
  if (callback != nullptr) {
    callback(context, done);
  }
  return true;
}

size_t RequestEngine::Harvest(BlkCompletionCallback callback, void* context) {
  if (state_ != EngineState::kRunning) {
    return 0;
  }
  if (!polled_) {
    queue_.DisableInterrupts();  // no interrupts while we drain; re-armed below
  }
  size_t delivered = 0;
  bool resubmitted = false;
  for (;;) {
    virtio::Completion batch[kHarvestBatch];
    const size_t count = queue_.Harvest(batch, kHarvestBatch);
    for (size_t i = 0; i < count; ++i) {
      auto* slot = static_cast<Slot*>(batch[i].cookie);
      if (FinishSlot(slot, batch[i].written, callback, context, &resubmitted)) {
        ++delivered;
      }
    }
    if (count > 0) {
      continue;
    }
    if (resubmitted) {
      resubmitted = false;
      Kick();  // FUA flushes; a fast device may already have answered them
      continue;
    }
    if (queue_.broken()) {
      last_fault_ = queue_.broken_reason();
      const uint64_t aborted_before = counters_.aborted;
      Recover(callback, context);
      delivered += static_cast<size_t>(counters_.aborted - aborted_before);
      return delivered;
    }
    if (polled_ || !queue_.EnableInterrupts()) {
      break;
    }
    queue_.DisableInterrupts();  // completions raced the re-arm: drain them too
  }
  return delivered;
}

uint8_t RequestEngine::ReadInterruptStatus() {
  if (state_ == EngineState::kUninitialized) {
    return 0;
  }
  return transport_.ReadIsr();
}

size_t RequestEngine::ProcessInterrupt(uint8_t isr_bits, BlkCompletionCallback callback,
                                       void* context) {
  if (state_ != EngineState::kRunning ||
      (isr_bits & (virtio::spec::kIsrQueue | virtio::spec::kIsrConfig)) == 0) {
    return 0;
  }
  ++counters_.interrupts;
  size_t delivered = 0;
  if ((isr_bits & virtio::spec::kIsrConfig) != 0) {
    const uint64_t aborted_before = counters_.aborted;
    HandleConfigChange(callback, context);
    delivered += static_cast<size_t>(counters_.aborted - aborted_before);
  }
  return delivered + Harvest(callback, context);
}

void RequestEngine::HandleConfigChange(BlkCompletionCallback callback, void* context) {
  ++counters_.config_changes;
  const virtio::Status device_status = transport_.CheckDeviceStatus();
  if (device_status != virtio::Status::kOk) {
    last_fault_ = device_status;
    Recover(callback, context);  // DEVICE_NEEDS_RESET, or the device lost our set-up
    return;
  }
  uint64_t capacity = 0;
  const virtio::ConfigField field{spec::kConfigCapacity, 8, 1, &capacity};
  if (transport_.ReadConfig(&field, 1) != virtio::Status::kOk || capacity > kMaxCapacitySectors) {
    return;  // unreadable or impossible: keep the capacity we know
  }
  if (capacity != geometry_.capacity_sectors) {
    geometry_.capacity_sectors = capacity;
    geometry_.block_count = capacity >> (geometry_.block_shift - spec::kSectorShift);
    events_ |= kEventCapacityChanged;
  }
}

bool RequestEngine::SetPolledMode(bool polled) {
  polled_ = polled;
  if (state_ != EngineState::kRunning) {
    return false;
  }
  if (polled) {
    queue_.DisableInterrupts();
    return false;
  }
  return queue_.EnableInterrupts();
}

uint32_t RequestEngine::TakeEvents() {
  const uint32_t events = events_;
  events_ = 0;
  return events;
}

bool RequestEngine::TakeResumeHint() {
  const bool hint = resume_hint_;
  resume_hint_ = false;
  return hint;
}

// ---------------------------------------------------------------- GET_ID

void RequestEngine::StoreSerial(const uint8_t* id, uint32_t length) {
  uint32_t out = 0;
  for (uint32_t i = 0; i < length && i < kSerialBytes; ++i) {
    const uint8_t c = id[i];
    if (c == 0) {
      break;
    }
    serial_[out++] = c >= 0x20 && c <= 0x7E ? static_cast<char>(c) : '_';
  }
  while (out > 0 && serial_[out - 1] == ' ') {
    --out;
  }
  uint32_t start = 0;
  while (start < out && serial_[start] == ' ') {
    ++start;
  }
  for (uint32_t i = start; i < out; ++i) {
    serial_[i - start] = serial_[i];
  }
  serial_length_ = out - start;
  serial_[serial_length_] = '\0';
}

void RequestEngine::FetchSerial() {
  Slot* slot = PopSlot();
  if (slot == nullptr) {
    return;
  }
  slot->internal = true;
  slot->type = RequestType::kGetId;
  slot->sector = 0;
  slot->bytes = spec::kIdBytes;
  slot->cookie = nullptr;
  uint8_t* id = static_cast<uint8_t*>(slot_dma_.virt) + id_offset_;
  for (uint32_t i = 0; i < kIdAreaBytes; ++i) {
    id[i] = 0;
  }
  const PhysicalSegment buffer{slot_dma_.phys + id_offset_, spec::kIdBytes};
  queue_.DisableInterrupts();
  if (AddToRing(slot, spec::kTypeGetId, 0, &buffer, 1, spec::kIdBytes, true) !=
      virtio::Status::kOk) {
    PushSlot(slot);
    SetPolledMode(polled_);
    return;
  }
  slot->in_flight = true;
  ++in_flight_;
  Kick();
  virtio::Platform& platform = *config_.platform;
  const uint64_t start = platform.MonotonicMicros();
  bool done = false;
  for (;;) {
    virtio::Completion completion = {};
    if (queue_.Harvest(&completion, 1) == 1) {
      const uint8_t status = *static_cast<const volatile uint8_t*>(SlotDma(*slot) + kStatusOffset);
      if (completion.cookie == slot && status == spec::kStatusOk && completion.written >= 1) {
        StoreSerial(id, completion.written - 1);
      }
      done = completion.cookie == slot;
      if (done) {
        slot->in_flight = false;
        --in_flight_;
        PushSlot(slot);
      }
      break;
    }
    if (queue_.broken() || platform.MonotonicMicros() - start >= kGetIdTimeoutMicros) {
      break;
    }
    platform.StallMicros(kPollIntervalMicros);
  }
  if (!done) {
    last_fault_ = queue_.broken() ? queue_.broken_reason() : virtio::Status::kNotReady;
    Recover(nullptr, nullptr);  // stalled or broken: a reset gives the slot back
    return;
  }
  SetPolledMode(polled_);
}

}  // namespace aero::blk
