"""Disk images with a seeded, position-dependent pattern. The test guest computes the same pattern
(tests/e2e/guest/scenarios/pattern.h): sector n of seed s starts with the words (n, s) followed by
an xorshift32 stream seeded from both, so a sector written to the wrong place or a stale sector
is told apart from a correct one."""

import os
import struct

SECTOR_SIZE = 512
_WORDS = SECTOR_SIZE // 4


def _mix(seed, lba):
    state = (seed ^ ((lba * 0x9E3779B1) & 0xFFFFFFFF) ^ 0x5BD1E995) & 0xFFFFFFFF
    return state if state != 0 else 0x6D2B79F5


def sector_pattern(seed, lba):
    words = [lba & 0xFFFFFFFF, seed & 0xFFFFFFFF]
    x = _mix(seed, lba)
    for _ in range(_WORDS - 2):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        words.append(x)
    return struct.pack(f"<{_WORDS}I", *words)


def image_pattern(seed, sectors):
    return b"".join(sector_pattern(seed, lba) for lba in range(sectors))


def create_image(path, size, seed):
    """Writes a raw image of size bytes holding the pattern of seed (zeros when seed is None)."""
    if size <= 0 or size % SECTOR_SIZE:
        raise ValueError(f"disk size {size} is not a positive multiple of {SECTOR_SIZE}")
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:
        if seed is None:
            f.truncate(size)
        else:
            f.write(image_pattern(seed, size // SECTOR_SIZE))
    os.replace(tmp, path)


def verify_range(path, seed, first, count):
    """Returns None if sectors [first, first + count) of the image hold exactly the pattern of
    seed, else a description of the first difference."""
    try:
        with open(path, "rb") as f:
            f.seek(first * SECTOR_SIZE)
            data = f.read(count * SECTOR_SIZE)
    except OSError as e:
        return f"cannot read {path}: {e.strerror}"
    if len(data) != count * SECTOR_SIZE:
        return (f"image too short: sectors {first}..{first + count - 1} need "
                f"{(first + count) * SECTOR_SIZE} bytes")
    bad = [lba for lba in range(first, first + count)
           if data[(lba - first) * SECTOR_SIZE:(lba - first + 1) * SECTOR_SIZE]
           != sector_pattern(seed, lba)]
    if not bad:
        return None
    offset = (bad[0] - first) * SECTOR_SIZE
    found_lba, found_seed = struct.unpack_from("<II", data, offset)
    return (f"{len(bad)} of sectors {first}..{first + count - 1} differ from the pattern of seed "
            f"0x{seed:08x}; first is sector {bad[0]}, which starts with lba={found_lba} "
            f"seed=0x{found_seed:08x}")
