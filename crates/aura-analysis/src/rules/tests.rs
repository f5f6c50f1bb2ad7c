//! Rule fixtures: every file in `tests/rules/` is named after the rule it
//! exercises (`AUR206.py`, `AUR206_null.js`) and marks each line the rule must
//! flag with `want: CODE`; every other line is a negative case, and `*_clean`
//! files hold negative cases only.

use std::path::Path;

use aura_config::RulesConfig;
use aura_syntax::{parse, registry, Rope};

use super::*;
use crate::{all_rules, analyze_with, metrics, Severity};

fn all_enabled() -> RuleSettings {
    RuleSettings::from_config(&RulesConfig { select: vec!["ALL".into()], ..RulesConfig::default() }).0
}

fn diagnostics(path: &Path, source: &str, settings: &RuleSettings) -> Vec<Diagnostic> {
    let language = registry().for_path(path, source.lines().next()).expect("fixture language");
    let rope = Rope::from_str(source);
    let tree = parse(language, &rope, None).unwrap();
    analyze_with(SourceFile { language, text: &rope, tree: &tree }, settings)
}

/// The files of a fixture folder under `tests/`, sorted.
fn fixture_files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(dir);
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
}

/// 1-based lines of `source` marked `want: CODE`.
fn marked_lines(source: &str, code: &str) -> Vec<usize> {
    let mark = format!("want: {code}");
    source.lines().enumerate().filter(|(_, l)| l.contains(&mark)).map(|(i, _)| i + 1).collect()
}

#[test]
fn fixtures_flag_exactly_the_marked_lines() {
    let settings = all_enabled();
    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for path in fixture_files("rules") {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let code = stem.split(['_', '.']).next().unwrap().to_owned();
        covered.insert(code.clone());
        let source = std::fs::read_to_string(&path).unwrap();
        let rope = Rope::from_str(&source);
        let wanted = marked_lines(&source, &code);
        // `*_clean` fixtures hold negative cases only.
        assert_eq!(wanted.is_empty(), stem.ends_with("_clean"), "{stem}: positive cases");
        let got: Vec<usize> = diagnostics(&path, &source, &settings)
            .iter()
            .filter(|d| d.code == code)
            .map(|d| rope.byte_to_line(d.range.start) + 1)
            .collect();
        let mut got_unique = got.clone();
        got_unique.dedup();
        if got_unique != wanted {
            failures.push(format!(
                "{}: wanted lines {wanted:?}, got {got:?}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in RULES {
        assert!(covered.contains(rule.info.code), "{} has no fixture", rule.info.code);
    }
}

/// The labelled security corpus (`tests/security/`), scored per rule. The
/// snapshot holds Aura's counts and every miss and false alarm by line, so a
/// change in what the security rules find shows up in review; the same file is
/// measured against bandit and detect-secrets by `scripts/oracles/compare.py security`.
#[test]
fn labelled_security_corpus_scores() {
    let settings = all_enabled();
    let mut report = String::new();
    for path in fixture_files("security") {
        let source = std::fs::read_to_string(&path).unwrap();
        let rope = Rope::from_str(&source);
        let found: Vec<(String, usize)> = diagnostics(&path, &source, &settings)
            .iter()
            .filter(|d| d.code.starts_with("AUR3"))
            .map(|d| (d.code.to_string(), rope.byte_to_line(d.range.start) + 1))
            .collect();
        let mut codes: Vec<String> = found.iter().map(|(c, _)| c.clone()).collect();
        for line in source.lines() {
            if let Some(at) = line.find("want: ") {
                codes.push(line[at + 6..].split_whitespace().next().unwrap_or("").to_string());
            }
        }
        codes.retain(|c| c.starts_with("AUR"));
        codes.sort();
        codes.dedup();
        report.push_str(&format!("{}\n", path.file_name().unwrap().to_string_lossy()));
        for code in codes {
            let wanted = marked_lines(&source, &code);
            let mut got: Vec<usize> = found.iter().filter(|(c, _)| *c == code).map(|(_, l)| *l).collect();
            got.dedup();
            let tp = got.iter().filter(|l| wanted.contains(l)).count();
            let fp: Vec<_> = got.iter().filter(|l| !wanted.contains(l)).collect();
            let missed: Vec<_> = wanted.iter().filter(|l| !got.contains(l)).collect();
            report.push_str(&format!("  {code}: tp {tp}, false alarms {fp:?}, missed {missed:?}\n"));
        }
    }
    insta::assert_snapshot!(report);
}

/// The metrics walk's index of nodes by kind and its clone tokens are
/// exactly what the rules' own walk and `tokenize` build, for every fixture
/// in every language.
#[test]
fn metrics_walk_extras_match_plain_walks() {
    let mut sources: Vec<(std::path::PathBuf, String)> = Vec::new();
    for dir in ["rules", "metrics", "security"] {
        for path in fixture_files(dir) {
            let source = std::fs::read_to_string(&path).unwrap();
            sources.push((path, source));
        }
    }
    // Rust doc comments have named children (the metrics walk skips comments).
    sources.push(("doc.rs".into(), "/// Adds.\n//! Crate.\nfn add() -> u8 { 1 }\n".into()));
    let mut checked = 0;
    for (path, source) in sources {
        let Some(language) = registry().for_path(&path, source.lines().next()) else { continue };
        let rope = Rope::from_str(&source);
        let tree = parse(language, &rope, None).unwrap();
        let file = SourceFile { language, text: &rope, tree: &tree };
        let (file_metrics, extras) = metrics::compute_with(file, true);
        let Some(by_kind) = extras.by_kind else { continue };
        let thresholds = Thresholds::default();
        let plain = Context::new(file, &file_metrics, &thresholds, None);
        assert!(plain.by_kind == by_kind, "{}: the two indexes differ", path.display());
        assert!(
            extras.tokens.as_deref() == Some(&crate::clones::tokenize(file)[..]),
            "{}: the tokens differ",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 40, "only {checked} fixtures checked");
}

#[test]
fn every_rule_is_documented_and_codes_are_unique() {
    let mut codes = std::collections::HashSet::new();
    for rule in all_rules() {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        for heading in ["## What it flags", "## Why it matters", "## Example", "## Fix safety"] {
            assert!(rule.doc.contains(heading), "{} doc lacks {heading}", rule.code);
        }
        assert!(find(&rule.code.to_lowercase()).is_some());
    }
}

#[test]
fn selection_by_code_prefix_and_ignore() {
    let (s, problems) = RuleSettings::from_config(&RulesConfig {
        select: vec!["AUR1".into()],
        ignore: vec!["AUR105".into()],
        ..RulesConfig::default()
    });
    assert!(problems.is_empty());
    assert!(s.is_enabled("AUR101") && !s.is_enabled("AUR105") && !s.is_enabled("AUR201"));
    let default = RuleSettings::default();
    assert!(default.is_enabled("AUR201") && !default.is_enabled("AUR209"));
    let (extended, _) = RuleSettings::from_config(&RulesConfig {
        extend_select: vec!["AUR209".into()],
        ..RulesConfig::default()
    });
    assert!(extended.is_enabled("AUR209") && extended.is_enabled("AUR201"));
    let (_, problems) =
        RuleSettings::from_config(&RulesConfig { ignore: vec!["AUR9".into()], ..RulesConfig::default() });
    assert_eq!(problems.len(), 1);
}

#[test]
fn suppression_comments_in_each_comment_syntax() {
    let settings = all_enabled();
    let cases = [
        ("a.py", "x = 1\nif x == None:  # aura: ignore[AUR206]\n    pass\n"),
        ("a.py", "# aura: ignore[AUR2]\nif x == None:\n    pass\n"),
        ("a.py", "if x == None:  # aura: ignore\n    pass\n"),
        ("a.js", "if (x == null) {} // aura: ignore[AUR206]\n"),
        ("a.php", "<?php\n/* aura: ignore[AUR206] */\nif ($x == null) {}\n"),
    ];
    for (name, source) in cases {
        let found = diagnostics(Path::new(name), source, &settings);
        assert!(!found.iter().any(|d| d.code == "AUR206"), "{name}: {source:?} still flagged");
    }
    // A marker for another rule, or code before the comment on the line above, does not count.
    for source in [
        "if x == None:  # aura: ignore[AUR101]\n    pass\n",
        "y = 1  # aura: ignore\nif x == None:\n    pass\n",
    ] {
        let found = diagnostics(Path::new("a.py"), source, &settings);
        assert!(found.iter().any(|d| d.code == "AUR206"), "{source:?} was silenced");
    }
}

fn apply(source: &str, edits: &[(std::ops::Range<usize>, String)]) -> String {
    let mut out = source.to_owned();
    let mut edits = edits.to_vec();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (range, text) in edits {
        out.replace_range(range, &text);
    }
    out
}

#[test]
fn fixes_produce_the_expected_code_and_it_parses() {
    let settings = all_enabled();
    let cases = [
        ("a.py", "AUR206", "if x == None:\n    pass\n", "if x is None:\n    pass\n"),
        ("a.py", "AUR206", "ok = x != None\n", "ok = x is not None\n"),
        (
            "a.py",
            "AUR202",
            "try:\n    f()\nexcept:\n    g()\n",
            "try:\n    f()\nexcept Exception:\n    g()\n",
        ),
        ("a.py", "AUR308", "import yaml\nc = yaml.load(s)\n", "import yaml\nc = yaml.safe_load(s)\n"),
        ("a.php", "AUR206", "<?php\nif ($a == null) {}\n", "<?php\nif ($a === null) {}\n"),
        (
            "a.rs",
            "AUR310",
            "fn f(p: *const u8) -> u8 {\n    let x = unsafe { *p };\n    x\n}\n",
            "fn f(p: *const u8) -> u8 {\n    // SAFETY: \n    let x = unsafe { *p };\n    x\n}\n",
        ),
    ];
    for (name, code, before, after) in cases {
        let found = diagnostics(Path::new(name), before, &settings);
        let d =
            found.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{code} not found in {before:?}"));
        let fixed = apply(before, &d.fixes[0].edits);
        assert_eq!(fixed, after, "{code}");
        let again = diagnostics(Path::new(name), &fixed, &settings);
        assert!(!again.iter().any(|d| d.code == code || d.code == "AUR001"), "{code}: {again:?}");
    }
}

#[test]
fn suppression_edit_silences_the_diagnostic() {
    let settings = all_enabled();
    for (name, source) in [
        ("a.py", "def f():\n    if x == None:\n        pass\n"),
        ("a.c", "int f(void) {\n  return gets(x);\n  g();\n}\n"),
    ] {
        let language = registry().for_path(Path::new(name), None).unwrap();
        let rope = Rope::from_str(source);
        let tree = parse(language, &rope, None).unwrap();
        let file = SourceFile { language, text: &rope, tree: &tree };
        let found = analyze_with(file, &settings);
        let d = found.iter().find(|d| d.code != "AUR001").expect("a finding");
        let line = rope.byte_to_line(d.range.start);
        let (at, text) = suppression_edit(file, line, d.code).unwrap();
        let fixed = apply(source, &[(at..at, text)]);
        let after = diagnostics(Path::new(name), &fixed, &settings);
        assert!(!after.iter().any(|x| x.code == d.code), "{fixed}");
    }
    let _ = metrics::compute;
}

/// Injection rules warn when user input reaches the call and only inform
/// when nothing says where the value comes from; TLS switched off behind a
/// setting informs, switched off outright is an error.
#[test]
fn security_severity_follows_the_flow_of_input() {
    let settings = all_enabled();
    let source = "import os, ssl\n\
def handler(request):\n    cmd = request.args.get('cmd')\n    os.system('ls ' + cmd)\n\n\
def build(target):\n    os.system('make ' + target)\n\n\
def context(verified):\n    ctx = ssl.create_default_context()\n    if not verified:\n        ctx.check_hostname = False\n    return ctx\n\n\
def always():\n    ctx = ssl.create_default_context()\n    ctx.check_hostname = False\n\n\
def guarded(verified):\n    if verified:\n        return ssl.create_default_context()\n    ctx = ssl.SSLContext()\n    ctx.check_hostname = False\n    return ctx\n";
    let found = diagnostics(Path::new("app.py"), source, &settings);
    let rope = Rope::from_str(source);
    let at = |code: &str, line: usize| {
        found
            .iter()
            .find(|d| d.code == code && rope.byte_to_line(d.range.start) + 1 == line)
            .unwrap_or_else(|| panic!("{code} at line {line}: {found:?}"))
    };
    assert_eq!(at("AUR304", 4).severity, Severity::Warning);
    assert!(at("AUR304", 4).message.contains("input from `request`"), "{}", at("AUR304", 4).message);
    assert_eq!(at("AUR304", 7).severity, Severity::Info);
    assert_eq!(at("AUR307", 12).severity, Severity::Info);
    assert_eq!(at("AUR307", 17).severity, Severity::Error);
    assert_eq!(at("AUR307", 23).severity, Severity::Info, "after a guard clause");
}

#[test]
fn security_rules_do_not_apply_to_test_code() {
    let settings = all_enabled();
    let source = "import pickle\nimport ssl\n\ndef test_roundtrip(x):\n    assert pickle.loads(pickle.dumps(x)) == x\n    ssl._create_unverified_context()\n";
    for (path, kept) in [("tests/test_codec.py", false), ("src/codec.py", true)] {
        let mut found = diagnostics(Path::new(path), source, &settings);
        crate::drop_for_path(path, &mut found);
        assert_eq!(found.iter().any(|d| d.code.starts_with("AUR3")), kept, "{path}: {found:?}");
    }
}

/// What every rule says and offers, on its fixtures: the message, the
/// severity and each fix's title and edits, one line per finding, so a change
/// in any rule's wording or fix shows up in review.
#[test]
fn every_rule_message_and_fix_on_its_fixtures() {
    let settings = all_enabled();
    let mut report = String::new();
    for path in fixture_files("rules") {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let code = stem.split(['_', '.']).next().unwrap().to_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let rope = Rope::from_str(&source);
        for d in diagnostics(&path, &source, &settings).iter().filter(|d| d.code == code) {
            let line = rope.byte_to_line(d.range.start) + 1;
            let name = path.file_name().unwrap().to_string_lossy();
            report.push_str(&format!("{name}:{line} {} {:?}: {}\n", d.code, d.severity, d.message));
            for fix in &d.fixes {
                let edits: Vec<String> = fix
                    .edits
                    .iter()
                    .map(|(r, text)| format!("{:?} -> {text:?}", rope.byte_slice(r.clone()).to_string()))
                    .collect();
                report.push_str(&format!(
                    "    fix ({:?}) {}: {}\n",
                    fix.applicability,
                    fix.title,
                    edits.join(", ")
                ));
            }
        }
    }
    insta::assert_snapshot!(report);
}
