#!/usr/bin/env python3
"""Turns the LOAD_JSON lines bench/remote.sh collected into bench/results/remote.{json,md} and remote.svg.

Each line is one phase of the load mode: one door, one workload, one target (the proxy or the direct path), closed
loop at saturation or open loop at a fixed rate. The report pairs proxy and direct per door and workload and
computes proxy / direct ratios: throughput at saturation, and p50/p90/p99/p99.9 at the same open-loop rate, next to
the goals of issue 22. `remote_report.py show` prints lines read on stdin, one per phase, as the script goes.
"""
import argparse
import datetime
from xml.sax.saxutils import escape
import json
import math
import os
import platform
import subprocess
import sys

# (metric, label, goal, True when the ratio must be at least the goal, False when at most)
GOALS = [
    ("throughput", "throughput at saturation", 3.0, True),
    ("p50", "p50 latency at the same rate", 0.25, False),
    ("p90", "p90 latency", 0.25, False),
    ("p99", "p99 latency", 1.05, False),
    ("p999", "p99.9 latency", None, False),
]
DOORS = {"resp": "RESP", "http": "HTTP"}


def show(stream):
    for line in stream:
        if not line.strip():
            continue
        r = json.loads(line)
        hits = f' hits {r["hit_ratio"]:.3f}' if "hit_ratio" in r else ""
        cpu = " ".join(f"{k} {v}" for k, v in r.get("cpu_us_per_request", {}).items())
        print(f'   {r["mode"]:6} {r["target"]:6} {r["achieved_rate"]:>9,.0f} req/s  p50 {r["p50_ms"]:.3f}  p90 {r["p90_ms"]:.3f}  '
              f'p99 {r["p99_ms"]:.3f}  p99.9 {r["p999_ms"]:.3f}  max {r["max_ms"]:.3f} ms  errors {r["errors"]}, unanswered {r["unanswered"]}{hits}; CPU µs/req: {cpu}')


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    memory_kb = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(memory_kb / 1048576, 1),
            "kernel": platform.release(), "dotnet_sdk": dotnet, "load_average_at_end": os.getloadavg()[0]}


def ratio(proxy, direct):
    return round(proxy / direct, 3) if direct else None


def met(value, goal, at_least):
    if value is None or goal is None:
        return None
    return value >= goal if at_least else value <= goal


def rows_from(raw):
    phases = {}
    with open(raw) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                phases[(r["door"], r["value_bytes"], r["write_percent"], r["mode"], r["target"])] = r
    rows = []
    for door in DOORS:
        workloads = sorted({(k[1], k[2]) for k in phases if k[0] == door}, key=lambda w: (w[0], -w[1]))
        for size, writes in workloads:
            get = lambda mode, target: phases.get((door, size, writes, mode, target))
            sat_p, sat_d, open_p, open_d = get("closed", "proxy"), get("closed", "direct"), get("open", "proxy"), get("open", "direct")
            if not all((sat_p, sat_d, open_p, open_d)):
                continue
            ratios = {"throughput": ratio(sat_p["achieved_rate"], sat_d["achieved_rate"])}
            for p in ("p50", "p90", "p99", "p999"):
                ratios[p] = ratio(open_p[f"{p}_ms"], open_d[f"{p}_ms"])
            rows.append({
                "door": door, "value_bytes": size, "write_percent": writes,
                "saturation": {"proxy": sat_p, "direct": sat_d}, "open": {"proxy": open_p, "direct": open_d},
                "ratios": ratios,
                "met": {metric: met(ratios[metric], goal, at_least) for metric, _, goal, at_least in GOALS},
            })
    return rows


def workload_label(row):
    return f'{DOORS[row["door"]]}, {row["value_bytes"]} B, {100 - row["write_percent"]}/{row["write_percent"]}'


def svg(rows, path, delay_ms):
    """Per workload, proxy / direct for throughput and p50/p90/p99 on a log scale, the goal as a black tick."""
    width, left, bar, gap, top = 900, 190, 13, 3, 50
    lo, hi = 0.05, 10.0
    span = 560

    def x(value):
        return left + (math.log10(min(max(value, lo), hi)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * span

    metrics = [g for g in GOALS if g[2] is not None]
    block = 18 + len(metrics) * (bar + gap) + 8
    height = top + block * len(rows) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="20" font-size="15" font-weight="bold">RedisProxy / direct path, Redis {delay_ms} ms away each way, same run</text>',
           '<text x="10" y="38" fill="#444">throughput: higher is better (goal 3x); latency at the same open-loop rate: lower is better (goals 0.25x, 1.05x)</text>']
    for tick in (0.1, 0.25, 0.5, 1, 2, 3, 5, 10):
        out.append(f'<line x1="{x(tick):.0f}" y1="{top - 4}" x2="{x(tick):.0f}" y2="{height - 24}" stroke="#ddd"/>')
        out.append(f'<text x="{x(tick):.0f}" y="{height - 8}" text-anchor="middle" fill="#666">{tick:g}x</text>')
    for n, row in enumerate(rows):
        y = top + n * block
        out.append(f'<text x="10" y="{y + 12}" font-weight="bold">{escape(workload_label(row))}</text>')
        for m, (metric, label, goal, at_least) in enumerate(metrics):
            by = y + 18 + m * (bar + gap)
            value = row["ratios"][metric]
            out.append(f'<text x="{left - 6}" y="{by + 10}" text-anchor="end" fill="#444">{escape(label.split(" at ")[0])}</text>')
            if value is None:
                continue
            colour = "#2e7d32" if row["met"][metric] else "#c62828"
            start, end = sorted((x(1.0), x(value)))
            out.append(f'<rect x="{start:.0f}" y="{by}" width="{max(end - start, 1):.0f}" height="{bar}" fill="{colour}"/>')
            out.append(f'<line x1="{x(goal):.0f}" y1="{by - 1}" x2="{x(goal):.0f}" y2="{by + bar + 1}" stroke="black" stroke-width="2"/>')
            out.append(f'<text x="{left + span + 8}" y="{by + 10}">{value:.2f}x ({"≥" if at_least else "≤"} {goal:g}x)</text>')
    out.append(f'<line x1="{x(1):.0f}" y1="{top - 4}" x2="{x(1):.0f}" y2="{height - 24}" stroke="#888"/>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def yes_no(value):
    return "—" if value is None else "yes" if value else "no"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "show":
        show(sys.stdin)
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("raw")
    parser.add_argument("results")
    for name in ("--delay-ms", "--seconds", "--warmup-seconds", "--rate-fraction", "--load-before"):
        parser.add_argument(name, type=float)
    for name in ("--connections", "--open-connections", "--keys", "--capacity", "--max-concurrent"):
        parser.add_argument(name, type=int)
    parser.add_argument("--hop", default="netem")
    args = parser.parse_args()

    rows = rows_from(args.raw)
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {"delay_ms_each_way": args.delay_ms, "hop": args.hop, "seconds": args.seconds, "warm_up_seconds": args.warmup_seconds,
                     "closed_loop_connections": args.connections, "open_loop_connections": args.open_connections,
                     "open_loop_rate_fraction_of_direct_saturation": args.rate_fraction, "keys_per_value_size": args.keys,
                     "zipf_exponent": 0.99, "cache_capacity": args.capacity, "max_concurrent_requests": args.max_concurrent,
                     "load_average_before": args.load_before},
        "goals": [{"metric": m, "label": l, "goal": g, "at_least": a} for m, l, g, a in GOALS],
        "workloads": rows,
    }
    with open(os.path.join(args.results, "remote.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")

    throughput = ["| Door, values, reads/writes | Proxy req/s | Direct req/s | Ratio (goal ≥ 3x) | Met | Proxy hit ratio | Errors |",
                  "|---|--:|--:|--:|---|--:|--:|"]
    latency = ["| Door, values, reads/writes | Rate req/s | p50 ms proxy / direct | p90 ms | p99 ms | p99.9 ms | p50 ratio (≤ 0.25x) | p90 ratio (≤ 0.25x) | p99 ratio (≤ 1.05x) | p99.9 ratio | Proxy hit ratio | Errors |",
               "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row in rows:
        sat, opened, r, ok = row["saturation"], row["open"], row["ratios"], row["met"]
        errors = lambda phase: sum(phase[t]["errors"] + phase[t]["unanswered"] for t in ("proxy", "direct"))
        throughput.append(f'| {workload_label(row)} | {sat["proxy"]["achieved_rate"]:,.0f} | {sat["direct"]["achieved_rate"]:,.0f} | '
                          f'**{r["throughput"]:.2f}x** | {yes_no(ok["throughput"])} | {sat["proxy"].get("hit_ratio", float("nan")):.3f} | {errors(sat)} |')
        cells = [f'{opened["proxy"][f"{p}_ms"]:.3f} / {opened["direct"][f"{p}_ms"]:.3f}' for p in ("p50", "p90", "p99", "p999")]
        verdicts = [f'**{r[p]:.2f}x** {yes_no(ok[p])}' for p in ("p50", "p90", "p99")]
        latency.append(f'| {workload_label(row)} | {opened["proxy"]["requested_rate"]:,.0f} | {" | ".join(cells)} | {" | ".join(verdicts)} | '
                       f'{r["p999"]:.2f}x | {opened["proxy"].get("hit_ratio", float("nan")):.3f} | {errors(opened)} |')

    # Where the CPU goes at the open-loop rate: microseconds of each process per request, proxy path / direct path.
    processes = ["proxy", "baseline", "redis", "relay", "generator"]
    cpu = ["| Door, values, reads/writes | " + " | ".join(f"{p} µs/req proxy path / direct path" for p in processes) + " |",
           "|---|" + "--:|" * len(processes)]
    for row in rows:
        cells = []
        for process in processes:
            values = [row["open"][t].get("cpu_us_per_request", {}).get(process) for t in ("proxy", "direct")]
            cells.append(" / ".join("—" if v is None or v != v else f"{v:.1f}" for v in values))
        cpu.append(f"| {workload_label(row)} | " + " | ".join(cells) + " |")

    summary = ["| Goal | " + " | ".join(DOORS.values()) + " |", "|---|" + "---|" * len(DOORS)]
    for metric, label, goal, at_least in GOALS:
        if goal is None:
            continue
        cells = []
        for door in DOORS:
            door_rows = [row for row in rows if row["door"] == door]
            hits = sum(1 for row in door_rows if row["met"][metric])
            cells.append(f"met in {hits} of {len(door_rows)} workloads")
        summary.append(f'| {label} {"≥" if at_least else "≤"} {goal:g}x direct | ' + " | ".join(cells) + " |")

    m = report["machine"]
    hop = ("tc netem on both ends of the veth" if args.hop == "netem"
           else "a delaying TCP relay in Redis's namespace (this kernel has no netem qdisc)")
    header = (f'Measured {report["date"]} on {m["cores"]} x {m["cpu"]}, {m["memory_gib"]} GiB, .NET SDK {m["dotnet_sdk"]}, '
              f'kernel {m["kernel"]}; Redis {args.delay_ms:g} ms away each way ({hop}); '
              f'{args.keys:,} keys per value size, Zipf s = 0.99, CACHE_CAPACITY={args.capacity:,}, MAX_CONCURRENT_REQUESTS={args.max_concurrent}; '
              f'each phase {args.warmup_seconds:g} s warm-up then {args.seconds:g} s measured; saturation: closed loop, {args.connections} connections; '
              f'latency: open loop, {args.open_connections} connections, at {args.rate_fraction:g} x the direct path\'s saturation rate, '
              f'measured from each request\'s intended start; load average {args.load_before:.2f} at the start, '
              f'{m["load_average_at_end"]:.2f} at the end.')
    text = (header + "\n\nThroughput at saturation, proxy / direct:\n\n" + "\n".join(throughput)
            + "\n\nLatency at the same open-loop rate, proxy / direct:\n\n" + "\n".join(latency)
            + "\n\nCPU per request at the open-loop rate (all processes share the same 2 cores; the HTTP baseline idles in RESP runs):\n\n"
            + "\n".join(cpu)
            + "\n\nGoals:\n\n" + "\n".join(summary) + "\n")
    with open(os.path.join(args.results, "remote.md"), "w") as f:
        f.write(text)
    svg(rows, os.path.join(args.results, "remote.svg"), f"{args.delay_ms:g}")

    print()
    print(text)
    print(f"Written: {args.results}/remote.json, remote.md, remote.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
