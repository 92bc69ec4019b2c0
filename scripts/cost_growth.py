#!/usr/bin/env python3
"""Cost growth of the ML-CSC forward computation: time against N, K and m, in f64 and exact.

Runs `mlcsc bench --workload forward-large --json` (the synthesis chain, layered soft
thresholding and the norms of every layer; layer i has m * 2^(i-1) filters of length 8) over a
grid and prints markdown tables:

  - f64 through the fast kernels: N from 2^12 to 2^20 (K = 3, m = 16), K from 1 to 4
    (N = 2^16, m = 16), m from 4 to 32 (N = 2^16, K = 3);
  - exact, in small rationals and in big rationals (exactly unit filters): N from 64 to 4096
    (K = 2, m = 2), K from 1 to 3 (N = 256, m = 2), m from 1 to 4 (N = 256, K = 2).

With --side-by-side it instead runs the NumPy peer (benches/numpy_peer.py) and `mlcsc bench`
alternately, --rounds times, and prints the medians and their ratios. Without NumPy it says so and
exits 0 without measuring.

Usage:
  scripts/cost_growth.py [--mlcsc PATH] [--repeat R] [--quick]
  scripts/cost_growth.py --side-by-side [--peer PATH] [--rounds R] [--cases C]

Build first: cargo build --release (the default --mlcsc is target/release/mlcsc, or
$CARGO_TARGET_DIR/release/mlcsc).
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "mlcsc")


def bench(binary, **options):
    command = [binary, "bench", "--json"]
    for key, value in options.items():
        command += ["--" + key.replace("_", "-"), str(value)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output)[0]


def peer(script, workload, cases):
    environment = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    command = [sys.executable, script, "--workload", workload, "--repeat", "3", "--cases", str(cases)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=environment).stdout
    results = json.loads(output) if output.strip() else []
    if not results:
        print(f"cost_growth.py: the peer {script} measured nothing; skipping the side-by-side run",
              file=sys.stderr)
        sys.exit(0)
    return results[0]


def f64_table(binary, repeat, quick):
    lengths = [1 << k for k in ((12, 14, 16) if quick else (12, 14, 16, 18, 20))]
    rows = [("N", n, 3, 16) for n in lengths]
    rows += [("K", 1 << 16, k, 16) for k in (1, 2, 3, 4)]
    rows += [("m", 1 << 16, 3, m) for m in (4, 8, 16, 32)]
    print("| varied | N | K | m | seconds (f64) | GFLOP/s | peak memory / arrays |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for varied, n, k, m in rows:
        result = bench(binary, workload="forward-large", n=n, depth=k, channels=m, repeat=repeat)
        ratio = result.get("peak_over_arrays")
        memory = f"{ratio:.2f}" if ratio is not None else "-"
        print(f"| {varied} | {n} | {k} | {m} | {result['seconds']:.4f} | {result['gflops']:.1f} | {memory} |")
        sys.stdout.flush()


def exact_table(binary, repeat, quick):
    rows = [("N", n, 2, 2) for n in ((64, 256, 1024) if quick else (64, 256, 1024, 4096))]
    rows += [("K", 256, k, 2) for k in (1, 2, 3)]
    rows += [("m", 256, 2, m) for m in (1, 2, 4)]
    print("| varied | N | K | m | seconds (small rational) | seconds (big rational) | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for varied, n, k, m in rows:
        small = bench(binary, workload="forward-large", n=n, depth=k, channels=m, repeat=repeat,
                      arithmetic="small-rational")
        big = bench(binary, workload="forward-large", n=n, depth=k, channels=m, repeat=repeat,
                    arithmetic="rational")
        print(f"| {varied} | {n} | {k} | {m} | {small['seconds']:.4f} | {big['seconds']:.4f} | "
              f"{big['seconds'] / small['seconds']:.1f}x |")
        sys.stdout.flush()


def side_by_side(binary, script, rounds, cases):
    if importlib.util.find_spec("numpy") is None:
        print("cost_growth.py: NumPy is not installed, so the peer cannot run; skipping the "
              "side-by-side run (install it with: python3 -m pip install numpy)", file=sys.stderr)
        sys.exit(0)
    measured = {"forward-large": ([], []), "campaign-small": ([], [])}
    for _ in range(rounds):
        for workload, (theirs, ours) in measured.items():
            key = "gflops" if workload == "forward-large" else "cases_per_second"
            theirs.append(peer(script, workload, cases)[key])
            ours.append(bench(binary, workload=workload, cases=cases, repeat=3)[key])
    exact = [bench(binary, workload="campaign-exact", cases=cases, repeat=3)["cases_per_second"]
             for _ in range(rounds)]
    print("| workload | peer (NumPy) | mlcsc | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for workload, (theirs, ours) in measured.items():
        unit = "GFLOP/s" if workload == "forward-large" else "cases/s"
        p, o = statistics.median(theirs), statistics.median(ours)
        print(f"| {workload} | {p:.1f} {unit} | {o:.1f} {unit} | {o / p:.1f}x |")
    print(f"| campaign-exact | - | {statistics.median(exact):.0f} certified cases/s | - |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mlcsc", default=default_binary())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller grid")
    parser.add_argument("--side-by-side", action="store_true")
    parser.add_argument("--peer", default=os.path.join(ROOT, "benches", "numpy_peer.py"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    if args.side_by_side:
        side_by_side(args.mlcsc, args.peer, args.rounds, args.cases)
        return
    print("### f64 (fast kernels)\n")
    f64_table(args.mlcsc, args.repeat, args.quick)
    print("\n### exact\n")
    exact_table(args.mlcsc, args.repeat, args.quick)


if __name__ == "__main__":
    main()
