//! AI review findings over LSP: the review program's answer becomes
//! `aura-ai` diagnostics on the lines the model named (shown with the file's
//! line numbers), on save when `ai.review_on_save` is set and on demand;
//! findings move with edits above them and go when their own line is edited.
//!
//! The model here is a scripted chat server, NOT a model: it streams a fixed
//! answer in OpenAI's SSE format and records each request, so the test can
//! pin what Aura does with a known answer (the real-model path is covered by
//! `ai_model.rs` and the providers' own tests).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::support::Client;

const CODE: &str = "\
import sqlite3


def find_user(db, name):
    cur = db.cursor()
    cur.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")
    rows = cur.fetchall()
    return rows[0]
";

/// Answers every chat request with the next scripted answer (the last one
/// repeats) and keeps the request bodies.
struct ScriptedChat {
    url: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl ScriptedChat {
    fn start(answers: Vec<&'static str>) -> ScriptedChat {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let seen = bodies.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    continue;
                }
                let n = {
                    let mut seen = seen.lock().unwrap();
                    seen.push(String::from_utf8_lossy(&body).into_owned());
                    seen.len()
                };
                let answer = answers[(n - 1).min(answers.len() - 1)];
                let mut sse = String::new();
                for piece in answer.split_inclusive('\n') {
                    let chunk =
                        json!({"model": "scripted", "choices": [{"index": 0, "delta": {"content": piece}}]});
                    sse.push_str(&format!("data: {chunk}\n\n"));
                }
                sse.push_str("data: [DONE]\n\n");
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    sse.len()
                );
                let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(sse.as_bytes()));
            }
        });
        ScriptedChat { url, bodies }
    }

    fn requests(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }
}

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
