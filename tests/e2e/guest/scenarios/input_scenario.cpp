// Scenario "input": QEMU's virtio keyboard, mouse and tablet. The guest identifies them from their
// configuration, posts event buffers, and asks the harness (READY) to inject input over QMP
// (tools/e2e/aero_e2e/input_script.py); it then checks the exact evdev sequence every device
// reported. Buttons go to the pointer activated last: the tablet in phase 1, then the guest
// re-initialises the mouse so phase 2's buttons and wheel go to it.
#include "aero/virtio/features.h"
#include "aero/virtio/spec.h"
#include "aero/virtio/status.h"
#include "platform/dma.h"
#include "platform/handshake.h"
#include "platform/markers.h"
#include "platform/pci.h"
#include "platform/text.h"
#include "platform/timer.h"
#include "scenarios/input_config.h"
#include "scenarios/scenarios.h"
#include "virtio/device.h"

namespace aero::guest {
namespace {

constexpr uint16_t kEvSyn = 0;
constexpr uint16_t kEvKey = 1;
constexpr uint16_t kEvRel = 2;
constexpr uint16_t kEvAbs = 3;
constexpr uint16_t kEvLed = 0x11;
constexpr uint16_t kLedCapsLock = 1;
constexpr uint16_t kQueueSize = 64;
constexpr uint32_t kEventBytes = 8;
constexpr uint32_t kMaxLog = 128;

struct Event {
  uint16_t type;
  uint16_t code;
  int32_t value;
};

constexpr Event kSyn = {kEvSyn, 0, 0};

// The sequences QEMU must deliver for the harness's script (input_script.py), phase by phase.
constexpr Event kPhase1Keyboard[] = {
    {kEvKey, 30, 1},
    {kEvKey, 30, 0},
    kSyn,  // a
    {kEvKey, 42, 1},
    kSyn,  // shift down
    {kEvKey, 48, 1},
    {kEvKey, 48, 0},
    kSyn,  // b
    {kEvKey, 42, 0},
    kSyn,  // shift up
    {kEvKey, 28, 1},
    {kEvKey, 28, 0},
    kSyn,  // enter
    {kEvKey, 59, 1},
    {kEvKey, 59, 0},
    kSyn,  // F1
    {kEvKey, 2, 1},
    {kEvKey, 2, 0},
    kSyn,  // 1
    {kEvKey, 29, 1},
    {kEvKey, 56, 1},
    {kEvKey, 111, 1},
    {kEvKey, 111, 0},
    {kEvKey, 56, 0},
    {kEvKey, 29, 0},
    kSyn,  // ctrl+alt+delete
};
constexpr Event kPhase1Mouse[] = {
    {kEvRel, 0, 5}, {kEvRel, 1, -3}, kSyn, {kEvRel, 0, -120}, kSyn,
};
constexpr Event kPhase1Tablet[] = {
    {kEvAbs, 0, 16384},
    {kEvAbs, 1, 100},
    kSyn,
    {kEvAbs, 0, 32767},
    {kEvAbs, 1, 32767},
    kSyn,
    {kEvKey, 272, 1},
    kSyn,
    {kEvKey, 272, 0},
    kSyn,
    {kEvRel, 8, 1},
    kSyn,
};
constexpr Event kPhase2Mouse[] = {
    {kEvKey, 272, 1},
    {kEvKey, 272, 0},
    kSyn,
    {kEvKey, 273, 1},
    {kEvKey, 273, 0},
    kSyn,
    {kEvKey, 274, 1},
    {kEvKey, 274, 0},
    kSyn,
    {kEvKey, 275, 1},
    {kEvKey, 275, 0},
    kSyn,
    {kEvKey, 276, 1},
    {kEvKey, 276, 0},
    kSyn,
    {kEvRel, 8, -1},
    kSyn,
    {kEvRel, 0, 1},
    {kEvRel, 1, 1},
    kSyn,
};

enum Role { kKeyboard = 0, kMouse = 1, kTablet = 2, kRoles = 3 };
const char* const kRoleNames[kRoles] = {"keyboard", "mouse", "tablet"};
const char* const kQemuNames[kRoles] = {"QEMU Virtio Keyboard", "QEMU Virtio Mouse",
                                        "QEMU Virtio Tablet"};

struct InputDevice {
  const PciFunction* function;
  VirtioDevice dev;
  virtio::SplitVirtqueue eventq;
  virtio::SplitVirtqueue statusq;
  DmaBuffer buffers;  // kQueueSize event buffers
  DmaBuffer status_buffers;
  Event log[kMaxLog];
  uint32_t logged;
  uint32_t status_completed;
  bool up;
};

Text g_error;

uint16_t load16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
uint32_t load32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

const char* post_buffer(InputDevice& d, uint32_t index) {
  const virtio::Segment segment{d.buffers.phys + index * kEventBytes, kEventBytes, true};
  const virtio::Status s =
      d.eventq.Add(&segment, 1, reinterpret_cast<void*>(static_cast<uintptr_t>(index + 1)));
  return s == virtio::Status::kOk ? nullptr : virtio::StatusText(s);
}

// Harvests events into the log and gives the buffers back to the device.
const char* drain(InputDevice& d) {
  virtio::Completion done[16];
  bool reposted = false;
  for (;;) {
    const size_t n = d.eventq.Harvest(done, 16);
    for (size_t i = 0; i < n; ++i) {
      const auto index = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(done[i].cookie) - 1);
      if (index >= kQueueSize) {
        return "completion with an unknown buffer";
      }
      if (done[i].written != kEventBytes) {
        return "event buffer completed with a length other than 8";
      }
      const uint8_t* e = static_cast<const uint8_t*>(d.buffers.virt) + index * kEventBytes;
      if (d.logged < kMaxLog) {
        d.log[d.logged] = Event{load16(e), load16(e + 2), static_cast<int32_t>(load32(e + 4))};
      }
      ++d.logged;
      if (const char* err = post_buffer(d, index)) {
        return err;
      }
      reposted = true;
    }
    if (n < 16) {
      break;
    }
  }
  if (d.eventq.broken()) {
    return virtio::StatusText(d.eventq.broken_reason());
  }
  if (reposted) {
    d.eventq.Kick();
  }
  return nullptr;
}

const char* start_device(InputDevice& d) {
  const virtio::CapParseOptions standard{virtio::CapPolicy::kStandard, nullptr};
  if (const char* e = virtio_probe(&d.dev, *d.function, standard, true)) {
    return e;
  }
  const virtio::FeatureRequest features{0, virtio::kFeatureEventIdx, 0};
  const virtio::QueueConfig configs[] = {{0, 0, kQueueSize, virtio::spec::kNoVector},
                                         {1, 0, kQueueSize, virtio::spec::kNoVector}};
  virtio::SplitVirtqueue* queues[] = {&d.eventq, &d.statusq};
  if (const char* e = virtio_start(&d.dev, features, configs, queues, 2, false)) {
    return e;
  }
  if (d.buffers.virt == nullptr) {
    d.buffers = dma_alloc(kQueueSize * kEventBytes, 64);
    d.status_buffers = dma_alloc(4 * kEventBytes, 64);
    if (d.buffers.virt == nullptr || d.status_buffers.virt == nullptr) {
      return "out of DMA memory for event buffers";
    }
  }
  for (uint32_t i = 0; i < kQueueSize; ++i) {
    if (const char* e = post_buffer(d, i)) {
      return e;
    }
  }
  if (const char* e = virtio_attach_irq(&d.dev)) {
    return e;
  }
  // DRIVER_OK activates the device as QEMU's input handler; only then may it be notified.
  const virtio::Status ok = d.dev.transport.DriverOk();
  if (ok != virtio::Status::kOk) {
    return virtio::StatusText(ok);
  }
  d.eventq.Kick();
  d.logged = 0;
  d.up = true;
  return nullptr;
}

void stop_device(InputDevice& d) {
  if (d.up) {
    virtio_stop(&d.dev);
    d.up = false;
  }
}

// Compares the log with the expected sequence; nullptr when equal.
const char* compare(const InputDevice& d, const Event* want, uint32_t count) {
  g_error.clear();
  const uint32_t n = d.logged < kMaxLog ? d.logged : kMaxLog;
  for (uint32_t i = 0; i < count && i < n; ++i) {
    const Event& got = d.log[i];
    if (got.type != want[i].type || got.code != want[i].code || got.value != want[i].value) {
      g_error.str("event ").dec(i).str(": got (").dec(got.type).ch(',').dec(got.code).ch(',');
      g_error.sdec(got.value).str(") expected (").dec(want[i].type).ch(',').dec(want[i].code);
      g_error.ch(',').sdec(want[i].value).ch(')');
      return g_error.c_str();
    }
  }
  if (d.logged != count) {
    g_error.str("got ").dec(d.logged).str(" events, expected ").dec(count);
    return g_error.c_str();
  }
  return nullptr;
}

void log_events(const InputDevice& d, const char* role, const char* phase) {
  Text events;
  const uint32_t n = d.logged < kMaxLog ? d.logged : kMaxLog;
  for (uint32_t i = 0; i < n; ++i) {
    events.dec(d.log[i].type).ch(':').dec(d.log[i].code).ch(':').sdec(d.log[i].value).ch(' ');
  }
  Marker::info()
      .kv("event", "input_log")
      .kv("phase", phase)
      .kv("device", role)
      .kv("events", events.c_str())
      .emit();
}

struct Expectation {
  const Event* events;
  uint32_t count;
};

// Runs one injection phase: READY, ACK, collect until every device has its events, compare.
void run_phase(InputDevice (&devs)[kRoles], const char* test, const char* token,
               const Expectation (&want)[kRoles]) {
  TestCase t(test);
  for (InputDevice& d : devs) {
    d.logged = 0;
  }
  const HarnessReply reply = request_harness(Marker::ready(token), token, 30000);
  if (reply != HarnessReply::kAck) {
    t.fail(harness_reply_text(reply)).emit();
    return;
  }
  const char* error = nullptr;
  wait_until(
      [&] {
        for (InputDevice& d : devs) {
          if (error == nullptr) {
            error = drain(d);
          }
        }
        if (error != nullptr) {
          return true;
        }
        for (int r = 0; r < kRoles; ++r) {
          if (devs[r].logged < want[r].count) {
            return false;
          }
        }
        return true;
      },
      5000);
  // Anything extra arrives right behind: give it a moment, then compare exactly.
  delay_us(20000);
  for (InputDevice& d : devs) {
    if (error == nullptr) {
      error = drain(d);
    }
  }
  if (error != nullptr) {
    t.fail(error).emit();
    return;
  }
  for (int r = 0; r < kRoles; ++r) {
    if (const char* e = compare(devs[r], want[r].events, want[r].count)) {
      log_events(devs[r], kRoleNames[r], token);
      Text reason;
      reason.str(kRoleNames[r]).str(": ").str(e);
      t.fail(reason.c_str()).emit();
      return;
    }
  }
  t.pass()
      .kv("keyboard_events", devs[kKeyboard].logged)
      .kv("mouse_events", devs[kMouse].logged)
      .kv("tablet_events", devs[kTablet].logged)
      .emit();
}

bool bit_set(const InputConfig& cfg, uint32_t bit) {
  return bit / 8 < cfg.size && (cfg.payload[bit / 8] & (1u << (bit % 8))) != 0;
}

const char* identify(InputDevice& d, Role role) {
  char name[128];
  if (const char* e = read_input_name(&d.dev, name)) {
    return e;
  }
  if (!str_equal(name, kQemuNames[role])) {
    g_error.clear();
    g_error.str("ID_NAME '").str(name).str("', expected '").str(kQemuNames[role]).ch('\'');
    return g_error.c_str();
  }
  InputConfig cfg;
  if (const char* e = read_input_config(&d.dev, kInputCfgIdDevids, 0, &cfg)) {
    return e;
  }
  if (cfg.size < 8 || load16(cfg.payload) != 0x0006) {
    return "ID_DEVIDS missing or bustype is not BUS_VIRTUAL (6)";
  }
  switch (role) {
    case kKeyboard:
      if (read_input_config(&d.dev, kInputCfgEvBits, kEvKey, &cfg) != nullptr ||
          !bit_set(cfg, 30)) {
        return "keyboard EV_KEY bitmap lacks KEY_A";
      }
      break;
    case kMouse:
      if (read_input_config(&d.dev, kInputCfgEvBits, kEvRel, &cfg) != nullptr || !bit_set(cfg, 0) ||
          !bit_set(cfg, 1) || !bit_set(cfg, 8)) {
        return "mouse EV_REL bitmap lacks REL_X/REL_Y/REL_WHEEL";
      }
      break;
    case kTablet:
      if (read_input_config(&d.dev, kInputCfgAbsInfo, 0, &cfg) != nullptr || cfg.size < 20 ||
          load32(cfg.payload + 4) != 32767) {
        return "tablet ABS_INFO(ABS_X) max is not 32767";
      }
      break;
    default:
      break;
  }
  return nullptr;
}

}  // namespace

void run_input_scenario() {
  static PciFunction functions[kMaxPciFunctions];
  static InputDevice devs[kRoles];
  size_t count = pci_enumerate(functions, kMaxPciFunctions);
  if (count > kMaxPciFunctions) {
    count = kMaxPciFunctions;
  }
  {
    TestCase t("input.identify");
    const PciFunction* found[4];
    const size_t n = find_virtio_functions(functions, count, kVirtioTypeInput, found, 4);
    for (size_t i = 0; i < n && i < 4; ++i) {
      // QEMU tells the three apart by PCI subclass: 00 keyboard, 02 mouse, 80 tablet.
      const uint8_t sub = found[i]->subclass;
      const int role =
          sub == 0x00 ? kKeyboard : (sub == 0x02 ? kMouse : (sub == 0x80 ? kTablet : -1));
      if (role >= 0 && devs[role].function == nullptr) {
        devs[role].function = found[i];
      }
    }
    for (int r = 0; r < kRoles; ++r) {
      if (devs[r].function == nullptr) {
        Text reason;
        reason.str("no virtio-input ").str(kRoleNames[r]).str(" found");
        t.fail(reason.c_str()).emit();
        return;
      }
      const virtio::CapParseOptions standard{virtio::CapPolicy::kStandard, nullptr};
      const char* e = virtio_probe(&devs[r].dev, *devs[r].function, standard, true);
      if (e == nullptr) {
        e = identify(devs[r], static_cast<Role>(r));
      }
      if (e != nullptr) {
        Text reason;
        reason.str(kRoleNames[r]).str(": ").str(e);
        t.fail(reason.c_str()).emit();
        return;
      }
    }
    t.pass().kv("devices", kRoles).emit();
  }
  {
    TestCase t("input.init");
    // Activation order matters to QEMU's input routing: keyboard, mouse, then tablet.
    for (int r = 0; r < kRoles; ++r) {
      if (const char* e = start_device(devs[r])) {
        Text reason;
        reason.str(kRoleNames[r]).str(": ").str(e);
        t.fail(reason.c_str()).emit();
        for (InputDevice& d : devs) {
          stop_device(d);
        }
        return;
      }
    }
    t.pass().kv("buffers_per_device", kQueueSize).emit();
  }
  {
    TestCase t("input.keyboard_led");
    InputDevice& k = devs[kKeyboard];
    auto* events = static_cast<uint8_t*>(k.status_buffers.virt);
    const uint8_t led[8] = {kEvLed, 0, kLedCapsLock, 0, 1, 0, 0, 0};
    const uint8_t syn[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 8; ++i) {
      events[i] = led[i];
      events[8 + i] = syn[i];
    }
    const virtio::Segment s0{k.status_buffers.phys, kEventBytes, false};
    const virtio::Segment s1{k.status_buffers.phys + 8, kEventBytes, false};
    virtio::Status s = k.statusq.Add(&s0, 1, k.status_buffers.virt);
    if (s == virtio::Status::kOk) {
      s = k.statusq.Add(&s1, 1, events + 8);
    }
    if (s != virtio::Status::kOk) {
      t.fail(virtio::StatusText(s)).emit();
    } else {
      k.statusq.Kick();
      // QEMU 7.2 returns status buffers with used.len = 8 although they are device-readable
      // (nothing was written), which lib/virtio rejects as kUsedLengthTooLarge. So the device's
      // consumption is judged from the used index in ring memory, and the library's verdict is
      // reported next to it.
      const auto* used = static_cast<const volatile uint8_t*>(k.statusq.ring_memory().virt) +
                         virtio::SplitVirtqueue::UsedRingOffset(k.statusq.size());
      auto used_index = [&] { return static_cast<uint16_t>(used[2] | (used[3] << 8)); };
      uint32_t harvested = 0;
      const bool consumed = wait_until(
          [&] {
            virtio::Completion c[2];
            harvested += static_cast<uint32_t>(k.statusq.Harvest(c, 2));
            return used_index() == 2;
          },
          5000);
      const char* verdict =
          k.statusq.broken() ? virtio::StatusText(k.statusq.broken_reason()) : "ok";
      if (!consumed) {
        t.fail("the keyboard did not consume the LED status events")
            .kv("used_index", used_index())
            .emit();
      } else {
        t.pass()
            .kv("used_index", used_index())
            .kv("harvested", harvested)
            .kv("library_verdict", verdict)
            .emit();
      }
    }
  }
  {
    const Expectation want[kRoles] = {{kPhase1Keyboard, sizeof(kPhase1Keyboard) / sizeof(Event)},
                                      {kPhase1Mouse, sizeof(kPhase1Mouse) / sizeof(Event)},
                                      {kPhase1Tablet, sizeof(kPhase1Tablet) / sizeof(Event)}};
    run_phase(devs, "input.phase1_keys_rel_abs_buttons", "input-phase1", want);
  }
  {
    TestCase t("input.reinit_mouse");
    stop_device(devs[kMouse]);
    if (const char* e = start_device(devs[kMouse])) {
      t.fail(e).emit();
    } else {
      t.pass().emit();
    }
  }
  {
    const Expectation want[kRoles] = {
        {nullptr, 0}, {kPhase2Mouse, sizeof(kPhase2Mouse) / sizeof(Event)}, {nullptr, 0}};
    run_phase(devs, "input.phase2_mouse_buttons_wheel", "input-phase2", want);
  }
  for (InputDevice& d : devs) {
    stop_device(d);
  }
}

}  // namespace aero::guest
