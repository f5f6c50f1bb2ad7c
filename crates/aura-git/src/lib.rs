//! Repository facts for Aura, read with git2 (no network, no OpenSSL): the
//! working-tree and staged diff against HEAD as line hunks, first-parent
//! history with each commit's changes mapped onto HEAD's lines (churn),
//! blame, and the wording that marks a fix commit.
//!
//! Nothing here knows about functions or languages: `aura-ide` maps these
//! line facts onto tree-sitter functions. No git2 type appears in a public
//! signature, so the backend can change without touching callers. Every
//! call is blocking; callers run them off the protocol task.

#![warn(missing_docs)]

mod blame;
mod diff;
mod history;
mod lines;
mod message;
mod repo;
#[doc(hidden)]
pub mod testing;

pub use blame::{BlameCommit, FileBlame};
pub use diff::{path_string, ChangeKind, FileChange, Scope, Side};
pub use history::{CommitInfo, CommitLines, FileHistory, History, Window};
pub use lines::{diff_text, new_to_old, Hunk};
pub use message::{conventional_type, is_fix_message};
pub use repo::{CommitId, Head, Repo};

/// Why a repository fact could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No repository encloses the path.
    #[error("{0} is not inside a git repository")]
    NotARepository(String),
    /// The repository has no working tree.
    #[error("{0} is a bare repository (no working tree)")]
    Bare(String),
    /// HEAD has no commit yet.
    #[error("the repository has no commits yet")]
    NoCommits,
    /// A path is not inside the repository's working tree.
    #[error("{0} is outside the repository's working tree")]
    OutsideWorkdir(String),
    /// Anything libgit2 reported.
    #[error("git: {0}")]
    Git(String),
}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        GitError::Git(e.message().to_owned())
    }
}
