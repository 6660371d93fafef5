#!/usr/bin/env python3
"""Usage, refusals and /check of the three scripts under Wine: cases that must change nothing,
sharing one prefix clone."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import fixture  # noqa: E402
# The base class through the module: a TestCase class imported by name would run on its own too.
import wine_testcase  # noqa: E402
from wine_testcase import PUBLISHER_SHA1, ROOT_SHA1, hashfile_output  # noqa: E402


class Refusals(wine_testcase.SharedPrefixTestCase):

    def test_usage_and_unknown_switches(self):
        for script in ("setup.cmd", "uninstall.cmd", "verify.cmd"):
            with self.subTest(script=script):
                usage = self.case.run(script, ["/?"])
                self.assertExitCode(0, usage)
                self.assertIn("Exit codes", usage.output)
                self.assertEqual([], usage.calls)
                bad = self.case.run(script, ["/bogus"])
                self.assertExitCode(2, bad)
                self.assertIn('unknown switch "/bogus"', bad.output)
                self.assertEqual([], bad.calls)

    def test_not_administrator(self):
        run = self.setup_run(["/force"], env={"STUB_RC_FSUTIL": "1"})
        self.assertExitCode(10, run)
        self.assertEqual([("fsutil", "dirty", "query", "C:")], run.sequence())
        self.assertIn("Administrator rights are required", run.output)
        self.assertFalse(os.path.exists(self.case.c_drive("AeroGuestTools")))
        run = self.case.run("uninstall.cmd", [], env={"STUB_RC_FSUTIL": "1"})
        self.assertExitCode(10, run)
        self.assertEqual([("fsutil", "dirty", "query", "C:")], run.sequence())

    def test_check_shows_the_plan_and_writes_nothing(self):
        run = self.setup_run(["/check"])
        self.assertExitCode(0, run)
        self.assertEqual(self.start_calls(self.case, check=True), run.sequence())
        for expected in ("add certs\\aero-test-root.cer to the Root store",
                         "add certs\\aero-test-publisher.cer to the TrustedPublisher store",
                         "ask to turn on test signing",
                         "install drivers\\aero_virtio_blk\\amd64\\aero_virtio_blk.inf",
                         "install drivers\\aero_virtio_net\\amd64\\aero_virtio_net.inf",
                         "pre-seed aero_virtio_blk as a boot driver",
                         "No changes were made (/check)."):
            self.assertIn(expected, run.output)
        self.assertNotIn("aero_virtio_input.inf", run.output)  # not on this media
        self.assertFalse(os.path.exists(self.case.c_drive("AeroGuestTools")))

    def test_check_quiet_without_force_refuses_with_31(self):
        run = self.setup_run(["/check", "/quiet"])
        self.assertExitCode(31, run)
        self.assertEqual("ERROR: Test signing is off and /quiet cannot ask: add /force to turn "
                         "it on.", run.output.strip())

    def test_declining_test_signing_changes_nothing(self):
        run = self.setup_run([], stdin="n\n")
        self.assertExitCode(31, run)
        self.assertIn("Turn on test signing now? [y/N]", run.output)
        self.assertEqual(self.start_calls(self.case), run.sequence())

    def test_32bit_cmd_without_a_64bit_cmd(self):
        for script in ("setup.cmd", "uninstall.cmd", "verify.cmd"):
            with self.subTest(script=script):
                run = self.case.run(script, [], arch="x86", w6432="AMD64")
                self.assertExitCode(11, run)
                self.assertEqual([], run.calls)
                self.assertIn("cannot reach the 64-bit cmd.exe", run.output)

    def test_uninstall_with_nothing_recorded(self):
        run = self.case.run("uninstall.cmd", ["/quiet"])
        self.assertExitCode(0, run)
        self.assertEqual([("fsutil", "dirty", "query", "C:")], run.sequence())

    def test_verify_before_setup(self):
        # certutil: the two -hashfile calls work, then -store finds neither certificate.
        env = {"STUB_OUT_CERTUTIL_1": hashfile_output(self.case, "Root"),
               "STUB_OUT_CERTUTIL_2": hashfile_output(self.case, "TrustedPublisher"),
               "STUB_RC_CERTUTIL": "0,0,1",
               "STUB_OUT_BCDEDIT": self.case.write_text("bcd.txt",
                                                        fixture("bcdedit-enum-off.txt"))}
        run = self.case.run("verify.cmd", [], env=env)
        self.assertExitCode(1, run)
        for expected in (
                "Test signing: off",
                "PROBLEM: 64-bit Windows 7 loads the test-signed drivers only with test "
                "signing on.",
                "(no state.txt: checking the certificates on the media)",
                "PROBLEM: the certificate %s is missing from the Root store." % ROOT_SHA1,
                "PROBLEM: the certificate %s is missing from the TrustedPublisher store."
                % PUBLISHER_SHA1,
                "driver package: not installed by setup.cmd",
                "service aero_virtio_blk: not installed",
                "not done (setup.cmd /skipstorage, or setup.cmd has not run)",
                "Result: 3 problem(s) found."):
            self.assertIn(expected, run.output)
        with open(self.case.c_drive("AeroGuestTools", "verify.txt"), encoding="latin-1") as f:
            report = f.read().replace("\r\n", "\n")
        self.assertEqual(run.output.split("Report:")[0].rstrip("\n") + "\n", report)


if __name__ == "__main__":
    unittest.main()
