#include "test_support.h"

namespace aero::virtio::testing {

FakeDeviceOptions QemuOptions(uint64_t extra_features, uint16_t num_queues) {
  FakeDeviceOptions options;
  options.layout = FakeLayout::kQemuBar4;
  options.features = kFeatureVersion1 | kFeatureIndirectDesc | extra_features;
  options.num_queues = num_queues;
  options.queue_max_size = 256;
  return options;
}

FakeDeviceOptions AeroOptions(uint64_t extra_features, uint16_t num_queues) {
  FakeDeviceOptions options;
  options.layout = FakeLayout::kAeroBar0;
  options.device_id = 0x1042;
  options.subsystem_id = 0x0002;
  options.features = kFeatureVersion1 | kFeatureIndirectDesc | extra_features;
  options.num_queues = num_queues;
  options.queue_max_size = 128;
  return options;
}

Harness::Harness(const FakeDeviceOptions& options)
    : device(options), platform(&device), aero(options.layout == FakeLayout::kAeroBar0) {
  expectations = device.AeroExpectations();
}

Harness::~Harness() {
  if (transport.layout().common.present) {
    transport.Teardown(nullptr, nullptr);
  }
}

Status Harness::Parse() {
  CapParseOptions options{aero ? CapPolicy::kAeroStrict : CapPolicy::kStandard, &expectations};
  return ParseVirtioPciCaps(platform, device.bars(), options, &layout, &diagnostic);
}

Status Harness::BringUp(uint64_t supported, uint16_t queue_count, uint16_t preferred_size) {
  Status status = Parse();
  if (status != Status::kOk)
    return status;
  status = transport.Init(&platform, layout, device.bars(), &lock);
  if (status != Status::kOk)
    return status;
  status = transport.BeginInit();
  if (status != Status::kOk)
    return status;
  uint64_t negotiated = 0;
  status = transport.NegotiateFeatures(FeatureRequest{0, supported, 0}, &negotiated);
  if (status != Status::kOk)
    return status;
  for (uint16_t q = 0; q < queue_count; ++q) {
    QueueConfig config{q, 0, preferred_size, spec::kNoVector};
    status = transport.SetupQueue(config, &queues[q]);
    if (status != Status::kOk)
      return status;
  }
  return transport.DriverOk();
}

RequestPool::RequestPool(FakePlatform& platform, size_t count, uint32_t data_bytes)
    : platform_(platform), requests_(count) {
  for (Request& r : requests_) {
    EXPECT_TRUE(platform_.AllocateDma(16, 16, &r.header));
    EXPECT_TRUE(platform_.AllocateDma(data_bytes, 16, &r.data));
    EXPECT_TRUE(platform_.AllocateDma(1, 1, &r.status));
    r.segments[0] = Segment{r.header.phys, 16, false};
    r.segments[1] = Segment{r.data.phys, data_bytes, true};
    r.segments[2] = Segment{r.status.phys, 1, true};
  }
}

RequestPool::~RequestPool() {
  for (Request& r : requests_) {
    platform_.FreeDma(r.header);
    platform_.FreeDma(r.data);
    platform_.FreeDma(r.status);
  }
}

void CompletionLedger::Record(const Completion& completion) {
  ++counts_[completion.cookie];
  ++total_;
  (completion.status == CompletionStatus::kDone ? done_ : detached_)++;
}

void CompletionLedger::Callback(void* context, const Completion& completion) {
  static_cast<CompletionLedger*>(context)->Record(completion);
}

int CompletionLedger::count(void* cookie) const {
  auto it = counts_.find(cookie);
  return it == counts_.end() ? 0 : it->second;
}

::testing::AssertionResult CompletionLedger::EachExactlyOnce(
    const std::vector<void*>& cookies) const {
  for (void* cookie : cookies) {
    if (count(cookie) != 1) {
      return ::testing::AssertionFailure()
             << "cookie " << cookie << " completed " << count(cookie) << " times";
    }
  }
  if (total_ != cookies.size()) {
    return ::testing::AssertionFailure()
           << total_ << " completions for " << cookies.size() << " requests";
  }
  return ::testing::AssertionSuccess();
}

size_t HarvestAll(SplitVirtqueue& queue, CompletionLedger& ledger) {
  Completion completions[16];
  size_t total = 0;
  for (;;) {
    const size_t n = queue.Harvest(completions, 16);
    for (size_t i = 0; i < n; ++i) {
      ledger.Record(completions[i]);
    }
    total += n;
    if (n < 16) {
      return total;
    }
  }
}

}  // namespace aero::virtio::testing
