"""The virtio-blk bench report: blk_bench lines to IOPS, MB/s and exits per request."""

import unittest

from aero_e2e.bench import bench_row, check_blk_bench
from aero_e2e.markers import MarkerStream
from aero_e2e.report import summary_text
from aero_e2e.runner import RunResult

LINE = ("AERO_SELFTEST|INFO|event=blk_bench|label=randread-4k-qd32|bytes=4096|qd=32|"
        "requests=2000|elapsed_us=500000|notifies=100|engine_notifications=100|interrupts=80|"
        "isr_reads=80|mmio_reads=80|mmio_writes=100|max_in_flight=32")


def run_result(lines):
    r = RunResult(scenario="bench-blk", outcome="pass", exit_status=33)
    r.stream = MarkerStream()
    for i, line in enumerate(["AERO_SELFTEST|START|version=1"] + lines):
        r.stream.feed(line, float(i))
    return r


class BenchRowTest(unittest.TestCase):
    def test_figures(self):
        row = bench_row(run_result([LINE]).stream.infos_with(event="blk_bench")[0].fields)
        self.assertEqual(row["iops"], 4000.0)
        self.assertEqual(row["mb_per_s"], 16.38)
        self.assertEqual(row["notifies_per_request"], 0.05)
        self.assertEqual(row["interrupts_per_request"], 0.04)
        self.assertEqual(row["mmio_per_request"], 0.09)

    def test_bad_lines_rejected(self):
        for bad in [{"label": "x"}, dict(zip(("bytes", "qd", "requests", "elapsed_us", "notifies",
                                              "interrupts", "isr_reads", "mmio_reads",
                                              "mmio_writes"), ["1"] * 3 + ["0"] + ["1"] * 5)),
                    {"bytes": "a"}]:
            with self.assertRaises(ValueError, msg=str(bad)):
                bench_row(bad)


class CheckTest(unittest.TestCase):
    def test_rows_collected_and_printed(self):
        r = run_result([LINE])
        [check] = check_blk_bench(r)
        self.assertTrue(check.ok, check.message)
        self.assertEqual(len(r.bench), 1)
        text = summary_text([r], 1.0)
        self.assertRegex(text, r"randread-4k-qd32\s+4000\.0\s+16\.38\s+0\.050\s+0\.040\s+0\.090")

    def test_no_lines_is_a_failure(self):
        [check] = check_blk_bench(run_result([]))
        self.assertFalse(check.ok)
        self.assertIn("no blk_bench lines", check.message)

    def test_malformed_line_is_a_failure(self):
        [check] = check_blk_bench(run_result([LINE.replace("requests=2000", "requests=x")]))
        self.assertFalse(check.ok)


if __name__ == "__main__":
    unittest.main()
