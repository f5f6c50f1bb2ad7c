//! Anthropic's Messages API (`/v1/messages`) with SSE streaming: the system
//! prompt travels apart from the messages, text arrives in
//! `content_block_delta` events and errors can arrive as `error` events.

use async_trait::async_trait;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::http::{self, endpoint_identity, Collector, Endpoint, Progress};
use crate::provider::{Budget, Finish, GenRequest, Generation, Input, LlmError, OnToken, Provider, Role};
use crate::secret::ApiKey;
use crate::stream::SseParser;

const API_VERSION: &str = "2023-06-01";

/// The Anthropic API (`https://api.anthropic.com` by default).
#[derive(Debug)]
pub struct Anthropic {
    endpoint: Endpoint,
    key: ApiKey,
}

impl Anthropic {
    /// `base` is the API root, without `/v1`.
    pub fn new(
        name: &str,
        base: &str,
        model: &str,
        key: ApiKey,
        budget: &Budget,
    ) -> Result<Anthropic, LlmError> {
        let base = http::trim_base(base);
        let base = base.strip_suffix("/v1").map(str::to_string).unwrap_or(base);
        Ok(Anthropic { endpoint: Endpoint::new(name, &base, model, budget)?, key })
    }

    fn headers(&self) -> Result<reqwest::header::HeaderMap, LlmError> {
        http::headers(&[
            ("x-api-key", self.key.reveal().to_string()),
            ("anthropic-version", API_VERSION.to_string()),
        ])
    }
}

fn body(model: &str, request: &GenRequest) -> serde_json::Value {
    let (system, messages): (Vec<String>, Vec<serde_json::Value>) = match &request.input {
        Input::Chat(messages) => {
            let system =
                messages.iter().filter(|m| m.role == Role::System).map(|m| m.content.clone()).collect();
            let rest = messages
                .iter()
                .filter(|m| m.role != Role::System)
                .map(|m| json!({"role": m.role.as_str(), "content": m.content}))
                .collect();
            (system, rest)
        }
        Input::Complete(prompt) => (Vec::new(), vec![json!({"role": "user", "content": prompt})]),
    };
    let mut body = json!({
        "model": model,
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "messages": messages,
        "stream": true,
    });
    if !system.is_empty() {
        body["system"] = json!(system.join("\n\n"));
    }
    if !request.stop.is_empty() {
        body["stop_sequences"] = json!(request.stop);
    }
    body
}

fn apply_event(event: &str, data: &str, collector: &mut Collector<'_>) -> Result<Progress, LlmError> {
    let value = http::parse_event(data)?;
    let kind =
        if event.is_empty() { value.get("type").and_then(|t| t.as_str()).unwrap_or("") } else { event };
    match kind {
        "content_block_delta" => {
            collector.piece(value.pointer("/delta/text").and_then(|t| t.as_str()).unwrap_or(""));
        }
        "message_delta" => {
            if value.pointer("/delta/stop_reason").and_then(|r| r.as_str()) == Some("max_tokens") {
                collector.set_finish(Finish::Length);
            }
            if let Some(tokens) = value.pointer("/usage/output_tokens").and_then(|t| t.as_u64()) {
                collector.set_tokens(tokens as u32);
            }
        }
        "message_stop" => return Ok(Progress { done: true }),
        "error" => {
            let message = value.pointer("/error/message").and_then(|m| m.as_str()).unwrap_or("error event");
            let overloaded =
                value.pointer("/error/type").and_then(|t| t.as_str()) == Some("overloaded_error");
            return Err(if overloaded {
                LlmError::Status { status: 529, detail: message.to_string(), retry_after: None }
            } else {
                LlmError::Protocol(format!("the server reported: {message}"))
            });
        }
        _ => {}
    }
    Ok(Progress::default())
}

#[async_trait]
impl Provider for Anthropic {
    endpoint_identity!("anthropic");

    async fn generate(
        &self,
        request: &GenRequest,
        on_token: OnToken<'_>,
        cancel: &CancellationToken,
        budget: &Budget,
    ) -> Result<Generation, LlmError> {
        let body = body(&self.endpoint.model, request);
        let mut parser = SseParser::new();
        let on_chunk = |chunk: Option<&[u8]>, c: &mut Collector<'_>| {
            for event in chunk.map(|chunk| parser.push(chunk)).unwrap_or_default() {
                if apply_event(&event.event, &event.data, c)?.done {
                    return Ok(Progress { done: true });
                }
            }
            Ok(Progress::default())
        };
        self.endpoint
            .stream(
                "/v1/messages",
                self.headers()?,
                &body,
                budget,
                cancel,
                on_token,
                "message_stop",
                on_chunk,
            )
            .await
    }

    async fn models(&self, budget: &Budget) -> Result<Vec<String>, LlmError> {
        self.endpoint.names("/v1/models", self.headers()?, budget, "data", "id").await
    }
}
