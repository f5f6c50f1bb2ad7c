//! Aura's deterministic analyses: what runs on every keystroke with no model.
//! Today that is syntax errors (AUR001); metrics and rules join it one file each.
//!
//! Analyses never fail on user code: broken code is data, reported as
//! diagnostics in byte offsets for the caller to convert.

#![warn(missing_docs)]

pub mod clones;
mod diagnostic;
mod incremental;
pub mod metrics;
pub mod rules;
pub mod secrets;
pub mod shape_rules;
pub mod syntax_error;
#[cfg(test)]
mod test_rng;

pub use diagnostic::{Applicability, Diagnostic, Fix, Related, Severity};
pub use incremental::{analyze_incremental, AnalysisCache};
pub use rules::RuleSettings;

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
    /// `syntax`, `complexity`, `smell`, `security`, `duplicate` or `design`.
    pub category: &'static str,
    /// Whether it runs without being selected.
    pub default_enabled: bool,
    /// What it flags, why it matters, an example and fix safety (Markdown).
    pub doc: &'static str,
    /// The applicability of its fix, if it has one beyond suppression.
    pub fix: Option<Applicability>,
}

/// Every rule's description, in code order.
pub fn all_rules() -> impl Iterator<Item = &'static RuleInfo> {
    std::iter::once(&syntax_error::RULE)
        .chain(rules::RULES.iter().map(|r| &r.info))
        .chain([&clones::EXACT_RULE, &clones::RENAMED_RULE])
        .chain([
            &shape_rules::NEAR_COPY_RULE,
            &shape_rules::DIVERGENT_CLONE_RULE,
            &shape_rules::IMPORT_CYCLE_RULE,
        ])
}

use aura_syntax::tree_sitter::Tree;
use aura_syntax::{Language, Rope};

/// The text of `node`, or empty when the tree is out of step with the text.
pub(crate) fn node_text(text: &Rope, node: aura_syntax::tree_sitter::Node<'_>) -> String {
    let range = node.byte_range();
    if range.end > text.len_bytes() {
        return String::new();
    }
    text.byte_slice(range).to_string()
}

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

/// The deepest syntax tree the rules and metrics read. Tree-sitter finds a
/// node's parent by descending from the root, so rules that look up
/// enclosing statements cost O(depth) per node, and a 1 MB line of `x. x. ...`
/// or 100,000 nested `if`s would take minutes. Real code stays far below
/// (CPython refuses more than 200 nested parentheses); deeper trees are
/// generated or hostile input and get syntax errors only.
pub const MAX_TREE_DEPTH: usize = 512;

/// Whether `tree` nests deeper than [`MAX_TREE_DEPTH`] (one cursor walk, no recursion).
pub fn too_deep(tree: &Tree) -> bool {
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    loop {
        if cursor.goto_first_child() {
            depth += 1;
            if depth > MAX_TREE_DEPTH {
                return true;
            }
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return false;
            }
            depth -= 1;
        }
    }
}

/// Every diagnostic for `file` under the default rule selection, sorted by position.
pub fn analyze(file: SourceFile<'_>) -> Vec<Diagnostic> {
    analyze_with(file, &RuleSettings::default())
}

/// Every diagnostic for `file` under `settings`, without suppressed ones,
/// sorted by position.
pub fn analyze_with(file: SourceFile<'_>, settings: &RuleSettings) -> Vec<Diagnostic> {
    analyze_and_tokenize(file, settings, false).0
}

/// As [`analyze_with`], and with `tokens` also the file's clone tokens
/// ([`clones::tokenize`]), built on the same tree walk: `Some` exactly when asked.
pub fn analyze_and_tokenize(
    file: SourceFile<'_>,
    settings: &RuleSettings,
    tokens: bool,
) -> (Vec<Diagnostic>, Option<Vec<clones::Token>>) {
    if too_deep(file.tree) {
        let mut out = syntax_error::check_in(&file.language.id, file.tree, file.text);
        sort_by_position(&mut out);
        return (out, tokens.then(Vec::new));
    }
    // One walk yields the metrics, the rules' index of nodes by kind and the tokens.
    let (metrics, extras) = metrics::compute_with(file, tokens);
    let mut out = syntax_error::check_in(&file.language.id, file.tree, file.text);
    out.extend(rules::check_with_source(file, &metrics, extras.by_kind, extras.source.as_deref(), settings));
    rules::drop_suppressed(file.language, file.text, &mut out);
    sort_by_position(&mut out);
    // Languages without a counting table are not walked for metrics.
    let tokens = extras.tokens.or_else(|| tokens.then(|| clones::tokenize(file)));
    (out, tokens)
}

/// Drop the findings that do not apply to the file at `path`: in test code,
/// the security rules (AUR3xx: tests plant secrets, disable TLS against a
/// local server and unpickle what they just pickled, on purpose) and empty
/// handlers (AUR201: `try { f() } catch {}` around a call expected to throw).
pub fn drop_for_path(path: &str, diagnostics: &mut Vec<Diagnostic>) {
    if clones::is_test_path(path) {
        diagnostics.retain(|d| !d.code.starts_with("AUR3") && d.code != "AUR201");
    }
}

/// Add diagnostics found outside the per-file pass (duplicates, which need
/// the whole workspace) to a file's own: those a suppression comment silences
/// are dropped, and the list stays in position order.
pub fn merge_into(
    language: &Language,
    text: &Rope,
    diagnostics: &mut Vec<Diagnostic>,
    mut extra: Vec<Diagnostic>,
) {
    rules::drop_suppressed(language, text, &mut extra);
    diagnostics.append(&mut extra);
    sort_by_position(diagnostics);
}

/// Position order; the message breaks ties, so the order does not depend on
/// which rule or chunk ran first.
pub(crate) fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code, &a.message).cmp(&(
            b.range.start,
            b.range.end,
            b.code,
            &b.message,
        ))
    });
}
