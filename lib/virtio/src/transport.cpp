#include "aero/virtio/transport.h"

#include "aero/virtio/features.h"
#include "aero/virtio/spec.h"

namespace aero::virtio {
namespace {

bool IsPowerOfTwo(uint32_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

constexpr uint32_t kMaxPollStallMicros = 1000;

}  // namespace

Status ModernTransport::Init(Platform* platform, const VirtioPciLayout& layout,
                             const BarInfo (&bars)[kPciBarCount], Lock* lock) {
  if (platform == nullptr || !layout.common.present || !layout.notify.present ||
      !layout.isr.present) {
    return Status::kInvalidArgument;
  }
  for (const SplitVirtqueue* queue : queues_) {
    if (queue != nullptr) {
      return Status::kQueueAlreadySetUp;  // Teardown first: those rings are still live
    }
  }
  const CapRegion* regions[] = {&layout.common, &layout.notify, &layout.isr, &layout.device};
  for (const CapRegion* region : regions) {
    if (region->present &&
        (region->bar >= kPciBarCount || bars[region->bar].size < region->length ||
         bars[region->bar].size - region->length < region->offset)) {
      return Status::kPciCapRegionOutOfBar;
    }
  }
  platform_ = platform;
  lock_ = lock;
  layout_ = layout;
  common_ = bars[layout.common.bar].mapped_base + layout.common.offset;
  notify_ = bars[layout.notify.bar].mapped_base + layout.notify.offset;
  isr_ = bars[layout.isr.bar].mapped_base + layout.isr.offset;
  device_ = layout.device.present ? bars[layout.device.bar].mapped_base + layout.device.offset : 0;
  for (SplitVirtqueue*& queue : queues_) {
    queue = nullptr;
  }
  device_features_ = 0;
  negotiated_features_ = 0;
  num_queues_ = 0;
  status_ = 0;
  broken_ = Status::kOk;
  return Status::kOk;
}

void ModernTransport::WriteStatus(uint8_t status) {
  status_ = status;
  platform_->MmioWrite8(common_ + spec::kCommonDeviceStatus, status);
}

void ModernTransport::MarkBroken(Status reason) {
  if (broken_ == Status::kOk) {
    broken_ = reason;
  }
  for (SplitVirtqueue* queue : queues_) {
    if (queue != nullptr) {
      queue->MarkBroken(reason);
    }
  }
}

Status ModernTransport::Reset(uint32_t timeout_micros) {
  if (platform_ == nullptr) {
    return Status::kNotReady;
  }
  WriteStatus(0);
  const uint64_t start = platform_->MonotonicMicros();
  uint32_t stall = 1;
  while (platform_->MmioRead8(common_ + spec::kCommonDeviceStatus) != 0) {
    if (platform_->MonotonicMicros() - start >= timeout_micros) {
      MarkBroken(Status::kResetTimeout);
      return Status::kResetTimeout;
    }
    platform_->StallMicros(stall);  // each poll is a trap: back off
    stall = stall >= kMaxPollStallMicros / 2 ? kMaxPollStallMicros : stall * 2;
  }
  // The device forgot its queues; any still registered must be detached by Teardown.
  for (SplitVirtqueue* queue : queues_) {
    if (queue != nullptr) {
      queue->MarkBroken(Status::kDeviceBroken);
    }
  }
  negotiated_features_ = 0;
  broken_ = Status::kOk;
  return Status::kOk;
}

Status ModernTransport::BeginInit(uint32_t timeout_micros) {
  const Status status = Reset(timeout_micros);
  if (status != Status::kOk) {
    return status;
  }
  WriteStatus(spec::kStatusAcknowledge);
  WriteStatus(spec::kStatusAcknowledge | spec::kStatusDriver);
  num_queues_ = platform_->MmioRead16(common_ + spec::kCommonNumQueues);
  return Status::kOk;
}

Status ModernTransport::NegotiateFeatures(const FeatureRequest& request, uint64_t* negotiated) {
  if (broken_ != Status::kOk) {
    return broken_ == Status::kNotReady ? Status::kNotReady : Status::kDeviceBroken;
  }
  if ((status_ & spec::kStatusDriver) == 0 || (status_ & spec::kStatusFeaturesOk) != 0) {
    return Status::kNotReady;
  }
  const uint64_t not_implemented = kTransportFeatureMask & ~kTransportFeaturesImplemented;
  const uint64_t required = request.required | kFeatureVersion1;
  if ((required & request.refused) != 0 || (required & not_implemented) != 0) {
    return Status::kFeatureConflict;
  }
  uint64_t offered = 0;
  {
    ScopedLock guard(lock_);
    platform_->MmioWrite32(common_ + spec::kCommonDeviceFeatureSelect, 0);
    const uint32_t low = platform_->MmioRead32(common_ + spec::kCommonDeviceFeature);
    platform_->MmioWrite32(common_ + spec::kCommonDeviceFeatureSelect, 1);
    const uint32_t high = platform_->MmioRead32(common_ + spec::kCommonDeviceFeature);
    offered = (static_cast<uint64_t>(high) << 32) | low;
  }
  device_features_ = offered;
  if ((required & ~offered) != 0) {
    return Status::kMissingRequiredFeature;
  }
  const uint64_t acceptable =
      (required | request.supported | kFeatureAccessPlatform) & ~request.refused & ~not_implemented;
  const uint64_t chosen = offered & acceptable;
  {
    ScopedLock guard(lock_);
    platform_->MmioWrite32(common_ + spec::kCommonDriverFeatureSelect, 0);
    platform_->MmioWrite32(common_ + spec::kCommonDriverFeature, static_cast<uint32_t>(chosen));
    platform_->MmioWrite32(common_ + spec::kCommonDriverFeatureSelect, 1);
    platform_->MmioWrite32(common_ + spec::kCommonDriverFeature,
                           static_cast<uint32_t>(chosen >> 32));
  }
  WriteStatus(static_cast<uint8_t>(status_ | spec::kStatusFeaturesOk));
  const uint8_t device_status = platform_->MmioRead8(common_ + spec::kCommonDeviceStatus);
  if ((device_status & spec::kStatusNeedsReset) != 0) {
    MarkBroken(Status::kDeviceNeedsReset);
    return Status::kDeviceNeedsReset;
  }
  if ((device_status & spec::kStatusFeaturesOk) == 0) {
    MarkBroken(Status::kFeaturesRefused);
    return Status::kFeaturesRefused;
  }
  negotiated_features_ = chosen;
  if (negotiated != nullptr) {
    *negotiated = chosen;
  }
  return Status::kOk;
}

Status ModernTransport::SetupQueue(const QueueConfig& config, SplitVirtqueue* queue) {
  if (broken_ != Status::kOk) {
    return broken_ == Status::kNotReady ? Status::kNotReady : Status::kDeviceBroken;
  }
  if ((status_ & spec::kStatusFeaturesOk) == 0 || (status_ & spec::kStatusDriverOk) != 0) {
    return Status::kNotReady;
  }
  if (queue == nullptr || (config.required_size == 0 && config.preferred_size == 0) ||
      (config.required_size != 0 && !IsPowerOfTwo(config.required_size)) ||
      (config.preferred_size != 0 && !IsPowerOfTwo(config.preferred_size))) {
    return Status::kInvalidArgument;
  }
  if (queue->attached()) {
    return Status::kQueueAlreadySetUp;
  }
  if (config.index >= num_queues_) {
    return Status::kQueueIndexInvalid;
  }
  int slot = -1;
  for (int i = 0; i < kMaxQueues; ++i) {
    if (queues_[i] != nullptr && queues_[i]->index() == config.index) {
      return Status::kQueueAlreadySetUp;
    }
    if (queues_[i] == nullptr && slot < 0) {
      slot = i;
    }
  }
  if (slot < 0) {
    return Status::kTooManyQueues;
  }

  uint16_t device_max = 0;
  uint16_t notify_off = 0;
  {
    ScopedLock guard(lock_);
    platform_->MmioWrite16(common_ + spec::kCommonQueueSelect, config.index);
    device_max = platform_->MmioRead16(common_ + spec::kCommonQueueSize);
    notify_off = platform_->MmioRead16(common_ + spec::kCommonQueueNotifyOff);
  }
  if (device_max == 0) {
    return Status::kQueueUnavailable;
  }
  if (!IsPowerOfTwo(device_max) || device_max > spec::kMaxQueueSize) {
    return Status::kQueueSizeInvalid;
  }
  uint16_t size = 0;
  if (config.required_size != 0) {
    if (device_max < config.required_size) {
      return Status::kQueueSizeMismatch;
    }
    size = config.required_size;
  } else {
    size = device_max < config.preferred_size ? device_max : config.preferred_size;
  }
  const uint64_t doorbell = static_cast<uint64_t>(notify_off) * layout_.notify_off_multiplier;
  if (doorbell + spec::kNotifyMinLength > layout_.notify.length) {
    return Status::kQueueNotifyOutOfRange;
  }

  // Allocation happens outside the lock: kernel allocators may need a low IRQL.
  DmaBuffer ring = {};
  if (!platform_->AllocateDma(SplitVirtqueue::RingBytes(size), SplitVirtqueue::kRingAlignment,
                              &ring)) {
    return Status::kNoMemory;
  }
  const size_t state_bytes = SplitVirtqueue::StateBytes(size);
  void* state = platform_->AllocateMemory(state_bytes);
  if (state == nullptr) {
    platform_->FreeDma(ring);
    return Status::kNoMemory;
  }
  QueueAttachment attachment = {};
  attachment.index = config.index;
  attachment.size = size;
  attachment.ring = ring;
  attachment.state = state;
  attachment.event_idx = (negotiated_features_ & kFeatureEventIdx) != 0;
  attachment.indirect = (negotiated_features_ & kFeatureIndirectDesc) != 0;
  attachment.notify_address = notify_ + static_cast<uintptr_t>(doorbell);
  Status status = queue->Attach(platform_, attachment);
  if (status != Status::kOk) {
    platform_->FreeMemory(state, state_bytes);
    platform_->FreeDma(ring);
    return status;
  }

  {
    ScopedLock guard(lock_);
    platform_->MmioWrite16(common_ + spec::kCommonQueueSelect, config.index);
    platform_->MmioWrite16(common_ + spec::kCommonQueueSize, size);
    if (config.msix_vector != spec::kNoVector) {
      platform_->MmioWrite16(common_ + spec::kCommonQueueMsixVector, config.msix_vector);
      if (platform_->MmioRead16(common_ + spec::kCommonQueueMsixVector) != config.msix_vector) {
        status = Status::kMsixVectorRejected;
      }
    }
    if (status == Status::kOk) {
      platform_->MmioWrite64(common_ + spec::kCommonQueueDesc, queue->desc_phys());
      platform_->MmioWrite64(common_ + spec::kCommonQueueDriver, queue->avail_phys());
      platform_->MmioWrite64(common_ + spec::kCommonQueueDevice, queue->used_phys());
      platform_->MmioWrite16(common_ + spec::kCommonQueueEnable, 1);
    }
  }
  if (status != Status::kOk) {
    ReleaseQueue(queue);
    return status;
  }
  queues_[slot] = queue;
  return Status::kOk;
}

void ModernTransport::ReleaseQueue(SplitVirtqueue* queue) {
  const DmaBuffer ring = queue->ring_memory();
  void* state = queue->state_memory();
  const size_t state_bytes = SplitVirtqueue::StateBytes(queue->size());
  queue->Detach();
  platform_->FreeMemory(state, state_bytes);
  platform_->FreeDma(ring);
}

Status ModernTransport::SetConfigMsixVector(uint16_t vector) {
  if (broken_ != Status::kOk) {
    return broken_ == Status::kNotReady ? Status::kNotReady : Status::kDeviceBroken;
  }
  platform_->MmioWrite16(common_ + spec::kCommonConfigMsixVector, vector);
  if (platform_->MmioRead16(common_ + spec::kCommonConfigMsixVector) != vector) {
    return Status::kMsixVectorRejected;
  }
  return Status::kOk;
}

Status ModernTransport::DriverOk() {
  if (broken_ != Status::kOk) {
    return broken_ == Status::kNotReady ? Status::kNotReady : Status::kDeviceBroken;
  }
  if ((status_ & spec::kStatusFeaturesOk) == 0) {
    return Status::kNotReady;
  }
  WriteStatus(static_cast<uint8_t>(status_ | spec::kStatusDriverOk));
  return Status::kOk;
}

void ModernTransport::Fail() {
  if (platform_ != nullptr) {
    WriteStatus(static_cast<uint8_t>(status_ | spec::kStatusFailed));
  }
}

uint8_t ModernTransport::ReadIsr() {
  if (platform_ == nullptr) {
    return 0;
  }
  return platform_->MmioRead8(isr_);
}

Status ModernTransport::CheckDeviceStatus() {
  if (platform_ == nullptr) {
    return Status::kNotReady;
  }
  const uint8_t device_status = platform_->MmioRead8(common_ + spec::kCommonDeviceStatus);
  if ((device_status & spec::kStatusNeedsReset) != 0) {
    MarkBroken(Status::kDeviceNeedsReset);
    return Status::kDeviceNeedsReset;
  }
  if ((status_ & spec::kStatusDriverOk) != 0 && (device_status & spec::kStatusDriverOk) == 0) {
    MarkBroken(Status::kDeviceBroken);  // the device lost our setup (reset behind our back)
    return Status::kDeviceBroken;
  }
  return broken_ == Status::kOk ? Status::kOk : Status::kDeviceBroken;
}

void ModernTransport::ReadConfigOnce(const ConfigField* fields, size_t count) {
  for (size_t f = 0; f < count; ++f) {
    const ConfigField& field = fields[f];
    uint8_t* out = static_cast<uint8_t*>(field.out);
    uintptr_t address = device_ + field.offset;
    for (uint16_t i = 0; i < field.count; ++i) {
      switch (field.width) {
        case 1:
          out[i] = platform_->MmioRead8(address);
          break;
        case 2: {
          const uint16_t value = platform_->MmioRead16(address);
          static_cast<uint16_t*>(field.out)[i] = value;
          break;
        }
        case 4: {
          const uint32_t value = platform_->MmioRead32(address);
          static_cast<uint32_t*>(field.out)[i] = value;
          break;
        }
        default: {
          const uint32_t low = platform_->MmioRead32(address);
          const uint32_t high = platform_->MmioRead32(address + 4);
          static_cast<uint64_t*>(field.out)[i] = (static_cast<uint64_t>(high) << 32) | low;
          break;
        }
      }
      address += field.width;
    }
  }
}

Status ModernTransport::ReadConfig(const ConfigField* fields, size_t count) {
  if (platform_ == nullptr) {
    return Status::kNotReady;
  }
  if (fields == nullptr || count == 0) {
    return Status::kInvalidArgument;
  }
  for (size_t f = 0; f < count; ++f) {
    const ConfigField& field = fields[f];
    const uint32_t width = field.width;
    const uint32_t out_alignment = width == 8 ? alignof(uint64_t) : width;
    if ((width != 1 && width != 2 && width != 4 && width != 8) || field.count == 0 ||
        field.out == nullptr ||
        (reinterpret_cast<uintptr_t>(field.out) & (out_alignment - 1)) != 0 ||
        (field.offset & ((width > 4 ? 4 : width) - 1)) != 0) {
      return Status::kInvalidArgument;
    }
    if (!layout_.device.present ||
        static_cast<uint64_t>(field.offset) + uint64_t{width} * field.count >
            layout_.device.length) {
      return Status::kConfigOutOfRange;
    }
  }
  const uintptr_t generation_address = common_ + spec::kCommonConfigGeneration;
  for (int attempt = 0; attempt < kConfigReadAttempts; ++attempt) {
    const uint8_t before = platform_->MmioRead8(generation_address);
    ReadConfigOnce(fields, count);
    const uint8_t after = platform_->MmioRead8(generation_address);
    if (before == after) {
      return Status::kOk;
    }
  }
  return Status::kConfigUnstable;
}

Status ModernTransport::Teardown(CompletionCallback callback, void* context,
                                 uint32_t timeout_micros) {
  if (platform_ == nullptr) {
    return Status::kNotReady;
  }
  // Reset first so the device stops using the rings; then every request comes back once.
  const Status reset = Reset(timeout_micros);
  for (SplitVirtqueue*& queue : queues_) {
    if (queue != nullptr) {
      queue->DetachAll(callback, context);
      if (reset == Status::kOk) {
        ReleaseQueue(queue);
      } else {
        // A device that ignores reset may still write its rings: leave that DMA memory allocated
        // rather than hand it back for reuse (the environment should also clear bus mastering).
        void* state = queue->state_memory();
        const size_t state_bytes = SplitVirtqueue::StateBytes(queue->size());
        queue->Detach();
        platform_->FreeMemory(state, state_bytes);
      }
      queue = nullptr;
    }
  }
  status_ = 0;
  return reset;
}

}  // namespace aero::virtio
