//! Reading one workspace file for the language server's background scan: its
//! clone tokens always, its rule diagnostics when the editor pulls workspace
//! diagnostics. Same skip rules as `aura check`.

use std::path::Path;

use aura_analysis::clones::{tokenize, Token};
use aura_analysis::{analyze_and_tokenize, Diagnostic, SourceFile};
use aura_syntax::{parse, Language, Rope};

use crate::check::{load_file, CheckOptions, Skipped};

/// What the scan keeps of a file.
#[derive(Debug)]
pub struct ScannedFile {
    /// Its language.
    pub language: &'static Language,
    /// Its text, for converting positions.
    pub text: Rope,
    /// Clone-detection tokens.
    pub tokens: Vec<Token>,
    /// Rule diagnostics (duplicates excluded), when asked for.
    pub diagnostics: Vec<Diagnostic>,
}

/// Scan `path`; `None` when it is not source Aura knows, `Some(Err)` when it
/// is but cannot be analysed (binary, too large, unreadable).
pub fn scan_file(
    path: &Path,
    options: &CheckOptions,
    diagnostics: bool,
) -> Option<Result<ScannedFile, Skipped>> {
    let loaded = load_file(path, false, options)?;
    Some(loaded.map(|(language, text)| {
        let text = Rope::from_str(&text);
        let (tokens, found) = match parse(language, &text, None) {
            Some(tree) => {
                let file = SourceFile { language, text: &text, tree: &tree };
                if diagnostics {
                    let (mut found, tokens) = analyze_and_tokenize(file, &options.rules, true);
                    aura_analysis::drop_for_path(&path.to_string_lossy(), &mut found);
                    (tokens.unwrap_or_default(), found)
                } else {
                    (tokenize(file), Vec::new())
                }
            }
            None => (Vec::new(), Vec::new()),
        };
        ScannedFile { language, text, tokens, diagnostics: found }
    }))
}
