#!/usr/bin/env python3
"""The cases that must change nothing (usage, validation, refusals), under Wine.

They share one prefix clone: each one asserts it recorded nothing, and the last test checks that
the registry and the drivers folder are still untouched after all of them.
"""

import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import fixture  # noqa: E402
from wine_testcase import CERT_SHA1, WineTestCase  # noqa: E402

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"


class NothingChanges(WineTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = harness.Case("checks")

    @classmethod
    def tearDownClass(cls):
        cls.case.close()

    def setUp(self):
        shutil.rmtree(self.case.c_drive("AeroGuestTools"), ignore_errors=True)
        self.case.make_media(("aero_virtio_blk", "aero_virtio_net"), ("x86", "amd64"))

    def setup_run(self, args=(), **kwargs):
        env = self.tool_env(self.case, oems=())
        env.update(kwargs.pop("env", {}))
        run = self.case.run("setup.cmd", args, env=env, **kwargs)
        self.assertNoInstallState(self.case)
        self.assertEqual([], run.argv_of("pnputil"))
        self.assertFalse([c for c in run.sequence() if c[:2] == ("certutil", "-addstore")])
        self.assertNotIn(("bcdedit", "/set", "testsigning", "on"), run.sequence())
        return run

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
        for expected in ("add certs\\aero-test-root.cer to the Root and TrustedPublisher stores",
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

    def test_unsupported_architecture(self):
        run = self.setup_run(["/check"], arch="IA64")
        self.assertExitCode(11, run)
        self.assertIn("Unsupported processor architecture 'IA64'", run.output)

    def test_32bit_cmd_without_a_64bit_cmd(self):
        for script in ("setup.cmd", "uninstall.cmd", "verify.cmd"):
            with self.subTest(script=script):
                run = self.case.run(script, [], arch="x86", w6432="AMD64")
                self.assertExitCode(11, run)
                self.assertEqual([], run.calls)
                self.assertIn("cannot reach the 64-bit cmd.exe", run.output)

    def test_unsupported_windows_version(self):
        rc, out = self.case.wine_cmd_script("winver.cmd", 'reg add "%s" /v CurrentVersion /t '
                                            'REG_SZ /d 6.3 /f\n' % CURRENT_VERSION)
        self.assertEqual(0, rc, out)
        try:
            run = self.setup_run(["/force"])
            self.assertExitCode(11, run)
            self.assertIn("This is Windows version '6.3'", run.output)
        finally:
            self.case.wine_cmd_script("winver.cmd", 'reg add "%s" /v CurrentVersion /t REG_SZ '
                                      '/d 6.1 /f\n' % CURRENT_VERSION)

    def test_incomplete_or_invalid_media(self):
        media = self.case.media_file
        problems = [
            ("no devices.cmd", lambda: os.remove(media("config", "devices.cmd")),
             "config\\devices.cmd is missing"),
            ("no AERO_DEVICES", lambda: self._write(media("config", "devices.cmd"),
                                                     "@rem empty\n"),
             "defines no devices"),
            ("bad hardware ID", lambda: self._edit(media("config", "devices.cmd"),
                                                   "PCI\\VEN_1AF4&DEV_1041", "USB\\VEN_1AF4"),
             "config\\devices.cmd is invalid"),
            ("no certificate", lambda: os.remove(media("certs", "aero-test-root.cer")),
             "certs\\aero-test-root.cer is missing"),
            ("no catalog", lambda: os.remove(media("drivers", "aero_virtio_net", "amd64",
                                                   "aero_virtio_net.cat")),
             "aero_virtio_net: drivers\\aero_virtio_net\\amd64 lacks aero_virtio_net.cat."),
            ("no storage driver", lambda: shutil.rmtree(media("drivers", "aero_virtio_blk")),
             "run setup.cmd /skipstorage"),
            ("no drivers", lambda: shutil.rmtree(media("drivers")),
             "The media has no driver packages for amd64."),
        ]
        for name, damage, message in problems:
            with self.subTest(problem=name):
                self.setUp()
                damage()
                run = self.setup_run(["/force"])
                self.assertExitCode(12, run)
                self.assertIn(message, run.output)

    def test_media_path_with_an_exclamation_mark(self):
        bang = os.path.join(self.case.dir, "media!1")
        shutil.copytree(self.case.media, bang)
        run = self.setup_run(["/check"], media_dir=bang)
        self.assertExitCode(12, run)
        self.assertIn('the media path contains "!"', run.output)
        self.assertEqual([], run.calls)

    def test_certificate_unreadable(self):
        run = self.setup_run(["/force"], env={"STUB_RC_CERTUTIL": "5"})
        self.assertExitCode(20, run)
        empty = self.case.write_text("empty.txt", "")
        run = self.setup_run(["/force"], env={"STUB_OUT_CERTUTIL": empty})
        self.assertExitCode(20, run)
        self.assertIn("could not read the SHA-1 thumbprint", run.output)

    def test_boot_configuration_unreadable(self):
        run = self.setup_run(["/force"], env={"STUB_RC_BCDEDIT": "1"})
        self.assertExitCode(30, run)
        self.assertIn("bcdedit could not read the boot configuration", run.output)

    def test_uninstall_with_nothing_recorded(self):
        run = self.case.run("uninstall.cmd", ["/quiet"])
        self.assertExitCode(0, run)
        self.assertEqual([("fsutil", "dirty", "query", "C:")], run.sequence())

    def test_verify_before_setup(self):
        env = {"STUB_OUT_CERTUTIL": self.case.write_text("hash.txt",
                                                         fixture("certutil-hashfile.txt")),
               "STUB_RC_CERTUTIL": "0,1",
               "STUB_OUT_BCDEDIT": self.case.write_text("bcd.txt",
                                                        fixture("bcdedit-enum-off.txt"))}
        run = self.case.run("verify.cmd", [], env=env)
        self.assertExitCode(1, run)
        for expected in (
                "Test signing: off",
                "PROBLEM: 64-bit Windows 7 loads the test-signed drivers only with test "
                "signing on.",
                "(no state.txt: checking certs\\aero-test-root.cer from the media)",
                "PROBLEM: the certificate %s is missing from the Root store." % CERT_SHA1,
                "PROBLEM: the certificate %s is missing from the TrustedPublisher store."
                % CERT_SHA1,
                "driver package: not installed by setup.cmd",
                "service aero_virtio_blk: not installed",
                "not done (setup.cmd /skipstorage, or setup.cmd has not run)",
                "Result: 3 problem(s) found."):
            self.assertIn(expected, run.output)
        with open(self.case.c_drive("AeroGuestTools", "verify.txt"), encoding="latin-1") as f:
            report = f.read().replace("\r\n", "\n")
        self.assertEqual(run.output.split("Report:")[0].rstrip("\n") + "\n", report)

    def test_zz_nothing_was_changed(self):
        # Runs last (unittest sorts by name): the registry after every case above.
        self.assertNotPreseeded(self.case)

    @staticmethod
    def _write(path, text):
        with open(path, "w", newline="") as f:
            f.write(harness.crlf(text))

    @staticmethod
    def _edit(path, old, new):
        with open(path, newline="") as f:
            text = f.read()
        if old not in text:
            raise AssertionError("%s does not contain %s" % (path, old))
        with open(path, "w", newline="") as f:
            f.write(text.replace(old, new, 1))


if __name__ == "__main__":
    unittest.main()
