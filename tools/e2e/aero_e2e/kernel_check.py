"""Checks that a file is a kernel QEMU's multiboot loader accepts: an ELF32 i386 executable with a
valid multiboot (v1) header in its first 8 KiB. QEMU refuses ELF64 kernels outright."""

import struct

MULTIBOOT_MAGIC = 0x1BADB002
MULTIBOOT_SEARCH_BYTES = 8192
MULTIBOOT_AOUT_KLUDGE = 1 << 16
ELF_MAGIC = b"\x7fELF"
EM_386 = 3
ET_EXEC = 2
PT_LOAD = 1
MAX_KERNEL_BYTES = 64 * 1024 * 1024


class KernelError(Exception):
    """The file is not a bootable multiboot ELF32 kernel."""


def check_kernel(path):
    """Returns a dict describing the kernel, or raises KernelError with the reason."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_KERNEL_BYTES + 1)
    except OSError as e:
        raise KernelError(f"cannot read kernel {path}: {e.strerror}") from e
    if len(data) > MAX_KERNEL_BYTES:
        raise KernelError(f"{path}: larger than {MAX_KERNEL_BYTES} bytes")
    return check_kernel_bytes(data, str(path))


def check_kernel_bytes(data, name="kernel"):
    if len(data) < 52 or data[:4] != ELF_MAGIC:
        raise KernelError(f"{name}: not an ELF file")
    ei_class, ei_data = data[4], data[5]
    if ei_class == 2:
        raise KernelError(f"{name}: ELF64; QEMU's -kernel multiboot loader only takes ELF32")
    if ei_class != 1:
        raise KernelError(f"{name}: unknown ELF class {ei_class}")
    if ei_data != 1:
        raise KernelError(f"{name}: not little-endian")
    (e_type, e_machine, _version, e_entry, e_phoff, _shoff, _flags, _ehsize, e_phentsize,
     e_phnum) = struct.unpack_from("<HHIIIIIHHH", data, 16)
    if e_machine != EM_386:
        raise KernelError(f"{name}: machine {e_machine}, expected EM_386 (3)")
    if e_type != ET_EXEC:
        raise KernelError(f"{name}: ELF type {e_type}, expected an executable (2)")
    if e_phnum == 0 or e_phentsize < 32:
        raise KernelError(f"{name}: no program headers")
    if e_phoff + e_phnum * e_phentsize > len(data):
        raise KernelError(f"{name}: program headers beyond the end of the file")
    segments = []
    for i in range(e_phnum):
        (p_type, p_offset, _vaddr, p_paddr, p_filesz, p_memsz, _pflags,
         _align) = struct.unpack_from("<IIIIIIII", data, e_phoff + i * e_phentsize)
        if p_type != PT_LOAD:
            continue
        if p_offset + p_filesz > len(data):
            raise KernelError(f"{name}: segment {i} extends beyond the end of the file")
        if p_filesz > p_memsz:
            raise KernelError(f"{name}: segment {i} has filesz > memsz")
        if p_paddr < 0x100000:
            raise KernelError(f"{name}: segment {i} loads below 1 MiB (0x{p_paddr:x})")
        segments.append((p_paddr, p_memsz))
    if not segments:
        raise KernelError(f"{name}: no PT_LOAD segment")
    if not any(base <= e_entry < base + size for base, size in segments):
        raise KernelError(f"{name}: entry point 0x{e_entry:x} outside every loaded segment")
    header_offset = None
    for off in range(0, min(len(data), MULTIBOOT_SEARCH_BYTES) - 11, 4):
        magic, flags, checksum = struct.unpack_from("<III", data, off)
        if magic == MULTIBOOT_MAGIC and (magic + flags + checksum) & 0xFFFFFFFF == 0:
            header_offset = off
            break
    if header_offset is None:
        raise KernelError(
            f"{name}: no multiboot header (magic 0x1BADB002 with a valid checksum) in the "
            f"first {MULTIBOOT_SEARCH_BYTES} bytes")
    flags = struct.unpack_from("<I", data, header_offset + 4)[0]
    if flags & MULTIBOOT_AOUT_KLUDGE:
        raise KernelError(f"{name}: multiboot header uses the a.out kludge; expected ELF loading")
    return {
        "entry": e_entry,
        "multiboot_offset": header_offset,
        "multiboot_flags": flags,
        "segments": segments,
    }
