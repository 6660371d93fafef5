#include "blk_test_rig.h"

#include <cstring>

#include "aero/blk/scsi_spec.h"
#include "aero/blk/testing/cdb_encode.h"

namespace aero::blk::testing {

// ---------------------------------------------------------------- CompletionLog

void CompletionLog::Callback(void* context, const ScsiCompletion& completion) {
  static_cast<CompletionLog*>(context)->Record(completion);
}

void CompletionLog::Record(const ScsiCompletion& completion) {
  completions_[completion.cookie].push_back(completion);
  ++total_;
}

int CompletionLog::count(void* cookie) const {
  auto it = completions_.find(cookie);
  return it == completions_.end() ? 0 : static_cast<int>(it->second.size());
}

const ScsiCompletion& CompletionLog::last(void* cookie) const {
  static const ScsiCompletion kNone{};
  auto it = completions_.find(cookie);
  return it == completions_.end() ? kNone : it->second.back();
}

bool CompletionLog::EachExactlyOnce(const std::vector<void*>& cookies, std::string* why) const {
  size_t expected_total = 0;
  for (void* cookie : cookies) {
    const int n = count(cookie);
    if (n != 1) {
      *why = "cookie " + std::to_string(reinterpret_cast<uintptr_t>(cookie)) + " completed " +
             std::to_string(n) + " times";
      return false;
    }
    ++expected_total;
  }
  if (total_ != expected_total) {
    *why =
        std::to_string(total_) + " completions for " + std::to_string(expected_total) + " requests";
    return false;
  }
  return true;
}

void CompletionLog::Clear() {
  completions_.clear();
  total_ = 0;
}

// ---------------------------------------------------------------- BlkRig

BlkRig::BlkRig(const RigOptions& rig_options)
    : options(rig_options), blk(rig_options.device), platform(&blk.device()) {}

BlkRig::~BlkRig() {
  if (initialized_) {
    disk.Shutdown(CompletionLog::Callback, &log);
  }
  for (auto& buffer : buffers_) {
    platform.FreeDma(buffer->dma);
  }
}

DiskConfig BlkRig::MakeConfig() {
  DiskConfig config{};
  EngineConfig& engine = config.engine;
  engine.platform = &platform;
  for (int i = 0; i < virtio::kPciBarCount; ++i) {
    engine.bars[i] = blk.device().bars()[i];
  }
  engine.selector_lock = nullptr;
  engine.queue_size = options.queue_size;
  engine.max_requests = options.max_requests;
  engine.max_data_descriptors = options.max_data_descriptors;
  engine.max_transfer_bytes = options.max_transfer_bytes;
  engine.config_msix_vector = virtio::spec::kNoVector;
  engine.queue_msix_vector = virtio::spec::kNoVector;
  engine.refused_features = options.refused_features;
  engine.polled = options.polled;
  engine.fetch_serial = options.fetch_serial;
  return config;
}

Status BlkRig::Init() {
  const Status status = disk.Initialize(MakeConfig());
  initialized_ = status == Status::kOk;
  return status;
}

ScsiCompletion BlkRig::Command(const std::vector<uint8_t>& cdb, std::vector<uint8_t>* data,
                               uint32_t buffer_length, void* cookie) {
  std::vector<uint8_t> scratch;
  std::vector<uint8_t>& buffer = data != nullptr ? *data : scratch;
  buffer.assign(buffer_length, 0xEE);
  ScsiRequest request{};
  request.cdb = cdb.data();
  request.cdb_length = static_cast<uint32_t>(cdb.size());
  request.data.host = buffer_length != 0 ? buffer.data() : nullptr;
  request.data.length = buffer_length;
  request.cookie = cookie;
  ScsiCompletion completion = disk.Submit(request);
  if (completion.status == HostStatus::kSuccess) {
    buffer.resize(completion.transferred);
  }
  return completion;
}

IoBuffer* BlkRig::NewBuffer(size_t bytes, size_t piece) {
  auto buffer = std::make_unique<IoBuffer>();
  if (!platform.AllocateDma(bytes == 0 ? 1 : bytes, 4096, &buffer->dma)) {
    return nullptr;
  }
  for (size_t offset = 0; offset < bytes; offset += piece) {
    const size_t length = bytes - offset < piece ? bytes - offset : piece;
    buffer->segments.push_back(
        PhysicalSegment{buffer->dma.phys + offset, static_cast<uint32_t>(length)});
  }
  buffers_.push_back(std::move(buffer));
  return buffers_.back().get();
}

ScsiCompletion BlkRig::SubmitIo(const std::vector<uint8_t>& cdb, IoBuffer* buffer, void* cookie) {
  ScsiRequest request{};
  request.cdb = cdb.data();
  request.cdb_length = static_cast<uint32_t>(cdb.size());
  if (buffer != nullptr) {
    request.data.host = buffer->dma.virt;
    request.data.length = static_cast<uint32_t>(buffer->dma.size);
    request.data.segments = buffer->segments.data();
    request.data.segment_count = static_cast<uint32_t>(buffer->segments.size());
  }
  request.cookie = cookie;
  return disk.Submit(request);
}

ScsiCompletion BlkRig::RunIo(const std::vector<uint8_t>& cdb, IoBuffer* buffer) {
  static int marker;
  void* cookie = &marker;
  log.Clear();
  const ScsiCompletion submitted = SubmitIo(cdb, buffer, cookie);
  if (submitted.status != HostStatus::kPending) {
    return submitted;
  }
  for (int i = 0; i < 4 && log.count(cookie) == 0; ++i) {
    blk.Service();
    Interrupt();
    disk.Poll(CompletionLog::Callback, &log);
  }
  return log.last(cookie);
}

size_t BlkRig::Interrupt() {
  const uint8_t isr = disk.ReadInterruptStatus();
  return disk.ProcessInterrupt(isr, CompletionLog::Callback, &log);
}

// ---------------------------------------------------------------- CDB builders

namespace {
void Be(std::vector<uint8_t>& cdb, size_t at, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    cdb[at + i] = static_cast<uint8_t>(value >> (8 * (bytes - 1 - i)));
  }
}
}  // namespace

std::vector<uint8_t> Cdb6(uint8_t opcode, uint32_t lba, uint8_t length, uint8_t byte1) {
  std::vector<uint8_t> cdb(6, 0);
  EncodeCdb6(cdb.data(), opcode, lba, length, byte1);
  return cdb;
}

std::vector<uint8_t> Cdb10(uint8_t opcode, uint32_t lba, uint16_t length, uint8_t byte1) {
  std::vector<uint8_t> cdb(10, 0);
  EncodeCdb10(cdb.data(), opcode, lba, length, byte1);
  return cdb;
}

std::vector<uint8_t> Cdb12(uint8_t opcode, uint32_t lba, uint32_t length, uint8_t byte1) {
  std::vector<uint8_t> cdb(12, 0);
  EncodeCdb12(cdb.data(), opcode, lba, length, byte1);
  return cdb;
}

std::vector<uint8_t> Cdb16(uint8_t opcode, uint64_t lba, uint32_t length, uint8_t byte1) {
  std::vector<uint8_t> cdb(16, 0);
  EncodeCdb16(cdb.data(), opcode, lba, length, byte1);
  return cdb;
}

std::vector<uint8_t> InquiryCdb(bool evpd, uint8_t page, uint16_t allocation) {
  std::vector<uint8_t> cdb(6, 0);
  cdb[0] = scsi::kOpInquiry;
  cdb[1] = evpd ? 1 : 0;
  cdb[2] = page;
  Be(cdb, 3, allocation, 2);
  return cdb;
}

std::vector<uint8_t> ModeSense6Cdb(uint8_t page, uint8_t allocation, uint8_t page_control,
                                   bool dbd) {
  std::vector<uint8_t> cdb(6, 0);
  cdb[0] = scsi::kOpModeSense6;
  cdb[1] = dbd ? 0x08 : 0;
  cdb[2] = static_cast<uint8_t>((page_control << 6) | page);
  cdb[4] = allocation;
  return cdb;
}

std::vector<uint8_t> ModeSense10Cdb(uint8_t page, uint16_t allocation, bool llbaa, bool dbd) {
  std::vector<uint8_t> cdb(10, 0);
  cdb[0] = scsi::kOpModeSense10;
  cdb[1] = static_cast<uint8_t>((llbaa ? 0x10 : 0) | (dbd ? 0x08 : 0));
  cdb[2] = page;
  Be(cdb, 7, allocation, 2);
  return cdb;
}

std::vector<uint8_t> ReadCapacity16Cdb(uint32_t allocation) {
  std::vector<uint8_t> cdb(16, 0);
  cdb[0] = scsi::kOpServiceActionIn16;
  cdb[1] = scsi::kServiceActionReadCapacity16;
  Be(cdb, 10, allocation, 4);
  return cdb;
}

std::vector<uint8_t> ReportLunsCdb(uint32_t allocation, uint8_t select) {
  std::vector<uint8_t> cdb(12, 0);
  cdb[0] = scsi::kOpReportLuns;
  cdb[2] = select;
  Be(cdb, 6, allocation, 4);
  return cdb;
}

}  // namespace aero::blk::testing
