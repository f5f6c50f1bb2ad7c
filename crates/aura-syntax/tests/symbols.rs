//! Snapshot tests of document symbols for one fixture per language.

use std::fmt::Write;
use std::path::Path;

use aura_syntax::{document_symbols, line_col_at, registry, Document, PositionEncoding, Symbol};

fn render(out: &mut String, doc: &Document, symbols: &[Symbol], depth: usize) {
    for s in symbols {
        let start = line_col_at(doc.text(), s.range.start, PositionEncoding::Utf32);
        let end = line_col_at(doc.text(), s.range.end, PositionEncoding::Utf32);
        let _ = writeln!(
            out,
            "{:indent$}{} {} @ {}:{}-{}:{}",
            "",
            s.kind.as_str(),
            s.name,
            start.line + 1,
            start.col + 1,
            end.line + 1,
            end.col + 1,
            indent = depth * 2
        );
        render(out, doc, &s.children, depth + 1);
    }
}

#[test]
fn symbols_for_every_language() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/symbols");
    let mut seen = std::collections::BTreeSet::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let language = registry().for_path(&path, text.lines().next()).unwrap();
        seen.insert(language.id.clone());
        let mut doc = Document::new(&text, Some(language));
        let tree = doc.tree().unwrap().clone();
        assert!(!tree.root_node().has_error(), "{} has syntax errors", path.display());
        let symbols = document_symbols(language, &tree, doc.text());
        let mut out = String::new();
        render(&mut out, &doc, &symbols, 0);
        let name = path.file_name().unwrap().to_str().unwrap().replace('.', "_");
        insta::assert_snapshot!(name, out);
    }
    assert_eq!(seen.len(), 13, "one fixture per language, got {seen:?}");
}

#[test]
fn a_thousand_nested_functions_nest_64_deep_then_list_the_rest() {
    let text = format!("{}{}\n", "function f() {".repeat(1000), "}".repeat(1000));
    let language = registry().by_id("javascript").unwrap();
    let mut doc = Document::new(&text, Some(language));
    let tree = doc.tree().unwrap().clone();
    let symbols = document_symbols(language, &tree, doc.text());
    let (mut depth, mut level, mut total) = (0, &symbols, 0);
    while let Some(first) = level.first() {
        depth += 1;
        total += level.len();
        level = &first.children;
    }
    assert_eq!(depth, 65, "64 levels of containers, then leaves");
    assert_eq!(total, 1000, "every function is still listed");
}
