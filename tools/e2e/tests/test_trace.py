"""Counting QEMU trace events inside the guest's fenced windows."""

import unittest

from aero_e2e.trace import TraceError, count_windows


def fence(phase, window, bridge="i440FX"):
    return f"pci_cfg_write {bridge} 00:00.0 @0x0 <- 0x{0xAE000000 | phase | window:x}"


BEGIN = 0x00100000
END = 0x00200000


class TraceTest(unittest.TestCase):
    def test_counts_inside_windows_only(self):
        lines = [
            "virtio_set_status vdev 0x1 val 0",
            "virtio_pci_notify_write vdev 0x1 addr 0x3000 val 0x0 size 2",  # SeaBIOS, outside
            fence(BEGIN, 1),
            "virtio_pci_notify_write vdev 0x1 addr 0x3000 val 0x0 size 2",
            "virtio_queue_notify vdev 0x1 n 0 vq 0x2",
            "virtio_notify vdev 0x1 vq 0x2",
            "virtio_notify vdev 0x1 vq 0x2",
            "memory_region_ops_read cpu 0 mr 0x3 addr 0xfe001000 value 0x1 size 1 "
            "name 'virtio-pci-isr-virtio-blk'",
            "memory_region_ops_read cpu 0 mr 0x4 addr 0x3fd value 0x60 size 1 name 'serial'",
            "pci_cfg_write virtio-blk 00:04.0 @0x4 <- 0x7",
            fence(END, 1),
            "virtio_notify vdev 0x1 vq 0x2",
            "1234@1700000000.000001:" + fence(BEGIN, 2, "mch"),
            "1234@1700000000.000002:virtio_notify vdev 0x1 vq 0x2",
            fence(END, 2, "mch"),
        ]
        windows = count_windows(lines)
        self.assertEqual(windows[1], {"notify_writes": 1, "queue_notifies": 1, "interrupts": 2,
                                      "isr_reads": 1})
        self.assertEqual(windows[2]["interrupts"], 1)

    def test_other_config_writes_are_not_fences(self):
        windows = count_windows(["pci_cfg_write i440FX 00:00.0 @0x0 <- 0x12345678",
                                 "pci_cfg_write i440FX 00:00.0 @0x58 <- 0xae100001"])
        self.assertEqual(windows, {})

    def test_broken_fences(self):
        with self.assertRaises(TraceError):
            count_windows([fence(BEGIN, 1), fence(BEGIN, 2)])
        with self.assertRaises(TraceError):
            count_windows([fence(BEGIN, 1), fence(END, 2)])
        with self.assertRaises(TraceError):
            count_windows([fence(BEGIN, 1)])
        with self.assertRaises(TraceError):
            count_windows([fence(BEGIN, 1), fence(END, 1), fence(BEGIN, 1), fence(END, 1)])


if __name__ == "__main__":
    unittest.main()
