#include "serial.h"

#include <stdint.h>

#include "cpu.h"

namespace aero::guest {
namespace {

constexpr uint16_t kCom1 = 0x3f8;
constexpr uint16_t kData = kCom1 + 0;
constexpr uint16_t kInterruptEnable = kCom1 + 1;
constexpr uint16_t kFifoControl = kCom1 + 2;
constexpr uint16_t kLineControl = kCom1 + 3;
constexpr uint16_t kModemControl = kCom1 + 4;
constexpr uint16_t kLineStatus = kCom1 + 5;
constexpr uint8_t kTransmitHoldingEmpty = 0x20;
constexpr uint8_t kDataReady = 0x01;
// A real UART drains a byte in ~87 us at 115200 baud; QEMU's is immediate. Bound the wait so a
// missing UART cannot hang the guest.
constexpr uint32_t kMaxPolls = 100000;

void put_byte(uint8_t b) {
  for (uint32_t i = 0; i < kMaxPolls; ++i) {
    if ((inb(kLineStatus) & kTransmitHoldingEmpty) != 0) {
      break;
    }
    pause();
  }
  outb(kData, b);
}

}  // namespace

void serial_init() {
  outb(kInterruptEnable, 0x00);
  outb(kLineControl, 0x80);  // DLAB: divisor follows
  outb(kData, 0x01);         // divisor 1 = 115200 baud
  outb(kInterruptEnable, 0x00);
  outb(kLineControl, 0x03);   // 8N1
  outb(kFifoControl, 0xc7);   // enable and clear FIFOs
  outb(kModemControl, 0x03);  // DTR, RTS; OUT2 clear so the UART never drives IRQ4
}

void serial_write(const char* data, size_t len) {
  for (size_t i = 0; i < len; ++i) {
    put_byte(static_cast<uint8_t>(data[i]));
  }
}

bool serial_read_byte(char* out) {
  if ((inb(kLineStatus) & kDataReady) == 0) {
    return false;
  }
  *out = static_cast<char>(inb(kData));
  return true;
}

void serial_write(const char* text) {
  while (*text != '\0') {
    put_byte(static_cast<uint8_t>(*text++));
  }
}

}  // namespace aero::guest
