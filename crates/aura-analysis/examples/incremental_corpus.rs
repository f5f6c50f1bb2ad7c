//! Incremental analysis against a full analysis on real code: every source
//! file under the given directories is analysed, edited at random and
//! analysed again, and each incremental result must equal a full analysis of
//! the same tree. The CI tests do the same on the fixtures; this runs it on
//! corpora too large for CI (the stdlib, the npm CLI, the JDK, libgit2).
//!
//! `cargo run --release -p aura-analysis --example incremental_corpus -- DIR... [--edits N]`

use std::path::{Path, PathBuf};

use aura_analysis::{analyze_and_tokenize, analyze_incremental, AnalysisCache, RuleSettings, SourceFile};
use aura_config::RulesConfig;
use aura_syntax::{registry, Document};

const INSERTS: &[&str] = &["x", " ", "\n", "(", ")", "{", "}", "\"", "#", "//", "0", ";", "if (a) {\n"];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mut dirs = Vec::new();
    let mut edits = 10;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--edits" {
            edits = args.next().and_then(|n| n.parse().ok()).unwrap_or(edits);
        } else {
            dirs.push(PathBuf::from(arg));
        }
    }
    let settings =
        RuleSettings::from_config(&RulesConfig { select: vec!["ALL".into()], ..RulesConfig::default() }).0;
    let mut paths = Vec::new();
    for dir in &dirs {
        files(dir, &mut paths);
    }
    paths.sort();
    let (mut checked, mut analyses, mut reused, mut walked, mut differ) = (0, 0, 0, 0, 0);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        if text.len() > 500_000 {
            continue;
        }
        let Some(language) = registry().for_path(path, text.lines().next()) else { continue };
        let mut doc = Document::new(&text, Some(language));
        let mut cache = AnalysisCache::new();
        checked += 1;
        for step in 0..=edits {
            let tree = doc.tree().cloned().expect("a tree");
            let file = SourceFile { language, text: doc.text(), tree: &tree };
            let incremental = analyze_incremental(file, &settings, true, &mut cache);
            let full = analyze_and_tokenize(file, &settings, true);
            analyses += 1;
            if step > 0 {
                reused += cache.last_run().0;
                walked += cache.last_run().1;
            }
            if incremental != full {
                differ += 1;
                eprintln!("{}: differs after {step} edits", path.display());
                let only = |a: &[aura_analysis::Diagnostic], b: &[aura_analysis::Diagnostic]| {
                    a.iter().filter(|d| !b.contains(d)).cloned().collect::<Vec<_>>()
                };
                eprintln!("  only incremental: {:?}", only(&incremental.0, &full.0));
                eprintln!("  only full: {:?}", only(&full.0, &incremental.0));
                eprintln!("  tokens equal: {}", incremental.1 == full.1);
                break;
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let current = doc.text().to_string();
            let mut at = (seed % (current.len() as u64 + 1)) as usize;
            while !current.is_char_boundary(at) {
                at -= 1;
            }
            let insert = INSERTS[(seed >> 32) as usize % INSERTS.len()];
            doc.replace(at..at, insert).ok();
        }
    }
    println!(
        "{checked} files, {analyses} analyses, {differ} files differ; after an edit {reused} chunks reused, {walked} walked"
    );
    std::process::exit(i32::from(differ > 0));
}
