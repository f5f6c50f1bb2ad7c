//! Malformed and hostile input gets JSON-RPC errors or is skipped; the server
//! stays up and keeps answering.

use serde_json::{json, Value};

use crate::support::Client;

fn error_code(resp: &Value) -> i64 {
    resp["error"]["code"].as_i64().unwrap_or_else(|| panic!("expected an error: {resp}"))
}

fn still_answers(client: &mut Client) {
    let resp =
        client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": "file:///nope.py"}}));
    assert!(resp.get("error").is_some() || resp.get("result").is_some(), "{resp}");
    assert!(client.is_running());
}

#[test]
fn request_before_initialize_is_refused() {
    let mut client = Client::start();
    let resp =
        client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": "file:///a.py"}}));
    assert_eq!(error_code(&resp), -32002);
    client.initialize();
    still_answers(&mut client);
}

#[test]
fn invalid_json_gets_a_parse_error() {
    let mut client = Client::start();
    client.initialize();
    let body = br#"{"jsonrpc":"2.0","id":99,"method":"#;
    client.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    client.send_raw(body);
    let resp = client.wait_for(|m| m.get("error").is_some()).expect("parse error response");
    assert_eq!(error_code(&resp), -32700);
    still_answers(&mut client);
}

#[test]
fn unknown_method_and_bad_params() {
    let mut client = Client::start();
    client.initialize();
    let resp = client.request("aura/doesNotExist", json!({}));
    assert_eq!(error_code(&resp), -32601);
    client.notify("$/someUnknownNotification", json!({"x": 1}));
    let resp = client.request("textDocument/documentSymbol", json!({"wrong": true}));
    assert_eq!(error_code(&resp), -32602);
    let resp = client
        .request("textDocument/documentSymbol", json!({"textDocument": {"uri": "file:///never-opened.py"}}));
    assert_eq!(error_code(&resp), -32602);
    // Changes to a document that was never opened are ignored.
    client.change("file:///never-opened.py", 2, json!([{"text": "x"}]));
    still_answers(&mut client);
}

#[test]
fn stale_version_and_bad_range_do_not_corrupt() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/aura-e2e/stale.py";
    client.open(uri, "python", 5, "x = 1\n");
    client.change(uri, 4, json!([{"range": crate::support::range((0, 0), (0, 0)), "text": "BAD"}]));
    let state = client.document_text(uri);
    assert_eq!(state["text"], "x = 1\n");
    assert_eq!(state["desynced"], true);
    // A full-text change resyncs.
    client.change(uri, 6, json!([{"text": "y = 2\n"}]));
    let state = client.document_text(uri);
    assert_eq!((state["text"].as_str(), state["desynced"].as_bool()), (Some("y = 2\n"), Some(false)));
    // A reversed range is refused whole; a save with text resyncs.
    client.change(uri, 7, json!([{"range": crate::support::range((0, 3), (0, 1)), "text": ""}]));
    assert_eq!(client.document_text(uri)["text"], "y = 2\n");
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}, "text": "z = 3\n"}));
    let state = client.document_text(uri);
    assert_eq!((state["text"].as_str(), state["desynced"].as_bool()), (Some("z = 3\n"), Some(false)));
}

#[test]
fn huge_line_and_binary_content_are_survived() {
    let mut client = Client::start();
    client.initialize();
    // 100 MB on one line: over files.max_size, so kept as text, not analysed.
    let huge = format!("x = '{}'\n", "a".repeat(100 * 1024 * 1024));
    let uri = "file:///tmp/aura-e2e/huge.py";
    client.open(uri, "python", 1, &huge);
    drop(huge);
    assert!(client.diagnostics(uri, Some(1)).is_empty());
    client.change(uri, 2, json!([{"range": crate::support::range((0, 0), (0, 1)), "text": "y"}]));
    assert!(client.diagnostics(uri, Some(2)).is_empty());
    let resp = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert_eq!(resp["result"], json!([]), "too large to parse for symbols");
    // NUL bytes and control characters in a "Python" file.
    let uri = "file:///tmp/aura-e2e/blob.py";
    let binary: String = (0u8..=255).map(char::from).cycle().take(4096).collect();
    client.open(uri, "python", 1, &binary);
    client.diagnostics(uri, Some(1));
    still_answers(&mut client);
}

#[test]
fn invalid_utf8_body_does_not_kill_the_server() {
    let mut client = Client::start();
    client.initialize();
    let mut body = br#"{"jsonrpc":"2.0","method":"$/x","params":{"s":""#.to_vec();
    body.extend([0xff, 0xfe]);
    body.extend(br#""}}"#);
    client.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    client.send_raw(&body);
    still_answers(&mut client);
}
