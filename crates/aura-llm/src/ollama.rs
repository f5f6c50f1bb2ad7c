//! Ollama's native API: `/api/chat` and `/api/generate`, streamed as
//! newline-delimited JSON, and `/api/tags` for the model list.

use async_trait::async_trait;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::http::{endpoint_identity, Collector, Endpoint, Progress};
use crate::provider::{Budget, Finish, GenRequest, Generation, Input, LlmError, OnToken, Provider};
use crate::stream::NdjsonParser;

/// An Ollama server (`http://127.0.0.1:11434` by default).
#[derive(Debug)]
pub struct Ollama {
    endpoint: Endpoint,
}

impl Ollama {
    /// `base` is the server root, without `/api`.
    pub fn new(name: &str, base: &str, model: &str, budget: &Budget) -> Result<Ollama, LlmError> {
        Ok(Ollama { endpoint: Endpoint::new(name, base, model, budget)? })
    }
}

fn body(model: &str, request: &GenRequest) -> (&'static str, serde_json::Value) {
    let mut options = json!({
        "temperature": request.temperature,
        "num_predict": request.max_tokens,
        "seed": request.seed,
    });
    if !request.stop.is_empty() {
        options["stop"] = json!(request.stop);
    }
    let mut body = json!({"model": model, "stream": true, "options": options});
    match &request.input {
        Input::Chat(messages) => {
            body["messages"] =
                messages.iter().map(|m| json!({"role": m.role.as_str(), "content": m.content})).collect();
            ("/api/chat", body)
        }
        Input::Complete(prompt) => {
            body["prompt"] = json!(prompt);
            body["raw"] = json!(true);
            ("/api/generate", body)
        }
    }
}

fn apply_line(value: &serde_json::Value, collector: &mut Collector<'_>) -> Result<Progress, LlmError> {
    if let Some(error) = value.get("error") {
        return Err(LlmError::Protocol(format!(
            "the server reported: {}",
            error.as_str().unwrap_or("error")
        )));
    }
    let piece = value
        .pointer("/message/content")
        .or_else(|| value.get("response"))
        .and_then(|t| t.as_str())
        .unwrap_or("");
    collector.piece(piece);
    if value.get("done").and_then(|d| d.as_bool()) == Some(true) {
        if value.get("done_reason").and_then(|r| r.as_str()) == Some("length") {
            collector.set_finish(Finish::Length);
        }
        if let Some(count) = value.get("eval_count").and_then(|c| c.as_u64()) {
            collector.set_tokens(count as u32);
        }
        return Ok(Progress { done: true });
    }
    Ok(Progress::default())
}

#[async_trait]
impl Provider for Ollama {
    endpoint_identity!("ollama");

    async fn generate(
        &self,
        request: &GenRequest,
        on_token: OnToken<'_>,
        cancel: &CancellationToken,
        budget: &Budget,
    ) -> Result<Generation, LlmError> {
        let (path, body) = body(&self.endpoint.model, request);
        let mut parser = NdjsonParser::new();
        let on_chunk = |chunk: Option<&[u8]>, c: &mut Collector<'_>| {
            // `None` is the end of the body: a last line without its newline still counts.
            let values = match chunk {
                Some(chunk) => parser.push(chunk),
                None => parser.finish(),
            };
            for value in values {
                if apply_line(&value.map_err(LlmError::Protocol)?, c)?.done {
                    return Ok(Progress { done: true });
                }
            }
            Ok(Progress::default())
        };
        self.endpoint
            .stream(path, Default::default(), &body, budget, cancel, on_token, "\"done\": true", on_chunk)
            .await
    }

    async fn models(&self, budget: &Budget) -> Result<Vec<String>, LlmError> {
        self.endpoint.names("/api/tags", Default::default(), budget, "models", "name").await
    }
}
