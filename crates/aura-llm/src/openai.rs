//! The OpenAI-compatible provider: `/v1/chat/completions` and
//! `/v1/completions` with SSE streaming, as served by OpenAI, LM Studio,
//! llama.cpp's server and vLLM.

use async_trait::async_trait;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::http::{self, endpoint_identity, Collector, Endpoint, Progress};
use crate::provider::{Budget, Finish, GenRequest, Generation, Input, LlmError, OnToken, Provider};
use crate::secret::ApiKey;
use crate::stream::SseParser;

/// An OpenAI-compatible endpoint.
#[derive(Debug)]
pub struct OpenAi {
    endpoint: Endpoint,
    key: Option<ApiKey>,
}

impl OpenAi {
    /// `base` ends in `/v1` (`http://127.0.0.1:8080/v1`, `https://api.openai.com/v1`).
    pub fn new(
        name: &str,
        base: &str,
        model: &str,
        key: Option<ApiKey>,
        budget: &Budget,
    ) -> Result<OpenAi, LlmError> {
        Ok(OpenAi { endpoint: Endpoint::new(name, base, model, budget)?, key })
    }

    fn headers(&self) -> Result<reqwest::header::HeaderMap, LlmError> {
        match &self.key {
            Some(key) => http::headers(&[("authorization", format!("Bearer {}", key.reveal()))]),
            None => Ok(Default::default()),
        }
    }
}

/// The request body for `request` (chat or completion), streaming.
pub(crate) fn body(model: &str, request: &GenRequest) -> (&'static str, serde_json::Value) {
    let mut body = json!({
        "model": model,
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "seed": request.seed,
        "stream": true,
    });
    if !request.stop.is_empty() {
        body["stop"] = json!(request.stop);
    }
    match &request.input {
        Input::Chat(messages) => {
            body["messages"] =
                messages.iter().map(|m| json!({"role": m.role.as_str(), "content": m.content})).collect();
            ("/chat/completions", body)
        }
        Input::Complete(prompt) => {
            body["prompt"] = json!(prompt);
            ("/completions", body)
        }
    }
}

/// One SSE event's data applied to the collector.
pub(crate) fn apply_event(data: &str, collector: &mut Collector<'_>) -> Result<Progress, LlmError> {
    if data.trim() == "[DONE]" {
        return Ok(Progress { done: true });
    }
    let value = http::parse_event(data)?;
    if let Some(error) = value.get("error") {
        let message = error.get("message").and_then(|m| m.as_str()).unwrap_or("error event");
        return Err(LlmError::Protocol(format!("the server reported: {message}")));
    }
    let Some(choice) = value.get("choices").and_then(|c| c.get(0)) else {
        // Usage-only chunks and keep-alives carry no choice.
        return Ok(Progress::default());
    };
    let piece = choice
        .get("delta")
        .and_then(|d| d.get("content"))
        .or_else(|| choice.get("text"))
        .and_then(|t| t.as_str())
        .unwrap_or("");
    collector.piece(piece);
    match choice.get("finish_reason").and_then(|f| f.as_str()) {
        Some("length") => collector.set_finish(Finish::Length),
        Some(_) => collector.set_finish(Finish::Stop),
        None => {}
    }
    if let Some(tokens) = value.pointer("/usage/completion_tokens").and_then(|t| t.as_u64()) {
        collector.set_tokens(tokens as u32);
    }
    Ok(Progress::default())
}

#[async_trait]
impl Provider for OpenAi {
    endpoint_identity!("openai");

    async fn generate(
        &self,
        request: &GenRequest,
        on_token: OnToken<'_>,
        cancel: &CancellationToken,
        budget: &Budget,
    ) -> Result<Generation, LlmError> {
        let (path, body) = body(&self.endpoint.model, request);
        let mut parser = SseParser::new();
        let on_chunk = |chunk: Option<&[u8]>, c: &mut Collector<'_>| {
            for event in chunk.map(|chunk| parser.push(chunk)).unwrap_or_default() {
                if apply_event(&event.data, c)?.done {
                    return Ok(Progress { done: true });
                }
            }
            Ok(Progress::default())
        };
        self.endpoint.stream(path, self.headers()?, &body, budget, cancel, on_token, "[DONE]", on_chunk).await
    }

    async fn models(&self, budget: &Budget) -> Result<Vec<String>, LlmError> {
        self.endpoint.names("/models", self.headers()?, budget, "data", "id").await
    }
}
