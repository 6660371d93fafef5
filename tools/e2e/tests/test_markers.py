"""Marker parsing, escaping and the order rules of the AERO_SELFTEST protocol."""

import unittest

from aero_e2e.markers import (MarkerStream, ProtocolError, escape, format_marker, parse_line,
                              unescape)


class EscapeTest(unittest.TestCase):
    def test_round_trip(self):
        for text in ["plain", "a|b", "100%", "line\nbreak", "cr\rlf", "\x01\x7f", "k=v=w", ""]:
            self.assertEqual(unescape(escape(text)), text)

    def test_escaped_form(self):
        self.assertEqual(escape("a|b%c\n"), "a%7Cb%25c%0A")

    def test_bad_escapes(self):
        for text in ["%", "%4", "%G1", "abc%zz"]:
            with self.assertRaises(ProtocolError):
                unescape(text)

    def test_lower_case_hex_accepted(self):
        self.assertEqual(unescape("%7c"), "|")


class ParseTest(unittest.TestCase):
    def test_console_text(self):
        self.assertIsNone(parse_line("SeaBIOS (version 1.16)"))
        self.assertIsNone(parse_line(""))

    def test_start(self):
        m = parse_line("AERO_SELFTEST|START|version=1|guest=x\r")
        self.assertEqual((m.kind, m.fields), ("START", {"version": "1", "guest": "x"}))

    def test_start_needs_supported_version(self):
        with self.assertRaises(ProtocolError):
            parse_line("AERO_SELFTEST|START|guest=x")
        with self.assertRaises(ProtocolError):
            parse_line("AERO_SELFTEST|START|version=2")

    def test_test_lines(self):
        m = parse_line("AERO_SELFTEST|TEST|blk.read|PASS|sectors=4096|note=a%7Cb")
        self.assertEqual((m.kind, m.name, m.status), ("TEST", "blk.read", "PASS"))
        self.assertEqual(m.fields, {"sectors": "4096", "note": "a|b"})
        m = parse_line("AERO_SELFTEST|TEST|x|FAIL|reason=bad%0Athing")
        self.assertEqual(m.reason, "bad\nthing")
        m = parse_line("AERO_SELFTEST|TEST|x|SKIP|reason=no device")
        self.assertEqual(m.status, "SKIP")

    def test_fail_and_skip_need_reason(self):
        for line in ["AERO_SELFTEST|TEST|x|FAIL", "AERO_SELFTEST|TEST|x|SKIP|a=1",
                     "AERO_SELFTEST|RESULT|FAIL"]:
            with self.assertRaises(ProtocolError):
                parse_line(line)

    def test_malformed(self):
        for line in ["AERO_SELFTEST|", "AERO_SELFTEST|BOGUS|x=1", "AERO_SELFTEST|TEST|x",
                     "AERO_SELFTEST|TEST|x|MAYBE", "AERO_SELFTEST|TEST|bad name|PASS",
                     "AERO_SELFTEST|INFO|novalue", "AERO_SELFTEST|INFO|a=1|a=2",
                     "AERO_SELFTEST|INFO|b@d=1", "AERO_SELFTEST|READY",
                     "AERO_SELFTEST|RESULT|MAYBE", "AERO_SELFTEST|BEGIN",
                     "junk AERO_SELFTEST|TEST|x|PASS"]:
            with self.assertRaises(ProtocolError, msg=line):
                parse_line(line)

    def test_ready_and_result(self):
        m = parse_line("AERO_SELFTEST|READY|input-phase1|devices=3")
        self.assertEqual((m.kind, m.name, m.fields), ("READY", "input-phase1", {"devices": "3"}))
        m = parse_line("AERO_SELFTEST|RESULT|PASS|passed=2")
        self.assertEqual((m.kind, m.status), ("RESULT", "PASS"))

    def test_format_marker_parses_back(self):
        line = format_marker("TEST", "a.b", "FAIL", {"reason": "x|y%z"})
        m = parse_line(line)
        self.assertEqual(m.reason, "x|y%z")


class StreamTest(unittest.TestCase):
    def feed(self, *lines):
        s = MarkerStream()
        for i, line in enumerate(lines):
            s.feed(line, float(i))
        return s

    def test_good_run(self):
        s = self.feed("hello", "AERO_SELFTEST|START|version=1",
                      "AERO_SELFTEST|BEGIN|a", "AERO_SELFTEST|INFO|k=v",
                      "AERO_SELFTEST|TEST|a|PASS", "AERO_SELFTEST|TEST|b|SKIP|reason=n/a",
                      "AERO_SELFTEST|RESULT|PASS|passed=1|failed=0|skipped=1")
        self.assertEqual(s.errors, [])
        self.assertEqual(s.consistency_errors(), [])
        self.assertEqual(s.counts(), {"PASS": 1, "FAIL": 0, "SKIP": 1})
        self.assertEqual(s.tests["a"].begin_time, 2.0)
        self.assertEqual(s.tests["a"].end_time, 4.0)
        self.assertEqual(s.infos_with(k="v")[0].fields, {"k": "v"})

    def test_order_errors(self):
        s = self.feed("AERO_SELFTEST|TEST|a|PASS")
        self.assertIn("TEST before START", s.errors)
        s = self.feed("AERO_SELFTEST|START|version=1", "AERO_SELFTEST|START|version=1")
        self.assertTrue(any("second START" in e for e in s.errors))
        s = self.feed("AERO_SELFTEST|START|version=1", "AERO_SELFTEST|BEGIN|a",
                      "AERO_SELFTEST|BEGIN|b")
        self.assertTrue(any("while a is still open" in e for e in s.errors))
        s = self.feed("AERO_SELFTEST|START|version=1", "AERO_SELFTEST|TEST|a|PASS",
                      "AERO_SELFTEST|TEST|a|PASS")
        self.assertTrue(any("reported twice" in e for e in s.errors))
        s = self.feed("AERO_SELFTEST|START|version=1", "AERO_SELFTEST|RESULT|FAIL|reason=x",
                      "AERO_SELFTEST|INFO|late=1")
        self.assertTrue(any("after RESULT" in e for e in s.errors))

    def test_consistency(self):
        s = self.feed("AERO_SELFTEST|START|version=1", "AERO_SELFTEST|TEST|a|FAIL|reason=r",
                      "AERO_SELFTEST|RESULT|PASS|passed=1|failed=0")
        errors = s.consistency_errors()
        self.assertTrue(any("PASS although tests failed" in e for e in errors))
        self.assertTrue(any("passed=1 but 0" in e for e in errors))
        s = self.feed("AERO_SELFTEST|START|version=1", "AERO_SELFTEST|BEGIN|a",
                      "AERO_SELFTEST|RESULT|FAIL|reason=x")
        self.assertTrue(any("began but never reported" in e for e in s.consistency_errors()))
        self.assertTrue(any("while test a is open" in e for e in s.errors))

    def test_broken_marker_is_recorded(self):
        s = self.feed("AERO_SELFTEST|START|version=1", "AERO_SELFTEST|WHAT|x=1")
        self.assertEqual(len(s.errors), 1)
        self.assertIn("unknown marker kind", s.errors[0])


if __name__ == "__main__":
    unittest.main()
