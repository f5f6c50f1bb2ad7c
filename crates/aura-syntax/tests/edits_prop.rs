//! Property test: random incremental edits keep the rope equal to a reference
//! `String` and the incrementally reparsed tree equal to a fresh parse.

use aura_syntax::{offset_at, parse, registry, Document, LineCol, PositionEncoding};
use proptest::prelude::*;

/// Pieces that stress line breaks, multi-byte characters and surrogate pairs.
const PIECES: &[&str] = &[
    "",
    "a",
    "x = 1",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "中文",
    "é",
    "(",
    ")",
    ":",
    "{",
    "}",
    "\"",
    "'",
    "def f(a, b):\n    return a + b\n",
    "if x:\n\tpass\r\n",
    "    ",
    "# 注释 😀\n",
    "class C:\n",
    "fn main() { let s = \"🎉\"; }\n",
    "[1, 2,",
    "]",
];

#[derive(Debug, Clone)]
struct Edit {
    line: u32,
    col: u32,
    end_line_delta: u32,
    end_col: u32,
    text: String,
    encoding: PositionEncoding,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0u32..12,
        0u32..40,
        0u32..3,
        0u32..40,
        proptest::collection::vec(proptest::sample::select(PIECES), 0..3),
        prop_oneof![
            Just(PositionEncoding::Utf8),
            Just(PositionEncoding::Utf16),
            Just(PositionEncoding::Utf32)
        ],
    )
        .prop_map(|(line, col, end_line_delta, end_col, parts, encoding)| Edit {
            line,
            col,
            end_line_delta,
            end_col,
            text: parts.concat(),
            encoding,
        })
}

fn run(language_id: &str, initial: &str, edits: &[Edit]) {
    let language = registry().by_id(language_id).unwrap();
    let mut doc = Document::new(initial, Some(language));
    let mut reference = initial.to_string();
    // Parse once so later edits go through `Tree::edit` + incremental reparse.
    doc.tree();
    for (i, e) in edits.iter().enumerate() {
        let start_pos = LineCol { line: e.line, col: e.col };
        let end_pos = LineCol { line: e.line + e.end_line_delta, col: e.end_col };
        let a = offset_at(doc.text(), start_pos, e.encoding);
        let b = offset_at(doc.text(), end_pos, e.encoding);
        let (start, end) = (a.min(b), a.max(b));
        // `offset_at` clamps and rounds, so the range is always a valid character range.
        doc.replace(start..end, &e.text).unwrap();
        reference.replace_range(start..end, &e.text);
        assert_eq!(doc.text().to_string(), reference, "rope diverged after edit {i}: {e:?}");
        // Reparse after some edits only, so several `Tree::edit`s accumulate.
        if i % 2 == 0 {
            doc.tree();
        }
    }
    let incremental = doc.tree().unwrap().root_node().to_sexp();
    let fresh = parse(language, &aura_syntax::Rope::from_str(&reference), None).unwrap();
    assert_eq!(incremental, fresh.root_node().to_sexp());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn python_edits_match_reference(edits in proptest::collection::vec(edit(), 1..25)) {
        run("python", "import os\r\n\ndef greet(name):\n    print(f\"héllo {name} 😀\")\n\nclass A:\n    x = '中'\n", &edits);
    }

    #[test]
    fn rust_edits_match_reference(edits in proptest::collection::vec(edit(), 1..25)) {
        run("rust", "fn main() {\n    let x = \"🎉\";\r\n    println!(\"{}\", x);\n}\n\nstruct P { a: u8 }\n", &edits);
    }

    #[test]
    fn javascript_edits_match_reference(edits in proptest::collection::vec(edit(), 1..25)) {
        run("javascript", "const a = '😀';\nfunction f(x) {\r\n  return x * 2;\n}\n", &edits);
    }
}
