#!/usr/bin/env python3
"""How `aura check` and an AI answer's processing scale with input size.

Generates hostile inputs (prose in a .py, a line of `x. `, 100,000s of nested
`if`s, a long operator chain, unclosed braces, ordinary flat code) at 1, 2.5,
5 and 10 MB, times `aura check` on each (median of --runs), and serves
answers of the same sizes to `aura run-program` from a local OpenAI-compatible
server. Prints seconds per size and the time per MB, whose flatness is the
claim: linear, never an abort (exit 134) or a hang.

    python3 benches/scripts/scale.py [--aura target/release/aura] [--runs 3]
"""

import argparse
import http.server
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time

SIZES_MB = [1, 2.5, 5, 10]


def shapes(size):
    def rep(unit):
        return unit * (size // len(unit))

    def nest(open_, close, pre="", post=""):
        n = size // (len(open_) + len(close))
        return pre + open_ * n + close * n + post

    return {
        "flat.py": rep("def f(x):\n    return x + 1\n\n"),
        "prose.py": rep("Mr. Smith went (again) to Washington; it's 5 p.m. - or \"later\": "),
        "dots.py": rep("x. ") + "\n",
        "ifs.rs": nest("if x {", "}", "fn f(){", "}\n"),
        "plus.js": rep("a+") + "a;\n",
        "open.c": "int f(){" + "{" * size + "\n",
    }


def timed(cmd, runs, **kw):
    times, code = [], None
    for _ in range(runs):
        start = time.monotonic()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600, **kw)
        times.append(time.monotonic() - start)
        code = proc.returncode
    return statistics.median(times), code


def serve(answer_box):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("content-length", 0)))
            answer = answer_box[0]
            out = bytearray()
            for i in range(0, len(answer), 65536):
                chunk = {"choices": [{"index": 0, "delta": {"content": answer[i:i + 65536]}}]}
                out += b"data: " + json.dumps(chunk).encode() + b"\n\n"
            out += b"data: [DONE]\n\n"
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("content-length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--aura", default="target/release/aura")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    aura = os.path.abspath(args.aura)

    with tempfile.TemporaryDirectory() as work:
        print("aura check (median of %d runs), seconds; s/MB" % args.runs)
        rows = {}
        for mb in SIZES_MB:
            for name, text in shapes(int(mb * 1_000_000)).items():
                path = os.path.join(work, name)
                with open(path, "w") as f:
                    f.write(text)
                seconds, code = timed([aura, "check", "--no-progress", "--max-file-size", "100000000", path], args.runs)
                rows.setdefault(name, []).append((mb, seconds, code))
        print_table(rows)

        answer_box = [""]
        server = serve(answer_box)
        os.makedirs(os.path.join(work, ".aura"))
        with open(os.path.join(work, ".aura", "config.toml"), "w") as f:
            f.write('[ai.cache]\nenable = false\n\n[ai.providers.fake]\nkind = "openai"\n'
                    'url = "http://127.0.0.1:%d/v1"\nmodel = "fake"\n' % server.server_port)
        with open(os.path.join(work, "app.py"), "w") as f:
            f.write("def greet(name):\n    return eval(name)\n")
        env = dict(os.environ, XDG_CONFIG_HOME="/nonexistent", XDG_CACHE_HOME="/nonexistent")
        print("\naura run-program security-repair --format json, answer of N MB (median of %d runs)" % args.runs)
        answers = {
            "code answer": lambda n: "```python\n" + "x = 1\n" * (n // 6) + "```\n",
            "nested answer": lambda n: "```python\nx = " + "(" * (n // 2) + ")" * (n // 2) + "\n```\n",
            "prose answer": lambda n: "The fix is simple. " * (n // 19),
        }
        rows = {}
        for mb in SIZES_MB:
            for name, make in answers.items():
                answer_box[0] = make(int(mb * 1_000_000))
                seconds, code = timed(
                    [aura, "run-program", "security-repair", "--file", "app.py", "--line", "2", "--format", "json"],
                    args.runs, cwd=work, env=env)
                rows.setdefault(name, []).append((mb, seconds, code))
        print_table(rows)
        server.shutdown()


def print_table(rows):
    header = "%-15s" % "input" + "".join("%14s" % ("%g MB" % mb) for mb in SIZES_MB) + "   s/MB at 1 → 10 MB   exits"
    print(header)
    for name, cells in rows.items():
        line = "%-15s" % name + "".join("%14.2f" % s for _, s, _ in cells)
        first, last = cells[0], cells[-1]
        line += "   %.3f → %.3f" % (first[1] / first[0], last[1] / last[0])
        line += "   " + ",".join(str(c) for _, _, c in cells)
        print(line)


if __name__ == "__main__":
    main()
