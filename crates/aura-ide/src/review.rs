//! AI review findings (programs whose output is `diagnostics`): the code is
//! shown to the model with its file line numbers, the answer's
//! `line: severity: problem — change` lines are read back into findings, and
//! findings follow later edits (moved with the lines around them, dropped
//! when their own line is edited) until the next review replaces them.
//!
//! Models format lists loosely, so the reader accepts list markers, bold,
//! "Line 12" / "L12" / "12-14" and severities in brackets; a line it cannot
//! place in the reviewed range is dropped rather than guessed.

use std::sync::OnceLock;

use regex::Regex;

/// At most this many findings are kept from one answer: a review that
/// flags everything flags nothing.
pub const MAX_FINDINGS: usize = 20;

/// How loudly a finding is shown. AI findings are never errors: a model's
/// opinion must not fail a build or hide a compiler's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// critical, high, error, major, medium, warning (and no severity given).
    Warning,
    /// low, minor, info, note, nit, style, suggestion.
    Information,
}

impl Severity {
    /// The lowercase name, as the CLI and replies print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Information => "information",
        }
    }
}

/// One problem the model reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 0-based line in the file.
    pub line: u32,
    /// How it is shown.
    pub severity: Severity,
    /// The problem and the suggested change, as the model wrote them.
    pub message: String,
}

/// `code` (which starts at 1-based line `first`) with each line prefixed by
/// its file line number, so that the model's line numbers are the file's.
pub fn numbered(code: &str, first: u32) -> String {
    let last = first as usize + code.lines().count().max(1) - 1;
    let width = last.to_string().len();
    code.lines().enumerate().map(|(i, line)| format!("{:>width$} | {line}\n", first as usize + i)).collect()
}

/// The findings in `answer` whose line falls in the reviewed 1-based range
/// `lines`, in answer order, without duplicates.
pub fn parse_findings(answer: &str, lines: (u32, u32)) -> Vec<Finding> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(
            r"(?ix)^\s*
            (?:[-*•+]\s+|\d+[.)]\s+)?          # a list marker
            [*_`]*(?:lines?\s*|l)?(\d+)(?:\s*[-–]\s*\d+)?[*_`]*   # the line, or a span's first line
            \s*[:\-–—|]\s*
            (?:[*_`\[(]*(critical|high|error|major|medium|warning|moderate|low|minor|info|information|note|nit|style|suggestion)[*_`\])]*\s*[:\-–—]?\s*)?
            (.+)$",
        )
        .expect("valid pattern")
    });
    let mut found: Vec<Finding> = Vec::new();
    for text in answer.lines() {
        let Some(c) = pattern.captures(text) else { continue };
        let Ok(line) = c[1].parse::<u32>() else { continue };
        if line < lines.0 || line > lines.1 {
            continue;
        }
        let severity = match c.get(2).map(|m| m.as_str().to_ascii_lowercase()).as_deref() {
            Some("low" | "minor" | "info" | "information" | "note" | "nit" | "style" | "suggestion") => {
                Severity::Information
            }
            _ => Severity::Warning,
        };
        let message = c[3].trim().trim_matches(|ch| ch == '*' || ch == '_').trim().to_string();
        if message.len() < 3 {
            continue;
        }
        let finding = Finding { line: line - 1, severity, message };
        if !found.contains(&finding) {
            found.push(finding);
        }
        if found.len() == MAX_FINDINGS {
            break;
        }
    }
    found
}

/// Move items that sit on 0-based lines (`line_of` reaches the line)
/// through one edit that replaced lines `start..=end` with text of
/// `new_lines` line breaks: items on the edited lines go (their code
/// changed), those below move.
pub fn shift<T>(
    items: &mut Vec<T>,
    line_of: impl Fn(&mut T) -> &mut u32,
    start: u32,
    end: u32,
    new_lines: u32,
) {
    items.retain_mut(|item| {
        let line = *line_of(item);
        line < start || line > end
    });
    for item in items.iter_mut() {
        let line = line_of(item);
        if *line > end {
            *line = *line + new_lines + start - end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_uses_file_lines() {
        assert_eq!(numbered("a\nb\n", 9), " 9 | a\n10 | b\n");
        assert_eq!(numbered("", 3), "");
    }

    #[test]
    fn findings_are_read_from_loose_formats() {
        let answer = "\
Here is my review:

12: warning: `data` is never closed — use `with open(...)`.
- 14: low: the name `x` says nothing — call it `count`
2. **Line 15**: [HIGH] SQL built from user input — use parameters
* L16 - error - division by zero when `n` is 0
17-19: suggestion: extract this loop into a function
40: warning: outside the reviewed lines
1. Overall the code is fine.
12: warning: `data` is never closed — use `with open(...)`.
";
        let found = parse_findings(answer, (10, 20));
        let got: Vec<(u32, Severity, &str)> =
            found.iter().map(|f| (f.line, f.severity, f.message.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (11, Severity::Warning, "`data` is never closed — use `with open(...)`."),
                (13, Severity::Information, "the name `x` says nothing — call it `count`"),
                (14, Severity::Warning, "SQL built from user input — use parameters"),
                (15, Severity::Warning, "division by zero when `n` is 0"),
                (16, Severity::Information, "extract this loop into a function"),
            ]
        );
    }

    #[test]
    fn an_answer_without_findings_gives_none() {
        assert!(parse_findings("I found nothing worth changing.", (1, 50)).is_empty());
        assert!(parse_findings("", (1, 50)).is_empty());
        let many: String = (1..=40).map(|i| format!("{i}: warning: problem number {i}\n")).collect();
        assert_eq!(parse_findings(&many, (1, 40)).len(), MAX_FINDINGS);
    }

    #[test]
    fn findings_follow_edits() {
        let f = |line| Finding { line, severity: Severity::Warning, message: "m".into() };
        let mut findings = vec![f(2), f(5), f(9)];
        // Two lines inserted at line 3 (no line replaced but the third).
        shift(&mut findings, |f| &mut f.line, 3, 3, 2);
        assert_eq!(findings.iter().map(|f| f.line).collect::<Vec<_>>(), vec![2, 7, 11]);
        // Lines 6..=8 joined into one: the finding on 7 goes, 11 moves up by 2.
        shift(&mut findings, |f| &mut f.line, 6, 8, 0);
        assert_eq!(findings.iter().map(|f| f.line).collect::<Vec<_>>(), vec![2, 9]);
    }
}
