// Tests of the StorPort double itself, with a toy miniport whose misbehaviour each test selects:
// the double must accept a correct miniport and report each broken rule.
#include "storport_double.h"

#include <gtest/gtest.h>

#include "host_dma_space.h"

namespace aero::testing {
namespace {

// A device with one doorbell register at BAR0+0 and an interrupt line the test raises.
class ToyDevice final : public PciFunctionModel {
 public:
  uint32_t ConfigRead(uint16_t offset, int) override { return offset == 0 ? 0xF4 : 0; }
  uint64_t MmioRead(int, uint64_t offset, int) override {
    if (offset == 4) {  // reading the status register acknowledges the interrupt
      const uint64_t v = line ? 1 : 0;
      line = false;
      return v;
    }
    return doorbell;
  }
  void MmioWrite(int, uint64_t offset, int, uint64_t value) override {
    if (offset == 0) {
      doorbell = value;
      line = true;  // the "device" completes at once and interrupts
    }
  }
  bool InterruptLineAsserted() override { return line; }
  uint64_t doorbell = 0;
  bool line = false;
};

struct Toy {
  enum class Fault { kNone, kCompleteTwice, kKeepOnReset, kUncachedInInit, kLockOrder };
  static inline Fault fault = Fault::kNone;
  static inline PSCSI_REQUEST_BLOCK pending = nullptr;
};

struct ToyExtension {
  PUCHAR bar;
  STOR_DPC dpc;
  PPORT_CONFIGURATION_INFORMATION config;
};

VOID NTAPI ToyDpc(PSTOR_DPC, PVOID ext, PVOID, PVOID) {
  STOR_LOCK_HANDLE lock;
  StorPortAcquireSpinLock(ext, InterruptLock, nullptr, &lock);
  PSCSI_REQUEST_BLOCK srb = Toy::pending;
  Toy::pending = nullptr;
  StorPortReleaseSpinLock(ext, &lock);
  if (srb != nullptr) {
    srb->SrbStatus = SRB_STATUS_SUCCESS;
    StorPortNotification(RequestComplete, ext, srb);
    if (Toy::fault == Toy::Fault::kCompleteTwice) {
      StorPortNotification(RequestComplete, ext, srb);
    }
  }
}

ULONG NTAPI ToyFindAdapter(PVOID ext, PVOID, PVOID, PCHAR, PPORT_CONFIGURATION_INFORMATION config,
                           PBOOLEAN) {
  auto* e = static_cast<ToyExtension*>(ext);
  ACCESS_RANGE& range = (*config->AccessRanges)[0];
  e->bar = static_cast<PUCHAR>(
      StorPortGetDeviceBase(ext, PCIBus, 0, range.RangeStart, range.RangeLength, FALSE));
  config->MaximumTransferLength = 64 * 1024;
  config->NumberOfPhysicalBreaks = 16;
  e->config = config;
  if (Toy::fault != Toy::Fault::kUncachedInInit) {
    StorPortGetUncachedExtension(ext, config, 4096);
  }
  return e->bar != nullptr ? SP_RETURN_FOUND : SP_RETURN_NOT_FOUND;
}

BOOLEAN NTAPI ToyInitialize(PVOID ext) {
  auto* e = static_cast<ToyExtension*>(ext);
  StorPortInitializeDpc(ext, &e->dpc, ToyDpc);
  if (Toy::fault == Toy::Fault::kUncachedInInit) {
    StorPortGetUncachedExtension(ext, e->config, 4096);
  }
  return TRUE;
}

BOOLEAN NTAPI ToyBuildIo(PVOID, PSCSI_REQUEST_BLOCK) {
  return TRUE;
}

BOOLEAN NTAPI ToyStartIo(PVOID ext, PSCSI_REQUEST_BLOCK srb) {
  auto* e = static_cast<ToyExtension*>(ext);
  if (Toy::fault == Toy::Fault::kLockOrder) {
    STOR_LOCK_HANDLE lock;  // DpcLock while holding the StartIo lock: wrong order
    StorPortAcquireSpinLock(ext, DpcLock, nullptr, &lock);
    StorPortReleaseSpinLock(ext, &lock);
  }
  Toy::pending = srb;
  StorPortWriteRegisterUlong(ext, reinterpret_cast<PULONG>(e->bar), 1);
  StorPortNotification(NextRequest, ext);
  return TRUE;
}

BOOLEAN NTAPI ToyInterrupt(PVOID ext) {
  auto* e = static_cast<ToyExtension*>(ext);
  if (StorPortReadRegisterUlong(ext, reinterpret_cast<PULONG>(e->bar + 4)) == 0) {
    return FALSE;
  }
  StorPortIssueDpc(ext, &e->dpc, nullptr, nullptr);
  return TRUE;
}

BOOLEAN NTAPI ToyResetBus(PVOID ext, ULONG) {
  if (Toy::fault != Toy::Fault::kKeepOnReset && Toy::pending != nullptr) {
    Toy::pending = nullptr;
    StorPortCompleteRequest(ext, 0, 0, 0, SRB_STATUS_BUS_RESET);
  }
  return TRUE;
}

extern "C" NTSTATUS NTAPI ToyDriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path) {
  HW_INITIALIZATION_DATA hw{};
  hw.HwInitializationDataSize = sizeof(hw);
  hw.AdapterInterfaceType = PCIBus;
  hw.HwFindAdapter = ToyFindAdapter;
  hw.HwInitialize = ToyInitialize;
  hw.HwBuildIo = ToyBuildIo;
  hw.HwStartIo = ToyStartIo;
  hw.HwInterrupt = ToyInterrupt;
  hw.HwResetBus = ToyResetBus;
  hw.DeviceExtensionSize = sizeof(ToyExtension);
  hw.NumberOfAccessRanges = 1;
  return static_cast<NTSTATUS>(StorPortInitialize(driver, path, &hw, nullptr));
}

class StorPortDoubleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Toy::fault = Toy::Fault::kNone;
    Toy::pending = nullptr;
    sp.Reset();
    sp.Attach(&device, &dma, {{0, 0xFEBD0000, 0x1000}});
    ASSERT_EQ(sp.LoadDriver(ToyDriverEntry), STATUS_SUCCESS);
  }
  void TearDown() override { sp.Reset(); }
  std::vector<std::string> violations() { return KernelDouble::Get().Violations(); }

  StorPortDouble& sp = StorPortDouble::Get();
  ToyDevice device;
  HostDmaSpace dma;
};

TEST_F(StorPortDoubleTest, CorrectMiniportCompletesThroughInterruptAndDpc) {
  ASSERT_EQ(sp.StartAdapter(), static_cast<ULONG>(SP_RETURN_FOUND));
  TestSrb* srb =
      sp.NewSrb({0x00, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER);  // TEST UNIT READY
  EXPECT_TRUE(sp.Send(srb));
  EXPECT_EQ(device.doorbell, 1u);
  EXPECT_FALSE(sp.completed(srb));
  EXPECT_TRUE(sp.DeliverInterrupt());
  EXPECT_EQ(sp.completion_count(srb), 1);
  EXPECT_EQ(sp.outstanding(), 0u);
  EXPECT_EQ(sp.mmio_writes(), 1u);
  EXPECT_EQ(sp.mmio_reads(), 1u);
  EXPECT_TRUE(violations().empty()) << violations()[0];
}

TEST_F(StorPortDoubleTest, DoubleCompletionIsReported) {
  Toy::fault = Toy::Fault::kCompleteTwice;
  ASSERT_EQ(sp.StartAdapter(), static_cast<ULONG>(SP_RETURN_FOUND));
  TestSrb* srb = sp.NewSrb({0x00, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER);
  sp.Send(srb);
  sp.DeliverInterrupt();
  EXPECT_EQ(sp.completion_count(srb), 2);
  ASSERT_EQ(violations().size(), 1u);
  EXPECT_EQ(violations()[0], "an SRB was completed twice");
}

TEST_F(StorPortDoubleTest, ResetThatLeavesAnSrbOutstandingIsReported) {
  Toy::fault = Toy::Fault::kKeepOnReset;
  ASSERT_EQ(sp.StartAdapter(), static_cast<ULONG>(SP_RETURN_FOUND));
  TestSrb* srb = sp.NewSrb({0x00, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER);
  sp.Send(srb);
  sp.ResetBus();
  ASSERT_EQ(violations().size(), 1u);
  EXPECT_EQ(violations()[0], "HwResetBus returned with 1 SRB(s) outstanding");
}

TEST_F(StorPortDoubleTest, ResetThatCompletesEverythingIsAccepted) {
  ASSERT_EQ(sp.StartAdapter(), static_cast<ULONG>(SP_RETURN_FOUND));
  TestSrb* srb = sp.NewSrb({0x00, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER);
  sp.Send(srb);
  EXPECT_TRUE(sp.ResetBus());
  EXPECT_EQ(sp.completion_count(srb), 1);
  EXPECT_EQ(srb->srb.SrbStatus, SRB_STATUS_BUS_RESET);
  EXPECT_TRUE(violations().empty());
}

TEST_F(StorPortDoubleTest, UncachedExtensionOutsideFindAdapterIsReported) {
  Toy::fault = Toy::Fault::kUncachedInInit;
  sp.StartAdapter();
  ASSERT_EQ(violations().size(), 1u);
  EXPECT_EQ(violations()[0], "StorPortGetUncachedExtension outside HwFindAdapter");
}

TEST_F(StorPortDoubleTest, SpinLockOrderIsChecked) {
  Toy::fault = Toy::Fault::kLockOrder;
  ASSERT_EQ(sp.StartAdapter(), static_cast<ULONG>(SP_RETURN_FOUND));
  sp.Send(sp.NewSrb({0x00, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER));
  ASSERT_FALSE(violations().empty());
  EXPECT_EQ(violations()[0], "StorPort spin lock taken out of order or recursively");
}

TEST_F(StorPortDoubleTest, ScatterGatherListSplitsAtPageBoundaries) {
  ASSERT_EQ(sp.StartAdapter(), static_cast<ULONG>(SP_RETURN_FOUND));
  TestSrb* srb = sp.NewSrb({0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0}, 3 * 4096, SRB_FLAGS_DATA_IN);
  PSTOR_SCATTER_GATHER_LIST sg = StorPortGetScatterGatherList(sp.device_extension(), &srb->srb);
  ASSERT_NE(sg, nullptr);
  uint64_t total = 0;
  for (ULONG i = 0; i < sg->NumberOfElements; i++) {
    const auto& e = sg->List[i];
    EXPECT_LE((e.PhysicalAddress.QuadPart & 4095) + e.Length, 4096u) << "element " << i;
    total += e.Length;
  }
  EXPECT_EQ(total, 3u * 4096);
  EXPECT_GE(sg->NumberOfElements, 3u);
}

}  // namespace
}  // namespace aero::testing
