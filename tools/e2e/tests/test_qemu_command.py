"""The QEMU command line built for a scenario, and exit status descriptions."""

import unittest

from aero_e2e.model import Disk, KernelBoot, Scenario
from aero_e2e.qemu import build_command, describe_exit
from aero_e2e.scenarios import SCENARIOS


def pairs(argv, option):
    return [argv[i + 1] for i, a in enumerate(argv) if a == option]


class CommandTest(unittest.TestCase):
    def scenario(self, **kwargs):
        return Scenario(name="t", description="t",
                        boot=KernelBoot({"scenario": "blk", "seed": "0x1"}), **kwargs)

    def test_basics(self):
        argv = build_command(self.scenario(machine="q35", memory_mb=96), "/k.elf", "/w",
                             "/s/q.sock", qemu="/usr/bin/qemu")
        self.assertEqual(argv[0], "/usr/bin/qemu")
        for flag in ["-nodefaults", "-no-reboot"]:
            self.assertIn(flag, argv)
        self.assertEqual(pairs(argv, "-machine"), ["q35"])
        self.assertEqual(pairs(argv, "-accel"), ["tcg"])
        self.assertEqual(pairs(argv, "-m"), ["96M"])
        self.assertEqual(pairs(argv, "-display"), ["none"])
        self.assertEqual(pairs(argv, "-serial"), ["stdio"])
        self.assertIn("isa-debug-exit,iobase=0xf4,iosize=0x04", pairs(argv, "-device"))
        self.assertEqual(pairs(argv, "-qmp"), ["unix:/s/q.sock,server=on,wait=off"])
        self.assertEqual(pairs(argv, "-kernel"), ["/k.elf"])
        self.assertEqual(pairs(argv, "-append"), ["scenario=blk seed=0x1"])
        self.assertEqual(pairs(argv, "-trace"), [])

    def test_devices_disks_netdevs_trace(self):
        s = self.scenario(devices=["virtio-blk-pci,drive=d0"], netdevs=["hubport,id=n0,hubid=0"],
                          disks=[Disk("d0", 512)], extra_args=["-S"])
        argv = build_command(s, "/k.elf", "/w", "/q", trace_events_file="/w/ev", trace_log="/w/log")
        self.assertEqual(pairs(argv, "-drive"), ["file=/w/d0.img,if=none,id=d0,format=raw"])
        self.assertEqual(pairs(argv, "-netdev"), ["hubport,id=n0,hubid=0"])
        self.assertIn("virtio-blk-pci,drive=d0", pairs(argv, "-device"))
        self.assertEqual(pairs(argv, "-trace"), ["events=/w/ev"])
        self.assertEqual(pairs(argv, "-D"), ["/w/log"])
        self.assertEqual(argv[-1], "-S")

    def test_blkdebug_error_rules(self):
        disk = Disk("d0", 4096 * 512, inject_errors=[("read_aio", 1000), ("write_aio", 2000)])
        argv = build_command(self.scenario(disks=[disk]), "/k.elf", "/w", "/q")
        self.assertEqual(pairs(argv, "-drive"), [
            "if=none,id=d0,format=raw,file.driver=blkdebug,file.image.filename=/w/d0.img,"
            "file.inject-error.0.event=read_aio,file.inject-error.0.sector=1000,"
            "file.inject-error.0.errno=5,file.inject-error.0.once=off,"
            "file.inject-error.1.event=write_aio,file.inject-error.1.sector=2000,"
            "file.inject-error.1.errno=5,file.inject-error.1.once=off"])

    def test_blkdebug_rules_validated(self):
        for rule in [("no_such_event", 1), ("read_aio", 4096), ("read_aio", -1)]:
            disk = Disk("d0", 4096 * 512, inject_errors=[rule])
            with self.assertRaises(ValueError, msg=str(rule)):
                build_command(self.scenario(disks=[disk]), "/k.elf", "/w", "/q")
        with self.assertRaises(ValueError):
            build_command(self.scenario(disks=[Disk("d0", 512)]), "/k.elf", "/a,b", "/q")

    def test_machine_validated(self):
        with self.assertRaises(ValueError):
            build_command(self.scenario(machine="virt"), "/k", "/w", "/q")

    def test_every_defined_scenario_builds(self):
        for s in SCENARIOS.values():
            argv = build_command(s, "/k.elf", "/w", "/q")
            self.assertIn("-nodefaults", argv, s.name)
            append = pairs(argv, "-append")[0]
            self.assertIn("scenario=", append, s.name)
            if s.trace_events:
                # Counting needs every doorbell to reach the traced MMIO handler.
                for device in pairs(argv, "-device"):
                    if device.startswith("virtio-"):
                        self.assertIn("ioeventfd=off", device, s.name)

    def test_both_machines_covered(self):
        for prefix in ["pci", "transport", "blk", "net", "input", "iommu"]:
            self.assertEqual({SCENARIOS[f"{prefix}-{m}"].machine for m in ("pc", "q35")},
                             {"pc", "q35"})


class ExitTest(unittest.TestCase):
    def test_descriptions(self):
        self.assertIn("pass", describe_exit(33))
        self.assertIn("fail", describe_exit(35))
        self.assertIn("triple fault", describe_exit(0))
        self.assertIn("QEMU error", describe_exit(1))
        self.assertIn("0x12", describe_exit(37))
        self.assertIn("SIGKILL", describe_exit(-9))
        self.assertIn("unexpected", describe_exit(124))


if __name__ == "__main__":
    unittest.main()
