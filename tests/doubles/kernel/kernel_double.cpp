#include "kernel_double.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace aero::testing {

KernelDouble& KernelDouble::Get() {
  static KernelDouble instance;
  return instance;
}

void KernelDouble::Reset() {
  for (auto& [ptr, allocation] : allocations_) {
    std::free(const_cast<void*>(ptr));
  }
  *this = KernelDouble();
}

void KernelDouble::Violation(std::string what) {
  violations_.push_back(std::move(what));
}

std::vector<std::string> KernelDouble::Leaks() const {
  std::vector<std::string> leaks;
  for (const auto& [ptr, a] : allocations_) {
    char tag[5] = {static_cast<char>(a.tag & 0xFF), static_cast<char>((a.tag >> 8) & 0xFF),
                   static_cast<char>((a.tag >> 16) & 0xFF), static_cast<char>(a.tag >> 24), 0};
    leaks.push_back(std::to_string(a.size) + " bytes tag '" + tag + "'");
  }
  return leaks;
}

void KernelDouble::AtIrql(KIRQL irql, const std::function<void()>& fn) {
  const KIRQL previous = irql_;
  irql_ = irql;
  fn();
  irql_ = previous;
}

void KernelDouble::NoteLockAcquired(const void* lock) {
  for (const void* held : held_locks_) {
    if (held == lock) {
      Violation("spin lock acquired while already held (deadlock on one processor)");
      return;
    }
  }
  held_locks_.push_back(lock);
}

void KernelDouble::NoteLockReleased(const void* lock) {
  for (auto it = held_locks_.begin(); it != held_locks_.end(); ++it) {
    if (*it == lock) {
      held_locks_.erase(it);
      return;
    }
  }
  Violation("spin lock released that is not held");
}

bool KernelDouble::QueueDpc(const void* dpc, DpcRoutine routine) {
  for (const auto& entry : dpc_queue_) {
    if (entry.first == dpc) {
      return false;
    }
  }
  dpc_queue_.emplace_back(dpc, std::move(routine));
  return true;
}

bool KernelDouble::DequeueDpc(const void* dpc) {
  for (auto it = dpc_queue_.begin(); it != dpc_queue_.end(); ++it) {
    if (it->first == dpc) {
      dpc_queue_.erase(it);
      return true;
    }
  }
  return false;
}

size_t KernelDouble::RunDpcs() {
  size_t ran = 0;
  while (!dpc_queue_.empty()) {
    auto entry = std::move(dpc_queue_.front());
    dpc_queue_.erase(dpc_queue_.begin());
    AtIrql(DISPATCH_LEVEL, entry.second);
    if (!held_locks_.empty()) {
      Violation("a DPC returned holding a spin lock");
    }
    ran++;
  }
  return ran;
}

}  // namespace aero::testing

using aero::testing::KernelDouble;

extern "C" {

PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
  auto& k = KernelDouble::Get();
  if (PoolType == PagedPool && k.Irql() > APC_LEVEL) {
    k.Violation("paged pool allocated at IRQL " + std::to_string(k.Irql()));
  }
  if (k.Irql() > DISPATCH_LEVEL) {
    k.Violation("pool allocated above DISPATCH_LEVEL");
  }
  if (k.fail_allocations() > 0) {
    k.fail_allocations()--;
    return nullptr;
  }
  void* p = std::calloc(1, NumberOfBytes == 0 ? 1 : NumberOfBytes);
  if (p != nullptr) {
    k.allocations()[p] = {NumberOfBytes, Tag, PoolType};
  }
  return p;
}

VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag) {
  auto& k = KernelDouble::Get();
  auto it = k.allocations().find(P);
  if (it == k.allocations().end()) {
    k.Violation("ExFreePoolWithTag: pointer was not allocated (or freed twice)");
    return;
  }
  if (Tag != 0 && Tag != it->second.tag) {
    k.Violation("ExFreePoolWithTag: tag differs from the allocation's");
  }
  k.allocations().erase(it);
  std::free(P);
}

VOID NTAPI KeInitializeSpinLock(PKSPIN_LOCK SpinLock) {
  *SpinLock = 0;
}

VOID FASTCALL KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle) {
  auto& k = KernelDouble::Get();
  if (k.Irql() > DISPATCH_LEVEL) {
    k.Violation("KeAcquireInStackQueuedSpinLock above DISPATCH_LEVEL");
  }
  k.NoteLockAcquired(SpinLock);
  LockHandle->LockQueue.Lock = SpinLock;
  LockHandle->LockQueue.Next = nullptr;
  LockHandle->OldIrql = k.Irql();
  k.SetIrql(DISPATCH_LEVEL);
}

VOID FASTCALL KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle) {
  auto& k = KernelDouble::Get();
  k.NoteLockReleased(LockHandle->LockQueue.Lock);
  k.SetIrql(LockHandle->OldIrql);
}

KIRQL NTAPI KeGetCurrentIrql(VOID) {
  return KernelDouble::Get().Irql();
}

// KDPC is storage only: keep routine and context beside it.
namespace {
struct DpcRecord {
  PKDEFERRED_ROUTINE routine;
  PVOID context;
};
std::map<const void*, DpcRecord>& Dpcs() {
  static std::map<const void*, DpcRecord> dpcs;
  return dpcs;
}
}  // namespace

VOID NTAPI KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext) {
  std::memset(Dpc, 0, sizeof(*Dpc));
  Dpcs()[Dpc] = {DeferredRoutine, DeferredContext};
}

BOOLEAN NTAPI KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2) {
  auto it = Dpcs().find(Dpc);
  if (it == Dpcs().end()) {
    KernelDouble::Get().Violation("KeInsertQueueDpc on a DPC that was never initialized");
    return FALSE;
  }
  const DpcRecord record = it->second;
  return KernelDouble::Get().QueueDpc(
      Dpc, [=] { record.routine(Dpc, record.context, SystemArgument1, SystemArgument2); });
}

BOOLEAN NTAPI KeRemoveQueueDpc(PRKDPC Dpc) {
  return KernelDouble::Get().DequeueDpc(Dpc);
}

VOID NTAPI KeFlushQueuedDpcs(VOID) {
  auto& k = KernelDouble::Get();
  if (k.Irql() != PASSIVE_LEVEL) {
    k.Violation("KeFlushQueuedDpcs above PASSIVE_LEVEL");
  }
  k.RunDpcs();
}

VOID NTAPI KeStallExecutionProcessor(ULONG MicroSeconds) {
  KernelDouble::Get().AdvanceMicros(MicroSeconds);
}

LARGE_INTEGER NTAPI KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency) {
  auto& k = KernelDouble::Get();
  if (PerformanceFrequency != nullptr) {
    PerformanceFrequency->QuadPart = KernelDouble::kPerformanceFrequency;
  }
  LARGE_INTEGER now;
  now.QuadPart =
      static_cast<LONGLONG>(k.NowMicros() * (KernelDouble::kPerformanceFrequency / 1000000));
  return now;
}

PHYSICAL_ADDRESS NTAPI MmGetPhysicalAddress(PVOID BaseAddress) {
  PHYSICAL_ADDRESS pa;
  pa.QuadPart = static_cast<LONGLONG>(aero::testing::HostPhysicalAddress(BaseAddress));
  return pa;
}

VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString) {
  size_t n = 0;
  while (SourceString != nullptr && SourceString[n] != 0) {
    n++;
  }
  DestinationString->Buffer = const_cast<PWCH>(SourceString);
  DestinationString->Length = static_cast<USHORT>(n * sizeof(WCHAR));
  DestinationString->MaximumLength = static_cast<USHORT>((n + 1) * sizeof(WCHAR));
}

ULONG NTAPI_CDECL DbgPrint(PCSTR Format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, Format);
  std::vsnprintf(buffer, sizeof(buffer), Format, args);
  va_end(args);
  KernelDouble::Get().AppendDebugLog(buffer);
  return 0;
}

VOID NTAPI KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3,
                        ULONG_PTR P4) {
  std::fprintf(stderr, "KeBugCheckEx(0x%08X, %#zx, %#zx, %#zx, %#zx)\n",
               static_cast<unsigned>(BugCheckCode), static_cast<size_t>(P1),
               static_cast<size_t>(P2), static_cast<size_t>(P3), static_cast<size_t>(P4));
  std::abort();
}

}  // extern "C"
