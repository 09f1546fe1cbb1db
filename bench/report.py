#!/usr/bin/env python3
"""Turns the raw lines bench/run.sh collected into bench/results/latest.{json,md} and ratios.svg.

Each line is one run of wrk or redis-benchmark against the proxy or its baseline; the report pairs them per
scenario and computes proxy throughput / baseline throughput, next to the target of issue 4. A scenario run in
several rounds (redis-benchmark) pairs the proxy and the baseline round by round and reports the median round.
"""
import argparse
from xml.sax.saxutils import escape
import datetime
import json
import os
import platform
import subprocess
import sys

# (scenario, label, target or None for a row shown for information, scenario whose baseline run it shares or None)
SCENARIOS = [
    ("http-hit", "HTTP hit: proxy vs constant Kestrel endpoint", 0.8, None),
    ("http-miss", "HTTP miss: proxy (CACHE_CAPACITY=1, a slot per connection) vs Kestrel + StackExchange.Redis GET", 0.8, None),
    ("http-miss-queued", "HTTP miss at the default MAX_CONCURRENT_REQUESTS=11, fewer slots than connections (information)", None, "http-miss"),
    ("resp-hit-p1", "RESP hit -P 1: proxy vs redis-server GET", 1.0, None),
    ("resp-hit-p16", "RESP hit -P 16: proxy vs redis-server GET", 1.0, None),
    ("resp-set-p1", "RESP SET -P 1 (written through and cached): proxy vs redis-server", 0.8, None),
    ("resp-incr-p1", "RESP INCR -P 1 (forwarded): proxy vs redis-server", 0.8, None),
    ("resp-lpush-p1", "RESP LPUSH -P 1 (forwarded): proxy vs redis-server", 0.8, None),
    ("resp-hset-p1", "RESP HSET -P 1 (forwarded): proxy vs redis-server", 0.8, None),
]
NOT_MEASURED = "not measured in this run"


def parse(line):
    run = json.loads(line)
    cpu_seconds = run["server_cpu_ticks"] / run["clock_ticks"]
    if run["tool"] == "wrk":
        wrk = run["wrk"]
        seconds = wrk["duration_us"] / 1e6
        return run["scenario"], run["target"], run.get("round", 1), {
            "requests_per_second": round(wrk["requests"] / seconds, 1),
            "p50_ms": wrk["p50_us"] / 1000,
            "p99_ms": wrk["p99_us"] / 1000,
            "server_cpu_us_per_request": round(cpu_seconds * 1e6 / max(wrk["requests"], 1), 2),
            "errors": wrk["socket_errors"] + wrk["non_2xx"],
        }
    # redis-benchmark --csv: test,rps,avg,min,p50,p95,p99,max (latencies in ms)
    fields = run["csv"].split(",")
    return run["scenario"], run["target"], run.get("round", 1), {
        "requests_per_second": float(fields[1]),
        "p50_ms": float(fields[4]),
        "p99_ms": float(fields[6]),
        "server_cpu_us_per_request": round(cpu_seconds * 1e6 / run["requests"], 2),
        "errors": 0,
    }


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    memory_kb = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(memory_kb / 1048576, 1),
            "kernel": platform.release(), "dotnet_sdk": dotnet,
            "load_average_at_end": os.getloadavg()[0]}


def svg(rows, path):
    """Per scenario, its label over a bar of the ratio, with the target as a black tick; green when met."""
    width, bar_left, row_height, top = 760, 10, 46, 44
    scale = 560 / 1.5  # ratios up to 1.5x fit; a longer bar is clipped, its value still printed
    height = top + row_height * len(rows) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           '<text x="10" y="22" font-size="15" font-weight="bold">RedisProxy throughput / baseline throughput, measured in the same run</text>']
    for tick in (0.5, 1.0, 1.5):
        x = bar_left + tick * scale
        out.append(f'<line x1="{x:.0f}" y1="{top - 6}" x2="{x:.0f}" y2="{height - 24}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.0f}" y="{height - 8}" text-anchor="middle" fill="#666">{tick:.1f}x</text>')
    for n, row in enumerate(rows):
        y = top + n * row_height
        out.append(f'<text x="{bar_left}" y="{y + 12}">{escape(row["label"])}</text>')
        if row["ratio"] is None:
            out.append(f'<text x="{bar_left}" y="{y + 32}" fill="#888">{escape(row["note"])}</text>')
            continue
        length = min(row["ratio"], 1.5) * scale
        if row["target"] is None:
            out.append(f'<rect x="{bar_left}" y="{y + 18}" width="{length:.0f}" height="16" fill="#9e9e9e"/>')
            out.append(f'<text x="{bar_left + length + 6:.0f}" y="{y + 31}">{row["ratio"]:.2f}x (no target)</text>')
            continue
        colour = "#2e7d32" if row["ratio"] >= row["target"] else "#c62828"
        out.append(f'<rect x="{bar_left}" y="{y + 18}" width="{length:.0f}" height="16" fill="{colour}"/>')
        target_x = bar_left + row["target"] * scale
        out.append(f'<line x1="{target_x:.0f}" y1="{y + 15}" x2="{target_x:.0f}" y2="{y + 37}" stroke="black" stroke-width="2"/>')
        out.append(f'<text x="{bar_left + length + 6:.0f}" y="{y + 31}">{row["ratio"]:.2f}x (target {row["target"]:.1f}x)</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("raw")
    parser.add_argument("results")
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--warmup-seconds", type=int)
    parser.add_argument("--connections", type=int)
    parser.add_argument("--value-bytes", type=int)
    parser.add_argument("--resp-requests", type=int)
    parser.add_argument("--resp-rounds", type=int, default=1)
    parser.add_argument("--proxy-env", default="")
    args = parser.parse_args()

    runs = {}
    with open(args.raw) as f:
        for line in f:
            if line.strip():
                scenario, target, round_number, numbers = parse(line)
                runs.setdefault(scenario, {}).setdefault(round_number, {})[target] = numbers

    rows = []
    for scenario, label, target, shared_baseline in SCENARIOS:
        rounds = []
        for round_number, pair in sorted(runs.get(scenario, {}).items()):
            pair = dict(pair)
            if shared_baseline is not None and "baseline" in runs.get(shared_baseline, {}).get(round_number, {}):
                pair["baseline"] = runs[shared_baseline][round_number]["baseline"]
            if "proxy" in pair and "baseline" in pair:
                pair["ratio"] = pair["proxy"]["requests_per_second"] / pair["baseline"]["requests_per_second"]
                rounds.append(pair)
        if rounds:
            # The median round (the lower middle one of an even count), shown whole so its numbers agree with its ratio.
            median = sorted(rounds, key=lambda r: r["ratio"])[(len(rounds) - 1) // 2]
            ratio = median["ratio"]
            # Requests per CPU second, proxy over baseline: what the ratio would be if each had the CPU to itself.
            cpu_ratio = median["baseline"]["server_cpu_us_per_request"] / max(median["proxy"]["server_cpu_us_per_request"], 0.01)
            rows.append({"scenario": scenario, "label": label, "target": target, "ratio": round(ratio, 3),
                         "cpu_ratio": round(cpu_ratio, 3),
                         "round_ratios": [round(r["ratio"], 3) for r in rounds],
                         "met": None if target is None else ratio >= target,
                         "proxy": median["proxy"], "baseline": median["baseline"], "note": ""})
        else:
            rows.append({"scenario": scenario, "label": label, "target": target, "ratio": None, "cpu_ratio": None, "met": None,
                         "round_ratios": [], "proxy": None, "baseline": None, "note": NOT_MEASURED})

    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {"wrk_seconds": args.seconds, "wrk_warm_up_seconds": args.warmup_seconds, "connections": args.connections, "wrk_threads": 1,
                     "value_bytes": args.value_bytes, "redis_benchmark_requests_per_pipeline_slot": args.resp_requests, "redis_benchmark_warm_up": True,
                     "redis_benchmark_rounds": args.resp_rounds,
                     "proxy_env": args.proxy_env},
        "scenarios": rows,
    }
    with open(os.path.join(args.results, "latest.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")

    lines = ["| Scenario | Server | Req/s | p50 ms | p99 ms | Server CPU µs/req | Ratio (req/s) | Goal | Met | Ratio (req per CPU s) | Ratio by round |",
             "|---|---|--:|--:|--:|--:|--:|--:|---|--:|---|"]
    for row in rows:
        goal = "—" if row["target"] is None else f'{row["target"]:.1f}x'
        if row["ratio"] is None:
            lines.append(f'| {row["scenario"]} | | | | | | | {goal} | {row["note"]} | | |')
            continue
        # A row that borrows another scenario's baseline lists only the proxy; the baseline is printed once, above.
        targets = ("proxy",) if dict((s[0], s[3]) for s in SCENARIOS)[row["scenario"]] else ("proxy", "baseline")
        for target in targets:
            numbers = row[target]
            ratio = f'**{row["ratio"]:.2f}x**' if target == "proxy" else ""
            cpu_ratio = f'{row["cpu_ratio"]:.2f}x' if target == "proxy" else ""
            shown_goal = goal if target == "proxy" else ""
            met = ("—" if row["met"] is None else "yes" if row["met"] else "no") if target == "proxy" else ""
            by_round = ", ".join(f"{r:.2f}" for r in row["round_ratios"]) if target == "proxy" and len(row["round_ratios"]) > 1 else ""
            errors = f' ({numbers["errors"]} errors)' if numbers["errors"] else ""
            lines.append(f'| {row["scenario"]} | {target}{errors} | {numbers["requests_per_second"]:,.0f} | '
                         f'{numbers["p50_ms"]:.3f} | {numbers["p99_ms"]:.3f} | {numbers["server_cpu_us_per_request"]:.1f} | '
                         f'{ratio} | {shown_goal} | {met} | {cpu_ratio} | {by_round} |')
    table = "\n".join(lines)
    m = report["machine"]
    header = (f'Measured {report["date"]} on {m["cores"]} x {m["cpu"]}, {m["memory_gib"]} GiB, .NET SDK {m["dotnet_sdk"]}; '
              f'proxy settings: {args.proxy_env or "the defaults"}; '
              f'wrk 1 thread, {args.connections} connections, {args.warmup_seconds} s warm-up, then {args.seconds} s per run; '
              f'redis-benchmark {args.connections} connections, {args.resp_requests:,} requests per pipeline slot, '
              f'warm-up, then {args.resp_rounds} rounds (the median round is shown); '
              f'load average at the end {m["load_average_at_end"]:.2f}.')
    with open(os.path.join(args.results, "latest.md"), "w") as f:
        f.write(header + "\n\n" + table + "\n")
    svg(rows, os.path.join(args.results, "ratios.svg"))

    print()
    print(header)
    print()
    print(table)
    print()
    print(f"Written: {args.results}/latest.json, latest.md, ratios.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
