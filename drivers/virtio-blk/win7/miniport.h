// The StorPort miniport of aero_virtio_blk: thin callbacks that hand SRBs to the portable SCSI
// disk (drivers/virtio-blk/core) and map its results onto SRB statuses.
//
// Synchronisation (StorPort full-duplex model):
// - HwStartIo runs under the StartIo lock; it submits to the core.
// - HwInterrupt runs at DIRQL under the interrupt lock; it only reads and acknowledges the ISR
//   register (ReadInterruptStatus touches no core state) and queues the completion DPC.
// - The DPC takes the StartIo lock and harvests completions, so every core call is serialized.
// - HwResetBus and HwAdapterControl(stop/restart) are called by StorPort with the StartIo lock or
//   at DIRQL with the adapter quiesced.
// Crash dump and hibernation ("dump=1" in the argument string): no interrupts and no DPCs;
// HwStartIo polls the device until the request completes.
#pragma once

#include <storport.h>

#include "aero/blk/scsi_disk.h"
#include "aero/virtio/spec.h"
#include "bar_resources.h"
#include "dma_pool.h"
#include "storport_platform.h"

namespace aero::blk::win7 {

// Data segments an SRB may carry; NumberOfPhysicalBreaks is derived from the core's limits and
// never exceeds this.
inline constexpr uint32_t kMaxSrbSegments = 129;
// The uncached extension: rings, request slots and the core's bookkeeping (see docs/virtio-blk.md).
inline constexpr ULONG kUncachedExtensionBytes = 256 * 1024;
inline constexpr uint16_t kMaxRequests = 64;
inline constexpr uint16_t kMaxDataDescriptors = 128;
// Polled completion in dump mode gives up after this long (then resets the device).
inline constexpr uint64_t kDumpPollTimeoutMicros = 30ull * 1000 * 1000;

struct SrbContext {
  PhysicalSegment segments[kMaxSrbSegments];
  uint32_t segment_count;
};

struct AdapterExtension {
  uint8_t pci_config[256] = {};
  BarAssignment bars[virtio::kPciBarCount] = {};
  DmaPool pool;
  StorPortPlatform* platform = nullptr;  // constructed in platform_storage
  alignas(16) uint8_t platform_storage[sizeof(StorPortPlatform)] = {};
  SerializedLock selector_lock;
  ScsiDisk disk;
  STOR_DPC completion_dpc = {};
  volatile LONG pending_isr = 0;  // ISR bits HwInterrupt saw, for the DPC
  bool dump_mode = false;
  bool resetting = false;                    // completions during HwResetBus report BUS_RESET
  PSCSI_REQUEST_BLOCK polled_srb = nullptr;  // dump mode: the SRB HwStartIo waits for
  bool polled_done = false;
};

HW_FIND_ADAPTER AeroBlkFindAdapter;
HW_INITIALIZE AeroBlkInitialize;
HW_BUILDIO AeroBlkBuildIo;
HW_STARTIO AeroBlkStartIo;
HW_INTERRUPT AeroBlkInterrupt;
HW_RESET_BUS AeroBlkResetBus;
HW_ADAPTER_CONTROL AeroBlkAdapterControl;
HW_DPC_ROUTINE AeroBlkCompletionDpc;

}  // namespace aero::blk::win7
