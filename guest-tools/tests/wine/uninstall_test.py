#!/usr/bin/env python3
"""uninstall.cmd (and verify.cmd on an installed system) under Wine, one prefix clone per test."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import fixture  # noqa: E402
from wine_testcase import (BLK, CONTROL, MEDIA_DRIVERS, SERVICES,  # noqa: E402
                           PUBLISHER_SHA1, ROOT_SHA1, WineTestCase, expected_cddb_keys,
                           full_key, storage_device)

OEMS = (11, 12, 13)


class Uninstall(WineTestCase):

    def install(self, case, testsigning="off"):
        """setup.cmd /force /noreboot; pnputil call n publishes oem<OEMS[n-1]>.inf, which it
        creates in %SystemRoot%\\inf (holding its arguments, so the driver name)."""
        env = self.tool_env(case, testsigning=testsigning, oems=OEMS)
        for number, oem in enumerate(OEMS, 1):
            env["STUB_CREATE_PNPUTIL_%d" % number] = r"C:\windows\inf\oem%d.inf" % oem
        run = case.run("setup.cmd", ["/force", "/noreboot"], env=env)
        self.assertIn(run.rc, (0, 3010 % 256), run.output)
        return run

    def uninstall_env(self, case, service_state="stopped", **extra):
        env = {"STUB_OUT_SC": case.write_text("sc-%s.txt" % service_state,
                                              fixture("sc-query-%s.txt" % service_state))}
        env.update(extra)
        return env

    def removal_calls(self, oems=OEMS, testsigning=True):
        calls = [("fsutil", "dirty", "query", "C:"), ("sc", "query", storage_device()[1])]
        calls += [("pnputil", "-f", "-d", "oem%d.inf" % oem) for oem in oems]
        calls += [("certutil", "-delstore", "Root", ROOT_SHA1),
                  ("certutil", "-delstore", "TrustedPublisher", PUBLISHER_SHA1)]
        if testsigning:
            calls.append(("bcdedit", "/set", "testsigning", "off"))
        return calls

    def test_install_verify_uninstall(self):
        case = self.new_case("roundtrip")
        self.install(case)
        self.assertPreseeded(case)

        # verify.cmd after the restart: test signing on, everything in place.
        env = {"STUB_OUT_BCDEDIT": case.write_text("bcd-on.txt",
                                                   fixture("bcdedit-enum-on.txt")),
               "STUB_OUT_SC": case.write_text("sc.txt", fixture("sc-query-running.txt")),
               "STUB_OUT_POWERSHELL": case.write_text("ps.txt", fixture("powershell-valid.txt"))}
        run = case.run("verify.cmd", [], env=env)
        self.assertExitCode(0, run)
        driver, service, _ = storage_device()
        for expected in (
                "Test signing: on",
                "Root store: present (SHA-1 %s)" % ROOT_SHA1,
                "TrustedPublisher store: present (SHA-1 %s)" % PUBLISHER_SHA1,
                "driver package: oem11.inf in the driver store",
                "driver package: oem12.inf in the driver store",
                "service %s: Start=0x0 (boot), running" % service,
                "signature of %s.sys: Valid" % driver,
                "signature of %s.cat: Valid" % driver,
                "service %s: Start=0x0 (boot)" % service,
                "file C:\\windows\\System32\\drivers\\%s.sys: present" % driver,
                "Result: no problems found."):
            self.assertIn(expected, run.output)
        for key in expected_cddb_keys():
            self.assertIn("CriticalDeviceDatabase\\%s: %s" % (key, service), run.output)
        # One catalog per driver on the media, and the installed storage driver.
        self.assertEqual(len(MEDIA_DRIVERS) + 1, len(run.argv_of("powershell")))
        self.assertIn("$env:AERO_SIGNATURE_FILE", run.argv_of("powershell")[0][-1])

        run = case.run("uninstall.cmd", ["/noreboot"], env=self.uninstall_env(case))
        self.assertExitCode(3010, run)
        self.assertEqual(self.removal_calls(), run.sequence())
        self.assertIsNone(self.state_lines(case))
        self.assertNotPreseeded(case)
        self.assertTrue(os.path.exists(case.c_drive("AeroGuestTools", "uninstall.log")))

    def test_running_storage_driver_needs_force(self):
        case = self.new_case("running")
        self.install(case)
        before = self.state_lines(case)
        run = case.run("uninstall.cmd", ["/noreboot"],
                       env=self.uninstall_env(case, "running"))
        self.assertExitCode(60, run)
        self.assertEqual([("fsutil", "dirty", "query", "C:"),
                          ("sc", "query", storage_device()[1])], run.sequence())
        self.assertEqual(before, self.state_lines(case))
        self.assertPreseeded(case)

        run = case.run("uninstall.cmd", ["/force", "/quiet"],
                       env=self.uninstall_env(case, "running"))
        self.assertExitCode(3010, run)
        self.assertEqual(self.removal_calls() +
                         [("shutdown", "/r", "/t", "10", "/c",
                           "Aero Guest Tools: restarting to finish the removal")],
                         run.sequence())
        self.assertEqual("", run.output.strip())  # /quiet
        self.assertNotPreseeded(case)

    def test_failures_keep_their_lines_for_the_next_run(self):
        case = self.new_case("failures")
        self.install(case)
        # pnputil fails for the second package; certutil cannot delete from Root and the
        # certificate is still there; bcdedit fails.
        env = self.uninstall_env(case, STUB_RC_PNPUTIL="0,5,0", STUB_RC_CERTUTIL="5,0,0",
                                 STUB_RC_BCDEDIT="1")
        run = case.run("uninstall.cmd", ["/noreboot"], env=env)
        self.assertExitCode(40, run)
        calls = self.removal_calls()
        calls.insert(calls.index(("certutil", "-delstore", "Root", ROOT_SHA1)) + 1,
                     ("certutil", "-store", "Root", ROOT_SHA1))
        self.assertEqual(calls, run.sequence())
        self.assertEqual(["driver=aero_virtio_net:oem12.inf", "cert=Root:" + ROOT_SHA1,
                          "testsigning=on"], self.state_lines(case))
        self.assertNotPreseeded(case)
        for message in ("pnputil could not remove oem12.inf",
                        "certutil could not remove the certificate from the Root store",
                        "bcdedit could not turn off test signing"):
            self.assertIn(message, run.output)

        run = case.run("uninstall.cmd", ["/noreboot"], env=self.uninstall_env(case))
        self.assertExitCode(3010, run)
        self.assertEqual([("fsutil", "dirty", "query", "C:"),
                          ("pnputil", "-f", "-d", "oem12.inf"),
                          ("certutil", "-delstore", "Root", ROOT_SHA1),
                          ("bcdedit", "/set", "testsigning", "off")], run.sequence())
        self.assertIsNone(self.state_lines(case))

    def test_test_signing_left_alone_when_setup_did_not_turn_it_on(self):
        case = self.new_case("ts-on")
        run = self.install(case, testsigning="on")
        self.assertExitCode(0, run)

        # verify.cmd with a device bound to the storage driver and unsigned files.
        driver, service, hwids = storage_device()
        instance = hwids[0] + "\\3&13c0b0c5&0&48"
        rc, out = case.wine_cmd_script("enum.cmd", (
            'reg add "{key}" /v Count /t REG_DWORD /d 1 /f\n'
            'reg add "{key}" /v 0 /t REG_SZ /d "{instance}" /f\n').format(
                key=r"%s\%s\Enum" % (SERVICES, service), instance=instance))
        self.assertEqual(0, rc, out)
        env = {"STUB_OUT_BCDEDIT": case.write_text("bcd-on.txt",
                                                   fixture("bcdedit-enum-on.txt")),
               "STUB_OUT_POWERSHELL": case.write_text("ps.txt",
                                                      fixture("powershell-notsigned.txt"))}
        run = case.run("verify.cmd", ["/quiet"], env=env)
        self.assertExitCode(1, run)
        self.assertEqual("", run.output.strip())  # /quiet: the report file only
        with open(case.c_drive("AeroGuestTools", "verify.txt"), encoding="latin-1") as f:
            report = f.read()
        self.assertIn("bound devices: 1\n      %s\n" % instance, report.replace("\r\n", "\n"))
        self.assertIn("    PROBLEM: signature of C:\\windows\\System32\\drivers\\%s.sys: NotSigned"
                      % driver, report)
        self.assertIn("Result: %d problem(s) found." % (len(MEDIA_DRIVERS) + 1), report)
        run = case.run("uninstall.cmd", [], env=self.uninstall_env(case))
        self.assertExitCode(0, run)
        self.assertEqual(self.removal_calls(testsigning=False), run.sequence())

    def test_hostile_state_file_is_not_trusted(self):
        case = self.new_case("hostile", drivers=())
        drivers_dir = case.c_drive("windows", "system32", "drivers")
        with open(os.path.join(drivers_dir, "..", "canary.sys"), "w") as f:
            f.write("canary")
        with open(os.path.join(drivers_dir, "canary2.sys"), "w") as f:
            f.write("canary")
        with open(case.c_drive("windows", "canary.sys"), "w") as f:
            f.write("canary")
        with open(case.c_drive("windows", "inf", "oem40.inf"), "w") as f:
            f.write("; another vendor's package\n")
        canary_cddb = r"%s\CriticalDeviceDatabase\PCI#VEN_8086&DEV_7010" % CONTROL
        rc, out = case.wine_cmd_script("canary.cmd", 'reg add "%s" /v Service /t REG_SZ /d '
                                       'intelide /f\n' % canary_cddb)
        self.assertEqual(0, rc, out)
        os.makedirs(case.c_drive("AeroGuestTools"))
        # Well-formed lines that name someone else's items, malformed lines (some trying to
        # inject commands), and an unknown key.
        not_aero = [
            'cddb=PCI#VEN_8086&DEV_7010',
            'preseed_service=Tcpip',
            'preseed_file=C:\\windows\\system32\\drivers\\canary2.sys',
        ]
        malformed = [
            'driver=x" & echo INJECTED & rem ":oem1.inf',
            'driver=aero_virtio_net:oem1.inf & echo INJECTED',
            'cddb=..\\..\\Services\\Tcpip',
            'cddb=PCI#VEN_8086&DEV_7010" & echo INJECTED & rem "',
            'preseed_service=aero_x & echo INJECTED',
            'preseed_service=aero%PATH%',
            'preseed_file=C:\\windows\\canary.sys',
            'preseed_file=C:\\windows\\system32\\drivers\\..\\canary.sys',
            'cert=My:' + ROOT_SHA1,
            'cert=Root:' + ROOT_SHA1[:-1] + '!',
            'testsigning=on & echo INJECTED',
        ]
        hostile = (['driver=aero_virtio_blk:oem40.inf'] + not_aero + malformed +
                   ['mystery=keep me'])
        with open(case.c_drive("AeroGuestTools", "state.txt"), "w", newline="") as f:
            f.write(harness.crlf("# planted\n" + "\n".join(hostile) + "\n"))
        run = case.run("uninstall.cmd", ["/noreboot"])
        self.assertExitCode(0, run)
        self.assertNotIn("INJECTED", run.output.replace("echo INJECTED", ""))
        self.assertEqual([("fsutil", "dirty", "query", "C:")], run.sequence())
        self.assertIn("WARNING: oem40.inf no longer belongs to aero_virtio_blk; left in place.",
                      run.output)
        self.assertEqual(len(malformed),
                         run.output.count("WARNING: ignoring the malformed state line"),
                         run.output)
        for line in not_aero:
            self.assertIn("WARNING: %s is not an Aero Guest Tools item; left in place." % line,
                          run.output)
        self.assertEqual(["mystery=keep me"], self.state_lines(case))
        self.assertTrue(os.path.exists(case.c_drive("windows", "canary.sys")))
        self.assertTrue(os.path.exists(case.c_drive("windows", "system32", "canary.sys")))
        self.assertTrue(os.path.exists(os.path.join(drivers_dir, "canary2.sys")))
        self.assertTrue(os.path.exists(case.c_drive("windows", "inf", "oem40.inf")))
        tree = case.reg(canary_cddb, r"%s\Tcpip" % SERVICES)
        self.assertEqual({"Service": ("REG_SZ", "intelide")}, tree.get(full_key(canary_cddb)))
        self.assertIn(full_key(r"%s\Tcpip" % SERVICES), tree)


if __name__ == "__main__":
    unittest.main()
