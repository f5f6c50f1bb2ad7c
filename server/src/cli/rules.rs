//! `aura rules` and `aura rule CODE`: the rule catalog and each rule's docs.

use std::fmt::Write as _;
use std::process::ExitCode;

use aura_analysis::{all_rules, rules::find};

pub fn list() -> ExitCode {
    let mut out = String::new();
    for rule in all_rules() {
        let default = if rule.default_enabled { "on " } else { "off" };
        let fix = match rule.fix {
            Some(applicability) => format!(
                " [fix: {}]",
                serde_json::to_value(applicability)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{}  {:<10} {:<7} {}  {:<30} {}{fix}",
            rule.code,
            rule.category,
            rule.default_severity.to_string(),
            default,
            rule.name,
            rule.summary
        );
    }
    print!("{out}");
    ExitCode::SUCCESS
}

pub fn show(code: &str) -> ExitCode {
    let Some(rule) = find(code) else {
        eprintln!("error: no rule `{code}`; `aura rules` lists them");
        return ExitCode::from(2);
    };
    let default = if rule.default_enabled { "on by default" } else { "off by default" };
    println!(
        "# {} {}\n\n{}. Category: {}; default severity: {}; {default}.\n\n{}",
        rule.code, rule.name, rule.summary, rule.category, rule.default_severity, rule.doc
    );
    ExitCode::SUCCESS
}
