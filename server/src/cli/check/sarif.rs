//! SARIF 2.1.0 output for code-scanning services. Columns count Unicode code
//! points, declared with `columnKind`.

use aura_analysis::{all_rules, RuleInfo, Severity};
use aura_ide::check::CheckReport;
use serde_json::{json, Value};

use super::display_path;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

pub fn render(report: &CheckReport) -> String {
    let catalog: Vec<&RuleInfo> = all_rules().collect();
    let rules: Vec<Value> = catalog
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc, "markdown": r.doc},
                "properties": {"tags": [r.category]},
                "defaultConfiguration": {"level": level(r.default_severity), "enabled": r.default_enabled},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .files
        .iter()
        .flat_map(|file| file.findings.iter().map(move |f| (file, f)))
        .map(|(file, f)| {
            let rule_index = catalog.iter().position(|r| r.code == f.code);
            json!({
                "ruleId": f.code,
                "ruleIndex": rule_index,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": display_path(&file.path)},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    },
                }],
                "relatedLocations": f.related.iter().enumerate().map(|(i, r)| json!({
                    "id": i,
                    "message": {"text": r.message},
                    "physicalLocation": {
                        "artifactLocation": {"uri": display_path(std::path::Path::new(&r.file))},
                        "region": {"startLine": r.lines.0 + 1, "endLine": r.lines.1 + 1},
                    },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "aura",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
