#!/usr/bin/env python3
"""`aura tda` side by side with Ripser (PyPI `ripser`) on the same point
clouds, same machine, one run: CPU seconds for H0+H1 (medians of --runs),
their ratio, and whether the diagrams agree.

    cargo build --release
    python -m venv /tmp/st && /tmp/st/bin/pip install ripser
    /tmp/st/bin/python benches/scripts/tda_compare.py [--sizes 1000,2000] [--runs 3]

Aura's time is the whole `aura tda` process's CPU time (CSV parsing and the
distance matrix included); Ripser's is the CPU time of `ripser.ripser(points,
maxdim=1)` (its distance matrix included, Python start-up not). Both use
their default threshold, the enclosing radius.
"""
import argparse, json, os, resource, statistics, subprocess, sys, tempfile, time

import numpy as np
import ripser

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from tda_reference import circle, clusters, cube, torus  # noqa: E402

SHAPES = {"cube": cube, "circle": circle, "torus": torus, "clusters": clusters}
AURA = os.path.join(os.path.dirname(__file__), "..", "..", "target", "release", "aura")


def aura_run(csv_path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([AURA, "tda", "--points", csv_path, "--format", "json"], check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, json.loads(out)


def ripser_run(points):
    start = time.process_time()
    dgms = ripser.ripser(points, maxdim=1)["dgms"]
    return time.process_time() - start, dgms


def same(ours, theirs):
    for dim, key in ((0, "h0"), (1, "h1")):
        a = sorted((b, float("inf") if d is None else d) for b, d in ours[key])
        b = sorted((float(x), float(y)) for x, y in theirs[dim])
        if len(a) != len(b) or any(abs(p[0] - q[0]) > 1e-5 or (p[1] != q[1] and abs(p[1] - q[1]) > 1e-5) for p, q in zip(a, b)):
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,2000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    args = ap.parse_args()
    print(f"ripser {ripser.__version__}; medians of {args.runs} runs; CPU seconds")
    print(f"{'cloud':<16}{'aura':>9}{'ripser':>9}{'ratio':>8}  {'H1':>5}  agree")
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            for seed, shape in enumerate(args.shapes.split(",")):
                points = SHAPES[shape](np.random.default_rng(100 + seed), size)
                path = os.path.join(tmp, f"{shape}-{size}.csv")
                np.savetxt(path, points, delimiter=",", fmt="%.17g")
                ours, theirs = [], []
                for _ in range(args.runs):
                    t, out = aura_run(path)
                    ours.append(t)
                    t, dgms = ripser_run(points)
                    theirs.append(t)
                a, r = statistics.median(ours), statistics.median(theirs)
                print(f"{shape + '-' + str(size):<16}{a:>9.3f}{r:>9.3f}{a / r:>7.2f}×  {len(out['h1']):>5}  {same(out, dgms)}", flush=True)


if __name__ == "__main__":
    main()
