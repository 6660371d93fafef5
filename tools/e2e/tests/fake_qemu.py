#!/usr/bin/env python3
"""A stand-in for qemu-system-x86_64 in the harness's unit tests. It ignores the machine options,
reads `behaviour=<name>` from -append, and acts out one way a run can go (pass, hang, crash, ...).
"""

import signal
import sys
import time


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv):
    append = argv[argv.index("-append") + 1] if "-append" in argv else ""
    options = dict(token.split("=", 1) for token in append.split() if "=" in token)
    behaviour = options.get("behaviour", "pass")
    start = "AERO_SELFTEST|START|version=1|guest=fake"
    if behaviour == "pass":
        out("booting (console text is ignored)")
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.one")
        out("AERO_SELFTEST|TEST|fake.one|PASS|value=1")
        out("AERO_SELFTEST|INFO|note=a%7Cpipe")
        out("AERO_SELFTEST|RESULT|PASS|passed=1|failed=0|skipped=0")
        return 33
    if behaviour == "fail":
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.one")
        out("AERO_SELFTEST|TEST|fake.one|FAIL|reason=broken on purpose")
        out("AERO_SELFTEST|RESULT|FAIL|reason=one or more tests failed|passed=0|failed=1|skipped=0")
        return 35
    if behaviour == "hang":
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.hang")
        time.sleep(3600)
        return 0
    if behaviour == "noboot":
        time.sleep(3600)
        return 0
    if behaviour == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.stubborn")
        time.sleep(3600)
        return 0
    if behaviour == "crash":
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.crash")
        return 0
    if behaviour == "error":
        sys.stderr.write("fake-qemu: -device nonsense: not a valid device model name\n")
        return 1
    if behaviour == "mismatch":
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.one")
        out("AERO_SELFTEST|TEST|fake.one|PASS")
        out("AERO_SELFTEST|RESULT|PASS|passed=1|failed=0|skipped=0")
        return 35
    if behaviour == "noexit":
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.one")
        out("AERO_SELFTEST|TEST|fake.one|PASS")
        out("AERO_SELFTEST|RESULT|PASS|passed=1|failed=0|skipped=0")
        time.sleep(3600)
        return 33
    if behaviour == "ready":
        out(start)
        out("AERO_SELFTEST|BEGIN|fake.handshake")
        out("AERO_SELFTEST|READY|tok|n=2")
        reply = sys.stdin.readline().strip()
        if reply == "AERO_HARNESS|ACK|tok":
            out("AERO_SELFTEST|TEST|fake.handshake|PASS")
            out("AERO_SELFTEST|RESULT|PASS|passed=1|failed=0|skipped=0")
            return 33
        out(f"AERO_SELFTEST|TEST|fake.handshake|FAIL|reason=reply was {reply}")
        out("AERO_SELFTEST|RESULT|FAIL|reason=handshake|passed=0|failed=1|skipped=0")
        return 35
    if behaviour == "longline":
        out(start)
        sys.stdout.write("x" * 10000)
        out("")
        out("AERO_SELFTEST|BEGIN|fake.one")
        out("AERO_SELFTEST|TEST|fake.one|PASS")
        out("AERO_SELFTEST|RESULT|PASS|passed=1|failed=0|skipped=0")
        return 33
    if behaviour == "chatty":
        # Output that never ends and never finishes a test: only the overall timeout stops it.
        out(start)
        while True:
            out("AERO_SELFTEST|INFO|tick=1")
            time.sleep(0.01)
    sys.stderr.write(f"fake-qemu: unknown behaviour {behaviour}\n")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
