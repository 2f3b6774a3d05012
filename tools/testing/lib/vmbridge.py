#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Bridge between the test guest's vmctl and QEMU's QMP socket.

The guest writes one request per line to its virtio console; this bridge
turns it into a QMP command and writes one line back: "ok [VALUE]" or
"err MESSAGE". Requests:

  qom-get PATH PROPERTY...      the values, space-separated (one round trip
                                for several: every vmctl costs forks in the
                                guest)
  qom-set PATH PROPERTY VALUE   (VALUE: true/false, an integer, or a string)
  ping
  guest-errors WHO...           the number of the model's guest-error lines
                                ("qcom-hidma: ...") QEMU logged since the
                                last such request; they are appended to
                                the attribution file as "WHO: line"

QEMU writes its -d guest_errors log itself (flushed per message, and a
guest's register access logs before the vCPU goes on), so a request made
after a test sees every line the test caused.

Every request and answer is appended to the log file, so a failed run
shows what the tests asked of the model.
"""

import json
import shlex
import socket
import sys
import time


def connect(path, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Qmp:
    def __init__(self, path):
        self.sock = connect(path)
        self.rfile = self.sock.makefile("r", encoding="utf-8")
        self._read()  # greeting
        self.call("qmp_capabilities")

    def _read(self):
        while True:
            line = self.rfile.readline()
            if not line:
                raise EOFError("QMP closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def call(self, cmd, **args):
        req = {"execute": cmd}
        if args:
            req["arguments"] = args
        self.sock.sendall((json.dumps(req) + "\n").encode())
        ans = self._read()
        if "error" in ans:
            raise RuntimeError(ans["error"].get("desc", str(ans["error"])))
        return ans.get("return")


def parse_value(text):
    low = text.lower()
    if low in ("true", "on"):
        return True
    if low in ("false", "off"):
        return False
    try:
        return int(text, 0)
    except ValueError:
        return text


def show(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


MODEL_PREFIX = "qcom-hidma: "


class GuestErrors:
    """Reads QEMU's guest-error log from where the last request stopped."""

    def __init__(self, path, attributed):
        self.path = path
        self.attributed = attributed
        self.offset = 0

    def take(self, who):
        if not self.path:
            raise RuntimeError("no guest-error log given to the bridge")
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            data = b""
        # Only whole lines: a message being written stays for next time.
        end = data.rfind(b"\n") + 1
        self.offset += end
        lines = data[:end].decode("utf-8", "replace").splitlines()
        model = [l for l in lines if l.startswith(MODEL_PREFIX)]
        with open(self.attributed, "a", encoding="utf-8") as out:
            for l in lines:
                mark = "" if l.startswith(MODEL_PREFIX) else "(not the model) "
                out.write(f"{who}: {mark}{l}\n")
        return len(model)


def handle(qmp, gerrs, line):
    words = shlex.split(line)
    if not words:
        return "err empty request"
    cmd, args = words[0], words[1:]
    if cmd == "ping":
        return "ok pong"
    if cmd == "guest-errors" and args:
        return "ok " + str(gerrs.take(" ".join(args)))
    if cmd == "qom-get" and len(args) >= 2:
        # Several properties in one round trip, space-separated values.
        return "ok " + " ".join(show(qmp.call("qom-get", path=args[0], property=p))
                                for p in args[1:])
    if cmd == "qom-set" and len(args) == 3:
        qmp.call("qom-set", path=args[0], property=args[1],
                 value=parse_value(args[2]))
        return "ok"
    return "err unknown request: " + line


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit("usage: vmbridge.py QMP_SOCKET CONSOLE_SOCKET LOG [GUEST_ERROR_LOG]")
    gpath = sys.argv[4] if len(sys.argv) == 5 else None
    gerrs = GuestErrors(gpath, (gpath or "") + ".attributed")
    qmp = Qmp(sys.argv[1])
    con = connect(sys.argv[2])
    log = open(sys.argv[3], "a", buffering=1, encoding="utf-8")
    buf = b""
    while True:
        data = con.recv(4096)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            raw, buf = buf.split(b"\n", 1)
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            try:
                answer = handle(qmp, gerrs, line)
            except (RuntimeError, ValueError, OSError) as exc:
                answer = "err " + str(exc).replace("\n", " ")
            except EOFError:
                return
            log.write(f"{line} -> {answer}\n")
            con.sendall((answer + "\n").encode())


if __name__ == "__main__":
    try:
        main()
    except (EOFError, ConnectionError, KeyboardInterrupt):
        pass
