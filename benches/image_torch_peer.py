#!/usr/bin/env python3
"""The PyTorch peer of `mlcsc bench --workload forward-image`, on PyTorch's strongest CPU path for
a small image CNN: `torch.nn.functional.conv2d` on tensors in `torch.channels_last` memory format
(oneDNN's convolution where PyTorch has it, with the bias fused), under `torch.inference_mode()`.

The same shape and work as `mlcsc bench --workload forward-image` (src/bench/forward_image.rs): a
256 x 256 image of one channel in [-1, 1], three layers of 3 x 3 unit filters with 16, 32 and 64
channels, stride 1, one zero of padding on every side, and per layer and channel a bias -beta with
beta uniform in [0, 0.2]: x <- relu(conv2d(x, W_i) - beta_i), and the count of nonzeros of every
layer (the report), computed in torch, in the timed pass. The numbers are drawn from torch's own
generator, so the counts are of the same law as mlcsc's, not the same numbers.

Timed: the full pass (convolutions, bias, ReLU in place, counts) and, apart, the three
convolutions alone (no bias), each on the input its layer had in the full pass: the kernel-to-
kernel figure. The weights, the image and those inputs are built once before any clock and kept
(persistent buffers); conv2d has no output argument, so each call returns a new tensor, which
PyTorch's allocator recycles across runs. `gflops` counts 2 * 256^2 * sum_i 9 m_i m_{i-1}.

Output: a JSON list with one object (workload, dtype, threads, seconds, gflops, conv-seconds,
conv-gflops, nonzeros, mkldnn, output-channels-last). Each figure is the median of --repeat timed
runs after one untimed run. If PyTorch is not installed, a message goes to standard error and the
script exits 0 without measuring.

Usage: benches/image_torch_peer.py [--repeat R] [--dtype float32|float64] [--threads T]
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

SIDE = 256
CHANNELS = [1, 16, 32, 64]


def build(dtype):
    generator = torch.Generator().manual_seed(2017)
    weights, biases = [], []
    for m_prev, m in zip(CHANNELS, CHANNELS[1:]):
        w = torch.rand((m, m_prev, 3, 3), generator=generator, dtype=torch.float64) * 2 - 1
        w = w / w.pow(2).sum(dim=(1, 2, 3), keepdim=True).sqrt()
        weights.append(w.to(dtype).contiguous(memory_format=torch.channels_last))
        beta = torch.rand(m, generator=generator, dtype=torch.float64) * 0.2
        biases.append((-beta).to(dtype))
    image = torch.rand((1, 1, SIDE, SIDE), generator=generator, dtype=torch.float64) * 2 - 1
    return image.to(dtype).contiguous(memory_format=torch.channels_last), weights, biases


def layer(x, w, b):
    """relu(conv2d(x, w) + b), channels-last. A one-channel input is contiguous in both formats,
    and conv2d then returns the contiguous (NCHW) one, on which the next layer's convolution is
    slower than on channels-last (31 against 22 ms here): convert it, one copy of the output."""
    y = F.conv2d(x, w, b, padding=1)
    return y.contiguous(memory_format=torch.channels_last).relu_()


def nonzeros(x):
    """The count of nonzeros of x >= 0 (after the ReLU): the sum of its signs, each 0 or 1, exact
    since the partial sums stay below 2^24. It equals torch.count_nonzero(x), which took 25 times
    longer here (50 ms for the last layer's 4.2 M entries, whose convolution takes 100 ms)."""
    return x.sign().sum()


def forward(image, weights, biases):
    """x <- relu(conv2d(x) - beta) per layer; the nonzeros of every layer, as one tensor."""
    x, counts = image, []
    for w, b in zip(weights, biases):
        x = layer(x, w, b)
        counts.append(nonzeros(x))
    return torch.stack(counts), x


def layer_inputs(image, weights, biases):
    """The input of every layer in the full pass, kept for the convolutions alone."""
    inputs, x = [image], image
    for w, b in zip(weights[:-1], biases[:-1]):
        x = layer(x, w, b)
        inputs.append(x)
    return inputs


def convolutions(inputs, weights):
    return [F.conv2d(x, w, padding=1) for x, w in zip(inputs, weights)]


def median_seconds(run, repeat):
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forward_image(repeat, dtype):
    image, weights, biases = build(dtype)
    operations = 2 * SIDE * SIDE * sum(w.numel() for w in weights)
    report = {}
    with torch.inference_mode():
        inputs = layer_inputs(image, weights, biases)

        def full():
            counts, last = forward(image, weights, biases)
            report["nonzeros"] = [int(c) for c in counts.tolist()]
            report["channels-last"] = last.is_contiguous(memory_format=torch.channels_last)

        seconds = median_seconds(full, repeat)
        conv_seconds = median_seconds(lambda: convolutions(inputs, weights), repeat)
    return {"workload": "forward-image", "dtype": str(dtype).replace("torch.", ""),
            "threads": torch.get_num_threads(), "seconds": seconds,
            "gflops": operations / seconds / 1e9, "conv-seconds": conv_seconds,
            "conv-gflops": operations / conv_seconds / 1e9, "nonzeros": report["nonzeros"],
            "mkldnn": torch.backends.mkldnn.is_available(),
            "output-channels-last": report["channels-last"]}


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=positive, default=3, help="timed runs; seconds is their median")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--threads", type=positive, help="intra-op threads (default: PyTorch's)")
    args = parser.parse_args()
    if torch is None:
        print("image_torch_peer.py: PyTorch is not installed; skipping the measurement "
              "(install it with: python3 -m pip install torch)", file=sys.stderr)
        return 0
    if args.threads:
        torch.set_num_threads(args.threads)
    dtype = torch.float32 if args.dtype == "float32" else torch.float64
    print(json.dumps([forward_image(args.repeat, dtype)], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
