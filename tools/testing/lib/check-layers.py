#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check that the channel driver's files call only downwards.

hidma_chan/hidma_chan.h lists the layers in its header comment, top first
("main.c ... dma.c ... irq.c ... desc.c ... ring.c ... hw.c"), and
declares each file's functions under a "/* <file> ... */" comment. A
file may use the functions of the files below it, never of one above it.
Prints one TAP line per file; exits 1 if any file calls upwards.
"""
import re
import sys
from pathlib import Path

top = Path(sys.argv[1] if len(sys.argv) > 1 else "hidma_chan")
header = (top / "hidma_chan.h").read_text()

comment = next((c for c in re.findall(r"/\*.*?\*/", header, re.S)
                if "Layers" in c), "")
order = re.findall(r"^ \*   (\w+\.c) ", comment, re.M)
if len(order) < 3:
    print("not ok layers: no layer list in hidma_chan.h")
    sys.exit(1)

owner = {}
section = None
for line in header.splitlines():
    m = re.match(r"/\* (\w+\.c)\b", line)
    if m:
        section = m.group(1)
        continue
    m = re.match(r"^(?:extern\s+)?[\w\s\*]+?\b(\w+)\s*\(", line)
    if section and m and not line.startswith(("static", "#")):
        owner[m.group(1)] = section
    m = re.match(r"^extern\s+[\w\s\*]+?\b(\w+)\s*;", line)
    if section and m:
        owner[m.group(1)] = section

bad = 0
for i, f in enumerate(order):
    text = (top / f).read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    above = set(order[:i])
    ups = sorted({name for name, o in owner.items() if o in above and
                  re.search(r"\b%s\b" % re.escape(name), text)})
    if ups:
        bad = 1
        print("not ok layers: %s uses %s from above it" %
              (f, ", ".join("%s (%s)" % (u, owner[u]) for u in ups)))
    else:
        print("ok layers: %s calls only downwards" % f)
sys.exit(bad)
