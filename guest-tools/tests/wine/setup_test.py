#!/usr/bin/env python3
"""setup.cmd under Wine: the install flows, one fresh prefix clone per test."""

import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from wine_testcase import (BLK, MEDIA_DRIVERS, PUBLISHER_SHA1, ROOT_SHA1,  # noqa: E402
                           WineTestCase,
                           storage_device)


class SetupInstalls(WineTestCase):

    def test_x64_force_noreboot_installs_everything_and_a_rerun_adds_nothing_new(self):
        case = self.new_case("x64-force")
        run = case.run("setup.cmd", ["/force", "/noreboot"], env=self.tool_env(case))
        self.assertExitCode(3010, run)
        self.assertEqual(self.start_calls(case) + self.cert_calls(case) +
                         [("bcdedit", "/set", "testsigning", "on")] +
                         self.pnputil_calls(case), run.sequence())
        self.assertIn("Restart Windows to finish", run.output)
        self.assertEqual(["cert=Root:" + ROOT_SHA1, "cert=TrustedPublisher:" + PUBLISHER_SHA1,
                          "testsigning=on", "driver=aero_virtio_blk:oem11.inf",
                          "driver=aero_virtio_net:oem12.inf",
                          "driver=aero_virtio_input:oem13.inf"] + self.preseed_state_lines(),
                         self.state_lines(case))
        self.assertPreseeded(case)
        with open(case.c_drive("AeroGuestTools", "install.log"), encoding="latin-1") as f:
            log = f.read()
        self.assertIn("Published name :            oem12.inf", log)  # pnputil output kept
        self.assertIn("CriticalDeviceDatabase", log)                   # the .reg it imported
        self.assertFalse(os.path.exists(case.c_drive("AeroGuestTools", "preseed.reg")))

        # After the restart test signing is on: nothing to turn on, no restart needed, and the
        # state file must not claim test signing twice (uninstall turns it off once).
        before = self.state_lines(case)
        rerun = case.run("setup.cmd", [], env=self.tool_env(case, testsigning="on"))
        self.assertExitCode(0, rerun)
        self.assertNotIn(("bcdedit", "/set", "testsigning", "on"), rerun.sequence())
        self.assertEqual([], rerun.argv_of("shutdown"))
        added = self.state_lines(case)[len(before):]
        self.assertNotIn("testsigning=on", added)
        self.assertIn("driver=aero_virtio_blk:oem11.inf", added)
        self.assertPreseeded(case)

    def test_x86_needs_no_test_signing_and_uses_the_x86_packages(self):
        case = self.new_case("x86")
        run = case.run("setup.cmd", [], env=self.tool_env(case), arch="x86")
        self.assertExitCode(0, run)
        self.assertEqual(self.start_calls(case, arch="x86") + self.cert_calls(case) +
                         self.pnputil_calls(case, arch="x86"), run.sequence())
        self.assertNotIn("testsigning=on", self.state_lines(case))
        self.assertPreseeded(case, arch="x86")

    def test_32bit_cmd_on_x64_runs_again_in_the_64bit_cmd(self):
        case = self.new_case("wow64")
        case.add_sysnative_cmd()
        env = self.tool_env(case, STUB_EXEC_CMD=r"C:\windows\system32\cmd.exe")
        run = case.run("setup.cmd", ["/quiet", "/force"], env=env, arch="x86", w6432="AMD64")
        self.assertExitCode(3010, run)
        relay = run.calls[0]
        self.assertEqual("cmd", relay["tool"])
        self.assertEqual('/c ""%s" /quiet /force"' % self.media_path(case, "setup.cmd"),
                         relay["cmdline"].rstrip())
        # The relaunched script saw AMD64: x64 packages and test signing.
        self.assertEqual(self.start_calls(case) + self.cert_calls(case) +
                         [("bcdedit", "/set", "testsigning", "on")] +
                         self.pnputil_calls(case) +
                         [("shutdown", "/r", "/t", "10", "/c",
                           "Aero Guest Tools: restarting to finish the installation")],
                         run.sequence()[1:])
        self.assertNotIn("Installing", run.output)  # /quiet
        self.assertPreseeded(case)

    def test_stageonly_skipstorage_without_the_storage_package(self):
        case = self.new_case("stageonly", drivers=("aero_virtio_net", "aero_virtio_input"))
        env = self.tool_env(case, oems=(21, 22), STUB_RC_PNPUTIL="259,3010")
        run = case.run("setup.cmd", ["/stageonly", "/skipstorage", "/force", "/noreboot"],
                       env=env)
        self.assertExitCode(3010, run)
        self.assertEqual(self.pnputil_calls(case, drivers=MEDIA_DRIVERS[1:], stage_only=True),
                         [c for c in run.sequence() if c[0] == "pnputil"])
        self.assertIn("aero_virtio_blk: not on this media, skipped.", run.output)
        self.assertIn("Boot pre-seeding skipped (/skipstorage).", run.output)
        lines = self.state_lines(case)
        self.assertIn("driver=aero_virtio_net:oem21.inf", lines)
        self.assertIn("driver=aero_virtio_input:oem22.inf", lines)
        self.assertFalse([line for line in lines if line.startswith(("preseed", "cddb"))])
        self.assertNotPreseeded(case)

    def test_skipstorage_keeps_the_storage_driver_but_not_the_preseeding(self):
        case = self.new_case("skipstorage")
        run = case.run("setup.cmd", ["/skipstorage"], env=self.tool_env(case, "on"))
        self.assertExitCode(0, run)
        self.assertEqual(self.pnputil_calls(case),
                         [c for c in run.sequence() if c[0] == "pnputil"])
        self.assertNotPreseeded(case)

    def test_answering_yes_turns_test_signing_on(self):
        case = self.new_case("prompt-yes", drivers=(BLK,))
        run = case.run("setup.cmd", [], env=self.tool_env(case), stdin="y\n")
        self.assertExitCode(3010, run)
        self.assertIn("Turn on test signing now? [y/N]", run.output)
        self.assertIn(("bcdedit", "/set", "testsigning", "on"), run.sequence())
        # The restart question got no answer: no restart.
        self.assertEqual([], run.argv_of("shutdown"))
        self.assertIn("testsigning=on", self.state_lines(case))

    def test_localized_pnputil_output_uses_the_new_oem_inf(self):
        # Without "Published name" (a localized Windows) the one new oem*.inf is the package;
        # when no new file appears either, the package cannot be recorded: exit code 40.
        case = self.new_case("localized", drivers=(BLK, "aero_virtio_net"))
        env = self.tool_env(case, testsigning="on", oems=(7, 8),
                            pnputil="pnputil-add-localized.txt",
                            STUB_CREATE_PNPUTIL_1=r"C:\windows\inf\oem7.inf")
        run = case.run("setup.cmd", [], env=env)
        self.assertExitCode(40, run)
        self.assertIn("did not report the published name of aero_virtio_net.inf", run.output)
        lines = self.state_lines(case)
        self.assertIn("driver=aero_virtio_blk:oem7.inf", lines)
        self.assertFalse([line for line in lines if line.startswith("driver=aero_virtio_net")])

    def test_tool_failures_stop_with_their_exit_codes(self):
        # certutil -> 20, bcdedit -> 30, pnputil -> 40: each stops before the next step, and the
        # state file holds exactly what was done before it. None reaches the pre-seeding.
        case = self.new_case("tool-failures", drivers=(BLK, "aero_virtio_net"))
        cert, bcd, pnp = ("certutil", "-addstore"), ("bcdedit", "/set"), ("pnputil",)
        cases = [
            ({"STUB_RC_CERTUTIL": "0,0,0,5"}, 20,
             "certutil could not add certs\\aero-test-publisher.cer to the TrustedPublisher store",
             ["cert=Root:" + ROOT_SHA1]),
            ({"STUB_RC_BCDEDIT": "0,1"}, 30, "bcdedit could not turn on test signing",
             ["cert=Root:" + ROOT_SHA1, "cert=TrustedPublisher:" + PUBLISHER_SHA1]),
            ({"STUB_RC_PNPUTIL": "0,5"}, 40,
             "pnputil failed for aero_virtio_net.inf with exit code 5",
             ["cert=Root:" + ROOT_SHA1, "cert=TrustedPublisher:" + PUBLISHER_SHA1,
              "testsigning=on", "driver=aero_virtio_blk:oem11.inf",
              "driver=aero_virtio_net:oem12.inf"]),
        ]
        for extra, code, message, recorded in cases:
            with self.subTest(code=code):
                shutil.rmtree(case.c_drive("AeroGuestTools"), ignore_errors=True)
                run = case.run("setup.cmd", ["/force", "/noreboot"],
                               env=self.tool_env(case, **extra))
                self.assertExitCode(code, run)
                self.assertIn(message, run.output)
                self.assertEqual(recorded, self.state_lines(case))
                steps = [c for c in run.sequence() if c[:2] in (cert, bcd) or c[:1] == pnp]
                expected = {20: 2, 30: 3, 40: 5}[code]
                self.assertEqual(expected, len(steps), steps)
        self.assertNotPreseeded(case)

    def test_preseeding_failure_gives_50(self):
        case = self.new_case("preseed-fail", drivers=(BLK,))
        driver, service, _ = storage_device()
        # A folder where setup writes its .reg file makes the reg import fail.
        os.makedirs(case.c_drive("AeroGuestTools", "preseed.reg"))
        run = case.run("setup.cmd", [], env=self.tool_env(case, testsigning="on"))
        self.assertExitCode(50, run)
        self.assertIn("Boot pre-seeding of %s failed" % driver, run.output)
        lines = self.state_lines(case)
        # Recorded before the attempt, so uninstall.cmd cleans up whatever got written.
        self.assertIn("preseed_file=C:\\windows\\System32\\drivers\\%s.sys" % driver, lines)
        self.assertIn("preseed_service=%s" % service, lines)


if __name__ == "__main__":
    unittest.main()
