"""Runs one scenario: prepares the work directory, starts QEMU, follows the serial markers with
boot, per-test and overall timeouts, answers READY handshakes, always kills and reaps QEMU, then
runs the host checks and classifies the outcome."""

import os
import selectors
import shutil
import tempfile
import time
from dataclasses import dataclass, field

from . import disk as disk_mod
from . import trace as trace_mod
from .markers import MAX_LINE_BYTES, MarkerStream
from .model import CheckResult
from .qemu import EXIT_FAIL, EXIT_PASS, QemuProcess, build_command, describe_exit, wait_for_exit
from .qmp import QmpClient, QmpError

ACK_PREFIX = "AERO_HARNESS"
TAIL_LINES = 40


@dataclass
class RunResult:
    scenario: str
    outcome: str = ""
    reasons: list = field(default_factory=list)
    exit_status: object = None
    duration: float = 0.0
    stream: MarkerStream = field(default_factory=MarkerStream)
    serial_tail: list = field(default_factory=list)
    stderr_tail: list = field(default_factory=list)
    checks: list = field(default_factory=list)      # CheckResult
    cost: list = field(default_factory=list)        # dicts, one per measurement window
    bench: list = field(default_factory=list)       # dicts, one per benchmark run
    timed_out_test: str = None
    stopped_by_harness: bool = False
    work_dir: str = ""
    verdict_ok: bool = False
    verdict: str = ""


class ReadyContext:
    """What a READY action gets: the marker, the scenario, a lazily connected QMP client, and a
    place to put host-side check results."""

    def __init__(self, scenario, marker, qmp_factory, stream, result, deadline):
        self.scenario = scenario
        self.marker = marker
        self._qmp_factory = qmp_factory
        self.stream = stream
        self.result = result
        self.deadline = deadline

    @property
    def qmp(self):
        return self._qmp_factory()

    def check(self, name, ok, message=""):
        self.result.checks.append(CheckResult(name, bool(ok), message))
        return ok


class LineSplitter:
    """Cuts the serial byte stream into lines. A line longer than MAX_LINE_BYTES is dropped
    whole and reported once."""

    def __init__(self, limit=MAX_LINE_BYTES):
        self.limit = limit
        self.buffer = b""
        self.lines = []
        self.skipping = False  # inside an over-long line, until its newline

    def feed(self, data):
        """Adds bytes; returns a list of protocol errors (over-long lines)."""
        errors = []
        parts = (self.buffer + data).split(b"\n")
        self.buffer = parts.pop()
        for raw in parts:
            if self.skipping:
                self.skipping = False
            elif len(raw) > self.limit:
                errors.append(f"serial line longer than {self.limit} bytes")
            else:
                self.lines.append(raw.decode("utf-8", "replace"))
        if len(self.buffer) > self.limit:
            if not self.skipping:
                errors.append(f"serial line longer than {self.limit} bytes")
            self.skipping = True
            self.buffer = b""
        return errors

    def take_lines(self):
        lines, self.lines = self.lines, []
        return lines

    def finish(self):
        """The unterminated last line, if any (None when there is none)."""
        if self.skipping or not self.buffer:
            return None
        rest, self.buffer = self.buffer, b""
        return rest.decode("utf-8", "replace")


class _Timeout(Exception):
    def __init__(self, kind, message, test=None):
        super().__init__(message)
        self.kind = kind
        self.test = test


def _tail(path, lines):
    try:
        with open(path, "rb") as f:
            data = f.read()[-16384:]
    except OSError:
        return []
    return data.decode("utf-8", "replace").splitlines()[-lines:]


def _prepare_work_dir(work_dir):
    if os.path.isdir(work_dir):
        shutil.rmtree(work_dir)
    os.makedirs(work_dir)


def run_scenario(scenario, kernel, work_dir, qemu="qemu-system-x86_64", accel="tcg",
                 timeout_scale=1.0, log=None):
    """Runs scenario and returns a RunResult (never raises for guest or QEMU failures)."""
    work_dir = os.path.abspath(work_dir)
    result = RunResult(scenario=scenario.name, work_dir=work_dir)
    start = time.monotonic()
    try:
        _prepare_work_dir(work_dir)
        for d in scenario.disks:
            disk_mod.create_image(os.path.join(work_dir, f"{d.drive_id}.img"), d.size, d.seed)
    except (OSError, ValueError) as e:
        result.outcome = "harness-error"
        result.reasons.append(f"cannot prepare {work_dir}: {e}")
        return _finish(result, scenario, start)
    # The QMP socket path must stay short (unix sockets allow ~108 bytes).
    socket_dir = tempfile.mkdtemp(prefix="aero-e2e-")
    qmp_socket = os.path.join(socket_dir, "qmp.sock")
    events_file = trace_log = None
    if scenario.trace_events:
        events_file = os.path.join(work_dir, "trace-events.txt")
        trace_log = os.path.join(work_dir, "trace.log")
        trace_mod.write_events_file(events_file)
    try:
        argv = build_command(scenario, kernel, work_dir, qmp_socket, qemu=qemu, accel=accel,
                             trace_events_file=events_file, trace_log=trace_log)
    except ValueError as e:
        shutil.rmtree(socket_dir, ignore_errors=True)
        result.outcome = "harness-error"
        result.reasons.append(f"cannot build the QEMU command line: {e}")
        return _finish(result, scenario, start)
    with open(os.path.join(work_dir, "qemu-command.txt"), "w") as f:
        f.write(" ".join(argv) + "\n")
    stderr_path = os.path.join(work_dir, "qemu-stderr.txt")
    serial_path = os.path.join(work_dir, "serial.txt")
    process = QemuProcess(argv, stderr_path)
    qmp_holder = {}

    def qmp_factory():
        client = qmp_holder.get("client")
        if client is None:
            client = QmpClient(qmp_socket, timeout=10.0 * timeout_scale)
            client.connect(time.monotonic() + 10.0 * timeout_scale)
            qmp_holder["client"] = client
        return client

    timeout_kind = None
    try:
        try:
            process.start()
        except OSError as e:
            result.outcome = "qemu-error"
            result.reasons.append(f"cannot start {qemu}: {e.strerror}")
            return _finish(result, scenario, start)
        try:
            _follow(process, scenario, result, serial_path, qmp_factory, start, timeout_scale,
                    log)
        except _Timeout as t:
            timeout_kind = t.kind
            result.timed_out_test = t.test
            result.reasons.append(str(t))
    finally:
        try:
            client = qmp_holder.get("client")
            if client is not None:
                client.close()
            result.stopped_by_harness = process.running()
            status = process.stop()
        finally:
            shutil.rmtree(socket_dir, ignore_errors=True)
    result.exit_status = status
    result.stderr_tail = _tail(stderr_path, TAIL_LINES)
    result.serial_tail = _tail(serial_path, TAIL_LINES)
    _classify(result, scenario, timeout_kind)
    if timeout_kind is None and result.outcome in ("pass", "fail"):
        _host_checks(result, scenario, work_dir, trace_log)
    return _finish(result, scenario, start)


def _finish(result, scenario, start):
    result.duration = time.monotonic() - start
    ok, why = check_expectation(scenario.expect, result)
    result.verdict_ok = ok
    result.verdict = why
    return result


def _follow(process, scenario, result, serial_path, qmp_factory, start, scale, log):
    stream = result.stream
    overall_deadline = start + scenario.overall_timeout * scale
    boot_deadline = start + scenario.boot_timeout * scale
    test_deadline = None
    exit_deadline = None
    splitter = LineSplitter()
    with selectors.DefaultSelector() as selector, open(serial_path, "wb") as serial_log:
        selector.register(process.stdout_fd, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            if now >= overall_deadline:
                raise _Timeout("overall", f"scenario did not finish within "
                               f"{scenario.overall_timeout * scale:.0f} s", stream.open_test)
            if stream.start is None and now >= boot_deadline:
                raise _Timeout("boot", f"no START marker within {scenario.boot_timeout * scale:.0f}"
                               f" s of launching QEMU (guest did not boot)")
            if test_deadline is not None and now >= test_deadline:
                raise _Timeout("test", f"test {stream.open_test} did not report within "
                               f"{scenario.timeout_for(stream.open_test) * scale:.0f} s of its "
                               f"BEGIN", stream.open_test)
            if exit_deadline is not None and now >= exit_deadline:
                raise _Timeout("exit", f"QEMU did not exit within "
                               f"{scenario.exit_timeout * scale:.0f} s of RESULT")
            deadlines = [overall_deadline]
            if stream.start is None:
                deadlines.append(boot_deadline)
            if test_deadline is not None:
                deadlines.append(test_deadline)
            if exit_deadline is not None:
                deadlines.append(exit_deadline)
            wait = max(0.0, min(deadlines) - now)
            events = selector.select(timeout=min(wait, 0.5))
            if not events and process.poll() is None:
                continue  # nothing yet; re-check the deadlines (if QEMU is gone, drain the pipe)
            try:
                chunk = os.read(process.stdout_fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                break  # EOF: QEMU exited (or closed the console)
            serial_log.write(chunk)
            serial_log.flush()
            for error in splitter.feed(chunk):
                stream.errors.append(error)
            for line in splitter.take_lines():
                marker = stream.feed(line, time.monotonic())
                if marker is None:
                    continue
                if log is not None:
                    log(f"  {scenario.name}: {line}")
                if marker.kind == "BEGIN":
                    test_deadline = time.monotonic() + scenario.timeout_for(marker.name) * scale
                elif marker.kind == "TEST":
                    test_deadline = None
                elif marker.kind == "RESULT":
                    exit_deadline = time.monotonic() + scenario.exit_timeout * scale
                elif marker.kind == "READY":
                    _answer_ready(process, scenario, marker, stream, result, qmp_factory,
                                  overall_deadline)
    rest = splitter.finish()
    if rest is not None:
        stream.feed(rest, time.monotonic())
    deadline = time.monotonic() + scenario.exit_timeout * scale
    if wait_for_exit(process, deadline) is None:
        raise _Timeout("exit", "QEMU closed its console but did not exit")


def _answer_ready(process, scenario, marker, stream, result, qmp_factory, deadline):
    action = scenario.ready_actions.get(marker.name)
    if action is None:
        stream.errors.append(f"READY {marker.name}: the scenario has no action for this token")
        reply = f"{ACK_PREFIX}|NAK|{marker.name}|reason=unknown token\n"
    else:
        ctx = ReadyContext(scenario, marker, qmp_factory, stream, result, deadline)
        try:
            action(ctx)
            reply = f"{ACK_PREFIX}|ACK|{marker.name}\n"
        except (QmpError, ValueError, KeyError, TypeError) as e:
            result.checks.append(CheckResult(f"ready.{marker.name}", False, str(e)))
            reply = f"{ACK_PREFIX}|NAK|{marker.name}|reason={type(e).__name__}\n"
    if not process.send(reply.encode()):
        stream.errors.append(f"could not answer READY {marker.name}: QEMU's console is closed")


def _classify(result, scenario, timeout_kind):
    stream = result.stream
    status = result.exit_status
    reasons = result.reasons
    stderr_last = next((x for x in reversed(result.stderr_tail) if x.strip()), "")
    stderr_note = f"; QEMU stderr: {stderr_last}" if stderr_last else ""
    if timeout_kind is not None:
        result.outcome = "timeout"
        if result.stopped_by_harness:
            reasons.append("QEMU was stopped by the harness")
        return
    if stream.start is None:
        if status == 0:
            result.outcome = "crash"
            reasons.append("QEMU exited with status 0 before the guest printed START "
                           f"(triple fault during boot?){stderr_note}")
        else:
            result.outcome = "qemu-error"
            reasons.append(f"QEMU exited before the guest printed START: exit status "
                           f"{describe_exit(status)}{stderr_note}")
        return
    if stream.result is None:
        where = f" during test {stream.open_test}" if stream.open_test else ""
        if status == 0:
            result.outcome = "crash"
            reasons.append(f"the guest triple-faulted or reset{where}: QEMU exited with status 0 "
                           f"(-no-reboot) and no RESULT marker")
        else:
            result.outcome = "crash"
            reasons.append(f"QEMU exited without a RESULT marker{where}: exit status "
                           f"{describe_exit(status)}{stderr_note}")
        return
    errors = list(stream.errors) + stream.consistency_errors()
    expected_status = EXIT_PASS if stream.result.status == "PASS" else EXIT_FAIL
    if status != expected_status:
        errors.append(f"RESULT|{stream.result.status} but QEMU exit status "
                      f"{describe_exit(status)}")
    if errors:
        result.outcome = "protocol-error"
        reasons.extend(f"protocol: {e}" for e in errors)
        return
    if stream.result.status == "FAIL":
        result.outcome = "fail"
        reasons.append(f"guest: {stream.result.reason}")
        for record in stream.tests.values():
            if record.status == "FAIL":
                reasons.append(f"{record.name}: {record.reason}")
        return
    result.outcome = "pass"


def _host_checks(result, scenario, work_dir, trace_log):
    for d in scenario.disks:
        if d.expect is None:
            continue
        path = os.path.join(work_dir, f"{d.drive_id}.img")
        problems = []
        for first, count, seed in d.expect:
            problem = disk_mod.verify_range(path, seed, first, count)
            if problem:
                problems.append(problem)
        result.checks.append(CheckResult(f"host.disk_{d.drive_id}", not problems,
                                         "; ".join(problems) or "image holds the expected pattern"))
    if trace_log is not None:
        try:
            windows = trace_mod.count_windows_in_file(trace_log)
        except trace_mod.TraceError as e:
            result.checks.append(CheckResult("host.trace", False, str(e)))
            windows = None
        if windows is not None:
            _cost_table(result, windows)
    for check in scenario.checks:
        try:
            for c in check(result):
                result.checks.append(c)
        except (OSError, ValueError, KeyError) as e:
            result.checks.append(CheckResult(getattr(check, "__name__", "check"), False, str(e)))
    failed = [c for c in result.checks if not c.ok]
    if failed and result.outcome == "pass":
        result.outcome = "fail"
    for c in failed:
        result.reasons.append(f"{c.name}: {c.message}")


def _cost_table(result, windows):
    """Joins the guest's cost_window INFO lines with the trace counts of the same window."""
    seen = set()
    for info in result.stream.infos_with(event="cost_window"):
        f = info.fields
        try:
            window = int(f["window"])
        except (KeyError, ValueError):
            result.checks.append(CheckResult("host.cost", False,
                                             f"bad cost_window line: {info.line}"))
            continue
        seen.add(window)
        counts = windows.get(window)
        if counts is None:
            result.checks.append(CheckResult("host.cost", False,
                                             f"window {window} has no trace fences"))
            continue
        row = dict(f)
        row.update({f"trace_{k}": v for k, v in counts.items()})
        result.cost.append(row)
        # The guest counts its own doorbell writes; QEMU must have seen exactly those.
        guest_notifies = int(f.get("guest_notifies", -1))
        if guest_notifies != counts["notify_writes"]:
            result.checks.append(CheckResult(
                "host.cost_notify_agreement", False,
                f"window {window} ({f.get('label')}): guest wrote {guest_notifies} doorbells, "
                f"QEMU traced {counts['notify_writes']}"))
        guest_isr = int(f.get("guest_isr_reads", -1))
        if guest_isr != counts["isr_reads"]:
            result.checks.append(CheckResult(
                "host.cost_isr_agreement", False,
                f"window {window} ({f.get('label')}): guest read the ISR {guest_isr} times, "
                f"QEMU traced {counts['isr_reads']}"))
    unmatched = sorted(set(windows) - seen)
    if unmatched:
        result.checks.append(CheckResult("host.cost", False,
                                         f"trace windows without a cost_window line: {unmatched}"))
    elif result.cost:
        result.checks.append(CheckResult("host.cost", True,
                                         f"{len(result.cost)} windows measured; guest and QEMU "
                                         f"counts agree"))


def check_expectation(expect, result):
    """Returns (ok, explanation)."""
    if result.outcome != expect.outcome:
        return False, f"expected outcome {expect.outcome}, got {result.outcome}"
    if expect.timed_out_test is not None and result.timed_out_test != expect.timed_out_test:
        return False, (f"expected test {expect.timed_out_test} to time out, "
                       f"got {result.timed_out_test}")
    for name in expect.failed_tests:
        record = result.stream.tests.get(name)
        if record is None or record.status != "FAIL":
            return False, f"expected guest test {name} to fail"
    if expect.reason_contains is not None:
        texts = list(result.reasons) + [r.reason for r in result.stream.tests.values()]
        if not any(expect.reason_contains in t for t in texts):
            return False, f"no reason mentions '{expect.reason_contains}'"
    if expect.outcome == "pass":
        return True, "passed"
    return True, f"ended as expected ({expect.outcome})"
