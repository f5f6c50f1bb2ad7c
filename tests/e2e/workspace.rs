//! The workspace beyond open files: the background scan with `$/progress`,
//! cross-file duplicates with related information, and pull diagnostics.

use std::path::Path;

use serde_json::{json, Value};

use crate::support::Client;

const BODY: &str = "def load_users(path, limit):\n    with open(path) as f:\n        rows = [line.split(',') for line in f if line.strip()]\n    users = [User(r[0], r[1], int(r[2])) for r in rows if len(r) == 3]\n    return users[:limit]\n";

fn uri(path: &Path) -> String {
    let dir = std::fs::canonicalize(path.parent().unwrap()).unwrap();
    format!("file://{}", dir.join(path.file_name().unwrap()).display())
}

/// A workspace with one duplicated function: `a.py` and `pkg/b.py`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), BODY).unwrap();
    std::fs::create_dir(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/b.py"), format!("import os\n\n{BODY}")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not source").unwrap();
    dir
}

fn start(dir: &Path, capabilities: Value) -> (Client, Value) {
    let mut client = Client::start_in(Some(dir), &[]);
    let resp = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir), "capabilities": capabilities,
               // BODY is a 5-line copy: under the default 100 tokens over 10 lines.
               "initializationOptions": {"diagnostics": {"debounce_ms": 5},
                   "rules": {"thresholds": {"duplicate_tokens": 50, "duplicate_lines": 5}}}}),
    );
    client.notify("initialized", json!({}));
    (client, resp)
}

/// The next published diagnostics for `uri` satisfying `pred`.
fn published(client: &mut Client, uri: &str, mut pred: impl FnMut(&[Value]) -> bool) -> Vec<Value> {
    let msg = client
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && pred(m["params"]["diagnostics"].as_array().map(Vec::as_slice).unwrap_or(&[]))
        })
        .unwrap_or_else(|| panic!("no matching diagnostics for {uri}"));
    msg["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn scan_reports_progress_and_finds_copies_in_closed_files() {
    let dir = workspace();
    let (mut client, _) = start(dir.path(), json!({"window": {"workDoneProgress": true}}));
    let create =
        client.wait_for(|m| m["method"] == "window/workDoneProgress/create").expect("progress token");
    let token = create["params"]["token"].clone();
    let begin = client
        .wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin")
        .expect("progress begins");
    assert_eq!(begin["params"]["token"], token);
    assert_eq!(begin["params"]["value"]["message"], "0/2 files");
    let end = client
        .wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end")
        .expect("progress ends");
    assert_eq!(end["params"]["value"]["message"], "indexed 2 files");

    let a = uri(&dir.path().join("a.py"));
    let b = uri(&dir.path().join("pkg/b.py"));
    // The pair is one finding, on the later copy (pkg/b.py), pointing at a.py.
    let b_text = format!("import os\n\n{BODY}");
    client.open(&b, "python", 1, &b_text);
    let found = published(&mut client, &b, |d| d.iter().any(|d| d["code"] == "AUR401"));
    let clone = found.iter().find(|d| d["code"] == "AUR401").unwrap();
    assert_eq!(clone["message"].as_str().unwrap().split(" duplicated at ").nth(1), Some("a.py:1–5"));
    let related = &clone["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], a.as_str());
    assert_eq!(related["location"]["range"]["start"]["line"], 0);
    assert_eq!(clone["range"]["start"]["line"], 2);
    assert_eq!(clone["range"]["end"]["line"], 6);
    // The earlier copy reports nothing of it.
    client.open(&a, "python", 1, BODY);
    let first = published(&mut client, &a, |_| true);
    assert!(first.iter().all(|d| d["code"] != "AUR401"), "{first:?}");

    // Editing the copy away clears the finding; the index follows the buffer.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": b, "version": 2}, "contentChanges": [{"text": "print('gone')\n"}]}),
    );
    // Opening a.py may re-publish b.py first; wait for the publish that clears it.
    let after = published(&mut client, &b, |d| d.iter().all(|d| d["code"] != "AUR401"));
    assert!(after.iter().all(|d| d["code"] != "AUR401"), "{after:?}");
    assert!(client.shutdown().success());
}

#[test]
fn two_open_copies_see_each_other_after_save() {
    let dir = workspace();
    std::fs::remove_file(dir.path().join("pkg/b.py")).unwrap();
    let (mut client, _) = start(dir.path(), json!({}));
    let a = uri(&dir.path().join("a.py"));
    let c = uri(&dir.path().join("c.py"));
    client.open(&a, "python", 1, BODY);
    published(&mut client, &a, |_| true);
    // A new, unsaved file that repeats a.py: found on its first analysis...
    client.open(&c, "python", 1, &format!("# new\n{BODY}"));
    let found = published(&mut client, &c, |d| d.iter().any(|d| d["code"] == "AUR401"));
    assert_eq!(found.iter().filter(|d| d["code"] == "AUR401").count(), 1);
    // ...and a new file that sorts before a.py makes a.py the later copy,
    // which a.py learns when that file is saved.
    let first = uri(&dir.path().join("0_users.py"));
    client.open(&first, "python", 1, BODY);
    let own = published(&mut client, &first, |_| true);
    assert!(own.iter().all(|d| d["code"] != "AUR401"), "the earlier copy: {own:?}");
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": first}}));
    published(&mut client, &a, |d| d.iter().any(|d| d["code"] == "AUR401"));
    assert!(client.shutdown().success());
}

#[test]
fn editors_that_pull_get_document_and_workspace_reports() {
    let dir = workspace();
    let (mut client, resp) = start(dir.path(), json!({"textDocument": {"diagnostic": {}}}));
    let provider = &resp["result"]["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["identifier"], "aura");
    assert_eq!(provider["interFileDependencies"], true);
    assert_eq!(provider["workspaceDiagnostics"], true);

    let a = uri(&dir.path().join("a.py"));
    let b = uri(&dir.path().join("pkg/b.py"));
    // The scan is done when the server asks the editor to re-pull.
    client.wait_for(|m| m["method"] == "workspace/diagnostic/refresh").expect("refresh after the scan");
    let before = client.request("workspace/diagnostic", json!({"previousResultIds": []}))["result"].clone();
    let mut reports: Vec<(String, Vec<Value>)> = before["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let codes = r["items"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect();
            (r["uri"].as_str().unwrap().to_string(), codes)
        })
        .collect();
    reports.sort_by(|x, y| x.0.cmp(&y.0));
    // One finding for the pair, on its later copy.
    assert_eq!(reports, vec![(a.clone(), vec![]), (b.clone(), vec![json!("AUR401")])]);
    let b_id = before["items"].as_array().unwrap().iter().find(|r| r["uri"] == b.as_str()).unwrap()
        ["resultId"]
        .clone();
    client.open(&a, "python", 1, "def f(x):\n    if x == None:\n        return 1\n");
    let report =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": a}}))["result"].clone();
    assert_eq!(report["kind"], "full");
    let codes: Vec<_> = report["items"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect();
    assert_eq!(codes, vec![json!("AUR206")]);
    let again = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": a}, "previousResultId": report["resultId"]}),
    );
    assert_eq!(again["result"]["kind"], "unchanged", "{again}");

    let workspace = client
        .request("workspace/diagnostic", json!({"previousResultIds": [{"uri": b, "value": b_id}]}))["result"]
        .clone();
    let items = workspace["items"].as_array().unwrap();
    // a.py is open, so only b.py is reported here; its copy in a.py is on disk still.
    assert_eq!(items.len(), 1, "{workspace:#}");
    assert_eq!(items[0]["uri"], b.as_str());
    let codes: Vec<_> = items[0]["items"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect();
    assert_eq!(items[0]["kind"], "full", "b.py changed: its copy in a.py is gone");
    assert!(codes.is_empty(), "a.py's buffer no longer holds the copy: {codes:?}");
    let same = client.request(
        "workspace/diagnostic",
        json!({"previousResultIds": [{"uri": b, "value": items[0]["resultId"]}]}),
    );
    assert_eq!(same["result"]["items"][0]["kind"], "unchanged", "{same}");

    // No publishDiagnostics in pull mode (a request as a barrier after the debounce).
    std::thread::sleep(std::time::Duration::from_millis(100));
    client.request("aura/documentText", json!({"uri": a}));
    assert!(!client.received(|m| m["method"] == "textDocument/publishDiagnostics"));
    assert!(client.shutdown().success());
}

/// A generated file open in the editor shows its syntax errors only; a
/// template shows nothing (neither is hand-written code).
#[test]
fn generated_files_and_templates_show_only_what_applies() {
    let dir = workspace();
    let (mut client, _) = start(dir.path(), json!({}));
    let generated = uri(&dir.path().join("api_pb2.py"));
    let source = "# Generated by the protocol buffer compiler.  DO NOT EDIT!\ntry:\n    x = 1\nexcept:\n    pass\ndef f(:\n    pass\n";
    client.open(&generated, "python", 1, source);
    let found = published(&mut client, &generated, |d| !d.is_empty());
    let codes: Vec<_> = found.iter().map(|d| d["code"].as_str().unwrap().to_string()).collect();
    assert!(!codes.is_empty() && codes.iter().all(|c| c == "AUR001"), "{codes:?}");
    let template = uri(&dir.path().join("page.py"));
    client.open(&template, "python", 1, "{% if user %}\ntry:\n    x = 1\nexcept:\n    pass\n{% endif %}\n");
    let none = published(&mut client, &template, |_| true);
    assert!(none.is_empty(), "{none:?}");
    assert!(client.shutdown().success());
}
