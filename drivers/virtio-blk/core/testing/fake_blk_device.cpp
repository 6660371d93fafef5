#include "aero/blk/testing/fake_blk_device.h"

#include <algorithm>
#include <cstring>

#include "aero/blk/blk_spec.h"
#include "aero/contract/aero_contract.h"
#include "aero/virtio/features.h"

namespace aero::blk::testing {
namespace {

namespace bs = aero::blk::spec;
using virtio::testing::DeviceBuffer;
using virtio::testing::DeviceChain;
using virtio::testing::FakeDeviceOptions;
using virtio::testing::FakeLayout;

constexpr uint32_t kDeviceConfigBytes = 0x100;

FakeDeviceOptions MakeDeviceOptions(const FakeBlkOptions& options) {
  FakeDeviceOptions device;
  device.layout = options.layout;
  device.device_id = aero::contract::virtio_blk::kDeviceId;
  // QEMU 7.2's modern-only devices report subsystem 1AF4:1100.
  device.subsystem_id =
      options.layout == FakeLayout::kAeroBar0 ? aero::contract::virtio_blk::kSubsystemId : 0x1100;
  device.features = options.features != 0 ? options.features : FakeBlkDevice::DefaultFeatures();
  device.num_queues = 1;
  device.queue_max_size = options.queue_max_size;
  device.device_config_size = kDeviceConfigBytes;
  return device;
}

void PutLe(std::vector<uint8_t>& config, uint32_t offset, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    config.at(offset + i) = static_cast<uint8_t>(value >> (8 * i));
  }
}

uint64_t GetLe(const uint8_t* p, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= uint64_t{p[i]} << (8 * i);
  }
  return value;
}

// A byte stream over a run of device buffers (the readable or the writable part of a chain).
class Stream {
 public:
  explicit Stream(std::vector<DeviceBuffer*> buffers) : buffers_(std::move(buffers)) {}
  uint64_t size() const {
    uint64_t total = 0;
    for (const auto* b : buffers_)
      total += b->length;
    return total;
  }
  void Read(uint64_t offset, uint8_t* out, uint64_t length) const {
    Walk(offset, out, length, false);
  }
  void Write(uint64_t offset, const uint8_t* in, uint64_t length) {
    Walk(offset, const_cast<uint8_t*>(in), length, true);
  }
  size_t count() const { return buffers_.size(); }

 private:
  void Walk(uint64_t offset, uint8_t* bytes, uint64_t length, bool to_buffers) const {
    for (const auto* b : buffers_) {
      if (length == 0)
        return;
      if (offset >= b->length) {
        offset -= b->length;
        continue;
      }
      const uint64_t n = std::min<uint64_t>(b->length - offset, length);
      if (to_buffers) {
        std::memcpy(b->data + offset, bytes, n);
      } else {
        std::memcpy(bytes, b->data + offset, n);
      }
      bytes += n;
      length -= n;
      offset = 0;
    }
  }
  std::vector<DeviceBuffer*> buffers_;
};

}  // namespace

uint64_t FakeBlkDevice::DefaultFeatures() {
  return virtio::kFeatureVersion1 | virtio::kFeatureIndirectDesc | bs::kFeatureSegMax |
         bs::kFeatureBlkSize | bs::kFeatureFlush;
}

FakeBlkDevice::FakeBlkDevice(const FakeBlkOptions& options)
    : options_(options), device_(MakeDeviceOptions(options)), auto_service_(options.auto_service) {
  disk_.assign(options_.capacity_sectors * bs::kSectorSize, 0);
  WriteConfig();
  device_.on_notify = [this](uint16_t queue) {
    if (auto_service_ && queue == 0) {
      Service();
    }
  };
}

void FakeBlkDevice::WriteConfig() {
  auto& config = device_.device_config();
  std::fill(config.begin(), config.end(), 0);
  PutLe(config, bs::kConfigCapacity, options_.capacity_sectors, 8);
  PutLe(config, bs::kConfigSizeMax, options_.size_max, 4);
  PutLe(config, bs::kConfigSegMax, options_.seg_max, 4);
  PutLe(config, bs::kConfigBlkSize, options_.block_size, 4);
  PutLe(config, bs::kConfigPhysicalBlockExp, options_.physical_block_exp, 1);
  PutLe(config, bs::kConfigAlignmentOffset, options_.alignment_offset, 1);
  PutLe(config, bs::kConfigMinIoSize, options_.min_io_size, 2);
  PutLe(config, bs::kConfigOptIoSize, options_.opt_io_size, 4);
}

void FakeBlkDevice::Resize(uint64_t capacity_sectors) {
  options_.capacity_sectors = capacity_sectors;
  disk_.resize(capacity_sectors * bs::kSectorSize, 0);
  auto& config = device_.device_config();
  for (int i = 0; i < 7; ++i) {
    config[bs::kConfigCapacity + i] = static_cast<uint8_t>(capacity_sectors >> (8 * i));
  }
  // The last byte goes through ChangeConfig: generation++ and the config interrupt.
  device_.ChangeConfig(bs::kConfigCapacity + 7, static_cast<uint8_t>(capacity_sectors >> 56));
}

void FakeBlkDevice::FailSectors(uint64_t first, uint64_t count, uint8_t status) {
  fail_first_ = first;
  fail_count_ = count;
  fail_status_ = status;
}

void FakeBlkDevice::FailNext(uint32_t type, uint8_t status, int times) {
  injections_.push_back(Injection{type, status, times});
}

void FakeBlkDevice::CorruptNextStatus(uint8_t raw) {
  corrupt_status_ = raw;
}

void FakeBlkDevice::ClearFaults() {
  injections_.clear();
  fail_count_ = 0;
  corrupt_status_ = -1;
  shorten_written_ = false;
}

void FakeBlkDevice::ShortenNextWritten() {
  shorten_written_ = true;
}

uint64_t FakeBlkDevice::served(uint32_t type) const {
  return static_cast<uint64_t>(std::count_if(
      log_.begin(), log_.end(), [type](const BlkRequestRecord& r) { return r.type == type; }));
}

void FakeBlkDevice::ProtocolError(const std::string& message) {
  protocol_errors_.push_back(message);
}

uint8_t FakeBlkDevice::Injected(uint32_t type, uint64_t sector, uint64_t sectors) {
  for (auto it = injections_.begin(); it != injections_.end(); ++it) {
    if (it->type == type) {
      const uint8_t status = it->status;
      if (--it->remaining <= 0) {
        injections_.erase(it);
      }
      return status;
    }
  }
  if (fail_count_ != 0 && sectors != 0 && sector < fail_first_ + fail_count_ &&
      fail_first_ < sector + sectors) {
    return fail_status_;
  }
  return bs::kStatusOk;
}

size_t FakeBlkDevice::Service() {
  size_t served_now = 0;
  DeviceChain chain;
  while (device_.PopAvail(0, &chain)) {
    const uint32_t written = Handle(chain);
    device_.Complete(0, chain, written);
    ++served_now;
  }
  device_.FlushUsed(0);
  return served_now;
}

uint32_t FakeBlkDevice::Handle(DeviceChain& chain) {
  std::vector<DeviceBuffer*> readable;
  std::vector<DeviceBuffer*> writable;
  for (auto& buffer : chain.buffers) {
    (buffer.writable ? writable : readable).push_back(&buffer);
  }
  Stream in(readable);
  Stream out(writable);
  if (in.size() < bs::kRequestHeaderBytes || out.size() == 0) {
    ProtocolError("request without a 16-byte header or a status byte");
    return 0;
  }
  uint8_t header[bs::kRequestHeaderBytes];
  in.Read(0, header, sizeof(header));
  BlkRequestRecord record{};
  record.type = static_cast<uint32_t>(GetLe(header, 4));
  record.sector = GetLe(header + 8, 8);
  record.indirect = chain.indirect;
  // Data descriptors: everything but the header and the status descriptors.
  record.data_descriptors =
      static_cast<uint32_t>(chain.buffers.size() >= 2 ? chain.buffers.size() - 2 : 0);
  const uint64_t status_offset = out.size() - 1;
  uint32_t written = 1;
  uint8_t status = bs::kStatusOk;

  auto check_data = [&](uint64_t bytes) {
    record.data_bytes = static_cast<uint32_t>(bytes);
    if (bytes == 0 || bytes % bs::kSectorSize != 0) {
      ProtocolError("data of " + std::to_string(bytes) + " bytes is not a multiple of 512");
      return false;
    }
    if (record.data_descriptors > std::max<uint32_t>(options_.seg_max, 1)) {
      ProtocolError(std::to_string(record.data_descriptors) + " data descriptors exceed seg_max");
      return false;
    }
    for (size_t i = 1; i + 1 < chain.buffers.size(); ++i) {
      if (options_.size_max != 0 && chain.buffers[i].length > options_.size_max) {
        ProtocolError("a data descriptor exceeds size_max");
        return false;
      }
    }
    const uint64_t sectors = bytes / bs::kSectorSize;
    if ((record.sector * bs::kSectorSize) % options_.block_size != 0 ||
        bytes % options_.block_size != 0) {
      ProtocolError("transfer not aligned to the logical block size");
      return false;
    }
    if (record.sector > options_.capacity_sectors ||
        sectors > options_.capacity_sectors - record.sector) {
      ++out_of_range_;
      return false;
    }
    return true;
  };

  switch (record.type) {
    case bs::kTypeIn: {
      if (in.size() != bs::kRequestHeaderBytes) {
        ProtocolError("IN request with readable data");
      }
      const uint64_t bytes = status_offset;
      if (!check_data(bytes)) {
        status = bs::kStatusIoError;
        break;
      }
      status = Injected(record.type, record.sector, bytes / bs::kSectorSize);
      if (status == bs::kStatusOk) {
        out.Write(0, disk_.data() + record.sector * bs::kSectorSize, bytes);
        written = static_cast<uint32_t>(bytes + 1);
      }
      break;
    }
    case bs::kTypeOut: {
      if (status_offset != 0) {
        ProtocolError("OUT request with writable data");
      }
      const uint64_t bytes = in.size() - bs::kRequestHeaderBytes;
      if (!check_data(bytes)) {
        status = bs::kStatusIoError;
        break;
      }
      if (options_.features & bs::kFeatureReadOnly) {
        ProtocolError("OUT request to a read-only device");
        status = bs::kStatusIoError;
        break;
      }
      status = Injected(record.type, record.sector, bytes / bs::kSectorSize);
      if (status == bs::kStatusOk) {
        in.Read(bs::kRequestHeaderBytes, disk_.data() + record.sector * bs::kSectorSize, bytes);
      }
      break;
    }
    case bs::kTypeFlush: {
      const uint64_t features = options_.features != 0 ? options_.features : DefaultFeatures();
      if (in.size() != bs::kRequestHeaderBytes || status_offset != 0) {
        ProtocolError("FLUSH request with data");
      }
      status = (features & bs::kFeatureFlush) == 0 ? bs::kStatusUnsupported
                                                   : Injected(record.type, 0, 0);
      break;
    }
    case bs::kTypeGetId: {
      if (!options_.get_id_supported) {
        status = bs::kStatusUnsupported;
        break;
      }
      status = Injected(record.type, 0, 0);
      if (status == bs::kStatusOk) {
        uint8_t id[bs::kIdBytes] = {};
        std::memcpy(id, options_.serial.data(),
                    std::min<size_t>(options_.serial.size(), sizeof(id)));
        const uint64_t n = std::min<uint64_t>(status_offset, sizeof(id));
        out.Write(0, id, n);
        written = static_cast<uint32_t>(n + 1);
      }
      break;
    }
    default:
      status = bs::kStatusUnsupported;
      break;
  }
  if (corrupt_status_ >= 0) {
    status = static_cast<uint8_t>(corrupt_status_);
    corrupt_status_ = -1;
  }
  out.Write(status_offset, &status, 1);
  record.status = status;
  log_.push_back(record);
  if (shorten_written_) {
    shorten_written_ = false;
    --written;
  }
  return written;
}

}  // namespace aero::blk::testing
