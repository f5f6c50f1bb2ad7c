"""Reference persistence diagrams for aura-tda's differential test, from Ripser.

Run once, when the point sets change; the output is committed:

    python -m venv /tmp/st && /tmp/st/bin/pip install ripser
    /tmp/st/bin/python scripts/tda_reference.py crates/aura-tda/tests/data

Each point set is seeded, so the files are reproducible. Every file holds
{"name", "metric", "ripser", "points": [[...]], "h0": [[b, d|null]], "h1": [[b, d]]}
with Ripser's (ripser.py) default threshold (the enclosing radius) and Z/2.
"""

import json
import os
import sys

import numpy as np
import ripser


def cube(rng, n):
    return rng.uniform(0, 1, size=(n, 3))


def circle(rng, n, noise=0.1):
    t = rng.uniform(0, 2 * np.pi, n)
    return np.c_[np.cos(t), np.sin(t)] + rng.normal(0, noise, size=(n, 2))


def torus(rng, n, big=2.0, small=0.7):
    u, v = rng.uniform(0, 2 * np.pi, size=(2, n))
    return np.c_[(big + small * np.cos(v)) * np.cos(u), (big + small * np.cos(v)) * np.sin(u), small * np.sin(v)]


def clusters(rng, n, k=5):
    centres = rng.uniform(-10, 10, size=(k, 2))
    labels = rng.integers(0, k, n)
    return centres[labels] + rng.normal(0, 0.6, size=(n, 2))


def embeddings(rng, n, dim=24):
    # Cosine geometry like code embeddings: a few directions plus noise.
    base = rng.normal(size=(6, dim))
    return base[rng.integers(0, 6, n)] + rng.normal(0, 0.8, size=(n, dim))


SETS = [
    ("cube-100", cube, 100, "euclidean"),
    ("circle-300", circle, 300, "euclidean"),
    ("torus-400", torus, 400, "euclidean"),
    ("clusters-250", clusters, 250, "euclidean"),
    ("embeddings-300", embeddings, 300, "cosine"),
    ("circle-1000", circle, 1000, "euclidean"),
]


def pairs(dgm):
    return [[float(b), None if np.isinf(d) else float(d)] for b, d in dgm]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for seed, (name, make, n, metric) in enumerate(SETS):
        points = make(np.random.default_rng(seed), n)
        dgms = ripser.ripser(points, maxdim=1, metric=metric)["dgms"]
        out = {
            "name": name,
            "metric": metric,
            "ripser": ripser.__version__,
            "points": points.tolist(),
            "h0": pairs(dgms[0]),
            "h1": pairs(dgms[1]),
        }
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(out, f, separators=(",", ":"))
        print(f"{name}: {n} points, {len(out['h0'])} H0, {len(out['h1'])} H1")


if __name__ == "__main__":
    main(sys.argv[1])
