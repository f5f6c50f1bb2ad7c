//! Opening a repository and reading HEAD, files and paths.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::GitError;

/// A commit's full hexadecimal id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitId(pub String);

impl CommitId {
    pub(crate) fn of(oid: git2::Oid) -> CommitId {
        CommitId(oid.to_string())
    }

    /// The first seven hex digits, as `git log --oneline` shows them.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(7)]
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What HEAD points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// A branch with at least one commit.
    Branch {
        /// The branch's short name.
        name: String,
        /// Its tip.
        commit: CommitId,
    },
    /// A commit checked out directly.
    Detached {
        /// The commit.
        commit: CommitId,
    },
    /// A branch with no commit yet (a fresh repository).
    Unborn {
        /// The branch HEAD names.
        branch: String,
    },
}

impl Head {
    /// The commit HEAD resolves to, if any.
    pub fn commit(&self) -> Option<&CommitId> {
        match self {
            Head::Branch { commit, .. } | Head::Detached { commit } => Some(commit),
            Head::Unborn { .. } => None,
        }
    }
}

/// An open repository with a working tree.
pub struct Repo {
    pub(crate) git: git2::Repository,
    workdir: PathBuf,
}

impl fmt::Debug for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Repo").field("workdir", &self.workdir).finish()
    }
}

impl Repo {
    /// The repository enclosing `path` (a file or a folder), searching
    /// upwards the way `git` does.
    pub fn discover(path: &Path) -> Result<Repo, GitError> {
        let git = git2::Repository::discover(path).map_err(|e| match e.code() {
            git2::ErrorCode::NotFound => GitError::NotARepository(path.display().to_string()),
            _ => GitError::from(e),
        })?;
        let workdir = git.workdir().ok_or_else(|| GitError::Bare(git.path().display().to_string()))?;
        // Canonical, so that paths the editor sends (often through symlinks
        // such as /tmp on macOS) can be made relative to it.
        let workdir = workdir.canonicalize().unwrap_or_else(|_| workdir.to_path_buf());
        Ok(Repo { git, workdir })
    }

    /// The working tree's root.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Whether the history was cut off (`git clone --depth`).
    pub fn is_shallow(&self) -> bool {
        self.git.is_shallow()
    }

    /// What HEAD points at.
    pub fn head(&self) -> Result<Head, GitError> {
        match self.git.head() {
            Ok(reference) => {
                let commit = CommitId::of(reference.peel_to_commit()?.id());
                if self.git.head_detached().unwrap_or(false) {
                    Ok(Head::Detached { commit })
                } else {
                    let name = lossy(reference.shorthand_bytes());
                    Ok(Head::Branch { name, commit })
                }
            }
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch || e.code() == git2::ErrorCode::NotFound => {
                let branch = self
                    .git
                    .find_reference("HEAD")
                    .ok()
                    .and_then(|r| {
                        r.symbolic_target_bytes()
                            .map(|t| lossy(t).trim_start_matches("refs/heads/").to_owned())
                    })
                    .unwrap_or_else(|| "main".to_owned());
                Ok(Head::Unborn { branch })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// `path` relative to the working tree, with `/` separators.
    pub fn relative(&self, path: &Path) -> Result<String, GitError> {
        let absolute = if path.is_absolute() { path.to_path_buf() } else { self.workdir.join(path) };
        let canonical = absolute.canonicalize().or_else(|_| {
            // A deleted file: canonicalise its folder instead.
            let parent = absolute.parent().and_then(|p| p.canonicalize().ok());
            match (parent, absolute.file_name()) {
                (Some(parent), Some(name)) => Ok(parent.join(name)),
                _ => Err(()),
            }
        });
        let canonical = canonical.unwrap_or(absolute);
        let relative = canonical
            .strip_prefix(&self.workdir)
            .map_err(|_| GitError::OutsideWorkdir(path.display().to_string()))?;
        Ok(crate::diff::path_string(relative))
    }

    /// The file at `path` (relative, `/`-separated) in HEAD's tree; `None`
    /// when HEAD has no such file or no commit.
    pub fn head_file(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let Some(tree) = self.head_tree()? else { return Ok(None) };
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        match entry.to_object(&self.git)?.into_blob() {
            Ok(blob) => Ok(Some(blob.content().to_vec())),
            Err(_) => Ok(None),
        }
    }

    /// The staged copy of `path`, if the index has one.
    pub fn index_file(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let index = self.git.index()?;
        let Some(entry) = index.get_path(Path::new(path), 0) else { return Ok(None) };
        Ok(Some(self.git.find_blob(entry.id)?.content().to_vec()))
    }

    /// Every file in HEAD's tree (relative paths), for whole-repository scans.
    pub fn head_paths(&self) -> Result<Vec<String>, GitError> {
        let Some(tree) = self.head_tree()? else { return Ok(Vec::new()) };
        let mut paths = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |root, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                paths.push(format!("{root}{}", entry.name().unwrap_or("")));
            }
            git2::TreeWalkResult::Ok
        })?;
        Ok(paths)
    }

    pub(crate) fn head_tree(&self) -> Result<Option<git2::Tree<'_>>, GitError> {
        match self.git.head() {
            Ok(head) => Ok(Some(head.peel_to_tree()?)),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch || e.code() == git2::ErrorCode::NotFound => {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// Text git stores as bytes (names, messages): invalid UTF-8 is replaced,
/// never an error.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
