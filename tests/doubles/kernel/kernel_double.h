// A test double of the Windows kernel basics that every driver shim needs on the host: pool with
// leak detection, IRQL and spin locks, DPCs, a simulated clock, physical addresses, DbgPrint and
// bugchecks. It implements the C functions our WDK headers declare, single-threaded and
// deterministic, and records every rule a driver breaks (for example a spin lock taken twice or
// pool freed twice) as a violation the test checks. StorPort, NDIS, HID and PortCls doubles build
// on it.
#pragma once

#include <wdm.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace aero::testing {

class KernelDouble {
 public:
  // The one instance the C entry points use. Reset() between tests.
  static KernelDouble& Get();
  void Reset();

  // Rules broken so far ("ExFreePoolWithTag: pointer 0x... was not allocated", ...).
  const std::vector<std::string>& Violations() const { return violations_; }
  void Violation(std::string what);

  // Pool.
  struct Allocation {
    size_t size;
    ULONG tag;
    POOL_TYPE pool;
  };
  size_t OutstandingAllocations() const { return allocations_.size(); }
  std::vector<std::string> Leaks() const;
  // Makes the next `count` pool allocations fail (0 = none).
  void FailNextAllocations(int count) { fail_allocations_ = count; }

  // IRQL as the code under test sees it.
  KIRQL Irql() const { return irql_; }
  void SetIrql(KIRQL irql) { irql_ = irql; }
  // Runs `fn` at `irql` and restores the previous IRQL.
  void AtIrql(KIRQL irql, const std::function<void()>& fn);
  size_t SpinLocksHeld() const { return held_locks_.size(); }
  void NoteLockAcquired(const void* lock);
  void NoteLockReleased(const void* lock);

  // DPCs: queued by KeInsertQueueDpc (or a port driver's IssueDpc), run by RunDpcs() at
  // DISPATCH_LEVEL in queue order, as one processor would.
  using DpcRoutine = std::function<void()>;
  bool QueueDpc(const void* dpc, DpcRoutine routine);  // false when already queued
  bool DequeueDpc(const void* dpc);
  size_t PendingDpcs() const { return dpc_queue_.size(); }
  size_t RunDpcs();

  // Simulated time: KeStallExecutionProcessor advances it; nothing else does unless a test says.
  uint64_t NowMicros() const { return now_micros_; }
  void AdvanceMicros(uint64_t micros) { now_micros_ += micros; }
  static constexpr uint64_t kPerformanceFrequency =
      10'000'000;  // 10 MHz, like Windows 7's HPET/QPC

  // DbgPrint output, one entry per call.
  const std::vector<std::string>& DebugLog() const { return debug_log_; }
  void AppendDebugLog(std::string line) { debug_log_.push_back(std::move(line)); }

  std::map<const void*, Allocation>& allocations() { return allocations_; }
  int& fail_allocations() { return fail_allocations_; }

 private:
  KernelDouble() = default;

  std::vector<std::string> violations_;
  std::map<const void*, Allocation> allocations_;
  int fail_allocations_ = 0;
  KIRQL irql_ = PASSIVE_LEVEL;
  std::vector<const void*> held_locks_;
  std::vector<std::pair<const void*, DpcRoutine>> dpc_queue_;
  uint64_t now_micros_ = 0;
  std::vector<std::string> debug_log_;
};

// Physical addresses on the host are the virtual addresses (the fake devices read guest memory
// directly), so every pointer the driver hands a device is "physically contiguous".
inline uint64_t HostPhysicalAddress(const void* p) {
  return reinterpret_cast<uintptr_t>(p);
}

}  // namespace aero::testing
