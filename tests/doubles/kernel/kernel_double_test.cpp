#include "kernel_double.h"

#include <gtest/gtest.h>

namespace aero::testing {
namespace {

class KernelDoubleTest : public ::testing::Test {
 protected:
  void SetUp() override { KernelDouble::Get().Reset(); }
  void TearDown() override { KernelDouble::Get().Reset(); }
  KernelDouble& k = KernelDouble::Get();
};

TEST_F(KernelDoubleTest, PoolTracksLeaksAndRejectsDoubleFree) {
  void* a = ExAllocatePoolWithTag(NonPagedPool, 24, 0x74736554);  // 'Test'
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(k.Leaks().size(), 1u);
  EXPECT_EQ(k.Leaks()[0], "24 bytes tag 'Test'");
  ExFreePoolWithTag(a, 0x74736554);
  EXPECT_EQ(k.OutstandingAllocations(), 0u);
  EXPECT_TRUE(k.Violations().empty());
  ExFreePoolWithTag(a, 0);
  ASSERT_EQ(k.Violations().size(), 1u);
  EXPECT_NE(k.Violations()[0].find("freed twice"), std::string::npos);
}

TEST_F(KernelDoubleTest, PagedPoolAtDispatchIsAViolationAndFailuresCanBeInjected) {
  k.AtIrql(DISPATCH_LEVEL, [] {
    void* p = ExAllocatePoolWithTag(PagedPool, 8, 1);
    ExFreePoolWithTag(p, 1);
  });
  EXPECT_EQ(k.Violations().size(), 1u);
  k.FailNextAllocations(1);
  EXPECT_EQ(ExAllocatePoolWithTag(NonPagedPool, 8, 1), nullptr);
  void* p = ExAllocatePoolWithTag(NonPagedPool, 8, 1);
  EXPECT_NE(p, nullptr);
  ExFreePoolWithTag(p, 1);
}

TEST_F(KernelDoubleTest, SpinLockRaisesIrqlAndDetectsRecursion) {
  KSPIN_LOCK lock;
  KeInitializeSpinLock(&lock);
  KLOCK_QUEUE_HANDLE h1, h2;
  KeAcquireInStackQueuedSpinLock(&lock, &h1);
  EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
  EXPECT_EQ(k.SpinLocksHeld(), 1u);
  KeAcquireInStackQueuedSpinLock(&lock, &h2);
  EXPECT_EQ(k.Violations().size(), 1u);
  KeReleaseInStackQueuedSpinLock(&h1);
  EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

struct DpcLog {
  std::vector<int> order;
  KIRQL irql_seen = PASSIVE_LEVEL;
};

VOID NTAPI RecordDpc(PKDPC, PVOID context, PVOID arg1, PVOID) {
  auto* log = static_cast<DpcLog*>(context);
  log->order.push_back(static_cast<int>(reinterpret_cast<intptr_t>(arg1)));
  log->irql_seen = KeGetCurrentIrql();
}

TEST_F(KernelDoubleTest, DpcsRunOnceInOrderAtDispatch) {
  DpcLog log;
  KDPC a, b;
  KeInitializeDpc(&a, RecordDpc, &log);
  KeInitializeDpc(&b, RecordDpc, &log);
  EXPECT_TRUE(KeInsertQueueDpc(&a, reinterpret_cast<PVOID>(1), nullptr));
  EXPECT_FALSE(KeInsertQueueDpc(&a, reinterpret_cast<PVOID>(9), nullptr));  // already queued
  EXPECT_TRUE(KeInsertQueueDpc(&b, reinterpret_cast<PVOID>(2), nullptr));
  EXPECT_EQ(k.RunDpcs(), 2u);
  EXPECT_EQ(log.order, (std::vector<int>{1, 2}));
  EXPECT_EQ(log.irql_seen, DISPATCH_LEVEL);
  EXPECT_TRUE(KeInsertQueueDpc(&a, reinterpret_cast<PVOID>(3), nullptr));
  EXPECT_TRUE(KeRemoveQueueDpc(&a));
  EXPECT_EQ(k.RunDpcs(), 0u);
}

TEST_F(KernelDoubleTest, ClockAdvancesOnlyByStalls) {
  LARGE_INTEGER f;
  EXPECT_EQ(KeQueryPerformanceCounter(&f).QuadPart, 0);
  KeStallExecutionProcessor(25);
  EXPECT_EQ(KeQueryPerformanceCounter(&f).QuadPart, 250);
  EXPECT_EQ(f.QuadPart, 10'000'000);
}

}  // namespace
}  // namespace aero::testing
