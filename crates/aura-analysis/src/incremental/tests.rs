//! Incremental analysis must equal a full analysis of the same tree: on
//! every fixture of every language, cold and after random edits, with
//! chunks cut as finely as possible (every container split, every chunk
//! remembered) and as the editor cuts them.

use std::path::{Path, PathBuf};

use aura_config::{RulesConfig, Thresholds};
use aura_syntax::{registry, Document};

use super::*;
use crate::analyze_and_tokenize;
use crate::test_rng::Rng;

/// Every rule on, every threshold at its tightest: each function's metrics
/// show up in the complexity rules' messages, so a metric that differs
/// between the two analyses makes a message differ.
fn everything() -> RuleSettings {
    let thresholds = Thresholds {
        cyclomatic: 0,
        cognitive: 0,
        nesting: 0,
        function_lines: 0,
        params: 0,
        file_lines: 0,
        maintainability: 101.0,
        ..Thresholds::default()
    };
    RuleSettings::from_config(&RulesConfig {
        select: vec!["ALL".into()],
        thresholds,
        ..RulesConfig::default()
    })
    .0
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = Vec::new();
    for dir in ["metrics", "rules", "security"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn document(path: &Path) -> Option<Document> {
    let text = std::fs::read_to_string(path).ok()?;
    let language = registry().for_path(path, text.lines().next())?;
    let mut doc = Document::new(&text, Some(language));
    doc.tree();
    Some(doc)
}

type Analysis = (Vec<Diagnostic>, Option<Vec<Token>>);

fn both(doc: &mut Document, settings: &RuleSettings, cache: &mut AnalysisCache) -> (Analysis, Analysis) {
    let language = doc.language().unwrap();
    let tree = doc.tree().cloned().unwrap();
    let file = SourceFile { language, text: doc.text(), tree: &tree };
    (analyze_incremental(file, settings, true, cache), analyze_and_tokenize(file, settings, true))
}

/// A cache that splits every container and remembers every chunk.
fn finest() -> AnalysisCache {
    AnalysisCache { limits: (0, 0), ..AnalysisCache::default() }
}

/// Text people type, including what breaks and mends structure.
const INSERTS: &[&str] = &[
    "x",
    " ",
    "\n",
    "\n    ",
    "(",
    ")",
    "{",
    "}",
    "\"",
    "#",
    "//",
    "if a:\n",
    "0",
    "return 1;\n",
    "def f():\n  pass\n",
];

fn edit(doc: &mut Document, rng: &mut Rng) {
    let text = doc.text().to_string();
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if rng.below(3) == 0 && at < text.len() {
        let mut end = (at + 1 + rng.below(8)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        doc.replace(at..end, "").unwrap();
    } else {
        doc.replace(at..at, INSERTS[rng.below(INSERTS.len())]).unwrap();
    }
}

#[test]
fn equals_a_full_analysis_cold_and_under_random_edits() {
    let settings = everything();
    let mut checked = 0;
    for (n, path) in fixtures().iter().enumerate() {
        let Some(mut doc) = document(path) else { continue };
        for mut cache in [finest(), AnalysisCache::new()] {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ n as u64);
            for step in 0..40 {
                let (incremental, full) = both(&mut doc, &settings, &mut cache);
                assert_eq!(
                    incremental.0,
                    full.0,
                    "{} after {step} edits: diagnostics differ\n{}",
                    path.display(),
                    doc.text()
                );
                assert!(incremental.1 == full.1, "{} after {step} edits: tokens differ", path.display());
                checked += 1;
                edit(&mut doc, &mut rng);
            }
        }
    }
    assert!(checked > 40 * 2 * 40, "fixtures found: {checked} analyses");
}

/// Analyse Python `text` cold, type `x` at byte `at`, analyse again: the
/// cold run's (reused, walked) and the second run's, after checking the
/// second equals a full analysis.
fn one_edit(text: &str, at: usize) -> ((usize, usize), (usize, usize)) {
    let python = registry().by_id("python").unwrap();
    let mut doc = Document::new(text, Some(python));
    let settings = RuleSettings::default();
    let mut cache = AnalysisCache::new();
    let _ = both(&mut doc, &settings, &mut cache);
    let cold = cache.last_run();
    doc.replace(at..at, "x").unwrap();
    let (incremental, full) = both(&mut doc, &settings, &mut cache);
    assert_eq!(incremental, full);
    (cold, cache.last_run())
}

#[test]
fn an_edit_walks_only_the_chunk_it_touched() {
    let block = "class Handler(Base):\n    def handle(self, request):\n        if request.kind != 'a':\n            raise ValueError(request.kind)\n        for attempt in range(3):\n            try:\n                return self.go(request, attempt)\n            except TimeoutError:\n                log.warning('retry')\n        return None\n\n";
    let text = block.repeat(200);
    // Rename one method in the middle: only its class (and the chunk whose
    // context lines it falls in) is walked again.
    let at = text.len() / 2 + text[text.len() / 2..].find("def handle").unwrap() + 4;
    let ((reused, walked), after) = one_edit(&text, at);
    assert_eq!(reused, 0);
    assert!(walked >= 200, "walked {walked}");
    let (reused, walked) = after;
    assert!(walked <= 2 && reused >= 198, "reused {reused}, walked {walked}");
}

#[test]
fn a_large_class_is_cut_into_its_methods() {
    let method = "    def handle{n}(self, request):\n        if request.kind != 'a':\n            raise ValueError(request.kind)\n        return self.go(request)\n\n";
    let mut text = String::from("class Handler(Base):\n");
    for n in 0..100 {
        text.push_str(&method.replace("{n}", &n.to_string()));
    }
    let (_, (reused, walked)) = one_edit(&text, text.find("handle50").unwrap());
    assert!(walked <= 3 && reused >= 97, "reused {reused}, walked {walked}");
}

#[test]
fn new_settings_start_over() {
    let path = fixtures().into_iter().find(|p| p.ends_with("python.py")).unwrap();
    let mut doc = document(&path).unwrap();
    let mut cache = finest();
    let _ = both(&mut doc, &RuleSettings::default(), &mut cache);
    let (incremental, full) = both(&mut doc, &everything(), &mut cache);
    assert_eq!(incremental, full);
    assert_eq!(cache.last_run().0, 0, "nothing reused across settings");
    let (incremental, full) = both(&mut doc, &everything(), &mut cache);
    assert_eq!(incremental, full);
    assert_eq!(cache.last_run().1, 0, "an unchanged file walks nothing that can be remembered");
}
