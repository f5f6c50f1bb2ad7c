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
