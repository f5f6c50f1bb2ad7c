//! open / change / close in every language: a broken snippet gets AUR001, the
//! fix clears it, closing clears it too.

use serde_json::json;

use crate::support::{range, Client};

/// Where to insert what to fix a broken snippet: (line, character, text).
type Fix = (u64, u64, &'static str);

/// (languageId, file name, broken text, the fix)
const CASES: &[(&str, &str, &str, Fix)] = &[
    ("python", "a.py", "def f(x:\n    return x\n", (0, 7, ")")),
    ("javascript", "a.js", "function f(a {\n  return a;\n}\n", (0, 12, ")")),
    ("typescript", "a.ts", "function f(a: number {\n  return a;\n}\n", (0, 20, ")")),
    ("typescriptreact", "a.tsx", "const C = () => <div>{1 + }</div>;\n", (0, 25, "1")),
    ("rust", "a.rs", "fn main() {\n    let x = (1, 2;\n}\n", (1, 17, ")")),
    ("go", "a.go", "package main\n\nfunc main() {\n\tprintln(1\n}\n", (3, 10, ")")),
    ("java", "A.java", "class A {\n  int f() { return 1 }\n}\n", (1, 20, ";")),
    ("c", "a.c", "int main(void) {\n  return 0\n}\n", (1, 10, ";")),
    ("cpp", "a.cpp", "int main() {\n  int x = 1\n  return x;\n}\n", (1, 11, ";")),
    ("csharp", "A.cs", "class A {\n  int F() { return 1 }\n}\n", (1, 20, ";")),
    ("ruby", "a.rb", "def f(a\n  a\nend\n", (0, 7, ")")),
    ("php", "a.php", "<?php\nfunction f() { return [1, 2; }\n", (1, 27, "]")),
    ("shellscript", "a.sh", "if true; then\n  echo hi\n", (2, 0, "fi\n")),
];

#[test]
fn open_change_close_in_every_language() {
    let mut client = Client::start();
    client.initialize();
    for (language_id, name, broken, (line, character, insert)) in CASES {
        let uri = format!("file:///tmp/aura-e2e/{name}");
        client.open(&uri, language_id, 1, broken);
        let diags = client.diagnostics(&uri, Some(1));
        assert!(!diags.is_empty(), "{language_id}: no syntax error for {broken:?}");
        for d in &diags {
            assert_eq!(d["code"], "AUR001");
            assert_eq!(d["source"], "aura");
            assert_eq!(d["severity"], 1);
        }
        client.change(
            &uri,
            2,
            json!([{"range": range((*line, *character), (*line, *character)), "text": insert}]),
        );
        let diags = client.diagnostics(&uri, Some(2));
        let text = client.document_text(&uri)["text"].as_str().unwrap().to_string();
        assert!(diags.is_empty(), "{language_id}: still broken after fix: {diags:?}\n{text}");
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        assert!(client.diagnostics(&uri, None).is_empty(), "{language_id}: close clears diagnostics");
    }
    assert!(client.shutdown().success());
}

#[test]
fn unknown_languages_are_plain_text() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/aura-e2e/notes.txt";
    client.open(uri, "plaintext", 1, "def f(:\n");
    assert!(client.diagnostics(uri, Some(1)).is_empty());
    let resp = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert_eq!(resp["result"], json!([]));
}
