// A test double of StorPort that drives a miniport the way Windows 7 does: DriverEntry →
// StorPortInitialize, HwFindAdapter with a realistic PORT_CONFIGURATION_INFORMATION, HwInitialize,
// passive initialization, SRBs through HwBuildIo/HwStartIo, interrupts, DPCs, bus resets and
// adapter control (stop/restart for power). It implements the storport.sys exports our storport.h
// declares and checks StorPort's rules: every SRB completed exactly once and never while not
// outstanding, no SRB left outstanding when HwResetBus or ScsiStopAdapter returns, uncached
// extension and device base only from HwFindAdapter, callbacks at the right IRQL, StorPort spin
// locks released and taken in order. Rule breaks become KernelDouble violations.
#pragma once

#include <storport.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kernel_double.h"

namespace aero::testing {

// What the adapter looks like on the PCI bus.
class PciFunctionModel {
 public:
  virtual ~PciFunctionModel() = default;
  virtual uint32_t ConfigRead(uint16_t offset, int width) = 0;
  virtual uint64_t MmioRead(int bar, uint64_t offset, int width) = 0;
  virtual void MmioWrite(int bar, uint64_t offset, int width, uint64_t value) = 0;
  virtual bool InterruptLineAsserted() = 0;
};

// Memory the device can reach by physical address (the fake device's DMA space).
class DmaSpace {
 public:
  virtual ~DmaSpace() = default;
  // Zeroed, physically contiguous block; nullptr on failure.
  virtual void* Allocate(size_t size, size_t alignment, uint64_t* phys) = 0;
  virtual void Free(void* virt) = 0;
};

struct AccessRangeModel {
  int bar;
  uint64_t physical;
  uint32_t length;
};

// One SRB a test sends, with its buffers in DMA space.
struct TestSrb {
  SCSI_REQUEST_BLOCK srb{};
  std::vector<uint8_t> sense = std::vector<uint8_t>(18);
  uint8_t* data = nullptr;  // DMA-space buffer of srb.DataTransferLength bytes (or nullptr)
  void* extension = nullptr;
};

class StorPortDouble {
 public:
  static StorPortDouble& Get();
  // Forgets everything (also resets the KernelDouble). Call in SetUp/TearDown.
  void Reset();

  void Attach(PciFunctionModel* device, DmaSpace* dma, std::vector<AccessRangeModel> ranges,
              uint8_t interrupt_line = 11);

  // Calls the driver's entry point as the I/O manager would; it must call StorPortInitialize.
  NTSTATUS LoadDriver(DRIVER_INITIALIZE* driver_entry);
  const HW_INITIALIZATION_DATA& hw() const { return hw_; }

  // HwFindAdapter, then HwInitialize at interrupt IRQL, then the passive initialization routine
  // if the miniport enabled one. Returns the HwFindAdapter result (SP_RETURN_*); false from
  // HwInitialize or the passive routine makes StartAdapter return SP_RETURN_ERROR.
  ULONG StartAdapter(const char* arguments = "");
  const PORT_CONFIGURATION_INFORMATION& config() const { return config_; }
  void* device_extension() { return device_extension_.data(); }

  // A new SRB with a zeroed DMA data buffer of `data_length` bytes and an SRB extension.
  TestSrb* NewSrb(const std::vector<uint8_t>& cdb, uint32_t data_length, ULONG flags);
  TestSrb* NewFunctionSrb(UCHAR function);
  // HwBuildIo (no lock) then HwStartIo under the StartIo lock at DISPATCH_LEVEL. Returns the
  // HwStartIo result. Busy/pause state is honoured by the caller (see busy()).
  bool Send(TestSrb* srb);
  // If the device's line is asserted: HwInterrupt at DIRQL under the interrupt lock. Then runs
  // queued DPCs. Returns whether the miniport claimed the interrupt.
  bool DeliverInterrupt();
  size_t RunDpcs() { return KernelDouble::Get().RunDpcs(); }
  // HwResetBus under the StartIo lock; every SRB outstanding before must be completed on return.
  bool ResetBus();
  // HwAdapterControl. ScsiStopAdapter requires no SRB outstanding on return.
  SCSI_ADAPTER_CONTROL_STATUS AdapterControl(SCSI_ADAPTER_CONTROL_TYPE type, PVOID parameters);
  // Runs the timer routine the miniport armed with RequestTimerCall, if any.
  bool FireTimer();

  // Observation.
  bool completed(const TestSrb* srb) const;
  int completion_count(const TestSrb* srb) const;
  size_t outstanding() const { return outstanding_.size(); }
  bool busy() const { return busy_ || paused_; }
  uint64_t mmio_reads() const { return mmio_reads_; }
  uint64_t mmio_writes() const { return mmio_writes_; }
  uint64_t next_request_calls() const { return next_request_calls_; }
  uint32_t queue_depth() const { return queue_depth_; }
  const std::vector<std::string>& error_log() const { return error_log_; }

  // ---- Called by the storport.sys entry points (storport_double.cpp). ----
  ULONG OnInitialize(PVOID argument1, PVOID argument2, PHW_INITIALIZATION_DATA data);
  void OnNotification(SCSI_NOTIFICATION_TYPE type, va_list args);
  ULONG OnGetBusData(ULONG bus_type, PVOID buffer, ULONG length);
  PVOID OnGetDeviceBase(STOR_PHYSICAL_ADDRESS address, ULONG length, BOOLEAN in_io_space);
  void OnFreeDeviceBase(PVOID base);
  PVOID OnGetUncachedExtension(ULONG bytes);
  STOR_PHYSICAL_ADDRESS OnGetPhysicalAddress(PSCSI_REQUEST_BLOCK srb, PVOID va, ULONG* length);
  PSTOR_SCATTER_GATHER_LIST OnGetScatterGatherList(PSCSI_REQUEST_BLOCK srb);
  void OnCompleteRequest(UCHAR status);
  void OnLogError(ULONG error_code, ULONG unique_id);
  void OnBusy(ULONG requests);
  void OnReady();
  void OnPause(ULONG timeout);
  void OnResume();
  void OnSetQueueDepth(ULONG depth);
  uint64_t OnRegisterRead(const void* address, int width);
  void OnRegisterWrite(void* address, int width, uint64_t value);
  void CheckExtension(PVOID extension, const char* api);

 private:
  StorPortDouble() = default;
  enum class Phase { kIdle, kFindAdapter, kInitialize, kRunning, kStopped };
  struct Mapping {
    int bar;
    uint64_t length;
  };
  void Complete(PSCSI_REQUEST_BLOCK srb);
  void CheckNoneOutstanding(const char* after);
  void CallLocked(STOR_SPINLOCK lock, KIRQL irql, const std::function<void()>& fn);
  bool AddressToBar(const void* address, int* bar, uint64_t* offset) const;

  PciFunctionModel* device_ = nullptr;
  DmaSpace* dma_ = nullptr;
  std::vector<AccessRangeModel> ranges_;
  uint8_t interrupt_line_ = 11;
  HW_INITIALIZATION_DATA hw_{};
  bool initialized_ = false;
  PORT_CONFIGURATION_INFORMATION config_{};
  std::vector<ACCESS_RANGE> access_ranges_;
  std::vector<uint8_t> device_extension_;
  Phase phase_ = Phase::kIdle;
  std::map<uintptr_t, Mapping> mappings_;  // token base → BAR
  uintptr_t next_token_ = 0x7A0000000000;
  struct DmaBlock {
    uint64_t phys;
    size_t size;
    bool contiguous;  // the uncached extension (a common buffer); data buffers are page by page
  };
  std::map<uintptr_t, DmaBlock> dma_blocks_;  // virt → block
  void* uncached_ = nullptr;
  PHW_PASSIVE_INITIALIZE_ROUTINE passive_routine_ = nullptr;
  std::map<const void*, PHW_DPC_ROUTINE> dpcs_;
  std::vector<std::unique_ptr<TestSrb>> srbs_;
  std::set<const SCSI_REQUEST_BLOCK*> outstanding_;
  std::map<const SCSI_REQUEST_BLOCK*, int> completions_;
  std::vector<std::vector<uint8_t>> sg_lists_;
  std::vector<STOR_SPINLOCK> held_;
  PHW_TIMER timer_ = nullptr;
  bool busy_ = false;
  bool paused_ = false;
  uint32_t queue_depth_ = 0;
  uint64_t mmio_reads_ = 0;
  uint64_t mmio_writes_ = 0;
  uint64_t next_request_calls_ = 0;
  std::vector<std::string> error_log_;
};

}  // namespace aero::testing
