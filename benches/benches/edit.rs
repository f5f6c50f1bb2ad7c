//! One-character edits in a 5,000-line file: apply the edit, reparse
//! incrementally, compute every diagnostic (all default rules and the clone
//! pass). Criterion measures the mean; a second pass prints p50/p99 over many
//! single edits, the budget's terms. The file repeats one class with numbered
//! names, so every block is a near-copy of every other: the clone pass's worst
//! case, not its usual one.

use std::time::{Duration, Instant};

use aura_analysis::clones::{self, CloneIndex, CloneSettings};
use aura_analysis::{analyze_and_tokenize, analyze_incremental, AnalysisCache, RuleSettings, SourceFile};
use aura_syntax::{registry, Document};
use criterion::{criterion_group, Criterion};

/// A realistic 5,000-line Python module (a class with methods, repeated).
fn python_5000_lines() -> String {
    let block = r#"class Handler{n}(BaseHandler):
    """Handle requests of kind {n}."""

    def __init__(self, config, *, retries=3):
        self.config = config
        self.retries = retries
        self.cache = {{}}

    def handle(self, request):
        if request.kind != "kind{n}":
            raise ValueError(f"unexpected kind: {{request.kind}}")
        for attempt in range(self.retries):
            try:
                return self._dispatch(request, attempt)
            except TimeoutError as exc:
                log.warning("attempt %d failed: %s", attempt, exc)
        return None

    def _dispatch(self, request, attempt):
        key = (request.path, attempt)
        if key in self.cache:
            return self.cache[key]
        result = [item * 2 for item in request.items if item % 2 == 0]
        self.cache[key] = result
        return result

"#;
    let mut text = String::from("import logging\n\nlog = logging.getLogger(__name__)\n\n");
    let mut n = 0;
    while text.lines().count() < 5000 {
        text.push_str(&block.replace("{n}", &n.to_string()).replace("{{", "{").replace("}}", "}"));
        n += 1;
    }
    text.lines().take(5000).collect::<Vec<_>>().join("\n") + "\n"
}

/// Type one character in the middle of the file, then delete it again, so the
/// document stays the same size across iterations.
/// Everything the server does per edit: reparse, every default rule (the
/// chunks the edit did not touch reused from `cache`), and the clone pass
/// (re-index the document's tokens, query the index).
fn edit_and_analyse(
    doc: &mut Document,
    index: &mut CloneIndex,
    cache: &mut AnalysisCache,
    at: usize,
    insert: bool,
) -> usize {
    if insert {
        doc.replace(at..at, "x").ok();
    } else {
        doc.replace(at..at + 1, "").ok();
    }
    let language = doc.language().unwrap_or_else(|| unreachable!());
    let tree = doc.tree().cloned().unwrap_or_else(|| unreachable!());
    let file = SourceFile { language, text: doc.text(), tree: &tree };
    let (found, tokens) = analyze_incremental(file, &RuleSettings::default(), true, cache);
    index.insert("doc", tokens.unwrap_or_default());
    found.len() + clones::diagnostics(&index.clones_of("doc"), true, true).len()
}

fn setup() -> (Document, CloneIndex, usize) {
    let text = python_5000_lines();
    let at = text[..text.len() / 2].rfind("self.retries = retries").unwrap_or(0);
    let python = registry().by_id("python").unwrap_or_else(|| unreachable!());
    let mut doc = Document::new(&text, Some(python));
    doc.tree();
    (doc, CloneIndex::new(CloneSettings::default()), at + "self.".len())
}

fn bench_edit(c: &mut Criterion) {
    let (mut doc, mut index, at) = setup();
    let mut cache = AnalysisCache::new();
    let mut insert = true;
    c.bench_function("edit_reparse_diagnostics_5000_lines", |b| {
        b.iter(|| {
            let n = edit_and_analyse(&mut doc, &mut index, &mut cache, at, insert);
            insert = !insert;
            n
        })
    });
}

/// Percentiles of 2,000 edits that type `typed` and delete it again; with
/// `(` every other state holds a syntax error, and a chunk's tree is then
/// checked before it is reused.
fn percentiles(typed: &str) {
    let (mut doc, mut index, at) = setup();
    let mut cache = AnalysisCache::new();
    // Per stage, so a regression points at its cause; the last is the whole
    // file analysed afresh, for comparison (not part of the total).
    let mut stages: [Vec<Duration>; 5] = Default::default();
    for i in 0..2000 {
        let start = Instant::now();
        if i % 2 == 0 {
            doc.replace(at..at, typed).ok();
        } else {
            doc.replace(at..at + typed.len(), "").ok();
        }
        let language = doc.language().unwrap_or_else(|| unreachable!());
        let tree = doc.tree().cloned().unwrap_or_else(|| unreachable!());
        let parsed = Instant::now();
        let file = SourceFile { language, text: doc.text(), tree: &tree };
        // As the server: the clone tokens come from the rules' walk.
        let (found, tokens) = analyze_incremental(file, &RuleSettings::default(), true, &mut cache);
        std::hint::black_box(found.len());
        let ruled = Instant::now();
        index.insert("doc", tokens.unwrap_or_default());
        std::hint::black_box(clones::diagnostics(&index.clones_of("doc"), true, true).len());
        let done = Instant::now();
        stages[0].push(parsed - start);
        stages[1].push(ruled - parsed);
        stages[2].push(done - ruled);
        stages[3].push(done - start);
        if i % 10 == 0 {
            let full = Instant::now();
            std::hint::black_box(analyze_and_tokenize(file, &RuleSettings::default(), true).0.len());
            stages[4].push(full.elapsed());
        }
    }
    println!("one-character edits (`{typed}`, then deleted) in a 5,000-line file, 2,000 edits:");
    let names = [
        "edit + reparse",
        "metrics + rules + tokens (incremental)",
        "clone pass",
        "total",
        "(for comparison: whole-file analysis)",
    ];
    for (name, samples) in names.iter().zip(stages.iter_mut()) {
        samples.sort();
        let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
        println!("  {name:40} p50 {:>10.3?}  p99 {:>10.3?}  max {:>10.3?}", p(0.50), p(0.99), p(1.0));
    }
}

criterion_group!(benches, bench_edit);

fn main() {
    benches();
    percentiles("x");
    percentiles("(");
    Criterion::default().configure_from_args().final_summary();
}
