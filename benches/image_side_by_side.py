"""forward-image side by side, for benches/side_by_side.py --workload forward-image: mlcsc, the
NumPy peer and the PyTorch peer, each in f64 and f32, on 1 and 2 threads, interleaved round by
round; end to end (convolutions, bias and ReLU per channel, the count of nonzeros of every layer)
and the convolutions alone (kernel to kernel), against the peak of fused multiply-adds that
`mlcsc bench` measures beside each of its runs.
"""
import datetime
import os
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN, END = "<!-- side-by-side-image -->", "<!-- /side-by-side-image -->"
PRECISIONS = {"f64": "float64", "f32": "float32"}


def implementations(binary, repeat, have_numpy, have_torch):
    """(name, precision, command) of every implementation that can run here."""
    rows = []
    for precision, dtype in PRECISIONS.items():
        rows.append(("mlcsc", precision, [binary, "bench", "--workload", "forward-image", "--json",
                                          "--repeat", str(repeat), "--arithmetic", precision]))
        if have_numpy:
            rows.append(("NumPy", precision, [sys.executable, os.path.join(ROOT, "benches", "image_numpy_peer.py"),
                                              "--repeat", str(repeat), "--dtype", dtype]))
        if have_torch:
            rows.append(("PyTorch", precision, [sys.executable, os.path.join(ROOT, "benches", "image_torch_peer.py"),
                                                "--repeat", str(repeat), "--dtype", dtype]))
    return rows


def measure(args, libraries, run_json, load):
    have_numpy, have_torch = libraries
    rows = implementations(args.mlcsc, args.repeat, have_numpy, have_torch)
    figures, loads, nonzeros = {}, [load()], {}
    for _ in range(args.rounds):
        for threads in (1, 2):
            for name, precision, command in rows:
                extra = ["--threads", str(threads)] if name == "PyTorch" else []
                result = run_json(command + extra, threads)
                key = (name, precision, threads)
                for field in ("gflops", "conv-gflops", "peak-gflops", "fraction-of-peak-in-cpu-time"):
                    if result.get(field):
                        figures.setdefault((field,) + key, []).append(result[field])
                nonzeros[(name, precision)] = result.get("nonzeros")
        loads.append(load())
    return rows, figures, loads, nonzeros


def table(args, rows, figures, loads, nonzeros):
    median = {key: statistics.median(values) for key, values in figures.items()}
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"forward-image (a 256 × 256 image, 3 × 3 filters, channels 1 → 16 → 32 → 64, stride 1, zero padding 1, "
        f"a bias and ReLU per channel, nonzeros of every layer), measured {date} by "
        f"`benches/side_by_side.py --workload forward-image --rounds {args.rounds}`: medians of {args.rounds} "
        f"interleaved rounds, each the median of {args.repeat} timed runs; load average (1 min) "
        f"{' → '.join(loads)} over the rounds ({os.cpu_count()} cores).",
        "",
        "| threads | implementation | precision | GFLOP/s, pass | GFLOP/s, conv only | measured peak "
        "| fraction of peak, pass | fraction of peak, conv | fraction of the per-core peak in CPU time "
        "| mlcsc ÷ this, pass | mlcsc ÷ this, conv |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for threads in (1, 2):
        for name, precision, _ in rows:
            key = (name, precision, threads)
            value, conv = median[("gflops",) + key], median[("conv-gflops",) + key]
            peak = median.get(("peak-gflops", "mlcsc", precision, threads))
            cpu = median.get(("fraction-of-peak-in-cpu-time",) + key)
            ours = median[("gflops", "mlcsc", precision, threads)]
            ours_conv = median[("conv-gflops", "mlcsc", precision, threads)]
            share = (lambda x: f"{100 * x / peak:.0f}%") if peak else (lambda x: "—")
            lines.append(
                f"| {threads} | {name} | {precision} | {value:.1f} | {conv:.1f} | "
                f"{f'{peak:.1f}' if peak else '—'} | {share(value)} | {share(conv)} | "
                f"{f'{100 * cpu:.0f}%' if cpu else '—'} | {ours / value:.2f}× | {ours_conv / conv:.2f}× |")
    counts = "; ".join(f"{name} {precision} {nonzeros[(name, precision)]}"
                       for name, precision, _ in rows if nonzeros.get((name, precision)))
    lines += ["", "The pass counts `2 · 256² · Σ_i 9 m_i m_{i-1}` ≈ 3.04 GFLOP, for every implementation alike. "
              "The peak is that of fused multiply-adds of the precision on that many threads, measured by "
              "`mlcsc bench`; the CPU-time fraction (mlcsc only) divides the operations per CPU second by one "
              "core's peak in its own CPU time, which other load does not change. Each implementation draws its "
              f"own numbers from the same laws, so the reports agree in law, not digit for digit: {counts}."]
    return "\n".join(lines)
