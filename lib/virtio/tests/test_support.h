// Shared helpers of the virtio library tests: a fake device + platform + transport bundle, DMA
// request buffers, and a ledger that proves every request completes exactly once.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <ostream>
#include <vector>

#include "aero/virtio/features.h"
#include "aero/virtio/pci_caps.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/testing/fake_device.h"
#include "aero/virtio/testing/fake_platform.h"
#include "aero/virtio/transport.h"
#include "aero/virtio/virtqueue.h"

namespace aero::virtio {
// Lets GoogleTest print statuses by name.
inline void PrintTo(Status status, std::ostream* os) {
  *os << StatusText(status);
}
}  // namespace aero::virtio

namespace aero::virtio::testing {

FakeDeviceOptions QemuOptions(uint64_t extra_features = 0, uint16_t num_queues = 2);
FakeDeviceOptions AeroOptions(uint64_t extra_features = 0, uint16_t num_queues = 2);

// One fake device with its platform and a transport driving it.
class Harness {
 public:
  explicit Harness(const FakeDeviceOptions& options);
  ~Harness();

  Status Parse();  // standard policy for QEMU, aero-strict for Aero
  // Parse, Init, BeginInit, NegotiateFeatures(supported), SetupQueue for `queues`, DriverOk.
  Status BringUp(uint64_t supported, uint16_t queue_count, uint16_t preferred_size = 64);

  FakeVirtioDevice device;
  FakePlatform platform;
  FakeLock lock;
  ModernTransport transport;
  VirtioPciLayout layout{};
  CapDiagnostic diagnostic{};
  AeroStrictExpectations expectations{};
  SplitVirtqueue queues[4];
  bool aero = false;
};

// DMA buffers of one block-style request: 16-byte header (readable), data (writable), 1-byte
// status (writable).
struct Request {
  DmaBuffer header{};
  DmaBuffer data{};
  DmaBuffer status{};
  Segment segments[3]{};
};

class RequestPool {
 public:
  RequestPool(FakePlatform& platform, size_t count, uint32_t data_bytes = 512);
  ~RequestPool();
  Request& operator[](size_t i) { return requests_[i]; }
  size_t size() const { return requests_.size(); }
  void* cookie(size_t i) { return &requests_[i]; }

 private:
  FakePlatform& platform_;
  std::vector<Request> requests_;
};

// Counts completions per cookie; Check() proves "each exactly once" for a set of cookies.
class CompletionLedger {
 public:
  void Record(const Completion& completion);
  static void Callback(void* context, const Completion& completion);
  int count(void* cookie) const;
  size_t total() const { return total_; }
  size_t done() const { return done_; }
  size_t detached() const { return detached_; }
  ::testing::AssertionResult EachExactlyOnce(const std::vector<void*>& cookies) const;

 private:
  std::map<void*, int> counts_;
  size_t total_ = 0;
  size_t done_ = 0;
  size_t detached_ = 0;
};

// Harvests everything currently completed into the ledger; returns how many.
size_t HarvestAll(SplitVirtqueue& queue, CompletionLedger& ledger);

}  // namespace aero::virtio::testing
