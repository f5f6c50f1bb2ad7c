//! `aura check [PATHS]`: findings for files and directories, as text, JSON or
//! SARIF. Exit status: 0 clean, 1 a finding reached `--fail-on`, 2 usage or
//! configuration error.

mod json;
mod sarif;
mod text;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use aura_analysis::{RuleSettings, Severity};
use aura_config::{Config, FailOn, Layer, OutputFormat};
use aura_ide::check::{check_files, collect_files, CheckOptions, CheckReport};

use super::CheckArgs;
use crate::settings;

pub fn run(args: CheckArgs) -> ExitCode {
    let config = match resolve_config(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let (rules, problems) = RuleSettings::from_config(&config.rules);
    for problem in problems {
        eprintln!("warning: {problem}");
    }
    // `aura check DIR` resolves imports from DIR, as `aura shape DIR` does.
    let import_root = match paths.as_slice() {
        [dir] if dir.is_dir() => Some(dir.clone()),
        _ => None,
    };
    let options = CheckOptions {
        max_file_size: config.files.max_size,
        exclude: config.files.exclude.clone(),
        rules,
        import_root,
    };
    let files = match collect_files(&paths, &options) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let progress = (!args.no_progress && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} checking {pos}/{len} files {wide_bar} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let report = check_files(&files, &options, &|| {
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    for skipped in &report.skipped {
        eprintln!("note: skipped {}: {}", skipped.path.display(), skipped.reason);
    }
    let rendered = if args.statistics {
        statistics(&report)
    } else {
        match config.check.format {
            OutputFormat::Text => text::render(&report, std::io::stdout().is_terminal(), args.hints),
            OutputFormat::Json => json::render(&report),
            OutputFormat::Sarif => sarif::render(&report),
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(rendered.as_bytes()).and_then(|()| stdout.flush()).is_err() {
        // A closed pipe (`aura check | head`) is not an error worth a message.
        return ExitCode::from(2);
    }
    if fails(&report, config.check.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn resolve_config(args: &CheckArgs) -> Result<Config, String> {
    let mut flags = Vec::new();
    let flag = |name: &str, key: &str, value: toml::Value| {
        Layer::from_flag(name, key, value).map_err(|e| e.to_string())
    };
    if let Some(format) = args.format {
        flags.push(flag("--format", "check.format", format.as_str().into())?);
    }
    if let Some(fail_on) = args.fail_on {
        flags.push(flag("--fail-on", "check.fail_on", fail_on.as_str().into())?);
    }
    if let Some(size) = args.max_file_size {
        let size = i64::try_from(size).map_err(|_| "--max-file-size is too large".to_string())?;
        flags.push(flag("--max-file-size", "files.max_size", size.into())?);
    }
    if !args.exclude.is_empty() {
        let globs = toml::Value::Array(args.exclude.iter().cloned().map(toml::Value::String).collect());
        flags.push(flag("--exclude", "files.exclude", globs)?);
    }
    let root = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    settings::resolve_with(&root, flags).map(|r| r.config).map_err(|e| e.to_string())
}

/// Findings per rule, most frequent first, as `aura check --statistics` prints them.
fn statistics(report: &CheckReport) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for finding in report.files.iter().flat_map(|f| &f.findings) {
        *counts.entry(finding.code).or_default() += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out = String::new();
    for (code, count) in rows {
        let name = aura_analysis::rules::find(code).map_or("", |r| r.name);
        out.push_str(&format!("{count:>7}  {code}  {name}\n"));
    }
    out
}

fn fails(report: &CheckReport, fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Hint => Severity::Hint,
        FailOn::Never => return false,
    };
    // Severity orders most serious first.
    report.files.iter().flat_map(|f| &f.findings).any(|f| f.severity <= threshold)
}

/// Counts shared by every output format.
pub(crate) struct Summary {
    pub files_checked: usize,
    pub files_with_findings: usize,
    pub lines: usize,
    pub by_severity: [usize; 4],
}

impl Summary {
    pub(crate) fn of(report: &CheckReport) -> Summary {
        let mut by_severity = [0; 4];
        for finding in report.files.iter().flat_map(|f| &f.findings) {
            by_severity[finding.severity as usize] += 1;
        }
        Summary {
            files_checked: report.files.len(),
            files_with_findings: report.files.iter().filter(|f| !f.findings.is_empty()).count(),
            lines: report.files.iter().map(|f| f.lines).sum(),
            by_severity,
        }
    }

    pub(crate) fn findings(&self) -> usize {
        self.by_severity.iter().sum()
    }
}

/// Paths in output use `/` on every platform, as given otherwise.
pub(crate) fn display_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    s.replace('\\', "/")
}
