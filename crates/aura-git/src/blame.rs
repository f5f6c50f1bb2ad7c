//! Blame of a file at HEAD: for each line, the commit that last changed it.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::repo::{lossy, CommitId, Repo};
use crate::GitError;

/// The commit behind some blamed lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlameCommit {
    /// Its id.
    pub id: CommitId,
    /// The author's name.
    pub author: String,
    /// Author time, Unix seconds.
    pub time: i64,
    /// The subject line.
    pub summary: String,
}

/// Who last changed each line of a file at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileBlame {
    /// Stretches of HEAD lines (0-based, half-open), each with an index into `commits`.
    hunks: Vec<(Range<u32>, usize)>,
    commits: Vec<BlameCommit>,
}

impl FileBlame {
    /// The commit that last changed HEAD's line `line` (0-based).
    pub fn at(&self, line: u32) -> Option<&BlameCommit> {
        let i = self.hunks.partition_point(|(range, _)| range.end <= line);
        let (range, commit) = self.hunks.get(i)?;
        range.contains(&line).then(|| &self.commits[*commit])
    }

    /// Lines covered.
    pub fn len(&self) -> u32 {
        self.hunks.last().map_or(0, |(range, _)| range.end)
    }

    /// Whether no line is blamed (an empty file).
    pub fn is_empty(&self) -> bool {
        self.hunks.is_empty()
    }
}

impl Repo {
    /// Blame `path` (relative) as of HEAD.
    pub fn blame(&self, path: &str) -> Result<FileBlame, GitError> {
        if self.head()?.commit().is_none() {
            return Err(GitError::NoCommits);
        }
        let mut options = git2::BlameOptions::new();
        let blame = self.git.blame_file(Path::new(path), Some(&mut options))?;
        let mut out = FileBlame::default();
        let mut seen: HashMap<git2::Oid, usize> = HashMap::new();
        for hunk in blame.iter() {
            let oid = hunk.final_commit_id();
            let index = match seen.get(&oid) {
                Some(&index) => index,
                None => {
                    let signature = hunk.final_signature();
                    let summary = self
                        .git
                        .find_commit(oid)
                        .ok()
                        .map(|c| lossy(c.summary_bytes().unwrap_or_default()))
                        .unwrap_or_default();
                    out.commits.push(BlameCommit {
                        id: CommitId::of(oid),
                        author: signature.as_ref().map(|s| lossy(s.name_bytes())).unwrap_or_default(),
                        time: signature.as_ref().map_or(0, |s| s.when().seconds()),
                        summary,
                    });
                    seen.insert(oid, out.commits.len() - 1);
                    out.commits.len() - 1
                }
            };
            let start = (hunk.final_start_line() as u32).saturating_sub(1);
            out.hunks.push((start..start + hunk.lines_in_hunk() as u32, index));
        }
        out.hunks.sort_by_key(|(range, _)| range.start);
        Ok(out)
    }
}
