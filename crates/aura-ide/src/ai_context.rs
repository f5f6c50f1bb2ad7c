//! The code context of an AI request (DESIGN §1 OBSERVE), from a file and a
//! cursor line or selection: the enclosing function (or a window of lines
//! when there is none), its name, and Aura's diagnostics there. Shared by the
//! CLI (`aura route --file F --line N`) and the server's code actions.

use std::ops::Range;

use aura_analysis::metrics::compute;
use aura_analysis::{analyze, Diagnostic, SourceFile};
use aura_syntax::tree_sitter::Tree;
use aura_syntax::{parse, Language, Rope};

/// Lines shown either side of the cursor when no function encloses it.
const WINDOW: usize = 20;

/// What the editor knows around the cursor, for routing and prompts.
#[derive(Debug, Clone, Default)]
pub struct CodeContext {
    /// The file's language id, when Aura knows the language.
    pub language: Option<String>,
    /// The selection, else the enclosing function, else a window of lines.
    pub code: String,
    /// 1-based first and last line of `code`.
    pub lines: (u32, u32),
    /// The bytes of `code` in the file (what an edit program replaces).
    pub range: Range<usize>,
    /// Name of the enclosing function.
    pub symbol: Option<String>,
    /// Codes of the diagnostics that touch the cursor line or the selection.
    pub diagnostic_codes: Vec<String>,
    /// The same diagnostics as `line N: CODE message`, for prompts.
    pub diagnostics: Vec<String>,
}

/// Context at 0-based `line` (or over the byte range `selection`) of a file
/// that has not been analysed yet: parse it and run the default rules.
pub fn code_context(
    language: Option<&'static Language>,
    text: &Rope,
    line: usize,
    selection: Option<Range<usize>>,
) -> CodeContext {
    let tree = language.and_then(|l| parse(l, text, None));
    let diagnostics = language
        .zip(tree.as_ref())
        .map(|(language, tree)| analyze(SourceFile { language, text, tree }))
        .unwrap_or_default();
    code_context_in(language, tree.as_ref(), text, &diagnostics, line, selection)
}

/// Context of a file already parsed and analysed (the server's snapshot
/// analysis, under the user's rule settings).
pub fn code_context_in(
    language: Option<&'static Language>,
    tree: Option<&Tree>,
    text: &Rope,
    diagnostics: &[Diagnostic],
    line: usize,
    selection: Option<Range<usize>>,
) -> CodeContext {
    let line = line.min(text.len_lines().saturating_sub(1));
    let focus = focus(text, line, selection.clone());
    let mut ctx = CodeContext { language: language.map(|l| l.id.clone()), ..CodeContext::default() };
    if let (Some(language), Some(tree)) = (language, tree) {
        let metrics = compute(SourceFile { language, text, tree });
        if let Some(f) = metrics
            .functions
            .iter()
            .filter(|f| f.range.start <= focus.start && focus.end <= f.range.end.max(focus.start))
            .min_by_key(|f| f.range.len())
        {
            ctx.symbol = Some(f.name.clone());
            if selection.is_none() {
                ctx.code = text.byte_slice(f.range.clone()).to_string();
                ctx.lines = (f.start_line, f.end_line);
                ctx.range = f.range.clone();
            }
        }
    }
    for d in diagnostics.iter().filter(|d| touches(&d.range, &focus)) {
        if !ctx.diagnostic_codes.iter().any(|c| c == d.code) {
            ctx.diagnostic_codes.push(d.code.to_owned());
        }
        let l = text.byte_to_line(d.range.start.min(text.len_bytes())) + 1;
        ctx.diagnostics.push(format!("line {l}: {} {}", d.code, d.message));
    }
    if let Some(sel) = selection {
        let clamped = sel.start.min(text.len_bytes())..sel.end.min(text.len_bytes());
        ctx.code = text.byte_slice(clamped.clone()).to_string();
        ctx.range = clamped;
        ctx.lines = (
            text.byte_to_line(sel.start.min(text.len_bytes())) as u32 + 1,
            text.byte_to_line(sel.end.min(text.len_bytes())) as u32 + 1,
        );
    } else if ctx.code.is_empty() {
        let first = line.saturating_sub(WINDOW);
        let last = (line + WINDOW).min(text.len_lines().saturating_sub(1));
        ctx.code = text
            .slice(text.line_to_char(first)..text.line_to_char((last + 1).min(text.len_lines())))
            .to_string();
        ctx.lines = (first as u32 + 1, last as u32 + 1);
        ctx.range = text.line_to_byte(first)..text.line_to_byte((last + 1).min(text.len_lines()));
    }
    ctx
}

/// Whether any of `diagnostics` touches the cursor line or the selection:
/// the cheap test that decides whether a cursor has anything to offer.
pub fn has_diagnostics_at(
    text: &Rope,
    diagnostics: &[Diagnostic],
    line: usize,
    selection: Option<Range<usize>>,
) -> bool {
    let focus = focus(text, line.min(text.len_lines().saturating_sub(1)), selection);
    diagnostics.iter().any(|d| touches(&d.range, &focus))
}

/// The selection, or the whole cursor line.
fn focus(text: &Rope, line: usize, selection: Option<Range<usize>>) -> Range<usize> {
    let line_start = text.line_to_byte(line);
    let line_end = text.line_to_byte((line + 1).min(text.len_lines()));
    selection.unwrap_or(line_start..line_end.max(line_start))
}

fn touches(range: &Range<usize>, focus: &Range<usize>) -> bool {
    range.start < focus.end.max(focus.start + 1) && focus.start <= range.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enclosing_function_symbol_and_diagnostics() {
        let python = aura_syntax::registry().by_id("python").unwrap();
        let text = Rope::from_str("import os\n\ndef run(cmd):\n    os.system(cmd)\n    return 1\n\nx = 2\n");
        let ctx = code_context(Some(python), &text, 3, None);
        assert_eq!(ctx.symbol.as_deref(), Some("run"));
        assert!(ctx.code.starts_with("def run(cmd):") && ctx.code.contains("return 1"), "{:?}", ctx.code);
        assert_eq!(ctx.lines, (3, 5));
        assert!(!ctx.diagnostic_codes.is_empty(), "os.system(cmd) is a shell-injection finding");
        let outside = code_context(Some(python), &text, 6, None);
        assert!(outside.symbol.is_none());
        assert!(outside.code.contains("x = 2"));
    }

    #[test]
    fn plain_text_and_out_of_range_lines_are_fine() {
        let text = Rope::from_str("just words\n");
        let ctx = code_context(None, &text, 99, None);
        assert_eq!(ctx.code, "just words\n");
        assert!(ctx.diagnostic_codes.is_empty());
    }
}
