//! Documents and trees for Aura: rope documents with ordered edits, byte
//! offset ↔ line/column conversion in UTF-8, UTF-16 and UTF-32, the language
//! registry (`languages.toml`), tree-sitter parsing and symbol queries.
//!
//! Everything here works in byte offsets and plain types; only the server
//! knows the protocol.
//!
//! ```
//! use aura_syntax::{registry, Document};
//! let python = registry().by_id("python").unwrap();
//! let mut doc = Document::new("def f(:\n    pass\n", Some(python));
//! assert!(doc.tree().unwrap().root_node().has_error());
//! doc.replace(6..6, "x)").unwrap();
//! assert!(!doc.tree().unwrap().root_node().has_error());
//! ```

#![warn(missing_docs)]

mod document;
mod grammar;
mod language;
mod parse;
mod position;
mod symbols;

pub use document::{Document, EditError, Snapshot};
pub use language::{registry, Language, Registry};
pub use parse::parse;
pub use position::{
    floor_char_boundary, line_col_at, line_content_len, offset_at, LineCol, PositionEncoding,
};
pub use symbols::{document_symbols, RopeText, Symbol, SymbolKind};

pub use ropey::Rope;
pub use tree_sitter;
