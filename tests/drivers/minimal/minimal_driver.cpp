// A minimal WDM driver that exercises the toolchain: stdcall/fastcall imports from ntoskrnl and
// hal, the kernel C++ runtime (pool new/delete, virtual calls), 64-bit division (libgcc helpers on
// x86), a spin lock and a DPC. It creates one device and completes create/close requests.
#include <ntddk.h>

#include "kcrt/new.h"

namespace {

constexpr ULONG kPoolTag = 0x744D6541;  // 'AeMt'

// A virtual interface, so the image carries a vtable (relocations, __cxa_pure_virtual).
class Counter {
 public:
  virtual ~Counter() = default;
  virtual ULONGLONG Tick() = 0;
};

class PerformanceCounter final : public Counter {
 public:
  ULONGLONG Tick() override {
    LARGE_INTEGER frequency;
    const LARGE_INTEGER now = KeQueryPerformanceCounter(&frequency);
    if (frequency.QuadPart <= 0) {
      return 0;
    }
    // Microseconds since boot: a 64-bit division (__udivdi3 on x86).
    return static_cast<ULONGLONG>(now.QuadPart) * 1000000ull /
           static_cast<ULONGLONG>(frequency.QuadPart);
  }
};

struct DeviceExtension {
  KSPIN_LOCK lock;
  KDPC dpc;
  ULONG opens;
  Counter* counter;
};

VOID NTAPI CountDpc(PKDPC, PVOID context, PVOID, PVOID) {
  auto* ext = static_cast<DeviceExtension*>(context);
  KLOCK_QUEUE_HANDLE handle;
  KeAcquireInStackQueuedSpinLock(&ext->lock, &handle);
  ext->opens++;
  KeReleaseInStackQueuedSpinLock(&handle);
}

NTSTATUS NTAPI DispatchCreateClose(PDEVICE_OBJECT device, PIRP irp) {
  auto* ext = static_cast<DeviceExtension*>(device->DeviceExtension);
  if (IoGetCurrentIrpStackLocation(irp)->MajorFunction == IRP_MJ_CREATE) {
    KeInsertQueueDpc(&ext->dpc, nullptr, nullptr);
  }
  irp->IoStatus.Status = STATUS_SUCCESS;
  irp->IoStatus.Information = 0;
  IoCompleteRequest(irp, IO_NO_INCREMENT);
  return STATUS_SUCCESS;
}

VOID NTAPI DriverUnload(PDRIVER_OBJECT driver) {
  PDEVICE_OBJECT device = driver->DeviceObject;
  if (device) {
    auto* ext = static_cast<DeviceExtension*>(device->DeviceExtension);
    KeRemoveQueueDpc(&ext->dpc);
    KeFlushQueuedDpcs();
    delete ext->counter;
    IoDeleteDevice(device);
  }
}

}  // namespace

extern "C" DRIVER_INITIALIZE DriverEntry;

extern "C" NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path) {
  UNREFERENCED_PARAMETER(registry_path);
  UNICODE_STRING name;
  RtlInitUnicodeString(&name, L"\\Device\\AeroMinimalTest");
  PDEVICE_OBJECT device = nullptr;
  NTSTATUS status = IoCreateDevice(driver, sizeof(DeviceExtension), &name, FILE_DEVICE_UNKNOWN,
                                   FILE_DEVICE_SECURE_OPEN, FALSE, &device);
  if (!NT_SUCCESS(status)) {
    return status;
  }
  auto* ext = new (device->DeviceExtension) DeviceExtension{};
  KeInitializeSpinLock(&ext->lock);
  KeInitializeDpc(&ext->dpc, CountDpc, ext);
  ext->counter = new (aero::kcrt::Pool::kNonPaged, kPoolTag) PerformanceCounter();
  if (ext->counter == nullptr) {
    IoDeleteDevice(device);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  DbgPrint("aero_minimal_test: loaded at %I64u us\n", ext->counter->Tick());
  driver->MajorFunction[IRP_MJ_CREATE] = DispatchCreateClose;
  driver->MajorFunction[IRP_MJ_CLOSE] = DispatchCreateClose;
  driver->DriverUnload = DriverUnload;
  device->Flags &= ~DO_DEVICE_INITIALIZING;
  return STATUS_SUCCESS;
}
