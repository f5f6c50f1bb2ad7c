#!/usr/bin/env python3
"""Resident memory of `aura lsp` with many files open.

Opens N Python files from the CPython standard library over real stdio, waits
until diagnostics for every one have arrived, then reads VmRSS (and VmHWM, the
peak) from /proc. Usage: benches/scripts/lsp_memory.py [--files 200] [--runs 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def read(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise EOFError("server closed stdout")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # MiB
    return 0.0


def one_run(aura, files):
    proc = subprocess.Popen([aura, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    while read(proc).get("id") != 1:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    idle = status(proc.pid, "VmRSS")
    pending = set()
    total_lines = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        total_lines += text.count("\n")
        uri = "file://" + path
        pending.add(uri)
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                    "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    while pending:
        msg = read(proc)
        if msg.get("method") == "textDocument/publishDiagnostics":
            pending.discard(msg["params"]["uri"])
    rss, peak = status(proc.pid, "VmRSS"), status(proc.pid, "VmHWM")
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)
    return idle, rss, peak, total_lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--aura", default=os.path.join(ROOT, "target/release/aura"))
    args = parser.parse_args()
    stdlib = sysconfig.get_paths()["stdlib"]
    candidates = []
    for dirpath, dirnames, filenames in os.walk(stdlib):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "test", "tests"))
        candidates.extend(os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith(".py"))
    files = candidates[: args.files]
    results = [one_run(args.aura, files) for _ in range(args.runs)]
    idle = statistics.median(r[0] for r in results)
    rss = statistics.median(r[1] for r in results)
    peak = statistics.median(r[2] for r in results)
    print(f"aura lsp, {len(files)} stdlib files open ({results[0][3]} lines), {args.runs} runs:")
    print(f"  median RSS idle {idle:.1f} MiB, with files open {rss:.1f} MiB, peak {peak:.1f} MiB")


if __name__ == "__main__":
    main()
