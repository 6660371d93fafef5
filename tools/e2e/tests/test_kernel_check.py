"""The multiboot ELF32 check run on every guest kernel."""

import struct
import unittest

from aero_e2e.kernel_check import KernelError, check_kernel, check_kernel_bytes


def elf32(entry=0x100010, paddr=0x100000, header_at=0x1000, magic=0x1BADB002, flags=3,
          machine=3, cls=1, size=0x3000):
    data = bytearray(size)
    data[0:4] = b"\x7fELF"
    data[4] = cls
    data[5] = 1
    data[6] = 1
    struct.pack_into("<HHIIIIIHHHHHH", data, 16, 2, machine, 1, entry, 52, 0, 0, 52, 32, 1,
                     0, 0, 0)
    struct.pack_into("<IIIIIIII", data, 52, 1, 0x1000, paddr, paddr, 0x2000, 0x3000, 5, 0x1000)
    if header_at is not None:
        struct.pack_into("<III", data, header_at, magic, flags, (-(magic + flags)) & 0xFFFFFFFF)
    return bytes(data)


class KernelCheckTest(unittest.TestCase):
    def test_good(self):
        info = check_kernel_bytes(elf32())
        self.assertEqual(info["multiboot_offset"], 0x1000)
        self.assertEqual(info["entry"], 0x100010)

    def test_rejections(self):
        cases = {
            "not an ELF": b"MZ" + bytes(100),
            "ELF64": elf32(cls=2),
            "EM_386": elf32(machine=62),
            "no multiboot header": elf32(header_at=None),
            "a.out kludge": elf32(flags=0x10003),
            "below 1 MiB": elf32(paddr=0x8000, entry=0x8010),
            "entry point": elf32(entry=0x500000),
        }
        for expected, data in cases.items():
            with self.assertRaises(KernelError, msg=expected) as ctx:
                check_kernel_bytes(data)
            self.assertIn(expected, str(ctx.exception))

    def test_header_must_be_in_first_8k(self):
        with self.assertRaises(KernelError):
            check_kernel_bytes(elf32(header_at=0x2100, size=0x4000))

    def test_missing_file(self):
        with self.assertRaises(KernelError) as ctx:
            check_kernel("/nonexistent/guest.elf")
        self.assertIn("cannot read", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
