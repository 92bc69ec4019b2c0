#!/usr/bin/env python3
"""Trains a small 1-D ReLU CNN on the 8x8 digits, inside and outside the ML-CSC model.

The data set is the 1797 handwritten digits bundled with scikit-learn
(sklearn/datasets/data/digits.csv.gz: 64 pixel values 0..16 and the label per line), read
here as a gzip CSV with the standard library; scikit-learn is never imported, only its data
file located. Each image is read as 8 channels x 8 positions: the rows are the channels, the
columns the positions, pixel values divided by 16. A fixed permutation (the seed) holds out
450 images as the test split and trains on the other 1347.

The network, with PyTorch's layouts (weights [out][in][tap]):

    conv1: 8 -> 16 channels, kernel 3, stride 1, zero padding 1 each side, ReLU  (16 x 8)
    conv2: 16 -> 16 channels, kernel 3, stride 2, zero padding 1 each side, ReLU (16 x 4)
    global average pooling over the 4 positions, then a linear classifier 16 -> 10

trained with softmax cross-entropy by Adam (forward and backward written by hand in numpy,
float64, a fixed seed, mini-batches of 32). Only the two conv layers are written out; the
classifier is not part of the manifest.

Three modes. `--constrained` projects after every step (and at initialisation) each conv
filter W[c] (over input channels and taps) to unit l2 norm and clips each conv bias to
<= 0, so the network is a layered thresholding of the ML-CSC model with thresholds
beta = -bias >= 0. `--unconstrained` trains the same network freely. `--certified` trains it
so that `mlcsc certify` finds a non-empty certified region by construction (below). Without
a flag all three are trained. Each trained network is written as float32 safetensors (the
format written by hand: an 8-byte little-endian header length, a JSON header padded with
spaces to a multiple of 8 bytes, raw little-endian data; tensors conv1.weight, conv1.bias,
conv2.weight, conv2.bias) and a manifest in the format mlcsc-network-1:

    fixtures/networks/digits-constrained.safetensors    fixtures/networks/digits-constrained.json
    fixtures/networks/digits-unconstrained.safetensors  fixtures/networks/digits-unconstrained.json
    fixtures/networks/digits-certified.safetensors      fixtures/networks/digits-certified.json

Every file is written through a temporary name and a rename. The same seed gives
byte-identical files.

The certified mode. At one nonzero per stripe, layer i's band is non-empty at noise
eps_{i-1} <= eps exactly when eps < E_i = min_c (beta_c - mu_c B_i)/(1 + mu_c), B_i = max_c beta_c,
and eps_i <= sqrt(P_i(1)) (eps_{i-1} + B_i), P_i(1) = ceil(n_{i+1}/(2h_i + 1)) = 1 here
(proofs/certified_region.md, CR2 and CR4). The constrained network fails the first
inequality at zero noise: its mu is about 0.88 and its thresholds are uneven. Three changes
make every inequality hold by construction, each kept through every step:

1. One threshold per layer: bias_i = -t_i in every channel (t_i trained; its gradient is
   minus the sum of the channel biases' gradients). Then E_i = t_i (1 - mu_i)/(1 + mu_i) with
   mu_i the layer's strided coherence, positive whenever mu_i < 1: no channel can fall
   below the interference of a larger threshold.
2. The projection after every step (project_certified): unit filters as in the constrained
   mode, then t_1 >= THRESHOLD_FLOOR (0.1; the band and eps_0^* scale with it) and
   t_2 >= CHAIN_SAFETY * sqrt(P_1(1)) t_1 * (1 + mu_2)/(1 - mu_2) with mu_2 computed from the
   filters just projected and CHAIN_SAFETY = 2. Then E_2 >= 2 sqrt(P_1(1)) t_1 exceeds layer 2's
   noise offset sqrt(P_1(1)) B_1 = sqrt(P_1(1)) t_1 by a factor 2, far more than the float32
   rounding of the written weights moves anything (|rho - 1| < 1e-7), and the region is
   eps_0^* = min(E_1, E_2 - t_1) > 0.
3. A coherence penalty, COHERENCE_WEIGHT (0.3) times, per conv layer,
   sum max(|G_cd(lag)| - COHERENCE_TARGET, 0)^2 over the strided Gram entries of the unit
   filters (coherence_penalty; its gradient, through the normalisation, is written by hand
   and covered by --gradient-check). A smaller mu_2 lowers the least t_2 the chain needs
   (a large t_2 silences layer 2: with THRESHOLD_FLOOR = 0.2, COHERENCE_TARGET = 0.3 and
   COHERENCE_WEIGHT = 0.1 the chain forced t_2 = 1.0 and the network did not learn, test
   accuracy 0.10), and mu_i < 1/(2s - 1) at equal thresholds lets layer i hold s > 1
   nonzeros per stripe (CR3). COHERENCE_TARGET = 0.15 brings mu below 0.2 in both layers.

Only the first two are needed for the certificate; the third buys room and stripe sparsity.
The script recomputes the region from the float32 weights (region(), without certify's
margin) and refuses to write a certified network whose region is empty.

For each network the script prints what the model looks at, computed from the float32
weights as written (see `folded_figures`): per layer, the folded filter norms rho
(rho_0 = 1; W'_i = W_i scaled by rho_{i-1} over input channels; rho_i[c] = ||W'_i[c]||),
the folded thresholds beta = -b / rho, how many channels have beta > 0, and the folded
coherence mu: the largest |correlation| of two unit folded filters over the displacements
that are multiples of the stride with |lag| <= k - 1, a filter with itself at lag 0
excluded. ReLU commutes with positive scaling, so the folded network (unit filters,
thresholds beta, the last layer's output scaled by rho) computes the same supports as the
trained one.

Usage:
    python3 scripts/train_digits_cnn.py                 # train all three, write the 6 files
    python3 scripts/train_digits_cnn.py --constrained   # only the constrained network
    python3 scripts/train_digits_cnn.py --certified     # only the certified network
    python3 scripts/train_digits_cnn.py --check         # retrain, compare with the files
    python3 scripts/train_digits_cnn.py --figures WEIGHTS MANIFEST
                                                        # the folded figures of any network
    python3 scripts/train_digits_cnn.py --gradient-check  # backward vs finite differences
    options: --seed S (default 0), --epochs E (default 200)

Needs numpy; without numpy or without the data set it prints why and exits 0 (the data file
can also be named by the environment variable MLCSC_DIGITS_CSV). Exit 1 when --check finds a
difference or --gradient-check a gradient off by more than 1e-5; 2 on bad usage or an
unreadable --figures network.

Results (seed 0, 200 epochs, float32 weights as written; see fixtures/networks/README.md):

    network        test acc  train acc  layer  rho range          beta > 0  max beta  folded mu
    constrained    0.9711    0.9918     1      [1, 1]             16/16     0.4481    0.8763
                                        2      [1, 1]             15/16     0.1779    0.8821
    unconstrained  0.9778    1.0000     1      [3.1164, 6.5331]    8/16     0.2730    0.7111
                                        2      [13.2391, 40.8803] 10/16     0.0333    0.6515
    certified      0.9711    0.9814     1      [1, 1]             16/16     0.1044    0.1759
                                        2      [1, 1]             16/16     0.2977    0.1710

The constrained filters are unit within 2.5e-8 after the rounding to float32 (|rho - 1|);
one conv2 bias sits at exactly 0 (beta = 0). The unconstrained network is outside the
model as trained (biases up to +1.35) and, folded, has beta <= 0 in 8/16 and 6/16
channels: those add a positive bias before the ReLU (a negative threshold), which the model
does not allow. The certified network: eps_0^* = 0.0732 (= E_1), eps_K <= 0.672, and
`mlcsc certify` finds up to 3 nonzeros per stripe in layer 1 and 2 in layer 2.
"""

import argparse
import gzip
import importlib.util
import json
import os
import struct
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "fixtures", "networks")

INPUT_CHANNELS = 8
INPUT_LENGTH = 8
CLASSES = 10
TEST_COUNT = 450
BATCH = 32
LEARNING_RATE = 0.01
# (name, in channels, out channels, kernel, stride, padding each side)
CONV_LAYERS = [
    ("conv1", INPUT_CHANNELS, 16, 3, 1, 1),
    ("conv2", 16, 16, 3, 2, 1),
]
STEMS = {"constrained": "digits-constrained", "unconstrained": "digits-unconstrained", "certified": "digits-certified"}
# The certified mode (module doc): the weight of the coherence penalty, the correlation it
# tolerates, the floor of layer 1's threshold and the safety factor of the threshold chain.
COHERENCE_WEIGHT = 0.3
COHERENCE_TARGET = 0.15
THRESHOLD_FLOOR = 0.1
CHAIN_SAFETY = 2.0


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
    """(images [1797, 8, 8] in [0, 1], labels [1797]) from the gzip CSV."""
    with gzip.open(path, "rt") as handle:
        rows = [line.split(",") for line in handle if line.strip()]
    table = np.array([[float(v) for v in row] for row in rows])
    images = table[:, :64].reshape(-1, INPUT_CHANNELS, INPUT_LENGTH) / 16.0
    return images, table[:, 64].astype(np.int64)


def conv_forward(np, x, weight, bias, stride, pad):
    """PyTorch's conv1d with zero padding `pad` each side; returns (output, cache)."""
    batch, in_channels, length = x.shape
    out_channels, _, kernel = weight.shape
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad)))
    out_length = (length + 2 * pad - kernel) // stride + 1
    index = stride * np.arange(out_length)[:, None] + np.arange(kernel)[None, :]
    columns = padded[:, :, index].transpose(0, 2, 1, 3).reshape(batch * out_length, -1)
    out = columns @ weight.reshape(out_channels, -1).T + bias
    out = out.reshape(batch, out_length, out_channels).transpose(0, 2, 1)
    return out, (columns, padded.shape, out_length, stride, pad, length)


def conv_backward(np, grad_out, weight, cache):
    """Gradients (input, weight, bias) of conv_forward given d loss / d output."""
    columns, padded_shape, out_length, stride, pad, length = cache
    out_channels, in_channels, kernel = weight.shape
    batch = grad_out.shape[0]
    grad = grad_out.transpose(0, 2, 1).reshape(batch * out_length, out_channels)
    grad_weight = (grad.T @ columns).reshape(weight.shape)
    grad_bias = grad.sum(axis=0)
    grad_columns = grad @ weight.reshape(out_channels, -1)
    patches = grad_columns.reshape(batch, out_length, in_channels, kernel)
    grad_padded = np.zeros(padded_shape)
    positions = stride * np.arange(out_length)
    for tap in range(kernel):
        grad_padded[:, :, positions + tap] += patches[:, :, :, tap].transpose(0, 2, 1)
    return grad_padded[:, :, pad : pad + length], grad_weight, grad_bias


def bias_of(np, params, name):
    """A conv layer's bias: its own, or -threshold in every channel when the layer has one
    shared threshold (the certified mode)."""
    if name + ".threshold" in params:
        return -params[name + ".threshold"] * np.ones(params[name + ".weight"].shape[0])
    return params[name + ".bias"]


def forward(np, params, x):
    """Logits and the caches of every layer."""
    caches = []
    h = x
    for name, _, _, _, stride, pad in CONV_LAYERS:
        pre, cache = conv_forward(np, h, params[name + ".weight"], bias_of(np, params, name), stride, pad)
        h = np.maximum(pre, 0.0)
        caches.append((cache, pre))
    pooled = h.mean(axis=2)
    logits = pooled @ params["fc.weight"].T + params["fc.bias"]
    return logits, (caches, h, pooled)


def loss_and_gradients(np, params, x, labels):
    """Mean softmax cross-entropy and its gradient with respect to every parameter."""
    logits, (caches, h, pooled) = forward(np, params, x)
    shifted = logits - logits.max(axis=1, keepdims=True)
    probabilities = np.exp(shifted)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    batch = x.shape[0]
    loss = -np.log(probabilities[np.arange(batch), labels]).mean()
    grad_logits = probabilities
    grad_logits[np.arange(batch), labels] -= 1.0
    grad_logits /= batch
    grads = {"fc.weight": grad_logits.T @ pooled, "fc.bias": grad_logits.sum(axis=0)}
    grad_h = np.repeat((grad_logits @ params["fc.weight"])[:, :, None], h.shape[2], axis=2)
    grad_h /= h.shape[2]
    for (name, *_), (cache, pre) in reversed(list(zip(CONV_LAYERS, caches))):
        grad_pre = grad_h * (pre > 0)
        grad_h, grads[name + ".weight"], grads[name + ".bias"] = conv_backward(
            np, grad_pre, params[name + ".weight"], cache
        )
        if name + ".threshold" in params:
            grads[name + ".threshold"] = -grads.pop(name + ".bias").sum(keepdims=True)
    return loss, grads


def coherence_penalty(np, weight, stride, target):
    """sum over lags lag in stride*Z, 0 <= lag <= k-1, and pairs (c, d), (c, d, lag) != (c, c, 0),
    of max(|G_cd(lag)| - target, 0)^2, where G_cd(lag) = sum_{c'',t} u_c[c''][t] u_d[c''][t+lag]
    is the strided Gram entry of the unit filters u = W[c] / ||W[c]|| (negative lags are the
    transposed entries, so lag >= 0 counts every pair once, lag 0 twice). Returns the value
    and its gradient with respect to `weight`, through the normalisation."""
    kernel = weight.shape[2]
    norms = np.sqrt((weight**2).sum(axis=(1, 2), keepdims=True))
    units = weight / norms
    value, grad_units = 0.0, np.zeros_like(weight)
    for lag in range(0, kernel, max(stride, 1)):
        left, right = units[:, :, : kernel - lag], units[:, :, lag:]
        gram = np.einsum("aut,but->ab", left, right)
        excess = np.maximum(np.abs(gram) - target, 0.0)
        if lag == 0:
            np.fill_diagonal(excess, 0.0)
        value += float((excess**2).sum())
        slope = 2.0 * excess * np.sign(gram)
        grad_units[:, :, : kernel - lag] += np.einsum("ab,but->aut", slope, right)
        grad_units[:, :, lag:] += np.einsum("ab,aut->but", slope, left)
    radial = (grad_units * units).sum(axis=(1, 2), keepdims=True)
    return value, (grad_units - radial * units) / norms


def objective_and_gradients(np, params, x, labels, certified):
    """The loss trained on: the cross-entropy, plus in the certified mode COHERENCE_WEIGHT times
    the coherence penalty of every conv layer (on the layer's own unit filters: with the
    previous layer's filters at unit norm these are the folded filters)."""
    loss, grads = loss_and_gradients(np, params, x, labels)
    if certified:
        for name, _, _, _, stride, _ in CONV_LAYERS:
            value, grad = coherence_penalty(np, params[name + ".weight"], stride, COHERENCE_TARGET)
            loss += COHERENCE_WEIGHT * value
            grads[name + ".weight"] = grads[name + ".weight"] + COHERENCE_WEIGHT * grad
    return loss, grads


def project(np, params):
    """Into the model: each conv filter W[c] to unit l2 norm, each conv bias to <= 0."""
    for name, *_ in CONV_LAYERS:
        weight = params[name + ".weight"]
        norms = np.sqrt((weight**2).sum(axis=(1, 2), keepdims=True))
        params[name + ".weight"] = weight / np.maximum(norms, 1e-12)
        params[name + ".bias"] = np.minimum(params[name + ".bias"], 0.0)


def project_certified(np, params):
    """Into the certified set (module doc): unit filters, then each layer's shared threshold
    raised to the least value the chain needs: t_1 >= THRESHOLD_FLOOR, and for i >= 2
    t_i >= CHAIN_SAFETY * offset_i * (1 + mu_i) / (1 - mu_i), with offset_2 = sqrt(P_1) t_1,
    offset_{i+1} = sqrt(P_i) (offset_i + t_i) and mu_i the strided coherence of the unit
    filters now. Raising a threshold is the nearest point of the set with the others fixed."""
    offset = 0.0
    for index, (name, _, _, kernel, stride, _) in enumerate(CONV_LAYERS):
        weight = params[name + ".weight"]
        norms = np.sqrt((weight**2).sum(axis=(1, 2), keepdims=True))
        params[name + ".weight"] = weight / np.maximum(norms, 1e-12)
        threshold = params[name + ".threshold"]
        if index == 0:
            least = THRESHOLD_FLOOR
        else:
            mu = strided_coherence(np, params[name + ".weight"], stride)
            least = CHAIN_SAFETY * offset * (1.0 + mu) / (1.0 - mu)
        params[name + ".threshold"] = np.maximum(threshold, least)
        window = CONV_LAYERS[index + 1][3] if index + 1 < len(CONV_LAYERS) else kernel
        offset = stripes_per_window(kernel, stride, window) ** 0.5 * (offset + float(params[name + ".threshold"][0]))


def stripes_per_window(kernel, stride, window, wraps=False):
    """P_i(1) = ceil(w / (2h + 1)), h = floor((n - 1) / stride): the most nonzeros of a code with
    one per stripe in w consecutive positions; one stripe more when the window wraps around a
    code whose stripes do not (the cyclic windows w_K = n_K over the last, zero-padded layer)."""
    width = 2 * ((kernel - 1) // stride) + 1
    return -(-window // width) + int(wraps and width > 1 and window > 1)


def initial_parameters(np, rng):
    """He-scaled normal conv filters and classifier, zero biases."""
    params = {}
    for name, in_channels, out_channels, kernel, _, _ in CONV_LAYERS:
        fan_in = in_channels * kernel
        params[name + ".weight"] = rng.normal(0.0, (2.0 / fan_in) ** 0.5, (out_channels, in_channels, kernel))
        params[name + ".bias"] = np.zeros(out_channels)
    width = CONV_LAYERS[-1][2]
    params["fc.weight"] = rng.normal(0.0, (1.0 / width) ** 0.5, (CLASSES, width))
    params["fc.bias"] = np.zeros(CLASSES)
    return params


def train(np, images, labels, mode, seed, epochs):
    """Adam on the training split; returns the parameters."""
    rng = np.random.default_rng(seed)
    params = initial_parameters(np, rng)
    certified = mode == "certified"
    if certified:
        for name, *_ in CONV_LAYERS:
            params[name + ".threshold"] = -params.pop(name + ".bias").mean(keepdims=True)
        project_certified(np, params)
    elif mode == "constrained":
        project(np, params)
    first, second = {}, {}
    for key, value in params.items():
        first[key] = np.zeros_like(value)
        second[key] = np.zeros_like(value)
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(images))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            _, grads = objective_and_gradients(np, params, images[batch], labels[batch], certified)
            step += 1
            for key in params:
                first[key] = 0.9 * first[key] + 0.1 * grads[key]
                second[key] = 0.999 * second[key] + 0.001 * grads[key] ** 2
                corrected = first[key] / (1 - 0.9**step)
                scale = (second[key] / (1 - 0.999**step)) ** 0.5 + 1e-8
                params[key] = params[key] - LEARNING_RATE * corrected / scale
            if certified:
                project_certified(np, params)
            elif mode == "constrained":
                project(np, params)
    return params


def accuracy(np, params, images, labels):
    """The fraction of images whose largest logit is their label."""
    logits, _ = forward(np, params, images)
    return float((logits.argmax(axis=1) == labels).mean())


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


def read_safetensors(np, path):
    """{name: float64 array} of the F32 tensors of a safetensors file (others skipped)."""
    with open(path, "rb") as handle:
        data = handle.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        start, end = entry["data_offsets"]
        raw = data[8 + length + start : 8 + length + end]
        tensors[name] = np.frombuffer(raw, dtype="<f4").reshape(entry["shape"]).astype(np.float64)
    return tensors


def manifest(stem):
    """The mlcsc-network-1 manifest of the two conv layers."""
    layers = [
        {
            "weight": name + ".weight",
            "bias": name + ".bias",
            "stride": stride,
            "padding": {"mode": "zero", "left": pad, "right": pad},
            "activation": "relu",
        }
        for name, _, _, _, stride, pad in CONV_LAYERS
    ]
    return {
        "format": "mlcsc-network-1",
        "input": {"channels": INPUT_CHANNELS, "shape": [INPUT_LENGTH]},
        "layers": layers,
    }


def write_atomically(path, data):
    """Writes `data` to `path` through a temporary name in the same folder and a rename."""
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".partial")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def channel_coherences(np, units, stride):
    """mu_c = max |sum_{c'',t} u_c[c''][t] u_d[c''][t+lag]| over d and lag in stride*Z,
    |lag| <= k-1, (d, lag) != (c, 0). A negative lag is the transposed matrix at -lag, so the
    row and column maxima of the matrices at lag >= 0 cover every pair."""
    kernel = units.shape[2]
    best = np.zeros(units.shape[0])
    for lag in range(0, kernel, max(stride, 1)):
        gram = np.abs(np.einsum("aut,but->ab", units[:, :, : kernel - lag], units[:, :, lag:]))
        if lag == 0:
            np.fill_diagonal(gram, 0.0)
        best = np.maximum(best, np.maximum(gram.max(axis=1), gram.max(axis=0)))
    return best


def strided_coherence(np, units, stride):
    """The largest channel coherence (channel_coherences)."""
    return float(channel_coherences(np, units, stride).max())


def folded_figures(np, layers):
    """Per layer (weight, bias, stride): the folded rho, beta and coherence (module doc)."""
    rho_previous = np.ones(layers[0][0].shape[1])
    figures = []
    for weight, bias, stride in layers:
        folded = weight * rho_previous[None, :, None]
        rho = np.sqrt((folded**2).sum(axis=(1, 2)))
        alive = rho > 0
        beta = np.where(alive, -bias / np.where(alive, rho, 1.0), np.nan)
        units = folded[alive] / rho[alive][:, None, None]
        mu = channel_coherences(np, units, stride)
        live_beta = beta[alive]
        largest = float(live_beta.max()) if alive.any() else float("nan")
        figures.append(
            {
                "rho_min": float(rho.min()),
                "rho_max": float(rho.max()),
                "zero_filters": int((~alive).sum()),
                "beta_positive": int((beta[alive] > 0).sum()),
                "channels": len(rho),
                "beta_max": float(np.nanmax(beta)) if alive.any() else float("nan"),
                "mu": float(mu.max()),
                "stride": stride,
                "kernel": weight.shape[2],
                "ceiling": float(((live_beta - mu * largest) / (1.0 + mu)).min())
                if (live_beta > 0).all() and alive.any()
                else float("nan"),
            }
        )
        rho_previous = rho
    return figures


def region(figures):
    """The certified region at one nonzero per stripe (proofs/certified_region.md, CR4), in
    float64 without the margin of `mlcsc certify` (which decides it): eps_{i-1} <= a_i eps_0 + b_i
    with (a_1, b_1) = (1, 0), (a_{i+1}, b_{i+1}) = sqrt(P_i(1)) (a_i, b_i + max beta_i); returns
    (eps_0^*, eps_K at eps_0^*), or None when some layer has beta <= 0 or an empty band."""
    slope, offset, epsilon_0 = 1.0, 0.0, float("inf")
    for index, f in enumerate(figures):
        if not f["ceiling"] > offset:
            return None
        epsilon_0 = min(epsilon_0, (f["ceiling"] - offset) / slope)
        last = index + 1 == len(figures)
        window = f["kernel"] if last else figures[index + 1]["kernel"]
        root = stripes_per_window(f["kernel"], f["stride"], window, wraps=last) ** 0.5
        slope, offset = root * slope, root * (offset + f["beta_max"])
    return epsilon_0, slope * epsilon_0 + offset


def print_figures(title, figures):
    """One line per layer."""
    print(title)
    for index, f in enumerate(figures, start=1):
        zero = f", {f['zero_filters']} zero filters" if f["zero_filters"] else ""
        ceiling = "none (a beta <= 0)" if f["ceiling"] != f["ceiling"] else f"{f['ceiling']:.4f}"
        print(
            f"  layer {index} (stride {f['stride']}): rho in [{f['rho_min']:.4f}, {f['rho_max']:.4f}], "
            f"beta > 0 in {f['beta_positive']}/{f['channels']} channels (max beta {f['beta_max']:.4f}), "
            f"folded mu = {f['mu']:.4f}, noise ceiling E = {ceiling}{zero}"
        )
    certified = region(figures)
    if certified is None:
        print("  certified region (s = 1): empty")
    else:
        print(f"  certified region (s = 1): eps_0 < {certified[0]:.4f}, eps_K <= {certified[1]:.4f}")


def network_layers(tensors, document, source):
    """[(weight, bias, stride)] of a manifest's layers, or a message naming what is wrong."""
    layers = []
    for index, layer in enumerate(document.get("layers", []), start=1):
        for key in ("weight", "bias"):
            if layer.get(key) not in tensors:
                return f"{source}: layer {index}: {key} tensor {layer.get(key)!r} is not in the weights"
        weight, bias = tensors[layer["weight"]], tensors[layer["bias"]]
        channels = layers[-1][0].shape[0] if layers else weight.shape[1] if weight.ndim == 3 else None
        if weight.ndim != 3 or weight.shape[1] != channels or bias.shape != (weight.shape[0],):
            shapes = f"weight {list(weight.shape)}, bias {list(bias.shape)}"
            return f"{source}: layer {index}: {shapes} do not chain ([out][in][k] after {channels} channels)"
        layers.append((weight, bias, int(layer.get("stride", 1))))
    return layers if layers else f"{source}: no layers"


def figures_command(np, weights_path, manifest_path):
    """--figures: print the folded figures of the network a manifest describes."""
    try:
        tensors = read_safetensors(np, weights_path)
        with open(manifest_path) as handle:
            document = json.load(handle)
    except (OSError, ValueError, KeyError, struct.error) as error:
        print(f"cannot read the network: {error}", file=sys.stderr)
        return 2
    layers = network_layers(tensors, document, manifest_path)
    if isinstance(layers, str):
        print(layers, file=sys.stderr)
        return 2
    print_figures(f"{os.path.basename(weights_path)}:", folded_figures(np, layers))
    return 0


def build(np, images, labels, mode, seed, epochs):
    """Trains one network; returns (stem, weights bytes, manifest bytes, figures, accuracies)."""
    stem = STEMS[mode]
    permutation = np.random.default_rng(seed).permutation(len(images))
    test, training = permutation[:TEST_COUNT], permutation[TEST_COUNT:]
    params = train(np, images[training], labels[training], mode, seed, epochs)
    tensors = []
    for name, *_ in CONV_LAYERS:
        tensors += [(name + ".weight", params[name + ".weight"]), (name + ".bias", bias_of(np, params, name))]
    written = {name: np.asarray(array, dtype=np.float32).astype(np.float64) for name, array in tensors}
    stored = {key: value for key, value in params.items() if not key.endswith(".threshold")}
    stored.update(written)
    scores = (
        accuracy(np, stored, images[training], labels[training]),
        accuracy(np, stored, images[test], labels[test]),
    )
    layers = [(written[n + ".weight"], written[n + ".bias"], s) for n, _, _, _, s, _ in CONV_LAYERS]
    text = (json.dumps(manifest(stem), indent=2) + "\n").encode("utf-8")
    return stem, safetensors_bytes(np, tensors), text, folded_figures(np, layers), scores


def gradient_check(np, seed):
    """Compares the hand-written backward with central differences on random parameters
    (nonzero biases, so that ReLU kinks are hit only by chance), for the cross-entropy and for
    the certified objective (shared thresholds, coherence penalty; filters not unit, so the
    gradient through the normalisation is exercised, and the penalty's target lowered so that
    most Gram entries exceed it); exit 1 above 1e-5."""
    rng = np.random.default_rng(seed)
    params = initial_parameters(np, rng)
    for key in params:
        if key.endswith(".bias"):
            params[key] = rng.normal(0.0, 0.1, params[key].shape)
    x = rng.random((5, INPUT_CHANNELS, INPUT_LENGTH))
    labels = rng.integers(0, CLASSES, 5)
    worst = largest_gradient_error(np, rng, params, lambda: loss_and_gradients(np, params, x, labels))
    print(f"largest relative difference, backward vs central differences: {worst:.2e}")
    certified = dict(params)
    for name, *_ in CONV_LAYERS:
        certified[name + ".threshold"] = np.abs(rng.normal(0.0, 0.1, 1))
        del certified[name + ".bias"]
    global COHERENCE_TARGET
    kept, COHERENCE_TARGET = COHERENCE_TARGET, 0.05
    penalised = largest_gradient_error(
        np, rng, certified, lambda: objective_and_gradients(np, certified, x, labels, True)
    )
    COHERENCE_TARGET = kept
    print(f"certified objective (thresholds, coherence penalty): {penalised:.2e}")
    return 0 if max(worst, penalised) < 1e-5 else 1


def largest_gradient_error(np, rng, params, evaluate):
    """The largest relative difference between `evaluate`'s gradient and central differences
    over up to 25 entries of every parameter."""
    _, grads = evaluate()
    worst, step = 0.0, 1e-6
    for key, value in params.items():
        for flat in rng.choice(value.size, size=min(value.size, 25), replace=False):
            index = np.unravel_index(flat, value.shape)
            old = value[index]
            value[index] = old + step
            plus, _ = evaluate()
            value[index] = old - step
            minus, _ = evaluate()
            value[index] = old
            numeric = (plus - minus) / (2 * step)
            error = abs(numeric - grads[key][index]) / (abs(numeric) + abs(grads[key][index]) + 1e-9)
            worst = max(worst, error)
    return worst


def arguments():
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--constrained", action="store_true", help="only the network inside the model")
    mode.add_argument("--unconstrained", action="store_true", help="only the free network")
    mode.add_argument("--certified", action="store_true", help="only the network certify certifies")
    parser.add_argument("--check", action="store_true", help="retrain and compare with the files")
    parser.add_argument("--figures", nargs=2, metavar=("WEIGHTS", "MANIFEST"), help="folded figures")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--gradient-check", action="store_true", help="backward against finite differences")
    return parser.parse_args()


def main():
    args = arguments()
    try:
        import numpy as np
    except ImportError:
        print("numpy is not installed: nothing trained (skipped)")
        return 0
    if args.figures:
        return figures_command(np, *args.figures)
    if args.gradient_check:
        return gradient_check(np, args.seed)
    path = digits_path()
    if path is None:
        print("the digits data set (scikit-learn's digits.csv.gz) is not available: skipped")
        return 0
    images, labels = load_digits(np, path)
    chosen = [mode for mode in STEMS if getattr(args, mode)]
    differences = 0
    for mode in chosen or list(STEMS):
        started = time.time()
        stem, weights, text, figures, (train_score, test_score) = build(
            np, images, labels, mode, args.seed, args.epochs
        )
        print(f"{stem}: trained in {time.time() - started:.1f} s")
        print(f"{stem}: train accuracy {train_score:.4f}, test accuracy {test_score:.4f} ({TEST_COUNT} held out)")
        print_figures(f"  folded figures of {stem}:", figures)
        if mode == "certified" and region(figures) is None:
            print(f"  {stem}: the written weights are not certified; nothing written", file=sys.stderr)
            differences += 1
            continue
        for suffix, data in ((".safetensors", weights), (".json", text)):
            target = os.path.join(FOLDER, stem + suffix)
            if args.check:
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
