// The real contract validates, and a broken contract per rule fails with the expected message at
// the expected JSON pointer.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "contract_loader.h"
#include "test_support.h"

namespace aero::contract_tool {
namespace {

using nlohmann::json;
using testing::Joined;
using testing::LoadJson;
using testing::RealContractJson;

json::json_pointer P(const std::string& pointer) {
  return json::json_pointer(pointer);
}

// Device indices in contract/aero-contract.json.
constexpr int kBlk = 0;
constexpr int kNet = 1;
constexpr int kKeyboard = 2;
constexpr int kMouse = 3;
constexpr int kSnd = 5;
constexpr int kGpu = 6;

std::string Dev(int index, const std::string& rest = "") {
  return "/devices/" + std::to_string(index) + rest;
}

void ExpectInvalid(const std::function<void(json&)>& mutate, const std::string& pointer,
                   const std::string& text) {
  json doc = RealContractJson();
  mutate(doc);
  LoadResult result = LoadJson(doc);
  ASSERT_FALSE(result.ok()) << "the broken contract was accepted";
  bool found = false;
  for (const Diagnostic& d : result.errors) {
    found = found || (d.has_pointer && d.pointer == pointer &&
                      d.message.find(text) != std::string::npos && d.file == "contract.json");
  }
  EXPECT_TRUE(found) << "wanted: contract.json: " << pointer << ": ..." << text << "...\ngot:\n"
                     << Joined(result.errors);
}

#define EXPECT_INVALID(mutation, pointer, text)                 \
  do {                                                          \
    SCOPED_TRACE(pointer);                                      \
    ExpectInvalid([&](json& doc) { mutation; }, pointer, text); \
  } while (false)

TEST(Validate, RealContractPasses) {
  LoadResult result = LoadJson(RealContractJson());
  EXPECT_TRUE(result.ok()) << Joined(result.errors);
  ASSERT_TRUE(result.contract.has_value());
  EXPECT_EQ(result.contract->devices.size(), 7u);
  EXPECT_EQ(result.contract->drivers.size(), 5u);
}

TEST(Validate, ErrorsNameTheFileAndThePointer) {
  json doc = RealContractJson();
  doc[P(Dev(kNet, "/hardware_ids/0"))] = "PCI\\VEN_1AF4&DEV_1041&SUBSYS_00011AF4";
  LoadResult result = LoadJson(doc);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors.front().ToString(),
            "contract.json: /devices/1/hardware_ids/0: hardware ID "
            "PCI\\VEN_1AF4&DEV_1041&SUBSYS_00011AF4 is not revision-gated (add &REV_01)")
      << Joined(result.errors);
}

// --- JSON Schema: shape, unknown and missing fields -------------------------------------------

TEST(ValidateSchema, UnknownFieldAtTheRoot) {
  EXPECT_INVALID(doc["extra"] = 1, "", "'extra'");
}

TEST(ValidateSchema, UnknownFieldInADevice) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/pci/vendor"))] = "0x1AF4", Dev(kBlk, "/pci"), "'vendor'");
}

TEST(ValidateSchema, UnknownFieldInAFeature) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/virtio/features/required/0/mandatory"))] = true,
                 Dev(kBlk, "/virtio/features/required/0"), "'mandatory'");
}

TEST(ValidateSchema, MissingField) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/pci"))].erase("subsystem_id"), Dev(kNet, "/pci"),
                 "missing required property 'subsystem_id'");
}

TEST(ValidateSchema, MissingDriverField) {
  EXPECT_INVALID(doc[P("/drivers/2")].erase("service"), "/drivers/2",
                 "missing required property 'service'");
}

TEST(ValidateSchema, WrongType) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/virtio/queues/0/size"))] = "128",
                 Dev(kBlk, "/virtio/queues/0/size"), "schema:");
}

TEST(ValidateSchema, LowerCaseHexIsRejected) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/pci/vendor_id"))] = "0x1af4", Dev(kBlk, "/pci/vendor_id"),
                 "schema:");
}

TEST(ValidateSchema, VirtioKindNeedsAVirtioSection) {
  EXPECT_INVALID(doc[P(Dev(kNet))].erase("virtio"), Dev(kNet),
                 "missing required property 'virtio'");
}

TEST(ValidateSchema, AerogpuKindCannotHaveAVirtioSection) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/virtio"))] = doc[P(Dev(kBlk, "/virtio"))], Dev(kGpu), "schema:");
}

TEST(ValidateSchema, TextWithQuotesOrPercentIsRejected) {
  EXPECT_INVALID(doc[P("/drivers/0/description")] = "Aero \"disk\"", "/drivers/0/description",
                 "schema:");
  EXPECT_INVALID(doc[P("/drivers/0/description")] = "100% disk", "/drivers/0/description",
                 "schema:");
}

TEST(ValidateSchema, IntxMustBeMandatory) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/interrupts/intx"))] = "optional", Dev(kBlk, "/interrupts/intx"),
                 "schema:");
}

TEST(ValidateSchema, FeatureBitBeyond63) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/virtio/features/optional/0/bit"))] = 64,
                 Dev(kBlk, "/virtio/features/optional/0/bit"), "schema:");
}

// --- Shared virtio facts ------------------------------------------------------------------------

TEST(ValidateVirtio, VendorIdFact) {
  EXPECT_INVALID(doc[P("/virtio/vendor_id")] = "0x1AF5", "/virtio/vendor_id",
                 "virtio vendor ID must be 0x1AF4");
}

TEST(ValidateVirtio, DeviceIdBaseFact) {
  EXPECT_INVALID(doc[P("/virtio/modern_device_id_base")] = "0x1000",
                 "/virtio/modern_device_id_base", "start at 0x1040");
}

TEST(ValidateVirtio, TransitionalRangeFact) {
  EXPECT_INVALID(doc[P("/virtio/transitional_device_ids/last")] = "0x107F",
                 "/virtio/transitional_device_ids", "0x1000-0x103F");
}

TEST(ValidateVirtio, IsrBitsDiffer) {
  EXPECT_INVALID(doc[P("/virtio/isr_config_bit")] = 0, "/virtio/isr_config_bit", "must differ");
}

// --- Drivers: naming, class, start type -------------------------------------------------------

TEST(ValidateDrivers, DuplicateDriverName) {
  EXPECT_INVALID(doc["drivers"].push_back(doc[P("/drivers/0")]), "/drivers/5/name",
                 "duplicate driver name 'aero_virtio_blk'");
}

TEST(ValidateDrivers, ServiceNameEqualsDriverName) {
  EXPECT_INVALID(doc[P("/drivers/0/service")] = "aero_blk", "/drivers/0/service",
                 "must equal the driver name");
}

TEST(ValidateDrivers, InfBaseNameEqualsServiceName) {
  EXPECT_INVALID(doc[P("/drivers/1/inf")] = "netaero.inf", "/drivers/1/inf",
                 "must be named 'aero_virtio_net.inf'");
}

TEST(ValidateDrivers, SysBaseNameEqualsServiceName) {
  EXPECT_INVALID(doc[P("/drivers/3/sys")] = "aerosnd.sys", "/drivers/3/sys",
                 "must be named 'aero_virtio_snd.sys'");
}

TEST(ValidateDrivers, ClassGuidMatchesClass) {
  EXPECT_INVALID(doc[P("/drivers/1/class_guid")] = "{4D36E97B-E325-11CE-BFC1-08002BE10318}",
                 "/drivers/1/class_guid", "is not the GUID of class Net");
}

TEST(ValidateDrivers, BootCriticalMeansBootStart) {
  EXPECT_INVALID(doc[P("/drivers/0/start_type")] = "demand", "/drivers/0/start_type",
                 "boot-critical driver must be boot-start");
  EXPECT_INVALID(doc[P("/drivers/1/start_type")] = "boot", "/drivers/1/boot_critical",
                 "must be marked boot_critical");
  EXPECT_INVALID(doc[P("/drivers/0/load_order_group")] = nullptr, "/drivers/0/load_order_group",
                 "needs a load-order group");
}

TEST(ValidateDrivers, DecorationsCoverX86AndAmd64) {
  EXPECT_INVALID(doc[P("/drivers/2/inf_models/decorations")] = json::array({"NTx86.6.1"}),
                 "/drivers/2/inf_models/decorations", "both NTx86 and NTamd64");
  EXPECT_INVALID(doc[P("/drivers/2/inf_models/decorations")].push_back("NTx86.6.1"),
                 "/drivers/2/inf_models/decorations/2", "duplicate decoration");
}

TEST(ValidateDrivers, InstallSectionDiffersFromModelsSection) {
  EXPECT_INVALID(doc[P("/drivers/0/inf_models/install_section")] = "AeroVirtioBlk",
                 "/drivers/0/inf_models/install_section", "must differ");
}

TEST(ValidateDrivers, EveryDriverBindsADevice) {
  EXPECT_INVALID(
      {
        json extra = doc[P("/drivers/4")];
        extra["name"] = extra["service"] = "aero_spare";
        extra["inf"] = "aero_spare.inf";
        extra["sys"] = "aero_spare.sys";
        doc["drivers"].push_back(extra);
      },
      "/drivers/5", "binds no device");
}

// --- Forbidden identities ----------------------------------------------------------------------

TEST(ValidateForbidden, LegacyAerogpuVendorsAreListed) {
  EXPECT_INVALID(doc["forbidden_identities"].erase(0), "/forbidden_identities",
                 "legacy AeroGPU vendor 0x1AED must be listed");
  EXPECT_INVALID(doc["forbidden_identities"].erase(1), "/forbidden_identities",
                 "legacy AeroGPU vendor 0x1AE0 must be listed");
}

TEST(ValidateForbidden, RangesAreOrdered) {
  EXPECT_INVALID(doc["forbidden_identities"].push_back({{"vendor_id", "0x1234"},
                                                        {"device_id_first", "0x0002"},
                                                        {"device_id_last", "0x0001"},
                                                        {"reason", "test"}}),
                 "/forbidden_identities/2", "is after device_id_last");
}

TEST(ValidateForbidden, ARangeNeedsBothEnds) {
  EXPECT_INVALID(doc["forbidden_identities"].push_back(
                     {{"vendor_id", "0x1234"}, {"device_id_first", "0x0002"}, {"reason", "test"}}),
                 "/forbidden_identities/2", "schema:");
}

// --- Devices: identity -------------------------------------------------------------------------

TEST(ValidateDevices, DuplicateDeviceName) {
  EXPECT_INVALID(doc[P(Dev(kMouse, "/name"))] = "virtio-input-keyboard", Dev(kMouse, "/name"),
                 "duplicate device name");
}

TEST(ValidateDevices, UnknownDriver) {
  EXPECT_INVALID(doc[P(Dev(kSnd, "/driver"))] = "aero_sound", Dev(kSnd, "/driver"),
                 "unknown driver 'aero_sound'");
}

TEST(ValidateDevices, RevisionIsTheContractMajorVersion) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/pci/revision_id"))] = "0x02", Dev(kBlk, "/pci/revision_id"),
                 "must equal the contract major version 1");
}

TEST(ValidateDevices, VirtioVendor) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/pci/vendor_id"))] = "0x1AF5", Dev(kBlk, "/pci/vendor_id"),
                 "virtio devices use vendor 0x1AF4");
  EXPECT_INVALID(doc[P(Dev(kBlk, "/pci/subsystem_vendor_id"))] = "0x8086",
                 Dev(kBlk, "/pci/subsystem_vendor_id"), "subsystem vendor 0x1AF4");
}

TEST(ValidateDevices, WrongDeviceId) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/pci/device_id"))] = "0x1043", Dev(kBlk, "/pci/device_id"),
                 "0x1043 must be 0x1040 + virtio type 2 = 0x1042");
}

TEST(ValidateDevices, TransitionalDeviceIdIsNeverTheIdentity) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/pci/device_id"))] = "0x1001", Dev(kBlk, "/pci"),
                 "transitional virtio device ID");
}

TEST(ValidateDevices, TransitionalReferenceId) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/virtio/transitional_device_id"))] = "0x1001",
                 Dev(kNet, "/virtio/transitional_device_id"), "must be 0x0FFF + type 1 = 0x1000");
}

TEST(ValidateDevices, AerogpuIdentityIsExact) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/pci/device_id"))] = "0x0002", Dev(kGpu, "/pci"),
                 "must be VEN_A3A0&DEV_0001&SUBSYS_0001A3A0");
  EXPECT_INVALID(doc[P(Dev(kGpu, "/pci/subsystem_id"))] = "0x0000", Dev(kGpu, "/pci"),
                 "must be VEN_A3A0&DEV_0001&SUBSYS_0001A3A0");
}

TEST(ValidateDevices, LegacyAerogpuIdentityIsForbidden) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/pci/vendor_id"))] = "0x1AED", Dev(kGpu, "/pci"),
                 "identity VEN_1AED&DEV_0001 is forbidden");
}

TEST(ValidateDevices, AerogpuFacts) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/pci/class_code/subclass"))] = "0x80",
                 Dev(kGpu, "/pci/class_code"), "03/00/00");
  EXPECT_INVALID(doc[P(Dev(kGpu, "/aerogpu/mmio_magic"))] = "0x41475055",
                 Dev(kGpu, "/aerogpu/mmio_magic"), "0x55504741");
  EXPECT_INVALID(doc[P(Dev(kGpu, "/interrupts/msix"))] = "optional", Dev(kGpu, "/interrupts/msix"),
                 "no MSI-X");
  EXPECT_INVALID(doc["devices"].push_back(doc[P(Dev(kGpu))]), "/devices/7",
                 "more than one AeroGPU device");
}

// --- Hardware IDs -------------------------------------------------------------------------------

TEST(ValidateHardwareIds, NotAPciId) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/hardware_ids/1"))] = "ROOT\\AERO", Dev(kBlk, "/hardware_ids/1"),
                 "not a PCI hardware ID");
}

TEST(ValidateHardwareIds, CanonicalSpelling) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/hardware_ids/1"))] = "PCI\\VEN_1af4&DEV_1042&REV_01",
                 Dev(kBlk, "/hardware_ids/1"), "not in canonical form");
}

TEST(ValidateHardwareIds, NotRevisionGated) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/hardware_ids/1"))] = "PCI\\VEN_1AF4&DEV_1042",
                 Dev(kBlk, "/hardware_ids/1"), "not revision-gated");
}

TEST(ValidateHardwareIds, WrongRevision) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/hardware_ids/1"))] = "PCI\\VEN_1AF4&DEV_1042&REV_00",
                 Dev(kBlk, "/hardware_ids/1"), "REV_00 in");
}

TEST(ValidateHardwareIds, WrongDeviceId) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/hardware_ids/1"))] = "PCI\\VEN_1AF4&DEV_1041&REV_01",
                 Dev(kBlk, "/hardware_ids/1"), "does not match the device identity");
}

TEST(ValidateHardwareIds, WrongSubsystem) {
  EXPECT_INVALID(
      doc[P(Dev(kBlk, "/hardware_ids/0"))] = "PCI\\VEN_1AF4&DEV_1042&SUBSYS_00031AF4&REV_01",
      Dev(kBlk, "/hardware_ids/0"), "does not match the device subsystem SUBSYS_00021AF4");
}

TEST(ValidateHardwareIds, ClassCodeIdsAreNotBindable) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/hardware_ids/1"))] = "PCI\\VEN_1AF4&DEV_1042&CC_010000",
                 Dev(kBlk, "/hardware_ids/1"), "not a bindable hardware ID");
}

TEST(ValidateHardwareIds, MostSpecificFirst) {
  EXPECT_INVALID(
      {
        json& ids = doc[P(Dev(kBlk, "/hardware_ids"))];
        std::swap(ids[0], ids[1]);
      },
      Dev(kBlk, "/hardware_ids/0"), "the first hardware ID must be the most specific one");
  EXPECT_INVALID(
      doc[P(Dev(kBlk, "/hardware_ids"))].push_back("PCI\\VEN_1AF4&DEV_1042&SUBSYS_00021AF4&REV_01"),
      Dev(kBlk, "/hardware_ids/2"), "duplicate hardware ID");
}

TEST(ValidateHardwareIds, SpecificAfterGenericIsOutOfOrder) {
  EXPECT_INVALID(
      {
        json& ids = doc[P(Dev(kBlk, "/hardware_ids"))];
        std::swap(ids[0], ids[1]);
      },
      Dev(kBlk, "/hardware_ids/1"), "must be most specific first");
}

TEST(ValidateHardwareIds, DuplicateAcrossDevicesOfDifferentDrivers) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/hardware_ids"))].push_back("PCI\\VEN_1AF4&DEV_1042&REV_01"),
                 Dev(kNet, "/hardware_ids/2"), "also bound by /devices/0 (virtio-blk)");
}

TEST(ValidateHardwareIds, SubsystemIdsAreNotSharedEvenWithinADriver) {
  EXPECT_INVALID(doc[P(Dev(kMouse, "/hardware_ids/0"))] = doc[P(Dev(kKeyboard, "/hardware_ids/0"))],
                 Dev(kMouse, "/hardware_ids/0"), "hardware IDs must be unique across devices");
}

TEST(ValidateHardwareIds, LegacyAerogpuIdIsNeverBindable) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/hardware_ids"))].push_back("PCI\\VEN_1AED&DEV_0001&REV_01"),
                 Dev(kGpu, "/hardware_ids/2"), "binds a forbidden identity");
}

TEST(ValidateHardwareIds, TransitionalIdIsNeverBindable) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/hardware_ids"))].push_back("PCI\\VEN_1AF4&DEV_1001&REV_01"),
                 Dev(kBlk, "/hardware_ids/2"), "transitional virtio device ID");
}

// --- Queues and features ------------------------------------------------------------------------

TEST(ValidateQueues, SizesArePowersOfTwo) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/virtio/queues/1/size"))] = 100,
                 Dev(kNet, "/virtio/queues/1/size"), "not a power of two");
}

TEST(ValidateQueues, IndicesAreDenseFromZero) {
  EXPECT_INVALID(doc[P(Dev(kSnd, "/virtio/queues/2/index"))] = 3,
                 Dev(kSnd, "/virtio/queues/2/index"), "dense order from 0 (expected 2)");
}

TEST(ValidateQueues, NamesAreUnique) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/virtio/queues/1/name"))] = "rx",
                 Dev(kNet, "/virtio/queues/1/name"), "duplicate queue name");
}

TEST(ValidateFeatures, Version1IsRequired) {
  EXPECT_INVALID(doc[P(Dev(kSnd, "/virtio/features/required"))] = json::array(),
                 Dev(kSnd, "/virtio/features/required"), "VERSION_1 (bit 32) must be required");
}

TEST(ValidateFeatures, SetsAreDisjoint) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/virtio/features/forbidden"))].push_back(
                     {{"name", "INDIRECT"}, {"bit", 28}, {"offered", false}}),
                 Dev(kBlk, "/virtio/features/forbidden/5/bit"),
                 "required, optional and forbidden must be disjoint");
}

TEST(ValidateFeatures, NamesAreUnique) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/virtio/features/optional/4/name"))] = "SEG_MAX",
                 Dev(kBlk, "/virtio/features/optional/4/name"), "already listed");
}

TEST(ValidateFeatures, RequiredAreOfferedAndForbiddenAreNot) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/virtio/features/required/1/offered"))] = false,
                 Dev(kNet, "/virtio/features/required/1/offered"), "must be offered");
  EXPECT_INVALID(doc[P(Dev(kNet, "/virtio/features/forbidden/1/offered"))] = true,
                 Dev(kNet, "/virtio/features/forbidden/1/offered"), "cannot be offered");
}

TEST(ValidateFeatures, AerogpuFeaturesAreDisjointToo) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/aerogpu/features/forbidden"))].push_back(
                     {{"name", "CURSOR2"}, {"bit", 1}, {"offered", false}}),
                 Dev(kGpu, "/aerogpu/features/forbidden/0/bit"), "disjoint");
}

// --- BAR layout, notify, MSI-X ------------------------------------------------------------------

TEST(ValidateBars, RegionsDoNotOverlap) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/bars/0/regions/1/offset"))] = "0x00C0",
                 Dev(kBlk, "/bars/0/regions/1"), "overlaps region common_cfg");
}

TEST(ValidateBars, RegionsStayInsideTheBar) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/bars/0/regions/3/length"))] = "0x2000",
                 Dev(kBlk, "/bars/0/regions/3"), "extends past the end of BAR 0");
}

TEST(ValidateBars, RegionsAreAlignedAndNotEmpty) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/bars/0/regions/2/offset"))] = "0x2002",
                 Dev(kBlk, "/bars/0/regions/2/offset"), "not 4-byte aligned");
  EXPECT_INVALID(doc[P(Dev(kBlk, "/bars/0/regions/2/length"))] = "0x0",
                 Dev(kBlk, "/bars/0/regions/2/length"), "is empty");
}

TEST(ValidateBars, SizeIsAPowerOfTwo) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/bars/0/size"))] = "0x3000", Dev(kBlk, "/bars/0/size"),
                 "not a power of two");
}

TEST(ValidateBars, IndicesAndSixtyFourBitPairs) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/bars/1/index"))] = 0, Dev(kGpu, "/bars/1/index"),
                 "listed twice");
  EXPECT_INVALID(doc[P(Dev(kGpu, "/bars/0/type"))] = "mmio64", Dev(kGpu, "/bars/1/index"),
                 "upper half of 64-bit BAR 0");
  EXPECT_INVALID(doc[P(Dev(kBlk, "/bars/0/index"))] = 5, Dev(kBlk, "/bars/0/type"),
                 "cannot start at index 5");
}

TEST(ValidateBars, RegionNamesAreUnique) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/bars/1/regions/0/name"))] = "registers",
                 Dev(kGpu, "/bars/1/regions/0/name"), "duplicate region name");
}

TEST(ValidateBars, EveryVirtioCapabilityOnce) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/bars/0/regions"))].erase(2), Dev(kNet, "/bars"),
                 "missing the virtio ISR configuration region (cfg_type 3)");
  EXPECT_INVALID(doc[P(Dev(kNet, "/bars/0/regions/2/virtio_cfg_type"))] = 1,
                 Dev(kNet, "/bars/0/regions/2/virtio_cfg_type"), "appears twice");
}

TEST(ValidateBars, CommonConfigHoldsTheCommonStructure) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/bars/0/regions/0/length"))] = "0x0020",
                 Dev(kNet, "/bars/0/regions/0/length"), "0x0038 bytes of virtio_pci_common_cfg");
}

TEST(ValidateBars, NotifyMultiplierIsEvenAndFits) {
  EXPECT_INVALID(doc[P(Dev(kSnd, "/virtio/notify_off_multiplier"))] = 3,
                 Dev(kSnd, "/virtio/notify_off_multiplier"), "must be even");
  EXPECT_INVALID(doc[P(Dev(kSnd, "/virtio/notify_off_multiplier"))] = 128,
                 Dev(kSnd, "/virtio/notify_off_multiplier"), "past the notify region");
}

TEST(ValidateBars, MsixTableMatchesTheQueues) {
  EXPECT_INVALID(doc[P(Dev(kSnd, "/bars/0/regions/4/length"))] = "0x0030",
                 Dev(kSnd, "/bars/0/regions/4/length"), "needs 0x0050 bytes");
  EXPECT_INVALID(doc[P(Dev(kSnd, "/bars/0/regions"))].erase(4), Dev(kSnd, "/bars"),
                 "no 'msix_table' region");
  EXPECT_INVALID(doc[P(Dev(kSnd, "/interrupts/msix"))] = "unsupported",
                 Dev(kSnd, "/bars/0/regions/4"), "MSI-X is unsupported");
}

TEST(ValidateBars, AerogpuRegionsHaveNoVirtioCfgType) {
  EXPECT_INVALID(doc[P(Dev(kGpu, "/bars/0/regions/0/virtio_cfg_type"))] = 4,
                 Dev(kGpu, "/bars/0/regions/0/virtio_cfg_type"), "no virtio cfg_type");
}

// --- Device configuration
// -------------------------------------------------------------------------

TEST(ValidateConfig, FieldsStayInsideTheRegion) {
  EXPECT_INVALID(doc[P(Dev(kBlk, "/device_config/fields/0/offset"))] = "0xFC",
                 Dev(kBlk, "/device_config/fields/0"), "extends past the device-config region");
}

TEST(ValidateConfig, FieldsDoNotOverlap) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/device_config/fields/1/offset"))] = "0x04",
                 Dev(kNet, "/device_config/fields/1"), "overlaps field mac");
}

TEST(ValidateConfig, FieldNamesAreUnique) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/device_config/fields/2/name"))] = "mac",
                 Dev(kNet, "/device_config/fields/2/name"), "duplicate config field");
}

TEST(ValidateConfig, RegionExistsAndIsTheVirtioDeviceConfig) {
  EXPECT_INVALID(doc[P(Dev(kNet, "/device_config/region"))] = "nowhere",
                 Dev(kNet, "/device_config/region"), "no BAR region named 'nowhere'");
  EXPECT_INVALID(doc[P(Dev(kNet, "/device_config/region"))] = "common_cfg",
                 Dev(kNet, "/device_config/region"), "cfg_type 4 region");
}

}  // namespace
}  // namespace aero::contract_tool
