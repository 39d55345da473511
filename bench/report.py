#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the raw data of scripts/bench.sh into bench/results.md and charts.

Input, in DATA: meta.txt, and for each boot (icount-patched, icount-vanilla,
wall-patched, wall-vanilla) a directory holding cost.txt (LABEL BENCH ROUND
M-OPS/S), and for the patched boots lat-irqon.txt, lat-irqoff.txt (abort
latency samples, ns), latency.txt and wakeups.txt.
"""
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DATA, OUT = sys.argv[1], sys.argv[2]
CLOCKS = [("icount", "icount: guest instructions (1 ns = 1 instruction), repeatable"),
          ("wall", "wall clock: plain TCG on the shared host, noisy")]
PAIRS = ("wd-task-pair", "wd-task-held", "wd-spin-pair", "wd-rcu-pair")


def target(bench):
    """The issue's target for BENCH: (kind, value) or None."""
    if bench.startswith("trig-") or bench == "wd-test-run":
        return ("ratio", 0.99)
    if bench == "bpf-for":
        return ("ratio", 0.95)
    if bench == "wd-may-goto":
        return ("ratio", 0.98)
    if bench in PAIRS:
        return ("extra-ns", 5.0)
    return None


def load_cost(clock):
    """{(label, bench): [M ops/s, ...]} over both boots of CLOCK."""
    res, order = {}, []
    for kernel in ("vanilla", "patched"):
        path = os.path.join(DATA, f"{clock}-{kernel}", "cost.txt")
        if not os.path.exists(path):
            continue
        for line in open(path):
            f = line.split()
            if len(f) != 4 or f[3] == "nan":
                continue
            label, bench, _, v = f
            if bench not in order:
                order.append(bench)
            res.setdefault((label, bench), []).append(float(v))
    return res, order


def med(vals):
    return statistics.median(vals) if vals else None


def spread(vals):
    """Spread of VALS around their median, in percent (max - min)."""
    m = med(vals)
    return 100.0 * (max(vals) - min(vals)) / m if vals and m else None


def fmt(v, nd=3):
    return "n/a" if v is None else f"{v:.{nd}f}"


def cost_table(clock, res, order, md):
    md.append("| benchmark | vanilla M/s | off M/s | enforce M/s | off / vanilla"
              " | enforce / vanilla | enforce / off | target | met"
              " | framed / vanilla |")
    md.append("|---|---|---|---|---|---|---|---|---|---|")
    ratios = {}
    for b in order:
        van, off, enf, frm = (res.get((lab, b), [])
                              for lab in ("vanilla", "off", "enforce", "framed"))
        mv, mo, me, mf = med(van), med(off), med(enf), med(frm)

        def cell(vals, m):
            return f"{fmt(m)} ±{fmt(spread(vals), 1)}%" if m else "n/a"

        r_ov = mo / mv if mo and mv else None
        r_ev = me / mv if me and mv else None
        r_eo = me / mo if me and mo else None
        ratios[b] = (r_ov, r_ev)
        t = target(b) if clock == "icount" else None
        tcell, met = ("not judged: noise", "") if clock != "icount" and target(b) else ("", "")
        if t and t[0] == "ratio":
            tcell = f"≥ {t[1]:.2f} of vanilla"
            met = "n/a" if r_ev is None else ("yes" if r_ev >= t[1] else "**no**")
        elif t and t[0] == "extra-ns":
            extra = 1000.0 / me - 1000.0 / mv if me and mv else None
            tcell = f"≤ {t[1]:.0f} ns extra per pair"
            met = "n/a" if extra is None else (
                f"{extra:+.1f} ns/pair: " + ("yes" if extra <= t[1] else "**no**"))
        r_fv = mf / mv if mf and mv else None
        md.append(f"| {b} | {cell(van, mv)} | {cell(off, mo)} | {cell(enf, me)} | "
                  f"{fmt(r_ov)} | {fmt(r_ev)} | {fmt(r_eo)} | {tcell} | {met} | "
                  f"{fmt(r_fv) if mf else ''} |")
    return ratios


def pair_table(res, md):
    md.append("| pair | vanilla ns/pair | off ns/pair | enforce ns/pair | enforce - vanilla |")
    md.append("|---|---|---|---|---|")
    for b in PAIRS:
        v = [med(res.get((lab, b), [])) for lab in ("vanilla", "off", "enforce")]
        ns = [1000.0 / x if x else None for x in v]
        extra = ns[2] - ns[0] if ns[2] is not None and ns[0] is not None else None
        md.append(f"| {b} | {fmt(ns[0], 1)} | {fmt(ns[1], 1)} | {fmt(ns[2], 1)} | "
                  f"{'n/a' if extra is None else f'{extra:+.1f}'} |")


def load_lat(clock, kind):
    path = os.path.join(DATA, f"{clock}-patched", f"lat-{kind}.txt")
    if not os.path.exists(path):
        return []
    return sorted(int(x) / 1000.0 for x in open(path) if x.strip())


def pct(v, p):
    return v[min(len(v) - 1, int(len(v) * p))]


def main():
    md = ["# BPF watchdog benchmarks", ""]
    md.append("Written by `make bench` (scripts/bench.sh, bench/report.py); do not edit.")
    md.append("")
    meta = os.path.join(DATA, "meta.txt")
    if os.path.exists(meta):
        md += [f"- {line.rstrip()}" for line in open(meta)]
        md.append("")
    md.append("Each cost figure is the median of its rounds, with the spread (max - min)"
              " in percent; ops are what the benchmark counts (trigger hits, runs,"
              " loop iterations, acquire/release pairs).  *off* and *enforce* are the"
              " watchdog's `mode` sysctl in one boot of the patched kernel, *vanilla*"
              " the same config without the series; *framed* is enforce with a"
              " program whose runs get a run frame loaded alongside (the trigger"
              " benchmarks' own programs get none, and while no program has one,"
              " the test of `bpf_wd_framed_progs` is a no-op).  The empty `bpf_for` and"
              " `bpf_loop` loops are upstream's `bpf-for` and `bpf-loop`; the `wd-*`"
              " cases are ours (`benchs/bench_watchdog.c`).")
    md.append("")
    md.append("Targets are judged on the icount figures only: the wall-clock ones move"
              " by tens of percent between rounds of the same command (the host's two"
              " cores are shared by other guests and builds), so a ratio of 2 or 0.5"
              " there is noise.  In the abort"
              " latency, a wall-clock tail of milliseconds is the guest's vCPU thread"
              " waiting for a host core, which the guest's clock counts.")
    md.append("")

    all_ratios = {}
    for clock, title in CLOCKS:
        res, order = load_cost(clock)
        if not res:
            continue
        md += [f"## Cost, {title}", ""]
        all_ratios[clock] = (order, cost_table(clock, res, order, md))
        md.append("")
        md.append("Acquire/release pairs, as time per pair (a pair plus an eighth of"
                  " a `bpf_for` iteration; `wd-task-held`: a pair plus a whole one, the"
                  " reference being held across the loop's next, so recorded; the"
                  " others are not recorded, no cancellation point lies between"
                  " acquire and release):")
        md.append("")
        pair_table(res, md)
        md.append("")

    md += ["## Abort latency", ""]
    md.append("From a run's deadline (its stamp plus its budget) to the return of"
              " `BPF_PROG_TEST_RUN`, over every kill of the `wd-abort-latency` runs"
              " after the warm-up (a runaway with a 1 ms budget, killed again and"
              " again, quarantine off); the watchdog period is a quarter budget,"
              " 250 us, so the target is p99 ≤ 300 us with IRQs on.  With IRQs off"
              " the timer cannot interrupt the run, and the countdown's clock check"
              " every 4096 cancellation points stops it.  The first 10 kills per"
              " 5 s also write the stream and log reports (stack dump included),"
              " the others only the tracepoint.")
    md.append("")
    md.append("| clock | IRQs | kills | min | p50 | p90 | p99 | max | target | met |")
    md.append("|---|---|---|---|---|---|---|---|---|---|")
    lats = {}
    for clock, _ in CLOCKS:
        for kind in ("irqon", "irqoff"):
            v = load_lat(clock, kind)
            if not v:
                continue
            lats[(clock, kind)] = v
            p99 = pct(v, 0.99)
            if clock != "icount":
                tg, met = "not judged: host noise", "-"
            elif kind == "irqon":
                tg, met = "p99 ≤ 300 us", "yes" if p99 <= 300 else "**no**"
            else:
                tg, met = "stated bound", "-"
            md.append(f"| {clock} | {'on' if kind == 'irqon' else 'off'} | {len(v)} | "
                      f"{v[0]:.1f} | {pct(v, 0.5):.1f} | {pct(v, 0.9):.1f} | {p99:.1f} | "
                      f"{v[-1]:.1f} | {tg} | {met} |")
    md.append("")

    md += ["## Watchdog timer wake-ups", ""]
    md.append("`hrtimer_expire_entry` events of the watchdog's timer on all CPUs:"
              " idle machine; a CPU running short programs back to back"
              " (`trig-rawtp`: no cancellation point, the timer is never armed);"
              " a CPU running long ones (`wd-iter-body`, 2M iterations per run,"
              " syscall budget, so one wake-up per quarter budget while it runs).")
    md.append("")
    md.append("| clock | scenario | seconds | wake-ups | per second |")
    md.append("|---|---|---|---|---|")
    for clock, _ in CLOCKS:
        path = os.path.join(DATA, f"{clock}-patched", "wakeups.txt")
        if not os.path.exists(path):
            continue
        for line in open(path):
            f = line.split()
            if len(f) == 3:
                md.append(f"| {clock} | {f[0]} | {f[1]} | {f[2]} | "
                          f"{int(f[2]) / float(f[1]):.1f} |")
            elif len(f) == 2:
                md.append(f"| {clock} | ({f[0]} = {f[1]}) | | | |")
    md.append("")

    # Charts.
    if all_ratios:
        fig, axes = plt.subplots(1, len(all_ratios), figsize=(7 * len(all_ratios), 6),
                                 squeeze=False)
        for ax, (clock, (order, ratios)) in zip(axes[0], all_ratios.items()):
            ys = range(len(order))
            off = [ratios[b][0] or 0 for b in order]
            enf = [ratios[b][1] or 0 for b in order]
            ax.barh([y + 0.2 for y in ys], off, height=0.4, label="mode off")
            ax.barh([y - 0.2 for y in ys], enf, height=0.4, label="mode enforce")
            ax.axvline(1.0, color="black", linewidth=0.8)
            ax.axvline(0.99, color="red", linewidth=0.8, linestyle="--", label="0.99")
            ax.set_yticks(list(ys))
            ax.set_yticklabels(order)
            ax.invert_yaxis()
            lo = min([x for x in off + enf if x] + [0.9])
            ax.set_xlim(max(0.0, lo - 0.05), max(off + enf + [1.0]) + 0.05)
            ax.set_xlabel("throughput / vanilla")
            ax.set_title(f"watchdog cost, {clock}")
            ax.legend(loc="lower right")
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "overhead.png"), dpi=100)
        md.insert(md.index("## Abort latency"), "![overhead](overhead.png)\n")
    if lats:
        fig, ax = plt.subplots(figsize=(8, 5))
        for (clock, kind), v in sorted(lats.items()):
            n = len(v)
            ax.plot(v, [(i + 1) / n for i in range(n)],
                    label=f"{clock}, IRQs {'on' if kind == 'irqon' else 'off'} ({n} kills)")
        ax.axvline(300, color="red", linewidth=0.8, linestyle="--",
                   label="target: period + 50 us")
        ax.set_xscale("log")
        ax.set_xlabel("deadline to return, us (log)")
        ax.set_ylabel("fraction of kills")
        ax.set_title("abort latency, 1 ms budget")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(loc="lower right")
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "abort-latency-cdf.png"), dpi=100)
        md.insert(md.index("## Watchdog timer wake-ups"), "![abort latency](abort-latency-cdf.png)\n")

    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")


main()
