"""The scenarios of the e2e bench. Each runs the test guest (tests/e2e/guest) with one guest
scenario on a pc (i440fx) or q35 machine with QEMU's own virtio devices."""

import zlib

from . import actions, bench, trace
from .model import CheckResult, Disk, Expect, KernelBoot, Scenario

DISK_BYTES = 2 * 1024 * 1024
DISK_SECTORS = DISK_BYTES // 512
MACHINES = ("pc", "q35")
RESIZED_SECTORS = DISK_SECTORS * 3 // 2
READ_ERROR_SECTOR = 1000
WRITE_ERROR_SECTOR = 2000
BENCH_DISK_BYTES = 64 * 1024 * 1024
# The guest's blk-scsi scenario expects this serial in INQUIRY VPD page 0x80 (scsi_scenario.cpp).
BLK_SERIAL = "AERO-E2E-BLK"

# PCI slots are pinned so interrupt lines are known: SeaBIOS routes INTA of slots 3/4 and 7/8 to
# IRQ 11 and of slots 5/6 to IRQ 10 on pc, so several devices share a level-triggered line.
BLK_ADDR = "04.0"
NET0_ADDR = "05.0"
NET1_ADDR = "06.0"
KBD_ADDR = "07.0"
MOUSE_ADDR = "08.0"
TABLET_ADDR = "09.0"
NET0_MAC = "52:54:00:ae:00:01"
NET1_MAC = "52:54:00:ae:00:02"


def seed_for(name, salt):
    """A fixed 32-bit seed per scenario (runs are reproducible; scenarios differ)."""
    return zlib.crc32(f"{name}/{salt}".encode()) or 1


def blk_device(addr=BLK_ADDR, extra=""):
    return f"virtio-blk-pci,drive=d0,disable-legacy=on,disable-modern=off,addr={addr}{extra}"


def net_devices(extra="", addr0=NET0_ADDR, addr1=NET1_ADDR):
    netdevs = ["hubport,id=n0,hubid=0", "hubport,id=n1,hubid=0"]
    devices = [
        f"virtio-net-pci,netdev=n0,mac={NET0_MAC},disable-legacy=on,addr={addr0}{extra}",
        f"virtio-net-pci,netdev=n1,mac={NET1_MAC},disable-legacy=on,addr={addr1}{extra}",
    ]
    return netdevs, devices


def input_devices(extra=""):
    return [
        f"virtio-keyboard-pci,disable-legacy=on,addr={KBD_ADDR}{extra}",
        f"virtio-mouse-pci,disable-legacy=on,addr={MOUSE_ADDR}{extra}",
        f"virtio-tablet-pci,disable-legacy=on,addr={TABLET_ADDR}{extra}",
    ]


# What the pci scenario must find at the pinned slots (vendor:device, class).
EXPECTED_PCI = {
    f"00:{BLK_ADDR}": ("1af4:1042", "010000"),
    f"00:{NET0_ADDR}": ("1af4:1041", "020000"),
    f"00:{NET1_ADDR}": ("1af4:1041", "020000"),
    f"00:{KBD_ADDR}": ("1af4:1052", "090000"),
    f"00:{MOUSE_ADDR}": ("1af4:1052", "090200"),
    f"00:{TABLET_ADDR}": ("1af4:1052", "098000"),
}


def check_pci_inventory(result):
    found = {m.fields.get("bdf"): m.fields for m in result.stream.infos_with(event="pci_function")}
    problems = []
    for bdf, (ident, cls) in EXPECTED_PCI.items():
        f = found.get(bdf)
        if f is None:
            problems.append(f"{bdf}: not listed by the guest")
        elif f.get("id") != ident or f.get("class") != cls:
            problems.append(f"{bdf}: guest saw {f.get('id')} class {f.get('class')}, "
                            f"expected {ident} class {cls}")
    return [CheckResult("host.pci_inventory", not problems,
                        "; ".join(problems) or f"all {len(EXPECTED_PCI)} configured devices found")]


def full_device_set(extra=""):
    netdevs, nets = net_devices(extra)
    return netdevs, [blk_device(extra=extra)] + nets + input_devices(extra)


def _blk_disk(name, seed_initial, seed_write):
    return Disk("d0", DISK_BYTES, seed=seed_initial, expect=[(0, DISK_SECTORS, seed_write)])


def _blk_boot(name, guest_scenario, seed_initial, seed_write, **extra):
    cmdline = {"scenario": guest_scenario, "seed_initial": f"0x{seed_initial:08x}",
               "seed_write": f"0x{seed_write:08x}", "disk_sectors": str(DISK_SECTORS)}
    cmdline.update(extra)
    return KernelBoot(cmdline)


def _scenarios():
    out = []
    out.append(Scenario(
        name="platform",
        description="the guest's own timer, interrupts and DMA allocator",
        boot=KernelBoot({"scenario": "platform"})))
    for machine in MACHINES:
        netdevs, devices = full_device_set()
        disk = Disk("d0", DISK_BYTES, seed=None)
        out.append(Scenario(
            name=f"pci-{machine}",
            description="PCI enumeration, BAR sizing, INTx routing; inventory checked by the host",
            machine=machine,
            boot=KernelBoot({"scenario": "pci"}),
            netdevs=netdevs, devices=devices, disks=[disk],
            checks=[check_pci_inventory]))
        netdevs, devices = full_device_set()
        out.append(Scenario(
            name=f"transport-{machine}",
            description="every virtio device identified, caps parsed (standard accepted, "
                        "aero-strict rejected), DRIVER_OK, QMP cross-check",
            machine=machine,
            boot=KernelBoot({"scenario": "transport", "disk_sectors": str(DISK_SECTORS),
                             "virtio_devices": str(len(devices))}),
            netdevs=netdevs, devices=devices, disks=[Disk("d0", DISK_BYTES, seed=None)],
            ready_actions={"virtio-status": actions.virtio_status}))
        out.append(Scenario(
            name=f"input-{machine}",
            description="virtio keyboard, mouse, tablet: QMP-injected keys, moves, wheel, "
                        "buttons, positions; exact evdev sequences",
            machine=machine,
            boot=KernelBoot({"scenario": "input"}),
            devices=input_devices(),
            ready_actions={"input-phase1": actions.input_phase1,
                           "input-phase2": actions.input_phase2}))
        netdevs, devices = net_devices()
        out.append(Scenario(
            name=f"net-{machine}",
            description="two virtio-net NICs on one hub: sizes 60..1514 byte-exact, burst of 1000",
            machine=machine,
            boot=KernelBoot({"scenario": "net"}),
            netdevs=netdevs, devices=devices))
        name = f"blk-{machine}"
        s_init, s_write = seed_for(name, "initial"), seed_for(name, "write")
        out.append(Scenario(
            name=name,
            description="virtio-blk: seeded read, whole-disk write, flush, read back, reset",
            machine=machine,
            boot=_blk_boot(name, "blk", s_init, s_write),
            devices=[blk_device()], disks=[_blk_disk(name, s_init, s_write)]))

    # The virtio-blk driver core (drivers/virtio-blk/core) in SCSI, as StorPort drives it.
    for name, machine, block_size in (("blk-scsi-pc", "pc", 512),
                                      ("blk-scsi-4kn-q35", "q35", 4096)):
        s_init, s_write = seed_for(name, "initial"), seed_for(name, "write")
        out.append(Scenario(
            name=name,
            description=f"driver core, {block_size}-byte blocks: INQUIRY/VPD/READ CAPACITY/MODE "
                        "SENSE, seeded read, random mixed I/O at QD 1..32 verified, whole-disk "
                        "pattern via READ/WRITE 6/10/12/16, SYNCHRONIZE CACHE, reset with I/O "
                        "in flight",
            machine=machine,
            boot=_blk_boot(name, "blk-scsi", s_init, s_write, block_size=str(block_size)),
            devices=[blk_device(extra=f",serial={BLK_SERIAL},logical_block_size={block_size},"
                                      f"physical_block_size={block_size}")],
            disks=[_blk_disk(name, s_init, s_write)],
            ready_actions={"blockstats": actions.blockstats("d0")}))
    name = "blk-scsi-resize"
    s_init, s_write = seed_for(name, "initial"), seed_for(name, "write")
    out.append(Scenario(
        name=name,
        description="driver core: QMP block_resize 2 -> 3 MiB during mixed I/O; config "
                    "interrupt, UNIT ATTENTION, READ CAPACITY, the new blocks written",
        boot=_blk_boot(name, "blk-scsi-resize", s_init, s_write,
                       new_sectors=str(RESIZED_SECTORS)),
        devices=[blk_device(extra=f",serial={BLK_SERIAL}")],
        disks=[Disk("d0", DISK_BYTES, seed=s_init,
                    expect=[(DISK_SECTORS, RESIZED_SECTORS - DISK_SECTORS, s_write)])],
        ready_actions={"resize": actions.block_resize("d0")}))
    name = "blk-scsi-ioerror"
    s_init = seed_for(name, "initial")
    out.append(Scenario(
        name=name,
        description="driver core: blkdebug EIO on a read and a write -> CHECK CONDITION, "
                    "MEDIUM ERROR (11/00, 0C/00) with the LBA; the disk keeps working",
        boot=KernelBoot({"scenario": "blk-scsi-ioerror", "seed_initial": f"0x{s_init:08x}",
                         "disk_sectors": str(DISK_SECTORS),
                         "read_error_sector": str(READ_ERROR_SECTOR),
                         "write_error_sector": str(WRITE_ERROR_SECTOR)}),
        devices=[blk_device(extra=f",serial={BLK_SERIAL}")],
        disks=[Disk("d0", DISK_BYTES, seed=s_init, expect=[(0, DISK_SECTORS, s_init)],
                    inject_errors=[("read_aio", READ_ERROR_SECTOR),
                                   ("write_aio", WRITE_ERROR_SECTOR)])]))
    out.append(Scenario(
        name="bench-blk",
        description="driver core: IOPS, MB/s, doorbells and interrupts per request for 4 KiB "
                    "and 64 KiB random reads and writes at QD 1 and 32",
        boot=KernelBoot({"scenario": "blk-bench"}),
        devices=[blk_device(extra=f",serial={BLK_SERIAL}")],
        disks=[Disk("d0", BENCH_DISK_BYTES, seed=None)],
        checks=[bench.check_blk_bench], labels=["bench"]))

    for machine in MACHINES:
        name = f"iommu-{machine}"
        s_init, s_write = seed_for(name, "initial"), seed_for(name, "write")
        out.append(Scenario(
            name=name,
            description="virtio-blk with iommu_platform=on: ACCESS_PLATFORM negotiated, "
                        "FEATURES_OK refused without it, bus mastering required",
            machine=machine,
            boot=_blk_boot(name, "iommu", s_init, s_write),
            devices=[blk_device(extra=",iommu_platform=on")],
            disks=[Disk("d0", DISK_BYTES, seed=s_init,
                        expect=[(0, 64, s_write), (64, DISK_SECTORS - 64, s_init)])]))

    # Cost report: QEMU traces doorbells, queue notifications, interrupts and ISR reads. Every
    # measured device runs with ioeventfd=off so each doorbell reaches the traced MMIO handler,
    # and sits alone on its interrupt line (blk: IRQ 11; NICs: IRQ 10 and 11).
    out.append(Scenario(
        name="cost-blk",
        description="cost report: virtio-blk doorbells, interrupts, ISR reads per batch",
        boot=KernelBoot({"scenario": "blk-cost"}),
        devices=[blk_device(extra=",ioeventfd=off")],
        disks=[Disk("d0", DISK_BYTES, seed=None)],
        trace_events=list(trace.EVENTS), labels=["cost"]))
    netdevs, devices = net_devices(extra=",ioeventfd=off", addr1="07.0")
    out.append(Scenario(
        name="cost-net",
        description="cost report: virtio-net doorbells, interrupts, ISR reads per batch",
        boot=KernelBoot({"scenario": "net-cost"}),
        netdevs=netdevs, devices=devices,
        trace_events=list(trace.EVENTS), labels=["cost"]))

    # Harness self-tests: each faulty run must end in the outcome it provokes.
    out.append(Scenario(
        name="selftest-hang",
        description="a guest that hangs must be timed out and reported, not waited for",
        boot=KernelBoot({"scenario": "selftest-hang"}),
        test_timeout=3.0, overall_timeout=30.0,
        expect=Expect("timeout", timed_out_test="selftest.hang"),
        labels=["selftest"]))
    out.append(Scenario(
        name="selftest-exception",
        description="a CPU exception fails the test that was running and the run",
        boot=KernelBoot({"scenario": "selftest-exception"}),
        expect=Expect("fail", failed_tests=["selftest.exception"], reason_contains="#UD"),
        labels=["selftest"]))
    out.append(Scenario(
        name="selftest-triple-fault",
        description="a triple fault (QEMU exit 0 under -no-reboot) is reported as a crash",
        boot=KernelBoot({"scenario": "selftest-triple-fault"}),
        expect=Expect("crash", reason_contains="triple-faulted"),
        labels=["selftest"]))
    out.append(Scenario(
        name="selftest-garbage",
        description="malformed markers make the run a protocol error even with RESULT|PASS",
        boot=KernelBoot({"scenario": "selftest-garbage"}),
        expect=Expect("protocol-error", reason_contains="unknown marker kind"),
        labels=["selftest"]))
    out.append(Scenario(
        name="selftest-qemu-start-failure",
        description="QEMU refusing its command line is reported with its exit status and stderr",
        boot=KernelBoot({"scenario": "platform"}),
        devices=["virtio-no-such-device-pci"],
        expect=Expect("qemu-error", reason_contains="exit status 1"),
        labels=["selftest"]))
    name = "selftest-drop-notify"
    s_init, s_write = seed_for(name, "initial"), seed_for(name, "write")
    out.append(Scenario(
        name=name,
        description="doorbell writes dropped on purpose: the blk scenario must fail, not hang",
        boot=_blk_boot(name, "blk", s_init, s_write, fault="drop-notify", io_timeout_ms="1500"),
        devices=[blk_device()], disks=[Disk("d0", DISK_BYTES, seed=s_init)],
        test_timeout=20.0, overall_timeout=60.0,
        expect=Expect("fail", failed_tests=["blk.intx_completion"],
                      reason_contains="no INTx interrupt"),
        labels=["selftest"]))
    name = "selftest-ioerror-not-injected"
    s_init = seed_for(name, "initial")
    out.append(Scenario(
        name=name,
        description="the blk-scsi-ioerror guest on a disk without blkdebug rules must fail",
        boot=KernelBoot({"scenario": "blk-scsi-ioerror", "seed_initial": f"0x{s_init:08x}",
                         "disk_sectors": str(DISK_SECTORS)}),
        devices=[blk_device(extra=f",serial={BLK_SERIAL}")],
        disks=[Disk("d0", DISK_BYTES, seed=s_init)],
        expect=Expect("fail", failed_tests=["ioerror.read_medium_error"],
                      reason_contains="expected CHECK CONDITION, MEDIUM ERROR"),
        labels=["selftest"]))
    return out


SCENARIOS = {s.name: s for s in _scenarios()}
