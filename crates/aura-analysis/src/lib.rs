//! Aura's deterministic analyses: what runs on every keystroke with no model.
//! Today that is syntax errors (AUR001); metrics and rules join it one file each.
//!
//! Analyses never fail on user code: broken code is data, reported as
//! diagnostics in byte offsets for the caller to convert.

#![warn(missing_docs)]

mod diagnostic;
pub mod metrics;
pub mod syntax_error;

pub use diagnostic::{Diagnostic, Severity};

/// What every rule declares about itself, for `aura rules`, SARIF and editors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable code, never reused.
    pub code: &'static str,
    /// Kebab-case name describing what is flagged.
    pub name: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
}

/// Every rule, in code order.
pub const RULES: &[RuleInfo] = &[syntax_error::RULE];

use aura_syntax::tree_sitter::Tree;
use aura_syntax::{Language, Rope};

/// A parsed file ready for analysis.
#[derive(Clone, Copy)]
pub struct SourceFile<'a> {
    /// The language it was parsed as.
    pub language: &'static Language,
    /// Its text.
    pub text: &'a Rope,
    /// Its up-to-date syntax tree.
    pub tree: &'a Tree,
}

/// Every diagnostic for `file`, sorted by position.
pub fn analyze(file: SourceFile<'_>) -> Vec<Diagnostic> {
    let mut out = syntax_error::check(file.tree, file.text);
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out
}
