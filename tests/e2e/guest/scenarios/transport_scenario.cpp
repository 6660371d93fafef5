// Scenario "transport": every virtio function on the bus is identified, its capabilities parsed
// under the standard policy, brought to DRIVER_OK with one queue, and its configuration read. The
// aero-strict policy must reject QEMU's layout with a clear reason (negative test). The harness
// then inspects the devices over QMP (x-query-virtio*) and compares with what the guest printed.
#include "aero/contract/aero_contract.h"
#include "aero/virtio/features.h"
#include "aero/virtio/pci_caps.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/status.h"
#include "platform/handshake.h"
#include "platform/markers.h"
#include "platform/pci.h"
#include "platform/text.h"
#include "scenarios/input_config.h"
#include "scenarios/options.h"
#include "scenarios/scenarios.h"
#include "virtio/device.h"

namespace aero::guest {
namespace {

constexpr size_t kMaxDevices = 8;

// The Aero emulator's identity and BAR0 layout for the function's device ID, from the generated
// contract header (virtio-input: the keyboard's subsystem ID).
uint16_t contract_subsystem_id(const PciFunction& f) {
  for (const contract::DeviceIdentity& d : contract::kDevices) {
    if (d.vendor_id == f.vendor_id && d.device_id == f.device_id) {
      return d.subsystem_id;
    }
  }
  return 0xffff;
}

// Contract v1 gives every virtio device the same BAR0 layout; the blk one stands for all.
namespace layout = contract::virtio_blk::bar0;
static_assert(contract::virtio_net::bar0::kNotifyCfgOffset == layout::kNotifyCfgOffset &&
              contract::virtio_net::bar0::kDeviceCfgLength == layout::kDeviceCfgLength &&
              contract::virtio_input_keyboard::bar0::kIsrCfgOffset == layout::kIsrCfgOffset &&
              contract::virtio_input_keyboard::bar0::kSize == layout::kSize);

virtio::AeroStrictExpectations contract_expectations(const PciFunction& f) {
  virtio::AeroStrictExpectations e = {};
  e.vendor_id = contract::virtio::kVendorId;
  e.device_id = f.device_id;
  e.subsystem_vendor_id = contract::virtio::kVendorId;
  e.subsystem_id = contract_subsystem_id(f);
  e.revision = contract::kPciRevisionId;
  e.bar = static_cast<uint8_t>(layout::kIndex);
  e.bar_kind = layout::kIs64Bit ? virtio::BarKind::kMemory64 : virtio::BarKind::kMemory32;
  e.bar_min_size = layout::kSize;
  e.common = {layout::kCommonCfgOffset, layout::kCommonCfgLength};
  e.notify = {layout::kNotifyCfgOffset, layout::kNotifyCfgLength};
  e.isr = {layout::kIsrCfgOffset, layout::kIsrCfgLength};
  e.device = {layout::kDeviceCfgOffset, layout::kDeviceCfgLength};
  e.notify_off_multiplier = contract::virtio_blk::kNotifyOffMultiplier;
  return e;
}

void format_region(Text& t, const virtio::CapRegion& r) {
  if (!r.present) {
    t.str("absent");
    return;
  }
  t.str("bar").dec(r.bar).ch('+').hex(r.offset).ch('/').hex(r.length);
}

bool is_layout_rejection(virtio::Status s) {
  return s == virtio::Status::kPciCapBarInvalid || s == virtio::Status::kPciBarMismatch ||
         s == virtio::Status::kPciLayoutMismatch;
}

const char* bring_up(VirtioDevice* dev, const PciFunction& f, virtio::SplitVirtqueue* queue,
                     uint32_t disk_sectors, Text& detail) {
  const virtio::CapParseOptions standard{virtio::CapPolicy::kStandard, nullptr};
  if (const char* e = virtio_probe(dev, f, standard, true)) {
    return e;
  }
  Text common, notify, isr, device;
  format_region(common, dev->layout.common);
  format_region(notify, dev->layout.notify);
  format_region(isr, dev->layout.isr);
  format_region(device, dev->layout.device);
  Marker::info()
      .kv("event", "virtio_layout")
      .kv("device", detail.c_str())
      .kv("common", common.c_str())
      .kv("notify", notify.c_str())
      .kv("isr", isr.c_str())
      .kv("device_cfg", device.c_str())
      .kv("notify_multiplier", dev->layout.notify_off_multiplier)
      .kv_hex("subsystem",
              (uint32_t{dev->layout.subsystem_vendor_id} << 16) | dev->layout.subsystem_id, 8)
      .kv_hex("revision", dev->layout.revision, 2)
      .emit();
  const virtio::FeatureRequest features{0, virtio::kFeatureEventIdx | virtio::kFeatureIndirectDesc,
                                        0};
  const virtio::QueueConfig config{0, 0, 64, virtio::spec::kNoVector};
  virtio::SplitVirtqueue* queues[] = {queue};
  if (const char* e = virtio_start(dev, features, &config, queues, 1, true)) {
    return e;
  }
  if ((dev->negotiated & virtio::kFeatureVersion1) == 0) {
    return "VERSION_1 not negotiated";
  }
  // Device-specific identity from the device configuration.
  if (f.device_id == 0x1042) {
    uint64_t capacity = 0;
    const virtio::ConfigField field{0, 8, 1, &capacity};
    const virtio::Status s = dev->transport.ReadConfig(&field, 1);
    if (s != virtio::Status::kOk) {
      return virtio::StatusText(s);
    }
    if (disk_sectors != 0 && capacity != disk_sectors) {
      return "blk capacity differs from the disk the harness attached";
    }
    detail.str(" capacity=").dec(capacity);
  } else if (f.device_id == 0x1041) {
    uint8_t mac[6];
    const virtio::ConfigField field{0, 1, 6, mac};
    const virtio::Status s = dev->transport.ReadConfig(&field, 1);
    if (s != virtio::Status::kOk) {
      return virtio::StatusText(s);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    detail.str(" mac=");
    for (int i = 0; i < 6; ++i) {
      detail.ch(kHex[mac[i] >> 4]).ch(kHex[mac[i] & 0xf]);
      if (i != 5) {
        detail.ch(':');
      }
    }
  } else if (f.device_id == 0x1052) {
    char name[128];
    if (const char* e = read_input_name(dev, name)) {
      return e;
    }
    if (!str_starts_with(name, "QEMU Virtio ")) {
      return "unexpected virtio-input ID_NAME";
    }
    detail.str(" name=").str(name);
  }
  return nullptr;
}

}  // namespace

void run_transport_scenario() {
  // Function-local statics: constructed on first use (the guest runs no global constructors).
  static VirtioDevice g_devices[kMaxDevices];
  static virtio::SplitVirtqueue g_queues[kMaxDevices];
  static PciFunction g_functions[kMaxPciFunctions];
  const uint32_t disk_sectors = option_u32("disk_sectors", 0);
  const uint32_t expected_devices = option_u32("virtio_devices", 0);
  size_t count = pci_enumerate(g_functions, kMaxPciFunctions);
  if (count > kMaxPciFunctions) {
    count = kMaxPciFunctions;
  }
  const PciFunction* virtio_functions[kMaxDevices];
  size_t n = 0;
  for (size_t i = 0; i < count; ++i) {
    const PciFunction& f = g_functions[i];
    if (f.vendor_id == virtio::spec::kPciVendorId && f.device_id >= 0x1000 &&
        f.device_id <= 0x107f) {
      if (n == kMaxDevices) {
        TestCase t("transport.discover");
        t.fail("more virtio functions than the scenario can hold").emit();
        return;
      }
      virtio_functions[n++] = &f;
    }
  }
  {
    TestCase t("transport.discover");
    if (n == 0 || (expected_devices != 0 && n != expected_devices)) {
      t.fail("virtio function count differs from the configuration")
          .kv("found", n)
          .kv("expected", expected_devices)
          .emit();
      return;
    }
    t.pass().kv("virtio_functions", n).emit();
  }

  uint32_t per_kind[3] = {0, 0, 0};
  size_t up = 0;
  for (size_t i = 0; i < n; ++i) {
    const PciFunction& f = *virtio_functions[i];
    const char* kind = virtio_kind(f.device_id);
    const uint32_t kind_index = f.device_id == 0x1042 ? 0 : (f.device_id == 0x1041 ? 1 : 2);
    Text name;
    name.str("transport.").str(kind).dec(per_kind[kind_index]++);
    TestCase t(name.c_str());
    Text detail;
    format_function(detail, f);
    if (f.device_id < virtio::spec::kPciModernDeviceIdBase) {
      t.fail("transitional device ID: the bench configures modern-only devices").emit();
      continue;
    }
    VirtioDevice* dev = &g_devices[up];
    if (const char* e = bring_up(dev, f, &g_queues[up], disk_sectors, detail)) {
      Text reason;
      reason.str(detail.c_str()).str(": ").str(e);
      t.fail(reason.c_str()).emit();
      dev->transport.Fail();
      continue;
    }
    ++up;
    Marker::info()
        .kv("event", "virtio_device")
        .kv("device", detail.c_str())
        .kv("kind", kind)
        .kv("num_queues", dev->transport.num_queues())
        .kv_hex("negotiated", dev->negotiated, 16)
        .kv_hex("queue0_desc", g_queues[up - 1].desc_phys(), 8)
        .kv("queue0_size", g_queues[up - 1].size())
        .emit();
    t.pass()
        .kv("device", detail.c_str())
        .kv_hex("device_features", dev->transport.device_features(), 16)
        .kv_hex("negotiated", dev->negotiated, 16)
        .kv("num_queues", dev->transport.num_queues())
        .emit();
  }

  {
    TestCase t("transport.aero_strict_rejects_qemu");
    uint32_t rejected = 0;
    for (size_t i = 0; i < n && !t.reported(); ++i) {
      const PciFunction& f = *virtio_functions[i];
      GuestVirtioPlatform platform;
      platform.Bind(f);
      virtio::BarInfo bars[virtio::kPciBarCount];
      platform.DescribeBars(bars);
      // 1. The contract's identity: QEMU's subsystem 1af4:1100 does not match.
      virtio::AeroStrictExpectations want = contract_expectations(f);
      virtio::CapParseOptions strict{virtio::CapPolicy::kAeroStrict, &want};
      virtio::VirtioPciLayout layout;
      virtio::CapDiagnostic identity_diag = {};
      const virtio::Status identity =
          virtio::ParseVirtioPciCaps(platform, bars, strict, &layout, &identity_diag);
      // 2. QEMU's own identity, so the check reaches the layout: everything lives in BAR4.
      want.subsystem_vendor_id = f.subsystem_vendor_id;
      want.subsystem_id = f.subsystem_id;
      want.revision = f.revision;
      virtio::CapDiagnostic layout_diag = {};
      const virtio::Status layout_status =
          virtio::ParseVirtioPciCaps(platform, bars, strict, &layout, &layout_diag);
      Text device;
      format_function(device, f);
      Marker::info()
          .kv("event", "aero_strict")
          .kv("device", device.c_str())
          .kv("identity_status", virtio::StatusText(identity))
          .kv("layout_status", virtio::StatusText(layout_status))
          .kv("layout_reason", layout_diag.text != nullptr ? layout_diag.text : "")
          .kv_hex("layout_cap", layout_diag.cap_offset, 2)
          .emit();
      if (identity != virtio::Status::kPciIdentityMismatch) {
        Text reason;
        reason.str(device.c_str()).str(": strict parse with the contract identity gave '");
        reason.str(virtio::StatusText(identity)).str("', expected an identity mismatch");
        t.fail(reason.c_str()).emit();
      } else if (!is_layout_rejection(layout_status)) {
        Text reason;
        reason.str(device.c_str()).str(": strict parse of QEMU's BAR4 layout gave '");
        reason.str(virtio::StatusText(layout_status)).str("', expected a layout rejection");
        t.fail(reason.c_str()).emit();
      } else {
        ++rejected;
      }
    }
    if (!t.reported()) {
      t.pass().kv("rejected", rejected).emit();
    }
  }

  {
    TestCase t("transport.qmp_crosscheck");
    const HarnessReply reply =
        request_harness(Marker::ready("virtio-status").kv("devices", up), "virtio-status", 30000);
    if (reply != HarnessReply::kAck) {
      t.fail(harness_reply_text(reply)).emit();
    } else {
      t.pass().kv("devices", up).emit();
    }
  }

  {
    TestCase t("transport.teardown");
    uint32_t failures = 0;
    for (size_t i = 0; i < up; ++i) {
      if (g_devices[i].transport.Teardown(nullptr, nullptr) != virtio::Status::kOk) {
        ++failures;
      }
    }
    if (failures != 0) {
      t.fail("a device did not complete its reset").kv("failures", failures).emit();
    } else {
      t.pass().kv("devices", up).emit();
    }
  }
}

}  // namespace aero::guest
