//! Ollama's native API: `/api/chat` and `/api/generate`, streamed as
//! newline-delimited JSON, and `/api/tags` for the model list.

use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::http::{self, Collector, Progress};
use crate::provider::{Budget, Finish, GenRequest, Generation, Input, LlmError, OnToken, Provider};
use crate::stream::NdjsonParser;

/// An Ollama server (`http://127.0.0.1:11434` by default).
#[derive(Debug)]
pub struct Ollama {
    name: String,
    base: String,
    model: String,
    client: reqwest::Client,
}

impl Ollama {
    /// `base` is the server root, without `/api`.
    pub fn new(name: &str, base: &str, model: &str, budget: &Budget) -> Result<Ollama, LlmError> {
        Ok(Ollama {
            name: name.to_string(),
            base: http::trim_base(base),
            model: model.to_string(),
            client: http::client(budget)?,
        })
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
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn host(&self) -> String {
        http::host_of(&self.base)
    }

    fn is_remote(&self) -> bool {
        !crate::provider::is_loopback(&self.host())
    }

    async fn generate(
        &self,
        request: &GenRequest,
        on_token: OnToken<'_>,
        cancel: &CancellationToken,
        budget: &Budget,
    ) -> Result<Generation, LlmError> {
        let (path, body) = body(&self.model, request);
        let url = format!("{}{path}", self.base);
        let mut collector = Collector::new(on_token, Instant::now());
        let mut parser = NdjsonParser::new();
        let mut done = false;
        let mut apply = |values: Vec<Result<serde_json::Value, String>>, c: &mut Collector<'_>| {
            for value in values {
                let value = value.map_err(LlmError::Protocol)?;
                if apply_line(&value, c)?.done {
                    done = true;
                    return Ok(Progress { done: true });
                }
            }
            Ok::<_, LlmError>(Progress::default())
        };
        http::stream_post(
            &self.client,
            &url,
            Default::default(),
            &body,
            budget,
            cancel,
            &mut collector,
            |chunk, c| apply(parser.push(chunk), c),
        )
        .await?;
        apply(parser.finish(), &mut collector)?;
        if !done {
            return Err(LlmError::Interrupted("the stream ended before \"done\": true".to_string()));
        }
        Ok(collector.finish(&self.name, &self.model))
    }

    async fn models(&self, budget: &Budget) -> Result<Vec<String>, LlmError> {
        let value =
            http::get_json(&self.client, &format!("{}/api/tags", self.base), Default::default(), budget)
                .await?;
        Ok(value
            .get("models")
            .and_then(|d| d.as_array())
            .map(|models| models.iter().filter_map(|m| m.get("name")?.as_str().map(str::to_string)).collect())
            .unwrap_or_default())
    }
}
