//! `aura metrics [PATHS]`: per-function metrics as a text table, JSON or CSV.
//! Lines are 1-based; `start_line` is the line of the `def`/`fn`/`func`
//! keyword, after decorators and annotations.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use aura_analysis::metrics::FunctionMetrics;
use aura_config::Layer;
use aura_ide::check::{collect_files, CheckOptions};
use aura_ide::metrics::{metrics_files, FileMetricsReport};

use super::check::display_path;
use super::MetricsArgs;
use crate::settings;

/// Output formats of `aura metrics`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum MetricsFormat {
    /// The most complex functions first, one per line.
    #[default]
    Text,
    /// `{"files": [{"path", "language", "functions": [...]}]}`.
    Json,
    /// One row per function with a header row.
    Csv,
}

pub fn run(args: MetricsArgs) -> ExitCode {
    let root = match std::env::current_dir() {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: cannot read the current directory: {e}");
            return ExitCode::from(2);
        }
    };
    let mut flags = Vec::new();
    if !args.exclude.is_empty() {
        let globs = toml::Value::Array(args.exclude.iter().cloned().map(toml::Value::String).collect());
        match Layer::from_flag("--exclude", "files.exclude", globs) {
            Ok(layer) => flags.push(layer),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let config = match settings::resolve_with(&root, flags) {
        Ok(resolved) => resolved.config,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let options = CheckOptions {
        max_file_size: config.files.max_size,
        exclude: config.files.exclude,
        rules: Default::default(),
        import_root: None,
    };
    let files = match collect_files(&paths, &options) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (reports, skipped) = metrics_files(&files, &options);
    for skip in &skipped {
        eprintln!("note: skipped {}: {}", skip.path.display(), skip.reason);
    }
    let rendered = match args.format {
        MetricsFormat::Text => text(&reports),
        MetricsFormat::Json => json(&reports),
        MetricsFormat::Csv => csv(&reports),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(rendered.as_bytes()).and_then(|()| stdout.flush()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn json(reports: &[FileMetricsReport]) -> String {
    let files: Vec<_> = reports
        .iter()
        .map(|r| {
            serde_json::json!({
                "path": display_path(&r.path),
                "language": r.language,
                "loc": r.metrics.lines.loc,
                "sloc": r.metrics.lines.sloc,
                "comment": r.metrics.lines.comment,
                "blank": r.metrics.lines.blank,
                "functions": r.metrics.functions,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&serde_json::json!({ "files": files })).unwrap_or_default();
    out.push('\n');
    out
}

const CSV_HEADER: &str = "path,language,name,start_line,end_line,cyclomatic,cognitive,nesting,params,exits,\
loc,sloc,comment,blank,halstead_n1,halstead_n2,halstead_N1,halstead_N2,halstead_volume,\
halstead_difficulty,halstead_effort,mi";

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn csv(reports: &[FileMetricsReport]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for report in reports {
        let path = csv_field(&display_path(&report.path));
        for f in &report.metrics.functions {
            let h = &f.halstead;
            let _ = writeln!(
                out,
                "{path},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.2},{:.2},{:.2},{:.2}",
                report.language,
                csv_field(&f.name),
                f.start_line,
                f.end_line,
                f.cyclomatic,
                f.cognitive,
                f.nesting,
                f.params,
                f.exits,
                f.lines.loc,
                f.lines.sloc,
                f.lines.comment,
                f.lines.blank,
                h.n1,
                h.n2,
                h.total_operators,
                h.total_operands,
                h.volume,
                h.difficulty,
                h.effort,
                f.mi,
            );
        }
    }
    out
}

fn text(reports: &[FileMetricsReport]) -> String {
    let mut rows: Vec<(String, &FunctionMetrics)> = reports
        .iter()
        .flat_map(|r| {
            let path = display_path(&r.path);
            r.metrics.functions.iter().map(move |f| (format!("{path}:{}", f.start_line), f))
        })
        .collect();
    rows.sort_by(|a, b| b.1.cognitive.cmp(&a.1.cognitive).then(b.1.cyclomatic.cmp(&a.1.cyclomatic)));
    let width = rows.iter().map(|(loc, f)| loc.len() + f.name.len() + 1).max().unwrap_or(8).min(70);
    let mut out = format!(
        "{:<width$}  {:>4} {:>4} {:>4} {:>6} {:>5} {:>5}\n",
        "function", "cyc", "cog", "nest", "params", "sloc", "mi"
    );
    for (location, f) in &rows {
        let label = format!("{location} {}", f.name);
        let _ = writeln!(
            out,
            "{label:<width$}  {:>4} {:>4} {:>4} {:>6} {:>5} {:>5.0}",
            f.cyclomatic, f.cognitive, f.nesting, f.params, f.lines.sloc, f.mi
        );
    }
    let functions = rows.len();
    let lines: u32 = reports.iter().map(|r| r.metrics.lines.loc).sum();
    let _ = writeln!(out, "{functions} functions in {} files ({lines} lines)", reports.len());
    out
}
