//! Metrics checked against hand-derived values: every fixture in
//! `tests/metrics/` carries `expect: NAME key=value ...` comments, one per
//! function, written by working the counting tables in `docs/metrics.md` by hand.

use std::path::Path;

use aura_syntax::{parse, registry, Rope};

use super::spec::unknown_kinds;
use super::*;

#[test]
fn every_kind_in_the_tables_exists_in_its_grammar() {
    for language in registry().iter() {
        let missing = unknown_kinds(language);
        assert!(missing.is_empty(), "{}: unknown kinds {missing:?}", language.id);
        assert!(supports(language), "{} has no counting table", language.id);
    }
}

fn metrics_of(path: &Path) -> (String, FileMetrics) {
    let source = std::fs::read_to_string(path).unwrap();
    let language = registry().for_path(path, source.lines().next()).expect("fixture language");
    let rope = Rope::from_str(&source);
    let tree = parse(language, &rope, None).expect("parse");
    let metrics = compute(SourceFile { language, text: &rope, tree: &tree });
    (source, metrics)
}

fn value(f: &FunctionMetrics, key: &str) -> u32 {
    match key {
        "cc" => f.cyclomatic,
        "cog" => f.cognitive,
        "nest" => f.nesting,
        "params" => f.params,
        "exits" => f.exits,
        "loc" => f.lines.loc,
        "sloc" => f.lines.sloc,
        "comment" => f.lines.comment,
        "blank" => f.lines.blank,
        "line" => f.start_line,
        "n1" => f.halstead.n1,
        "n2" => f.halstead.n2,
        "N1" => f.halstead.total_operators,
        "N2" => f.halstead.total_operands,
        other => panic!("unknown expectation key {other}"),
    }
}

#[test]
fn fixtures_match_hand_derived_values() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/metrics");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut languages = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let (source, metrics) = metrics_of(&path);
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        languages.insert(path.extension().unwrap().to_string_lossy().into_owned());
        let mut expected_names = Vec::new();
        for line in source.lines() {
            let Some((_, spec)) = line.split_once("expect: ") else { continue };
            let mut words = spec.split_whitespace();
            let name = words.next().unwrap();
            expected_names.push(name.to_owned());
            let matching: Vec<_> = metrics.functions.iter().filter(|f| f.name == name).collect();
            let [function] = matching.as_slice() else {
                failures.push(format!("{file}: {} functions named {name}", matching.len()));
                continue;
            };
            for pair in words {
                // Block comments end with a closing token, not a pair.
                let Some((key, want)) = pair.split_once('=') else { continue };
                let want: u32 = want.parse().unwrap();
                let got = value(function, key);
                checked += 1;
                if got != want {
                    failures.push(format!("{file}: {name} {key}: expected {want}, got {got}"));
                }
            }
        }
        for f in &metrics.functions {
            if !expected_names.contains(&f.name) {
                failures.push(format!("{file}: function {} has no expectation", f.name));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(languages.len(), 13, "one fixture per language: {languages:?}");
}

#[test]
fn halstead_and_maintainability_formulas() {
    let h = Halstead::new(4, 3, 6, 5);
    assert_eq!(h.vocabulary, 7);
    assert_eq!(h.length, 11);
    assert!((h.volume - 11.0 * 7f64.log2()).abs() < 1e-9);
    assert!((h.difficulty - 2.0 * 5.0 / 3.0).abs() < 1e-9);
    assert!((h.effort - h.difficulty * h.volume).abs() < 1e-9);
    assert_eq!(maintainability_index(0.0, 0, 0), 100.0);
    let mi = maintainability_index(1000.0, 10, 50);
    let raw = 171.0 - 5.2 * 1000f64.ln() - 2.3 - 16.2 * 50f64.ln();
    assert!((mi - raw * 100.0 / 171.0).abs() < 1e-9);
}

#[test]
fn broken_code_still_yields_functions() {
    let language = registry().by_id("python").unwrap();
    let rope = Rope::from_str(
        "def ok(a):\n    if a:\n        return 1\n\ndef broken(:\n    while x:\n        pass\n",
    );
    let tree = parse(language, &rope, None).unwrap();
    assert!(tree.root_node().has_error());
    let metrics = compute(SourceFile { language, text: &rope, tree: &tree });
    let ok = metrics.functions.iter().find(|f| f.name == "ok").expect("the intact function");
    assert_eq!((ok.cyclomatic, ok.cognitive, ok.exits), (2, 1, 1));
}

#[test]
fn deep_expression_chains_do_not_overflow_the_stack() {
    let language = registry().by_id("javascript").unwrap();
    let mut source = String::from("function f(a) { return a");
    for _ in 0..20_000 {
        source.push_str(" && a");
    }
    source.push_str("; }\n");
    let rope = Rope::from_str(&source);
    let tree = parse(language, &rope, None).unwrap();
    let metrics = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || compute(SourceFile { language, text: &rope, tree: &tree }))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(metrics.functions[0].cyclomatic, 20_001);
}
