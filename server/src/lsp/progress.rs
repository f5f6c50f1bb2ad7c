//! Work-done progress (`$/progress`) for long server work — the workspace
//! scan and streamed AI answers — when the editor supports it; a no-op
//! otherwise. Reports are throttled to ten a second: progress is for people.

use std::time::{Duration, Instant};

use tower_lsp::lsp_types as lsp;

use super::State;

pub(crate) struct Progress {
    token: Option<lsp::NumberOrString>,
    last: std::sync::Mutex<Instant>,
}

impl Progress {
    /// Create the token `name` and send `begin` with `title` and `message`.
    pub(crate) async fn begin(state: &State, name: &str, title: &str, message: String) -> Progress {
        let none = Progress { token: None, last: std::sync::Mutex::new(Instant::now()) };
        if !state.supports_progress() {
            return none;
        }
        let token = lsp::NumberOrString::String(name.to_string());
        let create = lsp::WorkDoneProgressCreateParams { token: token.clone() };
        if let Err(err) = state.client.send_request::<lsp::request::WorkDoneProgressCreate>(create).await {
            tracing::debug!("progress not available: {err}");
            return none;
        }
        let begin = lsp::WorkDoneProgress::Begin(lsp::WorkDoneProgressBegin {
            title: title.to_string(),
            cancellable: Some(false),
            message: Some(message),
            percentage: Some(0),
        });
        notify(state, &token, begin).await;
        Progress { token: Some(token), last: std::sync::Mutex::new(Instant::now()) }
    }

    /// Report `message`; dropped when the last report was under 100 ms ago, unless `force`.
    pub(crate) async fn report(&self, state: &State, message: String, percentage: Option<u32>, force: bool) {
        let Some(token) = &self.token else { return };
        {
            let Ok(mut last) = self.last.lock() else { return };
            if last.elapsed() < Duration::from_millis(100) && !force {
                return;
            }
            *last = Instant::now();
        }
        let report = lsp::WorkDoneProgress::Report(lsp::WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(message),
            percentage,
        });
        notify(state, token, report).await;
    }

    pub(crate) async fn end(&self, state: &State, message: String) {
        let Some(token) = &self.token else { return };
        let end = lsp::WorkDoneProgress::End(lsp::WorkDoneProgressEnd { message: Some(message) });
        notify(state, token, end).await;
    }
}

async fn notify(state: &State, token: &lsp::NumberOrString, value: lsp::WorkDoneProgress) {
    let params =
        lsp::ProgressParams { token: token.clone(), value: lsp::ProgressParamsValue::WorkDone(value) };
    state.client.send_notification::<lsp::notification::Progress>(params).await;
}
