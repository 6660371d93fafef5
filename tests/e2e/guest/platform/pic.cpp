#include "pic.h"

#include "cpu.h"

namespace aero::guest {
namespace {

constexpr uint16_t kMasterCommand = 0x20;
constexpr uint16_t kMasterData = 0x21;
constexpr uint16_t kSlaveCommand = 0xa0;
constexpr uint16_t kSlaveData = 0xa1;
constexpr uint16_t kElcrMaster = 0x4d0;
constexpr uint16_t kElcrSlave = 0x4d1;
constexpr uint8_t kIcw1Init = 0x11;  // edge-triggered per ELCR, cascade, ICW4 follows
constexpr uint8_t kIcw4Mode8086 = 0x01;
constexpr uint8_t kOcw3ReadIsr = 0x0b;
constexpr uint8_t kEoi = 0x20;

uint16_t g_mask = 0xffff;

void write_mask() {
  outb(kMasterData, static_cast<uint8_t>(g_mask & 0xff));
  outb(kSlaveData, static_cast<uint8_t>(g_mask >> 8));
}

}  // namespace

void pic_init() {
  outb(kMasterCommand, kIcw1Init);
  outb(kSlaveCommand, kIcw1Init);
  outb(kMasterData, kIrqVectorBase);     // ICW2: master vectors 0x20..0x27
  outb(kSlaveData, kIrqVectorBase + 8);  // ICW2: slave vectors 0x28..0x2f
  outb(kMasterData, 1u << kCascadeIrq);  // ICW3: slave on IRQ2
  outb(kSlaveData, kCascadeIrq);         // ICW3: slave identity
  outb(kMasterData, kIcw4Mode8086);
  outb(kSlaveData, kIcw4Mode8086);
  g_mask = static_cast<uint16_t>(0xffff & ~(1u << kCascadeIrq));
  write_mask();
}

void pic_mask(uint8_t irq) {
  InterruptGuard guard;
  g_mask = static_cast<uint16_t>(g_mask | (1u << irq));
  write_mask();
}

void pic_unmask(uint8_t irq) {
  InterruptGuard guard;
  g_mask = static_cast<uint16_t>(g_mask & ~(1u << irq));
  write_mask();
}

uint16_t pic_in_service() {
  outb(kMasterCommand, kOcw3ReadIsr);
  outb(kSlaveCommand, kOcw3ReadIsr);
  return static_cast<uint16_t>(inb(kMasterCommand) | (inb(kSlaveCommand) << 8));
}

void pic_eoi(uint8_t irq) {
  if (irq >= 8) {
    outb(kSlaveCommand, kEoi);
  }
  outb(kMasterCommand, kEoi);
}

void pic_eoi_master() {
  outb(kMasterCommand, kEoi);
}

uint16_t pic_read_elcr() {
  return static_cast<uint16_t>(inb(kElcrMaster) | (inb(kElcrSlave) << 8));
}

void pic_set_level_triggered(uint8_t irq) {
  InterruptGuard guard;
  const uint16_t port = irq < 8 ? kElcrMaster : kElcrSlave;
  const uint8_t bit = static_cast<uint8_t>(1u << (irq & 7));
  outb(port, static_cast<uint8_t>(inb(port) | bit));
}

}  // namespace aero::guest
