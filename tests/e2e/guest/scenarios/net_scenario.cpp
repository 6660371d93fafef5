// Scenario "net": two virtio-net NICs on one QEMU hub. Every frame size from 60 to 1514 bytes goes
// from the first NIC to the second and must arrive once, in order and byte-exact; then a burst of
// 1000 frames, and a short run the other way.
#include "platform/markers.h"
#include "platform/pci.h"
#include "platform/text.h"
#include "scenarios/net_engine.h"
#include "scenarios/options.h"
#include "scenarios/scenarios.h"

namespace aero::guest {
namespace {

uint32_t every_size(uint32_t i) {
  return kNetMinFrame + i;
}
uint32_t mixed_size(uint32_t i) {
  return kNetMinFrame + (i * 97u) % (kNetMaxFrame - kNetMinFrame + 1);
}
uint32_t full_size(uint32_t) {
  return kNetMaxFrame;
}

void format_mac(Text& t, const uint8_t* mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 6; ++i) {
    t.ch(kHex[mac[i] >> 4]).ch(kHex[mac[i] & 0xf]);
    if (i != 5) {
      t.ch(':');
    }
  }
}

bool mac_less(const uint8_t* a, const uint8_t* b) {
  for (int i = 0; i < 6; ++i) {
    if (a[i] != b[i]) {
      return a[i] < b[i];
    }
  }
  return false;
}

void transfer_test(const char* name, NetNic& from, NetNic& to, uint32_t count, FrameSize size_of,
                   uint32_t first_seq, uint32_t max_batch, uint32_t timeout_ms) {
  TestCase t(name);
  TransferStats stats = {};
  const uint32_t tx_kicks = from.tx_kicks;
  const uint32_t rx_kicks = to.rx_kicks;
  const uint32_t irqs = from.dev.interrupts + to.dev.interrupts;
  if (const char* e =
          net_transfer(from, to, count, size_of, first_seq, max_batch, timeout_ms, &stats)) {
    t.fail(e).emit();
    return;
  }
  t.pass()
      .kv("frames", stats.frames)
      .kv("bytes", stats.bytes)
      .kv("elapsed_us", stats.elapsed_us)
      .kv("tx_kicks", from.tx_kicks - tx_kicks)
      .kv("rx_kicks", to.rx_kicks - rx_kicks)
      .kv("interrupts", from.dev.interrupts + to.dev.interrupts - irqs)
      .emit();
}

}  // namespace

void run_net_scenario() {
  const uint32_t timeout_ms = option_u32("io_timeout_ms", 10000);
  static PciFunction functions[kMaxPciFunctions];
  static NetNic nics[2];
  NetNic* a = nullptr;  // the NIC with the lower MAC sends first
  NetNic* b = nullptr;
  {
    TestCase t("net.init");
    size_t count = pci_enumerate(functions, kMaxPciFunctions);
    if (count > kMaxPciFunctions) {
      count = kMaxPciFunctions;
    }
    const PciFunction* found[2];
    if (find_virtio_functions(functions, count, kVirtioTypeNet, found, 2) != 2) {
      t.fail("expected exactly two virtio-net devices").emit();
      return;
    }
    const virtio::FeatureRequest features{
        0, virtio::kFeatureEventIdx | virtio::kFeatureIndirectDesc, 0};
    for (int i = 0; i < 2; ++i) {
      if (const char* e = net_open(nics[i], *found[i], features, true)) {
        Text reason;
        format_function(reason, *found[i]);
        reason.str(": ").str(e);
        t.fail(reason.c_str()).emit();
        net_close(nics[0]);
        net_close(nics[1]);
        return;
      }
    }
    a = mac_less(nics[0].mac, nics[1].mac) ? &nics[0] : &nics[1];
    b = a == &nics[0] ? &nics[1] : &nics[0];
    Text mac_a, mac_b;
    format_mac(mac_a, a->mac);
    format_mac(mac_b, b->mac);
    if (!mac_less(a->mac, b->mac)) {
      t.fail("both NICs report the same MAC address").emit();
      net_close(nics[0]);
      net_close(nics[1]);
      return;
    }
    t.pass()
        .kv("mac_a", mac_a.c_str())
        .kv("mac_b", mac_b.c_str())
        .kv_hex("negotiated", a->dev.negotiated, 16)
        .kv("irq_a", a->dev.pci.interrupt_line)
        .kv("irq_b", b->dev.pci.interrupt_line)
        .emit();
  }
  transfer_test("net.every_size_60_to_1514", *a, *b, kNetMaxFrame - kNetMinFrame + 1, every_size, 0,
                32, timeout_ms);
  transfer_test("net.burst_1000", *a, *b, 1000, mixed_size, 100000, kNetQueueSize, timeout_ms);
  transfer_test("net.reverse_direction", *b, *a, 64, full_size, 200000, 16, timeout_ms);
  net_close(nics[0]);
  net_close(nics[1]);
}

}  // namespace aero::guest
