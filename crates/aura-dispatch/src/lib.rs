//! Aura's AI dispatch (DESIGN §1 PLAN and BUILD): every AI request is routed
//! to one of the catalog's 66 programs and a composition of its 188 tiers by
//! a fast, deterministic, explainable score, then rendered into a prompt.
//!
//! - `context`: what a request carries besides words (languages, signals, imports);
//! - `detect`: the conversation detector (10 types, calibrated probabilities);
//! - `route`: the program and tier router with reasons and a token budget;
//! - `prompt`: prompt rendering inside the budget;
//! - `modules`: module registry activation over a workspace;
//! - `feedback`: accept/reject/undo signals that re-rank programs;
//! - `eval`: routing quality on a labelled JSONL set.

pub mod context;
pub mod detect;
pub mod eval;
pub mod feedback;
mod lexicon;
pub mod modules;
pub mod prompt;
pub mod route;
pub mod text;

pub use context::Request;
pub use detect::Detection;
pub use route::{Decision, ProgramSimilarity, RankedProgram, RankedTier, Reason, Router};
