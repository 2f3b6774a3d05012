#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host side of the benchmark: turn the guest's BENCH lines into the table
(text and markdown), the plot (PNG) and the verdict on the targets.

    report.py RESULTS OUTDIR [KEY=VALUE...]

RESULTS holds one measurement per line, "boot=NAME kind=... key=value ...",
as tools/testing/benchmark.sh collects them from the guest; the KEY=VALUE
arguments (date, commit, ...) label the output. Writes OUTDIR/table.txt,
OUTDIR/table.md and OUTDIR/bench.png; prints the text table. Exit status 0
whether or not targets are met (the table says which are missed and by how
much); 1 if the input is unusable.

Every figure is a ratio, or a pair measured side by side in the same boot:
the CPU's memcpy runs right before the DMA runs of the same size, and the
model's own limit comes from its statistics (bytes over busy time) of the
very run it is compared with.
"""

import sys

# Targets (issue 6).
T_DEPTH = 32
T_BIG_SIZE = 64 * 1024
T_BIG_FRACTION = 0.90
T_4K_SIZE = 4096
T_4K_FRACTION = 0.50
T_IRQ_BATCH = 32
T_IRQ_PER_XFER = 0.05
T_REG_DEPTH = 256
T_REG_PER_XFER = 0.10
T_QOS_TOLERANCE = 0.10
T_QOS_STARVED_SHARE = 0.01
# The bounded reaper (the default reap_budget) against reaping the whole
# ring in the hard interrupt: throughput kept within this fraction.
T_REAP_RATIO = 0.95


def parse(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            row = {}
            for field in line.split():
                if "=" not in field:
                    continue
                k, v = field.split("=", 1)
                try:
                    row[k] = int(v)
                except ValueError:
                    row[k] = v
            rows.append(row)
    return rows


def human_size(n):
    for unit, div in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div and n % div == 0:
            return "%d %s" % (n // div, unit)
    return "%d B" % n


def mbs(nbytes, ns):
    """MB/s (10^6 bytes per second) of nbytes in ns nanoseconds."""
    return nbytes * 1000.0 / ns if ns else 0.0


class Point:
    """One DMA run and what follows from it."""

    def __init__(self, r):
        self.r = r
        self.boot = r["boot"]
        self.label = r["label"]
        self.chans = r["chans"]
        self.size = r["size"]
        self.depth = r["depth"]
        self.batch = r["batch"]
        self.elapsed = r["elapsed_ns"]
        self.transfers = r["transfers"]
        self.mbs = mbs(r["bytes"], self.elapsed)
        self.tps = self.transfers * 1e9 / self.elapsed if self.elapsed else 0.0
        # The engine had work for busy_max of the elapsed time (with several
        # channels at least that long: their busy times overlap); the
        # model's limit is what it moved per busy nanosecond.
        self.busy = r["busy_max_ns"]
        self.limit = mbs(r["model_bytes"], self.busy)
        self.fraction = self.busy / self.elapsed if self.elapsed else 0.0
        self.irq = r["irqs"] / self.transfers if self.transfers else 0.0
        # Register accesses the CPU made per transfer, as the model counts
        # them (results from before the model counted them have none).
        self.rd = r.get("reg_reads", 0) / self.transfers if self.transfers else 0.0
        self.wr = r.get("reg_writes", 0) / self.transfers if self.transfers else 0.0
        ticks = r["cpu_busy"] + r["cpu_idle"]
        self.cpu = r["cpu_busy"] / ticks if ticks else 0.0
        # CPU time per transfer (/proc/stat ticks are 10 ms) and the
        # model's own time per transfer at its limit.
        self.cpu_us = r["cpu_busy"] * 1e4 / self.transfers if self.transfers else 0.0
        self.model_us = self.size / self.limit if self.limit else 0.0
        self.sound = (r["errors"] == 0 and r["verified"] == "yes" and
                      r["bytes"] == r["model_bytes"])


def build(rows):
    info = {r["boot"]: r for r in rows if r.get("kind") == "info"}
    ends = {r["boot"]: r for r in rows if r.get("kind") == "end"}
    dma = [Point(r) for r in rows if r.get("kind") == "dma"]
    limit = [Point(r) for r in rows if r.get("kind") == "limit"]
    cpu = {r["size"]: mbs(r["bytes"], r["elapsed_ns"])
           for r in rows if r.get("kind") == "cpu"}
    qos = [r for r in rows if r.get("kind") == "qos"]
    reap = [Point(r) for r in rows if r.get("kind") == "reap"]
    vs = [Point(r) for r in rows if r.get("kind") == "vs"]
    return info, ends, dma, limit, cpu, qos, reap, vs


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return (xs[n // 2] + xs[(n - 1) // 2]) / 2.0 if n else 0.0


def reap_rows(reap):
    """Per size: median transfers/s of each reap budget over its rounds and
    the bounded/unbounded ratio (the median of the rounds' own ratios), the
    default budget being the smaller."""
    rows = []
    for size in sorted({p.size for p in reap}):
        pts = [p for p in reap if p.size == size]
        budgets = sorted({int(p.label[len("budget"):]) for p in pts})
        if len(budgets) != 2:
            continue
        med = {}
        for b in budgets:
            mine = [p for p in pts if p.label == "budget%d" % b]
            med[b] = (median([p.tps for p in mine]), median([p.irq for p in mine]),
                      len(mine), all(p.sound for p in mine), mine[0])
        lo, hi = budgets
        # Round i of one budget ran right beside round i of the other:
        # the ratio of each such pair, then their median, so that the
        # machine's drift over the rounds cancels out.
        pairs = [a.tps / b.tps for a, b in
                 zip([p for p in pts if p.label == "budget%d" % lo],
                     [p for p in pts if p.label == "budget%d" % hi]) if b.tps]
        ratio = median(pairs)
        rows.append({"size": size, "lo": lo, "hi": hi, "med": med, "ratio": ratio,
                     "pairs": pairs,
                     "chans": med[lo][4].chans, "depth": med[lo][4].depth,
                     "batch": med[lo][4].batch})
    return rows


def versus_rows(vs):
    """Per point (channels, size, depth, batch): each driver set's median
    MB/s, interrupts and register accesses per transfer over its rounds,
    and the kernel's/ours throughput ratio: the median of the rounds' own
    ratios (round i of one set ran right beside round i of the other)."""
    rows = []
    keys = sorted({(p.chans, p.size, p.depth, p.batch) for p in vs})
    for key in keys:
        pts = [p for p in vs if (p.chans, p.size, p.depth, p.batch) == key]
        side = {}
        for name in ("ours", "theirs"):
            mine = sorted((p for p in pts if p.label == name), key=lambda p: p.r["round"])
            side[name] = mine
        ours = {p.r["round"]: p for p in side["ours"]}
        theirs = {p.r["round"]: p for p in side["theirs"]}
        pairs = [theirs[r].tps / ours[r].tps for r in sorted(ours)
                 if r in theirs and ours[r].tps]
        rows.append({"chans": key[0], "size": key[1], "depth": key[2], "batch": key[3],
                     "side": side, "pairs": pairs,
                     "ratio": median(pairs) if pairs else None})
    return rows


def versus_table(rows):
    head = ["chans", "size", "depth", "client batch", "rounds", "ours MB/s",
            "theirs MB/s", "theirs/ours (median of rounds)", "ours irq/xfer",
            "theirs irq/xfer", "ours regs/xfer", "theirs regs/xfer",
            "ours with our mgmt", "sound"]
    body = []
    for r in rows:
        o, t = r["side"]["ours"], r["side"]["theirs"]

        def med(pts, f, fmt):
            return fmt % median([f(p) for p in pts]) if pts else "-"
        sound = all(p.sound for p in o + t)
        body.append([str(r["chans"]), human_size(r["size"]), str(r["depth"]),
                     str(r["batch"]), "%d/%d" % (len(o), len(t)),
                     med(o, lambda p: p.mbs, "%.1f"), med(t, lambda p: p.mbs, "%.1f"),
                     "%.3f" % r["ratio"] if r["ratio"] is not None else "-",
                     med(o, lambda p: p.irq, "%.3f"), med(t, lambda p: p.irq, "%.3f"),
                     med(o, lambda p: p.rd + p.wr, "%.3f"),
                     med(t, lambda p: p.rd + p.wr, "%.3f"),
                     "%d/%d" % (len([p for p in o if p.r.get("mgmt", "none") != "none"]),
                                len(o)),
                     "yes" if sound and o and t else "NO"])
    return head, body


def mode(p):
    return "irq each" if p.batch == 1 else "irq 1/%d" % p.batch


def main_table(dma, cpu):
    head = ["chans", "size", "depth", "interrupts", "MB/s", "xfers/s",
            "model MB/s", "driver/model", "irq/xfer", "reads/xfer", "writes/xfer",
            "CPU busy", "CPU us/xfer", "model us/xfer", "vs memcpy"]
    body = []
    for p in dma:
        vs = "%.2fx" % (p.mbs / cpu[p.size]) if p.chans == 1 and cpu.get(p.size) else ""
        body.append([str(p.chans), human_size(p.size), str(p.depth), mode(p),
                     "%.1f" % p.mbs, "%.0f" % p.tps, "%.1f" % p.limit,
                     "%.0f%%" % (100 * p.fraction), "%.3f" % p.irq,
                     "%.3f" % p.rd, "%.3f" % p.wr, "%.0f%%" % (100 * p.cpu), "%.1f" % p.cpu_us, "%.2f" % p.model_us,
                     vs + ("" if p.sound else " UNSOUND")])
    return head, body


def cpu_table(cpu, dma):
    head = ["size", "memcpy MB/s", "best DMA MB/s (1 chan)", "at depth", "DMA/memcpy"]
    body = []
    for size in sorted(cpu):
        pts = [p for p in dma if p.chans == 1 and p.size == size]
        best = max(pts, key=lambda p: p.mbs) if pts else None
        body.append([human_size(size), "%.1f" % cpu[size],
                     "%.1f" % best.mbs if best else "-",
                     "%d, %s" % (best.depth, mode(best)) if best else "-",
                     "%.2fx" % (best.mbs / cpu[size]) if best and cpu[size] else "-"])
    return head, body


def crossover(cpu, dma):
    """Per depth and interrupt mode (one channel): the smallest size from
    which DMA beats memcpy at every larger measured size."""
    out = {}
    for d, b in sorted({(p.depth, p.batch) for p in dma if p.chans == 1}):
        pts = {p.size: p for p in dma if p.chans == 1 and p.batch == b and p.depth == d}
        sizes = sorted(s for s in pts if s in cpu)
        cross = None
        for s in reversed(sizes):
            if pts[s].mbs > cpu[s]:
                cross = s
            else:
                break
        out["depth %d, %s" % (d, "irq each" if b == 1 else "irq 1/%d" % b)] = cross
    return out


def qos_rows(qos):
    """Per setting and channel: expected and measured share."""
    settings = []
    for r in qos:
        if not settings or settings[-1][0] != r["setting"]:
            settings.append((r["setting"], []))
        settings[-1][1].append(r)
    out = []
    for name, chans in settings:
        top = max(c["priority"] for c in chans)
        wsum = sum(c["weight"] for c in chans if c["priority"] == top)
        total = sum(c["bytes"] for c in chans)
        for c in chans:
            exp = c["weight"] / wsum if c["priority"] == top else 0.0
            got = c["bytes"] / total if total else 0.0
            if exp:
                err = got / exp - 1
                ok = abs(err) <= T_QOS_TOLERANCE
            else:
                err = None
                ok = got <= T_QOS_STARVED_SHARE
            rate = c["bytes"] / (c["window_cs"] / 100.0) / 1e6 if c["window_cs"] else 0
            out.append(dict(setting=name, chid=c["chid"], prio=c["priority"],
                            weight=c["weight"], rate=rate, exp=exp, got=got,
                            err=err, ok=ok))
    return out


def verdicts(dma, qos, limit, bw, reap=()):
    v = []

    def worst(pts):
        return min(pts, key=lambda p: p.fraction) if pts else None

    def by_depth(pts):
        """Worst fraction per depth and interrupt mode, as text."""
        parts = []
        for d in sorted({p.depth for p in pts}):
            modes = []
            for b in sorted({p.batch for p in pts if p.depth == d}):
                w = worst([p for p in pts if p.depth == d and p.batch == b])
                modes.append("%.0f%% %s" % (100 * w.fraction, mode(w)))
            parts.append("depth %d: %s" % (d, ", ".join(modes)))
        return "; ".join(parts)

    def target(pts, goal, what):
        w = worst(pts)
        if not w:
            return
        ok = w.fraction >= goal
        v.append((ok, what, "worst %.1f%% (%s, depth %d, %s)%s. By depth: %s" %
                  (100 * w.fraction, human_size(w.size), w.depth, mode(w),
                   "" if ok else ", missed by %.1f points" % (100 * (goal - w.fraction)),
                   by_depth(pts))))

    # Depth 32 and more; a size never measured that deep (4 MiB: the
    # in-flight cap) counts at the deepest queue measured for it.
    one = [p for p in dma if p.chans == 1]
    deepest = {}
    for p in one:
        deepest[p.size] = max(deepest.get(p.size, 0), p.depth)
    big = [p for p in one if p.size >= T_BIG_SIZE and
           p.depth >= min(T_DEPTH, deepest[p.size])]
    target(big, T_BIG_FRACTION,
           ">= 64 KiB, 1 channel, depth >= %d: driver >= %d%% of the model's limit"
           % (T_DEPTH, 100 * T_BIG_FRACTION))
    shallow = [p for p in one if p.size >= T_BIG_SIZE and p.depth < T_DEPTH]
    if shallow:
        v.append((None, "(for reference) >= 64 KiB, 1 channel, depth < %d" % T_DEPTH,
                  by_depth(shallow) + " (few transfers in flight leave the engine idle "
                  "from a completion to the next submission)"))
    small = [p for p in one if p.size == T_4K_SIZE and p.depth >= T_DEPTH]
    target(small, T_4K_FRACTION,
           "4 KiB, 1 channel, depth >= %d: driver >= %d%% of the model's limit"
           % (T_DEPTH, 100 * T_4K_FRACTION))
    batched = [p for p in dma if p.batch == T_IRQ_BATCH]
    if batched:
        w = max(batched, key=lambda p: p.irq)
        ok = w.irq <= T_IRQ_PER_XFER
        v.append((ok, "one interrupt per batch of %d: <= %.2f interrupts per transfer"
                  % (T_IRQ_BATCH, T_IRQ_PER_XFER),
                  "worst %.4f (%d chan, %s, depth %d)%s" %
                  (w.irq, w.chans, human_size(w.size), w.depth,
                   "" if ok else ": missed by %.4f" % (w.irq - T_IRQ_PER_XFER))))
    regs = [p for p in dma if p.batch == T_IRQ_BATCH and p.depth >= T_REG_DEPTH]
    if regs:
        w = max(regs, key=lambda p: p.rd + p.wr)
        ok = w.rd + w.wr <= T_REG_PER_XFER
        v.append((ok, "register accesses, depth >= %d, one interrupt per %d: <= %.2f per transfer"
                  % (T_REG_DEPTH, T_IRQ_BATCH, T_REG_PER_XFER),
                  "worst %.3f (%.3f reads, %.3f writes; %d chan, %s, depth %d)%s" %
                  (w.rd + w.wr, w.rd, w.wr, w.chans, human_size(w.size), w.depth,
                   "" if ok else ": missed by %.3f" % (w.rd + w.wr - T_REG_PER_XFER))))
    if qos:
        bad = [q for q in qos if not q["ok"]]
        errs = [abs(q["err"]) for q in qos if q["err"] is not None]
        starved = [q["got"] for q in qos if q["err"] is None]
        detail = "largest ratio error %.1f%%" % (100 * max(errs)) if errs else ""
        if starved:
            detail += ", starved channels got at most %.2f%% of the bytes" % (100 * max(starved))
        if bad:
            detail += "; missed: " + ", ".join(
                "%s chan %d (%.1f%% vs %.1f%%)" % (q["setting"], q["chid"],
                                                   100 * q["got"], 100 * q["exp"])
                for q in bad)
        v.append((not bad, "QoS: shares within %d%% of the weights; lower priority starves "
                  "(<= %d%% of the bytes)" % (100 * T_QOS_TOLERANCE,
                                              100 * T_QOS_STARVED_SHARE), detail))
    for r in reap:
        ok = r["ratio"] >= T_REAP_RATIO and r["med"][r["lo"]][3] and r["med"][r["hi"]][3]
        v.append((ok, "bounded reaping (reap_budget %d) against the whole ring in the hard "
                  "interrupt (%d), %s, %d chans, depth %d, %s: throughput ratio >= %.2f" %
                  (r["lo"], r["hi"], human_size(r["size"]), r["chans"], r["depth"],
                   mode(r["med"][r["lo"]][4]), T_REAP_RATIO),
                  "%.3f, the median of %d rounds run side by side in one boot "
                  "(round ratios %s; median transfers/s %.0f against %.0f)" %
                  (r["ratio"], len(r["pairs"]),
                   " ".join("%.3f" % x for x in r["pairs"]),
                   r["med"][r["lo"]][0], r["med"][r["hi"]][0])))
    for p in limit:
        if bw:
            v.append((None, "(method check) bandwidth-limited model, %s depth %d"
                      % (human_size(p.size), p.depth),
                      "bytes / busy time = %.2f MB/s against the configured %.2f MB/s "
                      "(%.1f%%); driver kept it busy %.1f%% of the time" %
                      (p.limit, bw / 1e6, 100 * p.limit * 1e6 / bw, 100 * p.fraction)))
    return v


def fmt_text(head, body):
    w = [max(len(x) for x in col) for col in zip(head, *body)]
    lines = ["  ".join(h.rjust(n) for h, n in zip(head, w)),
             "  ".join("-" * n for n in w)]
    lines += ["  ".join(c.rjust(n) for c, n in zip(row, w)) for row in body]
    return "\n".join(lines)


def fmt_md(head, body):
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---:" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def plot(path, dma, cpu, qos, meta):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(2, 2, figsize=(14, 10))
    title = "HIDMA benchmark - virtual platform numbers (QEMU model, TCG)"
    if meta.get("date"):
        title += "\n%s, commit %s" % (meta["date"], meta.get("commit", "?"))
    fig.suptitle(title)
    sizes = sorted(cpu)
    for i, chans in enumerate((1, max([p.chans for p in dma] or [1]))):
        a = ax[0][i]
        if chans == 1:
            a.plot(sizes, [cpu[s] for s in sizes], "k-o", label="CPU memcpy (1 CPU)")
        for d in sorted({p.depth for p in dma}):
            for batch, style in ((1, "-"), (T_IRQ_BATCH, ":")):
                pts = sorted((p for p in dma if p.chans == chans and p.depth == d and
                              p.batch == batch), key=lambda p: p.size)
                if pts:
                    a.plot([p.size for p in pts], [p.mbs for p in pts], style, marker=".",
                           label="DMA depth %d, %s" % (d, "irq each" if batch == 1
                                                      else "irq 1/%d" % batch))
        pts = {}
        for p in dma:
            if p.chans == chans and p.fraction > 0.5:
                pts[p.size] = max(pts.get(p.size, 0), p.limit)
        if pts:
            s = sorted(pts)
            a.plot(s, [pts[x] for x in s], "r--", lw=2, label="model limit (bytes / busy time)")
        a.set_xscale("log", base=2)
        a.set_yscale("log")
        a.set_xlabel("transfer size (bytes)")
        a.set_ylabel("MB/s")
        a.set_title("throughput, %d channel%s" % (chans, "" if chans == 1 else "s"))
        a.grid(True, which="both", alpha=0.3)
        a.legend(fontsize=7, ncol=2)

    a = ax[1][0]
    for d in sorted({p.depth for p in dma}):
        for batch, style in ((1, "-"), (T_IRQ_BATCH, ":")):
            pts = sorted((p for p in dma if p.chans == 1 and p.depth == d and p.batch == batch),
                         key=lambda p: p.size)
            if pts:
                a.plot([p.size for p in pts], [100 * p.fraction for p in pts], style,
                       marker=".", label="depth %d, %s" % (d, "irq each" if batch == 1
                                                          else "irq 1/%d" % batch))
    a.axhline(100 * T_BIG_FRACTION, color="r", ls="--", lw=1)
    a.axhline(100 * T_4K_FRACTION, color="orange", ls="--", lw=1)
    a.axvline(T_BIG_SIZE, color="r", ls=":", lw=1)
    a.set_xscale("log", base=2)
    a.set_ylim(0, 105)
    a.set_xlabel("transfer size (bytes)")
    a.set_ylabel("driver / model limit (%) = busy / elapsed")
    a.set_title("share of the model's limit the driver uses, 1 channel")
    a.grid(True, alpha=0.3)
    a.legend(fontsize=7, ncol=2)

    a = ax[1][1]
    if qos:
        labels = ["%s\nch%d p%d w%d" % (q["setting"], q["chid"], q["prio"], q["weight"])
                  for q in qos]
        x = range(len(qos))
        a.bar([i - 0.2 for i in x], [100 * q["exp"] for q in qos], 0.4, label="expected")
        a.bar([i + 0.2 for i in x], [100 * q["got"] for q in qos], 0.4, label="measured")
        a.set_xticks(list(x))
        a.set_xticklabels(labels, rotation=90, fontsize=6)
        a.set_ylabel("share of the engine (%)")
        a.set_title("QoS under contention (bandwidth-limited model)")
        a.legend(fontsize=8)
    else:
        a.set_title("QoS: not measured")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 1
    rows = parse(argv[1])
    outdir = argv[2]
    meta = dict(a.split("=", 1) for a in argv[3:] if "=" in a)
    info, ends, dma, limit, cpu, qos_raw, reap_raw, vs = build(rows)
    if (not dma or not cpu) and not vs:
        sys.stderr.write("report.py: no DMA or CPU measurements in %s\n" % argv[1])
        return 1
    qos = qos_rows(qos_raw)
    bw = info.get("qos", {}).get("bandwidth", 0)
    sweep = info.get("sweep", {})

    text, md = [], []

    def both(t, m=None):
        text.append(t)
        md.append(t if m is None else m)

    both("HIDMA benchmark - virtual platform numbers",
         "# HIDMA benchmark - virtual platform numbers")
    both("")
    if sweep:
        desc = ("QEMU model of the engine under TCG (%s vCPUs, kernel %s, bench "
                "kernel without debug options), %s channels with %s descriptors each, "
                "channel 0 on %s interrupts; sweep on the unlimited model, %d ms per point; "
                "QoS on the model limited to %.1f MB/s." %
                (sweep.get("cpus", "?"), sweep.get("kernel", "?"), sweep.get("channels", "?"),
                 sweep.get("descriptors", "?"), sweep.get("interrupts", "?"),
                 sweep.get("point_ms", 0), bw / 1e6))
        both(desc)
    vsinfo = info.get("versus", {})
    if vsinfo:
        both("Our drivers against the kernel's own (hdma_mgmt, hdma), ACPI host, "
             "kernel %s, %s vCPUs, %s channels, both drivers with %s descriptors per "
             "channel, %d ms per point, %s rounds alternating, unlimited model." %
             (vsinfo.get("kernel", "?"), vsinfo.get("cpus", "?"),
              vsinfo.get("channels", "?"), vsinfo.get("descriptors", "?"),
              vsinfo.get("point_ms", 0), vsinfo.get("rounds", "?")))
    labels = ", ".join("%s %s" % (k, v) for k, v in meta.items())
    if labels:
        both(labels)
    both("Guest time: " + ", ".join("%s %s s" % (k, v.get("seconds", "?"))
                                    for k, v in ends.items()))
    both("")

    reap = reap_rows(reap_raw)
    if dma and cpu:
        both("Targets", "## Targets")
        both("")
        for ok, what, detail in verdicts(dma, qos, limit, bw, reap):
            tag = "info" if ok is None else ("MET" if ok else "MISSED")
            both("  [%s] %s: %s" % (tag, what, detail), "- **%s** %s: %s" % (tag, what, detail))
        both("")

        both("Crossover (1 channel): DMA beats memcpy from",
             "## Crossover\n\nOne channel: DMA beats memcpy from")
        for d, s in crossover(cpu, dma).items():
            both("  %-20s %s" % (d + ":", human_size(s) if s else "never (in the sizes measured)"),
                 "- %s: %s" % (d, human_size(s) if s else "never (in the sizes measured)"))
        both("")

        h, b = cpu_table(cpu, dma)
        both("CPU memcpy against the best DMA run of the same size",
             "## CPU memcpy against the best DMA run of the same size")
        both("")
        text.append(fmt_text(h, b))
        md.append(fmt_md(h, b))
        both("")

        h, b = main_table(dma, cpu)
        both("All DMA runs (MB/s = 10^6 bytes/s over the run's elapsed time; model MB/s = "
             "bytes / busy time from the model's statistics; driver/model = busy / elapsed)",
             "## All DMA runs\n\nMB/s = 10^6 bytes/s over the run's elapsed time; model MB/s = "
             "bytes / busy time from the model's statistics; driver/model = busy / elapsed.")
        both("")
        text.append(fmt_text(h, b))
        md.append(fmt_md(h, b))
        both("")

    if reap:
        both("Reap budget side by side (alternating rounds, one boot)",
             "## Reap budget side by side\n\nAlternating rounds, one boot.")
        both("")
        h = ["size", "chans", "depth", "interrupts", "budget", "rounds", "xfers/s (median)",
             "irq/xfer", "ratio (median of rounds)"]
        b = []
        for r in reap:
            for bud in (r["lo"], r["hi"]):
                m = r["med"][bud]
                b.append([human_size(r["size"]), str(r["chans"]), str(r["depth"]),
                          mode(m[4]), str(bud), str(m[2]), "%.0f" % m[0], "%.4f" % m[1],
                          "%.3f" % r["ratio"] if bud == r["lo"] else ""])
        text.append(fmt_text(h, b))
        md.append(fmt_md(h, b))
        both("")

    versus = versus_rows(vs)
    if versus:
        both("Our drivers against the kernel's own, side by side (alternating rounds, one "
             "boot, same kernel, model and client; theirs/ours < 1: the kernel's is slower)",
             "## Our drivers against the kernel's own\n\nAlternating rounds, one boot, "
             "same kernel, model and client; theirs/ours < 1: the kernel's is slower. "
             "regs/xfer: register reads + writes per transfer (the model's counters). "
             "ours with our mgmt: our rounds in which our hidma_mgmt was bound (after the "
             "kernel's hdma_mgmt has been unbound it cannot be: see benchmark.rst).")
        both("")
        h, b = versus_table(versus)
        text.append(fmt_text(h, b))
        md.append(fmt_md(h, b))
        both("")

    if qos:
        both("QoS: %d KiB transfers, depth %s per channel, bandwidth %.1f MB/s, window %s s" %
             (info["qos"].get("size", 0) // 1024, info["qos"].get("depth", "?"), bw / 1e6,
              info["qos"].get("window_s", "?")),
             "## QoS\n\n%d KiB transfers, depth %s per channel, bandwidth %.1f MB/s, "
             "window %s s." % (info["qos"].get("size", 0) // 1024,
                               info["qos"].get("depth", "?"), bw / 1e6,
                               info["qos"].get("window_s", "?")))
        both("")
        h = ["setting", "chan", "priority", "weight", "MB/s", "expected share",
             "measured share", "error", "within target"]
        b = [[q["setting"], str(q["chid"]), str(q["prio"]), str(q["weight"]),
              "%.2f" % q["rate"], "%.1f%%" % (100 * q["exp"]), "%.1f%%" % (100 * q["got"]),
              "%+.1f%%" % (100 * q["err"]) if q["err"] is not None else "starved",
              "yes" if q["ok"] else "NO"] for q in qos]
        text.append(fmt_text(h, b))
        md.append(fmt_md(h, b))
        both("")

    with open(outdir + "/table.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(text) + "\n")
    with open(outdir + "/table.md", "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    if dma and cpu:
        plot(outdir + "/bench.png", dma, cpu, qos, meta)
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
