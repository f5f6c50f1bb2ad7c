//! Analyses of one document snapshot: parse if needed, then diagnostics and symbols.

use aura_analysis::clones::Token;
use aura_analysis::{
    analyze_and_tokenize, analyze_incremental, AnalysisCache, Diagnostic, RuleSettings, SourceFile,
};
use aura_syntax::tree_sitter::Tree;
use aura_syntax::{document_symbols, Snapshot, Symbol};

/// The result of analysing a snapshot.
#[derive(Debug)]
pub struct FileAnalysis {
    /// The up-to-date tree, for the caller to store back; `None` for plain text.
    pub tree: Option<Tree>,
    /// Diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The clone detector's tokens, built on the same walk when duplicate
    /// detection is on (`None` otherwise and for plain text).
    pub tokens: Option<Vec<Token>>,
}

/// Parse (incrementally) and analyse a snapshot under `rules`; with `cache`
/// (the document's last analysis) only what the edits touched is analysed again.
pub fn analyse_snapshot(
    snapshot: &Snapshot,
    rules: &RuleSettings,
    cache: Option<&mut AnalysisCache>,
) -> FileAnalysis {
    let (Some(language), Some(tree)) = (snapshot.language, snapshot.tree()) else {
        return FileAnalysis { tree: None, diagnostics: Vec::new(), tokens: None };
    };
    let file = SourceFile { language, text: &snapshot.text, tree: &tree };
    let tokens = rules.clones_enabled();
    let (diagnostics, tokens) = match cache {
        Some(cache) => analyze_incremental(file, rules, tokens, cache),
        None => analyze_and_tokenize(file, rules, tokens),
    };
    FileAnalysis { tree: Some(tree), diagnostics, tokens }
}

/// The symbol tree of a snapshot, with the tree it was computed from.
pub fn snapshot_symbols(snapshot: &Snapshot) -> (Option<Tree>, Vec<Symbol>) {
    let (Some(language), Some(tree)) = (snapshot.language, snapshot.tree()) else {
        return (None, Vec::new());
    };
    let symbols = document_symbols(language, &tree, &snapshot.text);
    (Some(tree), symbols)
}
