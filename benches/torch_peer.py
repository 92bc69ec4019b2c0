#!/usr/bin/env python3
"""The PyTorch peer of `mlcsc bench`: forward-large as a CNN user writes it in PyTorch, on the CPU,
in float32 or float64, so that the Rust kernels are compared with a tuned deep-learning library.

Same model, conventions and timed work as benches/numpy_peer.py (docs/math.md §1: periodic, stride
one, filters[c][t][c'], layer vectors position-major): one model with N = 2**16 positions (or --n)
and layers (n, m) = (8, 16), (8, 32), (8, 64), unit filters of random direction, a deepest
representation of density 1 % and noise 1e-3 N(0, 1). Timed: the synthesis chain X = D1 D2 D3 G3,
layered soft thresholding (beta = 0.1) of X + E, and at every layer the stripe sparsity, patch
sparsity and patch norm of the error. `gflops` counts 2 * 2 * N * (number of filter taps).

How it computes: D^T Z is `conv1d` (a cross-correlation) of Z, padded circularly by n - 1 on the
right, with the filters as weights (m, m_prev, n); D G is `conv1d` of G padded circularly by n - 1
on the left with the flipped, transposed filters (m_prev, m, n), so both run on PyTorch's own
convolution kernels; window sums over positions by cumulative sums. Layer vectors are held as
(1, channels, N) tensors, the layout PyTorch's convolutions want.

With --pipeline channels-last (PyTorch's strongest CPU path for these layers): each layer vector
is a (1, channels, 1, N) tensor in `torch.channels_last` memory format and every product is
`conv2d` with a 1 x n kernel (oneDNN's convolution where PyTorch has it); the circular padding is
copied into a padded buffer kept across runs (persistent buffers), and the report is computed in
torch in the working precision (energies summed in it, no float64 copies). It also times the
six convolutions alone, each on the input it had in the full pass (`conv-seconds`,
`conv-gflops`): the kernel-to-kernel figure.

Output: a JSON list with one object (workload, N, dtype, threads, seconds, gflops, pipeline, and
with channels-last conv-seconds and conv-gflops). `seconds` is the median of --repeat timed runs
after one untimed run; the model is built before the clock starts. If PyTorch is not installed, a message goes to standard error and the script exits 0
without measuring.

Usage: benches/torch_peer.py [--n N] [--repeat R] [--dtype float32|float64] [--threads T]
                             [--pipeline ncw|channels-last]
benches/side_by_side.py runs it alternately with `mlcsc bench` and the NumPy peer.
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

FILTER_LENGTH = 8
THRESHOLD = 0.1
NOISE_LEVEL = 1e-3


def analysis(weights, z):
    """D^T Z: weights (m, m_prev, n), z (1, m_prev, N) -> (1, m, N)."""
    n = weights.shape[2]
    return F.conv1d(F.pad(z, (0, n - 1), mode="circular"), weights)


def synthesis(flipped, gamma):
    """D Gamma: flipped (m_prev, m, n) with flipped[c', c, s] = f_c[n-1-s][c']; gamma (1, m, N)."""
    n = flipped.shape[2]
    return F.conv1d(F.pad(gamma, (n - 1, 0), mode="circular"), flipped)


def largest_window_sum(values, start, width):
    """max over p of values[p + start] + ... + values[p + start + width - 1], periodically."""
    length = values.shape[0]
    width = min(width, length)
    turned = torch.roll(values, -start)
    extended = torch.cat([turned, turned[: width - 1]])
    sums = torch.cat([torch.zeros(1, dtype=values.dtype), torch.cumsum(extended, 0)])
    return (sums[width: width + length] - sums[:length]).max()


def nonzeros(gamma):
    return (gamma[0] != 0).sum(dim=0).to(torch.int64)


def stripe_sparsity(gamma, n):
    return int(largest_window_sum(nonzeros(gamma), -(n - 1), 2 * n - 1))


def patch_sparsity(gamma, width):
    return int(largest_window_sum(nonzeros(gamma), 0, width))


def patch_norm(z, width):
    energies = (z[0].to(torch.float64) ** 2).sum(dim=0)
    return float(largest_window_sum(energies, 0, width).clamp(min=0.0).sqrt())


def random_model(generator, length, shapes, density, dtype):
    """Unit filters of random direction per layer, a sparse deepest representation, noise."""
    filters, m_prev = [], 1
    for n, m in shapes:
        f = torch.randn((m, n, m_prev), generator=generator, dtype=torch.float64)
        filters.append(f / f.pow(2).sum(dim=(1, 2)).sqrt()[:, None, None])
        m_prev = m
    mask = torch.rand((m_prev, length), generator=generator, dtype=torch.float64) < density
    deepest = torch.where(mask, torch.randn((m_prev, length), generator=generator, dtype=torch.float64), 0.0)
    noise = NOISE_LEVEL * torch.randn((1, length), generator=generator, dtype=torch.float64)
    analysis_weights = [f.permute(0, 2, 1).contiguous().to(dtype) for f in filters]
    synthesis_weights = [f.permute(2, 0, 1).flip(2).contiguous().to(dtype) for f in filters]
    return analysis_weights, synthesis_weights, deepest[None].to(dtype), noise[None].to(dtype)


def forward(analysis_weights, synthesis_weights, deepest, noise, last_width=1):
    """Synthesis chain, layered soft thresholding, and per layer (s_i, p_i, patch error)."""
    chain = [deepest]
    for w in reversed(synthesis_weights):
        chain.insert(0, synthesis(w, chain[0]))
    estimate = chain[0] + noise
    report = []
    for i, w in enumerate(analysis_weights):
        estimate = F.softshrink(analysis(w, estimate), THRESHOLD)
        n = w.shape[2]
        width = analysis_weights[i + 1].shape[2] if i + 1 < len(analysis_weights) else last_width
        gamma = chain[i + 1]
        report.append((stripe_sparsity(gamma, n), patch_sparsity(gamma, width),
                       patch_norm(estimate - gamma, width)))
    return report


class ChannelsLast:
    """forward-large on (1, C, 1, N) channels-last tensors through conv2d, with a padded buffer per
    product kept across runs: buffer[..., :pad] and buffer[..., pad:] hold the wrapped positions
    and the vector itself (analysis pads n - 1 on the right, synthesis n - 1 on the left)."""

    def __init__(self, analysis_weights, synthesis_weights, deepest, noise):
        last = torch.channels_last
        as4 = lambda t: t[:, :, None, :].contiguous(memory_format=last)
        self.analysis = [as4(w) for w in analysis_weights]
        self.synthesis = [as4(w) for w in synthesis_weights]
        self.deepest, self.noise = as4(deepest), as4(noise)
        length = deepest.shape[-1]
        buffer = lambda channels, n: torch.zeros((1, channels, 1, length + n - 1), dtype=deepest.dtype
                                                 ).contiguous(memory_format=last)
        self.analysis_buffers = [buffer(w.shape[1], w.shape[3]) for w in self.analysis]
        self.synthesis_buffers = [buffer(w.shape[1], w.shape[3]) for w in self.synthesis]
        self.conv_inputs = []

    @staticmethod
    def wrap_right(buffer, z):
        """buffer = [z, z[..., :n-1]]: the input of a correlation with n - 1 taps to the right."""
        length = z.shape[-1]
        buffer[..., :length].copy_(z)
        buffer[..., length:].copy_(z[..., : buffer.shape[-1] - length])
        return buffer

    @staticmethod
    def wrap_left(buffer, z):
        """buffer = [z[..., N-n+1:], z]: n - 1 taps to the left."""
        pad = buffer.shape[-1] - z.shape[-1]
        buffer[..., pad:].copy_(z)
        buffer[..., :pad].copy_(z[..., z.shape[-1] - pad:])
        return buffer

    def forward(self, last_width=1, keep_inputs=False):
        chain = [self.deepest]
        inputs = []
        for w, buffer in zip(reversed(self.synthesis), reversed(self.synthesis_buffers)):
            padded = self.wrap_left(buffer, chain[0])
            inputs.append(padded.clone() if keep_inputs else None)
            chain.insert(0, F.conv2d(padded, w))
        estimate = chain[0] + self.noise
        report = []
        for i, (w, buffer) in enumerate(zip(self.analysis, self.analysis_buffers)):
            padded = self.wrap_right(buffer, estimate)
            inputs.append(padded.clone() if keep_inputs else None)
            estimate = F.softshrink(F.conv2d(padded, w), THRESHOLD)
            n = w.shape[3]
            width = self.analysis[i + 1].shape[3] if i + 1 < len(self.analysis) else last_width
            gamma = chain[i + 1]
            counts = (gamma[0, :, 0] != 0).sum(dim=0)
            energies = (estimate[0, :, 0] - gamma[0, :, 0]).pow(2).sum(dim=0)
            report.append((int(largest_window_sum(counts, -(n - 1), 2 * n - 1)),
                           int(largest_window_sum(counts, 0, width)),
                           float(largest_window_sum(energies, 0, width).clamp(min=0.0).sqrt())))
        if keep_inputs:
            self.conv_inputs = list(zip(inputs, list(reversed(self.synthesis)) + self.analysis))
        return report

    def convolutions(self):
        return [F.conv2d(x, w) for x, w in self.conv_inputs]


def median_seconds(run, repeat):
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forward_large_channels_last(length, repeat, dtype):
    generator = torch.Generator().manual_seed(2017)
    shapes = [(FILTER_LENGTH, 16), (FILTER_LENGTH, 32), (FILTER_LENGTH, 64)]
    model = random_model(generator, length, shapes, 0.01, dtype)
    operations = 2 * 2 * length * sum(w.numel() for w in model[0])
    with torch.inference_mode():
        pipeline = ChannelsLast(*model)
        pipeline.forward(keep_inputs=True)
        seconds = median_seconds(pipeline.forward, repeat)
        conv_seconds = median_seconds(pipeline.convolutions, repeat)
    return {"workload": "forward-large", "N": length, "dtype": str(dtype).replace("torch.", ""),
            "threads": torch.get_num_threads(), "pipeline": "channels-last", "seconds": seconds,
            "gflops": operations / seconds / 1e9, "conv-seconds": conv_seconds,
            "conv-gflops": operations / conv_seconds / 1e9,
            "mkldnn": torch.backends.mkldnn.is_available()}


def forward_large(length, repeat, dtype):
    generator = torch.Generator().manual_seed(2017)
    shapes = [(FILTER_LENGTH, 16), (FILTER_LENGTH, 32), (FILTER_LENGTH, 64)]
    model = random_model(generator, length, shapes, 0.01, dtype)
    with torch.inference_mode():
        forward(*model)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            forward(*model)
            times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    taps = sum(w.numel() for w in model[0])
    return {"workload": "forward-large", "N": length, "dtype": str(dtype).replace("torch.", ""),
            "threads": torch.get_num_threads(), "pipeline": "ncw", "seconds": seconds,
            "gflops": 2 * 2 * length * taps / seconds / 1e9}


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=positive, default=2 ** 16, help="signal length of forward-large")
    parser.add_argument("--repeat", type=positive, default=3, help="timed runs; seconds is their median")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--threads", type=positive, help="intra-op threads (default: PyTorch's)")
    parser.add_argument("--pipeline", choices=["ncw", "channels-last"], default="ncw",
                        help="conv1d on (1, C, N) tensors, or conv2d on channels-last (1, C, 1, N) ones")
    args = parser.parse_args()
    if args.n < 2 * FILTER_LENGTH - 1:
        parser.error(f"--n must be at least {2 * FILTER_LENGTH - 1} (N >= 2n - 1, docs/math.md §1)")
    if torch is None:
        print("torch_peer.py: PyTorch is not installed; skipping the measurement "
              "(install it with: python3 -m pip install torch)", file=sys.stderr)
        return 0
    if args.threads:
        torch.set_num_threads(args.threads)
    dtype = torch.float32 if args.dtype == "float32" else torch.float64
    run = forward_large_channels_last if args.pipeline == "channels-last" else forward_large
    print(json.dumps([run(args.n, args.repeat, dtype)], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
