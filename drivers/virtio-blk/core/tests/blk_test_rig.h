// Shared helpers of the virtio-blk core tests, fuzzer and benchmark: a fake virtio-blk device with
// its platform and a ScsiDisk on top, CDB builders, DMA data buffers, and a completion log that
// proves every request completes exactly once. No GoogleTest dependency (the fuzzer and the
// benchmark link it too).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aero/blk/scsi_disk.h"
#include "aero/blk/testing/fake_blk_device.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/testing/fake_platform.h"

namespace aero::blk::testing {

struct RigOptions {
  FakeBlkOptions device;
  uint16_t queue_size = 0;  // the contract's
  uint16_t max_requests = 32;
  uint16_t max_data_descriptors = 64;
  uint32_t max_transfer_bytes = 0;
  uint64_t refused_features = 0;
  bool polled = false;
  bool fetch_serial = true;
};

// Every completion, by cookie.
class CompletionLog {
 public:
  static void Callback(void* context, const ScsiCompletion& completion);
  void Record(const ScsiCompletion& completion);
  int count(void* cookie) const;
  const ScsiCompletion& last(void* cookie) const;
  size_t total() const { return total_; }
  // True when each cookie completed exactly once (and nothing else did); `why` says otherwise.
  bool EachExactlyOnce(const std::vector<void*>& cookies, std::string* why) const;
  void Clear();

 private:
  std::map<void*, std::vector<ScsiCompletion>> completions_;
  size_t total_ = 0;
};

// DMA memory the fake device can reach, described as physical segments of at most `piece` bytes.
struct IoBuffer {
  virtio::DmaBuffer dma{};
  std::vector<PhysicalSegment> segments;
  uint8_t* bytes() const { return static_cast<uint8_t*>(dma.virt); }
};

class BlkRig {
 public:
  explicit BlkRig(const RigOptions& options = {});
  ~BlkRig();
  BlkRig(const BlkRig&) = delete;
  BlkRig& operator=(const BlkRig&) = delete;

  DiskConfig MakeConfig();
  Status Init();

  // A command whose data (if any) goes through a host buffer of `buffer_length` bytes.
  ScsiCompletion Command(const std::vector<uint8_t>& cdb, std::vector<uint8_t>* data = nullptr,
                         uint32_t buffer_length = 512, void* cookie = nullptr);
  // A READ/WRITE/SYNC through `buffer` (may be null for no data).
  ScsiCompletion SubmitIo(const std::vector<uint8_t>& cdb, IoBuffer* buffer, void* cookie);
  // Submit, then (auto service) deliver the interrupt and return the completion.
  ScsiCompletion RunIo(const std::vector<uint8_t>& cdb, IoBuffer* buffer);
  IoBuffer* NewBuffer(size_t bytes, size_t piece = 4096);

  // The interrupt path: ISR read + ProcessInterrupt into `log`. Returns completions delivered.
  size_t Interrupt();

  RigOptions options;
  FakeBlkDevice blk;
  virtio::testing::FakePlatform platform;
  ScsiDisk disk;
  CompletionLog log;

 private:
  std::vector<std::unique_ptr<IoBuffer>> buffers_;
  bool initialized_ = false;
};

// CDB builders (big-endian fields, control byte 0).
std::vector<uint8_t> Cdb6(uint8_t opcode, uint32_t lba, uint8_t length, uint8_t byte1 = 0);
std::vector<uint8_t> Cdb10(uint8_t opcode, uint32_t lba, uint16_t length, uint8_t byte1 = 0);
std::vector<uint8_t> Cdb12(uint8_t opcode, uint32_t lba, uint32_t length, uint8_t byte1 = 0);
std::vector<uint8_t> Cdb16(uint8_t opcode, uint64_t lba, uint32_t length, uint8_t byte1 = 0);
std::vector<uint8_t> InquiryCdb(bool evpd, uint8_t page, uint16_t allocation);
std::vector<uint8_t> ModeSense6Cdb(uint8_t page, uint8_t allocation, uint8_t page_control = 0,
                                   bool dbd = false);
std::vector<uint8_t> ModeSense10Cdb(uint8_t page, uint16_t allocation, bool llbaa,
                                    bool dbd = false);
std::vector<uint8_t> ReadCapacity16Cdb(uint32_t allocation);
std::vector<uint8_t> ReportLunsCdb(uint32_t allocation, uint8_t select = 0);

}  // namespace aero::blk::testing
