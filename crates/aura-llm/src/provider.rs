//! The provider trait and the plain data every provider speaks: messages,
//! generation requests, results, budgets and errors.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions that frame the conversation.
    System,
    /// The person (or Aura on their behalf).
    User,
    /// The model.
    Assistant,
}

impl Role {
    /// The name the chat APIs use.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Message {
    /// Who wrote it.
    pub role: Role,
    /// What it says.
    pub content: String,
}

impl Message {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Message {
        Message { role: Role::System, content: content.into() }
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Message {
        Message { role: Role::User, content: content.into() }
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Message {
        Message { role: Role::Assistant, content: content.into() }
    }
}

/// Chat (a list of messages) or raw completion (a prompt to continue).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    /// A conversation to answer.
    Chat(Vec<Message>),
    /// Text to continue, as for code completion.
    Complete(String),
}

impl Input {
    /// Every byte of text the input carries, for size accounting.
    pub fn text_len(&self) -> usize {
        match self {
            Input::Chat(messages) => messages.iter().map(|m| m.content.len()).sum(),
            Input::Complete(prompt) => prompt.len(),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenRequest {
    /// The conversation or prompt.
    pub input: Input,
    /// The most tokens to generate.
    pub max_tokens: u32,
    /// Sampling temperature; 0 means greedy (repeatable).
    pub temperature: f32,
    /// Strings that end the generation when produced.
    pub stop: Vec<String>,
    /// Seed for sampling, where the provider supports one.
    pub seed: u64,
}

impl GenRequest {
    /// A greedy chat request.
    pub fn chat(messages: Vec<Message>, max_tokens: u32) -> GenRequest {
        GenRequest { input: Input::Chat(messages), max_tokens, temperature: 0.0, stop: Vec::new(), seed: 0 }
    }

    /// A greedy completion request.
    pub fn complete(prompt: impl Into<String>, max_tokens: u32) -> GenRequest {
        GenRequest {
            input: Input::Complete(prompt.into()),
            max_tokens,
            temperature: 0.0,
            stop: Vec::new(),
            seed: 0,
        }
    }
}

/// Why a generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Finish {
    /// The model ended its answer (or produced a stop string).
    Stop,
    /// `max_tokens` was reached.
    Length,
}

/// A finished generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    /// The whole answer.
    pub text: String,
    /// Why it ended.
    pub finish: Finish,
    /// Tokens generated, as the provider counted them (or chunks, when it did not say).
    pub tokens: u32,
    /// The provider that answered.
    pub provider: String,
    /// The model that answered.
    pub model: String,
    /// Time from the request to the first token.
    #[serde(with = "millis")]
    pub first_token: Option<Duration>,
    /// Time from the request to the end.
    #[serde(with = "millis")]
    pub total: Option<Duration>,
    /// Served from the response cache.
    #[serde(default)]
    pub cached: bool,
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => s.serialize_some(&(d.as_secs_f64() * 1000.0)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        let ms: Option<f64> = Option::deserialize(d)?;
        Ok(ms.filter(|v| v.is_finite() && *v >= 0.0).map(|v| Duration::from_secs_f64(v / 1000.0)))
    }
}

/// Time limits for one attempt, each for a separate stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Establishing the connection (HTTP providers).
    pub connect: Duration,
    /// Loading weights (in-process providers), once per process.
    pub model_load: Duration,
    /// From the request to the first token.
    pub first_token: Duration,
    /// From the request to the end of the answer.
    pub total: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            connect: Duration::from_secs(3),
            model_load: Duration::from_secs(60),
            first_token: Duration::from_secs(30),
            total: Duration::from_secs(120),
        }
    }
}

/// The stage a timeout happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Connecting.
    Connect,
    /// Loading the model.
    ModelLoad,
    /// Waiting for the first token.
    FirstToken,
    /// Waiting for the rest.
    Total,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Connect => "connect",
            Stage::ModelLoad => "model load",
            Stage::FirstToken => "first token",
            Stage::Total => "total",
        })
    }
}

/// Why a generation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// The provider could not be reached.
    #[error("cannot connect to {host}: {detail}")]
    Connect {
        /// Where.
        host: String,
        /// What the network layer said.
        detail: String,
    },
    /// A stage took longer than its budget.
    #[error("{stage} timeout after {} ms", .after.as_millis())]
    Timeout {
        /// Which stage.
        stage: Stage,
        /// The budget that ran out.
        after: Duration,
    },
    /// The provider answered with an HTTP error status.
    #[error("HTTP {status}: {detail}")]
    Status {
        /// The status code.
        status: u16,
        /// The body's error message, shortened.
        detail: String,
        /// A `Retry-After` the provider sent.
        retry_after: Option<Duration>,
    },
    /// The provider answered something that breaks its protocol.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The connection broke mid-answer.
    #[error("stream interrupted: {0}")]
    Interrupted(String),
    /// The local model could not be loaded or run.
    #[error("model error: {0}")]
    Model(String),
    /// The provider is misconfigured (missing key, bad URL, missing file).
    #[error("configuration: {0}")]
    Config(String),
    /// The circuit breaker has the provider open after repeated failures.
    #[error("{0} is paused after repeated failures")]
    CircuitOpen(String),
    /// Privacy rules forbid sending this request to the provider.
    #[error("blocked by privacy settings: {0}")]
    Blocked(String),
    /// The request was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// Every provider of the chain failed; the last error of each.
    #[error("{}", exhausted_message(.0))]
    Exhausted(Vec<(String, LlmError)>),
}

fn exhausted_message(errors: &[(String, LlmError)]) -> String {
    if errors.is_empty() {
        return "no model is configured".to_string();
    }
    let parts: Vec<String> = errors.iter().map(|(name, e)| format!("{name}: {e}")).collect();
    format!("every provider failed ({})", parts.join("; "))
}

impl LlmError {
    /// Worth trying the same provider again after a pause.
    pub fn is_transient(&self) -> bool {
        match self {
            LlmError::Status { status, .. } => *status == 429 || *status >= 500,
            LlmError::Connect { .. } | LlmError::Interrupted(_) => true,
            LlmError::Timeout { stage, .. } => *stage == Stage::Connect,
            _ => false,
        }
    }

    /// Counts against the provider's health (a user's cancel or a privacy
    /// block says nothing about it).
    pub fn is_provider_fault(&self) -> bool {
        !matches!(self, LlmError::Cancelled | LlmError::Blocked(_) | LlmError::CircuitOpen(_))
    }
}

/// Receives the answer's text as it streams.
pub type OnToken<'a> = &'a (dyn Fn(&str) + Send + Sync);

/// A model that can answer.
#[async_trait]
pub trait Provider: Send + Sync + fmt::Debug {
    /// The configured name ("local", "openai", ...).
    fn name(&self) -> &str;
    /// The model it asks for.
    fn model(&self) -> &str;
    /// The protocol, as config names it: "openai", "ollama", "anthropic", "local".
    fn kind(&self) -> &'static str;
    /// Where requests go: a host name, or "in-process".
    fn host(&self) -> String;
    /// Whether requests leave this machine.
    fn is_remote(&self) -> bool;
    /// Generate an answer, calling `on_token` with each piece as it arrives.
    /// Returns promptly after `cancel` fires, with [`LlmError::Cancelled`].
    async fn generate(
        &self,
        request: &GenRequest,
        on_token: OnToken<'_>,
        cancel: &CancellationToken,
        budget: &Budget,
    ) -> Result<Generation, LlmError>;
    /// The models the endpoint offers (for `aura doctor`).
    async fn models(&self, budget: &Budget) -> Result<Vec<String>, LlmError>;
}

/// Whether `host` (a URL's host part) is this machine.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_local() {
        assert!(is_loopback("localhost"));
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("[::1]"));
        assert!(!is_loopback("api.openai.com"));
        assert!(!is_loopback("10.0.0.2"));
    }

    #[test]
    fn transient_errors_are_retried_and_others_are_not() {
        let status = |s| LlmError::Status { status: s, detail: String::new(), retry_after: None };
        assert!(status(429).is_transient());
        assert!(status(503).is_transient());
        assert!(!status(400).is_transient());
        assert!(!status(401).is_transient());
        assert!(!LlmError::Cancelled.is_transient());
        assert!(!LlmError::Cancelled.is_provider_fault());
    }

    #[test]
    fn an_empty_chain_says_no_model_is_configured() {
        assert_eq!(LlmError::Exhausted(Vec::new()).to_string(), "no model is configured");
    }
}
