//! The functions a change touches: added, modified or deleted, from the
//! working tree or the index against HEAD, or from an editor buffer against
//! its HEAD copy.

use std::collections::HashMap;

use aura_git::{diff_text, ChangeKind, FileChange, GitError, Hunk, Repo, Scope, Side};
use aura_syntax::Language;
use serde::Serialize;

use super::{function_lines, innermost_by_line, parse_functions, Parsed};

/// How a function changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionStatus {
    /// New: no function of that name was there before.
    Added,
    /// Edited.
    Modified,
    /// Removed: no function of that name is left.
    Deleted,
}

/// One function a change touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFunction {
    /// Its name.
    pub name: String,
    /// How it changed.
    pub status: FunctionStatus,
    /// 1-based first line (in the new text; the old one when deleted).
    pub start_line: u32,
    /// 1-based last line.
    pub end_line: u32,
    /// Lines added inside it.
    pub added: u32,
    /// Lines removed inside it.
    pub removed: u32,
    /// Its cyclomatic complexity now (before, when deleted).
    pub cyclomatic: u32,
    /// Bytes of its name in the text it was found in, to skip its own definition.
    #[serde(skip)]
    pub name_range: std::ops::Range<usize>,
}

/// One changed file and the functions its change touches.
#[derive(Debug, Clone)]
pub struct ChangedFile {
    /// What git says about the file.
    pub change: FileChange,
    /// Its language, when Aura knows it.
    pub language: Option<&'static Language>,
    /// Touched functions in source order (deleted ones last).
    pub functions: Vec<ChangedFunction>,
    /// Whether only whitespace changed.
    pub whitespace_only: bool,
}

/// Every file changed in `scope`, with the functions each change touches.
pub fn changed_files(repo: &Repo, scope: Scope) -> Result<Vec<ChangedFile>, GitError> {
    let new_side = match scope {
        Scope::WorkingTree => Side::WorkTree,
        Scope::Staged => Side::Index,
    };
    let mut out = Vec::new();
    for change in repo.changes(scope)? {
        let old_path = change.old_path.as_deref().unwrap_or(&change.path);
        let old = match change.kind {
            ChangeKind::Added => None,
            _ => repo.file(old_path, Side::Head)?,
        };
        let new = match change.kind {
            ChangeKind::Deleted => None,
            _ => repo.file(&change.path, new_side)?,
        };
        let (functions, language) = if change.binary {
            (Vec::new(), None)
        } else {
            touched_functions(&change.path, old.as_deref(), new.as_deref(), &change.hunks)
        };
        let whitespace_only = change.kind == ChangeKind::Modified
            && !change.binary
            && matches!((&old, &new), (Some(o), Some(n)) if strip_space(o) == strip_space(n));
        out.push(ChangedFile { change, language, functions, whitespace_only });
    }
    Ok(out)
}

/// The functions an editor buffer changes against its HEAD copy (`head`
/// `None`: the file is new, every function is added).
pub fn changed_in_buffer(path: &str, head: Option<&[u8]>, buffer: &str) -> Vec<ChangedFunction> {
    let hunks = diff_text(head.unwrap_or_default(), buffer.as_bytes());
    touched_functions(path, head, Some(buffer.as_bytes()), &hunks).0
}

fn strip_space(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect()
}

fn touched_functions(
    path: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    hunks: &[Hunk],
) -> (Vec<ChangedFunction>, Option<&'static Language>) {
    let old = old.and_then(|b| parse_functions(path, b));
    let new = new.and_then(|b| parse_functions(path, b));
    let language = new.as_ref().or(old.as_ref()).map(|p| p.language);
    let names = |p: &Option<Parsed>| -> HashMap<String, usize> {
        let mut names = HashMap::new();
        for f in p.iter().flat_map(|p| &p.metrics.functions) {
            *names.entry(f.name.clone()).or_insert(0) += 1;
        }
        names
    };
    let (old_names, new_names) = (names(&old), names(&new));
    let mut out = Vec::new();
    if let Some(new) = &new {
        let touched = owners(new, hunks.iter().map(|h| (h.new_range(), h.old_lines)));
        for (index, (added, removed)) in touched {
            let f = &new.metrics.functions[index];
            let status = if old_names.contains_key(&f.name) {
                FunctionStatus::Modified
            } else {
                FunctionStatus::Added
            };
            out.push(changed(f, status, added, removed));
        }
    }
    if let Some(old) = &old {
        let touched = owners(old, hunks.iter().map(|h| (h.old_range(), h.new_lines)));
        for (index, (removed, _)) in touched {
            let f = &old.metrics.functions[index];
            if !new_names.contains_key(&f.name) {
                out.push(changed(f, FunctionStatus::Deleted, 0, removed));
            }
        }
    }
    (out, language)
}

fn changed(
    f: &aura_analysis::metrics::FunctionMetrics,
    status: FunctionStatus,
    added: u32,
    removed: u32,
) -> ChangedFunction {
    ChangedFunction {
        name: f.name.clone(),
        status,
        start_line: f.start_line,
        end_line: f.end_line,
        added,
        removed,
        cyclomatic: f.cyclomatic,
        name_range: f.name_range.clone(),
    }
}

/// The innermost functions owning each hunk's lines, in source order, with
/// (lines of this side, lines of the other side) inside each: a hunk's lines
/// count for the function holding them, its other side for its first owner.
/// A pure insertion or deletion (an empty range) belongs to the function
/// holding the lines on both sides.
fn owners(
    parsed: &Parsed,
    hunks: impl Iterator<Item = (std::ops::Range<u32>, u32)>,
) -> Vec<(usize, (u32, u32))> {
    let line_count = parsed.text.len_lines();
    let owner = innermost_by_line(&parsed.metrics, line_count);
    let lines = function_lines(&parsed.metrics);
    let mut found: Vec<(usize, (u32, u32))> = Vec::new();
    let mut add = |index: usize, here: u32, there: u32| match found.iter_mut().find(|(i, _)| *i == index) {
        Some((_, counts)) => {
            counts.0 += here;
            counts.1 += there;
        }
        None => found.push((index, (here, there))),
    };
    for (range, other_side) in hunks {
        if range.is_empty() {
            let at = range.start;
            let holder =
                owner.get(at as usize).copied().flatten().filter(|&i| lines[i].start < at).or_else(|| {
                    let before = owner.get(at.checked_sub(1)? as usize).copied().flatten()?;
                    (lines[before].end > at).then_some(before)
                });
            if let Some(i) = holder {
                add(i, 0, other_side);
            }
            continue;
        }
        let mut first = true;
        for line in range {
            if let Some(i) = owner.get(line as usize).copied().flatten() {
                add(i, 1, if first { other_side } else { 0 });
                first = false;
            }
        }
    }
    found.sort_by_key(|(i, _)| lines[*i].start);
    found
}
