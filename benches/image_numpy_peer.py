#!/usr/bin/env python3
"""The NumPy peer of `mlcsc bench --workload forward-image`: the same image pass as a careful NumPy
user writes it, a plain peer beside the PyTorch one (benches/image_torch_peer.py).

Shape and work as in src/bench/forward_image.rs: a 256 x 256 image of one channel in [-1, 1],
three layers of 3 x 3 unit filters with 16, 32 and 64 channels, stride 1, one zero of padding on
every side, x <- max(conv(x, W_i) - beta_i, 0) with beta per channel uniform in [0, 0.2], and the
count of nonzeros of every layer (the report) in the timed pass. The numbers are NumPy's own
draws. Images are channels-last (H, W, C) arrays; each convolution is one `tensordot` of the
windows of the padded input (`sliding_window_view`, which tensordot copies into an im2col
matrix) with the filters, so the products run in the BLAS NumPy links. The padded inputs and
the outputs are kept across runs where NumPy allows it (the padding is written into a kept
array; tensordot returns a new one).

Timed: the full pass and, apart, the three convolutions alone on the inputs their layers had in
the full pass. `gflops` counts 2 * 256^2 * sum_i 9 m_i m_{i-1}. Output: a JSON list with one
object (workload, dtype, seconds, gflops, conv-seconds, conv-gflops, nonzeros); each figure is the
median of --repeat timed runs after one untimed run. If NumPy is not installed, a message goes to
standard error and the script exits 0 without measuring.

Usage: benches/image_numpy_peer.py [--repeat R] [--dtype float32|float64]
"""
import argparse
import json
import statistics
import sys
import time

try:
    import numpy as np
except ImportError:
    np = None

SIDE = 256
CHANNELS = [1, 16, 32, 64]


def build(dtype):
    rng = np.random.default_rng(2017)
    weights, betas = [], []
    for m_prev, m in zip(CHANNELS, CHANNELS[1:]):
        w = rng.uniform(-1.0, 1.0, (m, 3, 3, m_prev))
        w /= np.sqrt((w * w).sum(axis=(1, 2, 3), keepdims=True))
        weights.append(w.astype(dtype))
        betas.append(rng.uniform(0.0, 0.2, m).astype(dtype))
    image = rng.uniform(-1.0, 1.0, (SIDE, SIDE, 1)).astype(dtype)
    padded = [np.zeros((SIDE + 2, SIDE + 2, m), dtype=dtype) for m in CHANNELS[:-1]]
    return image, weights, betas, padded


def convolution(x, w, padded):
    """conv2d with one zero on every side: x (H, W, m_prev), w (m, 3, 3, m_prev) -> (H, W, m)."""
    padded[1:-1, 1:-1, :] = x
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(0, 1))
    # windows[r, c, c', i, j] = padded[r + i, c + j, c']
    return np.tensordot(windows, w, axes=([3, 4, 2], [1, 2, 3]))


def forward(image, weights, betas, padded):
    x, counts = image, []
    for w, beta, pad in zip(weights, betas, padded):
        x = convolution(x, w, pad)
        x -= beta
        np.maximum(x, 0, out=x)
        counts.append(int(np.count_nonzero(x)))
    return counts, x


def median_seconds(run, repeat):
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forward_image(repeat, dtype):
    image, weights, betas, padded = build(dtype)
    operations = 2 * SIDE * SIDE * sum(w.size for w in weights)
    inputs, x = [image], image
    for w, beta, pad in zip(weights[:-1], betas[:-1], padded[:-1]):
        x = np.maximum(convolution(x, w, pad) - beta, 0)
        inputs.append(x)
    report = {}

    def full():
        report["nonzeros"] = forward(image, weights, betas, padded)[0]

    seconds = median_seconds(full, repeat)
    conv_seconds = median_seconds(
        lambda: [convolution(x, w, pad) for x, w, pad in zip(inputs, weights, padded)], repeat)
    return {"workload": "forward-image", "dtype": np.dtype(dtype).name, "seconds": seconds,
            "gflops": operations / seconds / 1e9, "conv-seconds": conv_seconds,
            "conv-gflops": operations / conv_seconds / 1e9, "nonzeros": report["nonzeros"]}


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=positive, default=3, help="timed runs; seconds is their median")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    args = parser.parse_args()
    if np is None:
        print("image_numpy_peer.py: NumPy is not installed; skipping the measurement "
              "(install it with: python3 -m pip install numpy)", file=sys.stderr)
        return 0
    dtype = np.float32 if args.dtype == "float32" else np.float64
    print(json.dumps([forward_image(args.repeat, dtype)], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
