#!/usr/bin/env python3
"""Speed of `aura impact` and `aura hotspots` on a generated repository.

Writes (with `git fast-import`, so it takes seconds) a Python repository of
FILES files × FUNCS functions (100k lines by default) whose functions call
each other across files, then COMMITS first-parent commits that each rewrite
a line in one to three functions; then edits two functions in the working
tree. Runs the release binary N times per command and prints the median wall
time next to git's own nearest equivalent in the same run (`git log
--numstat` over the same window for hotspots, `git grep -w` of the changed
names for impact), with the ratio. Budgets (issue 7): impact < 500 ms on a
100k-line repository, hotspots over 1,000 commits < 2 s.

Usage: benches/scripts/git_perf.py [--runs N] [--commits N] [--files N]
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUNC_LINES = 10


def function(file_index, func_index, files, funcs, rng, tag=""):
    callee = f"f{rng.randrange(files)}_{rng.randrange(funcs)}"
    neighbour = f"f{(file_index + 1) % files}_{func_index}"
    body = [
        f"def f{file_index}_{func_index}(value, limit=10):",
        f"    total = {callee}(value) + {neighbour}(value) if value > {func_index} else 0{tag}",
        "    for i in range(limit):",
        "        if i % 3 == 0:",
        "            total += i",
        "        elif i % 5 == 0:",
        "            total -= i",
        "    return total",
        "",
        "",
    ]
    assert len(body) == FUNC_LINES
    return body


def file_text(file_index, files, funcs, tags):
    rng = random.Random(file_index)
    lines = []
    for func_index in range(funcs):
        lines += function(file_index, func_index, files, funcs, rng, tags.get((file_index, func_index), ""))
    return "\n".join(lines) + "\n"


def build(repo, files, funcs, commits):
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    tags = {}
    rng = random.Random(7)
    stream = []
    mark = 0

    def commit(changed, message):
        nonlocal mark
        mark += 1
        when = 1_750_000_000 + mark * 600
        stream.append(f"commit refs/heads/main\nmark :{mark}\n")
        stream.append(f"author Bench <b@example.com> {when} +0000\ncommitter Bench <b@example.com> {when} +0000\n")
        msg = message.encode()
        stream.append(f"data {len(msg)}\n{message}\n")
        if mark > 1:
            stream.append(f"from :{mark - 1}\n")
        for f in changed:
            data = file_text(f, files, funcs, tags).encode()
            stream.append(f"M 100644 inline pkg/mod{f}.py\ndata {len(data)}\n")
            stream.append(data.decode() + "\n")

    commit(range(files), "feat: initial import")
    hot = [rng.randrange(files) for _ in range(5)]
    for n in range(commits - 1):
        changed = set()
        for _ in range(rng.randint(1, 3)):
            # A few files take most of the churn, as in real projects.
            f = rng.choice(hot) if rng.random() < 0.5 else rng.randrange(files)
            tags[(f, rng.randrange(funcs))] = f"  # rev {n}"
            changed.add(f)
        commit(sorted(changed), ("fix: bound check" if n % 4 == 0 else "tweak totals") + f" #{n}")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input="".join(stream).encode(), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    # The working-tree change impact reads: two functions edited.
    for f, func in [(hot[0], 3), (1, 7)]:
        path = os.path.join(repo, f"pkg/mod{f}.py")
        text = open(path).read().replace(f"def f{f}_{func}(value, limit=10):\n    total", f"def f{f}_{func}(value, limit=10):\n    total = 1\n    total", 1)
        open(path, "w").write(text)
    return [f"f{hot[0]}_3", "f1_7"]


def median_ms(cmd, cwd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        times.append((time.perf_counter() - start) * 1000)
        if out.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed: {out.stderr.decode()}")
    return statistics.median(times), out.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--funcs", type=int, default=50)
    parser.add_argument("--aura", default=os.path.join(ROOT, "target/release/aura"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        start = time.perf_counter()
        names = build(repo, args.files, args.funcs, args.commits)
        lines = args.files * args.funcs * FUNC_LINES
        print(f"repository: {args.files} files, {lines} lines, {args.commits} commits "
              f"(built in {time.perf_counter() - start:.1f} s)")
        env_cmd = [args.aura]
        impact_ms, out = median_ms(env_cmd + ["impact", "--format", "json"], repo, args.runs)
        grep_ms, _ = median_ms(["git", "grep", "-n", "-w"] + sum((["-e", n] for n in names), []), repo, args.runs)
        import json
        report = json.loads(out)
        refs = sum(len(f["references"]) for f in report["functions"])
        print(f"aura impact:   median {impact_ms:7.1f} ms over {args.runs} runs "
              f"({len(report['functions'])} changed functions, {refs} references, "
              f"{report['files_searched']} files searched, {report['files_parsed']} parsed) · budget 500 ms")
        print(f"git grep -w:   median {grep_ms:7.1f} ms (text only, no parsing)  · ratio {impact_ms / grep_ms:.2f}×")
        hot_ms, out = median_ms(env_cmd + ["hotspots", "--format", "json", "--days", "0",
                                           "--commits", str(args.commits)], repo, args.runs)
        log_ms, _ = median_ms(["git", "log", "--first-parent", "--numstat", "--format=%H",
                               "-n", str(args.commits)], repo, args.runs)
        report = json.loads(out)
        print(f"aura hotspots: median {hot_ms:7.1f} ms over {args.runs} runs "
              f"({report['commits']} commits walked, top function {report['functions'][0]['name']} "
              f"with {report['functions'][0]['commits']} commits) · budget 2000 ms")
        print(f"git log --numstat: median {log_ms:7.1f} ms (file-level only) · ratio {hot_ms / log_ms:.2f}×")


if __name__ == "__main__":
    main()
