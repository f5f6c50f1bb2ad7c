//! First-parent history with every commit's changes mapped onto HEAD's
//! lines, so churn can be counted per function of the current code.
//!
//! The walk goes from HEAD backwards along first parents (the way `git log
//! --first-parent` reads: a merged branch is one change, its merge commit,
//! diffed against the first parent). For each file it keeps a `LineMap` from
//! the version being visited to HEAD; a commit's hunks are mapped through it,
//! then the map is rewound past the commit. Renames are followed. Lines a
//! later commit replaced do not survive to HEAD, so an old change to them
//! counts for the file but for no current function.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diff::path_string;
use crate::lines::{hunks_of, LineMap};
use crate::message::is_fix_message;
use crate::repo::{lossy, CommitId, Repo};
use crate::GitError;

/// How far back to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// At most this many commits (first-parent).
    pub max_commits: usize,
    /// Only commits at or after this Unix time.
    pub since: Option<i64>,
}

impl Default for Window {
    fn default() -> Self {
        Window { max_commits: 1000, since: None }
    }
}

/// One commit of the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// Its id.
    pub id: CommitId,
    /// The subject line.
    pub summary: String,
    /// The author's name.
    pub author: String,
    /// Author time, Unix seconds.
    pub time: i64,
    /// The message says it fixes something.
    pub is_fix: bool,
    /// More than one parent.
    pub is_merge: bool,
}

/// The history of one file that exists at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileHistory {
    /// Its path at HEAD.
    pub path: String,
    /// Commits that changed it (indices into `History::commits`, newest first).
    pub commits: Vec<u32>,
    /// Each commit's changes in HEAD lines (0-based, half-open; an empty range
    /// is a deletion between two lines).
    pub touches: Vec<(u32, Range<u32>)>,
    /// Lines added over the window.
    pub added: u32,
    /// Lines removed over the window.
    pub removed: u32,
}

impl FileHistory {
    /// The distinct commits whose changes survive inside `lines` of HEAD
    /// (0-based, half-open), newest first. A deletion counts when it sits
    /// strictly inside, so one just above a function is not the function's.
    pub fn commits_touching(&self, lines: Range<u32>) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for (commit, range) in &self.touches {
            let inside = if range.is_empty() {
                lines.start < range.start && range.start < lines.end
            } else {
                range.start < lines.end && lines.start < range.end
            };
            if inside && !out.contains(commit) {
                out.push(*commit);
            }
        }
        out
    }
}

/// The walked window.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    /// Commits walked, newest first.
    pub commits: Vec<CommitInfo>,
    /// Files at HEAD that some walked commit changed, by path.
    pub files: Vec<FileHistory>,
    /// The walk reached the start of a shallow clone's history.
    pub shallow: bool,
    /// The walk stopped at the window's commit limit before the first commit.
    pub truncated: bool,
}

enum Track {
    /// The version being visited maps onto HEAD's `head_path` through `map`.
    Alive { head_path: String, map: LineMap },
    /// This path's content at this point never reaches HEAD.
    Dead,
}

impl Repo {
    /// Walk the first-parent history from HEAD within `window`.
    pub fn history(&self, window: Window) -> Result<History, GitError> {
        let mut history = History::default();
        if self.head()?.commit().is_none() {
            return Ok(history);
        }
        let shallow_roots = self.shallow_roots();
        let mut walk = self.git.revwalk()?;
        walk.push_head()?;
        walk.simplify_first_parent()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL)?;

        let mut tracks: HashMap<String, Track> = HashMap::new();
        let mut files: HashMap<String, FileHistory> = HashMap::new();
        let mut options = git2::DiffOptions::new();
        options.context_lines(0).ignore_submodules(true);
        let mut find = git2::DiffFindOptions::new();
        find.renames(true);

        for oid in walk {
            let oid = oid?;
            if history.commits.len() >= window.max_commits {
                history.truncated = true;
                break;
            }
            let commit = self.git.find_commit(oid)?;
            let time = commit.author().when().seconds();
            if window.since.is_some_and(|since| time < since) {
                break;
            }
            let index = history.commits.len() as u32;
            let message = lossy(commit.message_bytes());
            history.commits.push(CommitInfo {
                id: CommitId::of(oid),
                summary: lossy(commit.summary_bytes().unwrap_or_default()),
                author: lossy(commit.author().name_bytes()),
                time,
                is_fix: is_fix_message(&message),
                is_merge: commit.parent_count() > 1,
            });
            if shallow_roots.contains(&oid) {
                // Its parent is not here: its diff would claim it added every file.
                history.shallow = true;
                break;
            }
            let parent_tree = match commit.parent(0) {
                Ok(parent) => Some(parent.tree()?),
                Err(_) => None,
            };
            let tree = commit.tree()?;
            let mut diff =
                self.git.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))?;
            diff.find_similar(Some(&mut find))?;
            for (delta_index, delta) in diff.deltas().enumerate() {
                let old_path = delta.old_file().path().map(path_string);
                let new_path = delta.new_file().path().map(path_string);
                let status = delta.status();
                if status == git2::Delta::Deleted {
                    if let Some(old) = old_path {
                        tracks.insert(old, Track::Dead);
                    }
                    continue;
                }
                let Some(new) = new_path else { continue };
                let track = tracks.remove(&new).unwrap_or_else(|| Track::Alive {
                    // Untouched by every later commit: HEAD has it as it is here.
                    head_path: new.clone(),
                    map: LineMap::identity(),
                });
                let Track::Alive { head_path, map } = track else {
                    tracks.insert(new, Track::Dead);
                    continue;
                };
                let file = files
                    .entry(head_path.clone())
                    .or_insert_with(|| FileHistory { path: head_path.clone(), ..FileHistory::default() });
                if file.commits.last() != Some(&index) {
                    file.commits.push(index);
                }
                let patch = if delta.flags().is_binary() {
                    None
                } else {
                    git2::Patch::from_diff(&diff, delta_index)?
                };
                let hunks = patch.as_ref().map(hunks_of).unwrap_or_default();
                if let Some(patch) = &patch {
                    let (_, added, removed) = patch.line_stats()?;
                    file.added += added as u32;
                    file.removed += removed as u32;
                }
                for hunk in &hunks {
                    for range in map.to_head(hunk.new_range()) {
                        file.touches.push((index, range));
                    }
                }
                match status {
                    git2::Delta::Added | git2::Delta::Copied => {
                        tracks.insert(new, Track::Dead);
                    }
                    git2::Delta::Renamed => {
                        let rewound = map.before(&hunks);
                        tracks.insert(new, Track::Dead);
                        if let Some(old) = old_path {
                            tracks.insert(old, Track::Alive { head_path, map: rewound });
                        }
                    }
                    _ => {
                        let rewound = map.before(&hunks);
                        tracks.insert(new, Track::Alive { head_path, map: rewound });
                    }
                }
            }
        }
        let mut files: Vec<FileHistory> = files.into_values().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        history.files = files;
        Ok(history)
    }

    /// The commits a shallow clone cut the history at (`.git/shallow`).
    fn shallow_roots(&self) -> HashSet<git2::Oid> {
        if !self.git.is_shallow() {
            return HashSet::new();
        }
        std::fs::read_to_string(self.git.path().join("shallow"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| git2::Oid::from_str(line.trim()).ok())
            .collect()
    }
}

/// The lines one commit removed from and added to a file, against its first
/// parent (text only, line endings dropped).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommitLines {
    /// Lines of the parent's version that the commit took out.
    pub removed: Vec<String>,
    /// Lines the commit put in.
    pub added: Vec<String>,
}

impl Repo {
    /// What commit `id` did to `path` (its path in that commit); `None` when
    /// it left the file alone or the file is binary.
    pub fn commit_lines(&self, id: &CommitId, path: &str) -> Result<Option<CommitLines>, GitError> {
        let commit = self.git.find_commit(git2::Oid::from_str(&id.0)?)?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree()?),
            Err(_) => None,
        };
        let mut options = git2::DiffOptions::new();
        options.context_lines(0).pathspec(path).disable_pathspec_match(true);
        let diff =
            self.git.diff_tree_to_tree(parent_tree.as_ref(), Some(&commit.tree()?), Some(&mut options))?;
        let Some(delta) = (0..diff.deltas().len()).find(|&i| {
            diff.get_delta(i).and_then(|d| d.new_file().path().map(path_string)).as_deref() == Some(path)
        }) else {
            return Ok(None);
        };
        let Some(patch) = git2::Patch::from_diff(&diff, delta)? else { return Ok(None) };
        let mut lines = CommitLines::default();
        for hunk in 0..patch.num_hunks() {
            for line in 0..patch.num_lines_in_hunk(hunk)? {
                let line = patch.line_in_hunk(hunk, line)?;
                let text = lossy(line.content()).trim_end_matches(['\n', '\r']).to_owned();
                match line.origin() {
                    '-' => lines.removed.push(text),
                    '+' => lines.added.push(text),
                    _ => {}
                }
            }
        }
        Ok(Some(lines))
    }
}
