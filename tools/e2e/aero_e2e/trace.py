"""Counting QEMU trace events per measurement window of the guest.

QEMU runs with ioeventfd=off on the measured devices (so every doorbell reaches the
virtio_pci_notify_write trace point and completions go through virtio_notify) and with the log
trace backend (-trace events=FILE -D LOG). The guest brackets each window with two writes to the
read-only vendor-ID register of the host bridge, which QEMU logs as
    pci_cfg_write <bridge> 00:00.0 @0x0 <- 0xae1NNNNN   (window NNNNN begins)
    pci_cfg_write <bridge> 00:00.0 @0x0 <- 0xae2NNNNN   (window NNNNN ends)
Events between the two belong to the window. Counting only inside windows also leaves out
SeaBIOS's own use of the devices before the guest runs.
"""

import re

EVENTS = (
    "virtio_pci_notify_write",   # a doorbell write (MMIO) reached the device model
    "virtio_queue_notify",       # the device processed a queue notification
    "virtio_notify",             # the device raised an interrupt (after suppression checks)
    "memory_region_ops_read",    # filtered to the ISR regions below
    "pci_cfg_write",             # the window fences
)

FENCE_BASE = 0xAE000000
FENCE_BEGIN = 0x00100000
FENCE_END = 0x00200000
FENCE_ID_MASK = 0x000FFFFF

_PREFIX = r"^(?:\d+@\d+\.\d+:)?"
_FENCE_RE = re.compile(_PREFIX + r"pci_cfg_write \S+ 00:00\.0 @0x0 <- 0x([0-9a-fA-F]+)")
_EVENT_RE = re.compile(_PREFIX + r"([a-z_0-9]+) ")
_ISR_READ_RE = re.compile(r"name 'virtio-pci-isr")


class TraceError(Exception):
    pass


def write_events_file(path):
    with open(path, "w") as f:
        for name in EVENTS:
            f.write(name + "\n")


def count_windows(lines):
    """Returns {window_id: {counter: n}} from trace log lines; raises TraceError on fences that
    do not pair up."""
    windows = {}
    current = None
    for line in lines:
        fence = _FENCE_RE.match(line)
        if fence:
            value = int(fence.group(1), 16)
            if value & 0xFF000000 != FENCE_BASE:
                continue
            window = value & FENCE_ID_MASK
            phase = value & 0x00F00000
            if phase == FENCE_BEGIN:
                if current is not None:
                    raise TraceError(f"window {window} begins inside window {current}")
                if window in windows:
                    raise TraceError(f"window {window} begins twice")
                current = window
                windows[window] = {"notify_writes": 0, "queue_notifies": 0, "interrupts": 0,
                                   "isr_reads": 0}
            elif phase == FENCE_END:
                if current != window:
                    raise TraceError(f"window {window} ends but {current} is open")
                current = None
            continue
        if current is None:
            continue
        m = _EVENT_RE.match(line)
        if not m:
            continue
        name = m.group(1)
        counts = windows[current]
        if name == "virtio_pci_notify_write":
            counts["notify_writes"] += 1
        elif name == "virtio_queue_notify":
            counts["queue_notifies"] += 1
        elif name == "virtio_notify":
            counts["interrupts"] += 1
        elif name == "memory_region_ops_read" and _ISR_READ_RE.search(line):
            counts["isr_reads"] += 1
    if current is not None:
        raise TraceError(f"window {current} never ended (guest stopped inside it?)")
    return windows


def count_windows_in_file(path):
    try:
        with open(path, "r", errors="replace") as f:
            return count_windows(f)
    except OSError as e:
        raise TraceError(f"cannot read trace log {path}: {e.strerror}") from e
