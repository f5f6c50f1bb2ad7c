//! End-to-end tests of the real `aura` binary: LSP over stdio and the CLI.

mod ai_actions;
mod ai_model;
mod ai_review;
mod bad_input;
mod cli;
mod code_actions;
mod completion;
mod dispatch;
mod editors;
mod encodings;
mod faults;
mod function_info;
mod git;
mod languages;
mod lifecycle;
mod ordering;
mod privacy;
mod shape;
mod support;
mod workspace;
