//! Compiler-style text: `path:line:col: CODE message`, the source line and a caret.

use std::fmt::Write;

use aura_ide::check::CheckReport;
use unicode_width::UnicodeWidthChar;

use super::{display_path, Summary};

/// The report as text; hints are counted but listed only with `list_hints`.
pub fn render(report: &CheckReport, color: bool, list_hints: bool) -> String {
    let (bold, red, yellow, blue, reset) =
        if color { ("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[0m") } else { ("", "", "", "", "") };
    let mut out = String::new();
    for file in &report.files {
        for f in file.findings.iter().filter(|f| list_hints || f.severity != aura_analysis::Severity::Hint) {
            let sev_color = match f.severity {
                aura_analysis::Severity::Error => red,
                aura_analysis::Severity::Warning => yellow,
                _ => blue,
            };
            let _ = writeln!(
                out,
                "{bold}{}:{}:{}:{reset} {sev_color}{}{reset} {}",
                display_path(&file.path),
                f.line,
                f.column,
                f.code,
                f.message
            );
            let gutter = f.line.to_string().len();
            let _ = writeln!(out, "{:gutter$} {blue}|{reset}", "");
            let _ = writeln!(out, "{blue}{}{reset} {blue}|{reset} {}", f.line, f.source_line);
            // Keep tabs and count wide characters (CJK, emoji) as two columns so
            // the caret lines up under the source in a terminal.
            let before: Vec<char> = f.source_line.chars().take(f.column - 1).collect();
            let prefix: String = before
                .iter()
                .map(|&c| if c == '\t' { "\t".to_string() } else { " ".repeat(c.width().unwrap_or(0)) })
                .collect();
            let end_char = if f.end_line == f.line { f.end_column - 1 } else { usize::MAX };
            let marked: usize = f
                .source_line
                .chars()
                .skip(f.column - 1)
                .take(end_char.saturating_sub(f.column - 1))
                .map(|c| c.width().unwrap_or(0))
                .sum();
            let width = marked.max(1);
            let _ = writeln!(
                out,
                "{:gutter$} {blue}|{reset} {prefix}{sev_color}{}{reset}",
                "",
                "^".repeat(width)
            );
            for r in &f.related {
                let _ = writeln!(
                    out,
                    "{:gutter$} {blue}={reset} {}: {}:{}-{}",
                    "",
                    r.message,
                    display_path(std::path::Path::new(&r.file)),
                    r.lines.0 + 1,
                    r.lines.1 + 1
                );
            }
        }
    }
    let s = Summary::of(report);
    let [errors, warnings, infos, hints] = s.by_severity;
    if s.findings() == 0 {
        let _ = writeln!(
            out,
            "All clear: {}, {} checked.",
            plural(s.files_checked, "file"),
            plural(s.lines, "line")
        );
    } else {
        // Only the severities present: "1 error, 2 warnings", never "0 hints".
        let parts: Vec<String> = [(errors, "error"), (warnings, "warning"), (infos, "info"), (hints, "hint")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, noun)| if noun == "info" { format!("{n} info") } else { plural(n, noun) })
            .collect();
        let unlisted = if list_hints || hints == 0 { "" } else { "; hints not listed, --hints lists them" };
        let _ = writeln!(
            out,
            "Found {} ({}{unlisted}) in {} of {}.",
            plural(s.findings(), "finding"),
            parts.join(", "),
            s.files_with_findings,
            plural(s.files_checked, "file"),
        );
    }
    out
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
