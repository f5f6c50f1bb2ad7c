//! `aura impact`, `aura hotspots`, `aura commit-msg` and `aura branch-name`:
//! the repository features from a terminal. Each works without a model;
//! outside a repository each says so and exits with status 2.

use std::io::Write;
use std::process::ExitCode;

use aura_git::{Repo, Scope, Window};
use aura_ide::check::CheckOptions;
use aura_ide::git::changes::{changed_files, FunctionStatus};
use aura_ide::git::commit::{
    branch_name, branch_name_for, changes_to_commit, draft, nothing_to_commit, refine_with,
};
use aura_ide::git::hotspots::{hotspots, Hotspots};
use aura_ide::git::impact::impact;
use serde_json::json;

use super::dispatch::{fail, print_json};
use super::{BranchNameArgs, CommitMsgArgs, HotspotsArgs, HotspotsFormat, ImpactArgs, OutputFormat};
use crate::settings;

fn open() -> Result<(Repo, aura_config::Config), String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let repo = Repo::discover(&cwd).map_err(|e| e.to_string())?;
    let config = settings::resolve_with(repo.workdir(), Vec::new()).map_err(|e| e.to_string())?.config;
    Ok((repo, config))
}

pub(crate) fn scope(staged: bool) -> Scope {
    if staged {
        Scope::Staged
    } else {
        Scope::WorkingTree
    }
}

/// The history window from config, with command-line overrides.
pub(crate) fn window(config: &aura_config::GitConfig, commits: Option<usize>, days: Option<u32>) -> Window {
    let days = days.unwrap_or(config.window_days);
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Window {
        max_commits: commits.unwrap_or(config.window_commits),
        since: (days > 0).then(|| now - i64::from(days) * 86_400),
    }
}

pub fn impact_cmd(args: ImpactArgs) -> ExitCode {
    let (repo, config) = match open() {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let changes = match changed_files(&repo, scope(args.staged)) {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string()),
    };
    let options = CheckOptions {
        max_file_size: config.files.max_size,
        exclude: config.files.exclude.clone(),
        ..CheckOptions::default()
    };
    let report = impact(repo.workdir(), &changes, &options);
    if args.format == OutputFormat::Json {
        return print_json(&report);
    }
    print!("{}", impact_text(&report, args.staged));
    ExitCode::SUCCESS
}

/// The impact report as text (also the markdown the editor opens).
pub(crate) fn impact_text(report: &aura_ide::git::impact::Impact, staged: bool) -> String {
    let mut out = String::new();
    let what = if staged { "staged changes" } else { "working tree" };
    if report.functions.is_empty() && report.other_files.is_empty() {
        return format!("No changes in the {what}.\n");
    }
    out.push_str(&format!(
        "# Change impact ({what})\n\n{} changed functions; {} source files searched, {} parsed.\n\n",
        report.functions.len(),
        report.files_searched,
        report.files_parsed
    ));
    for f in &report.functions {
        let status = match f.function.status {
            FunctionStatus::Added => "added",
            FunctionStatus::Modified => "modified",
            FunctionStatus::Deleted => "deleted",
        };
        out.push_str(&format!(
            "## {}:{} `{}` ({status}, +{} −{}) · {} callers\n\n",
            f.path,
            f.function.start_line,
            f.function.name,
            f.function.added,
            f.function.removed,
            f.callers()
        ));
        for r in &f.references {
            let within = r.function.as_deref().map(|n| format!(" in `{n}`")).unwrap_or_default();
            out.push_str(&format!(
                "- {}:{}:{}{within}: `{}`\n",
                r.path,
                r.line,
                r.column,
                r.text.replace('`', "'")
            ));
        }
        if !f.references.is_empty() {
            out.push('\n');
        }
    }
    if !report.other_files.is_empty() {
        out.push_str(&format!("Other changed files: {}\n", report.other_files.join(", ")));
    }
    out
}

pub fn hotspots_cmd(args: HotspotsArgs) -> ExitCode {
    let (repo, config) = match open() {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let under = match &args.path {
        Some(path) => match repo.relative(path) {
            Ok(rel) if rel.is_empty() => String::new(),
            Ok(rel) if path.is_dir() => format!("{rel}/"),
            Ok(rel) => rel,
            Err(e) => return fail(&e.to_string()),
        },
        None => String::new(),
    };
    let window = window(&config.git, args.commits, args.days);
    let mut hot = match hotspots(&repo, window, &under) {
        Ok(h) => h,
        Err(e) => return fail(&e.to_string()),
    };
    hot.functions.truncate(args.top);
    hot.files.truncate(args.top);
    match args.format {
        HotspotsFormat::Json => print_json(&hot),
        HotspotsFormat::Svg => match hotspots_svg(&hot) {
            Ok(svg) => {
                let _ = std::io::stdout().lock().write_all(svg.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        HotspotsFormat::Text => {
            print!("{}", hotspots_text(&hot));
            ExitCode::SUCCESS
        }
    }
}

pub(crate) fn hotspots_text(hot: &Hotspots) -> String {
    let mut out = format!(
        "{} commits walked ({} fixes){}{}\n\n",
        hot.commits,
        hot.fix_commits,
        if hot.truncated { ", window limit reached" } else { "" },
        if hot.shallow { ", shallow clone: history cut" } else { "" }
    );
    if hot.functions.is_empty() {
        out.push_str("No hotspots: no source file Aura measures changed in the window.\n");
        return out;
    }
    out.push_str("score  commits  fixes  cyclomatic  function\n");
    for f in &hot.functions {
        out.push_str(&format!(
            "{:>5}  {:>7}  {:>5}  {:>10}  {}:{} {}\n",
            f.score, f.commits, f.fixes, f.cyclomatic, f.path, f.start_line, f.name
        ));
    }
    out.push_str("\nscore  commits  complexity  file\n");
    for f in &hot.files {
        out.push_str(&format!("{:>5}  {:>7}  {:>10}  {}\n", f.score, f.commits, f.complexity, f.path));
    }
    out
}

/// A horizontal bar chart of the hottest functions (score = commits ×
/// cyclomatic), drawn with plotters' SVG backend.
pub(crate) fn hotspots_svg(hot: &Hotspots) -> Result<String, String> {
    use plotters::prelude::*;
    let rows: Vec<(String, u32)> =
        hot.functions.iter().map(|f| (format!("{}:{} {}", f.path, f.start_line, f.name), f.score)).collect();
    let n = rows.len().max(1);
    let height = 90 + 28 * n as u32;
    let longest = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(10) as u32;
    let label_width = (longest * 7 + 20).clamp(120, 520);
    let max = rows.iter().map(|(_, s)| *s).max().unwrap_or(1).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (label_width + 520, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Hotspots: commits × cyclomatic ({} commits)", hot.commits), ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0u32..max + max / 10 + 1, (0..n).into_segmented())
            .map_err(|e| e.to_string())?;
        let labels = rows.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .label_style(("sans-serif", 13))
            .y_label_formatter(&|y| match y {
                // The hottest at the top.
                SegmentValue::CenterOf(i) => labels.get(n - 1 - (*i).min(n - 1)).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_desc("score")
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, score))| {
                let row = n - 1 - i;
                let mut bar = Rectangle::new(
                    [(0, SegmentValue::Exact(row)), (*score, SegmentValue::Exact(row + 1))],
                    RGBColor(214, 92, 52).filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                bar
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

pub fn commit_msg_cmd(args: CommitMsgArgs) -> ExitCode {
    let (repo, config) = match open() {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let (changes, scope) = match changes_to_commit(&repo, args.staged) {
        Ok(x) => x,
        Err(e) => return fail(&e.to_string()),
    };
    let staged = scope == Scope::Staged;
    let Some(draft) = draft(&changes) else { return fail(nothing_to_commit(scope)) };
    let mut message = draft.message();
    let mut source = "draft";
    let providers = aura_ide::ai::Providers::from_config(&config.ai, Some(repo.workdir()));
    if !args.no_model && providers.is_available() {
        let patch = repo.patch_text(scope, 12_000).unwrap_or_default();
        let refined = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| rt.block_on(refine_with(&providers, &draft, &patch)));
        match refined {
            Ok(refined) if refined.from_model => {
                message = refined.message;
                source = "model";
            }
            Ok(refined) => eprintln!("aura: kept the draft: {}", refined.rejected.unwrap_or_default()),
            Err(e) => eprintln!("aura: kept the draft: cannot start the async runtime: {e}"),
        }
    }
    if args.format == OutputFormat::Json {
        return print_json(&json!({
            "message": message,
            "source": source,
            "staged": staged,
            "draft": draft,
            "branch": branch_name(&draft),
        }));
    }
    println!("{message}");
    ExitCode::SUCCESS
}

pub fn branch_name_cmd(args: BranchNameArgs) -> ExitCode {
    if let Some(description) = &args.description {
        println!("{}", branch_name_for(description));
        return ExitCode::SUCCESS;
    }
    let (repo, _) = match open() {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let changes = match changed_files(&repo, Scope::WorkingTree) {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string()),
    };
    match draft(&changes) {
        Some(d) => {
            println!("{}", branch_name(&d));
            ExitCode::SUCCESS
        }
        None => fail("nothing changed since HEAD: describe the work instead (aura branch-name \"fix crash on empty input\")"),
    }
}
