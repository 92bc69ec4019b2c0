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
                 one atom every 16 positions, noise 1/1000 at every 32nd position: N from 2^12 to
                 2^22 (K = 2, m = 2), K from 1 to 4 and m from 1 to 8 (N = 2^12).
  basis pursuit  `mlcsc forward FILE --pursuit basis-pursuit` on such instances: N from 2^6 to 2^16
                 (K = 2, m = 2), K from 1 to 4 and m from 1 to 8 (N = 2^7).

The exact commands run with a time limit (--limit seconds); a run past it, or refused by a work
limit (exit 2), is reported as such. Time and peak resident memory are those of the child process
(GNU time), so they include reading the instance file.

Usage:
  scripts/cost_growth.py [--mlcsc PATH] [--repeat R] [--limit SECONDS] [--quick] [--update FILE]

With --update FILE the tables also replace the part of FILE between the markers
<!-- cost-growth --> and <!-- /cost-growth --> (docs/performance.md).

Build first: cargo build --release (the default --mlcsc is target/release/mlcsc, or
$CARGO_TARGET_DIR/release/mlcsc). The side-by-side comparison with the NumPy and PyTorch peers is
benches/side_by_side.py.
"""
import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "mlcsc")


def timed_child(command, limit):
    """(seconds, peak resident bytes, exit code or None past the limit) of one command.

    The peak is the child's own, read by GNU time where it is installed (a child forked from this
    script would inherit the script's high-water mark); else it is the wait4 figure, which
    includes this script's memory at the fork."""
    gnu_time = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = [gnu_time, "-f", "%M", "-o", report.name] + command if gnu_time else command
        start = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        try:
            code = child.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return limit, None, None
        seconds = time.perf_counter() - start
        if gnu_time:
            lines = [line for line in report.read().split() if line.isdigit()]
            peak = int(lines[-1]) * 1024 if lines else None
        else:
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        return seconds, peak, code


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
              f"{megabytes(result['peak-resident-bytes'])} | {result['bytes-per-entry']:.1f} |")
        sys.stdout.flush()


def write_instance(path, length, depth, channels):
    """K layers of `channels` unit filters of length 2 (3/5, 4/5 on one input channel), one atom
    every 16 positions in Γ_K, noise 1/1000 every 32 positions; written piece by piece, so this
    script stays small whatever N."""
    layers, previous = [], 1
    for _ in range(depth):
        filters = []
        for c in range(channels):
            pair = (["3/5", "4/5"], ["4/5", "-3/5"])[c % 2]
            taps = [["0"] * previous for _ in range(2)]
            for t in range(2):
                taps[t][c % previous] = pair[t]
            filters.append(taps)
        layers.append({"filters": filters, "threshold": "1/5"})
        previous = channels
    head = {
        "format": "mlcsc-instance-1",
        "name": f"cost-growth-N{length}-K{depth}-m{channels}",
        "source": "scripts/cost_growth.py",
        "signal-length": length,
        "input-channels": 1,
        "thresholding": "soft",
        "layers": layers,
    }
    with open(path, "w") as f:
        f.write(json.dumps(head)[:-1])
        f.write(', "deepest-representation": [')
        f.write(",".join(f'{{"position": {p}, "channel": {(p // 16) % channels}, "value": "5/4"}}'
                         for p in range(0, length, 16)))
        f.write('], "noise": [')
        f.write(",".join(f'{{"position": {p}, "channel": 0, "value": "1/1000"}}'
                         for p in range(0, length, 32)))
        f.write('], "noise-budget": null, "last-patch-width": 1}')


def exact_table(binary, limit, quick):
    lengths = [1 << k for k in ((12, 14) if quick else (12, 14, 16, 18, 20, 22))]
    rows = [("N", n, 2, 2) for n in lengths]
    rows += [("K", 1 << 12, k, 2) for k in (1, 2, 3, 4)]
    rows += [("m", 1 << 12, 2, m) for m in (1, 2, 4, 8)]
    command = [binary, "check", "{path}", "--arithmetic", "exact", "--json"]
    growth_table("exact check", rows, command, limit)


def pursuit_table(binary, limit, quick):
    lengths = [1 << k for k in ((6, 8) if quick else (6, 8, 10, 12, 14, 16))]
    rows = [("N", n, 2, 2) for n in lengths]
    rows += [("K", 1 << 7, k, 2) for k in (1, 2, 3, 4)]
    rows += [("m", 1 << 7, 2, m) for m in (1, 2, 4, 8)]
    command = [binary, "forward", "{path}", "--pursuit", "basis-pursuit", "--json"]
    growth_table("layered basis pursuit", rows, command, limit)


def growth_table(what, rows, command, limit):
    print(f"| varied | N | K | m | {what} (s) | peak memory (MB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for varied, n, k, m in rows:
            path = os.path.join(folder, f"N{n}-K{k}-m{m}.json")
            write_instance(path, n, k, m)
            seconds, peak, code = timed_child([part.replace("{path}", path) for part in command], limit)
            if code is None:
                cell = f"over {limit:.0f}"
            elif code != 0:
                cell = f"refused (exit {code})"
            else:
                cell = f"{seconds:.3f}"
            print(f"| {varied} | {n} | {k} | {m} | {cell} | {megabytes(peak)} |")
            sys.stdout.flush()
            os.remove(path)


BEGIN, END = "<!-- cost-growth -->", "<!-- /cost-growth -->"


class Tee:
    """Standard output that is also kept, for --update."""

    def __init__(self, stream):
        self.stream, self.parts = stream, []

    def write(self, text):
        self.parts.append(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()


def update(path, text):
    with open(path) as f:
        content = f.read()
    if BEGIN not in content or END not in content:
        sys.exit(f"cost_growth.py: {path} has no {BEGIN} … {END} markers")
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False) as f:
        f.write(f"{head}{BEGIN}\n{text.strip()}\n{END}{tail}")
        f.flush()
        os.fsync(f.fileno())
    os.replace(f.name, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mlcsc", default=default_binary())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per exact run")
    parser.add_argument("--quick", action="store_true", help="smaller grid")
    parser.add_argument("--update", metavar="FILE", help="replace the marked tables in FILE")
    args = parser.parse_args()
    if not os.path.exists(args.mlcsc):
        sys.exit(f"cost_growth.py: {args.mlcsc} not found; build first: cargo build --release")
    tee = sys.stdout = Tee(sys.stdout)
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `scripts/cost_growth.py`, "
          f"load average (1 min) {load} at the start, {os.cpu_count()} cores.\n")
    print("### forward (f64 fast kernels, `mlcsc bench`)\n")
    forward_table(args.mlcsc, args.repeat, args.quick)
    print("\n### exact check (`mlcsc check FILE --arithmetic exact`)\n")
    exact_table(args.mlcsc, args.limit, args.quick)
    print("\n### layered basis pursuit (`mlcsc forward FILE --pursuit basis-pursuit`)\n")
    pursuit_table(args.mlcsc, args.limit, args.quick)
    sys.stdout = tee.stream
    if args.update:
        update(args.update, "".join(tee.parts).replace("### ", "#### "))


if __name__ == "__main__":
    main()
