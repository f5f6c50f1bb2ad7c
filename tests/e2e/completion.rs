//! Inline completion over LSP: the capability, the fill-in-the-middle prompt
//! and the trimming of the answer (against `ScriptedChat`, NOT a model), and
//! the embedded SmolLM2 answering, repeatably, with newer requests and
//! `$/cancelRequest` stopping older ones.

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::{Client, ScriptedChat};

/// A model answer on a loaded CI machine (other tests run models at the same
/// time) takes far longer than protocol work.
const MODEL_LIMIT: Duration = Duration::from_secs(240);

const CODE: &str = "def add(a, b):\n    return \n\n\nprint(add(1, 2))\n";

fn params(uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 11}, "context": {"triggerKind": 2}})
}

fn open(client: &mut Client, dir: &std::path::Path) -> String {
    let uri = format!("file://{}", dir.join("calc.py").display());
    client.open(&uri, "python", 1, CODE);
    client.diagnostics(&uri, Some(1));
    uri
}

fn texts(result: &Value) -> Vec<String> {
    result["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["insertText"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_sends_the_code_around_the_cursor_and_keeps_what_fits() {
    let chat = ScriptedChat::start(vec!["a + b\n\n\ndef sub(a, b):\n    return a - b\n", "a + (b"]);
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start_in(Some(dir.path()), &[]);
    let init = client.initialize_with(
        json!({}),
        json!({"ai": {"cache": {"enable": false}, "completion": {"fim": "starcoder"},
               "providers": {"script": {"kind": "openai", "url": chat.url, "model": "scripted"}}}}),
    );
    assert_eq!(init["result"]["capabilities"]["inlineCompletionProvider"], json!({}), "{init}");
    let uri = open(&mut client, dir.path());

    let first = client.request("aura/inlineCompletion", params(&uri));
    assert_eq!(texts(&first["result"]), vec!["a + b"], "the rest of the block only: {first}");
    assert_eq!(first["result"]["items"][0]["range"]["start"], json!({"line": 1, "character": 11}));
    let sent = &chat.requests()[0];
    assert!(sent.starts_with("/v1/completions\n"), "{sent}");
    assert!(
        sent.contains(
            r#"<fim_prefix>def add(a, b):\n    return <fim_suffix>\n\n\nprint(add(1, 2))\n<fim_middle>"#
        ),
        "{sent}"
    );

    // The standard method answers the same way; an answer that would break the syntax is not offered.
    let second = client.request("textDocument/inlineCompletion", params(&uri));
    assert_eq!(second["result"], json!({"items": []}), "{second}");
    assert_eq!(chat.requests().len(), 2);
    client.shutdown();
}

#[test]
fn the_embedded_model_completes_repeatably_and_stops_when_superseded_or_cancelled() {
    let model = crate::ai_model::model_path();
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start_in(
        Some(dir.path()),
        &[
            ("AURA_LLM_MODEL", &model),
            ("AURA_AI_TIMEOUTS_FIRST_TOKEN_MS", "180000"),
            ("AURA_AI_TIMEOUTS_TOTAL_MS", "600000"),
        ],
    );
    client.initialize_with(json!({}), json!({"ai": {"cache": {"enable": false}}}));
    let uri = open(&mut client, dir.path());

    // A newer request for the same document supersedes the one before.
    let older = client.request_async("aura/inlineCompletion", params(&uri));
    let newer = client.request_async("aura/inlineCompletion", params(&uri));
    let older = client.response_within(older, MODEL_LIMIT);
    assert_eq!(older["error"]["code"], -32800, "superseded: {older}");
    let first = client.response_within(newer, MODEL_LIMIT);
    let suggestion = texts(&first["result"]);
    assert_eq!(suggestion.len(), 1, "the model suggests something: {first}");

    // Greedy decoding, no cache: the same request gives the same text.
    let again = client.request_async("aura/inlineCompletion", params(&uri));
    let again = client.response_within(again, MODEL_LIMIT);
    assert_eq!(texts(&again["result"]), suggestion);

    // `$/cancelRequest` answers at once, and the model is free for the next request.
    let cancelled = client.request_async("aura/inlineCompletion", params(&uri));
    client.notify("$/cancelRequest", json!({"id": cancelled}));
    let reply = client.response_within(cancelled, Duration::from_secs(10));
    assert_eq!(reply["error"]["code"], -32800, "{reply}");
    let after = client.request_async("aura/inlineCompletion", params(&uri));
    let after = client.response_within(after, MODEL_LIMIT);
    assert_eq!(texts(&after["result"]), suggestion);
    client.shutdown();
}
