//! initialize / initialized / shutdown / exit and what the server advertises.

use serde_json::json;

use crate::support::Client;

#[test]
fn lifecycle_advertises_only_what_works() {
    let mut client = Client::start();
    let resp = client.initialize();
    let caps = &resp["result"]["capabilities"];
    assert_eq!(resp["result"]["serverInfo"]["name"], "aura");
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["save"]["includeText"], true);
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "refactor.rewrite", "source", "source.aura"])
    );
    assert_eq!(caps["codeActionProvider"]["resolveProvider"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["codeLensProvider"]["resolveProvider"], false);
    assert_eq!(
        caps["executeCommandProvider"]["commands"],
        json!([
            "aura.functionMetrics",
            "aura.route",
            "aura.runProgram",
            "aura.feedback",
            "aura.undoLastAiEdit",
            "aura.doctor",
            "aura.impact",
            "aura.commitMessage",
            "aura.branchName",
            "aura.hotspots",
            "aura.shape",
            "aura.openNearCopy"
        ])
    );
    for absent in ["completionProvider", "definitionProvider"] {
        assert!(caps.get(absent).is_none(), "{absent} is advertised but not implemented");
    }
    assert!(client.shutdown().success());
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut client = Client::start();
    client.initialize();
    client.notify("exit", serde_json::Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn utf8_is_chosen_when_offered() {
    let mut client = Client::start();
    let resp =
        client.initialize_with(json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}), json!(null));
    assert_eq!(resp["result"]["capabilities"]["positionEncoding"], "utf-8");
    let mut client = Client::start();
    let resp =
        client.initialize_with(json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}), json!(null));
    assert_eq!(resp["result"]["capabilities"]["positionEncoding"], "utf-16");
}

#[test]
fn document_symbols_are_hierarchical() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/aura-e2e/shapes.py";
    client.open(
        uri,
        "python",
        1,
        "class Shape:\n    def area(self):\n        return 0\n\ndef main():\n    pass\n",
    );
    let resp = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let symbols = resp["result"].as_array().expect("symbols");
    assert_eq!(symbols.len(), 2, "{resp}");
    assert_eq!(symbols[0]["name"], "Shape");
    assert_eq!(symbols[0]["kind"], 5, "class");
    assert_eq!(symbols[0]["children"][0]["name"], "area");
    assert_eq!(symbols[0]["children"][0]["kind"], 6, "method");
    assert_eq!(symbols[0]["children"][0]["selectionRange"]["start"], json!({"line": 1, "character": 8}));
    assert_eq!(symbols[1]["name"], "main");
    assert_eq!(symbols[1]["kind"], 12, "function");
}

/// A server initialized on a fresh workspace whose `.aura/config.toml` is
/// `config`; the folder lives as long as the returned guard.
fn start_with_workspace_config(config: &str) -> (tempfile::TempDir, Client, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aura")).unwrap();
    std::fs::write(dir.path().join(".aura/config.toml"), config).unwrap();
    let mut client = Client::start_in(Some(dir.path()), &[]);
    let root = format!("file://{}", dir.path().display());
    client.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": {}}));
    client.notify("initialized", json!({}));
    (dir, client, root)
}

#[test]
fn invalid_workspace_config_is_reported_and_defaults_stay() {
    let (_dir, mut client, root) = start_with_workspace_config("[diagnostics]\ndebounce = 5\n");
    let msg = client
        .wait_for(|m| m["method"] == "window/showMessage")
        .expect("a showMessage about the invalid config");
    let text = msg["params"]["message"].as_str().unwrap();
    assert!(text.contains("config.toml:2:1"), "{text}");
    assert!(text.contains("did you mean `debounce_ms`?"), "{text}");
    // The server still works with the defaults.
    let uri = format!("{root}/a.py");
    client.open(&uri, "python", 1, "x = (\n");
    assert_eq!(client.diagnostics(&uri, Some(1)).len(), 1);
}

#[test]
fn rule_selectors_that_match_nothing_are_shown_once() {
    let (_dir, mut client, root) = start_with_workspace_config("[rules]\nignore = [\"AUR9\"]\n");
    let msg = client.wait_for(|m| m["method"] == "window/showMessage").expect("warning");
    assert_eq!(msg["params"]["type"], 2, "a warning: {msg}");
    let text = msg["params"]["message"].as_str().unwrap();
    assert!(text.contains("`AUR9` matches no rule code"), "{text}");
    // The same configuration again (the editor re-sends its settings) does not repeat it.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    let uri = format!("{root}/a.py");
    client.open(&uri, "python", 1, "x = (\n");
    assert_eq!(client.diagnostics(&uri, Some(1)).len(), 1, "the rules still run");
    assert!(!client.received(|m| m["method"] == "window/showMessage"), "shown once");
}

#[test]
fn workspace_config_changes_apply_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start_in(Some(dir.path()), &[]);
    let root = format!("file://{}", dir.path().display());
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    client.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": caps}));
    client.notify("initialized", json!({}));
    let registration =
        client.wait_for(|m| m["method"] == "client/registerCapability").expect("watch registration");
    assert_eq!(
        registration["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/.aura/config.toml"
    );
    let uri = format!("{root}/a.py");
    client.open(&uri, "python", 1, "x = (\n");
    assert_eq!(client.diagnostics(&uri, Some(1)).len(), 1);

    std::fs::create_dir_all(dir.path().join(".aura")).unwrap();
    let config = dir.path().join(".aura/config.toml");
    std::fs::write(&config, "[diagnostics]\nenable = false\ndebounce_ms = 5\n").unwrap();
    let changed = json!({"changes": [{"uri": format!("{root}/.aura/config.toml"), "type": 1}]});
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    assert!(client.diagnostics(&uri, Some(1)).is_empty(), "diagnostics turned off");

    // An invalid edit is reported and the last good configuration stays.
    std::fs::write(&config, "[diagnostics]\nenable = \"no\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed);
    let msg = client.wait_for(|m| m["method"] == "window/showMessage").expect("error message");
    assert!(msg["params"]["message"].as_str().unwrap().contains("config.toml:2:10"), "{msg}");
    client.change(&uri, 2, json!([{"range": crate::support::range((0, 0), (0, 0)), "text": "y = 1\n"}]));
    assert!(client.diagnostics(&uri, Some(2)).is_empty(), "still off");
}
