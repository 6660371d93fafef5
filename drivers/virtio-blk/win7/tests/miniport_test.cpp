// Host tests of the aero_virtio_blk StorPort miniport: the real shim sources, compiled against the
// project's WDK headers, driven by the StorPort double the way Windows 7 drives a miniport, with
// the fake virtio-blk device behind it.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>

#include "aero/blk/testing/fake_blk_device.h"
#include "aero/virtio/testing/fake_platform.h"
#include "miniport.h"
#include "storport_double.h"

extern "C" DRIVER_INITIALIZE DriverEntry;

namespace aero::blk::win7 {
namespace {

using aero::testing::KernelDouble;
using aero::testing::StorPortDouble;
using aero::testing::TestSrb;
namespace vt = virtio::testing;

// The fake virtio device as a PCI function on the double's bus.
class FakePciFunction final : public aero::testing::PciFunctionModel {
 public:
  explicit FakePciFunction(vt::FakeVirtioDevice* device) : device_(device) {}
  uint32_t ConfigRead(uint16_t offset, int width) override {
    return device_->PciConfigRead(offset, width);
  }
  uint64_t MmioRead(int bar, uint64_t offset, int width) override {
    return device_->MmioRead(bar, offset, width);
  }
  void MmioWrite(int bar, uint64_t offset, int width, uint64_t value) override {
    device_->MmioWrite(bar, offset, width, value);
  }
  bool InterruptLineAsserted() override { return device_->isr_pending() != 0; }

 private:
  vt::FakeVirtioDevice* device_;
};

// Memory the fake device can reach: FakeDmaMemory (physical addresses above 4 GiB).
class FakeDmaSpace final : public aero::testing::DmaSpace {
 public:
  explicit FakeDmaSpace(vt::FakeDmaMemory* memory) : memory_(memory) {}
  void* Allocate(size_t size, size_t alignment, uint64_t* phys) override {
    virtio::DmaBuffer b;
    if (!memory_->Allocate(size, alignment > 4096 ? 4096 : alignment, &b)) {
      return nullptr;
    }
    buffers_[b.virt] = b;
    *phys = b.phys;
    return b.virt;
  }
  void Free(void* virt) override {
    auto it = buffers_.find(virt);
    if (it != buffers_.end()) {
      memory_->Free(it->second);
      buffers_.erase(it);
    }
  }

 private:
  vt::FakeDmaMemory* memory_;
  std::map<void*, virtio::DmaBuffer> buffers_;
};

std::vector<uint8_t> Read10(uint32_t lba, uint16_t blocks) {
  return {0x28,
          0,
          static_cast<uint8_t>(lba >> 24),
          static_cast<uint8_t>(lba >> 16),
          static_cast<uint8_t>(lba >> 8),
          static_cast<uint8_t>(lba),
          0,
          static_cast<uint8_t>(blocks >> 8),
          static_cast<uint8_t>(blocks),
          0};
}

std::vector<uint8_t> Write10(uint32_t lba, uint16_t blocks) {
  auto cdb = Read10(lba, blocks);
  cdb[0] = 0x2A;
  return cdb;
}

class MiniportTest : public ::testing::Test {
 protected:
  void Boot(blk::testing::FakeBlkOptions options = {}, const char* arguments = "") {
    blk_ = std::make_unique<blk::testing::FakeBlkDevice>(options);
    // The FakePlatform only wires the device to the DMA memory; the shim brings its own platform.
    platform_ = std::make_unique<vt::FakePlatform>(&blk_->device());
    pci_ = std::make_unique<FakePciFunction>(&blk_->device());
    dma_ = std::make_unique<FakeDmaSpace>(&platform_->memory());
    for (size_t i = 0; i < blk_->disk().size(); i++) {
      blk_->disk()[i] = static_cast<uint8_t>(i * 7 + (i >> 9));
    }
    std::vector<aero::testing::AccessRangeModel> ranges;
    if (options.layout == vt::FakeLayout::kAeroBar0) {
      ranges = {{0, 0xFEB00000u, 0x4000}};
    } else {
      ranges = {{1, 0xFEBD1000u, 0x1000}, {4, 0xFE000000u, 0x4000}};
    }
    sp().Reset();
    sp().Attach(pci_.get(), dma_.get(), ranges);
    ASSERT_EQ(sp().LoadDriver(DriverEntry), STATUS_SUCCESS);
    ASSERT_EQ(sp().StartAdapter(arguments), static_cast<ULONG>(SP_RETURN_FOUND))
        << (sp().error_log().empty() ? "" : sp().error_log()[0]);
  }

  void TearDown() override {
    sp().Reset();
    pci_.reset();
    dma_.reset();
    platform_.reset();
    blk_.reset();
  }

  static StorPortDouble& sp() { return StorPortDouble::Get(); }
  static std::vector<std::string> violations() { return KernelDouble::Get().Violations(); }

  // Sends an SRB and, unless it completed at once, delivers the interrupt and runs the DPC.
  TestSrb* RunSrb(const std::vector<uint8_t>& cdb, uint32_t length, ULONG flags) {
    TestSrb* srb = sp().NewSrb(cdb, length, flags);
    sp().Send(srb);
    if (!sp().completed(srb)) {
      sp().DeliverInterrupt();
    }
    return srb;
  }

  std::unique_ptr<blk::testing::FakeBlkDevice> blk_;
  std::unique_ptr<vt::FakePlatform> platform_;
  std::unique_ptr<FakePciFunction> pci_;
  std::unique_ptr<FakeDmaSpace> dma_;
};

// What the Win7 disk class driver sends when it finds a disk, then a read of the partition table.
TEST_F(MiniportTest, Win7DiskClassBootSequence) {
  Boot();
  EXPECT_EQ(sp().config().MaximumNumberOfTargets, 1);
  EXPECT_TRUE(sp().config().ScatterGather);
  EXPECT_NE(sp().config().MaximumTransferLength, 0xFFFFFFFFu);

  TestSrb* inquiry = RunSrb({0x12, 0, 0, 0, 36, 0}, 36, SRB_FLAGS_DATA_IN);
  ASSERT_EQ(inquiry->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(inquiry->data[0] & 0x1F, 0x00);  // direct-access block device
  EXPECT_EQ(std::string(reinterpret_cast<char*>(inquiry->data + 8), 4), "Aero");

  TestSrb* pages = RunSrb({0x12, 1, 0x00, 0, 255, 0}, 255, SRB_FLAGS_DATA_IN);
  ASSERT_EQ(pages->srb.SrbStatus & 0x3F, SRB_STATUS_DATA_OVERRUN);  // shorter than asked: underrun
  EXPECT_EQ(pages->data[1], 0x00);
  EXPECT_LT(pages->srb.DataTransferLength, 255u);
  for (uint8_t page : {0x80, 0x83, 0xB0}) {
    TestSrb* vpd = RunSrb({0x12, 1, page, 0, 255, 0}, 255, SRB_FLAGS_DATA_IN);
    EXPECT_EQ(vpd->srb.SrbStatus & 0x3F, SRB_STATUS_DATA_OVERRUN) << int(page);
    EXPECT_EQ(vpd->data[1], page);
  }

  TestSrb* capacity = RunSrb({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 8, SRB_FLAGS_DATA_IN);
  ASSERT_EQ(capacity->srb.SrbStatus, SRB_STATUS_SUCCESS);
  const uint32_t last_lba = uint32_t{capacity->data[0]} << 24 | capacity->data[1] << 16 |
                            capacity->data[2] << 8 | capacity->data[3];
  EXPECT_EQ(last_lba, 2047u);
  EXPECT_EQ(capacity->data[6], 0x02);  // 512-byte blocks

  TestSrb* mode = RunSrb({0x1A, 0, 0x3F, 0, 192, 0}, 192, SRB_FLAGS_DATA_IN);
  EXPECT_EQ(mode->srb.SrbStatus & 0x3F, SRB_STATUS_DATA_OVERRUN);
  TestSrb* tur = RunSrb({0x00, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER);
  EXPECT_EQ(tur->srb.SrbStatus, SRB_STATUS_SUCCESS);

  TestSrb* mbr = RunSrb(Read10(0, 1), 512, SRB_FLAGS_DATA_IN);
  ASSERT_EQ(mbr->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(std::memcmp(mbr->data, blk_->disk().data(), 512), 0);

  EXPECT_EQ(sp().outstanding(), 0u);
  EXPECT_TRUE(violations().empty()) << violations()[0];
  EXPECT_TRUE(blk_->protocol_errors().empty());
  EXPECT_EQ(KernelDouble::Get().OutstandingAllocations(), 0u);  // a StorPort miniport uses no pool
}

TEST_F(MiniportTest, WriteReadBackAndFlushAcrossPages) {
  Boot();
  TestSrb* write = sp().NewSrb(Write10(100, 24), 24 * 512, SRB_FLAGS_DATA_OUT);
  for (uint32_t i = 0; i < 24 * 512; i++) {
    write->data[i] = static_cast<uint8_t>(i ^ 0x5A);
  }
  sp().Send(write);
  sp().DeliverInterrupt();
  ASSERT_EQ(write->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(std::memcmp(blk_->disk().data() + 100 * 512, write->data, 24 * 512), 0);

  TestSrb* sync = RunSrb({0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER);
  EXPECT_EQ(sync->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(blk_->served(4), 1u);  // VIRTIO_BLK_T_FLUSH

  TestSrb* read = RunSrb(Read10(100, 24), 24 * 512, SRB_FLAGS_DATA_IN);
  ASSERT_EQ(read->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(std::memcmp(read->data, write->data, 24 * 512), 0);
  EXPECT_TRUE(violations().empty());
}

TEST_F(MiniportTest, OutOfRangeReadGivesAutosenseLbaOutOfRange) {
  Boot();
  TestSrb* srb = RunSrb(Read10(2048, 1), 512, SRB_FLAGS_DATA_IN);
  EXPECT_EQ(srb->srb.SrbStatus, SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID);
  EXPECT_EQ(srb->srb.ScsiStatus, SCSISTAT_CHECK_CONDITION);
  EXPECT_EQ(srb->sense[0] & 0x7F, 0x70);
  EXPECT_EQ(srb->sense[2] & 0x0F, 0x05);  // ILLEGAL REQUEST
  EXPECT_EQ(srb->sense[12], 0x21);        // LOGICAL BLOCK ADDRESS OUT OF RANGE
}

TEST_F(MiniportTest, DeviceIoErrorIsMediumError) {
  Boot();
  blk_->FailSectors(10, 1, 1 /* IOERR */);
  TestSrb* srb = RunSrb(Read10(10, 1), 512, SRB_FLAGS_DATA_IN);
  EXPECT_EQ(srb->srb.SrbStatus, SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID);
  EXPECT_EQ(srb->sense[2] & 0x0F, 0x03);  // MEDIUM ERROR
}

TEST_F(MiniportTest, BusResetCompletesEveryOutstandingSrbOnceAndNoneAfter) {
  Boot();
  blk_->SetAutoService(false);  // the device stalls
  std::vector<TestSrb*> srbs;
  for (uint32_t i = 0; i < 5; i++) {
    srbs.push_back(sp().NewSrb(Read10(i * 8, 8), 8 * 512, SRB_FLAGS_DATA_IN));
    sp().Send(srbs.back());
  }
  EXPECT_EQ(sp().outstanding(), 5u);
  EXPECT_TRUE(sp().ResetBus());
  for (TestSrb* srb : srbs) {
    EXPECT_EQ(sp().completion_count(srb), 1);
    EXPECT_EQ(srb->srb.SrbStatus, SRB_STATUS_BUS_RESET);
  }
  // Whatever the device does now, nothing completes again.
  blk_->Service();
  sp().DeliverInterrupt();
  for (TestSrb* srb : srbs) {
    EXPECT_EQ(sp().completion_count(srb), 1);
  }
  blk_->SetAutoService(true);
  TestSrb* after = RunSrb(Read10(0, 1), 512, SRB_FLAGS_DATA_IN);
  EXPECT_EQ(after->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_TRUE(violations().empty()) << violations()[0];
}

TEST_F(MiniportTest, HostileUsedRingResetsAndFailsEachOutstandingSrbOnce) {
  Boot();
  blk_->SetAutoService(false);
  std::vector<TestSrb*> srbs;
  for (uint32_t i = 0; i < 4; i++) {
    srbs.push_back(sp().NewSrb(Read10(i, 1), 512, SRB_FLAGS_DATA_IN));
    sp().Send(srbs.back());
  }
  blk_->device().ArmUsedFault(0, vt::UsedFault::kIdOutOfRange);
  blk_->Service();
  sp().DeliverInterrupt();
  int errors = 0;
  for (TestSrb* srb : srbs) {
    ASSERT_EQ(sp().completion_count(srb), 1);
    errors += srb->srb.SrbStatus != SRB_STATUS_SUCCESS ? 1 : 0;
  }
  EXPECT_GE(errors, 1);
  EXPECT_EQ(sp().outstanding(), 0u);
  blk_->SetAutoService(true);
  TestSrb* after = RunSrb(Read10(0, 1), 512, SRB_FLAGS_DATA_IN);  // recovered by the reset
  EXPECT_EQ(after->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_TRUE(violations().empty()) << violations()[0];
}

TEST_F(MiniportTest, QueueFullIsBusyBackPressure) {
  Boot();
  blk_->SetAutoService(false);
  int busy = 0;
  std::vector<TestSrb*> srbs;
  for (int i = 0; i < kMaxRequests + 4; i++) {
    srbs.push_back(sp().NewSrb(Read10(i, 1), 512, SRB_FLAGS_DATA_IN));
    sp().Send(srbs.back());
    busy += sp().completed(srbs.back()) && srbs.back()->srb.SrbStatus == SRB_STATUS_BUSY ? 1 : 0;
  }
  EXPECT_GE(busy, 1);
  EXPECT_TRUE(sp().busy());
  blk_->Service();
  sp().DeliverInterrupt();
  EXPECT_EQ(sp().outstanding(), 0u);
  EXPECT_TRUE(violations().empty());
}

TEST_F(MiniportTest, PowerStopAndRestart) {
  Boot();
  std::vector<uint8_t> list_storage(sizeof(SCSI_SUPPORTED_CONTROL_TYPE_LIST) +
                                    ScsiAdapterControlMax);
  auto* list = reinterpret_cast<PSCSI_SUPPORTED_CONTROL_TYPE_LIST>(list_storage.data());
  list->MaxControlType = ScsiAdapterControlMax;
  EXPECT_EQ(sp().AdapterControl(ScsiQuerySupportedControlTypes, list), ScsiAdapterControlSuccess);
  EXPECT_TRUE(list->SupportedTypeList[ScsiStopAdapter]);
  EXPECT_TRUE(list->SupportedTypeList[ScsiRestartAdapter]);
  EXPECT_EQ(sp().AdapterControl(ScsiStopAdapter, nullptr), ScsiAdapterControlSuccess);
  EXPECT_EQ(blk_->device().device_status(), 0);  // reset: the device stops touching memory
  EXPECT_EQ(sp().AdapterControl(ScsiRestartAdapter, nullptr), ScsiAdapterControlSuccess);
  TestSrb* srb = RunSrb(Read10(1, 1), 512, SRB_FLAGS_DATA_IN);
  EXPECT_EQ(srb->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_TRUE(violations().empty()) << violations()[0];
}

TEST_F(MiniportTest, CrashDumpModePollsWithoutInterruptsOrDpcs) {
  Boot({}, "dump=1");
  TestSrb* write = sp().NewSrb(Write10(7, 2), 1024, SRB_FLAGS_DATA_OUT);
  std::memset(write->data, 0xD5, 1024);
  sp().Send(write);
  EXPECT_EQ(sp().completion_count(write), 1);  // completed inside HwStartIo
  EXPECT_EQ(write->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(KernelDouble::Get().PendingDpcs(), 0u);
  EXPECT_EQ(blk_->disk()[7 * 512], 0xD5);
  EXPECT_TRUE(violations().empty()) << violations()[0];
}

TEST_F(MiniportTest, QemuLayoutAndUnsupportedSrbFunction) {
  blk::testing::FakeBlkOptions options;
  options.layout = vt::FakeLayout::kQemuBar4;
  options.queue_max_size = 256;
  Boot(options);
  TestSrb* read = RunSrb(Read10(3, 2), 1024, SRB_FLAGS_DATA_IN);
  EXPECT_EQ(read->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(std::memcmp(read->data, blk_->disk().data() + 3 * 512, 1024), 0);
  TestSrb* odd = sp().NewFunctionSrb(SRB_FUNCTION_IO_CONTROL);
  sp().Send(odd);
  EXPECT_EQ(odd->srb.SrbStatus, SRB_STATUS_INVALID_REQUEST);
  TestSrb* other_target = sp().NewSrb({0x00, 0, 0, 0, 0, 0}, 0, SRB_FLAGS_NO_DATA_TRANSFER);
  other_target->srb.TargetId = 1;
  sp().Send(other_target);
  EXPECT_EQ(other_target->srb.SrbStatus, SRB_STATUS_NO_DEVICE);
  EXPECT_TRUE(violations().empty()) << violations()[0];
}

TEST_F(MiniportTest, FourKnDiskReportsFourKiBBlocks) {
  blk::testing::FakeBlkOptions options;
  options.block_size = 4096;
  options.capacity_sectors = 8 * 256;  // 256 blocks of 4 KiB
  Boot(options);
  TestSrb* capacity =
      RunSrb({0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0}, 32, SRB_FLAGS_DATA_IN);
  ASSERT_EQ(capacity->srb.SrbStatus & 0x3F, SRB_STATUS_SUCCESS);
  EXPECT_EQ(capacity->data[7], 255);    // last LBA
  EXPECT_EQ(capacity->data[10], 0x10);  // 4096-byte blocks
  TestSrb* read = RunSrb(Read10(2, 1), 4096, SRB_FLAGS_DATA_IN);
  ASSERT_EQ(read->srb.SrbStatus, SRB_STATUS_SUCCESS);
  EXPECT_EQ(std::memcmp(read->data, blk_->disk().data() + 2 * 4096, 4096), 0);
}

}  // namespace
}  // namespace aero::blk::win7
