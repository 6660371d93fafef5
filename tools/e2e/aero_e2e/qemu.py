"""The QEMU command line for a scenario, and a QEMU process that is always reaped."""

import os
import signal
import subprocess
import time

DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=0x04"
EXIT_PASS = 33  # guest wrote 0x10 to the debug-exit port
EXIT_FAIL = 35  # guest wrote 0x11


def build_command(scenario, kernel, work_dir, qmp_socket, qemu="qemu-system-x86_64",
                  accel="tcg", trace_events_file=None, trace_log=None):
    """Returns the argv list. Disks are taken from work_dir/<drive_id>.img."""
    if scenario.machine not in ("pc", "q35"):
        raise ValueError(f"machine must be pc or q35, not {scenario.machine}")
    argv = [
        qemu,
        "-nodefaults",
        "-machine", scenario.machine,
        "-accel", accel,
        "-m", f"{scenario.memory_mb}M",
        "-display", "none",
        "-no-reboot",
        "-serial", "stdio",
        "-device", DEBUG_EXIT,
        "-qmp", f"unix:{qmp_socket},server=on,wait=off",
    ]
    argv += scenario.boot.qemu_args(kernel)
    for disk in scenario.disks:
        argv += ["-drive", drive_option(disk, os.path.join(work_dir, f"{disk.drive_id}.img"))]
    for netdev in scenario.netdevs:
        argv += ["-netdev", netdev]
    for device in scenario.devices:
        argv += ["-device", device]
    if trace_events_file is not None:
        argv += ["-trace", f"events={trace_events_file}", "-D", str(trace_log)]
    argv += scenario.extra_args
    return argv


BLKDEBUG_EVENTS = ("read_aio", "write_aio", "flush_to_disk")


def drive_option(disk, image):
    """The -drive value: the raw image, or with error rules the image under QEMU's blkdebug
    driver (EIO for every request of the rule's kind that touches its sector)."""
    if "," in image:
        raise ValueError(f"disk image path must not contain a comma: {image}")
    if not disk.inject_errors:
        return f"file={image},if=none,id={disk.drive_id},format=raw"
    parts = [f"if=none,id={disk.drive_id},format=raw,file.driver=blkdebug",
             f"file.image.filename={image}"]
    for n, (event, sector) in enumerate(disk.inject_errors):
        if event not in BLKDEBUG_EVENTS:
            raise ValueError(f"unknown blkdebug event {event}")
        if sector < 0 or sector * 512 >= disk.size:
            raise ValueError(f"error sector {sector} is outside the {disk.size}-byte disk")
        rule = f"file.inject-error.{n}"
        parts += [f"{rule}.event={event}", f"{rule}.sector={sector}", f"{rule}.errno=5",
                  f"{rule}.once=off"]
    return ",".join(parts)


def describe_exit(status):
    """A human reading of QEMU's exit status."""
    if status is None:
        return "still running"
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"killed by {name}"
    if status == EXIT_PASS:
        return "33 (guest debug-exit 0x10: pass)"
    if status == EXIT_FAIL:
        return "35 (guest debug-exit 0x11: fail)"
    if status == 0:
        return "0 (QEMU shut down: a triple fault or reset under -no-reboot)"
    if status == 1:
        return "1 (a QEMU error, or the guest wrote 0 to debug-exit)"
    if status & 1:
        return f"{status} (guest debug-exit value 0x{status >> 1:x})"
    return f"{status} (unexpected)"


class QemuProcess:
    """Starts QEMU with the serial console on a pipe and stderr in a file; stop() always reaps."""

    def __init__(self, argv, stderr_path):
        self.argv = argv
        self.stderr_path = stderr_path
        self.proc = None
        self._stderr_file = None

    def start(self):
        self._stderr_file = open(self.stderr_path, "wb")
        try:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._stderr_file, start_new_session=True)
        except OSError:
            self._stderr_file.close()
            raise
        os.set_blocking(self.proc.stdout.fileno(), False)

    @property
    def stdout_fd(self):
        return self.proc.stdout.fileno()

    def poll(self):
        return None if self.proc is None else self.proc.poll()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=max(0.0, timeout))
        except subprocess.TimeoutExpired:
            return None

    def send(self, data):
        """Writes to the guest's serial input; False if QEMU stopped reading."""
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def stop(self, grace=2.0):
        """Terminates (then kills) QEMU if it still runs, reaps it, closes the pipes. Returns the
        exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.proc.terminate()
            except ProcessLookupError:
                pass
            if self.wait(grace) is None:
                try:
                    self.proc.kill()
                except ProcessLookupError:
                    pass
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self._stderr_file is not None:
            self._stderr_file.close()
            self._stderr_file = None
        return self.proc.returncode


def wait_for_exit(process, deadline):
    """Waits for QEMU to exit by itself until deadline (monotonic); returns the status or None."""
    while True:
        status = process.poll()
        if status is not None:
            return status
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        process.wait(min(remaining, 0.05))
