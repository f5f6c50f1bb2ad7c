#!/usr/bin/env python3
"""Compare Aura's metrics with independent tools on real corpora.

Each comparison prints how many functions both tools found, how many agree
exactly, and the disagreements grouped into buckets with an example each, so
every bucket can be explained in docs/metrics.md.

  scripts/oracles/compare.py all              every comparison below on its corpus (fetched
                                              into target/oracle-corpora), as in docs/metrics.md
  scripts/oracles/compare.py radon [DIR]      cyclomatic vs radon (Python)
  scripts/oracles/compare.py complexipy [DIR] cognitive vs complexipy (Python)
  scripts/oracles/compare.py lizard DIR --lang java|go   cyclomatic vs lizard
  scripts/oracles/compare.py eslint DIR [--lang typescript]  cyclomatic vs ESLint, cognitive vs sonarjs
  scripts/oracles/compare.py pmccabe DIR      cyclomatic vs pmccabe (C)
  scripts/oracles/compare.py security [FILES]  precision/recall per rule vs bandit, detect-secrets
  scripts/oracles/compare.py jscpd DIR        duplicated lines vs jscpd (--mode weak -k 50 -l 5)

Oracles install into a virtualenv: scripts/oracles/setup.sh.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AURA = os.path.join(ROOT, "target/release/aura")
EXTS = {"python": (".py",), "java": (".java",), "go": (".go",), "c": (".c", ".h"),
        "javascript": (".js", ".mjs", ".cjs")}


def aura_function_table(path, exclude=()):
    """Aura's functions keyed by (file, start line), and the keys of lines
    that start more than one function (the table keeps the first)."""
    cmd = [AURA, "metrics", "--format", "json", path]
    for glob in exclude:
        cmd += ["--exclude", glob]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result = {}
    shared = set()
    for f in json.loads(out)["files"]:
        for fn in f["functions"]:
            key = (os.path.normpath(os.path.join(path, f["path"]) if not os.path.isabs(f["path"]) and not f["path"].startswith(path) else f["path"]), fn["start_line"])
            if key in result:
                shared.add(key)
            result.setdefault(key, fn)
    return result, shared


def aura_functions(path, exclude=(), unique=False):
    """Aura's functions keyed by (file, start line). With unique, lines that
    start more than one function are left out: matching by line cannot tell
    which oracle figure belongs to which."""
    result, shared = aura_function_table(path, exclude)
    return {k: v for k, v in result.items() if k not in shared} if unique else result


def parse_errors(root):
    """Lines where tree-sitter reported ERROR or MISSING nodes (AUR001), by file."""
    import tempfile
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="aura-cfg-"), AURA_RULES_SELECT='["AUR001"]')
    out = subprocess.run([AURA, "check", "--format", "json", "--no-progress", "--fail-on", "never", root],
                         capture_output=True, text=True, env=env, check=True).stdout
    errors = collections.defaultdict(set)
    for f in json.loads(out)["files"]:
        path = os.path.normpath(f["path"] if os.path.isabs(f["path"]) else os.path.join(root, f["path"]))
        for d in f["diagnostics"]:
            r = d["range"]
            errors[path].update(range(r["start"]["line"], r["end"]["line"] + 1))
    return errors


def source_lines(key, fn):
    with open(key[0], encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()[fn["start_line"] - 1:fn["end_line"]]


def report(name, pairs, metric, explain):
    """pairs: list of (key, aura_value, oracle_value, oracle_name)"""
    exact = sum(1 for _, a, o, _ in pairs if a == o)
    total = len(pairs)
    print(f"{name}: {total} functions matched by file and line; {metric} exact {exact}/{total} "
          f"= {100.0 * exact / max(total, 1):.2f}%")
    buckets = collections.defaultdict(list)
    for key, a, o, oname in pairs:
        if a != o:
            buckets[explain(key, a, o)].append((key, a, o, oname))
    for bucket, items in sorted(buckets.items(), key=lambda kv: -len(kv[1])):
        key, a, o, oname = items[0]
        print(f"  {len(items):5d}  {bucket}   e.g. {key[0]}:{key[1]} {oname} aura={a} oracle={o}")
    return exact, total


def radon(args):
    sys.path.insert(0, args.site) if args.site else None
    from radon.complexity import cc_visit
    from radon.visitors import Function, Class
    oracle = {}
    for dirpath, dirnames, filenames in os.walk(args.dir):
        dirnames[:] = [d for d in dirnames if d != "site-packages"]
        for fname in filenames:
            if not fname.endswith(".py"):
                continue
            path = os.path.normpath(os.path.join(dirpath, fname))
            try:
                code = open(path, encoding="utf-8").read()
                blocks = cc_visit(code)
            except Exception:
                continue  # radon cannot parse it (Python 2 test data, bad encodings)
            stack = list(blocks)
            while stack:
                b = stack.pop()
                if isinstance(b, Class):
                    stack.extend(b.methods)
                    stack.extend(getattr(b, "inner_classes", []))
                    continue
                oracle[(path, b.lineno)] = (b.complexity, b.name)
                stack.extend(b.closures)
    ours = aura_functions(args.dir, ["site-packages"])
    pairs = [(k, ours[k]["cyclomatic"], v[0], v[1]) for k, v in oracle.items() if k in ours]
    only_oracle = [k for k in oracle if k not in ours]
    print(f"radon found {len(oracle)} functions, aura {len(ours)}; radon-only {len(only_oracle)}")
    for k in only_oracle[:5]:
        print(f"  radon-only e.g. {k[0]}:{k[1]} {oracle[k][1]}")
    def explain(key, a, o):
        path, line = key
        lines = open(path, encoding="utf-8").read().splitlines()
        body = lines[line - 1:ours[key]["end_line"]]
        text = "\n".join(body)
        if "except*" in text:
            return "except* blocks: radon 6.0.1 predates TryStar and counts none of them"
        if any(l.lstrip().startswith("class ") for l in body[1:]):
            return "class statement inside the function: radon skips its bases and body, aura counts them"
        try:
            found = python_features(path, line)
        except SyntaxError:
            return "file ast cannot parse"
        if f"ends at {ours[key]['end_line']}" not in found:
            return ENDS_ELSEWHERE
        if "guarded or early catch-all" in found and a > o:
            return ("a `case _` or capture with a guard or before other cases: radon discounts it as the "
                    "default, aura only an unguarded catch-all in last place (the others can fail to match)")
        return f"unexplained: aura {'+' if a > o else '-'}{abs(a - o)}"

    report("radon cyclomatic", pairs, "cyclomatic", explain)


# A Python function whose end tree-sitter and CPython's `ast` place apart.
ENDS_ELSEWHERE = ("the function ends elsewhere: tree-sitter's indentation scanner closes it at a "
                  "line CPython reads as a continuation (code dedented inside brackets)")


def python_features(path, line):
    """Constructs in the function defined at `line` that Aura and complexipy
    count differently by definition (docs/metrics.md), found with `ast`."""
    import ast
    tree = python_features.cache.get(path)
    if tree is None:
        with open(path, encoding="utf-8", errors="replace") as f:
            tree = python_features.cache[path] = ast.parse(f.read())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno == line:
            break
    else:
        return set()
    found = {f"ends at {node.end_lineno}"}
    stack = list(ast.iter_child_nodes(node))
    while stack:
        n = stack.pop()
        if isinstance(n, ast.ClassDef):
            found.add("class")
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # Both fold nested functions (and a local class's methods) into
            # this one, so what they hold is looked at too.
            found.add("nested")
            where = getattr(n, "_aura_parent", "FunctionDef.body")
            if not where.endswith(("FunctionDef.body", "ClassDef.body")):
                # Inside an if, loop, try or with rather than directly in a body.
                found.add("def in structure")
        if isinstance(n, ast.BoolOp) and not getattr(n, "_aura_parent", "").startswith("BoolOp"):
            # complexipy counts BoolOp nodes; aura counts runs of like
            # operators read left to right. They differ when a nested
            # operator splits a run (`a or (b and c) or d`: one Or node, two
            # runs of `or`) or joins two (`(a or (b and c)) and d`).
            ops, nodes = [], 0
            pending = [n]
            while pending:
                item = pending.pop()
                if isinstance(item, str):
                    ops.append(item)
                elif isinstance(item, ast.BoolOp):
                    nodes += 1
                    op = type(item.op).__name__
                    seq = []
                    for i, v in enumerate(item.values):
                        if i:
                            seq.append(op)
                        seq.append(v)
                    pending.extend(reversed(seq))
            runs = sum(1 for i, op in enumerate(ops) if i == 0 or ops[i - 1] != op)
            if runs != nodes:
                found.add("split run")
        if isinstance(n, ast.Lambda):
            found.add("lambda")
        if isinstance(n, ast.Match):
            for i, case in enumerate(n.cases):
                catch_all = isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None
                if catch_all and (case.guard is not None or i < len(n.cases) - 1):
                    found.add("guarded or early catch-all")
        if isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            found.add("comprehension")
        if isinstance(n, (ast.BoolOp, ast.IfExp)):
            if getattr(n, "_aura_buried", False):
                found.add("buried")
            if getattr(n, "_aura_parent", "") == "ExceptHandler.type":
                found.add("except type")
        if isinstance(n, ast.IfExp):
            found.add("conditional expression")
        buried = not isinstance(n, ast.stmt) and (getattr(n, "_aura_buried", False) or isinstance(n, (
            ast.BinOp, ast.UnaryOp, ast.Compare, ast.Subscript, ast.Attribute, ast.JoinedStr,
            ast.FormattedValue, ast.Starred, ast.Tuple, ast.Dict, ast.Await, ast.keyword)))
        for field, value in ast.iter_fields(n):
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    child._aura_parent = f"{type(n).__name__}.{field}"
                    # complexipy does not look inside these expressions, nor
                    # at what a call's callee, a comprehension's iterable or
                    # an and/or operand other than another and/or or `not` holds.
                    child._aura_buried = buried or (isinstance(n, ast.Call) and field == "func") \
                        or (isinstance(n, ast.comprehension) and field == "iter") \
                        or (isinstance(n, ast.BoolOp) and not isinstance(child, (ast.BoolOp, ast.UnaryOp)))
                    stack.append(child)
    return found



python_features.cache = {}


def complexipy(args):
    """Cognitive complexity against complexipy (its own Rust implementation of
    the SonarSource paper for Python), function by function."""
    import complexipy as cx
    root = os.path.realpath(args.dir)
    ours = aura_functions(root, exclude=("site-packages",))
    pairs = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("site-packages", "__pycache__")]
        for name in filenames:
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            try:
                result = cx.file_complexity(path)
            except Exception:  # complexipy refuses files it cannot parse
                continue
            for fn in result.functions:
                mine = ours.get((os.path.normpath(path), fn.line_start))
                if mine is not None:
                    pairs.append(((path, fn.line_start), mine["cognitive"], fn.complexity, fn.name))

    errors = parse_errors(root)

    def explain(key, a, o):
        try:
            found = python_features(*key)
        except SyntaxError:
            return "file ast cannot parse"
        sign = f"aura {'+' if a > o else '-'}{abs(a - o)}"
        fn = ours[(os.path.normpath(key[0]), key[1])]
        if any(fn["start_line"] <= line <= fn["end_line"] for line in errors.get(os.path.normpath(key[0]), ())):
            return "tree-sitter could not parse part of the function (AUR001 inside; CPython's parser can)"
        if "except type" in found and a > o:
            return "and/or in an except clause's type (except A or B:): complexipy does not visit it"
        if "class" in found and a > o:
            return "class body inside the function: complexipy skips it, aura counts its statements"
        if "split run" in found:
            return ("and/or runs split or joined by nesting ((a or (b and c)) and d): complexipy counts "
                    "BoolOp nodes, aura runs in reading order as the white paper and SonarJS do")
        if "comprehension" in found and a < o:
            return "comprehension: complexipy counts its for/if clauses, aura's table does not"
        if "def in structure" in found and a > o:
            return ("def inside an if/loop/try/with: aura (as sonar-python) nests a nested def's body one "
                    "level deeper wherever it stands, complexipy only when it stands directly in the body")
        if "lambda" in found and a < o:
            return "lambda: complexipy counts structures inside lambdas toward the enclosing function"
        if "buried" in found and a > o:
            return ("and/or or a conditional expression inside another expression or a keyword "
                    "argument (a + (x or y), f(k=a if b else c)): complexipy does not visit it")
        if "conditional expression" in found:
            return f"conditional expression present: {sign}"
        if f"ends at {fn['end_line']}" not in found:
            return ENDS_ELSEWHERE
        return f"unexplained: {sign}"

    exact, total = report("complexipy cognitive", pairs, "cognitive", explain)
    plain = [(k, a, o, n) for k, a, o, n in pairs if "comprehension" not in python_features(*k)]
    same = sum(1 for _, a, o, _ in plain if a == o)
    print(f"functions without comprehensions: exact {same}/{len(plain)} "
          f"= {100.0 * same / max(len(plain), 1):.2f}%")


def files_with(root, exts, skip=("node_modules", "__pycache__", "site-packages")):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip)
        for name in sorted(filenames):
            if name.endswith(exts):
                yield os.path.join(dirpath, name)


def eslint(args):
    """Cyclomatic against ESLint's `complexity` (classic) and cognitive against
    eslint-plugin-sonarjs S3776, for JavaScript or TypeScript."""
    root = os.path.realpath(args.dir)
    exts = (".ts", ".mts", ".cts") if args.lang == "typescript" else (".js", ".mjs", ".cjs")
    skip = ("__pycache__",) if args.deps else ("node_modules", "__pycache__")
    files = [f for f in files_with(root, exts, skip) if not f.endswith(".d.ts")]
    npm = os.path.join(ROOT, ".oracles/npm")
    script = os.path.join(ROOT, "scripts/oracles/eslint_metrics.mjs")
    theirs = {}
    shared = set()
    for i in range(0, len(files), 200):
        out = subprocess.run(["node", script, *files[i:i + 200]], cwd=npm, capture_output=True,
                             text=True, check=True).stdout
        for line in out.splitlines():
            f = json.loads(line)
            key = (os.path.normpath(f["file"]), f["start"])
            if key in theirs:
                shared.add(key)
            theirs[key] = f
    for key in shared:
        del theirs[key]
    ours = aura_functions(root, exclude=() if args.deps else ("node_modules",), unique=True)
    ours = {k: v for k, v in ours.items() if k[0].endswith(exts)}
    print(f"{args.lang}: {len(files)} files; ESLint found {len(theirs) + len(shared)} functions, "
          f"aura {len(ours)}; {len(shared)} lines start two or more functions and are left out")
    only = [k for k in theirs if k not in ours]
    print(f"  ESLint-only {len(only)}, aura-only {len([k for k in ours if k not in theirs])}")
    for k in only[:3]:
        print(f"    ESLint-only e.g. {k[0]}:{k[1]}")
    both = [k for k in theirs if k in ours]

    def differences(f):
        return f["defaults"] + f["optional"] + f["logicalAssign"]

    raw = [(k, ours[k]["cyclomatic"], theirs[k]["cyclomatic"], ours[k]["name"]) for k in both]
    exact = sum(1 for _, a, o, _ in raw if a == o)
    print(f"ESLint complexity, raw: exact {exact}/{len(raw)} = {100.0 * exact / max(len(raw), 1):.2f}% "
          f"(ESLint also counts default values, ?. and logical assignment)")

    def extent(key):
        if theirs[key]["end"] != ours[key]["end_line"]:
            return ("the parsers disagree on where the function ends (tree-sitter's grammar reads "
                    "the code differently): a parse difference, not a counting one")
        return None

    def explain_cyclomatic(key, a, o):
        if extent(key):
            return extent(key)
        return f"unexplained: aura {'+' if a > o else '-'}{abs(a - o)}"

    pairs = [(k, ours[k]["cyclomatic"], theirs[k]["cyclomatic"] - differences(theirs[k]), ours[k]["name"])
             for k in both]
    report("ESLint complexity less its documented extras", pairs, "cyclomatic", explain_cyclomatic)

    def explain_cognitive(key, a, o):
        if extent(key):
            return extent(key)
        if a < o and theirs[key]["sonarLeaks"]:
            return ("a function as a branch of ?: - S3776 then counts one nesting level too many "
                    "for the rest of the enclosing function (its listeners' order)")
        return f"unexplained: aura {'+' if a > o else '-'}{abs(a - o)}"

    pairs = [(k, ours[k]["cognitive"], theirs[k]["cognitive"], ours[k]["name"]) for k in both]
    exact = sum(1 for _, a, o, _ in pairs if a == o)
    print(f"sonarjs cognitive, raw: exact {exact}/{len(pairs)} = {100.0 * exact / max(len(pairs), 1):.2f}% "
          f"(S3776 does not count runs of || and ??)")
    pairs = [(k, ours[k]["cognitive"], theirs[k]["cognitive"] + theirs[k]["orRuns"], ours[k]["name"]) for k in both]
    report("sonarjs cognitive with || and ?? runs counted", pairs, "cognitive", explain_cognitive)


def lizard(args):
    """Cyclomatic against lizard (its own token-based reader) for Java or Go."""
    import csv
    root = os.path.realpath(args.dir)
    exts = {"java": (".java",), "go": (".go",)}[args.lang]
    lizard_bin = os.path.join(ROOT, ".oracles/bin/lizard")
    out = subprocess.run([lizard_bin, "--csv", "-l", args.lang, root], capture_output=True, text=True).stdout
    theirs = {}
    shared = set()
    every = collections.defaultdict(list)
    for row in csv.reader(out.splitlines()):
        # NLOC, CCN, tokens, params, length, location, file, name, long name, start, end
        if len(row) < 11 or not row[1].isdigit():
            continue
        key = (os.path.normpath(row[6]), int(row[9]))
        every[key[0]].append((int(row[9]), int(row[10]), int(row[1])))
        if key in theirs:
            shared.add(key)
        theirs[key] = (int(row[1]), row[7], int(row[10]))
    for key in shared:
        del theirs[key]
    everything_ours, shared_ours = aura_function_table(root)
    ours = {k: v for k, v in everything_ours.items() if k not in shared_ours and k[0].endswith(exts)}

    def inlined(key):
        """Decisions lizard gives to closures (Go function literals, Java
        lambdas) that aura's table counts in the enclosing function."""
        fn = ours[key]
        return sum(ccn - 1 for start, end, ccn in every[key[0]]
                   if fn["start_line"] < start and end <= fn["end_line"]
                   and (key[0], start) not in everything_ours)
    errors = parse_errors(root)
    print(f"{args.lang}: lizard found {len(theirs)} functions, aura {len(ours)}; "
          f"lizard-only {len([k for k in theirs if k not in ours])}, aura-only {len([k for k in ours if k not in theirs])}")

    def explain(key, a, o):
        fn = ours[key]
        if any(fn["start_line"] <= line <= fn["end_line"] for line in errors.get(key[0], ())):
            return "tree-sitter could not parse part of the function (AUR001 inside it)"
        if theirs[key][2] != fn["end_line"]:
            return "the tools disagree on where the function ends: a parse difference, not a counting one"
        import re
        text = "\n".join(source_lines(key, fn))
        if args.lang == "java" and a < o and re.search(r"\bclass\s+\w+|new\s+[\w.<>]+\s*\([^)]*\)\s*\{", text):
            return ("local or anonymous class inside the method: lizard adds its methods' decisions "
                    "to the enclosing method, aura measures them as methods of their own")
        if args.lang == "java" and a < o and re.search(r"<\s*\?|,\s*\?\s*(extends|super)\b", text):
            return "generic wildcard (Collection<? extends T>): lizard counts its `?` as a conditional"
        return f"unexplained: aura {'+' if a > o else '-'}{abs(a - o)}"

    pairs = [(k, ours[k]["cyclomatic"], v[0], v[1]) for k, v in theirs.items() if k in ours]
    exact = sum(1 for _, a, o, _ in pairs if a == o)
    print(f"lizard {args.lang} cyclomatic, raw: exact {exact}/{len(pairs)} = {100.0 * exact / max(len(pairs), 1):.2f}% "
          f"(lizard measures closures on their own)")
    pairs = [(k, ours[k]["cyclomatic"], v[0] + inlined(k), v[1]) for k, v in theirs.items() if k in ours]
    report(f"lizard {args.lang} cyclomatic with closures counted in their enclosing function", pairs,
           "cyclomatic", explain)


def pmccabe(args):
    """Cyclomatic against pmccabe's traditional McCabe figure (every `case`
    counts; its first, "modified" figure counts a whole switch as 1)."""
    root = os.path.realpath(args.dir)
    files = list(files_with(root, (".c",)))
    theirs = {}
    shared = set()
    for i in range(0, len(files), 200):
        out = subprocess.run(["pmccabe", *files[i:i + 200]], capture_output=True, text=True).stdout
        for line in out.splitlines():
            # modified, traditional, statements, first line, lines, "file(def line): name"
            parts = line.split("\t")
            if len(parts) < 6:
                continue
            where, _, name = parts[5].partition(": ")
            path = where[:where.rindex("(")]
            key = (os.path.normpath(path), int(parts[3]))
            if key in theirs:
                shared.add(key)
            theirs[key] = (int(parts[1]), name, int(parts[3]) + int(parts[4]) - 1)
    for key in shared:
        del theirs[key]
    ours = aura_functions(root, unique=True)
    ours = {k: v for k, v in ours.items() if k[0].endswith(".c")}
    errors = parse_errors(root)
    print(f"c: {len(files)} files; pmccabe found {len(theirs)} functions, aura {len(ours)}; "
          f"pmccabe-only {len([k for k in theirs if k not in ours])}, aura-only {len([k for k in ours if k not in theirs])}")

    def explain(key, a, o):
        if theirs[key][2] != ours[key]["end_line"]:
            return ("the tools disagree on where the function ends (pmccabe's own C scanner vs "
                    "tree-sitter): a parse difference, not a counting one")
        fn = ours[key]
        if any(fn["start_line"] <= line <= fn["end_line"] for line in errors.get(key[0], ())):
            return "tree-sitter could not parse part of the function (AUR001 inside it: unexpanded macros)"
        text = "\n".join(source_lines(key, fn))
        if a > o and ("#if" in text or "#else" in text):
            return ("#if/#else inside: pmccabe reads the first branch only, tree-sitter keeps "
                    "every branch and aura counts them all")
        return f"unexplained: aura {'+' if a > o else '-'}{abs(a - o)}"

    pairs = [(k, ours[k]["cyclomatic"], v[0], v[1]) for k, v in theirs.items() if k in ours]
    report("pmccabe traditional McCabe", pairs, "cyclomatic", explain)


# bandit's tests by the Aura rule that covers the same weakness.
BANDIT = {
    "AUR301": ("B105", "B106", "B107"),
    "AUR302": ("B102", "B307"),
    "AUR303": ("B608",),
    "AUR304": ("B602", "B604", "B605"),
    "AUR305": ("B303", "B324"),
    "AUR306": ("B311",),
    "AUR307": ("B323", "B501", "B502", "B503", "B504"),
    "AUR308": ("B301", "B302", "B403", "B506"),
    "AUR309": tuple(f"B{n}" for n in (*range(313, 321), *range(405, 411))),
}


def security(args):
    """Precision and recall per rule for Aura, bandit and detect-secrets on
    labelled fixtures (`want: CODE` marks each line that should be flagged)."""
    import re
    import tempfile
    files = [os.path.realpath(f) for f in args.files]
    truth = collections.defaultdict(set)
    for path in files:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                for code in re.findall(r"want: (AUR\d+)", line):
                    truth[code].add((path, n))
    found = {"aura": collections.defaultdict(set), "bandit": collections.defaultdict(set),
             "detect-secrets": collections.defaultdict(set)}
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="aura-cfg-"), AURA_RULES_SELECT='["AUR3"]')
    out = subprocess.run([AURA, "check", "--format", "json", "--no-progress", "--fail-on", "never", *files],
                         capture_output=True, text=True, env=env, check=True).stdout
    for f in json.loads(out)["files"]:
        for d in f["diagnostics"]:
            found["aura"][d["code"]].add((os.path.realpath(f["path"]), d["range"]["start"]["line"]))
    py = [f for f in files if f.endswith(".py")]
    out = subprocess.run([os.path.join(ROOT, ".oracles/bin/bandit"), "-f", "json", "-q", *py],
                         capture_output=True, text=True).stdout
    for r in json.loads(out)["results"]:
        for code, tests in BANDIT.items():
            if r["test_id"] in tests:
                found["bandit"][code].add((os.path.realpath(r["filename"]), r["line_number"]))
    out = subprocess.run([os.path.join(ROOT, ".oracles/bin/detect-secrets"), "scan", *files],
                         capture_output=True, text=True, check=True).stdout
    for path, secrets_found in json.loads(out)["results"].items():
        for secret in secrets_found:
            found["detect-secrets"]["AUR301"].add((os.path.realpath(path), secret["line_number"]))
    print(f"{sum(len(v) for v in truth.values())} labelled positives in {len(files)} files")
    print(f"{'rule':8} {'tool':15} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} {'recall':>6}")
    for code in sorted(truth):
        for tool in ("aura", "bandit", "detect-secrets"):
            if tool == "detect-secrets" and code != "AUR301":
                continue
            if tool == "bandit" and code not in BANDIT:
                continue
            got = found[tool][code]
            if tool == "bandit":
                got = {g for g in got if g[0].endswith(".py")}
                want = {t for t in truth[code] if t[0].endswith(".py")}
            else:
                want = truth[code]
            tp, fp, fn = len(got & want), len(got - want), len(want - got)
            precision = tp / (tp + fp) if tp + fp else float("nan")
            recall = tp / (tp + fn) if tp + fn else float("nan")
            print(f"{code:8} {tool:15} {tp:3} {fp:3} {fn:3} {precision:9.2f} {recall:6.2f}")
            if args.verbose:
                for path, line in sorted(got - want):
                    print(f"           false positive {os.path.basename(path)}:{line}")
                for path, line in sorted(want - got):
                    print(f"           missed {os.path.basename(path)}:{line}")


def jscpd(args):
    """Duplicated-line Jaccard between jscpd's weak mode and AUR401 on one tree.

    jscpd reports pairs of fragments; every line of either fragment counts as
    duplicated. Aura reports AUR401 on each copy; every line of the flagged
    range counts. The corpus must not sit under a dot-directory (jscpd skips
    those silently): copy it out first.
    """
    import tempfile
    root = os.path.realpath(args.dir)
    jscpd_bin = os.path.join(ROOT, ".oracles/npm/node_modules/.bin/jscpd")
    out_dir = tempfile.mkdtemp(prefix="aura-jscpd-")
    subprocess.run([jscpd_bin, "--mode", "weak", "-k", "50", "-l", "5", "--format", args.format,
                    "--reporters", "json", "--output", out_dir, "--max-lines", "1000000",
                    "--max-size", "10mb", "--absolute", "--silent", "--no-gitignore", root],
                   check=True, capture_output=True)
    report = json.load(open(os.path.join(out_dir, "jscpd-report.json")))
    theirs = set()
    broken = set()
    for dup in report["duplicates"]:
        for side in ("firstFile", "secondFile"):
            f = dup[side]
            path = os.path.realpath(f["name"])
            lines = {(path, line) for line in range(f["start"], f["end"] + 1)}
            # jscpd 4 sometimes reports a fragment ending thousands of lines
            # after it starts (94 tokens over 2,400 lines in test_typing.py):
            # a location bug in its report, not a clone of that size.
            if f["end"] - f["start"] + 1 > dup["tokens"]:
                broken |= lines
            else:
                theirs |= lines
    broken -= theirs
    cfg = tempfile.mkdtemp(prefix="aura-jscpd-cfg-")
    env = dict(os.environ, XDG_CONFIG_HOME=cfg, AURA_RULES_SELECT='["AUR401"]')
    out = subprocess.run([AURA, "check", "--format", "json", "--no-progress", "--fail-on", "never", root],
                         capture_output=True, text=True, env=env, check=True).stdout
    ours = set()
    for f in json.loads(out)["files"]:
        path = os.path.realpath(f["path"] if os.path.isabs(f["path"]) else os.path.join(root, f["path"]))
        if not path.endswith(EXTS.get(args.format, ("",))):
            continue  # jscpd looked at one language only
        for d in f["diagnostics"]:
            if d["code"] == "AUR401":
                r = d["range"]
                ours.update((path, line) for line in range(r["start"]["line"], r["end"]["line"] + 1))
    raw = theirs | broken
    print(f"raw duplicated-line Jaccard {len(raw & ours) / max(len(raw | ours), 1):.3f}; "
          f"{len(broken)} jscpd lines come from fragments longer in lines than in tokens and are set aside")
    both = theirs & ours
    union = theirs | ours
    print(f"jscpd: {report['statistics']['total']['clones']} clone pairs, {len(theirs)} duplicated lines; "
          f"aura AUR401: {len(ours)} duplicated lines")
    print(f"duplicated-line Jaccard {len(both) / max(len(union), 1):.3f} "
          f"(both {len(both)}, only jscpd {len(theirs - ours)}, only aura {len(ours - theirs)})")
    for name, lines in (("only jscpd", theirs - ours), ("only aura", ours - theirs)):
        per_file = collections.Counter(p for p, _ in lines)
        print(f"  {name}: top files " + ", ".join(f"{os.path.relpath(p, root)} ({n})" for p, n in per_file.most_common(5)))


# Not under a dot-directory: jscpd silently skips those.
CORPORA = os.path.join(ROOT, "target/oracle-corpora")


def prepare_corpora():
    """Fetch or copy every corpus the figures in docs/metrics.md come from
    into target/oracle-corpora (registries and Debian packages only); returns their
    paths by name. Kept between runs."""
    import glob
    import shutil
    import zipfile
    os.makedirs(CORPORA, exist_ok=True)
    at = {name: os.path.join(CORPORA, name) for name in ("npm", "ts", "libgit2", "compress", "java", "pysub")}

    def once(name, build):
        if not os.path.isdir(at[name]):
            print(f"preparing corpus {name} ...", flush=True)
            build(at[name])

    def npm_cli(dest):
        root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, check=True).stdout.strip()
        shutil.copytree(os.path.join(root, "npm"), dest, symlinks=True)

    def ts(dest):
        pkgs = dest + "-pkgs"
        subprocess.run(["npm", "install", "-q", "--prefix", pkgs, "--no-audit", "--no-fund",
                        "rxjs@7.8.2", "effect@3.10.0"], check=True, capture_output=True)
        for name in ("rxjs", "effect"):
            shutil.copytree(os.path.join(pkgs, "node_modules", name, "src"), os.path.join(dest, name))

    def libgit2(dest):
        # The libgit2 that git2's vendored build compiles: in the cargo registry after a build.
        found = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/libgit2-sys-*/libgit2/src")))
        if not found:
            sys.exit("libgit2 sources not found: run `cargo build` first")
        shutil.copytree(found[-1], dest)

    def compress(dest):
        work = dest + "-sdists"
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
                        "-d", work, "zstandard==0.23.0", "brotli==1.1.0", "lz4==4.3.3"], check=True)
        for archive in glob.glob(os.path.join(work, "*.tar.gz")):
            shutil.unpack_archive(archive, work)
        os.makedirs(dest)
        for src, name in (("zstandard-0.23.0/zstd", "zstd"), ("zstandard-0.23.0/c-ext", "c-ext"),
                          ("[Bb]rotli-1.1.0/c", "brotli"), ("lz4-4.3.3/lz4libs", "lz4")):
            shutil.copytree(glob.glob(os.path.join(work, src))[0], os.path.join(dest, name))

    def java(dest):
        zips = [z for z in sorted(glob.glob("/usr/lib/jvm/*/lib/src.zip")) if os.path.exists(z)]
        if not zips:
            sys.exit("no JDK src.zip under /usr/lib/jvm")
        with zipfile.ZipFile(zips[-1]) as z:
            for name in z.namelist():
                if name.startswith(tuple(f"java.base/java/{p}/" for p in ("util", "lang", "io", "net", "time"))):
                    z.extract(name, dest)

    def pysub(dest):
        stdlib = sysconfig.get_paths()["stdlib"]
        for name in ("email", "asyncio", "json", "http", "unittest", "concurrent", "logging", "xml", "importlib"):
            shutil.copytree(os.path.join(stdlib, name), os.path.join(dest, name),
                            ignore=shutil.ignore_patterns("__pycache__"))

    for name, build in (("npm", npm_cli), ("ts", ts), ("libgit2", libgit2), ("compress", compress),
                        ("java", java), ("pysub", pysub)):
        once(name, build)
    at["go"] = sorted(glob.glob("/usr/share/go-*/src"))[-1] if glob.glob("/usr/share/go-*/src") else None
    return at


def run_all(args):
    """Every comparison in docs/metrics.md, on its corpus, one after another."""
    at = prepare_corpora()
    stdlib = sysconfig.get_paths()["stdlib"]
    runs = [
        ("radon, CPython stdlib", radon, dict(dir=stdlib, site=None)),
        ("complexipy, CPython stdlib", complexipy, dict(dir=stdlib)),
        ("ESLint + sonarjs, npm CLI with dependencies", eslint, dict(dir=at["npm"], lang="javascript", deps=True)),
        ("ESLint + sonarjs, rxjs + effect", eslint, dict(dir=at["ts"], lang="typescript", deps=False)),
        ("pmccabe, libgit2", pmccabe, dict(dir=at["libgit2"])),
        ("pmccabe, compression libraries", pmccabe, dict(dir=at["compress"])),
        ("lizard, JDK java.base", lizard, dict(dir=at["java"], lang="java")),
        ("lizard, Go stdlib", lizard, dict(dir=at["go"], lang="go")),
        ("jscpd, npm CLI", jscpd, dict(dir=at["npm"], format="javascript")),
        ("jscpd, nine stdlib packages", jscpd, dict(dir=at["pysub"], format="python")),
        ("security, labelled", security, dict(files=[os.path.join(ROOT, "crates/aura-analysis/tests/security/labelled.py")], verbose=False)),
        ("security, held out", security, dict(files=[os.path.join(ROOT, "crates/aura-analysis/tests/security/holdout.py")], verbose=False)),
    ]
    for title, run, values in runs:
        print(f"\n== {title}", flush=True)
        if values.get("dir", "") is None:
            print("  skipped: corpus missing (apt-get install golang-src)")
            continue
        run(argparse.Namespace(**values))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="tool", required=True)
    sub.add_parser("all", help="prepare every corpus and run every comparison")
    p = sub.add_parser("radon")
    p.add_argument("dir", nargs="?", default=sysconfig.get_paths()["stdlib"])
    p.add_argument("--site", default=None)
    p = sub.add_parser("complexipy")
    p.add_argument("dir", nargs="?", default=sysconfig.get_paths()["stdlib"])
    p = sub.add_parser("eslint")
    p.add_argument("dir")
    p.add_argument("--lang", choices=("javascript", "typescript"), default="javascript")
    p.add_argument("--deps", action="store_true", help="include node_modules (bundled dependencies)")
    p = sub.add_parser("lizard")
    p.add_argument("dir")
    p.add_argument("--lang", choices=("java", "go"), required=True)
    p = sub.add_parser("pmccabe")
    p.add_argument("dir")
    p = sub.add_parser("security")
    p.add_argument("files", nargs="*", default=[os.path.join(ROOT, "crates/aura-analysis/tests/security/labelled.py")])
    p.add_argument("-v", "--verbose", action="store_true")
    p = sub.add_parser("jscpd")
    p.add_argument("dir")
    p.add_argument("--format", default="python", help="jscpd format name (python, javascript, go, ...)")
    args = parser.parse_args()
    {"all": run_all, "radon": radon, "complexipy": complexipy, "eslint": eslint, "lizard": lizard, "pmccabe": pmccabe, "security": security, "jscpd": jscpd}[args.tool](args)


if __name__ == "__main__":
    main()
