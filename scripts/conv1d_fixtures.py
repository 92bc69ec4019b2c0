#!/usr/bin/env python3
"""Fixtures of PyTorch's 1-D convolution semantics for the strided dictionary.

Writes fixtures/conv1d/*.json: small integer-valued cases of a strided, padded convolution
layer, computed here directly from PyTorch's definitions with explicit loops and np.pad, not
from the Rust formulas. Each case holds, in PyTorch's layouts:

- "weight": W[c][c'][t] (out channel, in channel, tap), m x m_prev x n;
- "input": Z[c'][q], m_prev x N (N = "input_length");
- "expected_analysis": conv1d(Z, W, stride), m x N_out, after padding Z by np.pad:
  zeros (P^l, P^r) for "zero", nothing for "valid", and periodically by (0, n - 1) for
  "circular" (output length N / stride);
- "gamma": m x N_out and "expected_synthesis": m_prev x N, conv_transpose1d(gamma, W, stride)
  computed as the full scatter y[c', s p + t] += gamma[c, p] W[c, c', t], then for "zero"
  cropped to the positions P^l ... P^l + N - 1 (zeros where the scatter does not reach), for
  "valid" to 0 ... N - 1, and for "circular" folded modulo N.

Usage:
    python3 scripts/conv1d_fixtures.py           # (re)write fixtures/conv1d/*.json
    python3 scripts/conv1d_fixtures.py --check   # recompute and compare with the files
    python3 scripts/conv1d_fixtures.py --torch   # compare the files with torch, if installed

Needs numpy (skips with a message and exit 0 without it); --torch needs torch and skips the
same way without it. The Rust test tests/all/strided_operators.rs reads the files and checks
that the specification's strided operators reproduce them exactly. See docs/math.md.
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "fixtures", "conv1d")

# (name, stride, mode, left, right, m_prev, m, n, N)
CASES = [
    ("s1_circular_1to1_n3", 1, "circular", 0, 0, 1, 1, 3, 6),
    ("s2_circular_2to2_n3", 2, "circular", 0, 0, 2, 2, 3, 8),
    ("s3_circular_1to3_n5", 3, "circular", 0, 0, 1, 3, 5, 9),
    ("s2_circular_3to1_n1", 2, "circular", 0, 0, 3, 1, 1, 4),
    ("s1_zero_1_1_2to1_n3", 1, "zero", 1, 1, 2, 1, 3, 5),
    ("s2_zero_1_1_1to2_n4", 2, "zero", 1, 1, 1, 2, 4, 7),
    ("s2_zero_2_0_3to2_n3", 2, "zero", 2, 0, 3, 2, 3, 6),
    ("s3_zero_0_2_2to3_n2", 3, "zero", 0, 2, 2, 3, 2, 7),
    ("s1_zero_2_1_1to1_n5_short", 1, "zero", 2, 1, 1, 1, 5, 4),
    ("s3_zero_1_2_3to3_n5", 3, "zero", 1, 2, 3, 3, 5, 10),
    ("s1_valid_2to2_n2", 1, "valid", 0, 0, 2, 2, 2, 5),
    ("s2_valid_3to1_n3_ragged", 2, "valid", 0, 0, 3, 1, 3, 8),
    ("s3_valid_1to2_n1", 3, "valid", 0, 0, 1, 2, 1, 7),
]


def padded_input(np, z, mode, left, right, n):
    """Z extended as the mode says: zeros, nothing, or one period continued by n - 1."""
    if mode == "zero":
        return np.pad(z, ((0, 0), (left, right)), mode="constant")
    if mode == "valid":
        return z
    return np.pad(z, ((0, 0), (0, n - 1)), mode="wrap")


def conv1d(np, z, w, stride, mode, left, right):
    """PyTorch's conv1d (cross-correlation, no bias) with explicit loops."""
    m, m_prev, n = w.shape
    x = padded_input(np, z, mode, left, right, n)
    length = x.shape[1]
    out_length = (length - n) // stride + 1
    out = np.zeros((m, out_length), dtype=np.int64)
    for c in range(m):
        for p in range(out_length):
            total = 0
            for c_in in range(m_prev):
                for t in range(n):
                    total += int(w[c, c_in, t]) * int(x[c_in, stride * p + t])
            out[c, p] = total
    return out


def conv_transpose1d(np, gamma, w, stride, mode, left, n_in):
    """PyTorch's conv_transpose1d as a full scatter, then cropped (or folded when circular)."""
    m, m_prev, n = w.shape
    out_length = gamma.shape[1]
    full = np.zeros((m_prev, (out_length - 1) * stride + n), dtype=np.int64)
    for c in range(m):
        for p in range(out_length):
            for c_in in range(m_prev):
                for t in range(n):
                    full[c_in, stride * p + t] += int(gamma[c, p]) * int(w[c, c_in, t])
    out = np.zeros((m_prev, n_in), dtype=np.int64)
    for j in range(full.shape[1]):
        if mode == "circular":
            out[:, j % n_in] += full[:, j]
        else:
            q = j - (left if mode == "zero" else 0)
            if 0 <= q < n_in:
                out[:, q] += full[:, j]
    return out


def make_case(np, rng, name, stride, mode, left, right, m_prev, m, n, n_in):
    w = rng.integers(-3, 4, size=(m, m_prev, n))
    z = rng.integers(-3, 4, size=(m_prev, n_in))
    analysis = conv1d(np, z, w, stride, mode, left, right)
    gamma = rng.integers(-2, 3, size=analysis.shape)
    synthesis = conv_transpose1d(np, gamma, w, stride, mode, left, n_in)
    return {
        "name": name,
        "stride": stride,
        "padding": {"mode": mode, "left": left, "right": right},
        "input_length": n_in,
        "weight": w.tolist(),
        "input": z.tolist(),
        "expected_analysis": analysis.tolist(),
        "gamma": gamma.tolist(),
        "expected_synthesis": synthesis.tolist(),
    }


def all_cases(np):
    rng = np.random.default_rng(20261206)
    return [make_case(np, rng, *case) for case in CASES]


def text(case):
    return json.dumps(case, indent=1) + "\n"


def write(np):
    os.makedirs(FOLDER, exist_ok=True)
    for case in all_cases(np):
        path = os.path.join(FOLDER, case["name"] + ".json")
        temporary = path + ".tmp"
        with open(temporary, "w") as f:
            f.write(text(case))
        os.replace(temporary, path)
    print(f"wrote {len(CASES)} fixtures to {FOLDER}")


def check(np):
    differ = 0
    for case in all_cases(np):
        path = os.path.join(FOLDER, case["name"] + ".json")
        with open(path) as f:
            if f.read() != text(case):
                print(f"DIFFERS: {path}")
                differ += 1
    print(f"{len(CASES) - differ} of {len(CASES)} fixtures as recomputed")
    return 1 if differ else 0


def torch_check(np):
    """Each fixture against torch.nn.functional.conv1d and conv_transpose1d."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("torch is not installed: torch comparison skipped")
        return 0
    differ = 0
    for case in all_cases(np):
        stride, mode = case["stride"], case["padding"]["mode"]
        left, right = case["padding"]["left"], case["padding"]["right"]
        w = torch.tensor(case["weight"], dtype=torch.float64)
        z = torch.tensor([case["input"]], dtype=torch.float64)
        gamma = torch.tensor([case["gamma"]], dtype=torch.float64)
        n, n_in = w.shape[2], case["input_length"]
        if mode == "circular":
            x = F.pad(z, (0, n - 1), mode="circular")
        else:
            x = F.pad(z, (left, right))
        analysis = F.conv1d(x, w, stride=stride)[0]
        full = F.conv_transpose1d(gamma, w, stride=stride)[0]
        synthesis = torch.zeros((w.shape[1], n_in), dtype=torch.float64)
        shift = left if mode == "zero" else 0
        for j in range(full.shape[1]):
            q = j % n_in if mode == "circular" else j - shift
            if 0 <= q < n_in:
                synthesis[:, q] += full[:, j]
        same = analysis.tolist() == case["expected_analysis"]
        same = same and synthesis.tolist() == case["expected_synthesis"]
        if mode == "zero" and left == right:
            extra = (n_in + 2 * left - n) % stride
            direct = F.conv_transpose1d(
                gamma, w, stride=stride, padding=left, output_padding=extra
            )[0]
            same = same and direct.tolist() == case["expected_synthesis"]
        if not same:
            print(f"DIFFERS from torch: {case['name']}")
            differ += 1
    print(f"{len(CASES) - differ} of {len(CASES)} fixtures equal torch's conv1d")
    return 1 if differ else 0


def main():
    try:
        import numpy as np
    except ImportError:
        print("numpy is not installed: conv1d fixtures skipped (pip install numpy)")
        return 0
    if "--check" in sys.argv[1:]:
        return check(np)
    if "--torch" in sys.argv[1:]:
        return torch_check(np)
    write(np)
    return 0


if __name__ == "__main__":
    sys.exit(main())
