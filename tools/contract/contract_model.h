// In-memory form of contract/aero-contract.json. Every element remembers the JSON pointer it was
// read from so that invariant errors can name it.
#ifndef AERO_TOOLS_CONTRACT_CONTRACT_MODEL_H_
#define AERO_TOOLS_CONTRACT_CONTRACT_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aero::contract_tool {

struct Feature {
  std::string name;  // virtio spec name without the VIRTIO_*_F_ prefix, e.g. "VERSION_1"
  std::uint32_t bit = 0;
  bool offered = false;  // the Aero device model offers it
  std::string pointer;
};

struct FeatureSets {
  std::vector<Feature> required;   // offered by the device; the driver fails without it
  std::vector<Feature> optional;   // the driver may negotiate it when offered
  std::vector<Feature> forbidden;  // never negotiated in this contract version
};

struct Queue {
  std::uint32_t index = 0;
  std::string name;
  std::uint32_t size = 0;
  std::string pointer;
};

struct ConfigField {
  std::string name;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::string note;
  std::string pointer;
};

struct BarRegion {
  std::string name;
  std::optional<std::uint32_t> virtio_cfg_type;  // virtio_pci_cap.cfg_type, for virtio caps
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string note;
  std::string pointer;
};

enum class BarType { kMmio32, kMmio64, kMmio, kIo };

struct Bar {
  std::uint32_t index = 0;
  BarType type = BarType::kMmio32;
  bool prefetchable = false;
  std::uint64_t size = 0;
  std::string note;
  std::vector<BarRegion> regions;
  std::string pointer;
};

struct ClassCode {
  std::uint8_t base = 0;
  std::uint8_t subclass = 0;
  std::uint8_t prog_if = 0;
};

struct PciIdentity {
  std::uint16_t vendor_id = 0;
  std::uint16_t device_id = 0;
  std::uint16_t subsystem_vendor_id = 0;
  std::uint16_t subsystem_id = 0;
  std::uint8_t revision_id = 0;
  ClassCode class_code;
  std::string pointer;
};

struct VirtioDevice {
  std::uint32_t type = 0;
  std::uint16_t transitional_device_id = 0;  // reference only, never bound
  std::uint32_t notify_off_multiplier = 0;
  std::vector<Queue> queues;
  FeatureSets features;
  std::string pointer;
};

struct AerogpuDevice {
  std::uint32_t abi_major = 0;
  std::uint32_t abi_minor = 0;
  std::uint32_t mmio_magic = 0;
  FeatureSets features;
  std::string pointer;
};

enum class DeviceKind { kVirtio, kAerogpu };
enum class MsixSupport { kOptional, kUnsupported };

struct Device {
  std::string name;  // e.g. "virtio-input-keyboard"; C++ namespace virtio_input_keyboard
  DeviceKind kind = DeviceKind::kVirtio;
  std::string driver;
  std::string description;
  PciIdentity pci;
  std::vector<std::string> hardware_ids;
  std::vector<Bar> bars;
  bool intx_mandatory = true;
  MsixSupport msix = MsixSupport::kOptional;
  std::string device_config_region;
  std::vector<ConfigField> config_fields;
  std::optional<VirtioDevice> virtio;
  std::optional<AerogpuDevice> aerogpu;
  std::string pointer;
};

enum class StartType : std::uint32_t { kBoot = 0, kSystem = 1, kAuto = 2, kDemand = 3 };
enum class ErrorControl : std::uint32_t { kIgnore = 0, kNormal = 1, kSevere = 2, kCritical = 3 };
inline constexpr std::uint32_t kServiceKernelDriver = 1;

struct InfModels {
  std::string section;
  std::string install_section;
  std::vector<std::string> decorations;
};

// One driver package: .sys, service, INF and catalog share `name`.
struct Driver {
  std::string name;
  std::string description;
  std::string inf;
  std::string sys;
  std::string service;
  std::string class_name;
  std::string class_guid;
  std::uint32_t service_type = kServiceKernelDriver;
  StartType start_type = StartType::kDemand;
  ErrorControl error_control = ErrorControl::kNormal;
  std::optional<std::string> load_order_group;
  bool boot_critical = false;
  InfModels inf_models;
  std::string pointer;
};

struct ForbiddenIdentity {
  std::uint16_t vendor_id = 0;
  std::optional<std::uint16_t> device_id_first;  // absent: every device of the vendor
  std::optional<std::uint16_t> device_id_last;
  std::string reason;
  std::string pointer;
};

struct VirtioCommon {
  std::uint16_t vendor_id = 0;
  std::uint16_t modern_device_id_base = 0;
  std::uint16_t transitional_first = 0;
  std::uint16_t transitional_last = 0;
  std::uint8_t vendor_capability_id = 0;
  std::uint32_t min_capability_length = 0;
  std::uint32_t min_notify_capability_length = 0;
  std::uint64_t common_cfg_used_length = 0;
  std::uint32_t isr_queue_bit = 0;
  std::uint32_t isr_config_bit = 0;
  std::uint16_t msix_no_vector = 0;
  std::string pointer;
};

struct Contract {
  std::string name;
  std::uint32_t version_major = 0;
  std::uint32_t version_minor = 0;
  std::string description;
  VirtioCommon virtio;
  std::vector<Driver> drivers;
  std::vector<Device> devices;
  std::vector<ForbiddenIdentity> forbidden;

  const Driver* FindDriver(const std::string& name) const;
};

const char* StartTypeName(StartType type);
const char* ErrorControlName(ErrorControl control);
const char* BarTypeName(BarType type);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_CONTRACT_MODEL_H_
