//! Inline (ghost-text) completion at a cursor: the prompt from the code
//! before and after it (plain continuation, or a fill-in-the-middle template
//! for models trained with one), and the answer trimmed to what belongs at
//! the cursor: the rest of the current block, without text the file already
//! has after the cursor, and never something that adds syntax errors.

use aura_config::FimTemplate;
use aura_syntax::{Language, Rope};

/// Lines of context before and after the cursor sent to the model.
pub const PREFIX_LINES: usize = 80;
/// See [`PREFIX_LINES`].
pub const SUFFIX_LINES: usize = 30;
/// Tokens a completion may take: a few lines, not a file.
pub const MAX_TOKENS: u32 = 64;
/// Lines a suggestion may span.
const MAX_LINES: usize = 8;

/// The text around a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Up to [`PREFIX_LINES`] lines before the cursor, ending at it.
    pub prefix: String,
    /// From the cursor, up to [`SUFFIX_LINES`] lines.
    pub suffix: String,
    /// Byte offset of the cursor in the file.
    pub offset: usize,
}

/// The context of a completion at byte `offset` of `text`.
pub fn cursor(text: &Rope, offset: usize) -> Cursor {
    let offset = offset.min(text.len_bytes());
    let line = text.byte_to_line(offset);
    let first = line.saturating_sub(PREFIX_LINES);
    let last = (line + SUFFIX_LINES).min(text.len_lines());
    let end = if last >= text.len_lines() { text.len_bytes() } else { text.line_to_byte(last) };
    Cursor {
        prefix: text.byte_slice(text.line_to_byte(first)..offset).to_string(),
        suffix: text.byte_slice(offset..end).to_string(),
        offset,
    }
}

/// The raw-completion prompt for `cursor` under `template`, with the stop
/// strings that end a suggestion early.
pub fn prompt(cursor: &Cursor, template: FimTemplate) -> (String, Vec<String>) {
    let (p, s) = (&cursor.prefix, &cursor.suffix);
    let prompt = match template {
        FimTemplate::None => p.clone(),
        FimTemplate::Starcoder => format!("<fim_prefix>{p}<fim_suffix>{s}<fim_middle>"),
        FimTemplate::Codellama => format!("<PRE> {p} <SUF>{s} <MID>"),
        FimTemplate::Deepseek => format!("<｜fim▁begin｜>{p}<｜fim▁hole｜>{s}<｜fim▁end｜>"),
        FimTemplate::Qwen => format!("<|fim_prefix|>{p}<|fim_suffix|>{s}<|fim_middle|>"),
    };
    let stop = match template {
        FimTemplate::None => vec!["\n\n\n".into()],
        FimTemplate::Starcoder => vec!["<|endoftext|>".into(), "<file_sep>".into()],
        FimTemplate::Codellama => vec![" <EOT>".into()],
        FimTemplate::Deepseek => vec!["<｜end▁of▁sentence｜>".into()],
        FimTemplate::Qwen => vec!["<|endoftext|>".into(), "<|file_sep|>".into()],
    };
    (prompt, stop)
}

/// What of the model's `answer` to show at the cursor, or `None` when
/// nothing useful is left: cut at a blank line or where the code leaves the
/// cursor's block, at [`MAX_LINES`], before text the suffix already has, and
/// refused when inserting it gives the file more syntax errors than it has.
pub fn suggestion(
    answer: &str,
    text: &Rope,
    cursor: &Cursor,
    language: Option<&'static Language>,
) -> Option<String> {
    let line_start = text.line_to_byte(text.byte_to_line(cursor.offset));
    let current = text.byte_slice(line_start..cursor.offset).to_string();
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The block the cursor is in: a suggestion stops where code goes left of it.
    let block = if current.trim().is_empty() { current.len() } else { indent(&current) };
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in answer.split('\n').enumerate() {
        if i > 0 && (line.trim().is_empty() || indent(line) < block || kept.len() == MAX_LINES) {
            break;
        }
        kept.push(line);
    }
    let mut out = kept.join("\n").trim_end().to_string();
    // The model often restates what follows the cursor: keep only what is new.
    let next = cursor.suffix.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if !next.is_empty() {
        if let Some(at) = out.lines().position(|l| l.trim() == next).filter(|&i| i > 0) {
            out = out.lines().take(at).collect::<Vec<_>>().join("\n");
        }
        let rest_of_line = cursor.suffix.lines().next().unwrap_or("").trim();
        if !rest_of_line.is_empty() && out.trim_end().ends_with(rest_of_line) && !out.contains('\n') {
            out.truncate(out.trim_end().len() - rest_of_line.len());
        }
    }
    if out.trim().is_empty() {
        return None;
    }
    let at = cursor.offset;
    if language.is_some_and(|l| crate::ai::syntax_problem(l, &text.to_string(), &out, at..at).is_some()) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python() -> Option<&'static Language> {
        aura_syntax::registry().by_id("python")
    }

    fn at(text: &str, marker: &str) -> (Rope, Cursor) {
        let offset = text.find(marker).unwrap();
        let text = text.replacen(marker, "", 1);
        let rope = Rope::from_str(&text);
        let c = cursor(&rope, offset);
        (rope, c)
    }

    #[test]
    fn the_context_splits_at_the_cursor() {
        let (_, c) = at("a = 1\nb = |2\nc = 3\n", "|");
        assert_eq!((c.prefix.as_str(), c.suffix.as_str()), ("a = 1\nb = ", "2\nc = 3\n"));
        let (p, stop) = prompt(&c, FimTemplate::Starcoder);
        assert_eq!(p, "<fim_prefix>a = 1\nb = <fim_suffix>2\nc = 3\n<fim_middle>");
        assert!(stop.contains(&"<|endoftext|>".to_string()));
        assert_eq!(prompt(&c, FimTemplate::None).0, "a = 1\nb = ");
    }

    #[test]
    fn a_suggestion_stays_in_the_block_and_skips_what_follows() {
        let (rope, c) = at("def add(a, b):\n    return |\n\nprint(add(1, 2))\n", "|");
        let answer = "a + b\n\n\ndef sub(a, b):\n    return a - b\n";
        assert_eq!(suggestion(answer, &rope, &c, python()).as_deref(), Some("a + b"));
        // Dedent ends it even without a blank line.
        let answer = "a + b\nprint('done')";
        assert_eq!(suggestion(answer, &rope, &c, python()).as_deref(), Some("a + b"));

        let (rope, c) = at("def f(xs):\n    total = 0\n    |\n    return total\n", "|");
        let answer = "for x in xs:\n        total += x\n    return total\n";
        assert_eq!(
            suggestion(answer, &rope, &c, python()).as_deref(),
            Some("for x in xs:\n        total += x")
        );
    }

    #[test]
    fn suggestions_that_break_the_syntax_or_say_nothing_are_dropped() {
        let (rope, c) = at("def add(a, b):\n    return |\n", "|");
        assert_eq!(suggestion("a + (b", &rope, &c, python()), None);
        assert_eq!(suggestion("\n\n", &rope, &c, python()), None);
        // Text the line already has after the cursor is not repeated.
        let (rope, c) = at("total = sum(|)\n", "|");
        assert_eq!(suggestion("values)", &rope, &c, python()).as_deref(), Some("values"));
    }
}
