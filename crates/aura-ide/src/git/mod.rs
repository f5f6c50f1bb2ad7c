//! Repository facts in code terms: which functions a change touches
//! (`changes`), who refers to them (`impact`), where churn meets complexity
//! (`hotspots`) and a conventional-commit draft (`commit`). `aura-git` reads
//! lines from git; this module maps them onto tree-sitter functions.

pub mod changes;
pub mod commit;
pub mod divergent;
pub mod hotspots;
pub mod impact;

use std::path::Path;

use aura_analysis::metrics::{compute, FileMetrics};
use aura_analysis::SourceFile;
use aura_syntax::{parse, registry, Language, Rope};

pub use aura_git::{GitError, Repo, Scope, Window};

/// A source file parsed for its functions.
pub(crate) struct Parsed {
    pub language: &'static Language,
    pub text: Rope,
    pub tree: aura_syntax::tree_sitter::Tree,
    pub metrics: FileMetrics,
}

/// Parse `bytes` as the file at `path`: `None` for languages Aura does not
/// know, binary or non-UTF-8 content.
pub(crate) fn parse_functions(path: &str, bytes: &[u8]) -> Option<Parsed> {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let language = registry().for_path(Path::new(path), text.lines().next())?;
    let rope = Rope::from_str(text);
    let tree = parse(language, &rope, None)?;
    let metrics = compute(SourceFile { language, text: &rope, tree: &tree });
    Some(Parsed { language, text: rope, tree, metrics })
}

/// 0-based, half-open lines of each function, indexed like `metrics.functions`.
pub(crate) fn function_lines(metrics: &FileMetrics) -> Vec<std::ops::Range<u32>> {
    metrics.functions.iter().map(|f| f.start_line.saturating_sub(1)..f.end_line).collect()
}

/// For each line, the innermost function holding it (an index into
/// `metrics.functions`).
pub(crate) fn innermost_by_line(metrics: &FileMetrics, line_count: usize) -> Vec<Option<usize>> {
    let lines = function_lines(metrics);
    let mut order: Vec<usize> = (0..lines.len()).collect();
    // Outer functions first, so inner ones overwrite them.
    order.sort_by_key(|&i| std::cmp::Reverse(lines[i].len()));
    let mut owner = vec![None; line_count];
    for i in order {
        for line in lines[i].clone() {
            if let Some(slot) = owner.get_mut(line as usize) {
                *slot = Some(i);
            }
        }
    }
    owner
}

/// Languages whose code calls each other's functions by name.
pub(crate) fn family(language: &Language) -> &str {
    match language.id.as_str() {
        "javascript" | "typescript" | "tsx" => "js",
        "c" | "cpp" => "c",
        other => other,
    }
}
