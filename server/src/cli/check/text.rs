//! Compiler-style text: `path:line:col: CODE message`, the source line and a caret.

use std::fmt::Write;

use aura_ide::check::CheckReport;

use super::{display_path, Summary};

pub fn render(report: &CheckReport, color: bool) -> String {
    let (bold, red, yellow, blue, reset) =
        if color { ("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[0m") } else { ("", "", "", "", "") };
    let mut out = String::new();
    for file in &report.files {
        for f in &file.findings {
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
            // Keep tabs so the caret lines up with the source in any tab width.
            let prefix: String = f
                .source_line
                .chars()
                .take(f.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let line_chars = f.source_line.chars().count();
            let width = if f.end_line == f.line {
                f.end_column.saturating_sub(f.column).max(1)
            } else {
                (line_chars + 1).saturating_sub(f.column).max(1)
            };
            let _ = writeln!(out, "{:gutter$} {blue}|{reset} {prefix}{sev_color}{}{reset}", "", "^".repeat(width));
        }
    }
    let s = Summary::of(report);
    let [errors, warnings, infos, hints] = s.by_severity;
    if s.findings() == 0 {
        let _ = writeln!(out, "All clear: {}, {} checked.", plural(s.files_checked, "file"), plural(s.lines, "line"));
    } else {
        let _ = writeln!(
            out,
            "Found {} ({} errors, {} warnings, {} info, {} hints) in {} of {}.",
            plural(s.findings(), "finding"),
            errors,
            warnings,
            infos,
            hints,
            s.files_with_findings,
            plural(s.files_checked, "file"),
        );
    }
    out
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
