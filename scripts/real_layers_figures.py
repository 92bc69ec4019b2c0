#!/usr/bin/env python3
"""The figures of Theorem 2 for real layers, from campaign checkpoints.

Runs `mlcsc campaign NAME --cases N --checkpoint FILE` for the three thresholdings and the three
negative controls (or reads the checkpoints if they exist), and prints, per entry: the cases, how
many met the hypotheses, held and were violated; the share of met cases with each coverage event
(strided, zero-padding, differing-thresholds, coherent-every-layer, deep-interference); and the
largest tightness over all met cases, over those with a layer of stride 2 or more, and over those
with zero padding (and the same among noisy cases). Standard library only.

Usage: scripts/real_layers_figures.py [--cases N] [--binary PATH] [--folder DIR]
"""
import json
import os
import subprocess
import sys

ENTRIES = [
    "theorem2-real-layers-soft",
    "theorem2-real-layers-nonnegative",
    "theorem2-real-layers-hard",
    "theorem2-real-layers-without-guard-band",
    "theorem2-real-layers-positive-bias",
    "theorem2-real-layers-naive-coherence",
]
EVENTS = ["strided", "zero-padding", "differing-thresholds", "coherent-every-layer", "deep-interference"]


def option(name, default):
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args else default


def records(path):
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return [r for r in lines if "case" in r]


def main():
    cases = int(option("--cases", "2000"))
    binary = option("--binary", "target/release/mlcsc")
    folder = option("--folder", "target/real-layers-figures")
    os.makedirs(folder, exist_ok=True)
    for name in ENTRIES:
        path = os.path.join(folder, f"{name}-{cases}.jsonl")
        if not os.path.exists(path):
            subprocess.run([binary, "campaign", name, "--cases", str(cases), "--checkpoint", path],
                           check=True, stdout=subprocess.DEVNULL)
        rows = records(path)
        met = [r for r in rows if r["verdict"] != "vacuous"]
        noisy = lambda r: dict(map(tuple, r["features"])).get("noisy") == 1.0
        feature = lambda r, k: dict(map(tuple, r["features"])).get(f"event:{k}") == 1.0
        held = sum(r["verdict"] == "holds" for r in rows)
        violated = sum(r["verdict"] == "violated" for r in rows)
        print(f"{name}: {len(rows)} cases, {len(met)} met, {held} hold, {violated} violated")
        if not met:
            continue
        shares = ", ".join(f"{k} {100 * sum(feature(r, k) for r in met) / len(met):.0f}%" for k in EVENTS)
        print(f"  among met cases: {shares}")
        for label, keep in [("all met", lambda r: True), ("stride >= 2", lambda r: feature(r, "strided")),
                            ("zero padding", lambda r: feature(r, "zero-padding")),
                            ("noisy, stride >= 2", lambda r: feature(r, "strided") and noisy(r)),
                            ("noisy, zero padding", lambda r: feature(r, "zero-padding") and noisy(r))]:
            values = [r["tightness"] for r in met if keep(r) and r.get("tightness") is not None]
            if values:
                print(f"  largest tightness, {label}: {max(values):.6f} over {len(values)} cases")


if __name__ == "__main__":
    main()
