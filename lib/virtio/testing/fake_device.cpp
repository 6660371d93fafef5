#include "aero/virtio/testing/fake_device.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>

#include "aero/virtio/spec.h"
#include "aero/virtio/testing/fake_platform.h"

namespace aero::virtio::testing {
namespace {

namespace s = aero::virtio::spec;

uint16_t Load16(const uint8_t* p) {
  return __atomic_load_n(reinterpret_cast<const uint16_t*>(p), __ATOMIC_ACQUIRE);
}
void Store16(uint8_t* p, uint16_t v) {
  __atomic_store_n(reinterpret_cast<uint16_t*>(p), v, __ATOMIC_RELEASE);
}
void Store32(uint8_t* p, uint32_t v) {
  __atomic_store_n(reinterpret_cast<uint32_t*>(p), v, __ATOMIC_RELAXED);
}

void Put16(uint8_t* p, uint16_t v) {
  std::memcpy(p, &v, 2);
}
void Put32(uint8_t* p, uint32_t v) {
  std::memcpy(p, &v, 4);
}

bool IsPowerOfTwo(uint32_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

}  // namespace

struct FakeVirtioDevice::Queue {
  uint16_t max_size = 0;
  uint16_t size = 0;
  uint16_t msix_vector = s::kNoVector;
  uint16_t notify_off = 0;
  bool enabled = false;
  uint64_t desc = 0, driver = 0, device = 0;
  uint8_t* desc_host = nullptr;
  uint8_t* avail_host = nullptr;
  uint8_t* used_host = nullptr;
  uint16_t last_avail = 0;
  uint16_t used_index = 0;      // written so far (device shadow)
  uint16_t published_used = 0;  // used.idx at the last flush
  bool suppressed = false;
  UsedFault fault = UsedFault::kNone;
  CompletionOrder order = CompletionOrder::kInOrder;
  struct Done {
    uint16_t head;
    uint16_t second;  // second ring descriptor of the chain (or head)
    uint32_t written;
    uint64_t writable;
  };
  std::vector<Done> pending;  // kReversed: written at flush
  std::vector<Done> held;     // kHeld: written at ReleaseHeld
  uint64_t notifications = 0;

  void ResetRing() {
    enabled = false;
    size = max_size;
    msix_vector = s::kNoVector;
    desc = driver = device = 0;
    desc_host = avail_host = used_host = nullptr;
    last_avail = used_index = published_used = 0;
    suppressed = false;
    fault = UsedFault::kNone;
    pending.clear();
    held.clear();
  }
};

FakeVirtioDevice::FakeVirtioDevice(const FakeDeviceOptions& options) : options_(options) {
  for (uint16_t i = 0; i < options_.num_queues; ++i) {
    auto q = std::make_unique<Queue>();
    q->max_size = options_.queue_max_size;
    q->notify_off = i;
    q->ResetRing();
    queues_.push_back(std::move(q));
  }
  device_config_.resize(options_.device_config_size);
  for (size_t i = 0; i < device_config_.size(); ++i) {
    device_config_[i] = static_cast<uint8_t>(i);
  }
  BuildConfigSpace();
  ApplyCapFault(options_.cap_fault);
}

FakeVirtioDevice::~FakeVirtioDevice() = default;

// ---------------------------------------------------------------- config space and layout

void FakeVirtioDevice::BuildConfigSpace() {
  uint8_t* c = config_space_;
  Put16(c + 0x00, s::kPciVendorId);
  Put16(c + 0x02, options_.device_id);
  Put16(c + 0x04, 0x0006);
  Put16(c + 0x06, s::kPciStatusCapList);
  c[0x08] = options_.revision;
  c[0x0B] = 0x01;  // class: mass storage (cosmetic)
  Put16(c + 0x2C, options_.subsystem_vendor_id);
  Put16(c + 0x2E, options_.subsystem_id);
  c[0x3C] = 11;
  c[0x3D] = 1;

  auto vendor_cap = [&](uint8_t at, uint8_t next, uint8_t len, uint8_t type, uint8_t bar,
                        uint32_t offset, uint32_t length) {
    c[at] = s::kPciCapIdVendor;
    c[at + 1] = next;
    c[at + 2] = len;
    c[at + 3] = type;
    c[at + 4] = bar;
    Put32(c + at + 8, offset);
    Put32(c + at + 12, length);
    cap_offsets_[cap_count_++] = at;
  };
  auto msix_cap = [&](uint8_t at, uint8_t next, uint8_t bir, uint32_t table, uint32_t pba) {
    c[at] = s::kPciCapIdMsix;
    c[at + 1] = next;
    Put16(c + at + 2, static_cast<uint16_t>(options_.num_queues));  // table size - 1
    Put32(c + at + 4, table | bir);
    Put32(c + at + 8, pba | bir);
    cap_offsets_[cap_count_++] = at;
  };

  if (options_.layout == FakeLayout::kQemuBar4) {
    bars_[1] = BarInfo{BarKind::kMemory32, 0x1000, FakePlatform::BarBase(1)};
    bars_[4] = BarInfo{BarKind::kMemory64, 0x4000, FakePlatform::BarBase(4)};
    Put32(c + 0x14, 0xFEBD1000u);
    Put32(c + 0x20, 0xFE00000Cu);
    common_ = {4, 0x0000, 0x1000};
    isr_region_ = {4, 0x1000, 0x1000};
    device_ = {4, 0x2000, 0x1000};
    notify_ = {4, 0x3000, 0x1000};
    c[0x34] = 0x98;
    msix_cap(0x98, 0x84, 1, 0x000, 0x800);
    vendor_cap(0x84, 0x70, 20, s::kCfgPci, 0, 0, 0);
    vendor_cap(0x70, 0x60, 20, s::kCfgNotify, 4, notify_.offset, notify_.length);
    Put32(c + 0x70 + 16, kQemuNotifyMultiplier);
    vendor_cap(0x60, 0x50, 16, s::kCfgDevice, 4, device_.offset, device_.length);
    vendor_cap(0x50, 0x40, 16, s::kCfgIsr, 4, isr_region_.offset, isr_region_.length);
    vendor_cap(0x40, 0x00, 16, s::kCfgCommon, 4, common_.offset, common_.length);
  } else {
    bars_[0] = BarInfo{BarKind::kMemory64, 0x4000, FakePlatform::BarBase(0)};
    Put32(c + 0x10, 0xFEB0000Cu);
    common_ = {0, 0x0000, 0x0100};
    notify_ = {0, 0x1000, 0x0100};
    isr_region_ = {0, 0x2000, 0x0020};
    device_ = {0, 0x3000, 0x0100};
    c[0x34] = 0x40;
    vendor_cap(0x40, 0x50, 16, s::kCfgCommon, 0, common_.offset, common_.length);
    vendor_cap(0x50, 0x64, 20, s::kCfgNotify, 0, notify_.offset, notify_.length);
    Put32(c + 0x50 + 16, 4);
    vendor_cap(0x64, 0x74, 16, s::kCfgIsr, 0, isr_region_.offset, isr_region_.length);
    vendor_cap(0x74, 0x84, 16, s::kCfgDevice, 0, device_.offset, device_.length);
    msix_cap(0x84, 0x00, 0, 0x3100, 0x3800);
  }
  notify_multiplier_ = 4;
  if (device_config_.size() < device_.length) {
    device_.length = static_cast<uint32_t>(device_config_.size());
    for (int i = 0; i < cap_count_; ++i) {
      uint8_t at = cap_offsets_[i];
      if (c[at] == s::kPciCapIdVendor && c[at + 3] == s::kCfgDevice) {
        Put32(c + at + 12, device_.length);
      }
    }
  }
}

void FakeVirtioDevice::ApplyCapFault(CapFault fault) {
  uint8_t* c = config_space_;
  auto find_type = [&](uint8_t type) -> uint8_t {
    for (int i = 0; i < cap_count_; ++i) {
      uint8_t at = cap_offsets_[i];
      if (c[at] == s::kPciCapIdVendor && c[at + 3] == type) {
        return at;
      }
    }
    return 0;
  };
  const uint8_t first = cap_offsets_[0];
  const uint8_t last = cap_offsets_[cap_count_ - 1];
  const uint8_t common = find_type(s::kCfgCommon);
  switch (fault) {
    case CapFault::kNone:
      break;
    case CapFault::kNoCapabilityList:
      Put16(c + 0x06, 0);
      break;
    case CapFault::kCycle:
      c[last + 1] = first;
      break;
    case CapFault::kRegionOutOfBar: {
      const uint64_t bar_size = bars_[c[common + 4]].size;
      Put32(c + common + 12, static_cast<uint32_t>(bar_size - common_.offset + 4));
      break;
    }
    case CapFault::kShortCap:
      c[common + 2] = 12;
      break;
    case CapFault::kShortNotifyCap:
      c[find_type(s::kCfgNotify) + 2] = 16;
      break;
    case CapFault::kMisalignedPointer:
      c[first + 1] = static_cast<uint8_t>(c[first + 1] | 2);
      break;
    case CapFault::kPointerIntoHeader:
      c[0x34] = 0x20;
      break;
    case CapFault::kCapBeyondConfigSpace:
      c[last + 1] = 0xF8;
      c[0xF8] = s::kPciCapIdVendor;
      c[0xF9] = 0;
      c[0xFA] = 20;
      c[0xFB] = s::kCfgPci;
      break;
    case CapFault::kBadNotifyMultiplier:
      Put32(c + find_type(s::kCfgNotify) + 16, 3);
      break;
    case CapFault::kMissingCommon:
      c[common + 3] = 0x0A;
      break;
    case CapFault::kCommonInIoBar:
      c[common + 4] = 2;
      bars_[2] = BarInfo{BarKind::kIo, 0x40, FakePlatform::BarBase(2)};
      break;
    case CapFault::kRegionMisaligned:
      Put32(c + common + 8, common_.offset + 2);
      break;
  }
}

AeroStrictExpectations FakeVirtioDevice::AeroExpectations() const {
  AeroStrictExpectations e{};
  e.vendor_id = s::kPciVendorId;
  e.device_id = options_.device_id;
  e.subsystem_vendor_id = options_.subsystem_vendor_id;
  e.subsystem_id = options_.subsystem_id;
  e.revision = 1;
  e.bar = 0;
  e.bar_kind = BarKind::kMemory64;
  e.bar_min_size = 0x4000;
  e.common = {0x0000, 0x0100};
  e.notify = {0x1000, 0x0100};
  e.isr = {0x2000, 0x0020};
  e.device = {0x3000, 0x0100};
  e.notify_off_multiplier = 4;
  return e;
}

uint32_t FakeVirtioDevice::PciConfigRead(uint16_t offset, int width) {
  ++pci_config_reads_;
  std::lock_guard<std::mutex> lock(mutex_);
  if (offset + width > 256 || (offset & (width - 1)) != 0) {
    DriverError("misaligned or out-of-range PCI config read at " + std::to_string(offset));
    return 0xFFFFFFFFu;
  }
  uint32_t value = 0;
  std::memcpy(&value, config_space_ + offset, static_cast<size_t>(width));
  return value;
}

// ---------------------------------------------------------------- registers

void FakeVirtioDevice::DriverError(const std::string& message) {
  ++driver_error_count_;
  driver_errors_.push_back(message);
}

bool FakeVirtioDevice::InRegion(const Region& region, int bar, uint64_t offset) const {
  return bar == region.bar && offset >= region.offset &&
         offset < uint64_t{region.offset} + region.length;
}

FakeVirtioDevice::Queue& FakeVirtioDevice::queue_ref(uint16_t queue) {
  return *queues_.at(queue);
}

void FakeVirtioDevice::ResetLocked() {
  status_ = 0;
  device_feature_select_ = 0;
  driver_feature_select_ = 0;
  driver_features_ = 0;
  msix_config_ = s::kNoVector;
  queue_select_ = 0;
  isr_ = 0;
  for (auto& q : queues_) {
    q->ResetRing();
  }
}

uint64_t FakeVirtioDevice::MmioRead(int bar, uint64_t offset, int width) {
  ++mmio_reads_;
  std::lock_guard<std::mutex> lock(mutex_);
  if (InRegion(common_, bar, offset)) {
    return CommonRead(static_cast<uint32_t>(offset - common_.offset), width);
  }
  if (InRegion(isr_region_, bar, offset)) {
    ++isr_reads_;
    if (width != 1) {
      DriverError("ISR read with width " + std::to_string(width));
    }
    return isr_.exchange(0);  // read-to-acknowledge
  }
  if (InRegion(device_, bar, offset)) {
    const uint64_t rel = offset - device_.offset;
    if (width > 4 || (rel & static_cast<uint64_t>(width - 1)) != 0 ||
        rel + static_cast<uint64_t>(width) > device_config_.size()) {
      DriverError("bad device config read at " + std::to_string(rel));
      return 0;
    }
    uint64_t value = 0;
    std::memcpy(&value, device_config_.data() + rel, static_cast<size_t>(width));
    if (churn_reads_ > 0) {
      if (churn_reads_ != UINT32_MAX) {
        --churn_reads_;
      }
      device_config_[rel] = static_cast<uint8_t>(device_config_[rel] + 1);
      ++generation_;
    }
    return value;
  }
  if (InRegion(notify_, bar, offset)) {
    DriverError("read from the notify region");
  }
  return 0;  // unmapped offsets read 0
}

void FakeVirtioDevice::MmioWrite(int bar, uint64_t offset, int width, uint64_t value) {
  ++mmio_writes_;
  int notified = -1;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (InRegion(common_, bar, offset)) {
      CommonWrite(static_cast<uint32_t>(offset - common_.offset), width, value);
    } else if (InRegion(notify_, bar, offset)) {
      const uint64_t rel = offset - notify_.offset;
      const uint64_t queue = notify_multiplier_ ? rel / notify_multiplier_ : value;
      if (width != 2 || (notify_multiplier_ && rel % notify_multiplier_ != 0) ||
          queue >= queues_.size() || value != queue) {
        DriverError("bad doorbell write at " + std::to_string(rel) + " value " +
                    std::to_string(value));
      } else if (!queues_[queue]->enabled || (status_ & s::kStatusDriverOk) == 0) {
        DriverError("doorbell for a queue that is not live");
      } else {
        ++queues_[queue]->notifications;
        ++notifications_;
        notified = static_cast<int>(queue);
      }
    } else {
      DriverError("write outside writable registers at bar " + std::to_string(bar) + " offset " +
                  std::to_string(offset));
    }
  }
  if (notified >= 0) {
    { std::lock_guard<std::mutex> lock(event_mutex_); }
    event_cv_.notify_all();
    if (on_notify) {
      on_notify(static_cast<uint16_t>(notified));
    }
  }
}

uint64_t FakeVirtioDevice::CommonRead(uint32_t offset, int width) {
  auto expect = [&](int w) {
    if (width != w) {
      DriverError("common cfg read at " + std::to_string(offset) + " with width " +
                  std::to_string(width));
    }
  };
  Queue* q = queue_select_ < queues_.size() ? queues_[queue_select_].get() : nullptr;
  switch (offset) {
    case s::kCommonDeviceFeatureSelect:
      expect(4);
      return device_feature_select_;
    case s::kCommonDeviceFeature:
      expect(4);
      return device_feature_select_ == 0   ? static_cast<uint32_t>(options_.features)
             : device_feature_select_ == 1 ? static_cast<uint32_t>(options_.features >> 32)
                                           : 0;
    case s::kCommonDriverFeatureSelect:
      expect(4);
      return driver_feature_select_;
    case s::kCommonDriverFeature:
      expect(4);
      return driver_feature_select_ == 0   ? static_cast<uint32_t>(driver_features_)
             : driver_feature_select_ == 1 ? static_cast<uint32_t>(driver_features_ >> 32)
                                           : 0;
    case s::kCommonConfigMsixVector:
      expect(2);
      return msix_config_;
    case s::kCommonNumQueues:
      expect(2);
      return queues_.size();
    case s::kCommonDeviceStatus:
      expect(1);
      if (reset_polls_left_ > 0) {
        if (reset_polls_left_ != UINT32_MAX) {
          --reset_polls_left_;
        }
        return status_before_reset_;
      }
      return status_;
    case s::kCommonConfigGeneration:
      expect(1);
      return generation_;
    case s::kCommonQueueSelect:
      expect(2);
      return queue_select_;
    case s::kCommonQueueSize:
      expect(2);
      return q ? q->size : 0;
    case s::kCommonQueueMsixVector:
      expect(2);
      return q ? q->msix_vector : s::kNoVector;
    case s::kCommonQueueEnable:
      expect(2);
      return q ? q->enabled : 0;
    case s::kCommonQueueNotifyOff:
      expect(2);
      return q ? q->notify_off : 0;
    default:
      break;
  }
  if (offset >= s::kCommonQueueDesc && offset < s::kCommonCfgMinLength && q != nullptr) {
    const uint32_t field = (offset - s::kCommonQueueDesc) / 8;
    const uint64_t v = field == 0 ? q->desc : field == 1 ? q->driver : q->device;
    return (offset & 4) ? v >> 32 : (width == 8 ? v : static_cast<uint32_t>(v));
  }
  return 0;
}

void FakeVirtioDevice::CommonWrite(uint32_t offset, int width, uint64_t value) {
  auto expect = [&](int w) {
    if (width != w) {
      DriverError("common cfg write at " + std::to_string(offset) + " with width " +
                  std::to_string(width));
      return false;
    }
    return true;
  };
  Queue* q = queue_select_ < queues_.size() ? queues_[queue_select_].get() : nullptr;
  auto queue_writable = [&]() {
    if (q == nullptr) {
      DriverError("queue register write with an invalid queue_select");
      return false;
    }
    if (q->enabled) {
      DriverError("queue register write to an enabled queue");
      return false;
    }
    return true;
  };
  switch (offset) {
    case s::kCommonDeviceFeatureSelect:
      if (expect(4))
        device_feature_select_ = static_cast<uint32_t>(value);
      return;
    case s::kCommonDriverFeatureSelect:
      if (expect(4))
        driver_feature_select_ = static_cast<uint32_t>(value);
      return;
    case s::kCommonDriverFeature:
      if (!expect(4))
        return;
      if (status_ & s::kStatusFeaturesOk) {
        DriverError("driver features written after FEATURES_OK");
        return;
      }
      if (driver_feature_select_ == 0) {
        driver_features_ =
            (driver_features_ & ~uint64_t{0xFFFFFFFF}) | static_cast<uint32_t>(value);
      } else if (driver_feature_select_ == 1) {
        driver_features_ = (driver_features_ & 0xFFFFFFFFu) | (value << 32);
      }
      return;
    case s::kCommonConfigMsixVector:
      if (expect(2))
        msix_config_ = refuse_msix_ ? s::kNoVector : static_cast<uint16_t>(value);
      return;
    case s::kCommonDeviceStatus: {
      if (!expect(1))
        return;
      const uint8_t next = static_cast<uint8_t>(value);
      if (next == 0) {
        status_before_reset_ = status_;
        ResetLocked();
        reset_polls_left_ = reset_polls_;
        return;
      }
      if ((status_ & ~next & ~s::kStatusNeedsReset) != 0) {
        DriverError("status bits cleared without a reset");
      }
      uint8_t accepted = next;
      if ((next & s::kStatusFeaturesOk) && !(status_ & s::kStatusFeaturesOk)) {
        const bool subset = (driver_features_ & ~options_.features) == 0;
        const bool platform_ok = !(options_.features & kFeatureAccessPlatform) ||
                                 (driver_features_ & kFeatureAccessPlatform);
        if (!subset) {
          DriverError("driver accepted features the device did not offer");
        }
        if (!subset || !platform_ok || refuse_features_ok_) {
          accepted = static_cast<uint8_t>(accepted & ~s::kStatusFeaturesOk);
        }
      }
      if ((next & s::kStatusDriverOk) && !(accepted & s::kStatusFeaturesOk) &&
          !(status_ & s::kStatusFeaturesOk)) {
        DriverError("DRIVER_OK without FEATURES_OK");
      }
      status_ = static_cast<uint8_t>(accepted | (status_ & s::kStatusNeedsReset));
      return;
    }
    case s::kCommonQueueSelect:
      if (expect(2))
        queue_select_ = static_cast<uint16_t>(value);
      return;
    case s::kCommonQueueSize:
      if (!expect(2) || !queue_writable())
        return;
      if (!IsPowerOfTwo(static_cast<uint32_t>(value)) || value > q->max_size) {
        DriverError("invalid queue size " + std::to_string(value));
        return;
      }
      q->size = static_cast<uint16_t>(value);
      return;
    case s::kCommonQueueMsixVector:
      if (!expect(2) || !queue_writable())
        return;
      q->msix_vector = refuse_msix_ ? s::kNoVector : static_cast<uint16_t>(value);
      return;
    case s::kCommonQueueEnable: {
      if (!expect(2) || !queue_writable())
        return;
      if (value != 1) {
        DriverError("queue_enable written with " + std::to_string(value));
        return;
      }
      const uint32_t n = q->size;
      q->desc_host = memory_ ? memory_->Translate(q->desc, s::DescriptorTableBytes(n)) : nullptr;
      q->avail_host = memory_ ? memory_->Translate(q->driver, s::AvailRingBytes(n)) : nullptr;
      q->used_host = memory_ ? memory_->Translate(q->device, s::UsedRingBytes(n)) : nullptr;
      if (!q->desc_host || !q->avail_host || !q->used_host || (q->desc & 15) || (q->driver & 1) ||
          (q->device & 3)) {
        DriverError("queue enabled with unusable ring addresses");
        return;
      }
      q->enabled = true;
      return;
    }
    default:
      break;
  }
  if (offset >= s::kCommonQueueDesc && offset < s::kCommonCfgMinLength) {
    if (!queue_writable())
      return;
    const uint32_t field = (offset - s::kCommonQueueDesc) / 8;
    uint64_t& target = field == 0 ? q->desc : field == 1 ? q->driver : q->device;
    if (width == 8 && (offset & 7) == 0) {
      target = value;
    } else if (width == 4) {
      if (offset & 4) {
        target = (target & 0xFFFFFFFFu) | (value << 32);
      } else {
        target = (target & ~uint64_t{0xFFFFFFFF}) | static_cast<uint32_t>(value);
      }
    } else {
      DriverError("queue address written with width " + std::to_string(width));
    }
    return;
  }
  DriverError("write to read-only common cfg offset " + std::to_string(offset));
}

// ---------------------------------------------------------------- rings

bool FakeVirtioDevice::WalkChain(Queue& q, uint16_t head, DeviceChain* chain) {
  const bool indirect_ok = (driver_features_ & kFeatureIndirectDesc) != 0;
  chain->head = head;
  chain->descriptors.clear();
  chain->buffers.clear();
  chain->readable_bytes = chain->writable_bytes = 0;
  chain->indirect = false;
  bool seen_writable = false;
  auto add_buffer = [&](uint64_t addr, uint32_t len, uint16_t flags) {
    const bool writable = (flags & s::kDescFlagWrite) != 0;
    if (!writable && seen_writable) {
      DriverError("readable descriptor after a writable one");
      return false;
    }
    seen_writable |= writable;
    uint8_t* host = memory_ ? memory_->Translate(addr, len) : nullptr;
    if (host == nullptr || len == 0) {
      DriverError("descriptor buffer outside DMA memory or empty");
      return false;
    }
    chain->buffers.push_back(DeviceBuffer{addr, len, writable, host});
    (writable ? chain->writable_bytes : chain->readable_bytes) += len;
    return true;
  };
  uint16_t d = head;
  for (uint32_t count = 0;; ++count) {
    if (d >= q.size || count >= q.size) {
      DriverError("descriptor chain index out of range or looping");
      return false;
    }
    const uint8_t* desc = q.desc_host + 16u * d;
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
    std::memcpy(&addr, desc, 8);
    std::memcpy(&len, desc + 8, 4);
    std::memcpy(&flags, desc + 12, 2);
    std::memcpy(&next, desc + 14, 2);
    chain->descriptors.push_back(d);
    if (flags & s::kDescFlagIndirect) {
      if (!indirect_ok || (flags & s::kDescFlagNext) || count != 0 || len == 0 || len % 16) {
        DriverError("malformed indirect descriptor");
        return false;
      }
      const uint32_t entries = len / 16;
      const uint8_t* table = memory_ ? memory_->Translate(addr, len) : nullptr;
      if (table == nullptr) {
        DriverError("indirect table outside DMA memory");
        return false;
      }
      chain->indirect = true;
      uint32_t i = 0;
      for (uint32_t n = 0;; ++n) {
        if (i >= entries || n >= entries) {
          DriverError("indirect chain out of range or looping");
          return false;
        }
        const uint8_t* e = table + 16u * i;
        uint64_t eaddr;
        uint32_t elen;
        uint16_t eflags, enext;
        std::memcpy(&eaddr, e, 8);
        std::memcpy(&elen, e + 8, 4);
        std::memcpy(&eflags, e + 12, 2);
        std::memcpy(&enext, e + 14, 2);
        if (eflags & s::kDescFlagIndirect) {
          DriverError("nested indirect descriptor");
          return false;
        }
        if (!add_buffer(eaddr, elen, eflags)) {
          return false;
        }
        if (!(eflags & s::kDescFlagNext)) {
          return true;
        }
        i = enext;
      }
    }
    if (!add_buffer(addr, len, flags)) {
      return false;
    }
    if (!(flags & s::kDescFlagNext)) {
      return true;
    }
    d = next;
  }
}

bool FakeVirtioDevice::PopAvail(uint16_t queue, DeviceChain* chain) {
  std::lock_guard<std::mutex> lock(mutex_);
  Queue& q = queue_ref(queue);
  if (!q.enabled) {
    return false;
  }
  const uint16_t avail_index = Load16(q.avail_host + 2);
  const uint16_t pending = static_cast<uint16_t>(avail_index - q.last_avail);
  if (pending == 0) {
    return false;
  }
  if (pending > q.size) {
    DriverError("avail.idx ran more than the queue size ahead");
    return false;
  }
  const uint16_t head = Load16(q.avail_host + 4 + 2u * (q.last_avail & (q.size - 1)));
  ++q.last_avail;
  if ((driver_features_ & kFeatureEventIdx) && !q.suppressed) {
    Store16(q.used_host + 4 + 8u * q.size, q.last_avail);  // avail_event
  }
  return WalkChain(q, head, chain);
}

bool FakeVirtioDevice::HasAvail(uint16_t queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  Queue& q = queue_ref(queue);
  return q.enabled && Load16(q.avail_host + 2) != q.last_avail;
}

void FakeVirtioDevice::SuppressNotifications(uint16_t queue, bool suppress) {
  std::lock_guard<std::mutex> lock(mutex_);
  Queue& q = queue_ref(queue);
  q.suppressed = suppress;
  if (!q.enabled) {
    return;
  }
  if (driver_features_ & kFeatureEventIdx) {
    if (!suppress) {
      Store16(q.used_host + 4 + 8u * q.size, q.last_avail);
    }
  } else {
    Store16(q.used_host, suppress ? s::kUsedFlagNoNotify : 0);
  }
  HostFullBarrier();  // publish before re-reading avail.idx
}

void FakeVirtioDevice::WriteUsedElement(Queue& q, uint16_t id, uint32_t written) {
  uint8_t* element = q.used_host + 4 + 8u * (q.used_index & (q.size - 1));
  Store32(element, id);
  Store32(element + 4, written);
  ++q.used_index;
}

void FakeVirtioDevice::Complete(uint16_t queue, const DeviceChain& chain, uint32_t written) {
  std::lock_guard<std::mutex> lock(mutex_);
  Queue& q = queue_ref(queue);
  if (!q.enabled) {
    return;  // reset meanwhile: the driver detaches these itself
  }
  const uint16_t second = chain.descriptors.size() > 1 ? chain.descriptors[1] : chain.head;
  Queue::Done done{chain.head, second, written, chain.writable_bytes};
  if (q.order == CompletionOrder::kHeld) {
    q.held.push_back(done);
    return;
  }
  if (q.order == CompletionOrder::kReversed) {
    q.pending.push_back(done);
    return;
  }
  uint16_t id = done.head;
  uint32_t len = done.written;
  switch (std::exchange(q.fault, q.fault == UsedFault::kIndexJump ? q.fault : UsedFault::kNone)) {
    case UsedFault::kIdOutOfRange:
      id = static_cast<uint16_t>(q.size + 3);
      break;
    case UsedFault::kIdNotHead:
      id = done.second;
      break;
    case UsedFault::kLengthOversized:
      len = done.writable >= 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(done.writable + 1);
      break;
    case UsedFault::kIdDuplicate:
      WriteUsedElement(q, id, len);
      break;
    default:
      break;
  }
  WriteUsedElement(q, id, len);
}

void FakeVirtioDevice::FlushUsed(uint16_t queue) {
  bool raise = false;
  uint16_t vector = s::kNoVector;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Queue& q = queue_ref(queue);
    if (!q.enabled) {
      return;
    }
    for (auto it = q.pending.rbegin(); it != q.pending.rend(); ++it) {
      WriteUsedElement(q, it->head, it->written);
    }
    q.pending.clear();
    if (q.fault == UsedFault::kIndexJump) {
      q.fault = UsedFault::kNone;
      q.used_index = static_cast<uint16_t>(q.used_index + q.size + 1);
    }
    const uint16_t old_used = q.published_used;
    const uint16_t new_used = q.used_index;
    if (old_used == new_used) {
      return;
    }
    Store16(q.used_host + 2, new_used);
    q.published_used = new_used;
    HostFullBarrier();  // used.idx before reading the driver's wishes
    if (driver_features_ & kFeatureEventIdx) {
      const uint16_t used_event = Load16(q.avail_host + 4 + 2u * q.size);
      raise = s::NeedEvent(used_event, new_used, old_used);
    } else {
      raise = (Load16(q.avail_host) & s::kAvailFlagNoInterrupt) == 0;
    }
    vector = q.msix_vector;
  }
  if (raise) {
    RaiseInterrupt(vector, s::kIsrQueue);
  }
}

void FakeVirtioDevice::ReleaseHeld(uint16_t queue, bool reversed) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Queue& q = queue_ref(queue);
    if (reversed) {
      std::reverse(q.held.begin(), q.held.end());
    }
    for (const auto& done : q.held) {
      if (q.enabled) {
        WriteUsedElement(q, done.head, done.written);
      }
    }
    q.held.clear();
  }
  FlushUsed(queue);
}

size_t FakeVirtioDevice::held(uint16_t queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_ref(queue).held.size();
}

size_t FakeVirtioDevice::ServiceQueue(uint16_t queue, const Handler& handler) {
  size_t served = 0;
  DeviceChain chain;
  while (PopAvail(queue, &chain)) {
    uint32_t written = 0;
    if (handler) {
      written = handler(chain);
    } else {
      for (auto& buffer : chain.buffers) {
        if (buffer.writable) {
          std::memset(buffer.data, 0xA5, buffer.length);
          written += buffer.length;
        }
      }
    }
    Complete(queue, chain, written);
    ++served;
  }
  FlushUsed(queue);
  return served;
}

// ---------------------------------------------------------------- events and faults

void FakeVirtioDevice::RaiseInterrupt(uint16_t vector, uint8_t isr_bits) {
  if (msix_enabled_) {
    if (vector == s::kNoVector) {
      return;  // MSI-X is exclusive: no vector, no interrupt
    }
    ++msix_messages_;
  } else {
    isr_.fetch_or(isr_bits);
    ++interrupts_;
  }
  { std::lock_guard<std::mutex> lock(event_mutex_); }
  event_cv_.notify_all();
  if (on_interrupt) {
    on_interrupt();
  }
}

uint64_t FakeVirtioDevice::WaitForNotification(uint64_t seen, int timeout_ms) {
  std::unique_lock<std::mutex> lock(event_mutex_);
  const uint64_t wake = wake_generation_;
  event_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                     [&] { return notifications_.load() > seen || wake_generation_ != wake; });
  return notifications_.load();
}

uint64_t FakeVirtioDevice::WaitForInterrupt(uint64_t seen, int timeout_ms) {
  std::unique_lock<std::mutex> lock(event_mutex_);
  const uint64_t wake = wake_generation_;
  event_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return interrupts_.load() + msix_messages_.load() > seen || wake_generation_ != wake;
  });
  return interrupts_.load() + msix_messages_.load();
}

void FakeVirtioDevice::WakeWaiters() {
  {
    std::lock_guard<std::mutex> lock(event_mutex_);
    ++wake_generation_;
  }
  event_cv_.notify_all();
}

void FakeVirtioDevice::ArmUsedFault(uint16_t queue, UsedFault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_ref(queue).fault = fault;
}

void FakeVirtioDevice::SetCompletionOrder(uint16_t queue, CompletionOrder order) {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_ref(queue).order = order;
}

void FakeVirtioDevice::TriggerNeedsReset() {
  uint16_t vector;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    status_ = static_cast<uint8_t>(status_ | s::kStatusNeedsReset);
    vector = msix_config_;
  }
  RaiseInterrupt(vector, s::kIsrConfig);
}

void FakeVirtioDevice::ChangeConfig(uint32_t offset, uint8_t value) {
  uint16_t vector;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    device_config_.at(offset) = value;
    ++generation_;
    vector = msix_config_;
  }
  RaiseInterrupt(vector, s::kIsrConfig);
}

void FakeVirtioDevice::SetQueueMaxSize(uint16_t queue, uint16_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  Queue& q = queue_ref(queue);
  q.max_size = size;
  q.size = size;
}

void FakeVirtioDevice::SetQueueNotifyOff(uint16_t queue, uint16_t notify_off) {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_ref(queue).notify_off = notify_off;
}

// ---------------------------------------------------------------- observation

FakeCounters FakeVirtioDevice::counters() const {
  return FakeCounters{mmio_reads_.load(),    mmio_writes_.load(),       pci_config_reads_.load(),
                      notifications_.load(), interrupts_.load(),        msix_messages_.load(),
                      isr_reads_.load(),     driver_error_count_.load()};
}

void FakeVirtioDevice::ResetCounters() {
  mmio_reads_ = 0;
  mmio_writes_ = 0;
  pci_config_reads_ = 0;
  notifications_ = 0;
  interrupts_ = 0;
  msix_messages_ = 0;
  isr_reads_ = 0;
}

uint64_t FakeVirtioDevice::queue_notifications(uint16_t queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_ref(queue).notifications;
}

uint8_t FakeVirtioDevice::device_status() {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

uint64_t FakeVirtioDevice::driver_features() {
  std::lock_guard<std::mutex> lock(mutex_);
  return driver_features_;
}

bool FakeVirtioDevice::queue_enabled(uint16_t queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_ref(queue).enabled;
}

uint16_t FakeVirtioDevice::queue_size(uint16_t queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_ref(queue).size;
}

uint16_t FakeVirtioDevice::queue_msix_vector(uint16_t queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_ref(queue).msix_vector;
}

uint64_t FakeVirtioDevice::queue_desc(uint16_t queue) {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_ref(queue).desc;
}

std::vector<std::string> FakeVirtioDevice::driver_error_messages() {
  std::lock_guard<std::mutex> lock(mutex_);
  return driver_errors_;
}

}  // namespace aero::virtio::testing
