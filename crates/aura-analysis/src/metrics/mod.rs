//! Per-function and per-file metrics: cyclomatic (McCabe), cognitive
//! (SonarSource), maximum nesting, parameters, exits, line counts, Halstead and
//! the maintainability index. One walk over the tree computes everything; the
//! per-language tables live in `spec.rs` and the counting rules, written out,
//! in `docs/metrics.md`. Partial trees with ERROR nodes are walked like any
//! other: what parsed is counted.

mod spec;
mod walk;

use std::ops::Range;

use serde::Serialize;

use crate::SourceFile;

pub(crate) use walk::{file_lines, finish_function, index_node, ChunkOut, ChunkWalker};

/// Halstead's measures for one function.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Halstead {
    /// Distinct operators.
    pub n1: u32,
    /// Distinct operands.
    pub n2: u32,
    /// Total operators.
    #[serde(rename = "N1")]
    pub total_operators: u32,
    /// Total operands.
    #[serde(rename = "N2")]
    pub total_operands: u32,
    /// n1 + n2.
    pub vocabulary: u32,
    /// N1 + N2.
    pub length: u32,
    /// length × log2(vocabulary).
    pub volume: f64,
    /// (n1 / 2) × (N2 / n2).
    pub difficulty: f64,
    /// difficulty × volume.
    pub effort: f64,
}

impl Halstead {
    fn new(n1: u32, n2: u32, total_operators: u32, total_operands: u32) -> Halstead {
        let vocabulary = n1 + n2;
        let length = total_operators + total_operands;
        let volume = if vocabulary > 0 { f64::from(length) * f64::from(vocabulary).log2() } else { 0.0 };
        let difficulty =
            if n2 > 0 { f64::from(n1) / 2.0 * f64::from(total_operands) / f64::from(n2) } else { 0.0 };
        Halstead {
            n1,
            n2,
            total_operators,
            total_operands,
            vocabulary,
            length,
            volume,
            difficulty,
            effort: difficulty * volume,
        }
    }
}

/// Lines of a function or file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Lines {
    /// All lines from the first to the last.
    pub loc: u32,
    /// Lines holding code (a token other than a comment).
    pub sloc: u32,
    /// Lines holding a comment (a line can be both code and comment).
    pub comment: u32,
    /// Lines holding nothing but whitespace.
    pub blank: u32,
}

/// Metrics of one function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionMetrics {
    /// The function's name; `<anonymous>` when it has none and no binding names it.
    pub name: String,
    /// 1-based line of the keyword that starts it (after decorators and annotations).
    pub start_line: u32,
    /// 1-based last line.
    pub end_line: u32,
    /// McCabe's cyclomatic complexity: 1 + decision points.
    pub cyclomatic: u32,
    /// Cognitive complexity (SonarSource white paper, version 1.7).
    pub cognitive: u32,
    /// Deepest nesting of control structures.
    pub nesting: u32,
    /// Declared parameters.
    pub params: u32,
    /// `return`, `throw` and `raise` statements.
    pub exits: u32,
    /// Line counts.
    #[serde(flatten)]
    pub lines: Lines,
    /// Halstead's measures.
    pub halstead: Halstead,
    /// Maintainability index, Visual Studio variant (0–100).
    pub mi: f64,
    /// Its cognitive complexity also counts in the enclosing function's
    /// (a nested function, where the language folds them: docs/metrics.md).
    #[serde(skip)]
    pub folded: bool,
    /// The bytes of the whole function node.
    #[serde(skip)]
    pub range: Range<usize>,
    /// The bytes of its name (or its first token when anonymous), for diagnostics.
    #[serde(skip)]
    pub name_range: Range<usize>,
}

/// Metrics of one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileMetrics {
    /// Line counts of the whole file.
    #[serde(flatten)]
    pub lines: Lines,
    /// Functions in source order (nested functions follow their parent).
    pub functions: Vec<FunctionMetrics>,
}

/// The maintainability index as Visual Studio computes it:
/// `max(0, (171 − 5.2 ln V − 0.23 G − 16.2 ln SLOC) × 100 / 171)`.
pub fn maintainability_index(volume: f64, cyclomatic: u32, sloc: u32) -> f64 {
    let raw = 171.0
        - 5.2 * volume.max(1.0).ln()
        - 0.23 * f64::from(cyclomatic)
        - 16.2 * f64::from(sloc.max(1)).ln();
    (raw * 100.0 / 171.0).clamp(0.0, 100.0)
}

/// Metrics for every function in `file`. Languages without a counting table
/// (none today) get line counts only.
pub fn compute(file: SourceFile<'_>) -> FileMetrics {
    walk::compute(file)
}

/// As [`compute`], and from the same walk the rules' index of nodes by kind
/// and, with `tokens`, the clone detector's tokens.
pub(crate) fn compute_with<'t>(file: SourceFile<'t>, tokens: bool) -> (FileMetrics, walk::Extras<'t>) {
    walk::compute_with(file, true, tokens)
}

/// Every named node of `file` grouped by kind id, from a walk of its own.
pub(crate) fn index_by_kind(file: SourceFile<'_>) -> Vec<Vec<aura_syntax::tree_sitter::Node<'_>>> {
    walk::index_by_kind(file)
}

/// Whether Aura measures functions in this language.
pub fn supports(language: &aura_syntax::Language) -> bool {
    spec::spec_for(&language.id).is_some()
}

#[cfg(test)]
mod tests;
