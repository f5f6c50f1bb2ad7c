#!/usr/bin/env python3
"""Precision of Aura's default rules on the development corpus (corpus.py).

  benches/precision/run.py                 fetch the corpus if needed, run `aura check` with
                                           defaults on every project, print findings per rule
                                           and per kLOC, and score the judged sample
  benches/precision/run.py --sample        also (re)write sample.tsv: a seeded sample per rule and
                                           severity (hints left out), for judging
  benches/precision/run.py --json OUT      also write the raw figures as JSON
  benches/precision/run.py --holdout       the held-out split (corpus.py --holdout), with its own
                                           sample-holdout.tsv and labels-holdout.tsv
  --aura PATH                              the binary (default target/release/aura)

Judging: labels.tsv holds one line per judged finding,
`key<TAB>verdict<TAB>reason`, verdict one of TP (worth fixing), DEB (debatable:
true but a maintainer may keep it), FP (wrong). The key is
`project:path:line:code`, so a judgement survives unrelated changes to other
findings. The precision table scores every sampled finding that has a label;
unjudged ones are counted so they are not mistaken for clean.

The bar (Tricorder): every default rule at warning or error has FP < 10% and
at least half its judged findings TP; warnings and errors at most 2 per kLOC.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus  # noqa: E402

SAMPLE = os.path.join(HERE, "sample.tsv")
LABELS = os.path.join(HERE, "labels.tsv")
PER_RULE = 12
SEED = 23


def check(aura, name, path):
    """Findings of `aura check` with defaults on one project, and its exit status."""
    proc = subprocess.run([aura, "check", "--format", "json", "--no-progress", path],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"{name}: aura check exited {proc.returncode}: {proc.stderr[-2000:]}")
    doc = json.loads(proc.stdout)
    findings = []
    for f in doc["files"]:
        rel = os.path.relpath(f["path"], path)
        for d in f["diagnostics"]:
            line = d["range"]["start"]["line"]
            findings.append({
                "key": f"{name}:{rel}:{line}:{d['code']}",
                "code": d["code"], "severity": d["severity"], "message": d["message"],
                "file": f["path"], "line": line,
            })
    return findings, doc["summary"], proc.returncode


def read_labels():
    labels = {}
    if os.path.exists(LABELS):
        for raw in open(LABELS, encoding="utf-8"):
            if not raw.strip() or raw.startswith("#"):
                continue
            key, verdict, *reason = raw.rstrip("\n").split("\t")
            if verdict not in ("TP", "DEB", "FP"):
                sys.exit(f"labels.tsv: {key}: verdict must be TP, DEB or FP, not {verdict!r}")
            labels[key] = (verdict, reason[0] if reason else "")
    return labels


def source_line(path, line):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.strip()[:160]
    except OSError:
        pass
    return ""


def draw_sample(findings):
    """Up to PER_RULE findings per rule and severity (hints left out), seeded, in key order."""
    by_rule = collections.defaultdict(list)
    for f in findings:
        if f["severity"] in ("error", "warning", "info"):
            by_rule[(f["code"], f["severity"])].append(f)
    sample = []
    for code, severity in sorted(by_rule):
        # A generator per rule: a change in one rule's findings leaves the others' samples alone.
        rng = random.Random(f"{SEED}:{code}:{severity}")
        pool = sorted(by_rule[(code, severity)], key=lambda f: f["key"])
        sample += rng.sample(pool, min(PER_RULE, len(pool)))
    return sample


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--aura", default=os.path.join(corpus.ROOT, "target/release/aura"))
    parser.add_argument("--sample", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--holdout", action="store_true",
                        help="the held-out split: figures only, its findings are judged in labels-holdout.tsv")
    args = parser.parse_args()
    global SAMPLE, LABELS
    if args.holdout:
        SAMPLE = os.path.join(HERE, "sample-holdout.tsv")
        LABELS = os.path.join(HERE, "labels-holdout.tsv")

    projects = corpus.prepare(verbose=False, split="holdout" if args.holdout else "dev")
    everything, lines, failing = [], 0, []
    per_project = []
    for name, (path, lang) in projects.items():
        findings, summary, status = check(args.aura, name, path)
        everything += findings
        lines += summary["lines"]
        loud = sum(1 for f in findings if f["severity"] in ("error", "warning"))
        per_project.append((name, lang, summary["lines"], len(findings), loud, status))
        if status != 0:
            failing.append(name)

    print(f"{'project':18} {'language':11} {'lines':>8} {'findings':>8} {'warn+err':>8} {'/kLOC':>6} exit")
    for name, lang, n_lines, n, loud, status in per_project:
        print(f"{name:18} {lang:11} {n_lines:8} {n:8} {loud:8} {1000 * loud / max(n_lines, 1):6.2f} {status}")

    by_rule = collections.Counter((f["code"], f["severity"]) for f in everything)
    loud = sum(n for (code, sev), n in by_rule.items() if sev in ("error", "warning"))
    print(f"\n{lines} lines, {len(everything)} findings ({1000 * len(everything) / lines:.2f}/kLOC), "
          f"{loud} at warning or error ({1000 * loud / lines:.2f}/kLOC); "
          f"aura check fails on {len(failing)} of {len(projects)}: {', '.join(failing) or '-'}")
    print(f"\n{'rule':8} {'severity':9} {'count':>7} {'/kLOC':>6}")
    for (code, sev), n in sorted(by_rule.items()):
        print(f"{code:8} {sev:9} {n:7} {1000 * n / lines:6.3f}")

    if args.sample:
        with open(SAMPLE, "w", encoding="utf-8") as out:
            out.write("# key\tseverity\tmessage\tsource line (written by run.py --sample)\n")
            for f in draw_sample(everything):
                text = source_line(f["file"], f["line"])
                out.write(f"{f['key']}\t{f['severity']}\t{f['message']}\t{text}\n")
        print(f"\nwrote {SAMPLE}")

    labels = read_labels()
    sample = draw_sample(everything)
    table = collections.defaultdict(collections.Counter)
    for f in sample:
        verdict = labels.get(f["key"], ("unjudged", ""))[0]
        table[(f["code"], f["severity"])][verdict] += 1
    print(f"\nprecision on the judged sample (seed {SEED}, up to {PER_RULE} per rule and severity; "
          "the bar applies at warning and error)")
    print(f"{'rule':8} {'severity':8} {'sampled':>7} {'TP':>4} {'DEB':>4} {'FP':>4} {'unjudged':>8} "
          f"{'FP%':>6} {'TP%':>6} bar")
    failing_bar = []
    for code, sev in sorted(table):
        c = table[(code, sev)]
        judged = c["TP"] + c["DEB"] + c["FP"]
        fp = 100 * c["FP"] / judged if judged else float("nan")
        tp = 100 * c["TP"] / judged if judged else float("nan")
        ok = judged > 0 and c["unjudged"] == 0 and fp < 10 and tp >= 50
        if sev not in ("error", "warning"):
            verdict = "-"
        else:
            verdict = "ok" if ok else "FAIL"
            if not ok:
                failing_bar.append(code)
        print(f"{code:8} {sev:8} {sum(c.values()):7} {c['TP']:4} {c['DEB']:4} {c['FP']:4} {c['unjudged']:8} "
              f"{fp:6.1f} {tp:6.1f} {verdict}")
    print(f"rules at warning or error below the bar: {', '.join(failing_bar) or 'none'}")

    if args.json:
        with open(args.json, "w") as out:
            json.dump({"lines": lines, "findings": len(everything), "loud": loud,
                       "by_rule": {f"{c}:{s}": n for (c, s), n in by_rule.items()},
                       "projects": per_project, "precision": {f"{c}:{s}": v for (c, s), v in table.items()}}, out, indent=1)


if __name__ == "__main__":
    main()
