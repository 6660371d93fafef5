#include "miniport.h"

#include "kcrt/new.h"

namespace aero::blk::win7 {
namespace {

// StorPortLogError error codes (SP_INTERNAL_ADAPTER_ERROR); the unique id says what failed.
constexpr ULONG kLogInitializeFailed = 0x00000006;

AdapterExtension* Adapter(PVOID extension) {
  return static_cast<AdapterExtension*>(extension);
}

// Case-insensitive search for "dump=1" in the port driver's argument string (crash dump and
// hibernation load the miniport with it).
bool IsDumpArgument(const char* arguments) {
  if (arguments == nullptr) {
    return false;
  }
  const char key[] = "dump=1";
  for (const char* p = arguments; *p != 0; p++) {
    int i = 0;
    while (key[i] != 0 && p[i] != 0 && (p[i] | 0x20) == (key[i] | 0x20)) {
      i++;
    }
    if (key[i] == 0) {
      return true;
    }
  }
  return false;
}

UCHAR SrbStatusFor(const ScsiCompletion& c, bool resetting) {
  switch (c.status) {
    case HostStatus::kSuccess:
      return SRB_STATUS_SUCCESS;
    case HostStatus::kCheckCondition:
      return SRB_STATUS_ERROR;
    case HostStatus::kBusy:
      return SRB_STATUS_BUSY;
    case HostStatus::kAborted:
      return resetting ? SRB_STATUS_BUS_RESET : SRB_STATUS_ABORTED;
    case HostStatus::kInvalidRequest:
      return SRB_STATUS_INVALID_REQUEST;
    case HostStatus::kInvalidLun:
      return SRB_STATUS_INVALID_LUN;
    case HostStatus::kPending:
      break;
  }
  return SRB_STATUS_INTERNAL_ERROR;
}

// Writes a final core result into the SRB and hands it back to StorPort.
void FinishSrb(AdapterExtension* adapter, PSCSI_REQUEST_BLOCK srb, const ScsiCompletion& c) {
  srb->SrbStatus = SrbStatusFor(c, adapter->resetting);
  srb->ScsiStatus = c.scsi_status;
  if (c.status == HostStatus::kSuccess && c.transferred < srb->DataTransferLength) {
    // StorPort's convention for an underrun: the real length with DATA_OVERRUN.
    srb->DataTransferLength = c.transferred;
    srb->SrbStatus = SRB_STATUS_DATA_OVERRUN;
  }
  if (c.status == HostStatus::kCheckCondition && srb->SenseInfoBuffer != nullptr &&
      (srb->SrbFlags & SRB_FLAGS_DISABLE_AUTOSENSE) == 0) {
    const UCHAR n =
        c.sense_length < srb->SenseInfoBufferLength ? c.sense_length : srb->SenseInfoBufferLength;
    const uint8_t* sense = reinterpret_cast<const uint8_t*>(&c.sense);
    auto* out = static_cast<uint8_t*>(srb->SenseInfoBuffer);
    for (UCHAR i = 0; i < n; i++) {
      out[i] = sense[i];
    }
    srb->SenseInfoBufferLength = n;
    srb->SrbStatus |= SRB_STATUS_AUTOSENSE_VALID;
  }
  if (c.status == HostStatus::kCheckCondition || c.status != HostStatus::kSuccess) {
    if (c.status != HostStatus::kCheckCondition) {
      srb->DataTransferLength = 0;
    }
  }
  if (adapter->dump_mode && srb == adapter->polled_srb) {
    adapter->polled_done = true;
  }
  StorPortNotification(RequestComplete, adapter, srb);
}

void OnCoreCompletion(void* context, const ScsiCompletion& completion) {
  auto* adapter = static_cast<AdapterExtension*>(context);
  FinishSrb(adapter, static_cast<PSCSI_REQUEST_BLOCK>(completion.cookie), completion);
}

void CompleteWithStatus(AdapterExtension* adapter, PSCSI_REQUEST_BLOCK srb, UCHAR status) {
  srb->SrbStatus = status;
  srb->DataTransferLength = 0;
  StorPortNotification(RequestComplete, adapter, srb);
}

// Reads the SRB's scatter-gather list into its context (HwBuildIo: no lock needed).
bool CaptureSegments(AdapterExtension* adapter, PSCSI_REQUEST_BLOCK srb, SrbContext* context) {
  context->segment_count = 0;
  if (srb->DataTransferLength == 0) {
    return true;
  }
  PSTOR_SCATTER_GATHER_LIST list = StorPortGetScatterGatherList(adapter, srb);
  if (list == nullptr) {
    return false;
  }
  if (list->NumberOfElements > kMaxSrbSegments) {
    return false;
  }
  for (ULONG i = 0; i < list->NumberOfElements; i++) {
    context->segments[i] = {static_cast<uint64_t>(list->List[i].PhysicalAddress.QuadPart),
                            list->List[i].Length};
  }
  context->segment_count = list->NumberOfElements;
  return true;
}

// Dump mode: poll until the SRB HwStartIo submitted has completed, resetting the device if it
// does not finish in time (which completes it with an error).
void PollUntilDone(AdapterExtension* adapter, PSCSI_REQUEST_BLOCK srb) {
  adapter->polled_srb = srb;
  adapter->polled_done = false;
  const uint64_t start = adapter->platform->MonotonicMicros();
  while (!adapter->polled_done) {
    if (adapter->disk.Poll(OnCoreCompletion, adapter) == 0) {
      if (adapter->platform->MonotonicMicros() - start > kDumpPollTimeoutMicros) {
        adapter->resetting = true;
        adapter->disk.ResetBus(OnCoreCompletion, adapter);
        adapter->resetting = false;
        break;
      }
      adapter->platform->StallMicros(RequestEngine::kPollIntervalMicros);
    }
  }
  adapter->polled_srb = nullptr;
}

}  // namespace

ULONG NTAPI AeroBlkFindAdapter(PVOID extension, PVOID, PVOID, PCHAR arguments,
                               PPORT_CONFIGURATION_INFORMATION config, PBOOLEAN again) {
  *again = FALSE;
  auto* adapter = new (extension) AdapterExtension();
  adapter->dump_mode = IsDumpArgument(arguments);

  if (StorPortGetBusData(adapter, PCIConfiguration, config->SystemIoBusNumber, config->SlotNumber,
                         adapter->pci_config, sizeof(adapter->pci_config)) < 64) {
    return SP_RETURN_NOT_FOUND;
  }
  AssignedRange ranges[8];
  const int range_count =
      config->NumberOfAccessRanges < 8 ? static_cast<int>(config->NumberOfAccessRanges) : 8;
  for (int i = 0; i < range_count; i++) {
    const ACCESS_RANGE& r = (*config->AccessRanges)[i];
    ranges[i] = {static_cast<uint64_t>(r.RangeStart.QuadPart), r.RangeLength,
                 r.RangeInMemory != FALSE};
  }
  MatchBars(adapter->pci_config, sizeof(adapter->pci_config), ranges, range_count, adapter->bars);

  EngineConfig engine = {};
  for (int i = 0; i < virtio::kPciBarCount; i++) {
    const BarAssignment& bar = adapter->bars[i];
    engine.bars[i] = {virtio::BarKind::kAbsent, 0, 0};
    if (bar.range < 0 || bar.kind == virtio::BarKind::kIo) {
      continue;
    }
    const ACCESS_RANGE& r = (*config->AccessRanges)[bar.range];
    PVOID base =
        StorPortGetDeviceBase(adapter, config->AdapterInterfaceType, config->SystemIoBusNumber,
                              r.RangeStart, r.RangeLength, FALSE);
    if (base == nullptr) {
      return SP_RETURN_ERROR;
    }
    engine.bars[i] = {bar.kind, bar.length, reinterpret_cast<uintptr_t>(base)};
  }

  // DMA capability must be stated before the uncached extension is allocated.
  config->ScatterGather = TRUE;
  config->Master = TRUE;
  config->CachesData = TRUE;
  config->Dma32BitAddresses = TRUE;
  config->Dma64BitAddresses = SCSI_DMA64_MINIPORT_SUPPORTED;
  config->MapBuffers = STOR_MAP_NON_READ_WRITE_BUFFERS;
  config->AlignmentMask = 0x3;
  config->NumberOfBuses = 1;
  config->MaximumNumberOfTargets = 1;
  config->MaximumNumberOfLogicalUnits = 1;
  config->SynchronizationModel = StorSynchronizeFullDuplex;
  config->MaximumTransferLength = (kMaxSrbSegments - 1) * PAGE_SIZE;
  config->NumberOfPhysicalBreaks = kMaxSrbSegments - 1;

  void* uncached = StorPortGetUncachedExtension(adapter, config, kUncachedExtensionBytes);
  if (uncached == nullptr) {
    return SP_RETURN_ERROR;
  }
  ULONG contiguous = 0;
  const STOR_PHYSICAL_ADDRESS phys =
      StorPortGetPhysicalAddress(adapter, nullptr, uncached, &contiguous);
  adapter->pool.Reset(uncached, static_cast<uint64_t>(phys.QuadPart),
                      contiguous < kUncachedExtensionBytes ? contiguous : kUncachedExtensionBytes);
  adapter->platform = new (adapter->platform_storage)
      StorPortPlatform(adapter, adapter->pci_config, &adapter->pool);

  engine.platform = adapter->platform;
  engine.selector_lock = &adapter->selector_lock;
  engine.queue_size = 0;
  engine.max_requests = kMaxRequests;
  engine.max_data_descriptors = kMaxDataDescriptors;
  engine.max_transfer_bytes = (kMaxSrbSegments - 1) * PAGE_SIZE;
  engine.config_msix_vector = virtio::spec::kNoVector;
  engine.queue_msix_vector = virtio::spec::kNoVector;
  engine.polled = adapter->dump_mode;
  engine.fetch_serial = true;
  DiskConfig disk_config = {engine, nullptr, nullptr, nullptr};
  const Status status = adapter->disk.Initialize(disk_config);
  if (status != Status::kOk) {
    // The event log entry carries the core's status and lib/virtio's reason.
    StorPortLogError(adapter, nullptr, 0, 0, 0, kLogInitializeFailed,
                     static_cast<ULONG>(status) << 8 |
                         static_cast<ULONG>(adapter->disk.engine().virtio_status()));
    return SP_RETURN_NOT_FOUND;
  }
  // The real limits, now that the device told its seg_max and size_max.
  const TransferLimits& limits = adapter->disk.limits();
  config->MaximumTransferLength = limits.max_transfer_bytes;
  const uint32_t segments =
      limits.max_segments < kMaxSrbSegments ? limits.max_segments : kMaxSrbSegments;
  config->NumberOfPhysicalBreaks = segments > 1 ? segments - 1 : 1;
  return SP_RETURN_FOUND;
}

BOOLEAN NTAPI AeroBlkInitialize(PVOID extension) {
  auto* adapter = Adapter(extension);
  if (!adapter->dump_mode) {
    StorPortInitializeDpc(adapter, &adapter->completion_dpc, AeroBlkCompletionDpc);
  }
  return TRUE;
}

BOOLEAN NTAPI AeroBlkBuildIo(PVOID extension, PSCSI_REQUEST_BLOCK srb) {
  auto* adapter = Adapter(extension);
  switch (srb->Function) {
    case SRB_FUNCTION_EXECUTE_SCSI: {
      if (srb->PathId != 0 || srb->TargetId != 0) {
        CompleteWithStatus(adapter, srb, SRB_STATUS_NO_DEVICE);
        return FALSE;
      }
      if (!CaptureSegments(adapter, srb, static_cast<SrbContext*>(srb->SrbExtension))) {
        CompleteWithStatus(adapter, srb, SRB_STATUS_INVALID_REQUEST);
        return FALSE;
      }
      return TRUE;
    }
    case SRB_FUNCTION_RESET_BUS:
    case SRB_FUNCTION_RESET_DEVICE:
    case SRB_FUNCTION_RESET_LOGICAL_UNIT:
      return TRUE;  // handled in HwStartIo, under the StartIo lock
    case SRB_FUNCTION_FLUSH:
    case SRB_FUNCTION_SHUTDOWN:
      // The disk class driver flushes with SYNCHRONIZE CACHE; these SRBs need no device work.
    case SRB_FUNCTION_PNP:
    case SRB_FUNCTION_POWER:
      CompleteWithStatus(adapter, srb, SRB_STATUS_SUCCESS);
      return FALSE;
    default:
      CompleteWithStatus(adapter, srb, SRB_STATUS_INVALID_REQUEST);
      return FALSE;
  }
}

BOOLEAN NTAPI AeroBlkStartIo(PVOID extension, PSCSI_REQUEST_BLOCK srb) {
  auto* adapter = Adapter(extension);
  if (srb->Function != SRB_FUNCTION_EXECUTE_SCSI) {
    AeroBlkResetBus(extension, srb->PathId);  // completes everything outstanding
    CompleteWithStatus(adapter, srb, SRB_STATUS_SUCCESS);
    return TRUE;
  }
  auto* context = static_cast<SrbContext*>(srb->SrbExtension);
  ScsiRequest request = {
      srb->Cdb,
      srb->CdbLength,
      srb->Lun,
      {srb->DataBuffer, srb->DataTransferLength, context->segments, context->segment_count},
      srb};
  const ScsiCompletion result = adapter->disk.Submit(request);
  if (result.status == HostStatus::kPending) {
    if (adapter->dump_mode) {
      PollUntilDone(adapter, srb);
    }
  } else {
    if (result.status == HostStatus::kBusy) {
      StorPortBusy(adapter, 1);  // hold new SRBs until one completes
    }
    FinishSrb(adapter, srb, result);
  }
  StorPortNotification(NextRequest, adapter);
  return TRUE;
}

BOOLEAN NTAPI AeroBlkInterrupt(PVOID extension) {
  auto* adapter = Adapter(extension);
  const uint8_t bits = adapter->disk.ReadInterruptStatus();
  if (bits == 0) {
    return FALSE;  // the line is shared: not ours
  }
  __sync_fetch_and_or(&adapter->pending_isr, static_cast<LONG>(bits));
  StorPortIssueDpc(adapter, &adapter->completion_dpc, nullptr, nullptr);
  return TRUE;
}

VOID NTAPI AeroBlkCompletionDpc(PSTOR_DPC, PVOID extension, PVOID, PVOID) {
  auto* adapter = Adapter(extension);
  const auto bits = static_cast<uint8_t>(__sync_lock_test_and_set(&adapter->pending_isr, 0));
  STOR_LOCK_HANDLE lock;
  StorPortAcquireSpinLock(adapter, StartIoLock, nullptr, &lock);
  adapter->disk.ProcessInterrupt(bits, OnCoreCompletion, adapter);
  StorPortReleaseSpinLock(adapter, &lock);
}

BOOLEAN NTAPI AeroBlkResetBus(PVOID extension, ULONG) {
  auto* adapter = Adapter(extension);
  adapter->resetting = true;
  const Status status = adapter->disk.ResetBus(OnCoreCompletion, adapter);
  adapter->resetting = false;
  StorPortNotification(NextRequest, adapter);
  return status == Status::kOk ? TRUE : FALSE;
}

SCSI_ADAPTER_CONTROL_STATUS NTAPI AeroBlkAdapterControl(PVOID extension,
                                                        SCSI_ADAPTER_CONTROL_TYPE type,
                                                        PVOID parameters) {
  auto* adapter = Adapter(extension);
  switch (type) {
    case ScsiQuerySupportedControlTypes: {
      auto* list = static_cast<PSCSI_SUPPORTED_CONTROL_TYPE_LIST>(parameters);
      const SCSI_ADAPTER_CONTROL_TYPE supported[] = {ScsiQuerySupportedControlTypes,
                                                     ScsiStopAdapter, ScsiRestartAdapter};
      for (SCSI_ADAPTER_CONTROL_TYPE t : supported) {
        if (static_cast<ULONG>(t) < list->MaxControlType) {
          list->SupportedTypeList[t] = TRUE;
        }
      }
      return ScsiAdapterControlSuccess;
    }
    case ScsiStopAdapter:
      adapter->resetting = true;
      adapter->disk.Stop(OnCoreCompletion, adapter);
      adapter->resetting = false;
      return ScsiAdapterControlSuccess;
    case ScsiRestartAdapter:
      return adapter->disk.Restart() == Status::kOk ? ScsiAdapterControlSuccess
                                                    : ScsiAdapterControlUnsuccessful;
    default:
      return ScsiAdapterControlUnsuccessful;
  }
}

}  // namespace aero::blk::win7
