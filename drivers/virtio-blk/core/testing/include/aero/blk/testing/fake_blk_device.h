// A virtio-blk device model for host tests, built on lib/virtio's FakeVirtioDevice: a disk image
// in memory served through the fake's ring API (IN, OUT, FLUSH, GET_ID), the device
// configuration (capacity, size_max, seg_max, blk_size, topology), 512- and 4096-byte logical
// blocks, error injection (IOERR/UNSUPP, malformed status or used length) and resize with a
// configuration-change interrupt. It checks the driver's side of the contract (header, status
// byte, data sizes and segment counts) and records every violation.
//
// Requests are served when the driver rings the doorbell (auto service, the default) or when the
// test calls Service(). Single-threaded; pair it with a FakePlatform(&device()).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aero/virtio/testing/fake_device.h"

namespace aero::blk::testing {

struct FakeBlkOptions {
  virtio::testing::FakeLayout layout = virtio::testing::FakeLayout::kAeroBar0;
  uint64_t features = 0;             // 0: VERSION_1 | INDIRECT_DESC | SEG_MAX | BLK_SIZE | FLUSH
  uint16_t queue_max_size = 128;     // the contract's requestq size (QEMU: 256)
  uint64_t capacity_sectors = 2048;  // 1 MiB
  uint32_t block_size = 512;         // config blk_size (4096: a 4Kn disk)
  uint32_t seg_max = 126;
  uint32_t size_max = 0;
  uint8_t physical_block_exp = 0;
  uint8_t alignment_offset = 0;
  uint16_t min_io_size = 0;
  uint32_t opt_io_size = 0;
  bool get_id_supported = true;
  std::string serial = "AERO-BLK-0001";
  bool auto_service = true;
};

// One served request, as the device saw it.
struct BlkRequestRecord {
  uint32_t type;
  uint64_t sector;
  uint32_t data_bytes;
  uint32_t data_descriptors;
  uint8_t status;
  bool indirect;
};

class FakeBlkDevice {
 public:
  static uint64_t DefaultFeatures();

  explicit FakeBlkDevice(const FakeBlkOptions& options = {});
  FakeBlkDevice(const FakeBlkDevice&) = delete;
  FakeBlkDevice& operator=(const FakeBlkDevice&) = delete;

  virtio::testing::FakeVirtioDevice& device() { return device_; }
  std::vector<uint8_t>& disk() { return disk_; }
  const FakeBlkOptions& options() const { return options_; }

  // Serves every available request of queue 0, then publishes the used ring once.
  size_t Service();
  void SetAutoService(bool on) { auto_service_ = on; }

  // ---- Fault injection. ----
  // Requests touching [first, first + count) sectors end with `status` (IOERR, UNSUPP, ...).
  void FailSectors(uint64_t first, uint64_t count, uint8_t status);
  // The next `times` requests of `type` end with `status`.
  void FailNext(uint32_t type, uint8_t status, int times = 1);
  // The next request gets this raw status byte (e.g. 7, which no device may send).
  void CorruptNextStatus(uint8_t raw);
  // The next request reports one byte less in used.len than it wrote.
  void ShortenNextWritten();
  void SetGetIdSupported(bool supported) { options_.get_id_supported = supported; }
  // Forgets every armed injection above.
  void ClearFaults();
  // Changes the capacity (config generation + configuration-change interrupt). The image grows
  // or shrinks with it.
  void Resize(uint64_t capacity_sectors);

  // ---- Observation. ----
  const std::vector<BlkRequestRecord>& log() const { return log_; }
  void ClearLog() { log_.clear(); }
  uint64_t served(uint32_t type) const;
  const std::vector<std::string>& protocol_errors() const { return protocol_errors_; }
  uint64_t out_of_range() const { return out_of_range_; }

 private:
  struct Injection {
    uint32_t type;
    uint8_t status;
    int remaining;
  };

  void WriteConfig();
  uint32_t Handle(virtio::testing::DeviceChain& chain);
  void ProtocolError(const std::string& message);
  uint8_t Injected(uint32_t type, uint64_t sector, uint64_t sectors);

  FakeBlkOptions options_;
  virtio::testing::FakeVirtioDevice device_;
  std::vector<uint8_t> disk_;
  std::vector<BlkRequestRecord> log_;
  std::vector<std::string> protocol_errors_;
  std::vector<Injection> injections_;
  uint64_t fail_first_ = 0;
  uint64_t fail_count_ = 0;
  uint8_t fail_status_ = 0;
  int corrupt_status_ = -1;
  bool shorten_written_ = false;
  bool auto_service_ = true;
  uint64_t out_of_range_ = 0;
};

}  // namespace aero::blk::testing
