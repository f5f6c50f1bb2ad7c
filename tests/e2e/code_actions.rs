//! Quick fixes over LSP: a rule's fix and "suppress on this line", applied by
//! the test as an editor would, and the diagnostic gone afterwards.

use serde_json::{json, Value};

use crate::support::{pos, Client};

/// Apply a WorkspaceEdit's edits for `uri` to `text` (single-line ranges, utf-16 = ASCII here).
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut edits: Vec<&Value> = edit["changes"][uri].as_array().unwrap().iter().collect();
    edits.sort_by_key(|e| {
        std::cmp::Reverse((e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64()))
    });
    for e in edits {
        let (sl, sc) = (
            e["range"]["start"]["line"].as_u64().unwrap() as usize,
            e["range"]["start"]["character"].as_u64().unwrap() as usize,
        );
        let (el, ec) = (
            e["range"]["end"]["line"].as_u64().unwrap() as usize,
            e["range"]["end"]["character"].as_u64().unwrap() as usize,
        );
        assert_eq!(sl, el, "test helper handles single-line edits");
        let line = &mut lines[sl];
        line.replace_range(sc..ec, e["newText"].as_str().unwrap());
    }
    lines.join("\n")
}

fn actions(client: &mut Client, uri: &str, line: u64) -> Vec<Value> {
    let resp = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": pos(line, 0), "end": pos(line, 0)}, "context": {"diagnostics": []}}),
    );
    resp["result"].as_array().cloned().unwrap_or_default()
}

#[test]
fn rule_fix_and_suppression_apply_and_clear_the_diagnostic() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/aura-e2e/fix.py";
    let text = "def f(x):\n    if x == None:\n        return 1\n";
    client.open(uri, "python", 1, text);
    let diagnostics = client.diagnostics(uri, Some(1));
    assert!(diagnostics.iter().any(|d| d["code"] == "AUR206"), "{diagnostics:?}");

    let found = actions(&mut client, uri, 1);
    let fix = found
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Use `is`"))
        .unwrap_or_else(|| panic!("no AUR206 fix in {found:?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], false, "unsafe fixes are never preferred");
    assert!(fix["title"].as_str().unwrap().contains("unsafe"));
    let fixed = apply(text, &fix["edit"], uri);
    assert_eq!(fixed, "def f(x):\n    if x is None:\n        return 1\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(uri, Some(2));
    assert!(!after.iter().any(|d| d["code"] == "AUR206"), "{after:?}");

    let suppress = actions(&mut client, uri, 0);
    assert!(suppress.is_empty() || !suppress.iter().any(|a| a["title"] == "Suppress AUR206 on this line"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    client.diagnostics(uri, Some(3));
    let found = actions(&mut client, uri, 1);
    let suppress =
        found.iter().find(|a| a["title"] == "Suppress AUR206 on this line").expect("suppression action");
    let edit = &suppress["edit"]["changes"][uri][0];
    assert_eq!(edit["newText"], "    # aura: ignore[AUR206]\n");
    assert_eq!(edit["range"]["start"], pos(1, 0));
    let mut suppressed = text.to_owned();
    suppressed.insert_str(text.find("    if").unwrap(), "    # aura: ignore[AUR206]\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": suppressed}]}),
    );
    let after = client.diagnostics(uri, Some(4));
    assert!(!after.iter().any(|d| d["code"] == "AUR206"), "{after:?}");
    assert!(client.shutdown().success());
}

#[test]
fn code_actions_follow_a_rule_change_without_an_edit() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/aura-e2e/rules.py";
    client.open(uri, "python", 1, "def f(x):\n    if x == None:\n        return 1\n");
    client.diagnostics(uri, Some(1));
    let fix = |a: &Value| a["title"].as_str().unwrap_or("").starts_with("Use `is`");
    assert!(actions(&mut client, uri, 1).iter().any(fix), "the AUR206 fix is offered");
    // Same text, new rules: the kept analysis must not answer.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"aura": {"rules": {"ignore": ["AUR206"]}}}}),
    );
    let found = actions(&mut client, uri, 1);
    assert!(!found.iter().any(fix), "AUR206 is ignored now: {found:?}");
    assert!(client.shutdown().success());
}
