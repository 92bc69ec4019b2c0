#!/usr/bin/env python3
"""Image networks of the authors' geometries, in the model by construction, for `mlcsc certify`.

Writes fixtures/networks/{mnist,cifar}-ml-ista-{uniform,chain}.{safetensors,json}: Conv2d
networks whose weights are PyTorch's Conv2d.weight [out][in][kh][kw] (float32 safetensors)
and whose manifests are image manifests of the format mlcsc-network-1 (input.shape [H, W],
stride pairs, padding top/bottom/left/right; fixtures/networks/README.md):

    mnist: 1 input channel, 28 x 28; 6x6 stride 2, 6x6 stride 2, 4x4 stride 1, no padding
           (valid): 28 -> 12 -> 4 -> 1; channels 1 -> 8 -> 16 -> 32
    cifar: 3 input channels (RGB), 32 x 32; three 4x4 stride-2 layers with zero padding 1
           on each side: 32 -> 16 -> 8 -> 4; channels 3 -> 8 -> 16 -> 32

The authors' MNIST network has 64, 128 and 512 channels; the exact fold's folded coherence
costs m^2 (displacements) m' n_h n_w rational multiply-adds per layer, about 2.6e10 at 512
channels, so the fixtures keep the geometries and use 8, 16 and 32.

The filters are exactly unit: each is a direction drawn from a seeded normal law, scaled to
2^8, rounded to integers a, and moved to sum a^2 = 4^8 by changing two entries (the least
change found; exact_unit), so every entry a / 256 is a float32 and every folded norm is
exactly 1 (rho = 1, beta = -bias). The biases are <= 0, one per layer (one threshold t_i per
layer):

    uniform: t_i = 0.1 in every layer. Layer 1's band is non-empty (beta = 0.1 > mu_1 B_1);
             layer 2's band is empty: its noise bound eps_1 <= sqrt(P_1(1)) t_1 (P_1(1) = 4
             on MNIST: 2 x 2 stripes of 5 x 5 positions cover a 6 x 6 window) is above its
             ceiling E_2 = t (1 - mu_2)/(1 + mu_2), the coherence mu_2 taking the rest.
    chain:   t_1 = 0.1, t_{i+1} = 2 offset_{i+1} (1 + mu_{i+1})/(1 - mu_{i+1}) with
             offset_{i+1} = sqrt(P_i(1)) (offset_i + t_i) (proofs/certified_region.md, CR4;
             on images P_i(1) counts the stripes of both axes, proofs/two_dimensions.md, G11),
             so that E_{i+1} = 2 offset_{i+1}: certified by construction.

Usage:
    python3 scripts/image_network_fixtures.py           # (re)write the 8 files
    python3 scripts/image_network_fixtures.py --check   # recompute and compare bytes

Needs numpy (skips with a message and exit 0 without it). Every file is written through a
temporary name and a rename. Exit 1 when --check finds a difference.
"""

import json
import math
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "fixtures", "networks")
SCALE_BITS = 8
FIRST_THRESHOLD = 0.1
CHAIN_SAFETY = 2.0

# name, input channels, (H, W), layers as (out, kernel, stride, padding)
NETWORKS = [
    ("mnist-ml-ista", 1, (28, 28), [(8, 6, 2, 0), (16, 6, 2, 0), (32, 4, 1, 0)]),
    ("cifar-ml-ista", 3, (32, 32), [(8, 4, 2, 1), (16, 4, 2, 1), (32, 4, 2, 1)]),
]


def exact_unit(np, direction, allowed=None, nonnegative=False, bits=SCALE_BITS):
    """Integers a, zero outside `allowed` (a boolean mask; all when None), with sum a^2 = 4^bits
    exactly and a / 2^bits close to the unit vector of `direction`: rounded, then two entries
    changed by the least total amount that makes the sum exact, or, when no two suffice, a third
    moved by up to 8 first (entries >= 0 when `nonnegative`). Raises ValueError when none is
    found."""
    flat = np.asarray(direction, dtype=np.float64).ravel()
    mask = np.ones(flat.shape, dtype=bool) if allowed is None else np.asarray(allowed).ravel()
    flat = np.where(mask, flat, 0.0)
    if nonnegative:
        flat = np.maximum(flat, 0.0)
    unit = flat / np.linalg.norm(flat)
    a = [int(v) for v in np.rint(unit * 2**bits)]
    places = [i for i in range(len(a)) if mask[i]]
    found = exact_pair(a, places, 4**bits, nonnegative)
    for third in places if found is None else []:
        for change in sorted(range(-8, 9), key=abs)[1:]:
            moved = list(a)
            moved[third] += change
            if nonnegative and moved[third] < 0:
                continue
            found = exact_pair(moved, [i for i in places if i != third], 4**bits, nonnegative)
            if found is not None:
                break
        if found is not None:
            break
    if found is None:
        raise ValueError("no exact unit vector near the direction")
    assert sum(v * v for v in found) == 4**bits
    return np.array(found, dtype=np.int64).reshape(np.shape(direction))


def exact_pair(a, places, target, nonnegative):
    """`a` with two entries of `places` changed, by the least total amount, so that its squares
    sum to `target`; None when no change of the first entry by at most 24 does it."""
    total = sum(v * v for v in a)
    if total == target:
        return list(a)
    best = None
    for j in places:
        for l in places:
            if l == j:
                continue
            rest = total - a[j] ** 2 - a[l] ** 2
            for change in range(-24, 25):
                value = a[j] + change
                if nonnegative and value < 0:
                    continue
                remainder = target - rest - value * value
                if remainder < 0:
                    continue
                root = math.isqrt(remainder)
                if root * root != remainder:
                    continue
                other = -root if (a[l] < 0 and not nonnegative) else root
                cost = abs(change) + abs(other - a[l])
                if best is None or cost < best[0]:
                    best = (cost, j, value, l, other)
    if best is None:
        return None
    _, j, value, l, other = best
    moved = list(a)
    moved[j], moved[l] = value, other
    return moved


def unit_filters(np, rng, out, inputs, kernel):
    """`out` exactly unit filters [inputs][kernel][kernel] as float64 multiples of 2^-8."""
    filters = [
        exact_unit(np, rng.normal(size=(inputs, kernel, kernel))) / 2.0**SCALE_BITS
        for _ in range(out)
    ]
    return np.array(filters)


def displacements(kernel, stride):
    """The multiples of the stride in [-(n-1), n-1]."""
    reach = (kernel - 1) // stride
    return [k * stride for k in range(-reach, reach + 1)]


def image_coherence(np, weight, strides):
    """max |<u_c, u_d displaced by (dh, dw)>| over (dh, dw) in s_h Z x s_w Z, |d| <= n - 1,
    (d, delta) != (c, 0), of the unit filters u = W[c] / ||W[c]|| (proofs/two_dimensions.md,
    G5)."""
    out, _, rows, columns = weight.shape
    units = weight / np.sqrt((weight**2).sum(axis=(1, 2, 3), keepdims=True))
    best = 0.0
    for dh in displacements(rows, strides[0]):
        for dw in displacements(columns, strides[1]):
            i0, i1 = max(0, -dh), min(rows, rows - dh)
            j0, j1 = max(0, -dw), min(columns, columns - dw)
            left = units[:, :, i0:i1, j0:j1]
            right = units[:, :, i0 + dh : i1 + dh, j0 + dw : j1 + dw]
            gram = np.abs(np.einsum("aukl,bukl->ab", left, right))
            if dh == 0 and dw == 0:
                np.fill_diagonal(gram, 0.0)
            best = max(best, float(gram.max()))
    return best


def stripes_per_window(kernel, stride, window, wraps=False):
    """ceil(w / (2h + 1)) + [wraps], h = floor((n - 1)/stride): one axis's stripes over a window
    (proofs/certified_region.md, CR1)."""
    width = 2 * ((kernel - 1) // stride) + 1
    return -(-window // width) + int(wraps and width > 1 and window > 1)


def patch_bound(layers, index):
    """P_i(1) of an image layer: the product of its two (equal) axes' stripe counts, the window
    the next layer's kernel, or its own, cyclic, at the last (G11)."""
    _, kernel, stride, padding = layers[index]
    if index + 1 < len(layers):
        per_axis = stripes_per_window(kernel, stride, layers[index + 1][1])
    else:
        per_axis = stripes_per_window(kernel, stride, kernel, wraps=True)
    return per_axis * per_axis


def thresholds(np, weights, layers, chain):
    """One threshold per layer: 0.1 each (uniform), or the chain of the module doc."""
    if not chain:
        return [FIRST_THRESHOLD] * len(layers)
    found, offset = [], 0.0
    for index, (weight, (_, _, stride, _)) in enumerate(zip(weights, layers)):
        if index == 0:
            t = FIRST_THRESHOLD
        else:
            mu = image_coherence(np, weight, (stride, stride))
            t = CHAIN_SAFETY * offset * (1.0 + mu) / (1.0 - mu)
        t = float(np.float32(t))
        found.append(t)
        offset = math.sqrt(patch_bound(layers, index)) * (offset + t)
    return found


def safetensors_bytes(np, tensors):
    """The safetensors encoding of [(name, array)] as little-endian float32, in that order."""
    header, blobs, offset = {}, [], 0
    for name, array in tensors:
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def image_manifest(input_channels, shape, layers):
    """The image manifest (mlcsc-network-1, input.shape [H, W]) of conv1, conv2, ..."""
    written = []
    for index, (_, _, stride, pad) in enumerate(layers):
        padding = (
            {"mode": "zero", "top": pad, "bottom": pad, "left": pad, "right": pad}
            if pad
            else {"mode": "valid"}
        )
        name = f"conv{index + 1}"
        written.append(
            {
                "weight": name + ".weight",
                "bias": name + ".bias",
                "stride": [stride, stride],
                "padding": padding,
                "activation": "relu",
            }
        )
    document = {"format": "mlcsc-network-1", "input": {"channels": input_channels, "shape": list(shape)}, "layers": written}
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def write_atomically(path, data):
    """Writes `data` to `path` through a temporary name in the same folder and a rename."""
    temporary = path + ".tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def build(np, index, network, chain):
    """(stem, weight bytes, manifest bytes, thresholds) of one network."""
    name, input_channels, shape, layers = network
    rng = np.random.default_rng(1000 + index)
    weights, inputs = [], input_channels
    for out, kernel, _, _ in layers:
        weights.append(unit_filters(np, rng, out, inputs, kernel))
        inputs = out
    found = thresholds(np, weights, layers, chain)
    tensors = []
    for number, (weight, t) in enumerate(zip(weights, found), start=1):
        tensors.append((f"conv{number}.weight", weight))
        tensors.append((f"conv{number}.bias", np.full(weight.shape[0], -t)))
    stem = f"{name}-{'chain' if chain else 'uniform'}"
    return stem, safetensors_bytes(np, tensors), image_manifest(input_channels, shape, layers), found


def main():
    check = "--check" in sys.argv[1:]
    try:
        import numpy as np
    except ImportError:
        print("numpy is not installed: nothing written (skipped)")
        return 0
    differences = 0
    for index, network in enumerate(NETWORKS):
        for chain in (False, True):
            stem, weights, text, found = build(np, index, network, chain)
            print(f"{stem}: thresholds {', '.join(f'{t:.6g}' for t in found)}")
            for suffix, data in ((".safetensors", weights), (".json", text)):
                target = os.path.join(FOLDER, stem + suffix)
                if check:
                    same = os.path.isfile(target) and open(target, "rb").read() == data
                    differences += not same
                    print(f"  {os.path.relpath(target, ROOT)}: {'identical' if same else 'DIFFERS'}")
                else:
                    os.makedirs(FOLDER, exist_ok=True)
                    write_atomically(target, data)
                    print(f"  wrote {os.path.relpath(target, ROOT)} ({len(data)} bytes)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
