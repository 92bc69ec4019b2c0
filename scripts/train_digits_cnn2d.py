#!/usr/bin/env python3
"""Trains a small 2-D ReLU CNN on the 8x8 digits inside the ML-CSC model, certified by construction.

The data set is scikit-learn's 1797 handwritten digits (sklearn/datasets/data/digits.csv.gz,
located and read as a gzip CSV as scripts/train_digits_cnn.py does; scikit-learn is not
imported). Each image is one channel of 8 x 8 pixels divided by 16, extended by one zero row
at the bottom and one zero column at the right to 9 x 9, so that the first layer's windows
tile it without padding. The same fixed permutation as the 1-D script holds out 450 images.

The network, with PyTorch's Conv2d layouts (weights [out][in][kh][kw]):

    conv1: 1 -> 8 channels, 3x3, stride 3, valid, ReLU    (8 x 3 x 3; h_1 = 0 on both axes)
    conv2: 8 -> 8 channels, 3x3, stride 1, valid, ReLU    (8 x 1 x 1)
    a linear classifier 8 -> 10 (not written out)

Why this geometry. The certified region asks one nonzero per stripe of every code, and the
instances of Theorem 2 link the codes by Gamma_1 = D_2 Gamma_2. At stride 3 with 3 x 3
filters a stripe of layer 1 is one position (all channels), so a layer-2 atom synthesises
a Gamma_1 with one nonzero per stripe when every filter of conv2 reads one input channel
per tap: conv2's weights are masked, tap t = 3i + j of filter c reading channel
channels[c][t], the first of MASK_DRAWS seeded random assignments with the fewest taps on
which two displaced filters read the same channel (a low mu_2), and kept >= 0 so that a
nonnegative Gamma_2 gives a nonnegative Gamma_1 (tests/all/certify_images.rs draws these
instances and `check` decides them). The suggestion of 3 x 3 stride-1 layers would put every
layer-2 atom's 72 taps in a few layer-1 stripes, outside the region at once.

Constraints kept through every step (project): unit filters; conv2 masked and its kept taps
in [TAP_FLOOR, 1] before normalising (so a unit filter's taps differ by at most a factor 1/
TAP_FLOOR and a synthesised Gamma_1 can fit layer 1's band); one threshold per layer
(bias_i = -t_i), t_1 >= THRESHOLD_FLOOR and t_2 >= CHAIN_SAFETY sqrt(P_1(1)) t_1 (1 + mu_2)/
(1 - mu_2), P_1(1) = 3 x 3 = 9 (each axis: 3 stripes of one position cover conv2's 3-wide
window; proofs/two_dimensions.md, G11). A coherence penalty, COHERENCE_WEIGHT times the sum
of max(|G| - COHERENCE_TARGET, 0)^2 over the strided Gram entries of both layers' unit
filters (displacements in s_h Z x s_w Z), lowers mu.

After training the filters are made exactly unit (scripts/image_network_fixtures.py,
exact_unit: multiples of 2^-8 whose squares sum to 1, conv2's still masked and >= 0), t_2 is
raised again for the coherence of the rounded filters, and the written network is folded
exactly by `mlcsc certify` (rho = 1, beta = t). The test accuracy printed is that of the
written weights (the classifier retrained for 200 epochs on them, then applied).

Usage:
    python3 scripts/train_digits_cnn2d.py           # train, write the 2 files
    python3 scripts/train_digits_cnn2d.py --check   # retrain, compare bytes with the files
    options: --seed S (default 0), --epochs E (default 60)

    fixtures/networks/digits2d-certified.safetensors  fixtures/networks/digits2d-certified.json

Needs torch and numpy; without them, or without the data set, it prints why and exits 0.
Deterministic on one machine (seeded, one thread, deterministic algorithms); exit 1 when
--check finds a difference.
"""

import argparse
import gzip
import importlib.util
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "fixtures", "networks")
STEM = "digits2d-certified"
TEST_COUNT = 450
BATCH = 32
LEARNING_RATE = 0.01
THRESHOLD_FLOOR = 0.02
CHAIN_SAFETY = 1.5
TAP_FLOOR = 0.5
COHERENCE_TARGET = 0.1
COHERENCE_WEIGHT = 0.3
FIRST_CHANNELS = 8
SECOND_CHANNELS = 8
FIRST_PATCH_BOUND = 9
MASK_DRAWS = 40

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def digits_path():
    """The bundled digits CSV: MLCSC_DIGITS_CSV, or scikit-learn's data file (not imported)."""
    named = os.environ.get("MLCSC_DIGITS_CSV")
    if named:
        return named if os.path.isfile(named) else None
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = os.path.join(location, "datasets", "data", "digits.csv.gz")
        if os.path.isfile(path):
            return path
    return None


def load_digits(np, path):
    """(images [1797, 1, 9, 9] in [0, 1], the last row and column zero; labels [1797])."""
    with gzip.open(path, "rt") as handle:
        rows = [line.split(",") for line in handle if line.strip()]
    table = np.array([[float(v) for v in row] for row in rows])
    images = np.zeros((len(table), 1, 9, 9))
    images[:, 0, :8, :8] = table[:, :64].reshape(-1, 8, 8) / 16.0
    return images, table[:, 64].astype(np.int64)


def coincidences(channels):
    """The most taps at which filter c and filter d displaced by delta read the same channel,
    over (c, d, delta) != (c, c, 0), for an assignment channels[c][t] (t = 3i + j)."""
    worst = 0
    count = len(channels)
    for dh in range(-2, 3):
        for dw in range(-2, 3):
            for c in range(count):
                for d in range(count):
                    if c == d and dh == 0 and dw == 0:
                        continue
                    same = sum(
                        1
                        for i in range(max(0, -dh), min(3, 3 - dh))
                        for j in range(max(0, -dw), min(3, 3 - dw))
                        if channels[c][3 * i + j] == channels[d][3 * (i + dh) + j + dw]
                    )
                    worst = max(worst, same)
    return worst


def assignment(np, seed):
    """conv2's channel per (filter, tap): of MASK_DRAWS seeded random assignments, the first with
    the fewest coincidences (so that masked filters overlap on few taps: a low mu_2)."""
    rng = np.random.default_rng(seed + 7)
    best = None
    for _ in range(MASK_DRAWS):
        channels = rng.integers(0, FIRST_CHANNELS, size=(SECOND_CHANNELS, 9)).tolist()
        worst = coincidences(channels)
        if best is None or worst < best[0]:
            best = (worst, channels)
    return best[1]


def mask(torch, channels):
    """conv2's mask [8][8][3][3]: tap t = 3i + j of filter c reads channel channels[c][t]."""
    m = torch.zeros(SECOND_CHANNELS, FIRST_CHANNELS, 3, 3, dtype=torch.float64)
    for c in range(SECOND_CHANNELS):
        for t in range(9):
            m[c, channels[c][t], t // 3, t % 3] = 1.0
    return m


def gram_excess(torch, weight, strides, target):
    """sum of max(|G| - target, 0)^2 over the strided Gram entries of the unit filters,
    (d, delta) != (c, 0), and the largest |G| (the coherence)."""
    out, _, rows, columns = weight.shape
    units = weight / weight.flatten(1).norm(dim=1).reshape(-1, 1, 1, 1)
    total, largest = 0.0, 0.0
    for dh in range(-((rows - 1) // strides[0]) * strides[0], rows, strides[0]):
        for dw in range(-((columns - 1) // strides[1]) * strides[1], columns, strides[1]):
            i0, i1 = max(0, -dh), min(rows, rows - dh)
            j0, j1 = max(0, -dw), min(columns, columns - dw)
            left = units[:, :, i0:i1, j0:j1].flatten(1)
            right = units[:, :, i0 + dh : i1 + dh, j0 + dw : j1 + dw].flatten(1)
            gram = (left @ right.T).abs()
            if dh == 0 and dw == 0:
                gram = gram * (1 - torch.eye(out, dtype=gram.dtype))
            total = total + (torch.clamp(gram - target, min=0.0) ** 2).sum()
            largest = max(largest, float(gram.max()))
    return total, largest


def chain_floor(t1, mu2):
    """The least t_2 of the chain: CHAIN_SAFETY sqrt(P_1(1)) t_1 (1 + mu_2)/(1 - mu_2)."""
    return CHAIN_SAFETY * math.sqrt(FIRST_PATCH_BOUND) * t1 * (1.0 + mu2) / (1.0 - mu2)


def project(torch, params, m):
    """Unit filters, conv2 masked with taps in [TAP_FLOOR, 1] before normalising, t_1 above
    its floor and t_2 on the chain."""
    with torch.no_grad():
        w1 = params["conv1.weight"]
        w1 /= w1.flatten(1).norm(dim=1).reshape(-1, 1, 1, 1)
        w2 = params["conv2.weight"]
        w2.copy_(torch.clamp(w2, TAP_FLOOR, 1.0) * m)
        w2 /= w2.flatten(1).norm(dim=1).reshape(-1, 1, 1, 1)
        params["t1"].clamp_(min=THRESHOLD_FLOOR)
        _, mu2 = gram_excess(torch, w2, (1, 1), 1.0)
        params["t2"].clamp_(min=chain_floor(float(params["t1"]), mu2))


def features(torch, params, x):
    """The two conv layers with their shared thresholds: [batch, 8]."""
    f = torch.nn.functional
    a1 = f.relu(f.conv2d(x, params["conv1.weight"], stride=3) - params["t1"])
    a2 = f.relu(f.conv2d(a1, params["conv2.weight"], stride=1) - params["t2"])
    return a2.flatten(1)


def train(torch, np, images, labels, seed, epochs, m):
    """Adam on the training split; returns the parameters."""
    torch.manual_seed(seed)
    params = {
        "conv1.weight": torch.randn(FIRST_CHANNELS, 1, 3, 3, dtype=torch.float64),
        "conv2.weight": torch.rand(SECOND_CHANNELS, FIRST_CHANNELS, 3, 3, dtype=torch.float64) * m,
        "t1": torch.tensor(0.05, dtype=torch.float64),
        "t2": torch.tensor(0.5, dtype=torch.float64),
        "fc.weight": torch.randn(10, SECOND_CHANNELS, dtype=torch.float64) * 0.25,
        "fc.bias": torch.zeros(10, dtype=torch.float64),
    }
    project(torch, params, m)
    for value in params.values():
        value.requires_grad_(True)
    optimiser = torch.optim.Adam(params.values(), lr=LEARNING_RATE)
    x, y = torch.tensor(images), torch.tensor(labels)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            logits = features(torch, params, x[batch]) @ params["fc.weight"].T + params["fc.bias"]
            loss = torch.nn.functional.cross_entropy(logits, y[batch])
            for name, strides in (("conv1.weight", (3, 3)), ("conv2.weight", (1, 1))):
                excess, _ = gram_excess(torch, params[name], strides, COHERENCE_TARGET)
                loss = loss + COHERENCE_WEIGHT * excess
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            project(torch, params, m)
    return {k: v.detach() for k, v in params.items()}


def exact_weights(torch, np, params, m):
    """The conv weights made exactly unit (multiples of 2^-8), conv2 masked and >= 0, and the
    thresholds as float32 with t_2 raised for the rounded filters' coherence."""
    from image_network_fixtures import exact_unit

    m = m.numpy()
    w1 = np.array([exact_unit(np, f) for f in params["conv1.weight"].numpy()]) / 256.0
    w2 = np.array(
        [exact_unit(np, f, allowed=m[c] > 0, nonnegative=True) for c, f in enumerate(params["conv2.weight"].numpy())]
    ) / 256.0
    t1 = float(np.float32(params["t1"]))
    _, mu2 = gram_excess(torch, torch.tensor(w2), (1, 1), 1.0)
    t2 = float(np.float32(max(float(params["t2"]), chain_floor(t1, mu2) * (1 + 1e-6))))
    return w1, w2, t1, t2


def written_accuracy(torch, np, images, labels, train_index, test_index, written, seed):
    """Test accuracy of the written conv layers with a classifier retrained on them."""
    w1, w2, t1, t2 = written
    params = {"conv1.weight": torch.tensor(w1), "conv2.weight": torch.tensor(w2), "t1": torch.tensor(t1), "t2": torch.tensor(t2)}
    x = torch.tensor(images)
    with torch.no_grad():
        feats = features(torch, params, x)
    torch.manual_seed(seed + 1)
    fc = torch.nn.Linear(SECOND_CHANNELS, 10).double()
    optimiser = torch.optim.Adam(fc.parameters(), lr=LEARNING_RATE)
    y = torch.tensor(labels)
    train_x, train_y = feats[train_index], y[train_index]
    for _ in range(200):
        loss = torch.nn.functional.cross_entropy(fc(train_x), train_y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        predicted = fc(feats[test_index]).argmax(dim=1)
    return float((predicted == y[test_index]).double().mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=60)
    args = parser.parse_args()
    try:
        import numpy as np
        import torch
    except ImportError:
        print("numpy or torch is not installed: nothing trained (skipped)")
        return 0
    path = digits_path()
    if path is None:
        print("the digits data set (scikit-learn's digits.csv.gz) is not available: skipped")
        return 0
    from image_network_fixtures import image_coherence, safetensors_bytes, write_atomically

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    images, labels = load_digits(np, path)
    order = np.random.default_rng(args.seed).permutation(len(images))
    test_index, train_index = order[:TEST_COUNT], order[TEST_COUNT:]
    m = mask(torch, assignment(np, args.seed))
    params = train(torch, np, images[train_index], labels[train_index], args.seed, args.epochs, m)
    written = exact_weights(torch, np, params, m)
    w1, w2, t1, t2 = written
    score = written_accuracy(torch, np, images, labels, train_index, test_index, written, args.seed)
    mu1, mu2 = image_coherence(np, w1, (3, 3)), image_coherence(np, w2, (1, 1))
    print(f"{STEM}: test accuracy {score:.4f} ({TEST_COUNT} held out); t1 {t1:.6g}, t2 {t2:.6g}; mu1 {mu1:.4f}, mu2 {mu2:.4f}")
    tensors = [
        ("conv1.weight", w1),
        ("conv1.bias", np.full(FIRST_CHANNELS, -t1)),
        ("conv2.weight", w2),
        ("conv2.bias", np.full(SECOND_CHANNELS, -t2)),
    ]
    document = {
        "format": "mlcsc-network-1",
        "input": {"channels": 1, "shape": [9, 9]},
        "layers": [
            {"weight": "conv1.weight", "bias": "conv1.bias", "stride": [3, 3], "padding": {"mode": "valid"}, "activation": "relu"},
            {"weight": "conv2.weight", "bias": "conv2.bias", "stride": [1, 1], "padding": {"mode": "valid"}, "activation": "relu"},
        ],
    }
    files = {
        ".safetensors": safetensors_bytes(np, tensors),
        ".json": (json.dumps(document, indent=2) + "\n").encode("utf-8"),
    }
    differences = 0
    for suffix, data in files.items():
        target = os.path.join(FOLDER, STEM + suffix)
        if args.check:
            same = os.path.isfile(target) and open(target, "rb").read() == data
            differences += not same
            print(f"  {os.path.relpath(target, ROOT)}: {'identical' if same else 'DIFFERS'}")
        else:
            write_atomically(target, data)
            print(f"  wrote {os.path.relpath(target, ROOT)} ({len(data)} bytes)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
