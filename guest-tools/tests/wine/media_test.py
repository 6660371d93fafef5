#!/usr/bin/env python3
"""setup.cmd on an unsupported system or with broken media, under Wine: cases that must change
nothing, sharing one prefix clone."""

import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The module, not the class: a TestCase class imported by name would run on its own as well.
import wine_testcase  # noqa: E402

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"


class BadSystemOrMedia(wine_testcase.SharedPrefixTestCase):

    def test_unsupported_architecture(self):
        run = self.setup_run(["/check"], arch="IA64")
        self.assertExitCode(11, run)
        self.assertIn("Unsupported processor architecture 'IA64'", run.output)

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
            ("no root certificate", lambda: os.remove(media("certs", "aero-test-root.cer")),
             "certs\\aero-test-root.cer is missing"),
            ("no publisher certificate",
             lambda: os.remove(media("certs", "aero-test-publisher.cer")),
             "certs\\aero-test-publisher.cer is missing"),
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
        self.assertIn("thumbprint of certs\\aero-test-root.cer", run.output)
        empty = self.case.write_text("empty.txt", "")
        run = self.setup_run(["/force"], env={"STUB_OUT_CERTUTIL_2": empty})
        self.assertExitCode(20, run)
        self.assertIn("could not read the SHA-1 thumbprint of certs\\aero-test-publisher.cer",
                      run.output)

    def test_boot_configuration_unreadable(self):
        run = self.setup_run(["/force"], env={"STUB_RC_BCDEDIT": "1"})
        self.assertExitCode(30, run)
        self.assertIn("bcdedit could not read the boot configuration", run.output)


if __name__ == "__main__":
    unittest.main()
