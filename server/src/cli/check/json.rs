//! JSON output: files with findings, 1-based positions, and a summary.

use aura_ide::check::CheckReport;
use serde_json::{json, Value};

use super::{display_path, Summary};

pub fn render(report: &CheckReport) -> String {
    let files: Vec<Value> = report
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .map(|f| {
            json!({
                "path": display_path(&f.path),
                "language": f.language,
                "diagnostics": f.findings.iter().map(|d| json!({
                    "code": d.code,
                    "severity": d.severity.as_str(),
                    "message": d.message,
                    "range": {
                        "start": {"line": d.line, "column": d.column},
                        "end": {"line": d.end_line, "column": d.end_column},
                    },
                    "related": d.related.iter().map(|r| json!({
                        "path": display_path(std::path::Path::new(&r.file)),
                        "start_line": r.lines.0 + 1,
                        "end_line": r.lines.1 + 1,
                        "message": r.message,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let s = Summary::of(report);
    let [errors, warnings, infos, hints] = s.by_severity;
    let doc = json!({
        "files": files,
        "summary": {
            "files_checked": s.files_checked,
            "files_with_findings": s.files_with_findings,
            "lines": s.lines,
            "findings": s.findings(),
            "errors": errors,
            "warnings": warnings,
            "info": infos,
            "hints": hints,
            "skipped": report.skipped.iter().map(|k| json!({
                "path": display_path(&k.path),
                "reason": k.reason.to_string(),
            })).collect::<Vec<_>>(),
        },
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
