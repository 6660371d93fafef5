// Scenarios that exercise the platform and, on purpose, the harness's failure paths. The harness
// runs each faulty one with an expected outcome (timeout, exception, triple fault, protocol error)
// and passes only if it recognises and reports that outcome.
#include "platform/cpu.h"
#include "platform/dma.h"
#include "platform/interrupts.h"
#include "platform/markers.h"
#include "platform/serial.h"
#include "platform/timer.h"
#include "scenarios.h"

namespace aero::guest {

void run_platform_scenario() {
  {
    TestCase t("platform.timer");
    const uint64_t t0 = ticks_ms();
    const uint64_t us0 = now_us();
    const bool advanced = wait_until([&] { return ticks_ms() >= t0 + 20; }, 1000);
    const uint64_t elapsed_us = now_us() - us0;
    if (!advanced) {
      t.fail("the 1 kHz PIT tick did not advance 20 ticks within 1 s").emit();
    } else if (elapsed_us < 15000 || elapsed_us > 2000000) {
      // 20 ticks take 20 ms; a busy host can delay ticks (longer), never hasten them.
      t.fail("TSC time disagrees with the PIT ticks").kv("elapsed_us", elapsed_us).emit();
    } else {
      t.pass().kv("elapsed_us_for_20_ticks", elapsed_us).kv("tsc_khz", tsc_per_ms()).emit();
    }
  }
  {
    TestCase t("platform.dma_allocator");
    const size_t mark = dma_mark();
    const DmaBuffer a = dma_alloc(100, 16);
    const DmaBuffer b = dma_alloc(4096, 4096);
    const DmaBuffer too_big = dma_alloc(dma_bytes_free() + 1, 1);
    dma_release(mark);
    const DmaBuffer again = dma_alloc(100, 16);
    dma_release(mark);
    if (a.virt == nullptr || b.virt == nullptr) {
      t.fail("small allocations failed").emit();
    } else if ((a.phys & 15) != 0 || (b.phys & 4095) != 0 || b.phys < a.phys + 100) {
      t.fail("allocations are misaligned or overlap").emit();
    } else if (too_big.virt != nullptr) {
      t.fail("an allocation larger than the free space succeeded").emit();
    } else if (again.phys != a.phys) {
      t.fail("releasing to a mark did not reuse the memory").emit();
    } else {
      t.pass().kv_hex("first", a.phys, 8).kv("free_bytes", dma_bytes_free()).emit();
    }
  }
  {
    TestCase t("platform.timer_interrupts");
    const IrqStats s = irq_stats(kTimerIrq);
    if (s.delivered == 0 || s.claimed != s.delivered) {
      t.fail("timer interrupts missing or unclaimed").kv("delivered", s.delivered).emit();
    } else {
      t.pass().kv("timer_interrupts", s.delivered).emit();
    }
  }
}

void run_selftest_hang_scenario() {
  TestCase t("selftest.hang");
  // Waits forever with interrupts on: the harness must time the test out and kill QEMU.
  for (;;) {
    sti_hlt_cli();
  }
}

void run_selftest_exception_scenario() {
  TestCase t("selftest.exception");
  asm volatile("ud2");  // #UD: the exception handler fails the test and the run
}

void run_selftest_triple_fault_scenario() {
  TestCase t("selftest.triple_fault");
  // An empty IDT turns the breakpoint into #GP, then #DF, then a triple fault; with -no-reboot
  // QEMU exits with status 0 and no RESULT line.
  struct [[gnu::packed]] {
    uint16_t limit;
    uint32_t base;
  } empty_idt = {0, 0};
  asm volatile("cli; lidt %0; int3" ::"m"(empty_idt) : "memory");
}

void run_selftest_garbage_scenario() {
  TestCase t("selftest.garbage");
  // Lines that claim to be markers but break the protocol; the harness must reject the run even
  // though it ends with RESULT|PASS.
  serial_write("AERO_SELFTEST|TEST|selftest.bogus|MAYBE\n");
  serial_write("AERO_SELFTEST|NOSUCHKIND|x=1\n");
  serial_write("AERO_SELFTEST|INFO|bad%escape=%G1\n");
  serial_write("\x01\x02\xff garbage without a newline ... ");
  t.pass().emit();
}

}  // namespace aero::guest
