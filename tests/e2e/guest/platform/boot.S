/* Multiboot (v1) entry of the e2e test guest. QEMU's -kernel loader enters in 32-bit protected
 * mode with EAX = 0x2BADB002 and EBX = the multiboot info; paging is off and so it stays. We load our
 * own flat GDT (0x08 code, 0x10 data), set up a stack, clear .bss and call kmain(magic, info).
 * The interrupt stubs push a uniform frame (error code or 0, then the vector) and call
 * isr_dispatch(frame) in C++. */

#define MULTIBOOT_MAGIC 0x1BADB002
#define MULTIBOOT_FLAGS 0x3 /* page-aligned modules, memory information */

.section .multiboot, "a"
.balign 4
.long MULTIBOOT_MAGIC
.long MULTIBOOT_FLAGS
.long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

.section .bss
.balign 16
boot_stack_bottom:
.skip 65536
boot_stack_top:

.section .rodata
.balign 8
gdt:
.quad 0x0000000000000000
.quad 0x00CF9A000000FFFF /* 0x08: code, base 0, limit 4 GiB, 32-bit */
.quad 0x00CF92000000FFFF /* 0x10: data, base 0, limit 4 GiB */
gdt_end:
.balign 4
gdtr:
.word gdt_end - gdt - 1
.long gdt

.section .text.boot, "ax"
.global _start
.type _start, @function
_start:
  cli
  cld
  mov $boot_stack_top, %esp
  lgdt gdtr
  ljmp $0x08, $1f
1:
  mov $0x10, %cx
  mov %cx, %ds
  mov %cx, %es
  mov %cx, %fs
  mov %cx, %gs
  mov %cx, %ss
  /* Keep the multiboot registers while .bss is cleared (QEMU zero-fills it already; a loader that
   * does not must still find it zeroed). */
  mov %eax, %esi
  mov %ebx, %ebp
  mov $__bss_start, %edi
  mov $__bss_end, %ecx
  sub %edi, %ecx
  xor %eax, %eax
  rep stosb
  mov $boot_stack_top, %esp
  push %ebp
  push %esi
  call kmain
  /* kmain never returns; if it does, stop here with interrupts off. */
2:
  cli
  hlt
  jmp 2b
.size _start, . - _start

/* 256 interrupt stubs, 16 bytes apart: isr_stubs + 16 * vector. The CPU pushes an error code for
 * vectors 8, 10-14, 17, 21, 29 and 30; every other stub pushes a 0 in its place. */
.section .text.isr, "ax"
.global isr_stubs
.balign 16
isr_stubs:
.set vector, 0
.rept 256
  .balign 16
  .if (vector == 8) || ((vector >= 10) && (vector <= 14)) || (vector == 17) || \
      (vector == 21) || (vector == 29) || (vector == 30)
  .else
    push $0
  .endif
  push $vector
  jmp isr_common
  .set vector, vector + 1
.endr

isr_common:
  pusha
  cld
  push %esp
  call isr_dispatch
  add $4, %esp
  popa
  add $8, %esp
  iret

.section .note.GNU-stack, "", @progbits
