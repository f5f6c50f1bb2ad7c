//! What changed against HEAD: in the working tree (staged or not, plus
//! untracked files) or in the index alone, as line hunks per file.

use std::path::Path;

use crate::lines::{hunks_of, Hunk};
use crate::repo::Repo;
use crate::GitError;

/// Which changes to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Everything in the working tree that differs from HEAD, untracked files included.
    #[default]
    WorkingTree,
    /// What `git commit` would record: the index against HEAD.
    Staged,
}

/// Which copy of a file to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// HEAD's tree.
    Head,
    /// The index.
    Index,
    /// The file on disk.
    WorkTree,
}

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// New (tracked or not).
    Added,
    /// Removed.
    Deleted,
    /// Edited in place.
    Modified,
    /// Moved, perhaps edited too.
    Renamed,
    /// A file turned into a symlink or the reverse.
    TypeChange,
}

impl ChangeKind {
    /// Lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed => "renamed",
            ChangeKind::TypeChange => "typechange",
        }
    }
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Its path now (relative, `/`-separated); for a deletion, the old path.
    pub path: String,
    /// Its path before a rename.
    pub old_path: Option<String>,
    /// How it changed.
    pub kind: ChangeKind,
    /// Whether git sees binary content (then `hunks` is empty).
    pub binary: bool,
    /// Not yet known to git.
    pub untracked: bool,
    /// Changed stretches, old side HEAD.
    pub hunks: Vec<Hunk>,
    /// Lines added.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
}

impl Repo {
    /// The files that differ from HEAD in `scope`. An unborn HEAD compares
    /// against the empty tree, so every file is added.
    pub fn changes(&self, scope: Scope) -> Result<Vec<FileChange>, GitError> {
        let head = self.head_tree()?;
        let mut options = git2::DiffOptions::new();
        options.context_lines(0).ignore_submodules(true);
        let mut diff = match scope {
            Scope::Staged => self.git.diff_tree_to_index(head.as_ref(), None, Some(&mut options))?,
            Scope::WorkingTree => {
                options.include_untracked(true).recurse_untracked_dirs(true).show_untracked_content(true);
                self.git.diff_tree_to_workdir_with_index(head.as_ref(), Some(&mut options))?
            }
        };
        let mut find = git2::DiffFindOptions::new();
        find.renames(true).for_untracked(true);
        diff.find_similar(Some(&mut find))?;
        let mut changes = Vec::new();
        for (index, delta) in diff.deltas().enumerate() {
            let path_of = |f: git2::DiffFile<'_>| f.path().map(path_string);
            let (old_path, new_path) = (path_of(delta.old_file()), path_of(delta.new_file()));
            let (kind, untracked) = match delta.status() {
                git2::Delta::Added | git2::Delta::Copied => (ChangeKind::Added, false),
                git2::Delta::Untracked => (ChangeKind::Added, true),
                git2::Delta::Deleted => (ChangeKind::Deleted, false),
                git2::Delta::Modified => (ChangeKind::Modified, false),
                git2::Delta::Renamed => (ChangeKind::Renamed, false),
                git2::Delta::Typechange => (ChangeKind::TypeChange, false),
                _ => continue,
            };
            let Some(path) = (if kind == ChangeKind::Deleted { old_path.clone() } else { new_path }) else {
                continue;
            };
            let patch = git2::Patch::from_diff(&diff, index)?;
            let binary = delta.flags().is_binary() || patch.is_none();
            let (hunks, added, removed) = match &patch {
                Some(patch) if !binary => {
                    let (_, added, removed) = patch.line_stats()?;
                    (hunks_of(patch), added as u32, removed as u32)
                }
                _ => (Vec::new(), 0, 0),
            };
            changes.push(FileChange {
                old_path: (kind == ChangeKind::Renamed).then_some(old_path).flatten(),
                path,
                kind,
                binary,
                untracked,
                hunks,
                added,
                removed,
            });
        }
        Ok(changes)
    }

    /// The unified diff of `scope` (3 lines of context), cut at `max_bytes`
    /// on a line boundary; for showing a model what changed.
    pub fn patch_text(&self, scope: Scope, max_bytes: usize) -> Result<String, GitError> {
        let head = self.head_tree()?;
        let mut options = git2::DiffOptions::new();
        options.ignore_submodules(true);
        let diff = match scope {
            Scope::Staged => self.git.diff_tree_to_index(head.as_ref(), None, Some(&mut options))?,
            Scope::WorkingTree => {
                self.git.diff_tree_to_workdir_with_index(head.as_ref(), Some(&mut options))?
            }
        };
        let mut out = String::new();
        let mut full = false;
        diff.print(git2::DiffFormat::Patch, |_, _, line| {
            let prefix = match line.origin() {
                c @ ('+' | '-' | ' ') => c.to_string(),
                _ => String::new(),
            };
            let text = format!("{prefix}{}", String::from_utf8_lossy(line.content()));
            if out.len() + text.len() > max_bytes {
                full = true;
                return false;
            }
            out.push_str(&text);
            true
        })
        .or_else(|e| if full { Ok(()) } else { Err(e) })?;
        if full {
            out.push_str("[diff cut here]\n");
        }
        Ok(out)
    }

    /// One copy of `path` (relative): HEAD's, the index's or the disk's.
    pub fn file(&self, path: &str, side: Side) -> Result<Option<Vec<u8>>, GitError> {
        match side {
            Side::Head => self.head_file(path),
            Side::Index => self.index_file(path),
            Side::WorkTree => match std::fs::read(self.workdir().join(path)) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(GitError::Git(format!("{path}: {e}"))),
            },
        }
    }
}

/// A relative path as git writes it: `/`-separated whatever the platform.
pub fn path_string(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
