#!/usr/bin/env python3
"""forward-large side by side: mlcsc in f64 and f32, the NumPy peer (f64) and the PyTorch peer
(f32 and f64, both its conv1d pipeline and its strongest, channels-last conv2d), on 1 and 2 threads, interleaved, with the peak of fused multiply-adds measured on
the machine and the load average. Prints a markdown table (or, with --update FILE, replaces the
part of FILE between the markers <!-- side-by-side --> and <!-- /side-by-side -->).

Each round runs every implementation once at every thread count, in turn, so that a change of load
during the session touches all of them alike; every figure is the median over --rounds rounds of
each run's own median of --repeat timed runs. A peer whose library is absent is skipped with a
message. mlcsc's peak is measured by `mlcsc bench` itself, just before its run (FMA chains in
vector registers, one per thread, the fastest of a few runs).

With --workload forward-image it measures the image pass instead (src/bench/forward_image.rs,
benches/image_numpy_peer.py, benches/image_torch_peer.py), in f64 and f32 for each implementation,
with both the end-to-end figures and the convolutions alone (kernel to kernel), into the part of
FILE between <!-- side-by-side-image --> and <!-- /side-by-side-image --> (image_side_by_side.py).

Usage (build first: cargo build --release):
  benches/side_by_side.py [--workload forward-large|forward-image] [--rounds 3] [--repeat 3]
                          [--n 65536] [--update docs/performance.md]
"""
import argparse
import datetime
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN, END = "<!-- side-by-side -->", "<!-- /side-by-side -->"
THREAD_VARIABLES = ["RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]


def default_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "mlcsc")


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def run_json(command, threads):
    env = dict(os.environ)
    for name in THREAD_VARIABLES:
        env[name] = str(threads)
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)[0]


def libraries():
    """Whether NumPy and PyTorch are installed; a message for each that is not."""
    have_numpy = importlib.util.find_spec("numpy") is not None
    have_torch = importlib.util.find_spec("torch") is not None
    if not have_numpy:
        print("side_by_side.py: NumPy is not installed; its peer is skipped (python3 -m pip install numpy)",
              file=sys.stderr)
    if not have_torch:
        print("side_by_side.py: PyTorch is not installed; its peer is skipped (python3 -m pip install torch)",
              file=sys.stderr)
    return have_numpy, have_torch


def implementations(binary, n, repeat, have_numpy, have_torch):
    """(name, precision, command) of every implementation that can run here."""
    mlcsc = [binary, "bench", "--workload", "forward-large", "--json", "--n", str(n), "--repeat", str(repeat)]
    rows = [("mlcsc", "f64", mlcsc + ["--arithmetic", "f64"]),
            ("mlcsc", "f32", mlcsc + ["--arithmetic", "f32"])]
    if have_numpy:
        rows.append(("NumPy", "f64", [sys.executable, os.path.join(ROOT, "benches", "numpy_peer.py"),
                                      "--workload", "forward-large", "--n", str(n), "--repeat", str(repeat)]))
    torch = [sys.executable, os.path.join(ROOT, "benches", "torch_peer.py"), "--n", str(n), "--repeat", str(repeat)]
    if have_torch:
        for precision, dtype in (("f32", "float32"), ("f64", "float64")):
            rows.append(("PyTorch conv1d", precision, torch + ["--dtype", dtype]))
            rows.append(("PyTorch channels-last", precision,
                         torch + ["--dtype", dtype, "--pipeline", "channels-last"]))
    return rows


FIELDS = ("gflops", "conv-gflops", "peak-gflops", "fraction-of-peak-in-cpu-time")


def measure(args):
    have_numpy, have_torch = libraries()
    rows = implementations(args.mlcsc, args.n, args.repeat, have_numpy, have_torch)
    figures, loads = {}, [load()]
    for _ in range(args.rounds):
        for threads in (1, 2):
            for name, precision, command in rows:
                extra = ["--threads", str(threads)] if name.startswith("PyTorch") else []
                result = run_json(command + extra, threads)
                for field in FIELDS:
                    if result.get(field):
                        figures.setdefault((field, name, precision, threads), []).append(result[field])
        loads.append(load())
    return rows, figures, loads


def table(args, rows, figures, loads):
    median = {key: statistics.median(values) for key, values in figures.items()}
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"forward-large, `N = {args.n}`, measured {date} by `benches/side_by_side.py --rounds {args.rounds}`: "
        f"medians of {args.rounds} interleaved rounds, each the median of {args.repeat} timed runs; "
        f"load average (1 min) {' → '.join(loads)} over the rounds ({os.cpu_count()} cores).",
        "",
        "| threads | implementation | precision | GFLOP/s, pass | GFLOP/s, products only | measured peak "
        "| fraction of peak, pass | fraction of peak, products | fraction of the per-core peak in CPU time "
        "| mlcsc ÷ this, pass | mlcsc ÷ this, products |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    dash = "—"
    for threads in (1, 2):
        for name, precision, _ in rows:
            key = (name, precision, threads)
            value, conv = median[("gflops",) + key], median.get(("conv-gflops",) + key)
            peak = median.get(("peak-gflops", "mlcsc", precision, threads))
            cpu = median.get(("fraction-of-peak-in-cpu-time",) + key)
            ours = median[("gflops", "mlcsc", precision, threads)]
            ours_conv = median.get(("conv-gflops", "mlcsc", precision, threads))
            share = (lambda x: f"{100 * x / peak:.0f}%" if x else dash) if peak else (lambda x: dash)
            lines.append(
                f"| {threads} | {name} | {precision} | {value:.1f} | {f'{conv:.1f}' if conv else dash} | "
                f"{f'{peak:.1f}' if peak else dash} | {share(value)} | {share(conv)} | "
                f"{f'{100 * cpu:.0f}%' if cpu else dash} | {ours / value:.2f}× | "
                f"{f'{ours_conv / conv:.2f}×' if conv and ours_conv else dash} |")
    lines += ["", "The pass counts `2 · 2 · N · Σ_i n_i m_i m_{i-1}` (the synthesis chain and the analyses), for "
              "every implementation alike; the products are those six convolutions alone, each on the input it "
              "had in the pass (mlcsc and PyTorch channels-last). The peak is the rate of fused multiply-adds of "
              "that precision on that many threads (independent chains in vector registers), measured by "
              "`mlcsc bench` beside each of its runs; the CPU-time fraction (mlcsc only) divides the operations "
              "per CPU second by one core's peak in its own CPU time. PyTorch conv1d is `conv1d` on (1, C, N) "
              "tensors with a padded copy per product and a float64 report; PyTorch channels-last is `conv2d` "
              "with 1 × n kernels on channels-last (1, C, 1, N) tensors, padded buffers kept across runs and "
              "the report in the working precision (benches/torch_peer.py)."]
    return "\n".join(lines)


def update(path, text, begin=BEGIN, end=END):
    with open(path) as f:
        content = f.read()
    if begin not in content or end not in content:
        sys.exit(f"side_by_side.py: {path} has no {begin} … {end} markers")
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    new = f"{head}{begin}\n{text}\n{end}{tail}"
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False) as f:
        f.write(new)
        f.flush()
        os.fsync(f.fileno())
    os.replace(f.name, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mlcsc", default=default_binary())
    parser.add_argument("--workload", choices=["forward-large", "forward-image"], default="forward-large")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n", type=int, default=2 ** 16)
    parser.add_argument("--update", metavar="FILE", help="replace the marked table in FILE")
    args = parser.parse_args()
    if args.rounds < 1 or args.repeat < 1 or args.n < 15:
        parser.error("--rounds and --repeat must be at least 1, --n at least 15")
    if not os.path.exists(args.mlcsc):
        sys.exit(f"side_by_side.py: {args.mlcsc} not found; build first: cargo build --release")
    if args.workload == "forward-image":
        import image_side_by_side
        text = image_side_by_side.table(args, *image_side_by_side.measure(args, libraries(), run_json, load))
        markers = (image_side_by_side.BEGIN, image_side_by_side.END)
    else:
        text = table(args, *measure(args))
        markers = (BEGIN, END)
    print(text)
    if args.update:
        update(args.update, text, *markers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
