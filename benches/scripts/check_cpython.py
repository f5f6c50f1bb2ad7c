#!/usr/bin/env python3
"""Throughput of `aura check` over the CPython standard library.

Runs the release binary N times over the stdlib of the pyenv Python (or the
directory given), and prints median wall time, CPU time and lines per
CPU-second. With lizard installed (scripts/oracles/setup.sh), lizard runs
over the same tree in the same invocation, the same number of times, and the
ratio is printed. Usage: benches/scripts/check_cpython.py [DIR] [--runs N]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", nargs="?", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--aura", default=os.path.join(ROOT, "target/release/aura"))
    parser.add_argument("--lizard", default=os.path.join(ROOT, ".oracles/bin/lizard"))
    args = parser.parse_args()
    walls, cpus, lines = [], [], None
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(
            # site-packages holds installed third-party code, not the stdlib.
            [args.aura, "check", "--format", "json", "--no-progress", "--fail-on", "never",
             "--exclude", "site-packages", args.dir],
            capture_output=True, text=True, check=True,
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        summary = json.loads(out.stdout)["summary"]
        lines = summary["lines"]
        files = summary["files_checked"]
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"aura check {args.dir}: {files} files, {lines} lines, {args.runs} runs, {os.cpu_count()} cores")
    print(f"  median wall {wall:.2f} s, median CPU {cpu:.2f} s")
    print(f"  {lines / cpu:,.0f} lines per CPU-second, {lines / wall:,.0f} lines per wall-second")
    if not os.path.exists(args.lizard):
        print(f"  (lizard not found at {args.lizard}; scripts/oracles/setup.sh installs it)")
        return 0
    lizard_cpus = []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        # lizard's default: cyclomatic, tokens and parameters per function, single process.
        subprocess.run([args.lizard, "-l", "python", "-x", "*/site-packages/*", args.dir],
                       capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        lizard_cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    lizard_cpu = statistics.median(lizard_cpus)
    print(f"lizard over the same tree: median CPU {lizard_cpu:.2f} s = {lines / lizard_cpu:,.0f} lines per "
          f"CPU-second (aura's line count); aura / lizard = {lizard_cpu / cpu:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
