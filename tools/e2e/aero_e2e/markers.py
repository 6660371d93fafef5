"""The AERO_SELFTEST line protocol, reader side (docs/selftest-protocol.md).

A marker line starts at the beginning of a serial line with ``AERO_SELFTEST|``; its fields are
separated by ``|``.
Values are percent-escaped (``%``, ``|``, CR, LF and control bytes as ``%XX``). Every other line is
console text. ``MarkerStream`` checks the order rules and collects per-test results.
"""

import re
from dataclasses import dataclass, field

PREFIX = "AERO_SELFTEST|"
PROTOCOL_VERSION = 1
MAX_LINE_BYTES = 4096
NAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
KINDS = ("START", "BEGIN", "TEST", "INFO", "READY", "RESULT")
STATUSES = ("PASS", "FAIL", "SKIP")


class ProtocolError(ValueError):
    """A line that claims to be a marker but breaks the protocol."""


def escape(value):
    """Escapes a value for a marker field (the inverse of unescape)."""
    out = []
    for ch in str(value):
        code = ord(ch)
        if ch in "%|" or code < 0x20 or code == 0x7F:
            out.append(f"%{code:02X}")
        else:
            out.append(ch)
    return "".join(out)


def unescape(text):
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            digits = text[i + 1:i + 3]
            if len(digits) != 2 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise ProtocolError(f"bad percent escape at '{text[i:i + 3]}'")
            out.append(chr(int(digits, 16)))
            i += 3
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _parse_fields(parts):
    fields = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep:
            raise ProtocolError(f"field '{part}' is not key=value")
        if not NAME_RE.match(key):
            raise ProtocolError(f"bad key '{key}'")
        if key in fields:
            raise ProtocolError(f"duplicate key '{key}'")
        fields[key] = unescape(value)
    return fields


def _check_name(what, name):
    if not NAME_RE.match(name):
        raise ProtocolError(f"bad {what} '{name}' (allowed: letters, digits, '_', '.', '-')")
    return name


@dataclass
class Marker:
    kind: str
    name: str = ""      # test name (BEGIN, TEST) or token (READY)
    status: str = ""    # PASS/FAIL/SKIP (TEST, RESULT)
    fields: dict = field(default_factory=dict)
    line: str = ""

    @property
    def reason(self):
        return self.fields.get("reason", "")


def format_marker(kind, name="", status="", fields=None):
    """Builds a marker line (without the newline); used by tests and the protocol docs."""
    parts = [PREFIX.rstrip("|"), kind]
    if name:
        parts.append(name)
    if status:
        parts.append(status)
    for key, value in (fields or {}).items():
        parts.append(f"{key}={escape(value)}")
    return "|".join(parts)


def parse_line(line):
    """Returns a Marker for a marker line, None for console text; raises ProtocolError."""
    if line.endswith("\r"):
        line = line[:-1]
    if not line.startswith(PREFIX):
        if PREFIX in line:
            raise ProtocolError("marker does not start at the beginning of the line")
        return None
    parts = line[len(PREFIX):].split("|")
    kind = parts[0]
    rest = parts[1:]
    if kind == "START":
        fields = _parse_fields(rest)
        if "version" not in fields:
            raise ProtocolError("START without version=")
        if fields["version"] != str(PROTOCOL_VERSION):
            raise ProtocolError(f"unsupported protocol version {fields['version']}")
        return Marker("START", fields=fields, line=line)
    if kind == "BEGIN":
        if len(rest) < 1:
            raise ProtocolError("BEGIN without a test name")
        return Marker("BEGIN", name=_check_name("test name", rest[0]),
                      fields=_parse_fields(rest[1:]), line=line)
    if kind == "TEST":
        if len(rest) < 2:
            raise ProtocolError("TEST needs a name and a status")
        name = _check_name("test name", rest[0])
        status = rest[1]
        if status not in STATUSES:
            raise ProtocolError(f"TEST {name}: unknown status '{status}'")
        fields = _parse_fields(rest[2:])
        if status != "PASS" and not fields.get("reason"):
            raise ProtocolError(f"TEST {name}: {status} without reason=")
        return Marker("TEST", name=name, status=status, fields=fields, line=line)
    if kind == "INFO":
        return Marker("INFO", fields=_parse_fields(rest), line=line)
    if kind == "READY":
        if len(rest) < 1:
            raise ProtocolError("READY without a token")
        return Marker("READY", name=_check_name("token", rest[0]),
                      fields=_parse_fields(rest[1:]), line=line)
    if kind == "RESULT":
        if len(rest) < 1 or rest[0] not in ("PASS", "FAIL"):
            raise ProtocolError("RESULT must be PASS or FAIL")
        fields = _parse_fields(rest[1:])
        if rest[0] == "FAIL" and not fields.get("reason"):
            raise ProtocolError("RESULT|FAIL without reason=")
        return Marker("RESULT", status=rest[0], fields=fields, line=line)
    raise ProtocolError(f"unknown marker kind '{kind}'")


@dataclass
class TestRecord:
    name: str
    status: str = ""          # PASS/FAIL/SKIP, or "" while open
    reason: str = ""
    fields: dict = field(default_factory=dict)
    begin_time: float = None  # harness clock at BEGIN (None if the guest sent no BEGIN)
    end_time: float = None


class MarkerStream:
    """Feeds serial lines in order; keeps the test records, INFO lines and protocol errors."""

    def __init__(self):
        self.start = None
        self.result = None
        self.tests = {}        # name -> TestRecord, in order of appearance
        self.infos = []        # Marker
        self.readies = []      # Marker
        self.errors = []       # str
        self.open_test = None  # name of the test between BEGIN and TEST

    def feed(self, line, now=0.0):
        """Returns the Marker parsed from line (None for console text or a broken marker)."""
        try:
            marker = parse_line(line)
        except ProtocolError as e:
            self.errors.append(f"{e}: {line[:200]!r}")
            return None
        if marker is None:
            return None
        if marker.kind != "START" and self.start is None:
            self.errors.append(f"{marker.kind} before START")
        if self.result is not None:
            self.errors.append(f"{marker.kind} after RESULT")
        if marker.kind == "START":
            if self.start is not None:
                self.errors.append("second START (did the guest reboot?)")
            self.start = marker
        elif marker.kind == "BEGIN":
            if self.open_test is not None:
                self.errors.append(f"BEGIN {marker.name} while {self.open_test} is still open")
            if marker.name in self.tests:
                self.errors.append(f"test {marker.name} begun twice")
            else:
                self.tests[marker.name] = TestRecord(marker.name, begin_time=now)
            self.open_test = marker.name
        elif marker.kind == "TEST":
            record = self.tests.get(marker.name)
            if record is None:
                record = TestRecord(marker.name)
                self.tests[marker.name] = record
            elif record.status:
                self.errors.append(f"test {marker.name} reported twice")
            record.status = marker.status
            record.reason = marker.reason
            record.fields = marker.fields
            record.end_time = now
            if self.open_test == marker.name:
                self.open_test = None
            elif self.open_test is not None:
                self.errors.append(f"TEST {marker.name} while {self.open_test} is open")
        elif marker.kind == "INFO":
            self.infos.append(marker)
        elif marker.kind == "READY":
            self.readies.append(marker)
        elif marker.kind == "RESULT":
            self.result = marker
            if self.open_test is not None:
                self.errors.append(f"RESULT while test {self.open_test} is open")
        return marker

    def counts(self):
        c = {"PASS": 0, "FAIL": 0, "SKIP": 0}
        for record in self.tests.values():
            if record.status in c:
                c[record.status] += 1
        return c

    def consistency_errors(self):
        """Checks RESULT against the test records (call once the run ended)."""
        errors = []
        if self.result is None:
            return errors
        c = self.counts()
        if self.result.status == "PASS":
            if c["FAIL"]:
                errors.append("RESULT|PASS although tests failed")
            if c["PASS"] == 0:
                errors.append("RESULT|PASS without any passed test")
        for key, status in (("passed", "PASS"), ("failed", "FAIL"), ("skipped", "SKIP")):
            claimed = self.result.fields.get(key)
            if claimed is not None and claimed != str(c[status]):
                errors.append(f"RESULT says {key}={claimed} but {c[status]} TEST lines say "
                              f"{status}")
        for record in self.tests.values():
            if not record.status:
                errors.append(f"test {record.name} began but never reported")
        return errors

    def infos_with(self, **match):
        """INFO markers whose fields contain all of match."""
        return [m for m in self.infos if all(m.fields.get(k) == v for k, v in match.items())]
