//! The one place where protocol positions and types meet Aura's byte offsets
//! and plain data (`to_proto` and `from_proto` in one file).

use std::ops::Range;

use aura_analysis::{Diagnostic, Severity};
use aura_ide::Change;
use aura_syntax::{line_col_at, LineCol, PositionEncoding, Rope, Symbol, SymbolKind};
use tower_lsp::lsp_types as lsp;

/// utf-8 when the client offers it (no conversion cost), else the mandatory utf-16.
pub fn negotiate_encoding(params: &lsp::InitializeParams) -> PositionEncoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&lsp::PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}

pub fn encoding_kind(encoding: PositionEncoding) -> lsp::PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

pub fn line_col(position: lsp::Position) -> LineCol {
    LineCol { line: position.line, col: position.character }
}

pub fn position(text: &Rope, offset: usize, encoding: PositionEncoding) -> lsp::Position {
    let lc = line_col_at(text, offset, encoding);
    lsp::Position { line: lc.line, character: lc.col }
}

pub fn range(text: &Rope, range: Range<usize>, encoding: PositionEncoding) -> lsp::Range {
    lsp::Range { start: position(text, range.start, encoding), end: position(text, range.end, encoding) }
}

pub fn change(event: lsp::TextDocumentContentChangeEvent) -> Change {
    Change { range: event.range.map(|r| (line_col(r.start), line_col(r.end))), text: event.text }
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(text: &Rope, d: &Diagnostic, encoding: PositionEncoding) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: range(text, d.range.clone(), encoding),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        source: Some("aura".to_string()),
        message: d.message.clone(),
        related_information: related(&d.related),
        ..lsp::Diagnostic::default()
    }
}

/// Related places keyed by URI (the server keys files by URI). A related line
/// range covers whole lines: the other file's text may not be at hand.
fn related(related: &[aura_analysis::Related]) -> Option<Vec<lsp::DiagnosticRelatedInformation>> {
    let out: Vec<_> = related
        .iter()
        .filter_map(|r| {
            let uri = lsp::Url::parse(&r.file).ok()?;
            let range = lsp::Range {
                start: lsp::Position { line: r.lines.0, character: 0 },
                end: lsp::Position { line: r.lines.1 + 1, character: 0 },
            };
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location { uri, range },
                message: r.message.clone(),
            })
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Module => lsp::SymbolKind::MODULE,
        SymbolKind::Namespace => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Class => lsp::SymbolKind::CLASS,
        SymbolKind::Struct => lsp::SymbolKind::STRUCT,
        SymbolKind::Enum => lsp::SymbolKind::ENUM,
        SymbolKind::Interface | SymbolKind::Trait => lsp::SymbolKind::INTERFACE,
        SymbolKind::Impl => lsp::SymbolKind::OBJECT,
        SymbolKind::Function => lsp::SymbolKind::FUNCTION,
        SymbolKind::Method => lsp::SymbolKind::METHOD,
        SymbolKind::Constructor => lsp::SymbolKind::CONSTRUCTOR,
        SymbolKind::Property => lsp::SymbolKind::PROPERTY,
        SymbolKind::Constant => lsp::SymbolKind::CONSTANT,
        SymbolKind::Macro => lsp::SymbolKind::FUNCTION,
        SymbolKind::Type => lsp::SymbolKind::TYPE_PARAMETER,
    }
}

#[expect(deprecated, reason = "`deprecated` is a required field of the protocol struct")]
pub fn document_symbol(text: &Rope, s: &Symbol, encoding: PositionEncoding) -> lsp::DocumentSymbol {
    let children: Vec<_> = s.children.iter().map(|c| document_symbol(text, c, encoding)).collect();
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: (s.kind == SymbolKind::Macro).then(|| "macro".to_string()),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: range(text, s.range.clone(), encoding),
        selection_range: range(text, s.selection_range.clone(), encoding),
        children: (!children.is_empty()).then_some(children),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_ranges_follow_the_negotiated_encoding() {
        let text = Rope::from_str("s = '😀' + (\r\n");
        let d = Diagnostic::new("AUR001", Severity::Error, "m", 13..14);
        let utf16 = diagnostic(&text, &d, PositionEncoding::Utf16);
        let utf8 = diagnostic(&text, &d, PositionEncoding::Utf8);
        assert_eq!(utf16.range.start, lsp::Position { line: 0, character: 11 });
        assert_eq!(utf8.range.start, lsp::Position { line: 0, character: 13 });
    }
}
