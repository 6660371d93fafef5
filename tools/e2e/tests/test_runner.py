"""The runner against a fake QEMU: outcomes, timeouts (never waiting past them), the READY
handshake, and that QEMU is always reaped."""

import os
import shutil
import tempfile
import time
import unittest

from aero_e2e.markers import MarkerStream
from aero_e2e.model import CheckResult, Disk, Expect, KernelBoot, Scenario
from aero_e2e.runner import RunResult, check_expectation, run_scenario

FAKE_QEMU = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_qemu.py")


def scenario(behaviour, **kwargs):
    kwargs.setdefault("boot_timeout", 5.0)
    kwargs.setdefault("test_timeout", 5.0)
    kwargs.setdefault("overall_timeout", 20.0)
    kwargs.setdefault("exit_timeout", 1.0)
    return Scenario(name=f"fake-{behaviour}", description="fake",
                    boot=KernelBoot({"behaviour": behaviour}), **kwargs)


class RunnerTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="aero-e2e-test-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_fake(self, s):
        started = time.monotonic()
        result = run_scenario(s, "/nonexistent/kernel.elf", os.path.join(self.dir, s.name),
                              qemu=FAKE_QEMU)
        return result, time.monotonic() - started

    def test_pass(self):
        result, _ = self.run_fake(scenario("pass"))
        self.assertEqual(result.outcome, "pass", result.reasons)
        self.assertTrue(result.verdict_ok)
        self.assertEqual(result.exit_status, 33)
        self.assertEqual(result.stream.tests["fake.one"].fields, {"value": "1"})
        self.assertEqual(result.stream.infos[0].fields["note"], "a|pipe")
        with open(os.path.join(result.work_dir, "serial.txt")) as f:
            self.assertIn("booting", f.read())

    def test_guest_failure(self):
        result, _ = self.run_fake(scenario("fail"))
        self.assertEqual(result.outcome, "fail")
        self.assertIn("fake.one: broken on purpose", result.reasons)
        self.assertFalse(result.verdict_ok)

    def test_hang_times_out_per_test_and_reaps(self):
        result, elapsed = self.run_fake(scenario("hang", test_timeout=1.0))
        self.assertEqual(result.outcome, "timeout")
        self.assertEqual(result.timed_out_test, "fake.hang")
        self.assertTrue(result.stopped_by_harness)
        self.assertIsNotNone(result.exit_status)  # reaped
        self.assertLess(elapsed, 6.0)
        self.assertTrue(any("fake.hang did not report within 1 s" in r for r in result.reasons))

    def test_no_boot_times_out(self):
        result, elapsed = self.run_fake(scenario("noboot", boot_timeout=1.0))
        self.assertEqual(result.outcome, "timeout")
        self.assertTrue(any("no START marker" in r for r in result.reasons))
        self.assertLess(elapsed, 6.0)

    def test_sigterm_ignored_is_killed(self):
        result, elapsed = self.run_fake(scenario("stubborn", test_timeout=1.0))
        self.assertEqual(result.outcome, "timeout")
        self.assertEqual(result.exit_status, -9)
        self.assertLess(elapsed, 8.0)

    def test_overall_timeout_despite_output(self):
        result, elapsed = self.run_fake(scenario("chatty", overall_timeout=1.5))
        self.assertEqual(result.outcome, "timeout")
        self.assertTrue(any("did not finish within" in r for r in result.reasons))
        self.assertLess(elapsed, 6.0)

    def test_crash_exit_zero(self):
        result, _ = self.run_fake(scenario("crash"))
        self.assertEqual(result.outcome, "crash")
        self.assertTrue(any("triple-faulted" in r and "fake.crash" in r for r in result.reasons))

    def test_qemu_error_reports_status_and_stderr(self):
        result, _ = self.run_fake(scenario("error"))
        self.assertEqual(result.outcome, "qemu-error")
        self.assertTrue(any("exit status 1" in r and "not a valid device model" in r
                            for r in result.reasons), result.reasons)

    def test_missing_qemu_binary(self):
        s = scenario("pass")
        result = run_scenario(s, "/nonexistent/kernel.elf", os.path.join(self.dir, "missing"),
                              qemu=os.path.join(self.dir, "no-such-qemu"))
        self.assertEqual(result.outcome, "qemu-error")
        self.assertTrue(any("cannot start" in r for r in result.reasons))

    def test_unusable_work_dir_is_a_harness_error(self):
        blocker = os.path.join(self.dir, "file")
        with open(blocker, "w") as f:
            f.write("not a directory")
        s = scenario("pass")
        result = run_scenario(s, "/k.elf", os.path.join(blocker, "sub"), qemu=FAKE_QEMU)
        self.assertEqual(result.outcome, "harness-error")
        self.assertTrue(any("cannot prepare" in r for r in result.reasons))

    def test_bad_disk_rule_is_a_harness_error(self):
        s = scenario("pass", disks=[Disk("d0", 4096, inject_errors=[("read_aio", 8)])])
        result, _ = self.run_fake(s)
        self.assertEqual(result.outcome, "harness-error")
        self.assertTrue(any("cannot build the QEMU command line" in r for r in result.reasons),
                        result.reasons)

    def test_exit_status_must_match_result(self):
        result, _ = self.run_fake(scenario("mismatch"))
        self.assertEqual(result.outcome, "protocol-error")
        self.assertTrue(any("RESULT|PASS but QEMU exit status 35" in r for r in result.reasons))

    def test_no_exit_after_result(self):
        result, elapsed = self.run_fake(scenario("noexit", exit_timeout=1.0))
        self.assertEqual(result.outcome, "timeout")
        self.assertTrue(any("did not exit within" in r for r in result.reasons))
        self.assertLess(elapsed, 6.0)

    def test_long_line_is_a_protocol_error(self):
        result, _ = self.run_fake(scenario("longline"))
        self.assertEqual(result.outcome, "protocol-error")
        self.assertTrue(any("longer than 4096" in r for r in result.reasons))

    def test_ready_handshake_runs_action_and_acks(self):
        seen = []

        def action(ctx):
            seen.append(ctx.marker.fields["n"])
            ctx.check("host.fake_action", True, "ran")

        result, _ = self.run_fake(scenario("ready", ready_actions={"tok": action}))
        self.assertEqual(result.outcome, "pass", result.reasons)
        self.assertEqual(seen, ["2"])
        self.assertEqual([c.name for c in result.checks], ["host.fake_action"])

    def test_ready_without_action_is_nak_and_protocol_error(self):
        result, _ = self.run_fake(scenario("ready"))
        self.assertEqual(result.outcome, "protocol-error")
        self.assertTrue(any("no action for this token" in r for r in result.reasons))

    def test_failed_host_check_fails_the_run(self):
        s = scenario("pass",
                     checks=[lambda result: [CheckResult("host.always_bad", False, "nope")]])
        result, _ = self.run_fake(s)
        self.assertEqual(result.outcome, "fail")
        self.assertIn("host.always_bad: nope", result.reasons)

    def test_expected_timeout_is_a_good_verdict(self):
        result, _ = self.run_fake(scenario(
            "hang", test_timeout=1.0, expect=Expect("timeout", timed_out_test="fake.hang")))
        self.assertTrue(result.verdict_ok, result.verdict)


class ExpectationTest(unittest.TestCase):
    def test_rules(self):
        r = RunResult(scenario="x", outcome="fail", reasons=["guest: boom"])
        r.stream = MarkerStream()
        r.stream.feed("AERO_SELFTEST|START|version=1")
        r.stream.feed("AERO_SELFTEST|TEST|a.b|FAIL|reason=timed out after 5 ms")
        self.assertEqual(check_expectation(Expect("pass"), r)[0], False)
        self.assertEqual(check_expectation(Expect("fail", failed_tests=["a.b"]), r)[0], True)
        self.assertEqual(check_expectation(Expect("fail", failed_tests=["a.c"]), r)[0], False)
        self.assertEqual(check_expectation(Expect("fail", reason_contains="timed out"), r)[0], True)
        self.assertEqual(check_expectation(Expect("fail", reason_contains="nothing"), r)[0], False)
        self.assertEqual(check_expectation(Expect("timeout", timed_out_test="a.b"), r)[0], False)


if __name__ == "__main__":
    unittest.main()


class LineSplitterTest(unittest.TestCase):
    def test_lines_across_chunks(self):
        from aero_e2e.runner import LineSplitter
        s = LineSplitter(limit=10)
        self.assertEqual(s.feed(b"ab"), [])
        self.assertEqual(s.feed(b"c\nde\r\nf"), [])
        self.assertEqual(s.take_lines(), ["abc", "de\r"])
        self.assertEqual(s.finish(), "f")

    def test_long_line_whole_or_split(self):
        from aero_e2e.runner import LineSplitter
        whole = LineSplitter(limit=10)
        self.assertEqual(len(whole.feed(b"x" * 20 + b"\nok\n")), 1)
        self.assertEqual(whole.take_lines(), ["ok"])
        split = LineSplitter(limit=10)
        errors = split.feed(b"x" * 15) + split.feed(b"y" * 15) + split.feed(b"z\nok\n")
        self.assertEqual(len(errors), 1)
        self.assertEqual(split.take_lines(), ["ok"])
        self.assertIsNone(split.finish())
