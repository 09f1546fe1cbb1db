#!/usr/bin/env python3
"""Turns the lines bench/warmup.sh collected into bench/results/warmup.{json,md} and prints the table.

Each line is one fresh proxy: its times to the first HTTP and RESP answer, and the requests it answered (and the CPU
it used) in each second under one scenario's load from its first answer. The steady figure of a scenario is the mean
of the last --steady-window seconds of its first repetition, which runs longest.
"""
import argparse
import datetime
import json
import os
import statistics

FIRST_ANSWER_GOAL_MS = 300
STEADY_SHARE_GOAL = 0.8
SCENARIOS = [
    ("http-get", "HTTP GET hit"),
    ("resp-get", "RESP GET hit"),
    ("resp-incr", "RESP INCR (forwarded)"),
]


def spread(values, digits=0, scale=1.0):
    values = [v * scale for v in values if v is not None]
    if not values:
        return "—"
    fmt = "{:,.%df}" % digits
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("raw")
    parser.add_argument("results")
    parser.add_argument("--steady-window", type=int, default=5)
    parser.add_argument("--proxy-env", default="")
    parser.add_argument("--proxy", default="")
    options = parser.parse_args()

    runs = [json.loads(line) for line in open(options.raw) if line.strip()]
    loads = [run["load_before"] for run in runs]
    summary = {"measured": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "proxy": options.proxy, "proxy_env": options.proxy_env, "load_before": [min(loads), max(loads)], "scenarios": {}}

    http_first = [run["probe"]["http_first_ms"] for run in runs]
    resp_first = [run["probe"]["resp_first_ms"] for run in runs]
    summary["first_answer_ms"] = {"http": http_first, "resp": resp_first}

    lines = [
        f"Measured {summary['measured']}; proxy: `{os.path.relpath(options.proxy) if options.proxy else '?'}`; "
        f"settings: {options.proxy_env or 'the defaults'}; "
        f"{len(runs)} fresh proxies; 1-minute load average before each {min(loads)}–{max(loads)}.",
        "",
        "Time from starting `dotnet RedisProxy.Api.dll` to the first answer, median (min–max) over every proxy started:",
        "",
        "| Door | ms | Goal | Met (of all) | Proxy CPU ms by then (less disturbed by other load) |",
        "|---|--:|--:|---|--:|",
    ]
    for door, key in (("HTTP `GET /ping`", "http"), ("RESP `PING`", "resp")):
        values = [run["probe"][f"{key}_first_ms"] for run in runs]
        cpu = [run["probe"].get(f"{key}_first_cpu_ms") for run in runs]
        met = sum(1 for v in values if v is not None and v <= FIRST_ANSWER_GOAL_MS)
        lines.append(f"| {door} | {spread(values, 1)} | {FIRST_ANSWER_GOAL_MS} | {met} of {len(values)} | {spread(cpu)} |")

    lines += [
        "",
        "Throughput in each second from the first answer, as a share of the steady figure (the mean of the last "
        f"{options.steady_window} s of the first repetition's longer run), median (min–max) over the repetitions; "
        f"the goal is {STEADY_SHARE_GOAL:.0%} from 1 s on, i.e. in second 2:",
        "",
        "| Scenario | Steady req/s | Second 1 | Second 2 | Second 3 | Second 4 | Second 5 | Met (second 2, of all) | CPU µs/req, second 1 / steady |",
        "|---|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    for scenario, label in SCENARIOS:
        mine = [run for run in runs if run["probe"]["scenario"] == scenario]
        if not mine:
            continue
        longest = max(mine, key=lambda run: len(run["probe"]["requests_per_second"]))
        rates = longest["probe"]["requests_per_second"][-options.steady_window:]
        cpu = longest["probe"]["proxy_cpu_ms_per_second"][-options.steady_window:]
        steady = statistics.mean(rates)
        steady_cpu_us = sum(cpu) * 1000 / max(sum(rates), 1)
        shares = [[run["probe"]["requests_per_second"][s] / steady for run in mine] for s in range(5)]
        first_cpu_us = [run["probe"]["proxy_cpu_ms_per_second"][0] * 1000 / max(run["probe"]["requests_per_second"][0], 1)
                        for run in mine]
        met = sum(1 for share in shares[1] if share >= STEADY_SHARE_GOAL)
        summary["scenarios"][scenario] = {"steady_requests_per_second": round(steady), "steady_cpu_us": round(steady_cpu_us, 1),
                                          "share_of_steady_by_second": shares, "cpu_us_second_1": first_cpu_us}
        lines.append(f"| {label} | {steady:,.0f} | " + " | ".join(spread(share, 0, 100) + " %" for share in shares)
                     + f" | {met} of {len(mine)} | {spread(first_cpu_us, 1)} / {steady_cpu_us:.1f} |")

    summary["runs"] = runs
    text = "\n".join(lines) + "\n"
    os.makedirs(options.results, exist_ok=True)
    with open(os.path.join(options.results, "warmup.md"), "w") as md:
        md.write(text)
    with open(os.path.join(options.results, "warmup.json"), "w") as out:
        json.dump(summary, out, indent=1)
        out.write("\n")
    print(text)


if __name__ == "__main__":
    main()
