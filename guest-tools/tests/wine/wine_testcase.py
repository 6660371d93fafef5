"""Shared expectations for the Wine tests of setup.cmd, uninstall.cmd and verify.cmd."""

import os
import shutil
import unittest

import harness
from harness import fixture, wine_path

# What the certutil stand-in reports as the SHA-1 of the two certificates on the media.
ROOT_SHA1 = "a9993e364706816aba3e25717850c26c9cd0d89d"
PUBLISHER_SHA1 = "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
SCSI_ADAPTER_CLASS = "{4D36E97B-E325-11CE-BFC1-08002BE10318}"
CONTROL = r"HKLM\SYSTEM\CurrentControlSet\Control"
SERVICES = r"HKLM\SYSTEM\CurrentControlSet\Services"
CDDB = CONTROL + r"\CriticalDeviceDatabase"
BLK = "aero_virtio_blk"
MEDIA_DRIVERS = ("aero_virtio_blk", "aero_virtio_net", "aero_virtio_input")
LOCK_CALLS = [
    ("icacls", "C:\\AeroGuestTools", "/setowner", "*S-1-5-32-544", "/T", "/C", "/Q"),
    ("icacls", "C:\\AeroGuestTools", "/inheritance:r", "/grant:r", "*S-1-5-32-544:(OI)(CI)F",
     "*S-1-5-18:(OI)(CI)F", "/T", "/C", "/Q"),
]


def hashfile_output(case, store):
    """A file holding certutil -hashfile's output for the certificate of `store`."""
    sha1 = ROOT_SHA1 if store == "Root" else PUBLISHER_SHA1
    return case.write_text("hashfile-%s.txt" % store, fixture(
        "certutil-hashfile.txt", file=harness.CERT_FILES[store],
        hash=" ".join(sha1[i:i + 2] for i in range(0, 40, 2))))


def full_key(key):
    """HKLM\\X -> hkey_local_machine\\x, as Case.reg names keys."""
    if key.upper().startswith("HKLM\\"):
        key = "HKEY_LOCAL_MACHINE" + key[4:]
    return key.lower()


def storage_device():
    """(driver, service, hardware IDs) of virtio-blk, read from the contract."""
    for key, driver, service, hwids in harness.contract_devices(harness.setting("GT_CONTRACT")):
        if key == "VIRTIO_BLK":
            return driver, service, hwids
    raise AssertionError("the contract has no virtio-blk device")


def expected_cddb_keys():
    """Each contract hardware ID of virtio-blk, then VEN&DEV with CC_010000 and CC_0100."""
    _, _, hwids = storage_device()
    keys = []
    for hwid in hwids:
        for key in [hwid] + ["&".join(hwid.split("&")[:2]) + cc
                             for cc in ("&CC_010000", "&CC_0100")]:
            key = key.replace("\\", "#")
            if key not in keys:
                keys.append(key)
    return keys


class WineTestCase(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        harness.require_wine()

    def assertExitCode(self, code, run):
        """The host sees exit codes modulo 256; the scripts use 0..60 and 3010 (194)."""
        self.assertEqual(code % 256, run.rc, "expected exit code %d; output:\n%s"
                         % (code, run.output))

    def new_case(self, name, **kwargs):
        case = harness.Case(name, **kwargs)
        self.addCleanup(case.close)
        return case

    # ---- stand-in set-up ------------------------------------------------------------------

    def tool_env(self, case, testsigning="off", oems=(11, 12, 13), pnputil="pnputil-add.txt",
                 **extra):
        """STUB_* settings: certutil's first two calls (-hashfile) hash the root and the
        publisher certificate, bcdedit's first call (/enum) reports test signing on or off,
        pnputil call n publishes oem<oems[n-1]>.inf."""
        env = {
            "STUB_OUT_CERTUTIL_1": hashfile_output(case, "Root"),
            "STUB_OUT_CERTUTIL_2": hashfile_output(case, "TrustedPublisher"),
            "STUB_OUT_BCDEDIT_1": case.write_text("bcdedit-%s.txt" % testsigning,
                                                  fixture("bcdedit-enum-%s.txt" % testsigning)),
        }
        for number, oem in enumerate(oems, 1):
            env["STUB_OUT_PNPUTIL_%d" % number] = case.write_text(
                "pnputil-%d.txt" % number, fixture(pnputil, inf="x.inf", oem="oem%d.inf" % oem))
        env.update(extra)
        return env

    # ---- expected calls -------------------------------------------------------------------

    @staticmethod
    def media_path(case, *parts):
        return wine_path(case.media_file(*parts))

    def cert_calls(self, case):
        return [("certutil", "-addstore", store, self.media_path(case, "certs", name))
                for store, name in harness.CERT_FILES.items()]

    def pnputil_calls(self, case, arch="amd64", drivers=MEDIA_DRIVERS, stage_only=False):
        switches = ("-a",) if stage_only else ("-i", "-a")
        return [("pnputil",) + switches +
                (self.media_path(case, "drivers", d, arch, d + ".inf"),) for d in drivers]

    def start_calls(self, case, check=False, arch="amd64"):
        """The calls every install begins with: the administrator check, locking the log folder
        (not with /check), the certificate thumbprint and (x64) the test-signing state."""
        calls = [("fsutil", "dirty", "query", "C:")]
        if not check:
            calls += LOCK_CALLS
        calls += [("certutil", "-hashfile", self.media_path(case, "certs", name))
                  for name in harness.CERT_FILES.values()]
        if arch == "amd64":
            calls.append(("bcdedit", "/enum", "{current}"))
        return calls

    # ---- expected state ---------------------------------------------------------------------

    def state_lines(self, case):
        path = case.c_drive("AeroGuestTools", "state.txt")
        if not os.path.exists(path):
            return None
        with open(path, encoding="latin-1") as f:
            return [line.rstrip("\r\n") for line in f if line.strip() and
                    not line.startswith("#")]

    def preseed_state_lines(self):
        driver, service, _ = storage_device()
        return (["preseed_file=C:\\windows\\System32\\drivers\\%s.sys" % driver,
                 "preseed_service=%s" % service] +
                ["cddb=%s" % key for key in expected_cddb_keys()])

    def assertPreseeded(self, case, arch="amd64"):
        driver, service, _ = storage_device()
        tree = case.reg(r"%s\%s" % (SERVICES, service), CDDB)
        self.assertEqual({
            "Type": ("REG_DWORD", "0x1"),
            "Start": ("REG_DWORD", "0x0"),
            "ErrorControl": ("REG_DWORD", "0x1"),
            "Group": ("REG_SZ", "SCSI miniport"),
            "ImagePath": ("REG_EXPAND_SZ", r"\SystemRoot\System32\drivers\%s.sys" % driver),
        }, tree.get(full_key(r"%s\%s" % (SERVICES, service))))
        self.assertEqual({"5": ("REG_DWORD", "0x1")},
                         tree.get(full_key(r"%s\%s\Parameters\PnpInterface" % (SERVICES,
                                                                                  service))))
        ours = {key: values for key, values in tree.items()
                if key.startswith(full_key(CDDB) + "\\") and
                values.get("Service", ("", ""))[1] == service}
        self.assertEqual(sorted(full_key(r"%s\%s" % (CDDB, k)) for k in expected_cddb_keys()),
                         sorted(ours))
        for key, values in ours.items():
            self.assertEqual({"ClassGUID": ("REG_SZ", SCSI_ADAPTER_CLASS),
                              "Service": ("REG_SZ", service)}, values, key)
        with open(case.c_drive("windows", "system32", "drivers", driver + ".sys"), "rb") as f:
            self.assertEqual(harness.package_bytes(driver, arch, "sys"), f.read())

    def assertNotPreseeded(self, case):
        driver, service, _ = storage_device()
        tree = case.reg(r"%s\%s" % (SERVICES, service), CDDB)
        self.assertEqual([], [key for key, values in tree.items()
                              if key.startswith(full_key(SERVICES)) or
                              values.get("Service", ("", ""))[1] == service])
        self.assertFalse(os.path.exists(
            case.c_drive("windows", "system32", "drivers", driver + ".sys")))

    def assertNoInstallState(self, case):
        """Nothing recorded: no state file, or only its header."""
        self.assertIn(self.state_lines(case), (None, []))


class SharedPrefixTestCase(WineTestCase):
    """Cases that must change nothing share one prefix clone: each asserts it recorded nothing,
    and test_zz_nothing_was_changed (last, as unittest sorts by name) checks the registry and the
    drivers folder after all of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = harness.Case(cls.__name__)

    @classmethod
    def tearDownClass(cls):
        cls.case.close()

    def setUp(self):
        shutil.rmtree(self.case.c_drive("AeroGuestTools"), ignore_errors=True)
        self.case.make_media(("aero_virtio_blk", "aero_virtio_net"), ("x86", "amd64"))

    def setup_run(self, args=(), **kwargs):
        """setup.cmd, checking that it recorded and installed nothing."""
        env = self.tool_env(self.case, oems=())
        env.update(kwargs.pop("env", {}))
        run = self.case.run("setup.cmd", args, env=env, **kwargs)
        self.assertNoInstallState(self.case)
        self.assertEqual([], run.argv_of("pnputil"))
        self.assertFalse([c for c in run.sequence() if c[:2] == ("certutil", "-addstore")])
        self.assertNotIn(("bcdedit", "/set", "testsigning", "on"), run.sequence())
        return run

    def test_zz_nothing_was_changed(self):
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

