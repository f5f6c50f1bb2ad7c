//! Code shape: function chunks ([`chunks`]), the semantic index and its
//! persistent embedding cache ([`index`], [`cache`]), the import graph and
//! its cycles ([`imports`]), and the insights built on them — near-copy
//! clusters, outliers, cycles — with their diagnostics ([`insights`]).
//!
//! Free of LSP and of file walking: callers hand in parsed files and key
//! them as they like (a workspace-relative path, a URI).

pub mod cache;
pub mod chunks;
pub mod imports;
pub mod index;
pub mod insights;

pub use cache::EmbeddingCache;
pub use chunks::{function_chunks, Chunk};
pub use index::{Hit, SemanticIndex};
pub use insights::{analyse, ShapeReport};

#[cfg(test)]
mod tests;
