//! Diagnostic ranges and incremental edits in utf-16 and utf-8 on lines with
//! emoji (surrogate pairs), CJK and CRLF line endings.

use serde_json::json;

use crate::support::{range, Client};

/// Line 1 holds `😀` (2 UTF-16 units, 4 bytes) and `中文` (1 unit / 3 bytes each)
/// before an unclosed `(`; the file uses CRLF.
const TEXT: &str = "ok = 1\r\ns = \"😀中文\" + (\r\n";

fn client_with(encodings: &[&str]) -> Client {
    let mut client = Client::start();
    client.initialize_with(
        json!({"general": {"positionEncodings": encodings}}),
        json!({"diagnostics": {"debounce_ms": 5}}),
    );
    client
}

#[test]
fn utf16_ranges_count_code_units() {
    let mut client = client_with(&["utf-16"]);
    let uri = "file:///tmp/aura-e2e/enc16.py";
    client.open(uri, "python", 1, TEXT);
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    // s␠=␠"😀中文"␠+␠( : 4 + 1 + 2 + 2 + 1 + 3 = col 13 in UTF-16.
    assert_eq!(diags[0]["range"], range((1, 13), (1, 14)), "{diags:?}");
    assert_eq!(diags[0]["message"], "unclosed `(`");

    // Insert `)` after `(` using a UTF-16 position on the emoji line.
    client.change(uri, 2, json!([{"range": range((1, 14), (1, 14)), "text": "1)"}]));
    assert!(client.diagnostics(uri, Some(2)).is_empty());
    assert_eq!(client.document_text(uri)["text"], "ok = 1\r\ns = \"😀中文\" + (1)\r\n");

    // Replace the emoji itself (2 code units) with a CJK character.
    client.change(uri, 3, json!([{"range": range((1, 5), (1, 7)), "text": "字"}]));
    assert_eq!(client.document_text(uri)["text"], "ok = 1\r\ns = \"字中文\" + (1)\r\n");
}

#[test]
fn utf8_ranges_count_bytes() {
    let mut client = client_with(&["utf-8", "utf-16"]);
    let uri = "file:///tmp/aura-e2e/enc8.py";
    client.open(uri, "python", 1, TEXT);
    let diags = client.diagnostics(uri, Some(1));
    // 4 + 1 + 4 + 6 + 1 + 3 = byte 19.
    assert_eq!(diags[0]["range"], range((1, 19), (1, 20)), "{diags:?}");
    client.change(uri, 2, json!([{"range": range((1, 5), (1, 9)), "text": "e"}]));
    assert_eq!(client.document_text(uri)["text"], "ok = 1\r\ns = \"e中文\" + (\r\n");
    let diags = client.diagnostics(uri, Some(2));
    assert_eq!(diags[0]["range"], range((1, 16), (1, 17)), "{diags:?}");
}

#[test]
fn multi_line_edit_across_crlf() {
    let mut client = client_with(&["utf-16"]);
    let uri = "file:///tmp/aura-e2e/crlf.py";
    client.open(uri, "python", 1, "a = 1\r\nb = (\r\nc = 3\r\n");
    assert_eq!(client.diagnostics(uri, Some(1)).len(), 1);
    // Replace from the end of line 0 to the start of line 2: joins and fixes.
    client.change(uri, 2, json!([{"range": range((0, 5), (2, 0)), "text": "\r\n"}]));
    assert!(client.diagnostics(uri, Some(2)).is_empty());
    assert_eq!(client.document_text(uri)["text"], "a = 1\r\nc = 3\r\n");
}
