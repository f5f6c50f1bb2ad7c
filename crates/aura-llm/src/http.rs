//! What the HTTP providers share: one client per provider (connect budget,
//! rustls), a streaming POST that enforces the first-token and total budgets
//! and stops the moment the request is cancelled, error mapping, and the
//! bookkeeping that turns streamed pieces into a [`Generation`].

use std::sync::Once;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio_util::sync::CancellationToken;

use crate::provider::{Budget, Finish, Generation, LlmError, OnToken, Stage};
use crate::stream::shorten;

/// Installs the process's TLS crypto provider (ring) once; reqwest is built
/// without a default one to keep aws-lc's C build out of the tree.
fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// An HTTP client with the connect budget applied.
pub(crate) fn client(budget: &Budget) -> Result<reqwest::Client, LlmError> {
    install_crypto();
    reqwest::Client::builder()
        .connect_timeout(budget.connect)
        .pool_idle_timeout(Duration::from_secs(30))
        .user_agent(concat!("aura/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LlmError::Config(format!("HTTP client: {e}")))
}

/// Headers from name/value pairs; values are marked sensitive so they never
/// show in reqwest's `Debug` output.
pub(crate) fn headers(pairs: &[(&str, String)]) -> Result<HeaderMap, LlmError> {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| LlmError::Config(e.to_string()))?;
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| LlmError::Config(format!("invalid value for header {name}")))?;
        value.set_sensitive(true);
        map.insert(name, value);
    }
    Ok(map)
}

/// What every HTTP provider holds: its name, base URL, model and client.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub name: String,
    pub base: String,
    pub model: String,
    pub client: reqwest::Client,
}

impl Endpoint {
    pub fn new(name: &str, base: &str, model: &str, budget: &Budget) -> Result<Endpoint, LlmError> {
        Ok(Endpoint {
            name: name.to_string(),
            base: trim_base(base),
            model: model.to_string(),
            client: client(budget)?,
        })
    }

    pub fn host(&self) -> String {
        host_of(&self.base)
    }

    pub fn is_remote(&self) -> bool {
        !crate::provider::is_loopback(&self.host())
    }

    /// POST `body` to `path` and stream the answer through `on_chunk` until it
    /// reports `done`; a body that ends first is a cut stream (`ended`).
    #[allow(clippy::too_many_arguments)]
    pub async fn stream(
        &self,
        path: &str,
        headers: HeaderMap,
        body: &serde_json::Value,
        budget: &Budget,
        cancel: &CancellationToken,
        on_token: OnToken<'_>,
        ended: &str,
        mut on_chunk: impl FnMut(Option<&[u8]>, &mut Collector<'_>) -> Result<Progress, LlmError>,
    ) -> Result<Generation, LlmError> {
        let url = format!("{}{path}", self.base);
        let mut collector = Collector::new(on_token, Instant::now());
        let mut done = false;
        stream_post(&self.client, &url, headers, body, budget, cancel, &mut collector, |chunk, c| {
            let progress = on_chunk(Some(chunk), c)?;
            done |= progress.done;
            Ok(progress)
        })
        .await?;
        if !done {
            done = on_chunk(None, &mut collector)?.done;
        }
        if !done {
            return Err(LlmError::Interrupted(format!("the stream ended before {ended}")));
        }
        Ok(collector.finish(&self.name, &self.model))
    }

    /// GET `path` and collect `list[*].key` strings (model lists).
    pub async fn names(
        &self,
        path: &str,
        headers: HeaderMap,
        budget: &Budget,
        list: &str,
        key: &str,
    ) -> Result<Vec<String>, LlmError> {
        let value = get_json(&self.client, &format!("{}{path}", self.base), headers, budget).await?;
        Ok(value
            .get(list)
            .and_then(|d| d.as_array())
            .map(|items| items.iter().filter_map(|m| m.get(key)?.as_str().map(str::to_string)).collect())
            .unwrap_or_default())
    }
}

/// The four identity methods of [`crate::Provider`] for a type with an `endpoint` field.
macro_rules! endpoint_identity {
    ($kind:literal) => {
        fn kind(&self) -> &'static str {
            $kind
        }

        fn name(&self) -> &str {
            &self.endpoint.name
        }

        fn model(&self) -> &str {
            &self.endpoint.model
        }

        fn host(&self) -> String {
            self.endpoint.host()
        }

        fn is_remote(&self) -> bool {
            self.endpoint.is_remote()
        }
    };
}
pub(crate) use endpoint_identity;

/// What the per-protocol parser made of a chunk.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Progress {
    /// The stream said it is finished.
    pub done: bool,
}

/// Accumulates an answer as it streams and times it.
pub(crate) struct Collector<'a> {
    on_token: OnToken<'a>,
    start: Instant,
    text: String,
    pieces: u32,
    counted_tokens: Option<u32>,
    first_token: Option<Duration>,
    finish: Finish,
}

impl<'a> Collector<'a> {
    pub fn new(on_token: OnToken<'a>, start: Instant) -> Collector<'a> {
        Collector {
            on_token,
            start,
            text: String::new(),
            pieces: 0,
            counted_tokens: None,
            first_token: None,
            finish: Finish::Stop,
        }
    }

    /// A piece of the answer.
    pub fn piece(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.first_token.get_or_insert_with(|| self.start.elapsed());
        self.pieces += 1;
        self.text.push_str(text);
        (self.on_token)(text);
    }

    pub fn has_token(&self) -> bool {
        self.first_token.is_some()
    }

    /// The provider's own token count, when it reports one.
    pub fn set_tokens(&mut self, tokens: u32) {
        self.counted_tokens = Some(tokens);
    }

    pub fn set_finish(&mut self, finish: Finish) {
        self.finish = finish;
    }

    pub fn finish(self, provider: &str, model: &str) -> Generation {
        Generation {
            text: self.text,
            finish: self.finish,
            tokens: self.counted_tokens.unwrap_or(self.pieces),
            provider: provider.to_string(),
            model: model.to_string(),
            first_token: self.first_token,
            total: Some(self.start.elapsed()),
            cached: false,
        }
    }
}

/// POST `body` to `url` and feed the response body to `on_chunk` as it
/// arrives, until it reports `done` or the body ends. Enforces the budget's
/// first-token and total limits (`collector` says when the first token came)
/// and returns [`LlmError::Cancelled`] as soon as `cancel` fires, dropping the
/// connection.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn stream_post(
    client: &reqwest::Client,
    url: &str,
    headers: HeaderMap,
    body: &serde_json::Value,
    budget: &Budget,
    cancel: &CancellationToken,
    collector: &mut Collector<'_>,
    mut on_chunk: impl FnMut(&[u8], &mut Collector<'_>) -> Result<Progress, LlmError>,
) -> Result<(), LlmError> {
    let start = collector.start;
    let deadline = |collector: &Collector<'_>| {
        let limit = if collector.has_token() { budget.total } else { budget.first_token.min(budget.total) };
        let stage = if collector.has_token() { Stage::Total } else { Stage::FirstToken };
        (tokio::time::Instant::from_std(start + limit), stage, limit)
    };

    let send = client.post(url).headers(headers).json(body).send();
    let (at, stage, limit) = deadline(collector);
    let response = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(LlmError::Cancelled),
        _ = tokio::time::sleep_until(at) => return Err(LlmError::Timeout { stage, after: limit }),
        response = send => response.map_err(|e| request_error(&e, url, budget))?,
    };
    let status = response.status();
    if !status.is_success() {
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = tokio::select! {
            _ = cancel.cancelled() => return Err(LlmError::Cancelled),
            _ = tokio::time::sleep(Duration::from_secs(2)) => String::new(),
            text = response.text() => text.unwrap_or_default(),
        };
        return Err(LlmError::Status { status: status.as_u16(), detail: error_detail(&body), retry_after });
    }

    // A server that ignores `"stream": true` answers with one JSON document;
    // say so rather than report a cut stream.
    let json_reply = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if json_reply {
        let (at, stage, limit) = deadline(collector);
        let body = tokio::select! {
            _ = cancel.cancelled() => return Err(LlmError::Cancelled),
            _ = tokio::time::sleep_until(at) => return Err(LlmError::Timeout { stage, after: limit }),
            text = response.text() => text.unwrap_or_default(),
        };
        return Err(LlmError::Protocol(format!(
            "asked for a stream, the server answered with a single JSON document (does it support streaming?): {}",
            shorten(&body, 120)
        )));
    }

    let mut body = response.bytes_stream();
    loop {
        let (at, stage, limit) = deadline(collector);
        let next = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(LlmError::Cancelled),
            _ = tokio::time::sleep_until(at) => return Err(LlmError::Timeout { stage, after: limit }),
            next = body.next() => next,
        };
        match next {
            None => return Ok(()),
            Some(Err(e)) => return Err(LlmError::Interrupted(e.to_string())),
            Some(Ok(chunk)) => {
                if on_chunk(&chunk, collector)?.done {
                    return Ok(());
                }
            }
        }
    }
}

/// GET `url` as JSON within the connect and first-token budgets.
pub(crate) async fn get_json(
    client: &reqwest::Client,
    url: &str,
    headers: HeaderMap,
    budget: &Budget,
) -> Result<serde_json::Value, LlmError> {
    let request = async {
        let response =
            client.get(url).headers(headers).send().await.map_err(|e| request_error(&e, url, budget))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| LlmError::Interrupted(e.to_string()))?;
        if !status.is_success() {
            return Err(LlmError::Status {
                status: status.as_u16(),
                detail: error_detail(&text),
                retry_after: None,
            });
        }
        serde_json::from_str(&text).map_err(|e| LlmError::Protocol(format!("{e} in {}", shorten(&text, 120))))
    };
    tokio::time::timeout(budget.first_token, request)
        .await
        .map_err(|_| LlmError::Timeout { stage: Stage::FirstToken, after: budget.first_token })?
}

fn request_error(e: &reqwest::Error, url: &str, budget: &Budget) -> LlmError {
    let host = host_of(url);
    if e.is_timeout() {
        return LlmError::Timeout { stage: Stage::Connect, after: budget.connect };
    }
    // The chain's own message is the useful part ("Connection refused").
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        detail = inner.to_string();
        source = inner.source();
    }
    if e.is_connect() {
        LlmError::Connect { host, detail }
    } else {
        LlmError::Interrupted(detail)
    }
}

/// The message inside a JSON error body (`{"error": {"message": ...}}`,
/// `{"error": "..."}`), else the body itself, shortened.
pub(crate) fn error_detail(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let message = parsed.as_ref().and_then(|v| {
        let error = v.get("error")?;
        error.get("message").and_then(|m| m.as_str()).or_else(|| error.as_str()).map(str::to_string)
    });
    shorten(message.as_deref().unwrap_or(body.trim()), 200)
}

/// A JSON value from one event's text, as a protocol error when malformed.
pub(crate) fn parse_event(data: &str) -> Result<serde_json::Value, LlmError> {
    serde_json::from_str(data).map_err(|e| LlmError::Protocol(format!("{e} in {}", shorten(data, 120))))
}

/// A base URL without its trailing slash.
pub(crate) fn trim_base(url: &str) -> String {
    url.trim_end_matches('/').to_string()
}

/// The host part of a URL, for the audit log and locality checks.
pub(crate) fn host_of(url: &str) -> String {
    reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default()
}
