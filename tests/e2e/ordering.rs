//! Many didChange notifications interleaved with requests, as fast as the pipe
//! allows: the server's text must equal the client's, and the last diagnostics
//! must belong to the last version.

use serde_json::json;

use crate::support::{range, Client};

/// The (line, UTF-16 column) of byte `offset` in `text`.
fn utf16_position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].encode_utf16().count() as u64;
    (line, col)
}

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn interleaved_changes_and_requests_stay_in_order() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/aura-e2e/order.py";
    let mut text = String::from("def f(x):\n    return x\n\n# 😀 中文\nclass C:\n    pass\n");
    client.open(uri, "python", 1, &text);
    let pieces = ["a", "😀", "中", "\n", "(", ")", " ", "x = 1\n", "\r\n", ""];
    let mut rng = Lcg(42);
    let mut version = 1;
    let mut pending = Vec::new();
    for i in 0..600 {
        // A random character-aligned range (possibly empty) and a random piece.
        let boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        let a = boundaries[rng.below(boundaries.len())];
        let b = if rng.below(3) == 0 { boundaries[rng.below(boundaries.len())] } else { a };
        let (start, end) = (a.min(b), a.max(b));
        // Never split a CRLF pair: clients do not send such ranges either.
        if (start > 0 && text[..start].ends_with('\r') && text[start..].starts_with('\n'))
            || (end > 0 && text[..end].ends_with('\r') && text[end..].starts_with('\n'))
        {
            continue;
        }
        let piece = pieces[rng.below(pieces.len())];
        let r = range(utf16_position(&text, start), utf16_position(&text, end));
        text.replace_range(start..end, piece);
        version += 1;
        client.change(uri, version, json!([{"range": r, "text": piece}]));
        if i % 7 == 0 {
            pending.push(
                client.request_async("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}})),
            );
        }
        if i % 50 == 0 {
            pending.push(client.request_async("aura/documentText", json!({"uri": uri})));
        }
    }
    for id in pending {
        let resp = client.response(id);
        assert!(resp.get("error").is_none(), "{resp}");
    }
    let server = client.document_text(uri);
    assert_eq!(server["version"], version);
    assert_eq!(server["desynced"], false);
    assert_eq!(server["text"].as_str().unwrap(), text);
    // The last published diagnostics are for the final version.
    client.diagnostics(uri, Some(version));
}

/// (code, 0-based line, message) of each finding below AUR400 (the per-file
/// rules; clones, shape and git findings depend on more than the text).
fn rule_findings<'a>(found: impl Iterator<Item = (&'a str, u64, &'a str)>) -> Vec<(String, u64, String)> {
    let mut out: Vec<(String, u64, String)> = found
        .filter(|(code, _, _)| *code < "AUR400")
        .map(|(code, line, message)| (code.to_string(), line, message.to_string()))
        .collect();
    out.sort();
    out
}

/// The findings of `aura check` on `text` as a Python file.
fn checked_findings(text: &str) -> Vec<(String, u64, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("incremental.py"), text).unwrap();
    let out = crate::support::aura()
        .args(["check", "--format", "json", "--fail-on", "never", "--no-progress", "incremental.py"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check prints JSON");
    rule_findings(json["files"][0]["diagnostics"].as_array().unwrap().iter().map(|d| {
        (
            d["code"].as_str().unwrap(),
            d["range"]["start"]["line"].as_u64().unwrap() - 1,
            d["message"].as_str().unwrap(),
        )
    }))
}

/// The server reuses each document's unchanged chunks between analyses;
/// after each of a run of edits that add, break, mend and remove findings
/// inside a large class and move the code after them, its findings must be
/// exactly those of `aura check` on the same text.
#[test]
fn findings_after_edits_equal_a_fresh_check() {
    let method = "    def handle{n}(self, request, data):\n        if request.user == None:\n            return eval(data)\n        try:\n            return self.go(request)\n        except:\n            pass\n\n";
    let mut text = String::from("import yaml\n\n\nclass Handler(Base):\n");
    for n in 0..60 {
        text.push_str(&method.replace("{n}", &n.to_string()));
    }
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/aura-e2e/incremental.py";
    client.open(uri, "python", 1, &text);
    client.diagnostics(uri, Some(1));
    let edits: [(&str, &str); 7] = [
        // A new finding in the middle, a mended one, a broken method, a
        // removed method, lines added near the top, a method mended, and
        // code added at the very end.
        ("    def handle30(", "    def loader(self, s):\n        return yaml.load(s)\n\n    def handle30("),
        ("request.user == None:\n            return eval(data)\n        try:\n            return self.go(request)\n        except:\n            pass\n\n    def handle11(", "request.user is None:\n            return eval(data)\n        try:\n            return self.go(request)\n        except:\n            pass\n\n    def handle11("),
        ("    def handle45(self, request, data):\n        if", "    def handle45(self, request, data:\n        if"),
        (&method.replace("{n}", "50"), ""),
        ("class Handler(Base):", "# Handlers.\nclass Handler(Base, Mixin):"),
        ("    def handle45(self, request, data:\n        if", "    def handle45(self, request, data):\n        if"),
        ("", "\n\ndef tail(x):\n    return exec(x)\n"),
    ];
    let mut seen = Vec::new();
    for (version, (old, new)) in (2..).zip(edits) {
        let start = if old.is_empty() { text.len() } else { text.find(old).expect("edit anchor") };
        let end = start + old.len();
        let r = range(utf16_position(&text, start), utf16_position(&text, end));
        text.replace_range(start..end, new);
        client.change(uri, version, json!([{"range": r, "text": new}]));
        // Each edit is analysed on its own, from the previous analysis's chunks.
        let published = client.diagnostics(uri, Some(version));
        let server = rule_findings(published.iter().map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
            )
        }));
        let checked = checked_findings(&text);
        assert_eq!(server, checked, "after edit {}", version - 1);
        seen.extend(checked.into_iter().map(|f| f.0));
    }
    for code in ["AUR308", "AUR001", "AUR206", "AUR302"] {
        assert!(seen.iter().any(|c| c == code), "{code} never found: the edits do not exercise it");
    }
}
