//! Aura's model providers and everything between a prompt and an answer:
//! one [`Provider`] trait with a file per protocol (OpenAI-compatible,
//! Ollama, Anthropic, in-process candle), incremental SSE/NDJSON parsing,
//! failover chains with retries and circuit breakers ([`Chain`]), the
//! response cache, secret redaction and the outbound audit log.
//!
//! Nothing here knows LSP or the catalog: callers hand in a [`GenRequest`]
//! and get text back.

#![warn(missing_docs)]

mod anthropic;
pub mod audit;
pub mod cache;
pub mod chain;
mod http;
mod local;
mod ollama;
mod openai;
pub mod provider;
pub mod redact;
mod secret;
mod spec;
pub mod stream;

pub use anthropic::Anthropic;
pub use chain::{Call, Chain, Event, Health, Outcome, Policy, Privacy};
pub use local::Local;
pub use ollama::Ollama;
pub use openai::OpenAi;
pub use provider::{Budget, Finish, GenRequest, Generation, Input, LlmError, Message, Provider, Role, Stage};
pub use secret::ApiKey;
pub use spec::{build, default_model_path, Kind, ProviderSpec, DEFAULT_MODEL_FILE};
pub use tokio_util::sync::CancellationToken;
