//! Function-level chunks: the unit the semantic index embeds and compares.
//!
//! Chunks come from the metrics walker, so every language with metrics has
//! them, broken code included. A nested function is its own chunk and is
//! also part of its parent's text. Functions shorter than [`MIN_LINES`]
//! lines are left out: one-line getters are alike by nature and would bury
//! real near-copies.
//!
//! Long functions: the embedding model reads at most 256 tokens, so a long
//! function is represented by its head — signature, docstring and the start
//! of its body — which is where its purpose is written. The chunk keeps the
//! whole text; only the model truncates.

use std::ops::Range;

use aura_analysis::SourceFile;
use sha2::{Digest, Sha256};

/// Functions with fewer lines are not indexed.
pub const MIN_LINES: u32 = 3;

/// A content hash: the first 16 bytes of the SHA-256 of the text.
pub type ContentHash = [u8; 16];

pub fn content_hash(text: &str) -> ContentHash {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// One function of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// The file, as the caller names it (a workspace-relative path or a URI).
    pub file: String,
    pub name: String,
    /// 1-based line of the function's keyword.
    pub start_line: u32,
    /// 1-based last line.
    pub end_line: u32,
    /// Bytes of the function in its file.
    pub range: Range<usize>,
    /// Bytes of its name, for diagnostics.
    pub name_range: Range<usize>,
    pub text: String,
    pub hash: ContentHash,
}

/// The indexable functions of `source`, in source order.
pub fn function_chunks(file: &str, source: SourceFile<'_>) -> Vec<Chunk> {
    aura_analysis::metrics::compute(source)
        .functions
        .into_iter()
        .filter(|f| f.end_line + 1 >= f.start_line + MIN_LINES)
        .map(|f| {
            let text = source.text.byte_slice(f.range.clone()).to_string();
            Chunk {
                file: file.to_owned(),
                name: f.name,
                start_line: f.start_line,
                end_line: f.end_line,
                range: f.range,
                name_range: f.name_range,
                hash: content_hash(&text),
                text,
            }
        })
        .collect()
}
