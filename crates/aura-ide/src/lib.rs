//! Aura's façade between the protocol and the analyses: the open-document
//! store with ordered, version-checked edits, per-snapshot analysis, and batch
//! checking for the CLI. Editor terms (byte offsets, line/column), no LSP types.

#![warn(missing_docs)]

pub mod ai;
pub mod ai_context;
mod analysis;
pub mod check;
pub mod completion;
mod documents;
mod function_info;
pub mod git;
pub mod metrics;
pub mod review;
pub mod route_embeddings;
pub mod shape;
pub mod workspace;

pub use analysis::{analyse_snapshot, snapshot_symbols, FileAnalysis};
pub use documents::{Change, ChangeOutcome, Documents, OpenDocument, MAX_TREES, MAX_TREE_SOURCE_BYTES};
pub use function_info::{complexity_lenses, function_at, hover_markdown, snapshot_metrics, Lens};
