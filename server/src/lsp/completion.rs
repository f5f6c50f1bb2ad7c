//! Inline completion: `aura/inlineCompletion`, also answered under LSP
//! 3.18's `textDocument/inlineCompletion`, returning an
//! `InlineCompletionList`. One model call on the completion chain per
//! request; a newer request for the same document, an edit on the cursor's
//! line, `$/cancelRequest` (the dropped request future) or shutdown stops
//! the call. Every failure is an empty list: ghost text never shows errors.

use aura_ide::ai::Role;
use aura_ide::completion;
use aura_llm::{CancellationToken, GenRequest, LlmError};
use aura_syntax::offset_at;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_lsp::jsonrpc::{Error, Result as RpcResult};
use tower_lsp::lsp_types as lsp;

use super::{convert, not_open, State};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InlineCompletionParams {
    pub text_document: lsp::TextDocumentIdentifier,
    pub position: lsp::Position,
}

fn empty() -> Value {
    json!({"items": []})
}

pub(crate) async fn inline_completion(state: &State, params: InlineCompletionParams) -> RpcResult<Value> {
    let config = state.config();
    let providers = state.providers();
    if !config.ai.enable || !config.ai.completion.enable || !providers.is_available() {
        return Ok(empty());
    }
    let uri = params.text_document.uri;
    let key = uri.to_string();
    let (snapshot, version, desynced) = state.docs.snapshot(&key).ok_or_else(|| not_open(&key))?;
    if desynced || State::too_large(&snapshot, &config) {
        return Ok(empty());
    }
    let offset = offset_at(&snapshot.text, convert::line_col(params.position), state.encoding());
    let cursor = completion::cursor(&snapshot.text, offset);
    let (prompt, stop) = completion::prompt(&cursor, config.ai.completion.fim);

    let cancel = CancellationToken::new();
    // Dropped with this future, which is what `$/cancelRequest` does to it.
    let _cancel_on_drop = cancel.clone().drop_guard();
    state.ai.supersede_completion(&key, cancel.clone());
    let line = params.position.line + 1;
    let _inflight = state.ai.track(&uri, (line, line), cancel.clone());

    let chain = providers.chain(Role::Completion);
    let call = providers.call("inline-completion", uri.to_file_path().ok().as_deref(), false);
    let mut request = GenRequest::complete(prompt, completion::MAX_TOKENS);
    request.stop = stop;
    let answer = match chain.generate(&request, &call, &|_| {}, &cancel).await {
        Ok(outcome) => outcome.generation.text,
        Err(LlmError::Cancelled) => return Err(Error::request_cancelled()),
        Err(e) => {
            tracing::debug!(uri = %key, "inline completion failed: {e}");
            state.report_health(&chain).await;
            return Ok(empty());
        }
    };
    if state.docs.version(&key) != Some(version) {
        return Ok(empty());
    }
    let language = snapshot.language;
    let text = snapshot.text.clone();
    let suggestion =
        tokio::task::spawn_blocking(move || completion::suggestion(&answer, &text, &cursor, language))
            .await
            .ok()
            .flatten();
    Ok(match suggestion {
        Some(insert) => json!({"items": [{
            "insertText": insert,
            "range": {"start": params.position, "end": params.position},
        }]}),
        None => empty(),
    })
}
