#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Bridge between the test guest's vmctl and QEMU's QMP socket.

The guest writes one request per line to its virtio console; this bridge
turns it into a QMP command and writes one line back: "ok [VALUE]" or
"err MESSAGE". Requests:

  qom-get PATH PROPERTY
  qom-set PATH PROPERTY VALUE   (VALUE: true/false, an integer, or a string)
  ping

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


def handle(qmp, line):
    words = shlex.split(line)
    if not words:
        return "err empty request"
    cmd, args = words[0], words[1:]
    if cmd == "ping":
        return "ok pong"
    if cmd == "qom-get" and len(args) == 2:
        return "ok " + show(qmp.call("qom-get", path=args[0], property=args[1]))
    if cmd == "qom-set" and len(args) == 3:
        qmp.call("qom-set", path=args[0], property=args[1],
                 value=parse_value(args[2]))
        return "ok"
    return "err unknown request: " + line


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: vmbridge.py QMP_SOCKET CONSOLE_SOCKET LOG")
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
                answer = handle(qmp, line)
            except (RuntimeError, ValueError) as exc:
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
