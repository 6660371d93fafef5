"""A small QMP (QEMU Machine Protocol) client over a unix socket: greeting, qmp_capabilities,
commands with replies matched by id, asynchronous events kept aside. Every call has a deadline."""

import json
import socket
import time


class QmpError(Exception):
    """QMP connection failure, protocol violation, timeout or an error reply."""


class QmpClient:
    def __init__(self, path, timeout=5.0):
        self.path = str(path)
        self.timeout = timeout
        self.sock = None
        self.buffer = b""
        self.events = []
        self.greeting = None
        self._next_id = 1

    def connect(self, deadline):
        """Connects (retrying until deadline while QEMU creates the socket) and negotiates."""
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(max(0.05, min(self.timeout, deadline - time.monotonic())))
                sock.connect(self.path)
                self.sock = sock
                break
            except OSError as e:
                sock.close()
                if time.monotonic() >= deadline:
                    raise QmpError(f"cannot connect to QMP socket {self.path}: {e}") from e
                time.sleep(0.05)
        self.greeting = self._read_message(time.monotonic() + self.timeout)
        if "QMP" not in self.greeting:
            raise QmpError(f"unexpected QMP greeting: {self.greeting}")
        self.execute("qmp_capabilities")
        return self.greeting

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def execute(self, command, arguments=None, timeout=None):
        """Runs a command and returns its "return" value; raises QmpError on an error reply."""
        if self.sock is None:
            raise QmpError("QMP is not connected")
        request_id = self._next_id
        self._next_id += 1
        message = {"execute": command, "id": request_id}
        if arguments is not None:
            message["arguments"] = arguments
        data = json.dumps(message).encode() + b"\n"
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        try:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            self.sock.sendall(data)
        except OSError as e:
            raise QmpError(f"QMP send of {command} failed: {e}") from e
        while True:
            reply = self._read_message(deadline)
            if "event" in reply:
                self.events.append(reply)
                continue
            if reply.get("id") != request_id:
                raise QmpError(f"QMP reply for another request: {reply}")
            if "error" in reply:
                err = reply["error"]
                raise QmpError(f"{command} failed: {err.get('class', '?')}: {err.get('desc', '')}")
            if "return" not in reply:
                raise QmpError(f"QMP reply without return: {reply}")
            return reply["return"]

    def _read_message(self, deadline):
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QmpError("timed out waiting for QMP")
            try:
                self.sock.settimeout(remaining)
                chunk = self.sock.recv(65536)
            except socket.timeout as e:
                raise QmpError("timed out waiting for QMP") from e
            except OSError as e:
                raise QmpError(f"QMP receive failed: {e}") from e
            if not chunk:
                raise QmpError("QMP connection closed by QEMU")
            self.buffer += chunk
            if len(self.buffer) > 16 * 1024 * 1024:
                raise QmpError("QMP message larger than 16 MiB")
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except ValueError as e:
            raise QmpError(f"QMP sent invalid JSON: {line[:200]!r}") from e
        if not isinstance(message, dict):
            raise QmpError(f"QMP sent a non-object: {line[:200]!r}")
        return message
