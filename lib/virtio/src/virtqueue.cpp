#include "aero/virtio/virtqueue.h"

#include "aero/virtio/spec.h"
#include "ring_access.h"

namespace aero::virtio {
namespace {

enum Role : uint8_t { kFree = 0, kHead, kMember };

constexpr uint32_t kSaturatedLength = 0xFFFFFFFFu;

bool IsPowerOfTwo(uint32_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

size_t AlignUp(size_t value, size_t alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}

// Avail ring as 16-bit words: [0] flags, [1] idx, [2 + i] ring, [2 + size] used_event.
constexpr uint32_t kAvailFlags = 0;
constexpr uint32_t kAvailIndex = 1;
constexpr uint32_t kAvailRing = 2;
// Used ring: 16-bit [0] flags, [1] idx; elements from byte 4; avail_event after the elements.
constexpr uint32_t kUsedFlags = 0;
constexpr uint32_t kUsedIndex = 1;
constexpr size_t kUsedElementsOffset = 4;

}  // namespace

// Driver-private bookkeeping per descriptor; the device never sees it.
struct SplitVirtqueue::DescriptorState {
  void* cookie;       // head: the caller's request
  uint32_t writable;  // head: device-writable bytes of the chain (saturated)
  uint16_t next;      // free list link, or the next descriptor of a chain
  uint16_t chain_length;
  uint8_t role;
};

size_t SplitVirtqueue::UsedRingOffset(uint16_t size) {
  return AlignUp(spec::DescriptorTableBytes(size) + spec::AvailRingBytes(size), 64);
}

size_t SplitVirtqueue::RingBytes(uint16_t size) {
  return UsedRingOffset(size) + spec::UsedRingBytes(size);
}

size_t SplitVirtqueue::StateBytes(uint16_t size) {
  return sizeof(DescriptorState) * size;
}

Status SplitVirtqueue::Attach(Platform* platform, const QueueAttachment& attachment) {
  const uint16_t size = attachment.size;
  if (platform == nullptr || !IsPowerOfTwo(size) || size > spec::kMaxQueueSize ||
      attachment.ring.virt == nullptr || attachment.ring.size < RingBytes(size) ||
      (attachment.ring.phys & 15) != 0 ||
      (reinterpret_cast<uintptr_t>(attachment.ring.virt) & 15) != 0 ||
      attachment.state == nullptr ||
      (reinterpret_cast<uintptr_t>(attachment.state) & (alignof(DescriptorState) - 1)) != 0) {
    return Status::kInvalidArgument;
  }
  platform_ = platform;
  ring_ = attachment.ring;
  state_ = attachment.state;
  uint8_t* base = static_cast<uint8_t*>(ring_.virt);
  desc_ = base;
  avail_ = base + AvailRingOffset(size);
  used_ = base + UsedRingOffset(size);
  states_ = static_cast<DescriptorState*>(state_);
  notify_address_ = attachment.notify_address;
  index_ = attachment.index;
  size_ = size;
  mask_ = static_cast<uint16_t>(size - 1);
  event_idx_ = attachment.event_idx;
  indirect_ = attachment.indirect;

  // A re-attached ring may hold a previous life's indices: start from a clean slate.
  for (size_t i = 0; i < RingBytes(size); ++i) {
    base[i] = 0;
  }
  for (uint16_t i = 0; i < size; ++i) {
    states_[i] = DescriptorState{nullptr, 0, static_cast<uint16_t>(i + 1), 0, kFree};
  }
  free_head_ = 0;
  free_count_ = size;
  in_flight_ = 0;
  avail_index_ = 0;
  kicked_avail_index_ = 0;
  last_used_index_ = 0;
  detach_cursor_ = 0;
  added_since_kick_ = 0;
  interrupts_disabled_ = false;
  notifications_ = 0;
  broken_ = Status::kOk;
  platform_->WriteBarrier();
  return Status::kOk;
}

void SplitVirtqueue::Detach() {
  platform_ = nullptr;
  ring_ = DmaBuffer{};
  state_ = nullptr;
  desc_ = avail_ = used_ = nullptr;
  states_ = nullptr;
  size_ = 0;
  free_count_ = 0;
  in_flight_ = 0;
  broken_ = Status::kNotReady;
}

void SplitVirtqueue::MarkBroken(Status reason) {
  if (broken_ == Status::kOk) {
    broken_ = reason;
  }
}

Status SplitVirtqueue::Add(const Segment* segments, uint16_t count, void* cookie,
                           const IndirectTable* indirect) {
  if (broken_ != Status::kOk) {
    return broken_ == Status::kNotReady ? Status::kNotReady : Status::kQueueBroken;
  }
  if (segments == nullptr || count == 0) {
    return Status::kInvalidArgument;
  }
  uint64_t writable = 0;
  bool seen_writable = false;
  for (uint16_t i = 0; i < count; ++i) {
    if (segments[i].length == 0 || (seen_writable && !segments[i].device_writable)) {
      return Status::kInvalidArgument;  // empty buffer, or readable after writable
    }
    if (segments[i].device_writable) {
      seen_writable = true;
      writable += segments[i].length;
    }
  }
  const bool use_indirect = indirect != nullptr && indirect_ && count > 1;
  const uint16_t needed = use_indirect ? 1 : count;
  if (use_indirect) {
    if (indirect->virt == nullptr || (indirect->phys & 15) != 0) {
      return Status::kInvalidArgument;
    }
    if (indirect->capacity < count) {
      return Status::kIndirectTooSmall;
    }
  } else if (count > size_) {
    return Status::kInvalidArgument;  // can never fit
  }
  if (needed > free_count_) {
    return Status::kQueueFull;
  }

  auto* table = static_cast<ring::Descriptor*>(static_cast<void*>(desc_));
  const uint16_t head = free_head_;
  if (use_indirect) {
    auto* entries = static_cast<ring::Descriptor*>(indirect->virt);
    for (uint16_t i = 0; i < count; ++i) {
      const bool last = i + 1 == count;
      entries[i].addr = segments[i].phys;
      entries[i].len = segments[i].length;
      entries[i].flags =
          static_cast<uint16_t>((segments[i].device_writable ? spec::kDescFlagWrite : 0) |
                                (last ? 0 : spec::kDescFlagNext));
      entries[i].next = static_cast<uint16_t>(last ? 0 : i + 1);
    }
    table[head].addr = indirect->phys;
    table[head].len = static_cast<uint32_t>(count) * spec::kDescriptorSize;
    table[head].flags = spec::kDescFlagIndirect;
    table[head].next = 0;
    free_head_ = states_[head].next;
  } else {
    // Chains take descriptors in free-list order, so the private links double as chain links.
    uint16_t d = head;
    for (uint16_t i = 0; i < count; ++i) {
      const bool last = i + 1 == count;
      const uint16_t next = states_[d].next;
      table[d].addr = segments[i].phys;
      table[d].len = segments[i].length;
      table[d].flags =
          static_cast<uint16_t>((segments[i].device_writable ? spec::kDescFlagWrite : 0) |
                                (last ? 0 : spec::kDescFlagNext));
      table[d].next = last ? 0 : next;
      states_[d].role = kMember;
      if (last) {
        free_head_ = next;
      }
      d = next;
    }
  }
  DescriptorState& state = states_[head];
  state.role = kHead;
  state.cookie = cookie;
  state.writable = writable > kSaturatedLength ? kSaturatedLength : static_cast<uint32_t>(writable);
  state.chain_length = needed;
  free_count_ = static_cast<uint16_t>(free_count_ - needed);
  ++in_flight_;
  ++added_since_kick_;

  auto* avail = static_cast<uint16_t*>(static_cast<void*>(avail_));
  ring::Store16(&avail[kAvailRing + (avail_index_ & mask_)], head);
  ++avail_index_;
  platform_->WriteBarrier();  // descriptors and ring slot before the index
  ring::StoreRelease16(&avail[kAvailIndex], avail_index_);
  return Status::kOk;
}

bool SplitVirtqueue::KickPrepare() {
  if (broken_ != Status::kOk || added_since_kick_ == 0) {
    return false;
  }
  // The device may be deciding to sleep right now: our avail.idx store must be visible before we
  // read its suppression state, or both sides wait for each other.
  platform_->FullBarrier();
  const uint16_t old_index = kicked_avail_index_;
  const uint32_t added = added_since_kick_;
  kicked_avail_index_ = avail_index_;
  added_since_kick_ = 0;
  auto* used = static_cast<uint16_t*>(static_cast<void*>(used_));
  if (event_idx_) {
    if (added > 0xFFFFu) {
      return true;  // the 16-bit window wrapped: the event cannot be judged
    }
    const uint16_t avail_event = ring::Load16(&used[(kUsedElementsOffset / 2) + size_t{4} * size_]);
    return spec::NeedEvent(avail_event, avail_index_, old_index);
  }
  return (ring::Load16(&used[kUsedFlags]) & spec::kUsedFlagNoNotify) == 0;
}

void SplitVirtqueue::Notify() {
  if (platform_ == nullptr) {
    return;
  }
  platform_->MmioWrite16(notify_address_, index_);
  ++notifications_;
}

bool SplitVirtqueue::Kick() {
  if (!KickPrepare()) {
    return false;
  }
  Notify();
  return true;
}

uint16_t SplitVirtqueue::ReadUsedIndex() {
  const auto* used = static_cast<const uint16_t*>(static_cast<const void*>(used_));
  const uint16_t index = ring::LoadAcquire16(&used[kUsedIndex]);
  platform_->ReadBarrier();  // the index before the elements it covers
  return index;
}

void SplitVirtqueue::WriteUsedEvent(uint16_t value) {
  auto* avail = static_cast<uint16_t*>(static_cast<void*>(avail_));
  ring::Store16(&avail[kAvailRing + size_], value);
}

void SplitVirtqueue::FreeChain(uint16_t head) {
  DescriptorState& state = states_[head];
  uint16_t last = head;
  for (uint16_t i = 1; i < state.chain_length; ++i) {
    last = states_[last].next;
    states_[last].role = kFree;
  }
  states_[last].next = free_head_;
  free_head_ = head;
  free_count_ = static_cast<uint16_t>(free_count_ + state.chain_length);
  state.role = kFree;
  state.cookie = nullptr;
  state.chain_length = 0;
  state.writable = 0;
  --in_flight_;
}

size_t SplitVirtqueue::Harvest(Completion* out, size_t max) {
  if (broken_ != Status::kOk || out == nullptr || max == 0) {
    return 0;
  }
  const uint16_t used_index = ReadUsedIndex();
  const uint16_t pending = static_cast<uint16_t>(used_index - last_used_index_);
  if (pending == 0) {
    return 0;
  }
  if (pending > in_flight_ || pending > size_) {
    MarkBroken(Status::kUsedIndexJump);
    return 0;
  }
  const auto* elements =
      static_cast<const ring::UsedElement*>(static_cast<const void*>(used_ + kUsedElementsOffset));
  size_t harvested = 0;
  while (harvested < max && last_used_index_ != used_index) {
    const ring::UsedElement& element = elements[last_used_index_ & mask_];
    const uint32_t id = ring::Load32(&element.id);
    const uint32_t written = ring::Load32(&element.len);
    if (id >= size_) {
      MarkBroken(Status::kUsedIdOutOfRange);
      break;
    }
    const DescriptorState& state = states_[id];
    if (state.role != kHead) {
      MarkBroken(state.role == kMember ? Status::kUsedIdNotHead : Status::kUsedIdNotInFlight);
      break;
    }
    if (written > state.writable) {
      MarkBroken(Status::kUsedLengthTooLarge);
      break;
    }
    out[harvested] = Completion{state.cookie, written, CompletionStatus::kDone};
    FreeChain(static_cast<uint16_t>(id));
    ++last_used_index_;
    ++harvested;
  }
  if (event_idx_ && broken_ == Status::kOk) {
    // Enabled: interrupt on the next completion. Disabled: keep the event just behind us, so
    // even a long polling phase never crosses it.
    WriteUsedEvent(interrupts_disabled_ ? static_cast<uint16_t>(last_used_index_ - 1)
                                        : last_used_index_);
  }
  return harvested;
}

bool SplitVirtqueue::HasUsed() {
  if (broken_ != Status::kOk) {
    return false;
  }
  return ReadUsedIndex() != last_used_index_;
}

void SplitVirtqueue::DisableInterrupts() {
  if (broken_ != Status::kOk || interrupts_disabled_) {
    return;
  }
  interrupts_disabled_ = true;
  if (event_idx_) {
    // An event one behind what we consumed is never crossed (short of 64K completions).
    WriteUsedEvent(static_cast<uint16_t>(last_used_index_ - 1));
  } else {
    auto* avail = static_cast<uint16_t*>(static_cast<void*>(avail_));
    ring::Store16(&avail[kAvailFlags], spec::kAvailFlagNoInterrupt);
  }
}

bool SplitVirtqueue::EnableInterrupts() {
  if (broken_ != Status::kOk) {
    return false;
  }
  interrupts_disabled_ = false;
  if (event_idx_) {
    WriteUsedEvent(last_used_index_);
  } else {
    auto* avail = static_cast<uint16_t*>(static_cast<void*>(avail_));
    ring::Store16(&avail[kAvailFlags], 0);
  }
  // A completion published before the device saw the re-arm raises no interrupt: look again.
  platform_->FullBarrier();
  return ReadUsedIndex() != last_used_index_;
}

bool SplitVirtqueue::DetachNext(Completion* out) {
  if (states_ == nullptr || out == nullptr) {
    return false;
  }
  // The device was reset: this ring is finished until it is attached again.
  MarkBroken(Status::kNotReady);
  while (detach_cursor_ < size_) {
    const uint16_t id = detach_cursor_++;
    if (states_[id].role == kHead) {
      *out = Completion{states_[id].cookie, 0, CompletionStatus::kDetached};
      FreeChain(id);
      return true;
    }
  }
  detach_cursor_ = 0;
  return false;
}

size_t SplitVirtqueue::DetachAll(CompletionCallback callback, void* context) {
  size_t count = 0;
  Completion completion = {};
  while (DetachNext(&completion)) {
    if (callback != nullptr) {
      callback(context, completion);
    }
    ++count;
  }
  return count;
}

}  // namespace aero::virtio
