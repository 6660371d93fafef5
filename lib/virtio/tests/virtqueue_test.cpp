// Split virtqueue: descriptors, chains, indirect tables, batching, notification and interrupt
// suppression (flags and EVENT_IDX), completion order, index wraparound, detach.
#include <cstring>

#include "test_support.h"

namespace aero::virtio::testing {
namespace {

// Parameter: whether EVENT_IDX is offered and negotiated.
class VirtqueueTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    const uint64_t extra = GetParam() ? kFeatureEventIdx : 0;
    h_ = std::make_unique<Harness>(QemuOptions(extra, 1));
    ASSERT_EQ(h_->BringUp(kFeatureIndirectDesc | kFeatureEventIdx, 1, 16), Status::kOk);
    vq_ = &h_->queues[0];
  }
  void TearDown() override {
    EXPECT_EQ(h_->device.counters().driver_errors, 0u)
        << (h_->device.driver_error_messages().empty() ? ""
                                                       : h_->device.driver_error_messages()[0]);
  }
  std::unique_ptr<Harness> h_;
  SplitVirtqueue* vq_ = nullptr;
};

TEST_P(VirtqueueTest, RoundTripReturnsCookieAndWrittenLength) {
  RequestPool pool(h_->platform, 1);
  ASSERT_EQ(vq_->Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  EXPECT_EQ(vq_->free_descriptors(), 13);
  EXPECT_EQ(vq_->in_flight(), 1);
  EXPECT_TRUE(vq_->Kick());
  std::vector<DeviceBuffer> seen;
  h_->device.ServiceQueue(0, [&](DeviceChain& chain) {
    seen = chain.buffers;
    chain.buffers[2].data[0] = 0;  // status OK
    std::memset(chain.buffers[1].data, 0x5A, 512);
    return 513u;
  });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_FALSE(seen[0].writable);
  EXPECT_EQ(seen[0].length, 16u);
  EXPECT_TRUE(seen[1].writable);
  EXPECT_EQ(seen[1].phys, pool[0].data.phys);
  EXPECT_TRUE(seen[2].writable);
  Completion c[4];
  ASSERT_EQ(vq_->Harvest(c, 4), 1u);
  EXPECT_EQ(c[0].cookie, pool.cookie(0));
  EXPECT_EQ(c[0].written, 513u);
  EXPECT_EQ(c[0].status, CompletionStatus::kDone);
  EXPECT_EQ(static_cast<uint8_t*>(pool[0].data.virt)[511], 0x5A);
  EXPECT_EQ(vq_->free_descriptors(), 16);
  EXPECT_EQ(vq_->in_flight(), 0);
  EXPECT_EQ(vq_->Harvest(c, 4), 0u);
}

TEST_P(VirtqueueTest, InvalidChainsRejectedWithoutSideEffects) {
  RequestPool pool(h_->platform, 1);
  Segment bad_order[2] = {{pool[0].data.phys, 512, true}, {pool[0].header.phys, 16, false}};
  EXPECT_EQ(vq_->Add(bad_order, 2, nullptr), Status::kInvalidArgument);
  Segment empty[1] = {{pool[0].data.phys, 0, true}};
  EXPECT_EQ(vq_->Add(empty, 1, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(vq_->Add(pool[0].segments, 0, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(vq_->Add(nullptr, 1, nullptr), Status::kInvalidArgument);
  std::vector<Segment> too_long(17, Segment{pool[0].header.phys, 16, false});
  EXPECT_EQ(vq_->Add(too_long.data(), 17, nullptr), Status::kInvalidArgument);
  EXPECT_EQ(vq_->free_descriptors(), 16);
  EXPECT_EQ(vq_->in_flight(), 0);
  EXPECT_FALSE(vq_->Kick());
}

TEST_P(VirtqueueTest, FullQueueRefusesUntilHarvested) {
  RequestPool pool(h_->platform, 6);
  for (size_t i = 0; i < 5; ++i) {
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
  }
  EXPECT_EQ(vq_->free_descriptors(), 1);
  EXPECT_EQ(vq_->Add(pool[5].segments, 3, pool.cookie(5)), Status::kQueueFull);
  EXPECT_EQ(vq_->Add(pool[5].segments, 1, pool.cookie(5)), Status::kOk);  // one fits
  vq_->Kick();
  h_->device.ServiceQueue(0);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 6u);
  EXPECT_EQ(vq_->free_descriptors(), 16);
  EXPECT_TRUE(ledger.EachExactlyOnce({pool.cookie(0), pool.cookie(1), pool.cookie(2),
                                      pool.cookie(3), pool.cookie(4), pool.cookie(5)}));
}

TEST_P(VirtqueueTest, IndirectChainTakesOneRingDescriptor) {
  RequestPool pool(h_->platform, 16);
  std::vector<DmaBuffer> tables(16);
  for (auto& t : tables) {
    ASSERT_TRUE(h_->platform.AllocateDma(3 * 16, 16, &t));
  }
  for (size_t i = 0; i < 16; ++i) {
    IndirectTable table{tables[i].virt, tables[i].phys, 3};
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i), &table), Status::kOk);
  }
  EXPECT_EQ(vq_->free_descriptors(), 0);
  vq_->Kick();
  size_t indirect_chains = 0;
  h_->device.ServiceQueue(0, [&](DeviceChain& chain) {
    indirect_chains += chain.indirect && chain.buffers.size() == 3;
    return static_cast<uint32_t>(chain.writable_bytes);
  });
  EXPECT_EQ(indirect_chains, 16u);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 16u);
  for (auto& t : tables) {
    h_->platform.FreeDma(t);
  }
}

TEST_P(VirtqueueTest, IndirectTableTooSmallIsRefused) {
  RequestPool pool(h_->platform, 1);
  DmaBuffer t;
  ASSERT_TRUE(h_->platform.AllocateDma(32, 16, &t));
  IndirectTable table{t.virt, t.phys, 2};
  EXPECT_EQ(vq_->Add(pool[0].segments, 3, pool.cookie(0), &table), Status::kIndirectTooSmall);
  IndirectTable misaligned{t.virt, t.phys + 8, 2};
  EXPECT_EQ(vq_->Add(pool[0].segments, 2, pool.cookie(0), &misaligned), Status::kInvalidArgument);
  EXPECT_EQ(vq_->in_flight(), 0);
  h_->platform.FreeDma(t);
}

TEST(Virtqueue, IndirectNotNegotiatedFallsBackToDirect) {
  Harness h(QemuOptions(0, 1));
  ASSERT_EQ(h.BringUp(0, 1, 16), Status::kOk);  // driver does not support INDIRECT_DESC
  RequestPool pool(h.platform, 1);
  DmaBuffer t;
  ASSERT_TRUE(h.platform.AllocateDma(48, 16, &t));
  IndirectTable table{t.virt, t.phys, 3};
  ASSERT_EQ(h.queues[0].Add(pool[0].segments, 3, pool.cookie(0), &table), Status::kOk);
  EXPECT_EQ(h.queues[0].free_descriptors(), 13);
  h.queues[0].Kick();
  bool indirect = true;
  h.device.ServiceQueue(0, [&](DeviceChain& chain) {
    indirect = chain.indirect;
    return 0u;
  });
  EXPECT_FALSE(indirect);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
  h.platform.FreeDma(t);
}

TEST_P(VirtqueueTest, BatchOfAddsNeedsOneNotification) {
  RequestPool pool(h_->platform, 5);
  h_->device.ResetCounters();
  for (size_t i = 0; i < 5; ++i) {
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
  }
  EXPECT_EQ(h_->device.counters().mmio_writes, 0u);  // adds touch RAM only
  EXPECT_TRUE(vq_->Kick());
  EXPECT_FALSE(vq_->Kick());  // nothing new
  const FakeCounters c = h_->device.counters();
  EXPECT_EQ(c.notifications, 1u);
  EXPECT_EQ(c.mmio_writes, 1u);
  EXPECT_EQ(c.mmio_reads, 0u);
  h_->device.ServiceQueue(0);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 5u);
}

TEST_P(VirtqueueTest, DeviceSuppressionAvoidsDoorbell) {
  RequestPool pool(h_->platform, 3);
  ASSERT_EQ(vq_->Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  EXPECT_TRUE(vq_->Kick());
  h_->device.SuppressNotifications(0, true);
  DeviceChain chain;
  ASSERT_TRUE(h_->device.PopAvail(0, &chain));  // the device is busy on request 0
  ASSERT_EQ(vq_->Add(pool[1].segments, 3, pool.cookie(1)), Status::kOk);
  EXPECT_FALSE(vq_->Kick());
  h_->device.SuppressNotifications(0, false);
  EXPECT_TRUE(h_->device.HasAvail(0));  // the race re-check the device must do
  h_->device.Complete(0, chain, 0);
  h_->device.ServiceQueue(0);
  ASSERT_EQ(vq_->Add(pool[2].segments, 3, pool.cookie(2)), Status::kOk);
  EXPECT_TRUE(vq_->Kick());
  h_->device.ServiceQueue(0);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 3u);
  EXPECT_EQ(h_->device.queue_notifications(0), 2u);
}

TEST(Virtqueue, EventIdxNotifiesOnlyWhenDeviceAskedForIt) {
  Harness h(QemuOptions(kFeatureEventIdx, 1));
  ASSERT_EQ(h.BringUp(kFeatureEventIdx, 1, 16), Status::kOk);
  SplitVirtqueue& vq = h.queues[0];
  RequestPool pool(h.platform, 4);
  ASSERT_EQ(vq.Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  EXPECT_TRUE(vq.Kick());  // avail_event 0: the device wants index 0
  DeviceChain chain;
  ASSERT_TRUE(h.device.PopAvail(0, &chain));  // avail_event := 1
  ASSERT_EQ(vq.Add(pool[1].segments, 3, pool.cookie(1)), Status::kOk);
  ASSERT_EQ(vq.Add(pool[2].segments, 3, pool.cookie(2)), Status::kOk);
  EXPECT_TRUE(vq.Kick());  // crossed 1
  ASSERT_EQ(vq.Add(pool[3].segments, 3, pool.cookie(3)), Status::kOk);
  EXPECT_FALSE(vq.Kick());  // the device has not caught up to what it was told about
  h.device.Complete(0, chain, 0);
  h.device.ServiceQueue(0);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(vq, ledger), 4u);
  EXPECT_EQ(h.device.counters().notifications, 2u);
  EXPECT_EQ(h.device.counters().driver_errors, 0u);
}

TEST_P(VirtqueueTest, DisabledInterruptsStaySilentAndReenableRechecks) {
  RequestPool pool(h_->platform, 2);
  vq_->DisableInterrupts();
  ASSERT_EQ(vq_->Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  vq_->Kick();
  h_->device.ServiceQueue(0);
  EXPECT_EQ(h_->device.counters().interrupts, 0u);
  // The completion arrived while disabled: re-enabling must report it (no interrupt will come).
  EXPECT_TRUE(vq_->EnableInterrupts());
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 1u);
  EXPECT_FALSE(vq_->EnableInterrupts());
  ASSERT_EQ(vq_->Add(pool[1].segments, 3, pool.cookie(1)), Status::kOk);
  vq_->Kick();
  h_->device.ServiceQueue(0);
  EXPECT_EQ(h_->device.counters().interrupts, 1u);
  EXPECT_EQ(HarvestAll(*vq_, ledger), 1u);
}

TEST_P(VirtqueueTest, OneInterruptPerBatchWhenEnabled) {
  RequestPool pool(h_->platform, 4);
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
  }
  vq_->Kick();
  h_->device.ServiceQueue(0);  // four completions, one flush
  EXPECT_EQ(h_->device.counters().interrupts, 1u);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 4u);
}

TEST_P(VirtqueueTest, ReorderedCompletionsEachOnce) {
  RequestPool pool(h_->platform, 5);
  std::vector<void*> cookies;
  for (size_t i = 0; i < 5; ++i) {
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
    cookies.push_back(pool.cookie(i));
  }
  vq_->Kick();
  h_->device.SetCompletionOrder(0, CompletionOrder::kReversed);
  h_->device.ServiceQueue(0, [](DeviceChain& chain) { return chain.buffers[1].length / 2; });
  Completion c[8];
  ASSERT_EQ(vq_->Harvest(c, 8), 5u);
  EXPECT_EQ(c[0].cookie, pool.cookie(4));
  EXPECT_EQ(c[4].cookie, pool.cookie(0));
  CompletionLedger ledger;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(c[i].written, 256u);
    ledger.Record(c[i]);
  }
  EXPECT_TRUE(ledger.EachExactlyOnce(cookies));
}

TEST_P(VirtqueueTest, DelayedCompletionsArriveLater) {
  RequestPool pool(h_->platform, 3);
  std::vector<void*> cookies;
  h_->device.SetCompletionOrder(0, CompletionOrder::kHeld);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
    cookies.push_back(pool.cookie(i));
  }
  vq_->Kick();
  EXPECT_EQ(h_->device.ServiceQueue(0), 3u);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 0u);
  EXPECT_EQ(h_->device.held(0), 3u);
  h_->device.ReleaseHeld(0, /*reversed=*/true);
  EXPECT_EQ(HarvestAll(*vq_, ledger), 3u);
  EXPECT_TRUE(ledger.EachExactlyOnce(cookies));
}

TEST_P(VirtqueueTest, PartialHarvestKeepsTheRest) {
  RequestPool pool(h_->platform, 5);
  for (size_t i = 0; i < 5; ++i) {
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
  }
  vq_->Kick();
  h_->device.ServiceQueue(0);
  Completion c[2];
  EXPECT_EQ(vq_->Harvest(c, 2), 2u);
  EXPECT_TRUE(vq_->HasUsed());
  EXPECT_EQ(vq_->Harvest(c, 2), 2u);
  EXPECT_EQ(vq_->Harvest(c, 2), 1u);
  EXPECT_FALSE(vq_->HasUsed());
  EXPECT_EQ(vq_->in_flight(), 0);
}

TEST_P(VirtqueueTest, IndicesWrapAround) {
  RequestPool pool(h_->platform, 4);
  CompletionLedger ledger;
  // 70,000 requests through a 16-entry ring: avail.idx and used.idx wrap past 65,535.
  for (int round = 0; round < 17500; ++round) {
    for (size_t i = 0; i < 4; ++i) {
      ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
    }
    vq_->Kick();
    h_->device.ServiceQueue(0);
    ASSERT_EQ(HarvestAll(*vq_, ledger), 4u) << "round " << round;
  }
  EXPECT_EQ(ledger.done(), 70000u);
  EXPECT_FALSE(vq_->broken());
  // With EVENT_IDX or flags alike: one doorbell and one interrupt per batch.
  EXPECT_EQ(h_->device.counters().notifications, 17500u);
  EXPECT_EQ(h_->device.counters().interrupts, 17500u);
}

TEST_P(VirtqueueTest, UsedIndexAheadOfRequestsInFlightBreaksQueue) {
  // used.idx moves 5 ahead with 2 requests in flight (less than the queue size): the stale
  // slots must not be taken for completions.
  RequestPool pool(h_->platform, 2);
  ASSERT_EQ(vq_->Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  ASSERT_EQ(vq_->Add(pool[1].segments, 3, pool.cookie(1)), Status::kOk);
  vq_->Kick();
  auto* used =
      static_cast<uint8_t*>(vq_->ring_memory().virt) + SplitVirtqueue::UsedRingOffset(vq_->size());
  const uint16_t jumped = 5;
  std::memcpy(used + 2, &jumped, 2);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 0u);
  EXPECT_EQ(vq_->broken_reason(), Status::kUsedIndexJump);
  EXPECT_FALSE(vq_->HasUsed());
  EXPECT_EQ(h_->transport.Teardown(CompletionLedger::Callback, &ledger), Status::kOk);
  EXPECT_TRUE(ledger.EachExactlyOnce({pool.cookie(0), pool.cookie(1)}));
}

TEST_P(VirtqueueTest, TeardownDetachesInFlightExactlyOnce) {
  RequestPool pool(h_->platform, 4);
  std::vector<void*> cookies;
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(vq_->Add(pool[i].segments, 3, pool.cookie(i)), Status::kOk);
    cookies.push_back(pool.cookie(i));
  }
  vq_->Kick();
  DeviceChain chain;
  ASSERT_TRUE(h_->device.PopAvail(0, &chain));
  h_->device.Complete(0, chain, 1);
  h_->device.FlushUsed(0);
  CompletionLedger ledger;
  EXPECT_EQ(HarvestAll(*vq_, ledger), 1u);
  EXPECT_EQ(h_->transport.Teardown(CompletionLedger::Callback, &ledger), Status::kOk);
  EXPECT_EQ(ledger.detached(), 3u);
  EXPECT_TRUE(ledger.EachExactlyOnce(cookies));
  EXPECT_EQ(h_->platform.memory().live_allocations(), 12u);  // only the pool's buffers
}

TEST(Virtqueue, DetachNextDrainsWithoutCallback) {
  Harness h(QemuOptions(0, 1));
  ASSERT_EQ(h.BringUp(0, 1, 8), Status::kOk);
  RequestPool pool(h.platform, 2);
  ASSERT_EQ(h.queues[0].Add(pool[0].segments, 3, pool.cookie(0)), Status::kOk);
  ASSERT_EQ(h.queues[0].Add(pool[1].segments, 2, pool.cookie(1)), Status::kOk);
  ASSERT_EQ(h.transport.Reset(), Status::kOk);
  EXPECT_TRUE(h.queues[0].broken());  // the device forgot the ring
  EXPECT_EQ(h.queues[0].Add(pool[0].segments, 3, nullptr), Status::kQueueBroken);
  CompletionLedger ledger;
  Completion c;
  while (h.queues[0].DetachNext(&c)) {
    ledger.Record(c);
  }
  EXPECT_TRUE(ledger.EachExactlyOnce({pool.cookie(0), pool.cookie(1)}));
  EXPECT_EQ(h.queues[0].free_descriptors(), 8);
  EXPECT_FALSE(h.queues[0].DetachNext(&c));
}

TEST(Virtqueue, UnattachedQueueRefusesWork) {
  SplitVirtqueue vq;
  Segment s{0x1000, 16, false};
  Completion c;
  EXPECT_EQ(vq.Add(&s, 1, nullptr), Status::kNotReady);
  EXPECT_FALSE(vq.Kick());
  EXPECT_EQ(vq.Harvest(&c, 1), 0u);
  EXPECT_FALSE(vq.DetachNext(&c));
  EXPECT_FALSE(vq.EnableInterrupts());
}

TEST(Virtqueue, AttachValidatesMemory) {
  FakeVirtioDevice device(QemuOptions());
  FakePlatform platform(&device);
  DmaBuffer ring;
  ASSERT_TRUE(platform.AllocateDma(SplitVirtqueue::RingBytes(8), 4096, &ring));
  std::vector<uint64_t> state(SplitVirtqueue::StateBytes(8) / 8 + 1);
  SplitVirtqueue vq;
  QueueAttachment a{0, 8, ring, state.data(), false, false, 0};
  a.size = 12;
  EXPECT_EQ(vq.Attach(&platform, a), Status::kInvalidArgument);
  a.size = 16;  // ring too small for 16
  EXPECT_EQ(vq.Attach(&platform, a), Status::kInvalidArgument);
  a.size = 8;
  a.state = nullptr;
  EXPECT_EQ(vq.Attach(&platform, a), Status::kInvalidArgument);
  a.state = state.data();
  EXPECT_EQ(vq.Attach(nullptr, a), Status::kInvalidArgument);
  EXPECT_EQ(vq.Attach(&platform, a), Status::kOk);
  EXPECT_EQ(vq.free_descriptors(), 8);
  platform.FreeDma(ring);
}

INSTANTIATE_TEST_SUITE_P(Notification, VirtqueueTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "EventIdx" : "Flags"; });

}  // namespace
}  // namespace aero::virtio::testing
