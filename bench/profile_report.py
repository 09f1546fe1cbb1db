#!/usr/bin/env python3
"""Where a process's sampled CPU time went, from `perf script` output of `perf record -g` (stdin): each sample is
charged to the part of the stack it was taken in (its leaf frame; for kernel frames, the system call it serves),
grouped into the layers a request passes through. Prints a Markdown table, then the hottest functions.

Usage: perf script -i perf.data | python3 bench/profile_report.py "title"
"""
import collections
import re
import sys

# The declaring type's assembly in a JIT map name: "instance void [Assembly] Namespace.Type::Method(...)".
DECLARING_ASSEMBLY = re.compile(r"\[([^\]]+)\] \S+::")

KERNEL_BY_CALL = [
    (("sendto", "sendmsg", "writev", "ksys_write"), "kernel: sending (on loopback this includes delivery to the receiver and waking it)"),
    (("recvfrom", "recvmsg", "readv", "ksys_read"), "kernel: receiving"),
    (("epoll_wait", "epoll_pwait"), "kernel: waiting for socket events (epoll)"),
    (("futex",), "kernel: thread sleeps and wake-ups (futex)"),
]

MANAGED_BY_ASSEMBLY = [
    ("RedisProxy.", "the proxy's own code"),
    ("StackExchange.Redis", "StackExchange.Redis (the backend client)"),
    ("Microsoft.AspNetCore.", "Kestrel and ASP.NET Core"),
    ("System.Net.Sockets", ".NET sockets (event loop, async socket calls)"),
    ("System.IO.Pipelines", ".NET pipelines"),
    ("System.Private.CoreLib", ".NET core library (tasks, thread pool, casts, collections)"),
    ("OpenTelemetry", "telemetry"),
    ("System.Diagnostics", "telemetry"),
]


def classify(frames):
    """frames: (symbol, module) pairs, leaf first."""
    symbol, module = frames[0]
    if module == "[kernel.kallsyms]":
        calls = " ".join(s for s, m in frames if m == "[kernel.kallsyms]")
        for names, category in KERNEL_BY_CALL:
            if any(name in calls for name in names):
                return category
        return "kernel: other (interrupts, scheduling)"
    if module.startswith("[JIT]") or "perf-" in module:
        if symbol.startswith("stub "):
            return ".NET runtime (GC, stubs, type system)"
        match = DECLARING_ASSEMBLY.search(symbol)
        assembly = match.group(1) if match else ""
        for prefix, category in MANAGED_BY_ASSEMBLY:
            if assembly.startswith(prefix):
                return category
        return f"other managed code: {assembly or 'unnamed'}"
    if "libcoreclr" in module:
        return ".NET runtime (GC, stubs, type system)"
    if "libclrjit" in module:
        return "JIT compiler"
    return "native libraries (libc, System.Native)"


def samples(lines):
    frames = []
    for line in lines:
        if not line.strip():
            if frames:
                yield frames
            frames = []
        elif line[0].isspace():
            # "\t    7fff81234567 symbol+0x1f (module)"
            parts = line.strip().split(" ", 1)
            rest = parts[1] if len(parts) > 1 else ""
            module = rest[rest.rfind("(") + 1:-1] if rest.endswith(")") else ""
            symbol = re.sub(r"\+0x[0-9a-f]+$", "", rest[:rest.rfind("(")].strip() if module else rest)
            frames.append((symbol, module))
    if frames:
        yield frames


def main():
    title = sys.argv[1] if len(sys.argv) > 1 else "profile"
    by_category = collections.Counter()
    by_function = collections.Counter()
    total = 0
    for frames in samples(sys.stdin):
        total += 1
        by_category[classify(frames)] += 1
        symbol, module = frames[0]
        by_function[f"{symbol} ({module})"] += 1
    print(f"### {title}\n")
    if total == 0:
        print("No samples.\n")
        return
    print(f"{total:,} samples.\n")
    # The assemblies that are no layer of their own are summed in one row and named below the table.
    other = collections.Counter({c.split(": ", 1)[1]: n for c, n in by_category.items() if c.startswith("other managed code: ")})
    layers = collections.Counter({c: n for c, n in by_category.items() if not c.startswith("other managed code: ")})
    if other:
        layers["other managed code"] = sum(other.values())
    print("| Where | Share of the proxy's CPU |")
    print("|---|--:|")
    for category, count in layers.most_common():
        print(f"| {category} | {100 * count / total:.1f} % |")
    if other:
        named = ", ".join(f"{assembly} {100 * count / total:.1f} %" for assembly, count in other.most_common(6))
        print(f"\nOther managed code: {named}.")
    print("\nHottest functions (self):\n")
    for function, count in by_function.most_common(12):
        print(f"- {100 * count / total:.1f} % {function[:220]}")
    print()


if __name__ == "__main__":
    main()
