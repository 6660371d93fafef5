"""The seeded disk pattern (shared with the guest's pattern.h) and image checks."""

import os
import struct
import tempfile
import unittest

from aero_e2e import disk


class PatternTest(unittest.TestCase):
    def test_layout(self):
        s = disk.sector_pattern(0x1234, 7)
        self.assertEqual(len(s), 512)
        self.assertEqual(struct.unpack_from("<II", s), (7, 0x1234))

    def test_known_value(self):
        # Computed by hand from the definition: x0 = seed ^ lba*0x9E3779B1 ^ 0x5BD1E995, then
        # one xorshift32 step (13, 17, 5). The guest's fill_sector_pattern must agree.
        x = (0x1234 ^ ((3 * 0x9E3779B1) & 0xFFFFFFFF) ^ 0x5BD1E995) & 0xFFFFFFFF
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.assertEqual(struct.unpack_from("<I", disk.sector_pattern(0x1234, 3), 8)[0], x)

    def test_sectors_and_seeds_differ(self):
        self.assertNotEqual(disk.sector_pattern(1, 0), disk.sector_pattern(1, 1))
        self.assertNotEqual(disk.sector_pattern(1, 0), disk.sector_pattern(2, 0))


class ImageTest(unittest.TestCase):
    def test_create_and_verify(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "d.img")
            disk.create_image(path, 64 * 512, 0xABCD)
            self.assertEqual(os.listdir(d), ["d.img"])
            self.assertIsNone(disk.verify_range(path, 0xABCD, 0, 64))
            self.assertIsNone(disk.verify_range(path, 0xABCD, 10, 20))
            self.assertIn("differ", disk.verify_range(path, 0x1111, 0, 1))
            with open(path, "r+b") as f:
                f.seek(33 * 512 + 100)
                f.write(b"\xff")
            problem = disk.verify_range(path, 0xABCD, 0, 64)
            self.assertIn("1 of sectors 0..63", problem)
            self.assertIn("first is sector 33", problem)
            self.assertIn("image too short", disk.verify_range(path, 0xABCD, 60, 8))

    def test_zero_image_and_bad_size(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "z.img")
            disk.create_image(path, 4096, None)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), bytes(4096))
            with self.assertRaises(ValueError):
                disk.create_image(path, 100, None)


if __name__ == "__main__":
    unittest.main()
