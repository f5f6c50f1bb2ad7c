//! Hotspots: code that changes often and is complex. Churn (first-parent
//! commits in the window that changed it) times cyclomatic complexity, per
//! function (churn mapped onto HEAD's lines by `aura-git`) and per file
//! (commits times the sum of its functions' complexity), ranked.

use aura_git::{CommitId, GitError, Repo, Window};
use rayon::prelude::*;
use serde::Serialize;

use super::{function_lines, parse_functions};

/// A hot function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionHotspot {
    /// Its file, relative to the repository root.
    pub path: String,
    /// Its name.
    pub name: String,
    /// 1-based first line at HEAD.
    pub start_line: u32,
    /// 1-based last line at HEAD.
    pub end_line: u32,
    /// Commits in the window that changed it.
    pub commits: u32,
    /// Of those, commits whose message says they fix something.
    pub fixes: u32,
    /// Cyclomatic complexity at HEAD.
    pub cyclomatic: u32,
    /// `commits × cyclomatic`.
    pub score: u32,
}

/// A hot file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileHotspot {
    /// Relative to the repository root.
    pub path: String,
    /// Commits in the window that changed it.
    pub commits: u32,
    /// Of those, fix commits.
    pub fixes: u32,
    /// Lines added over the window.
    pub added: u32,
    /// Lines removed over the window.
    pub removed: u32,
    /// Sum of its functions' cyclomatic complexity at HEAD.
    pub complexity: u32,
    /// Its functions.
    pub functions: u32,
    /// `commits × complexity`.
    pub score: u32,
}

/// Ranked hotspots over a history window.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hotspots {
    /// HEAD when computed (`None` in a repository without commits).
    pub head: Option<String>,
    /// Commits walked.
    pub commits: usize,
    /// Fix commits among them.
    pub fix_commits: usize,
    /// The walk reached a shallow clone's cut.
    pub shallow: bool,
    /// The walk stopped at the window's commit limit.
    pub truncated: bool,
    /// Source files with churn, hottest first.
    pub files: Vec<FileHotspot>,
    /// Functions with churn, hottest first.
    pub functions: Vec<FunctionHotspot>,
}

/// Hotspots of the repository's history within `window`, for files whose
/// path starts with `under` (relative; empty for all).
pub fn hotspots(repo: &Repo, window: Window, under: &str) -> Result<Hotspots, GitError> {
    let head = repo.head()?.commit().map(CommitId::to_string);
    let history = repo.history(window)?;
    let files: Vec<_> = history.files.iter().filter(|f| f.path.starts_with(under)).collect();
    // Blobs come from the repository one at a time (git2 handles are not
    // shared across threads); parsing, the costly part, runs in parallel.
    let mut blobs = Vec::with_capacity(files.len());
    for file in files {
        if let Some(bytes) = repo.head_file(&file.path)? {
            blobs.push((file, bytes));
        }
    }
    let fix =
        |commits: &[u32]| commits.iter().filter(|&&c| history.commits[c as usize].is_fix).count() as u32;
    let per_file: Vec<(FileHotspot, Vec<FunctionHotspot>)> = blobs
        .par_iter()
        .filter_map(|(file, bytes)| {
            let parsed = parse_functions(&file.path, bytes)?;
            let lines = function_lines(&parsed.metrics);
            let mut functions = Vec::new();
            for (f, range) in parsed.metrics.functions.iter().zip(lines) {
                let commits = file.commits_touching(range);
                if commits.is_empty() {
                    continue;
                }
                functions.push(FunctionHotspot {
                    path: file.path.clone(),
                    name: f.name.clone(),
                    start_line: f.start_line,
                    end_line: f.end_line,
                    commits: commits.len() as u32,
                    fixes: fix(&commits),
                    cyclomatic: f.cyclomatic,
                    score: commits.len() as u32 * f.cyclomatic,
                });
            }
            let complexity: u32 = parsed.metrics.functions.iter().map(|f| f.cyclomatic).sum();
            let commits = file.commits.len() as u32;
            let hot = FileHotspot {
                path: file.path.clone(),
                commits,
                fixes: fix(&file.commits),
                added: file.added,
                removed: file.removed,
                complexity,
                functions: parsed.metrics.functions.len() as u32,
                score: commits * complexity,
            };
            Some((hot, functions))
        })
        .collect();
    let mut out = Hotspots {
        head,
        commits: history.commits.len(),
        fix_commits: history.commits.iter().filter(|c| c.is_fix).count(),
        shallow: history.shallow,
        truncated: history.truncated,
        ..Hotspots::default()
    };
    for (file, functions) in per_file {
        out.files.push(file);
        out.functions.extend(functions);
    }
    out.files.sort_by(|a, b| b.score.cmp(&a.score).then(b.commits.cmp(&a.commits)).then(a.path.cmp(&b.path)));
    out.functions.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.commits.cmp(&a.commits))
            .then(a.path.cmp(&b.path))
            .then(a.start_line.cmp(&b.start_line))
    });
    Ok(out)
}
