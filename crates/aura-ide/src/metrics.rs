//! Batch metrics for `aura metrics`: the same file walk and skip rules as
//! `aura check`, computing per-function metrics in parallel.

use std::path::PathBuf;

use aura_analysis::metrics::{compute, FileMetrics};
use aura_analysis::SourceFile;
use aura_syntax::{parse, Rope};
use rayon::prelude::*;

use crate::check::{load_file, CheckOptions, Skipped};

/// Metrics of one file.
#[derive(Debug)]
pub struct FileMetricsReport {
    /// The path as walked.
    pub path: PathBuf,
    /// The language id.
    pub language: &'static str,
    /// Its metrics.
    pub metrics: FileMetrics,
}

/// Metrics for `files` (from `collect_files`), sorted by path, and the skipped files.
pub fn metrics_files(
    files: &[(PathBuf, bool)],
    options: &CheckOptions,
) -> (Vec<FileMetricsReport>, Vec<Skipped>) {
    let results: Vec<_> = files
        .par_iter()
        .filter_map(|(path, explicit)| {
            let loaded = load_file(path, *explicit, options)?;
            Some(loaded.map(|(language, text)| {
                let rope = Rope::from_str(&text);
                let metrics = match parse(language, &rope, None) {
                    Some(tree) => compute(SourceFile { language, text: &rope, tree: &tree }),
                    None => FileMetrics { lines: Default::default(), functions: Vec::new() },
                };
                FileMetricsReport { path: path.clone(), language: language.id.as_str(), metrics }
            }))
        })
        .collect();
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(skip) => skipped.push(skip),
        }
    }
    (reports, skipped)
}
