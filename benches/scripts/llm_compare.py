#!/usr/bin/env python3
"""Aura's embedded model (candle, in process) side by side with llama.cpp
(llama-cpp-python's server) on the same GGUF, same prompt, same machine, in
one run: load time, time to first token, decode tokens per second. Medians of
--runs runs each.

    cargo build --release && python3 benches/scripts/llm_compare.py [--runs 3]

Needs scripts/fetch-model and `pip install llama-cpp-python[server]` (both done
by scripts/test).
"""
import argparse, json, os, re, socket, statistics, subprocess, sys, tempfile, time, urllib.request

PROMPT = "Explain in detail what a hash map is and how collisions are handled."
MAX_TOKENS = 128


def model_path():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.environ["HOME"], ".cache")
    path = os.path.join(cache, "aura", "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
    if not os.path.isfile(path):
        sys.exit(f"{path} missing: run scripts/fetch-model")
    return path


def aura_once(binary, model):
    with tempfile.TemporaryDirectory() as ws:
        env = dict(os.environ, AURA_LLM_MODEL=model)
        start = time.perf_counter()
        out = subprocess.run([binary, "ask", PROMPT, "--raw", "--no-cache", "--max-tokens", str(MAX_TOKENS)], cwd=ws, env=env,
                             capture_output=True, text=True, check=True)
        wall = (time.perf_counter() - start) * 1000
    m = re.search(r"(\d+) tokens · first token (\d+) ms · total (\d+) ms", out.stderr)
    tokens, first, total = map(int, m.groups())
    return {"load_ms": wall - total, "first_token_ms": first,
            "tokens_per_s": (tokens - 1) / max((total - first) / 1000, 1e-9), "tokens": tokens}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def llama_once(model):
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1).read()
                break
            except Exception:
                time.sleep(0.05)
        load = (time.perf_counter() - start) * 1000
        body = json.dumps({"model": "m", "stream": True, "temperature": 0, "max_tokens": MAX_TOKENS,
                           "messages": [{"role": "user", "content": PROMPT}]}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", body,
                                     {"content-type": "application/json"})
        sent = time.perf_counter()
        first, tokens = None, 0
        with urllib.request.urlopen(req) as resp:
            for line in resp:
                line = line.decode().strip()
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                delta = json.loads(line[6:])["choices"][0].get("delta", {}).get("content")
                if delta:
                    tokens += 1
                    if first is None:
                        first = time.perf_counter()
        end = time.perf_counter()
        return {"load_ms": load, "first_token_ms": (first - sent) * 1000,
                "tokens_per_s": (tokens - 1) / (end - first), "tokens": tokens}
    finally:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--aura", default="target/release/aura")
    args = ap.parse_args()
    model = model_path()
    rows = {"aura (candle, in process)": [], "llama.cpp (llama-cpp-python)": []}
    for _ in range(args.runs):
        rows["aura (candle, in process)"].append(aura_once(os.path.abspath(args.aura), model))
        rows["llama.cpp (llama-cpp-python)"].append(llama_once(model))
    med = {name: {k: statistics.median(r[k] for r in runs) for k in runs[0]} for name, runs in rows.items()}
    print(f"SmolLM2-135M-Instruct Q4_1, {MAX_TOKENS} max tokens, 2 threads, medians of {args.runs} runs")
    print(f"{'':32} {'load ms':>9} {'first token ms':>15} {'tokens/s':>9} {'tokens':>7}")
    for name, m in med.items():
        print(f"{name:32} {m['load_ms']:9.0f} {m['first_token_ms']:15.0f} {m['tokens_per_s']:9.1f} {m['tokens']:7.0f}")
    a, l = med["aura (candle, in process)"], med["llama.cpp (llama-cpp-python)"]
    print(f"ratio aura/llama.cpp: first token {a['first_token_ms'] / l['first_token_ms']:.2f}x, "
          f"decode time per token {l['tokens_per_s'] / a['tokens_per_s']:.2f}x")


if __name__ == "__main__":
    main()
