"""JUnit XML and the human summary."""

import os
import tempfile
import unittest
import xml.etree.ElementTree as ET

from aero_e2e.markers import MarkerStream
from aero_e2e.model import CheckResult
from aero_e2e.report import atomic_write, junit_xml, summary_text
from aero_e2e.runner import RunResult


def result(name, outcome, lines, verdict_ok=True, verdict="passed", checks=(), reasons=()):
    r = RunResult(scenario=name, outcome=outcome, exit_status=33 if outcome == "pass" else 35)
    r.stream = MarkerStream()
    for i, line in enumerate(lines):
        r.stream.feed(line, float(i))
    r.verdict_ok = verdict_ok
    r.verdict = verdict
    r.checks = list(checks)
    r.reasons = list(reasons)
    r.duration = 1.5
    r.serial_tail = lines[-2:]
    return r


class JunitTest(unittest.TestCase):
    def test_structure(self):
        good = result("blk-pc", "pass", [
            "AERO_SELFTEST|START|version=1", "AERO_SELFTEST|BEGIN|a", "AERO_SELFTEST|TEST|a|PASS",
            "AERO_SELFTEST|TEST|b|SKIP|reason=n/a", "AERO_SELFTEST|RESULT|PASS"],
            checks=[CheckResult("host.disk_d0", True, "ok")])
        bad = result("net-pc", "fail", [
            "AERO_SELFTEST|START|version=1", "AERO_SELFTEST|TEST|x|FAIL|reason=lost frame",
            "AERO_SELFTEST|RESULT|FAIL|reason=r"], verdict_ok=False,
            verdict="expected outcome pass, got fail", reasons=["x: lost frame"])
        expected = result("selftest-hang", "timeout", ["AERO_SELFTEST|START|version=1"],
                          verdict="ended as expected (timeout)")
        root = ET.fromstring(junit_xml([good, bad, expected]))
        suites = {s.get("name"): s for s in root.findall("testsuite")}
        self.assertEqual(set(suites), {"e2e.blk-pc", "e2e.net-pc", "e2e.selftest-hang"})
        blk = suites["e2e.blk-pc"]
        self.assertEqual([c.get("name") for c in blk.findall("testcase")],
                         ["a", "b", "host.disk_d0", "run"])
        self.assertEqual(blk.get("failures"), "0")
        self.assertEqual(blk.get("skipped"), "1")
        self.assertEqual(blk.find("testcase[@name='a']").get("time"), "1.000")
        net = suites["e2e.net-pc"]
        self.assertEqual(net.get("failures"), "1")
        failure = net.find("testcase[@name='run']/failure")
        self.assertEqual(failure.get("message"), "expected outcome pass, got fail")
        self.assertIn("x: lost frame", failure.text)
        # An expected-outcome scenario reports one verdict, not the guest's deliberate failures.
        hang = suites["e2e.selftest-hang"]
        self.assertEqual([c.get("name") for c in hang.findall("testcase")], ["run"])
        self.assertEqual(hang.get("failures"), "0")

    def test_escapes_hostile_text(self):
        r = result("x", "fail", ["AERO_SELFTEST|START|version=1",
                                 "AERO_SELFTEST|TEST|t|FAIL|reason=<&>\"%01"],
                   verdict_ok=False, verdict="v", reasons=["<&>"])
        ET.fromstring(junit_xml([r]))  # must stay well-formed


class SummaryTest(unittest.TestCase):
    def test_failures_explained(self):
        bad = result("net-pc", "fail", ["AERO_SELFTEST|START|version=1"], verdict_ok=False,
                     verdict="expected outcome pass, got fail", reasons=["x: lost frame"])
        bad.stderr_tail = ["qemu: warning"]
        text = summary_text([bad], 2.0)
        self.assertIn("FAIL net-pc", text)
        self.assertIn("reason: x: lost frame", text)
        self.assertIn("qemu: warning", text)
        self.assertIn("0 of 1 scenarios as expected", text)

    def test_cost_table(self):
        r = result("cost-blk", "pass", ["AERO_SELFTEST|START|version=1"])
        r.cost = [{"label": "blk.event_idx.batch8", "batch": "8", "batches": "8",
                   "requests": "64", "guest_interrupts": "8", "trace_notify_writes": 8,
                   "trace_interrupts": 16, "trace_isr_reads": 8}]
        text = summary_text([r], 1.0)
        self.assertIn("blk.event_idx.batch8", text)
        self.assertRegex(text, r"1\.00\s+2\.00\s+1\.00\s+1\.00")


class AtomicWriteTest(unittest.TestCase):
    def test_no_temporary_left(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "sub", "out.xml")
            atomic_write(path, "one")
            atomic_write(path, "two")
            with open(path) as f:
                self.assertEqual(f.read(), "two")
            self.assertEqual(os.listdir(os.path.dirname(path)), ["out.xml"])


if __name__ == "__main__":
    unittest.main()
