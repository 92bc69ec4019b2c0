#!/usr/bin/env python3
"""The NumPy peer of `mlcsc bench`: the same ML-CSC computations, written as a careful NumPy user
would write them, so that the speed of the Rust code has something fair to be compared with.

It measures wall-clock time (no correctness is checked here; the Rust test suite does that) of
two workloads, with the conventions of docs/math.md §1 (periodic, stride one, filters[c][t][c'],
layer vectors as N x m arrays, position-major):

  forward-large   one model with N = 2**16 positions (or --n) and three layers (n, m) = (8, 16),
                  (8, 32), (8, 64), unit filters of random direction, a deepest representation of
                  density 1 % and noise 1e-3 N(0, 1). Timed: the synthesis chain X = D1 D2 D3 G3,
                  layered soft thresholding (beta = 0.1) of X + E, and at every layer the stripe
                  sparsity, patch sparsity and patch norm of the error. Reports `seconds` and
                  `gflops`, counting 2 * 2 * N * (number of filter taps) per layer (one D, one D^T).
  campaign-small  --cases independent two-layer models with N = 64, layers (8, 2) and (2, 2),
                  density 5 %. Timed, per case: the mutual coherence of both layers and the same
                  forward computation. Reports `seconds` and `cases_per_second`; one untimed run
                  comes first, as in `mlcsc bench`.

`seconds` is the median of --repeat timed runs; models are built before the clock starts. How it
computes: D^T Z as one matrix product of the filters with the windows of Z (im2col); D G as one
matrix product followed by the scatter-add of its columns (the adjoint of im2col); window sums
over positions by cumulative sums; the coherence from one correlation matrix per shift.

Output: a JSON list with one object per workload, the fields named above. If NumPy is not
installed, a message goes to standard error and the script exits 0 without measuring.

Usage: benches/numpy_peer.py [--workload forward-large|campaign-small|all] [--n N]
                             [--cases C] [--repeat R]
scripts/cost_growth.py --side-by-side runs it alternately with `mlcsc bench`.
"""
import argparse
import json
import sys
import time

try:
    import numpy as np
except ImportError:
    np = None

FILTER_LENGTH = 8
THRESHOLD = 0.1
NOISE_LEVEL = 1e-3


def analysis(filters, z):
    """D^T Z: filters (m, n, m_prev), z (N, m_prev) -> (N, m), one matrix product."""
    m, n, m_prev = filters.shape
    wrapped = np.concatenate([z, z[: n - 1]])
    # windows[p, c', t] = z[(p + t) mod N, c']
    windows = np.lib.stride_tricks.sliding_window_view(wrapped, n, axis=0)
    columns = windows.transpose(0, 2, 1).reshape(z.shape[0], n * m_prev)
    return columns @ filters.reshape(m, n * m_prev).T


def synthesis(filters, gamma):
    """D Gamma: filters (m, n, m_prev), gamma (N, m) -> (N, m_prev)."""
    m, n, m_prev = filters.shape
    length = gamma.shape[0]
    # pieces[p, t] is what the atoms at position p put at position p + t
    pieces = (gamma @ filters.reshape(m, n * m_prev)).reshape(length, n, m_prev)
    out = pieces[:, 0, :].copy()
    for t in range(1, n):
        out[t:] += pieces[: length - t, t, :]
        out[:t] += pieces[length - t :, t, :]
    return out


def largest_window_sum(values, start, width):
    """max over p of values[p + start] + ... + values[p + start + width - 1], periodically."""
    length = values.shape[0]
    width = min(width, length)
    turned = np.roll(values, -start)
    extended = np.concatenate([turned, turned[: width - 1]])
    sums = np.concatenate([np.zeros(1, dtype=values.dtype), np.cumsum(extended)])
    return (sums[width : width + length] - sums[:length]).max()


def stripe_sparsity(gamma, n):
    nonzeros = np.count_nonzero(gamma, axis=1)
    return int(largest_window_sum(nonzeros, -(n - 1), 2 * n - 1))


def patch_sparsity(gamma, width):
    return int(largest_window_sum(np.count_nonzero(gamma, axis=1), 0, width))


def patch_norm(z, width):
    return float(np.sqrt(max(largest_window_sum(np.einsum("ij,ij->i", z, z), 0, width), 0.0)))


def mutual_coherence(filters):
    """Largest aperiodic correlation between distinct atoms (docs/math.md §3)."""
    m, n, _ = filters.shape
    best = 0.0
    for shift in range(n):
        # correlation[a, b] = sum over t, c'' of f_a[t][c''] f_b[t + shift][c'']; negative
        # shifts are the transposes, so shifts >= 0 with every ordered pair cover them all
        left = filters[:, : n - shift, :].reshape(m, -1)
        right = filters[:, shift:, :].reshape(m, -1)
        correlation = np.abs(left @ right.T)
        if shift == 0:
            np.fill_diagonal(correlation, 0.0)
        best = max(best, float(correlation.max()))
    return best


def soft_threshold(x, beta):
    return np.sign(x) * np.maximum(np.abs(x) - beta, 0.0)


def random_model(rng, length, shapes, density):
    """Unit filters of random direction per layer, a sparse deepest representation, noise."""
    filters, m_prev = [], 1
    for n, m in shapes:
        f = rng.standard_normal((m, n, m_prev))
        filters.append(f / np.sqrt((f * f).sum(axis=(1, 2)))[:, None, None])
        m_prev = m
    deepest = np.where(rng.random((length, m_prev)) < density, rng.standard_normal((length, m_prev)), 0.0)
    noise = NOISE_LEVEL * rng.standard_normal((length, 1))
    return filters, deepest, noise


def forward(filters, deepest, noise, last_width=1):
    """Synthesis chain, layered soft thresholding, and per layer (s_i, p_i, patch error)."""
    chain = [deepest]
    for f in reversed(filters):
        chain.insert(0, synthesis(f, chain[0]))
    estimate = chain[0] + noise
    report = []
    for i, f in enumerate(filters):
        estimate = soft_threshold(analysis(f, estimate), THRESHOLD)
        width = filters[i + 1].shape[1] if i + 1 < len(filters) else last_width
        gamma = chain[i + 1]
        report.append((stripe_sparsity(gamma, f.shape[1]), patch_sparsity(gamma, width),
                       patch_norm(estimate - gamma, width)))
    return report


def median_seconds(run, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def forward_large(length, repeat):
    rng = np.random.default_rng(2017)
    shapes = [(FILTER_LENGTH, 16), (FILTER_LENGTH, 32), (FILTER_LENGTH, 64)]
    filters, deepest, noise = random_model(rng, length, shapes, 0.01)
    seconds = median_seconds(lambda: forward(filters, deepest, noise), repeat)
    flops = 2 * 2 * length * sum(f.size for f in filters)
    return {"workload": "forward-large", "N": length, "seconds": seconds, "gflops": flops / seconds / 1e9}


def campaign_small(cases, repeat):
    rng = np.random.default_rng(2018)
    models = [random_model(rng, 64, [(FILTER_LENGTH, 2), (2, 2)], 0.05) for _ in range(cases)]

    def run():
        for filters, deepest, noise in models:
            for f in filters:
                mutual_coherence(f)
            forward(filters, deepest, noise)

    run()
    seconds = median_seconds(run, repeat)
    return {"workload": "campaign-small", "cases": cases, "seconds": seconds, "cases-per-second": cases / seconds}


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workload", choices=["forward-large", "campaign-small", "all"], default="all")
    parser.add_argument("--n", type=positive, default=2 ** 16, help="signal length of forward-large")
    parser.add_argument("--cases", type=positive, default=200, help="cases of campaign-small")
    parser.add_argument("--repeat", type=positive, default=3, help="timed runs; seconds is their median")
    args = parser.parse_args()
    if args.n < 2 * FILTER_LENGTH - 1:
        parser.error(f"--n must be at least {2 * FILTER_LENGTH - 1} (N >= 2n - 1, docs/math.md §1)")
    if np is None:
        print("numpy_peer.py: NumPy is not installed; skipping the measurement "
              "(install it with: python3 -m pip install numpy)", file=sys.stderr)
        return 0
    results = []
    if args.workload in ("forward-large", "all"):
        results.append(forward_large(args.n, args.repeat))
    if args.workload in ("campaign-small", "all"):
        results.append(campaign_small(args.cases, args.repeat))
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
