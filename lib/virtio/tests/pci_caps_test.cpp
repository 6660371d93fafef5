// Capability parser: both layouts, both policies, every malformed chain the fake can present.
#include <cstring>

#include "test_support.h"

namespace aero::virtio::testing {
namespace {

Status ParseWith(FakeVirtioDevice& device, CapPolicy policy, VirtioPciLayout* layout,
                 CapDiagnostic* diagnostic, const AeroStrictExpectations* strict = nullptr) {
  FakePlatform platform(&device);
  AeroStrictExpectations expectations = device.AeroExpectations();
  CapParseOptions options{policy, strict ? strict : &expectations};
  return ParseVirtioPciCaps(platform, device.bars(), options, layout, diagnostic);
}

TEST(PciCaps, StandardPolicyParsesQemuLayout) {
  FakeVirtioDevice device(QemuOptions());
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  ASSERT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, &diagnostic), Status::kOk)
      << diagnostic.text;
  EXPECT_EQ(layout.vendor_id, 0x1AF4);
  EXPECT_EQ(layout.device_id, 0x1042);
  EXPECT_EQ(layout.subsystem_id, 0x1100);
  EXPECT_EQ(layout.revision, 1);
  EXPECT_TRUE(layout.common.present);
  EXPECT_EQ(layout.common.bar, 4);
  EXPECT_EQ(layout.common.offset, 0x0000u);
  EXPECT_EQ(layout.common.length, 0x1000u);
  EXPECT_EQ(layout.isr.offset, 0x1000u);
  EXPECT_EQ(layout.device.offset, 0x2000u);
  EXPECT_EQ(layout.notify.offset, 0x3000u);
  EXPECT_EQ(layout.notify_off_multiplier, 4u);
  EXPECT_EQ(layout.pci_cfg_cap_offset, 0x84);
  EXPECT_EQ(layout.msix_cap_offset, 0x98);
  EXPECT_EQ(layout.common.cap_offset, 0x40);
}

TEST(PciCaps, StandardPolicyAcceptsAeroLayout) {
  FakeVirtioDevice device(AeroOptions());
  VirtioPciLayout layout;
  ASSERT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, nullptr), Status::kOk);
  EXPECT_EQ(layout.common.bar, 0);
  EXPECT_EQ(layout.notify.offset, 0x1000u);
  EXPECT_EQ(layout.isr.length, 0x20u);
  EXPECT_EQ(layout.device.offset, 0x3000u);
  EXPECT_EQ(layout.pci_cfg_cap_offset, 0);
}

TEST(PciCaps, AeroStrictAcceptsContractLayout) {
  FakeVirtioDevice device(AeroOptions());
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  ASSERT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, &diagnostic), Status::kOk);
  EXPECT_EQ(diagnostic.status, Status::kOk);
  EXPECT_EQ(layout.subsystem_id, 0x0002);
}

TEST(PciCaps, AeroStrictRejectsQemuLayout) {
  FakeVirtioDevice device(QemuOptions());
  AeroStrictExpectations want = device.AeroExpectations();
  want.subsystem_id = 0x1100;  // identity matches; only the layout differs
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, &diagnostic, &want),
            Status::kPciBarMismatch);
  EXPECT_STREQ(diagnostic.text, StatusText(Status::kPciBarMismatch));
}

TEST(PciCaps, AeroStrictRequiresExpectations) {
  FakeVirtioDevice device(AeroOptions());
  FakePlatform platform(&device);
  VirtioPciLayout layout;
  CapParseOptions options{CapPolicy::kAeroStrict, nullptr};
  EXPECT_EQ(ParseVirtioPciCaps(platform, device.bars(), options, &layout, nullptr),
            Status::kInvalidArgument);
}

struct IdentityCase {
  const char* name;
  void (*mutate)(AeroStrictExpectations*);
};

class PciCapsStrictIdentity : public ::testing::TestWithParam<IdentityCase> {};

TEST_P(PciCapsStrictIdentity, RejectsMismatch) {
  FakeVirtioDevice device(AeroOptions());
  AeroStrictExpectations want = device.AeroExpectations();
  GetParam().mutate(&want);
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, &diagnostic, &want),
            Status::kPciIdentityMismatch);
  EXPECT_EQ(diagnostic.cap_offset, 0);
}

INSTANTIATE_TEST_SUITE_P(
    All, PciCapsStrictIdentity,
    ::testing::Values(
        IdentityCase{"Vendor", [](AeroStrictExpectations* e) { e->vendor_id = 0x8086; }},
        IdentityCase{"Device", [](AeroStrictExpectations* e) { e->device_id = 0x1041; }},
        IdentityCase{"SubsystemVendor",
                     [](AeroStrictExpectations* e) { e->subsystem_vendor_id = 0x1234; }},
        IdentityCase{"Subsystem", [](AeroStrictExpectations* e) { e->subsystem_id = 0x1100; }},
        IdentityCase{"Revision", [](AeroStrictExpectations* e) { e->revision = 2; }}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(PciCaps, AeroStrictRejectsShiftedRegion) {
  FakeVirtioDevice device(AeroOptions());
  device.config_space()[0x64 + 8] = 0x10;  // ISR at 0x2010 instead of 0x2000
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, &diagnostic),
            Status::kPciLayoutMismatch);
  EXPECT_EQ(diagnostic.cap_offset, 0x64);
  // The standard policy accepts the same (still conformant) layout.
  EXPECT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, &diagnostic), Status::kOk);
}

TEST(PciCaps, AeroStrictRejectsOtherNotifyMultiplier) {
  FakeVirtioDevice device(AeroOptions());
  device.config_space()[0x50 + 16] = 8;
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, &diagnostic),
            Status::kPciLayoutMismatch);
  EXPECT_EQ(diagnostic.cap_offset, 0x50);
}

TEST(PciCaps, AeroStrictRejectsSmallOrWrongKindBar) {
  FakeVirtioDevice device(AeroOptions());
  VirtioPciLayout layout;
  device.mutable_bars()[0].kind = BarKind::kMemory32;
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, nullptr), Status::kPciBarMismatch);
}

TEST(PciCaps, StandardRejectsForeignOrTransitionalIds) {
  {
    FakeDeviceOptions options = QemuOptions();
    options.device_id = 0x1001;  // transitional virtio-blk: never bound
    FakeVirtioDevice device(options);
    VirtioPciLayout layout;
    EXPECT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, nullptr),
              Status::kPciIdentityMismatch);
  }
  {
    FakeVirtioDevice device(QemuOptions());
    device.config_space()[0] = 0x86;
    device.config_space()[1] = 0x80;
    VirtioPciLayout layout;
    EXPECT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, nullptr),
              Status::kPciIdentityMismatch);
  }
}

TEST(PciCaps, DeviceConfigOptionalOnlyUnderStandard) {
  FakeVirtioDevice device(AeroOptions());
  device.config_space()[0x74 + 3] = 0x0B;  // device cap becomes an unknown cfg_type
  VirtioPciLayout layout;
  ASSERT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, nullptr), Status::kOk);
  EXPECT_FALSE(layout.device.present);
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, nullptr),
            Status::kPciMissingDeviceCfg);
}

TEST(PciCaps, StandardSkipsUnusableInstanceForLaterOne) {
  // Chain: 0xA0 (common in an I/O BAR) -> QEMU's chain. The second common instance serves.
  FakeVirtioDevice device(QemuOptions());
  uint8_t* c = device.config_space();
  device.mutable_bars()[2] = BarInfo{BarKind::kIo, 0x40, FakePlatform::BarBase(2)};
  const uint8_t old_first = c[0x34];
  c[0xA4] = spec::kPciCapIdVendor;
  c[0xA5] = old_first;
  c[0xA6] = 16;
  c[0xA7] = spec::kCfgCommon;
  c[0xA8] = 2;
  c[0x34] = 0xA4;
  VirtioPciLayout layout;
  ASSERT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, nullptr), Status::kOk);
  EXPECT_EQ(layout.common.bar, 4);
  EXPECT_EQ(layout.common.cap_offset, 0x40);
}

TEST(PciCaps, RegionOffsetOverflowIsCaught) {
  FakeVirtioDevice device(QemuOptions());
  uint8_t* c = device.config_space();
  const uint32_t offset = 0xFFFFFFF0u, length = 0x20;
  std::memcpy(c + 0x50 + 8, &offset, 4);  // ISR cap
  std::memcpy(c + 0x50 + 12, &length, 4);
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  EXPECT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, &diagnostic),
            Status::kPciCapRegionOutOfBar);
  EXPECT_EQ(diagnostic.cap_offset, 0x50);
}

TEST(PciCaps, UnknownBarIndexRejectedUnderStrictIgnoredUnderStandard) {
  FakeVirtioDevice device(AeroOptions());
  device.config_space()[0x64 + 4] = 7;  // ISR cap names BAR 7 (reserved)
  VirtioPciLayout layout;
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, nullptr), Status::kPciCapBarInvalid);
  EXPECT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, nullptr), Status::kPciMissingIsrCfg);
}

TEST(PciCaps, LongestPossibleChainParses) {
  // The four virtio caps, then a 4-byte capability in every remaining dword up to 0xFC: the
  // longest acyclic chain this config space can hold must not trip the hop limit.
  FakeVirtioDevice device(AeroOptions());
  uint8_t* c = device.config_space();
  for (int at = 0x84; at <= 0xFC; at += 4) {
    c[at] = 0x0D;
    c[at + 1] = static_cast<uint8_t>(at == 0xFC ? 0 : at + 4);
  }
  VirtioPciLayout layout;
  CapDiagnostic diagnostic;
  EXPECT_EQ(ParseWith(device, CapPolicy::kAeroStrict, &layout, &diagnostic), Status::kOk)
      << diagnostic.text;
}

TEST(PciCaps, ParsingCostsFewConfigReads) {
  FakeVirtioDevice device(QemuOptions());
  VirtioPciLayout layout;
  ASSERT_EQ(ParseWith(device, CapPolicy::kStandard, &layout, nullptr), Status::kOk);
  // 5 header reads + per cap: 1 header dword, vendor caps 3 more (+1 notify).
  EXPECT_LE(device.counters().pci_config_reads, 32u);
  EXPECT_EQ(device.counters().driver_errors, 0u);
}

// ---- The malformed-chain menu, under both layouts and the policy each layout uses.

struct CapFaultCase {
  CapFault fault;
  Status expected;
  const char* name;
};

class PciCapsBadChain : public ::testing::TestWithParam<std::tuple<CapFaultCase, FakeLayout>> {};

TEST_P(PciCapsBadChain, RejectedWithReason) {
  const auto& [fault_case, fake_layout] = GetParam();
  FakeDeviceOptions options = fake_layout == FakeLayout::kAeroBar0 ? AeroOptions() : QemuOptions();
  options.cap_fault = fault_case.fault;
  FakeVirtioDevice device(options);
  const CapPolicy policy =
      fake_layout == FakeLayout::kAeroBar0 ? CapPolicy::kAeroStrict : CapPolicy::kStandard;
  VirtioPciLayout layout;
  CapDiagnostic diagnostic{};
  Status expected = fault_case.expected;
  if (fault_case.fault == CapFault::kCommonInIoBar && policy == CapPolicy::kAeroStrict) {
    expected = Status::kPciCapBarInvalid;  // strict refuses instead of skipping
  }
  EXPECT_EQ(ParseWith(device, policy, &layout, &diagnostic), expected);
  EXPECT_EQ(diagnostic.status, expected);
  EXPECT_STREQ(diagnostic.text, StatusText(expected));
  EXPECT_EQ(device.counters().driver_errors, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Menu, PciCapsBadChain,
    ::testing::Combine(
        ::testing::Values(
            CapFaultCase{CapFault::kNoCapabilityList, Status::kPciNoCapabilityList, "NoCapList"},
            CapFaultCase{CapFault::kCycle, Status::kPciCapChainCycle, "Cycle"},
            CapFaultCase{CapFault::kRegionOutOfBar, Status::kPciCapRegionOutOfBar, "OutOfBar"},
            CapFaultCase{CapFault::kShortCap, Status::kPciCapTooShort, "ShortCap"},
            CapFaultCase{CapFault::kShortNotifyCap, Status::kPciNotifyCapTooShort,
                         "ShortNotifyCap"},
            CapFaultCase{CapFault::kMisalignedPointer, Status::kPciCapPointerMisaligned,
                         "MisalignedPointer"},
            CapFaultCase{CapFault::kPointerIntoHeader, Status::kPciCapPointerReserved,
                         "PointerIntoHeader"},
            CapFaultCase{CapFault::kCapBeyondConfigSpace, Status::kPciCapBeyondConfigSpace,
                         "BeyondConfigSpace"},
            CapFaultCase{CapFault::kBadNotifyMultiplier, Status::kPciNotifyMultiplierInvalid,
                         "BadNotifyMultiplier"},
            CapFaultCase{CapFault::kMissingCommon, Status::kPciMissingCommonCfg, "MissingCommon"},
            CapFaultCase{CapFault::kCommonInIoBar, Status::kPciMissingCommonCfg, "CommonInIoBar"},
            CapFaultCase{CapFault::kRegionMisaligned, Status::kPciCapRegionMisaligned,
                         "RegionMisaligned"}),
        ::testing::Values(FakeLayout::kQemuBar4, FakeLayout::kAeroBar0)),
    [](const auto& p) {
      return std::string(std::get<0>(p.param).name) +
             (std::get<1>(p.param) == FakeLayout::kAeroBar0 ? "_Aero" : "_Qemu");
    });

}  // namespace
}  // namespace aero::virtio::testing
