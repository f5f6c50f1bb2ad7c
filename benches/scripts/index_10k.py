#!/usr/bin/env python3
"""Indexing a 10,000-function repository, and typing while it happens.

Builds a workspace from Python standard-library files (no tests, no
site-packages) until it holds at least --functions functions of three lines
or more, then:

1. `aura shape DIR --format json` with a cold embedding cache: wall time and
   peak resident memory (ru_maxrss of the child), then again with the cache
   warm.
2. `aura lsp` on the same workspace with a cold cache: while the background
   worker embeds (between its `$/progress` begin and end), one document gets
   a burst of keystrokes every --every seconds; each keystroke is followed by
   `textDocument/documentSymbol` and its answer timed, and the time from the
   keystroke to the diagnostics for that version is timed. The same is then
   measured with the worker finished (idle). The server's peak memory
   (VmHWM) is read at the end.

    cargo build --release && scripts/fetch-embedding-model
    python3 benches/scripts/index_10k.py [--functions 10000] [--bursts 40]
"""
import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sysconfig
import tempfile
import threading
import time
import queue

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_workspace(dest, want):
    stdlib = sysconfig.get_paths()["stdlib"]
    count = 0
    for dirpath, dirnames, filenames in os.walk(stdlib):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "test", "tests", "idle_test", "__pycache__"))
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            src = os.path.join(dirpath, name)
            try:
                text = open(src, encoding="utf-8").read()
                tree = ast.parse(text)
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            n = sum(1 for node in ast.walk(tree)
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 2)
            rel = os.path.relpath(src, stdlib)
            os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
            shutil.copyfile(src, os.path.join(dest, rel))
            count += n
            if count >= want:
                return count
    return count


def timed_child(cmd, cwd=None):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, out, status


class Server:
    def __init__(self, aura, root, env):
        self.proc = subprocess.Popen([aura, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        self.inbox = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(out.read(length))
            message["_at"] = time.perf_counter()
            if "method" in message and "id" in message:  # answer server requests
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            self.inbox.put(message)

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


def peak_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def typing(server, uri, text, version, bursts, every, keys, until):
    """Bursts of keystrokes; returns (documentSymbol latencies, diagnostics latencies) in ms."""
    symbols, diags = [], []
    progress_done = False
    for _ in range(bursts):
        for _ in range(keys):
            version += 1
            text = text + "#"
            sent = time.perf_counter()
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}]})
            rid = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
            want_diag, got_answer, got_diag = version, None, None
            deadline = time.perf_counter() + 30
            while (got_answer is None or got_diag is None) and time.perf_counter() < deadline:
                try:
                    m = server.inbox.get(timeout=1)
                except queue.Empty:
                    continue
                if m.get("id") == rid and "method" not in m:
                    got_answer = m["_at"]
                elif m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri \
                        and m["params"].get("version") == want_diag:
                    got_diag = m["_at"]
                elif until and m.get("method") == "$/progress" and m["params"]["token"] == "aura/semantic-index" \
                        and m["params"]["value"]["kind"] == "end":
                    progress_done = True
            if got_answer:
                symbols.append((got_answer - sent) * 1000)
            if got_diag:
                diags.append((got_diag - sent) * 1000)
            time.sleep(0.05)
        if until and progress_done:
            break
        time.sleep(every)
    return symbols, diags, version, text, progress_done


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--functions", type=int, default=10000)
    ap.add_argument("--bursts", type=int, default=40)
    ap.add_argument("--every", type=float, default=1.5, help="seconds between bursts (the worker resumes after 0.8 s)")
    ap.add_argument("--keys", type=int, default=3, help="keystrokes per burst")
    ap.add_argument("--aura", default=os.path.join(ROOT, "target", "release", "aura"))
    ap.add_argument("--skip-cli", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as ws:
        found = build_workspace(ws, args.functions)
        files = sum(len(f) for _, _, f in os.walk(ws))
        print(f"workspace: {files} stdlib files, {found} functions of 3+ lines (Python's ast)")

        if not args.skip_cli:
            cold, cold_rss, out, status = timed_child([args.aura, "shape", ws, "--format", "json"])
            assert status == 0, "aura shape failed"
            report = json.loads(out)
            warm, warm_rss, _, _ = timed_child([args.aura, "shape", ws, "--format", "json"])
            print(f"aura shape, cold cache: {cold:.1f} s, peak RSS {cold_rss:.0f} MiB; "
                  f"{report['embedded']} functions embedded, {len(report['clusters'])} clusters")
            print(f"aura shape, warm cache: {warm:.1f} s, peak RSS {warm_rss:.0f} MiB")

        shutil.rmtree(os.path.join(ws, ".aura"), ignore_errors=True)
        server = Server(args.aura, ws, dict(os.environ))
        rid = server.request("initialize", {
            "processId": None, "rootUri": "file://" + ws,
            "capabilities": {"window": {"workDoneProgress": True},
                             "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": True}}},
            "initializationOptions": {"diagnostics": {"debounce_ms": 0}}})
        while server.inbox.get().get("id") != rid:
            pass
        server.notify("initialized", {})
        target = os.path.join(ws, "argparse.py")
        if not os.path.exists(target):
            target = next(os.path.join(d, f) for d, _, fs in os.walk(ws) for f in fs if f.endswith(".py"))
        text = open(target, encoding="utf-8").read()
        uri = "file://" + target
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        started = time.perf_counter()
        while True:
            m = server.inbox.get(timeout=120)
            if m.get("method") == "$/progress" and m["params"]["token"] == "aura/semantic-index":
                break
        print(f"indexing started {time.perf_counter() - started:.1f} s after the document opened")
        busy_sym, busy_diag, version, text, done = typing(server, uri, text, 1, args.bursts, args.every, args.keys, True)
        if not done:
            while True:
                m = server.inbox.get(timeout=1200)
                if m.get("method") == "$/progress" and m["params"]["token"] == "aura/semantic-index" \
                        and m["params"]["value"]["kind"] == "end":
                    break
        indexed = time.perf_counter() - started
        time.sleep(1)
        idle_sym, idle_diag, _, _, _ = typing(server, uri, text, version, 10, 0.3, args.keys, False)
        peak = peak_mib(server.proc.pid)
        server.request("shutdown", None)
        server.notify("exit", None)
        server.proc.wait(timeout=30)
        print(f"aura lsp: index built {indexed:.0f} s after open (typing included); server peak RSS {peak:.0f} MiB")
        for label, sym, diag in (("while indexing", busy_sym, busy_diag), ("idle", idle_sym, idle_diag)):
            print(f"  {label:15s} documentSymbol after a keystroke: p50 {pct(sym, 50):6.1f} ms  p95 {pct(sym, 95):6.1f} ms  "
                  f"p99 {pct(sym, 99):6.1f} ms  (n={len(sym)}); diagnostics: p50 {pct(diag, 50):6.1f} ms  "
                  f"p95 {pct(diag, 95):6.1f} ms  (n={len(diag)})")


if __name__ == "__main__":
    main()
