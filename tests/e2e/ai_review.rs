//! AI review findings over LSP: the review program's answer becomes
//! `aura-ai` diagnostics on the lines the model named (shown with the file's
//! line numbers), on save when `ai.review_on_save` is set and on demand;
//! findings move with edits above them and go when their own line is edited.
//!
//! The model here is `ScriptedChat`, NOT a model (see `support.rs`), so the
//! test can pin what Aura does with a known answer (the real-model path is
//! covered by `ai_model.rs` and the providers' own tests).

use serde_json::json;

use crate::support::{Client, ScriptedChat};

const CODE: &str = "\
import sqlite3


def find_user(db, name):
    cur = db.cursor()
    cur.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")
    rows = cur.fetchall()
    return rows[0]
";

fn start(dir: &std::path::Path, chat: &ScriptedChat) -> (Client, String) {
    let root = std::fs::canonicalize(dir).unwrap();
    std::fs::write(root.join("users.py"), CODE).unwrap();
    let mut client = Client::start_in(Some(&root), &[]);
    let options = json!({
        "diagnostics": {"debounce_ms": 5},
        "ai": {
            "review_on_save": true,
            "cache": {"enable": false},
            "providers": {"script": {"kind": "openai", "url": chat.url, "model": "scripted"}},
        },
    });
    client.send(&json!({"jsonrpc": "2.0", "id": 900, "method": "initialize", "params": {
        "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {},
        "initializationOptions": options}}));
    client.response(900);
    client.notify("initialized", json!({}));
    let uri = format!("file://{}", root.join("users.py").display());
    client.open(&uri, "python", 1, CODE);
    client.diagnostics(&uri, Some(1));
    (client, uri)
}

/// The `aura-ai` diagnostics, as (0-based line, severity, message), of the
/// next publication at `version` that has some (`any`) or has none.
fn ai_findings(client: &mut Client, uri: &str, version: i64, any: bool) -> Vec<(u64, u64, String)> {
    let msg = client
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["source"] == "aura-ai"))
                    == any
        })
        .unwrap_or_else(|| panic!("no publication for version {version}"));
    msg["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["source"] == "aura-ai")
        .map(|d| {
            assert_eq!(d["code"], "code-review", "{d}");
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["severity"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn review_findings_become_diagnostics_that_follow_edits() {
    let chat = ScriptedChat::start(vec![
        "Two problems:\n\n\
         6: high: SQL built by concatenating `name` — pass it as a parameter\n\
         - Line 8: low: `rows[0]` fails on no match — return None when empty\n\
         12: warning: a line the review never saw\n",
        "I found nothing worth changing.",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let (mut client, uri) = start(dir.path(), &chat);

    // On save: a review of the whole file, shown as diagnostics on lines 6 and 8.
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    let found = ai_findings(&mut client, &uri, 1, true);
    let warning = 2;
    let information = 3;
    assert_eq!(
        found,
        vec![
            (5, warning, "SQL built by concatenating `name` — pass it as a parameter".to_string()),
            (7, information, "`rows[0]` fails on no match — return None when empty".to_string()),
        ]
    );
    let requests = chat.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].contains("6 | "), "the model sees file line numbers: {}", requests[0]);

    // Two lines inserted at the top: both findings move down by two.
    client.change(&uri, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# users\n\n"}]));
    let moved: Vec<u64> = ai_findings(&mut client, &uri, 2, true).iter().map(|f| f.0).collect();
    assert_eq!(moved, vec![7, 9]);

    // Editing the SQL line itself retires its finding; the other stays.
    client.change(&uri, 3, json!([{"range": {"start": {"line": 7, "character": 4}, "end": {"line": 7, "character": 7}}, "text": "cursor"}]));
    let left: Vec<u64> = ai_findings(&mut client, &uri, 3, true).iter().map(|f| f.0).collect();
    assert_eq!(left, vec![9]);

    // On demand, over the whole file: the review finds nothing, which clears its old finding.
    let reply = client.request(
        "workspace/executeCommand",
        json!({"command": "aura.runProgram", "arguments": [{
            "uri": uri, "program": 43,
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 11, "character": 0}}}]}),
    );
    assert_eq!(reply["result"]["findings"], json!([]), "{reply}");
    assert!(ai_findings(&mut client, &uri, 3, false).is_empty());
    assert_eq!(chat.requests().len(), 2);
    client.shutdown();
}

#[test]
fn run_program_prints_review_findings_with_file_lines() {
    let chat =
        ScriptedChat::start(vec!["6: high: SQL built by concatenating `name` — pass it as a parameter\n"]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("users.py"), CODE).unwrap();
    std::fs::create_dir(dir.path().join(".aura")).unwrap();
    std::fs::write(
        dir.path().join(".aura/config.toml"),
        format!("[ai.cache]\nenable = false\n\n[ai.providers.script]\nkind = \"openai\"\nurl = \"{}\"\nmodel = \"scripted\"\n", chat.url),
    )
    .unwrap();
    let out = crate::support::aura()
        .args(["run-program", "code-review", "--file", "users.py", "--line", "5", "--format", "json"])
        .current_dir(dir.path())
        .env("XDG_CONFIG_HOME", "/nonexistent-aura-test-config")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        reply["findings"],
        json!([{"line": 6, "severity": "warning", "message": "SQL built by concatenating `name` — pass it as a parameter"}])
    );
    let sent = &chat.requests()[0];
    assert!(sent.contains("4 | def find_user(db, name):"), "numbered function: {sent}");
}
