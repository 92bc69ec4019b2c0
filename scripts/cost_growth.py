#!/usr/bin/env python3
"""Cost growth, measured: time and peak memory against N, K and m for the forward computation, the
exact Theorem 2 check and layered basis pursuit. Prints markdown tables for docs/performance.md.

  forward        `mlcsc bench --workload forward-large --json` (f64 fast kernels: the synthesis
                 chain, layered soft thresholding and the norms of every layer; layer i has
                 m * 2^(i-1) filters of length 8): N from 2^12 to 2^22 (K = 3, m = 4, the most the
                 bench's f64 size limit admits at 2^22), K from 1 to 4 (N = 2^16, m = 16), m from 4
                 to 32 (N = 2^16, K = 3). Peak memory is the process's peak resident set.
  exact check    `mlcsc check FILE --arithmetic exact` on instances this script writes: K layers of
                 m unit filters of length 2 with entries 3/5 and 4/5, a deepest representation with
                 one atom every 16 positions, noise 1/1000 at every 32nd position.
  basis pursuit  `mlcsc forward FILE --pursuit basis-pursuit` on the same instances.

The exact commands run with a time limit (--limit seconds); a run past it, or refused by a work
limit (exit 2), is reported as such. Time and peak resident memory are those of the child process
(wait4), so they include reading the instance file.

Usage:
  scripts/cost_growth.py [--mlcsc PATH] [--repeat R] [--limit SECONDS] [--quick]

Build first: cargo build --release (the default --mlcsc is target/release/mlcsc, or
$CARGO_TARGET_DIR/release/mlcsc). The side-by-side comparison with the NumPy and PyTorch peers is
benches/side_by_side.py.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "mlcsc")


def timed_child(command, limit):
    """(seconds, peak resident bytes, exit code or None past the limit, stdout) of one command."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        deadline = start + limit
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                return limit, None, None, b""
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        out.seek(0)
        return seconds, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status), out.read()


def megabytes(b):
    return f"{b / 2**20:.0f}" if b else "-"


def forward_table(binary, repeat, quick):
    lengths = [1 << k for k in ((12, 14, 16) if quick else (12, 14, 16, 18, 20, 22))]
    rows = [("N", n, 3, 4) for n in lengths]
    rows += [("K", 1 << 16, k, 16) for k in (1, 2, 3, 4)]
    rows += [("m", 1 << 16, 3, m) for m in (4, 8, 16, 32)]
    print("| varied | N | K | m | seconds (f64) | GFLOP/s | peak memory (MB) | bytes per entry |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for varied, n, k, m in rows:
        command = [binary, "bench", "--json", "--workload", "forward-large", "--n", str(n),
                   "--depth", str(k), "--channels", str(m), "--repeat", str(repeat)]
        result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)[0]
        print(f"| {varied} | {n} | {k} | {m} | {result['seconds']:.4f} | {result['gflops']:.1f} | "
              f"{megabytes(result['peak_resident_bytes'])} | {result['bytes_per_entry']:.1f} |")
        sys.stdout.flush()


def instance(length, depth, channels):
    """K layers of `channels` unit filters of length 2 (3/5, 4/5 on one input channel), one atom
    every 16 positions in Γ_K, noise 1/1000 every 32 positions."""
    layers, previous = [], 1
    for i in range(depth):
        filters = []
        for c in range(channels):
            pair = (["3/5", "4/5"], ["4/5", "-3/5"])[c % 2]
            taps = [["0"] * previous for _ in range(2)]
            for t in range(2):
                taps[t][c % previous] = pair[t]
            filters.append(taps)
        layers.append({"filters": filters, "threshold": "1/5"})
        previous = channels
    return {
        "format": "mlcsc-instance-1",
        "name": f"cost-growth-N{length}-K{depth}-m{channels}",
        "source": "scripts/cost_growth.py",
        "signal_length": length,
        "input_channels": 1,
        "thresholding": "soft",
        "layers": layers,
        "deepest_representation": [{"position": p, "channel": (p // 16) % channels, "value": "5/4"}
                                   for p in range(0, length, 16)],
        "noise": [{"position": p, "channel": 0, "value": "1/1000"} for p in range(0, length, 32)],
        "noise_budget": None,
        "last_patch_width": 1,
    }


def exact_table(binary, limit, quick):
    lengths = [1 << k for k in ((12, 14) if quick else (12, 14, 16, 18, 20, 22))]
    rows = [("N", n, 2, 2) for n in lengths]
    rows += [("K", 1 << 12, k, 2) for k in (1, 2, 3, 4)]
    rows += [("m", 1 << 12, 2, m) for m in (1, 2, 4, 8)]
    print("| varied | N | K | m | exact check (s) | its peak memory (MB) | basis pursuit (s) | its peak memory (MB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def cell(seconds, peak, code):
        if code is None:
            return f"over {limit:.0f}", "-"
        if code != 0:
            return f"refused (exit {code})", megabytes(peak)
        return f"{seconds:.3f}", megabytes(peak)

    with tempfile.TemporaryDirectory() as folder:
        for varied, n, k, m in rows:
            path = os.path.join(folder, f"N{n}-K{k}-m{m}.json")
            with open(path, "w") as f:
                json.dump(instance(n, k, m), f)
            check = cell(*timed_child([binary, "check", path, "--arithmetic", "exact", "--json"], limit)[:3])
            pursuit = cell(*timed_child([binary, "forward", path, "--pursuit", "basis-pursuit", "--json"],
                                        limit)[:3])
            print(f"| {varied} | {n} | {k} | {m} | {check[0]} | {check[1]} | {pursuit[0]} | {pursuit[1]} |")
            sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mlcsc", default=default_binary())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per exact run")
    parser.add_argument("--quick", action="store_true", help="smaller grid")
    args = parser.parse_args()
    if not os.path.exists(args.mlcsc):
        sys.exit(f"cost_growth.py: {args.mlcsc} not found; build first: cargo build --release")
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `scripts/cost_growth.py`, "
          f"load average (1 min) {load} at the start, {os.cpu_count()} cores.\n")
    print("### forward (f64 fast kernels, `mlcsc bench`)\n")
    forward_table(args.mlcsc, args.repeat, args.quick)
    print("\n### exact check and layered basis pursuit\n")
    exact_table(args.mlcsc, args.limit, args.quick)


if __name__ == "__main__":
    main()
