"""What the harness does when the guest says READY: inspect the virtio devices over QMP and
compare with what the guest printed, or inject input events."""

from . import input_script

REQUIRED_STATUS = ("VIRTIO_CONFIG_S_ACKNOWLEDGE", "VIRTIO_CONFIG_S_DRIVER",
                   "VIRTIO_CONFIG_S_FEATURES_OK", "VIRTIO_CONFIG_S_DRIVER_OK")


def _has(strings, name):
    return any(s == name or s.startswith(name + ":") for s in strings)


def virtio_status(ctx):
    """Every virtio device QEMU knows must be at DRIVER_OK with VERSION_1 negotiated, and its
    queue 0 must be the ring (address and size) the guest reported for one of its devices."""
    qmp = ctx.qmp
    devices = qmp.execute("x-query-virtio")
    reported = {}
    for info in ctx.stream.infos_with(event="virtio_device"):
        reported[int(info.fields["queue0_desc"], 16)] = info.fields
    problems = []
    expected = int(ctx.marker.fields.get("devices", "-1"))
    if len(devices) != expected:
        problems.append(f"QEMU lists {len(devices)} virtio devices, the guest brought up "
                        f"{expected}")
    matched = set()
    for d in devices:
        path = d["path"]
        status = qmp.execute("x-query-virtio-status", {"path": path})
        statuses = status["status"]["statuses"]
        missing = [s for s in REQUIRED_STATUS if not _has(statuses, s)]
        if missing:
            problems.append(f"{d['name']} {path}: status lacks {', '.join(missing)}")
        if not _has(status["guest-features"]["transports"], "VIRTIO_F_VERSION_1"):
            problems.append(f"{d['name']} {path}: VERSION_1 not in the guest features")
        if status.get("broken"):
            problems.append(f"{d['name']} {path}: QEMU marked the device broken")
        queue = qmp.execute("x-query-virtio-queue-status", {"path": path, "queue": 0})
        desc = queue["vring-desc"]
        guest = reported.get(desc)
        if guest is None:
            problems.append(f"{d['name']} {path}: queue 0 at 0x{desc:x} is no ring the guest "
                            f"reported")
            continue
        matched.add(desc)
        if queue["vring-num"] != int(guest["queue0_size"]):
            problems.append(f"{d['name']}: QEMU vring-num {queue['vring-num']}, guest size "
                            f"{guest['queue0_size']}")
    unmatched = set(reported) - matched
    if unmatched:
        problems.append(f"guest rings QEMU does not show: {sorted(hex(a) for a in unmatched)}")
    ctx.check("host.qmp_virtio_status", not problems,
              "; ".join(problems) or f"{len(devices)} devices at DRIVER_OK with the guest's rings")


def _inject(ctx, phase):
    qmp = ctx.qmp
    for events in input_script.PHASES[phase]:
        qmp.execute("input-send-event", {"events": events})
    ctx.check(f"host.input_{phase}_injected", True,
              f"{len(input_script.PHASES[phase])} input-send-event calls")


def input_phase1(ctx):
    _inject(ctx, "phase1")


def input_phase2(ctx):
    _inject(ctx, "phase2")


def block_resize(drive_id):
    """READY action: grows the drive to the size the guest asks for (field new_bytes) while the
    guest keeps I/O in flight; QEMU then raises the virtio config-change interrupt."""
    def action(ctx):
        size = int(ctx.marker.fields["new_bytes"])
        ctx.qmp.execute("block_resize", {"device": drive_id, "size": size})
        ctx.check("host.block_resize", True, f"{drive_id} resized to {size} bytes")
    action.__name__ = f"block_resize_{drive_id}"
    return action


def blockstats(drive_id):
    """READY action: QEMU's accounting of the drive (query-blockstats) must show exactly the bytes
    the guest wrote (field write_bytes) and the flushes it caused (field flushes)."""
    def action(ctx):
        want_bytes = int(ctx.marker.fields["write_bytes"])
        want_flushes = int(ctx.marker.fields["flushes"])
        entries = [e for e in ctx.qmp.execute("query-blockstats") if e.get("device") == drive_id]
        if len(entries) != 1:
            raise ValueError(f"query-blockstats lists {len(entries)} entries for {drive_id}")
        stats = entries[0]["stats"]
        got = (stats["wr_bytes"], stats["flush_operations"])
        ok = got == (want_bytes, want_flushes)
        message = (f"{drive_id}: QEMU counted {got[0]} bytes written and {got[1]} flushes; the "
                   f"guest wrote {want_bytes} bytes and caused {want_flushes} flushes")
        ctx.check("host.blockstats", ok, message)
        if not ok:
            raise ValueError(message)
    action.__name__ = f"blockstats_{drive_id}"
    return action
