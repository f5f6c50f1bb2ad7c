//! Scratch repositories for tests (Aura's own and its callers'), driven
//! through the `git` command line with a fixed identity and clock so ids and
//! times repeat. Not for production use.

use std::path::Path;
use std::process::Command;

use crate::Repo;

/// A scratch repository driven through the `git` command line, with a fixed
/// identity and clock so ids and times are repeatable.
pub struct Script {
    dir: tempfile::TempDir,
    /// The next commit's time (Unix seconds); each commit adds an hour.
    pub clock: i64,
}

impl Default for Script {
    fn default() -> Self {
        Script::new()
    }
}

impl Script {
    /// A fresh repository on branch `main`.
    pub fn new() -> Script {
        let script = Script { dir: tempfile::tempdir().unwrap(), clock: 1_700_000_000 };
        script.git(&["init", "-q", "-b", "main"]);
        script
    }

    /// Its working tree.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run `git ARGS` in it; panics on failure.
    pub fn git(&self, args: &[&str]) -> String {
        run_git(self.path(), args, self.clock)
    }

    /// Write a file (folders created).
    pub fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// Stage everything and commit; returns the commit id.
    pub fn commit(&mut self, message: &str) -> String {
        self.clock += 3600;
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    /// Open it.
    pub fn repo(&self) -> Repo {
        Repo::discover(self.path()).unwrap()
    }
}

/// Run `git ARGS` in `dir` at time `clock`; panics on failure.
pub fn run_git(dir: &Path, args: &[&str], clock: i64) -> String {
    let date = format!("@{clock} +0000");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Lines `"{tag} {i}\n"` for each `i` in `n`.
pub fn lines(n: std::ops::Range<u32>, tag: &str) -> String {
    n.map(|i| format!("{tag} {i}\n")).collect()
}
