#include "storport_double.h"

#include <cstdarg>
#include <cstring>

namespace aero::testing {
namespace {

constexpr KIRQL kDeviceIrql = 12;             // DIRQL of the adapter's line interrupt
constexpr ULONG kUninitialized = 0xFFFFFFFF;  // SP_UNINITIALIZED_VALUE
constexpr uint32_t kPageSize = 4096;

// StorPort lock order: a lock may only be taken while holding lower ones.
int LockRank(STOR_SPINLOCK lock) {
  switch (lock) {
    case DpcLock:
      return 1;
    case StartIoLock:
      return 2;
    case InterruptLock:
      return 3;
  }
  return 0;
}

}  // namespace

StorPortDouble& StorPortDouble::Get() {
  static StorPortDouble instance;
  return instance;
}

void StorPortDouble::Reset() {
  for (auto& [virt, block] : dma_blocks_) {
    if (dma_ != nullptr) {
      dma_->Free(reinterpret_cast<void*>(virt));
    }
  }
  *this = StorPortDouble();
  KernelDouble::Get().Reset();
}

void StorPortDouble::Attach(PciFunctionModel* device, DmaSpace* dma,
                            std::vector<AccessRangeModel> ranges, uint8_t interrupt_line) {
  device_ = device;
  dma_ = dma;
  ranges_ = std::move(ranges);
  interrupt_line_ = interrupt_line;
}

NTSTATUS StorPortDouble::LoadDriver(DRIVER_INITIALIZE* driver_entry) {
  static DRIVER_OBJECT driver_object;
  static UNICODE_STRING registry_path;
  std::memset(&driver_object, 0, sizeof(driver_object));
  RtlInitUnicodeString(&registry_path,
                       L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\miniport");
  NTSTATUS status = STATUS_SUCCESS;
  KernelDouble::Get().AtIrql(PASSIVE_LEVEL,
                             [&] { status = driver_entry(&driver_object, &registry_path); });
  if (NT_SUCCESS(status) && !initialized_) {
    KernelDouble::Get().Violation("DriverEntry succeeded without calling StorPortInitialize");
  }
  return status;
}

ULONG StorPortDouble::OnInitialize(PVOID argument1, PVOID argument2, PHW_INITIALIZATION_DATA data) {
  auto& k = KernelDouble::Get();
  if (argument1 == nullptr || argument2 == nullptr) {
    k.Violation("StorPortInitialize: the DriverEntry arguments must be passed through");
    return static_cast<ULONG>(STATUS_INVALID_PARAMETER);
  }
  if (data == nullptr || data->HwInitializationDataSize != sizeof(HW_INITIALIZATION_DATA)) {
    k.Violation(
        "StorPortInitialize: HwInitializationDataSize is not sizeof(HW_INITIALIZATION_DATA)");
    return static_cast<ULONG>(STATUS_INVALID_PARAMETER);
  }
  if (data->HwFindAdapter == nullptr || data->HwInitialize == nullptr ||
      data->HwStartIo == nullptr || data->HwResetBus == nullptr || data->HwBuildIo == nullptr) {
    k.Violation(
        "StorPortInitialize: a required callback is missing (StorPort miniports need "
        "HwFindAdapter, HwInitialize, HwStartIo, HwResetBus and HwBuildIo)");
    return static_cast<ULONG>(STATUS_INVALID_PARAMETER);
  }
  if (data->AdapterInterfaceType != PCIBus) {
    k.Violation("StorPortInitialize: AdapterInterfaceType is not PCIBus");
  }
  hw_ = *data;
  initialized_ = true;
  return STATUS_SUCCESS;
}

ULONG StorPortDouble::StartAdapter(const char* arguments) {
  auto& k = KernelDouble::Get();
  if (!initialized_ || device_ == nullptr) {
    k.Violation("StartAdapter: no driver loaded or no device attached");
    return SP_RETURN_ERROR;
  }
  device_extension_.assign(hw_.DeviceExtensionSize, 0);
  access_ranges_.clear();
  for (const auto& r : ranges_) {
    ACCESS_RANGE range{};
    range.RangeStart.QuadPart = static_cast<LONGLONG>(r.physical);
    range.RangeLength = r.length;
    range.RangeInMemory = TRUE;
    access_ranges_.push_back(range);
  }
  std::memset(&config_, 0, sizeof(config_));
  config_.Length = sizeof(config_);
  config_.AdapterInterfaceType = PCIBus;
  config_.SystemIoBusNumber = 0;
  config_.SlotNumber = 4;
  config_.BusInterruptLevel = interrupt_line_;
  config_.BusInterruptVector = interrupt_line_;
  config_.InterruptMode = LevelSensitive;
  config_.MaximumTransferLength = kUninitialized;
  config_.NumberOfPhysicalBreaks = kUninitialized;
  config_.DmaChannel = kUninitialized;
  config_.DmaPort = kUninitialized;
  config_.NumberOfAccessRanges = static_cast<ULONG>(access_ranges_.size());
  config_.AccessRanges = reinterpret_cast<ACCESS_RANGE(*)[]>(access_ranges_.data());
  config_.NumberOfBuses = 1;
  config_.MaximumNumberOfTargets = 1;
  config_.MaximumNumberOfLogicalUnits = 1;
  config_.DeviceExtensionSize = hw_.DeviceExtensionSize;
  config_.SpecificLuExtensionSize = hw_.SpecificLuExtensionSize;
  config_.SrbExtensionSize = hw_.SrbExtensionSize;
  config_.SynchronizationModel = StorSynchronizeHalfDuplex;
  config_.InterruptSynchronizationMode = InterruptSupportNone;

  phase_ = Phase::kFindAdapter;
  BOOLEAN again = FALSE;
  std::string argument_string(arguments);
  ULONG result = SP_RETURN_ERROR;
  k.AtIrql(PASSIVE_LEVEL, [&] {
    result = hw_.HwFindAdapter(device_extension(), nullptr, nullptr, argument_string.data(),
                               &config_, &again);
  });
  if (result != SP_RETURN_FOUND) {
    phase_ = Phase::kIdle;
    return result;
  }
  if (config_.MaximumTransferLength == kUninitialized ||
      config_.NumberOfPhysicalBreaks == kUninitialized) {
    k.Violation("HwFindAdapter left MaximumTransferLength or NumberOfPhysicalBreaks unset");
  }
  phase_ = Phase::kInitialize;
  BOOLEAN ok = FALSE;
  CallLocked(InterruptLock, kDeviceIrql, [&] { ok = hw_.HwInitialize(device_extension()); });
  if (!ok) {
    phase_ = Phase::kIdle;
    return SP_RETURN_ERROR;
  }
  phase_ = Phase::kRunning;
  if (passive_routine_ != nullptr) {
    BOOLEAN passive_ok = FALSE;
    k.AtIrql(PASSIVE_LEVEL, [&] { passive_ok = passive_routine_(device_extension()); });
    if (!passive_ok) {
      phase_ = Phase::kIdle;
      return SP_RETURN_ERROR;
    }
  }
  return SP_RETURN_FOUND;
}

TestSrb* StorPortDouble::NewSrb(const std::vector<uint8_t>& cdb, uint32_t data_length,
                                ULONG flags) {
  auto srb = std::make_unique<TestSrb>();
  srb->srb.Length = sizeof(SCSI_REQUEST_BLOCK);
  srb->srb.Function = SRB_FUNCTION_EXECUTE_SCSI;
  srb->srb.CdbLength = static_cast<UCHAR>(cdb.size());
  if (!cdb.empty()) {
    std::memcpy(srb->srb.Cdb, cdb.data(), cdb.size() < 16 ? cdb.size() : 16);
  }
  srb->srb.SrbFlags = flags;
  srb->srb.DataTransferLength = data_length;
  srb->srb.TimeOutValue = 10;
  srb->srb.QueueTag = SP_UNTAGGED;
  srb->srb.SenseInfoBuffer = srb->sense.data();
  srb->srb.SenseInfoBufferLength = static_cast<UCHAR>(srb->sense.size());
  if (data_length > 0) {
    uint64_t phys = 0;
    srb->data = static_cast<uint8_t*>(dma_->Allocate(data_length, 8, &phys));
    dma_blocks_[reinterpret_cast<uintptr_t>(srb->data)] = {phys, data_length, false};
    srb->srb.DataBuffer = srb->data;
  }
  if (hw_.SrbExtensionSize > 0) {
    // StorPort's SRB extensions are non-paged and StorPortGetPhysicalAddress works on them.
    uint64_t phys = 0;
    srb->extension = dma_->Allocate(hw_.SrbExtensionSize, 8, &phys);
    dma_blocks_[reinterpret_cast<uintptr_t>(srb->extension)] = {phys, hw_.SrbExtensionSize, false};
    srb->srb.SrbExtension = srb->extension;
  }
  srbs_.push_back(std::move(srb));
  return srbs_.back().get();
}

TestSrb* StorPortDouble::NewFunctionSrb(UCHAR function) {
  TestSrb* srb = NewSrb({}, 0, SRB_FLAGS_NO_DATA_TRANSFER);
  srb->srb.Function = function;
  return srb;
}

bool StorPortDouble::Send(TestSrb* test_srb) {
  auto& k = KernelDouble::Get();
  if (phase_ != Phase::kRunning) {
    k.Violation("Send: the adapter is not running");
    return false;
  }
  PSCSI_REQUEST_BLOCK srb = &test_srb->srb;
  if (outstanding_.count(srb) != 0) {
    k.Violation("Send: the SRB is already outstanding");
    return false;
  }
  outstanding_.insert(srb);
  BOOLEAN built = FALSE;
  k.AtIrql(DISPATCH_LEVEL, [&] { built = hw_.HwBuildIo(device_extension(), srb); });
  if (!built) {
    // HwBuildIo returning FALSE means it completed the SRB itself.
    if (outstanding_.count(srb) != 0) {
      k.Violation("HwBuildIo returned FALSE without completing the SRB");
    }
    return false;
  }
  BOOLEAN started = FALSE;
  CallLocked(StartIoLock, DISPATCH_LEVEL,
             [&] { started = hw_.HwStartIo(device_extension(), srb); });
  return started;
}

bool StorPortDouble::DeliverInterrupt() {
  bool claimed = false;
  if (device_->InterruptLineAsserted() && hw_.HwInterrupt != nullptr) {
    CallLocked(InterruptLock, kDeviceIrql, [&] { claimed = hw_.HwInterrupt(device_extension()); });
    if (device_->InterruptLineAsserted()) {
      KernelDouble::Get().Violation("the interrupt line is still asserted after HwInterrupt");
    }
  }
  RunDpcs();
  return claimed;
}

bool StorPortDouble::ResetBus() {
  BOOLEAN ok = FALSE;
  CallLocked(StartIoLock, DISPATCH_LEVEL, [&] { ok = hw_.HwResetBus(device_extension(), 0); });
  CheckNoneOutstanding("HwResetBus");
  return ok;
}

SCSI_ADAPTER_CONTROL_STATUS StorPortDouble::AdapterControl(SCSI_ADAPTER_CONTROL_TYPE type,
                                                           PVOID parameters) {
  auto& k = KernelDouble::Get();
  if (hw_.HwAdapterControl == nullptr) {
    k.Violation("AdapterControl: the miniport has no HwAdapterControl");
    return ScsiAdapterControlUnsuccessful;
  }
  SCSI_ADAPTER_CONTROL_STATUS status = ScsiAdapterControlUnsuccessful;
  // StorPort calls stop/restart at DIRQL (synchronized with the ISR), the query at PASSIVE.
  const KIRQL irql = type == ScsiQuerySupportedControlTypes ? PASSIVE_LEVEL : kDeviceIrql;
  k.AtIrql(irql, [&] { status = hw_.HwAdapterControl(device_extension(), type, parameters); });
  if (type == ScsiStopAdapter && status == ScsiAdapterControlSuccess) {
    CheckNoneOutstanding("ScsiStopAdapter");
    phase_ = Phase::kStopped;
  } else if (type == ScsiRestartAdapter && status == ScsiAdapterControlSuccess) {
    phase_ = Phase::kRunning;
  }
  return status;
}

bool StorPortDouble::FireTimer() {
  if (timer_ == nullptr) {
    return false;
  }
  PHW_TIMER timer = timer_;
  timer_ = nullptr;
  CallLocked(StartIoLock, DISPATCH_LEVEL, [&] { timer(device_extension()); });
  return true;
}

bool StorPortDouble::completed(const TestSrb* srb) const {
  return completion_count(srb) > 0;
}

int StorPortDouble::completion_count(const TestSrb* srb) const {
  auto it = completions_.find(&srb->srb);
  return it == completions_.end() ? 0 : it->second;
}

void StorPortDouble::Complete(PSCSI_REQUEST_BLOCK srb) {
  auto& k = KernelDouble::Get();
  completions_[srb]++;
  if (outstanding_.erase(srb) == 0) {
    k.Violation(completions_[srb] > 1 ? "an SRB was completed twice"
                                      : "an SRB was completed that was never sent");
    return;
  }
  if ((srb->SrbStatus & 0x3F) == SRB_STATUS_PENDING) {
    k.Violation("an SRB was completed with SRB_STATUS_PENDING");
  }
}

void StorPortDouble::CheckNoneOutstanding(const char* after) {
  if (!outstanding_.empty()) {
    KernelDouble::Get().Violation(std::string(after) + " returned with " +
                                  std::to_string(outstanding_.size()) + " SRB(s) outstanding");
  }
}

void StorPortDouble::CallLocked(STOR_SPINLOCK lock, KIRQL irql, const std::function<void()>& fn) {
  held_.push_back(lock);
  KernelDouble::Get().AtIrql(irql, fn);
  held_.pop_back();
}

void StorPortDouble::OnNotification(SCSI_NOTIFICATION_TYPE type, va_list args) {
  auto& k = KernelDouble::Get();
  switch (type) {
    case RequestComplete:
      Complete(va_arg(args, PSCSI_REQUEST_BLOCK));
      break;
    case NextRequest:
    case NextLuRequest:
      next_request_calls_++;
      break;
    case ResetDetected:
    case BusChangeDetected:
      break;
    case RequestTimerCall: {
      timer_ = va_arg(args, PHW_TIMER);
      break;
    }
    case EnablePassiveInitialization: {
      auto routine = va_arg(args, PHW_PASSIVE_INITIALIZE_ROUTINE);
      auto* succeeded = va_arg(args, LONG*);
      if (phase_ != Phase::kFindAdapter) {
        k.Violation("EnablePassiveInitialization outside HwFindAdapter");
      }
      passive_routine_ = routine;
      *succeeded = TRUE;
      break;
    }
    case InitializeDpc: {
      auto* dpc = va_arg(args, PSTOR_DPC);
      dpcs_[dpc] = va_arg(args, PHW_DPC_ROUTINE);
      break;
    }
    case IssueDpc: {
      auto* dpc = va_arg(args, PSTOR_DPC);
      PVOID a1 = va_arg(args, PVOID);
      PVOID a2 = va_arg(args, PVOID);
      auto* succeeded = va_arg(args, BOOLEAN*);
      auto it = dpcs_.find(dpc);
      if (it == dpcs_.end()) {
        k.Violation("IssueDpc on a DPC that was never initialized");
        *succeeded = FALSE;
        break;
      }
      PHW_DPC_ROUTINE routine = it->second;
      void* ext = device_extension();
      *succeeded = k.QueueDpc(dpc, [=] { routine(dpc, ext, a1, a2); }) ? TRUE : FALSE;
      break;
    }
    case AcquireSpinLock: {
      auto lock = static_cast<STOR_SPINLOCK>(va_arg(args, int));
      (void)va_arg(args, PVOID);
      auto* handle = va_arg(args, PSTOR_LOCK_HANDLE);
      for (STOR_SPINLOCK held : held_) {
        if (LockRank(held) >= LockRank(lock)) {
          k.Violation("StorPort spin lock taken out of order or recursively");
        }
      }
      held_.push_back(lock);
      handle->Lock = lock;
      handle->Context.OldIrql = k.Irql();
      if (k.Irql() < DISPATCH_LEVEL || lock == InterruptLock) {
        k.SetIrql(lock == InterruptLock ? kDeviceIrql : DISPATCH_LEVEL);
      }
      break;
    }
    case ReleaseSpinLock: {
      auto* handle = va_arg(args, PSTOR_LOCK_HANDLE);
      if (held_.empty() || held_.back() != handle->Lock) {
        k.Violation("StorPort spin lock released that is not the last one taken");
      } else {
        held_.pop_back();
      }
      k.SetIrql(handle->Context.OldIrql);
      break;
    }
    default:
      k.Violation("StorPortNotification: unsupported notification " + std::to_string(type));
      break;
  }
}

ULONG StorPortDouble::OnGetBusData(ULONG bus_type, PVOID buffer, ULONG length) {
  if (bus_type != PCIConfiguration) {
    KernelDouble::Get().Violation("StorPortGetBusData: only PCIConfiguration is supported");
    return 0;
  }
  auto* out = static_cast<uint8_t*>(buffer);
  const ULONG n = length > 256 ? 256 : length;
  for (ULONG i = 0; i < n; i++) {
    out[i] = static_cast<uint8_t>(device_->ConfigRead(static_cast<uint16_t>(i), 1));
  }
  return n;
}

PVOID StorPortDouble::OnGetDeviceBase(STOR_PHYSICAL_ADDRESS address, ULONG length,
                                      BOOLEAN in_io_space) {
  auto& k = KernelDouble::Get();
  if (phase_ != Phase::kFindAdapter) {
    k.Violation("StorPortGetDeviceBase outside HwFindAdapter");
  }
  if (in_io_space) {
    k.Violation("StorPortGetDeviceBase: I/O space requested for a memory BAR");
    return nullptr;
  }
  for (const auto& r : ranges_) {
    const uint64_t pa = static_cast<uint64_t>(address.QuadPart);
    if (pa >= r.physical && pa + length <= r.physical + r.length) {
      const uintptr_t token = next_token_;
      next_token_ += 0x100000000;
      mappings_[token] = {r.bar, r.length};
      return reinterpret_cast<PVOID>(token + (pa - r.physical));
    }
  }
  k.Violation("StorPortGetDeviceBase: address is not inside an assigned access range");
  return nullptr;
}

void StorPortDouble::OnFreeDeviceBase(PVOID base) {
  int bar = 0;
  uint64_t offset = 0;
  if (!AddressToBar(base, &bar, &offset)) {
    KernelDouble::Get().Violation("StorPortFreeDeviceBase: not a mapped device base");
  }
}

PVOID StorPortDouble::OnGetUncachedExtension(ULONG bytes) {
  auto& k = KernelDouble::Get();
  if (phase_ != Phase::kFindAdapter) {
    k.Violation("StorPortGetUncachedExtension outside HwFindAdapter");
    return nullptr;
  }
  if (uncached_ != nullptr) {
    k.Violation("StorPortGetUncachedExtension called twice");
    return uncached_;
  }
  uint64_t phys = 0;
  uncached_ = dma_->Allocate(bytes, kPageSize, &phys);
  if (uncached_ != nullptr) {
    dma_blocks_[reinterpret_cast<uintptr_t>(uncached_)] = {phys, bytes, true};
  }
  return uncached_;
}

STOR_PHYSICAL_ADDRESS StorPortDouble::OnGetPhysicalAddress(PSCSI_REQUEST_BLOCK, PVOID va,
                                                           ULONG* length) {
  STOR_PHYSICAL_ADDRESS pa;
  pa.QuadPart = 0;
  const auto v = reinterpret_cast<uintptr_t>(va);
  for (const auto& [base, block] : dma_blocks_) {
    if (v >= base && v < base + block.size) {
      pa.QuadPart = static_cast<LONGLONG>(block.phys + (v - base));
      if (length != nullptr) {
        // Data buffers are contiguous only to the end of the page, as Windows reports them.
        const uint64_t to_page_end = kPageSize - ((block.phys + (v - base)) & (kPageSize - 1));
        const uint64_t to_block_end = base + block.size - v;
        *length = static_cast<ULONG>(block.contiguous || to_block_end < to_page_end ? to_block_end
                                                                                    : to_page_end);
      }
      return pa;
    }
  }
  KernelDouble::Get().Violation("StorPortGetPhysicalAddress: address is not in DMA space");
  if (length != nullptr) {
    *length = 0;
  }
  return pa;
}

PSTOR_SCATTER_GATHER_LIST StorPortDouble::OnGetScatterGatherList(PSCSI_REQUEST_BLOCK srb) {
  if (srb->DataBuffer == nullptr || srb->DataTransferLength == 0) {
    return nullptr;
  }
  std::vector<STOR_SCATTER_GATHER_ELEMENT> elements;
  auto* p = static_cast<uint8_t*>(srb->DataBuffer);
  ULONG left = srb->DataTransferLength;
  while (left > 0) {
    ULONG run = 0;
    STOR_PHYSICAL_ADDRESS pa = OnGetPhysicalAddress(srb, p, &run);
    if (run == 0) {
      return nullptr;
    }
    if (run > left) {
      run = left;
    }
    STOR_SCATTER_GATHER_ELEMENT e{};
    e.PhysicalAddress = pa;
    e.Length = run;
    elements.push_back(e);
    p += run;
    left -= run;
  }
  std::vector<uint8_t> storage(sizeof(STOR_SCATTER_GATHER_LIST) +
                               elements.size() * sizeof(STOR_SCATTER_GATHER_ELEMENT));
  auto* list = reinterpret_cast<PSTOR_SCATTER_GATHER_LIST>(storage.data());
  list->NumberOfElements = static_cast<ULONG>(elements.size());
  std::memcpy(list->List, elements.data(), elements.size() * sizeof(STOR_SCATTER_GATHER_ELEMENT));
  sg_lists_.push_back(std::move(storage));
  return reinterpret_cast<PSTOR_SCATTER_GATHER_LIST>(sg_lists_.back().data());
}

void StorPortDouble::OnCompleteRequest(UCHAR status) {
  // Completes every outstanding SRB of the (single) logical unit with `status`.
  std::vector<PSCSI_REQUEST_BLOCK> all;
  for (const SCSI_REQUEST_BLOCK* srb : outstanding_) {
    all.push_back(const_cast<PSCSI_REQUEST_BLOCK>(srb));
  }
  for (PSCSI_REQUEST_BLOCK srb : all) {
    srb->SrbStatus = status;
    Complete(srb);
  }
}

void StorPortDouble::OnLogError(ULONG error_code, ULONG unique_id) {
  error_log_.push_back("error " + std::to_string(error_code) + " id " + std::to_string(unique_id));
}

void StorPortDouble::OnBusy(ULONG) {
  busy_ = true;
}
void StorPortDouble::OnReady() {
  busy_ = false;
}
void StorPortDouble::OnPause(ULONG) {
  paused_ = true;
}
void StorPortDouble::OnResume() {
  paused_ = false;
}
void StorPortDouble::OnSetQueueDepth(ULONG depth) {
  queue_depth_ = depth;
}

bool StorPortDouble::AddressToBar(const void* address, int* bar, uint64_t* offset) const {
  const auto a = reinterpret_cast<uintptr_t>(address);
  auto it = mappings_.upper_bound(a);
  if (it == mappings_.begin()) {
    return false;
  }
  --it;
  if (a - it->first >= it->second.length) {
    return false;
  }
  *bar = it->second.bar;
  *offset = a - it->first;
  return true;
}

uint64_t StorPortDouble::OnRegisterRead(const void* address, int width) {
  int bar = 0;
  uint64_t offset = 0;
  if (!AddressToBar(address, &bar, &offset)) {
    KernelDouble::Get().Violation("register read outside any mapped BAR");
    return ~uint64_t{0};
  }
  mmio_reads_++;
  return device_->MmioRead(bar, offset, width);
}

void StorPortDouble::OnRegisterWrite(void* address, int width, uint64_t value) {
  int bar = 0;
  uint64_t offset = 0;
  if (!AddressToBar(address, &bar, &offset)) {
    KernelDouble::Get().Violation("register write outside any mapped BAR");
    return;
  }
  mmio_writes_++;
  device_->MmioWrite(bar, offset, width, value);
}

void StorPortDouble::CheckExtension(PVOID extension, const char* api) {
  if (extension != device_extension()) {
    KernelDouble::Get().Violation(std::string(api) + ": not the adapter's device extension");
  }
}

}  // namespace aero::testing

using aero::testing::StorPortDouble;

extern "C" {

ULONG NTAPI StorPortInitialize(PVOID Argument1, PVOID Argument2, PHW_INITIALIZATION_DATA Data,
                               PVOID) {
  return StorPortDouble::Get().OnInitialize(Argument1, Argument2, Data);
}

VOID NTAPI_CDECL StorPortNotification(SCSI_NOTIFICATION_TYPE NotificationType,
                                      PVOID HwDeviceExtension, ...) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortNotification");
  va_list args;
  va_start(args, HwDeviceExtension);
  StorPortDouble::Get().OnNotification(NotificationType, args);
  va_end(args);
}

ULONG NTAPI StorPortGetBusData(PVOID DeviceExtension, ULONG BusDataType, ULONG, ULONG, PVOID Buffer,
                               ULONG Length) {
  StorPortDouble::Get().CheckExtension(DeviceExtension, "StorPortGetBusData");
  return StorPortDouble::Get().OnGetBusData(BusDataType, Buffer, Length);
}

PVOID NTAPI StorPortGetDeviceBase(PVOID HwDeviceExtension, INTERFACE_TYPE, ULONG,
                                  STOR_PHYSICAL_ADDRESS IoAddress, ULONG NumberOfBytes,
                                  BOOLEAN InIoSpace) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortGetDeviceBase");
  return StorPortDouble::Get().OnGetDeviceBase(IoAddress, NumberOfBytes, InIoSpace);
}

VOID NTAPI StorPortFreeDeviceBase(PVOID HwDeviceExtension, PVOID MappedAddress) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortFreeDeviceBase");
  StorPortDouble::Get().OnFreeDeviceBase(MappedAddress);
}

PVOID NTAPI StorPortGetUncachedExtension(PVOID HwDeviceExtension, PPORT_CONFIGURATION_INFORMATION,
                                         ULONG NumberOfBytes) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortGetUncachedExtension");
  return StorPortDouble::Get().OnGetUncachedExtension(NumberOfBytes);
}

STOR_PHYSICAL_ADDRESS NTAPI StorPortGetPhysicalAddress(PVOID HwDeviceExtension,
                                                       PSCSI_REQUEST_BLOCK Srb,
                                                       PVOID VirtualAddress, ULONG* Length) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortGetPhysicalAddress");
  return StorPortDouble::Get().OnGetPhysicalAddress(Srb, VirtualAddress, Length);
}

PSTOR_SCATTER_GATHER_LIST NTAPI StorPortGetScatterGatherList(PVOID DeviceExtension,
                                                             PSCSI_REQUEST_BLOCK Srb) {
  StorPortDouble::Get().CheckExtension(DeviceExtension, "StorPortGetScatterGatherList");
  return StorPortDouble::Get().OnGetScatterGatherList(Srb);
}

VOID NTAPI StorPortCompleteRequest(PVOID HwDeviceExtension, UCHAR, UCHAR, UCHAR, UCHAR SrbStatus) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortCompleteRequest");
  StorPortDouble::Get().OnCompleteRequest(SrbStatus);
}

VOID NTAPI StorPortLogError(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK, UCHAR, UCHAR, UCHAR,
                            ULONG ErrorCode, ULONG UniqueId) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortLogError");
  StorPortDouble::Get().OnLogError(ErrorCode, UniqueId);
}

VOID NTAPI StorPortStallExecution(ULONG Delay) {
  aero::testing::KernelDouble::Get().AdvanceMicros(Delay);
}

BOOLEAN NTAPI StorPortBusy(PVOID HwDeviceExtension, ULONG RequestsToComplete) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortBusy");
  StorPortDouble::Get().OnBusy(RequestsToComplete);
  return TRUE;
}

BOOLEAN NTAPI StorPortReady(PVOID HwDeviceExtension) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortReady");
  StorPortDouble::Get().OnReady();
  return TRUE;
}

BOOLEAN NTAPI StorPortPause(PVOID HwDeviceExtension, ULONG TimeOut) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortPause");
  StorPortDouble::Get().OnPause(TimeOut);
  return TRUE;
}

BOOLEAN NTAPI StorPortResume(PVOID HwDeviceExtension) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortResume");
  StorPortDouble::Get().OnResume();
  return TRUE;
}

BOOLEAN NTAPI StorPortSetDeviceQueueDepth(PVOID HwDeviceExtension, UCHAR, UCHAR, UCHAR,
                                          ULONG Depth) {
  StorPortDouble::Get().CheckExtension(HwDeviceExtension, "StorPortSetDeviceQueueDepth");
  StorPortDouble::Get().OnSetQueueDepth(Depth);
  return TRUE;
}

UCHAR NTAPI StorPortReadRegisterUchar(PVOID, PUCHAR Register) {
  return static_cast<UCHAR>(StorPortDouble::Get().OnRegisterRead(Register, 1));
}
USHORT NTAPI StorPortReadRegisterUshort(PVOID, PUSHORT Register) {
  return static_cast<USHORT>(StorPortDouble::Get().OnRegisterRead(Register, 2));
}
ULONG NTAPI StorPortReadRegisterUlong(PVOID, PULONG Register) {
  return static_cast<ULONG>(StorPortDouble::Get().OnRegisterRead(Register, 4));
}
VOID NTAPI StorPortWriteRegisterUchar(PVOID, PUCHAR Register, UCHAR Value) {
  StorPortDouble::Get().OnRegisterWrite(Register, 1, Value);
}
VOID NTAPI StorPortWriteRegisterUshort(PVOID, PUSHORT Register, USHORT Value) {
  StorPortDouble::Get().OnRegisterWrite(Register, 2, Value);
}
VOID NTAPI StorPortWriteRegisterUlong(PVOID, PULONG Register, ULONG Value) {
  StorPortDouble::Get().OnRegisterWrite(Register, 4, Value);
}

}  // extern "C"
