//! Divergent clones (AUR404): near-copies left behind by a fix. The shape
//! report's clusters say which functions are copies of each other; the
//! first-parent history, mapped onto HEAD's lines, says which commits
//! changed each one; a working-tree file that differs from HEAD is diffed so
//! its functions' lines are mapped back to HEAD's first. The judgement itself
//! is `aura_shape::insights::divergent_clones`.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use aura_git::{
    diff_text, new_to_old, CommitId, CommitLines, FileHistory, GitError, History, Hunk, Repo, Window,
};
use aura_shape::insights::{divergent_clones, Change, Divergence, FunctionRef};
use aura_shape::ShapeReport;

/// Fill `report.divergent` from `repo`'s history within `window`. `root` is
/// the folder the report's paths are relative to (the repository's working
/// tree or a folder inside it). No clusters, no history walk.
pub fn add_divergent(
    report: &mut ShapeReport,
    repo: &Repo,
    root: &Path,
    window: Window,
) -> Result<(), GitError> {
    report.divergent = if report.clusters.is_empty() {
        Vec::new()
    } else {
        divergent_in(report, repo, root, &repo.history(window)?)
    };
    Ok(())
}

/// A committed report file: its repository path, the hunks from HEAD to the
/// working tree, and the working tree's lines (normalised), each read once.
struct Committed {
    repo_path: String,
    hunks: Vec<Hunk>,
    lines: Vec<String>,
}

impl Committed {
    fn read(repo: &Repo, root: &Path, file: &str) -> Option<Committed> {
        let full = root.join(file);
        let repo_path = repo.relative(&full).ok()?;
        let head = repo.head_file(&repo_path).ok()??;
        let work = std::fs::read(&full).ok()?;
        let hunks = if head == work { Vec::new() } else { diff_text(&head, &work) };
        let lines = String::from_utf8_lossy(&work).lines().map(normalise).collect();
        Some(Committed { repo_path, hunks, lines })
    }

    /// The normalised lines of `f`.
    fn lines_of(&self, f: &FunctionRef) -> HashSet<String> {
        let end = (f.end_line as usize).min(self.lines.len());
        self.lines[(f.start_line as usize - 1).min(end)..end].iter().cloned().collect()
    }
}

/// The divergences of `report`'s clusters over an already walked `history`.
pub fn divergent_in(report: &ShapeReport, repo: &Repo, root: &Path, history: &History) -> Vec<Divergence> {
    let by_path: HashMap<&str, &FileHistory> = history.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let ids: HashMap<&str, &CommitId> = history.commits.iter().map(|c| (c.id.short(), &c.id)).collect();
    // Per report path, `None` when HEAD does not have it. Both closures
    // below read it; `divergent_clones` holds them at once.
    let files: RefCell<HashMap<String, Option<Committed>>> = RefCell::default();
    let committed = |file: &str| {
        let mut files = files.borrow_mut();
        if !files.contains_key(file) {
            files.insert(file.to_owned(), Committed::read(repo, root, file));
        }
        std::cell::RefMut::filter_map(files, |f| f.get_mut(file).and_then(Option::as_mut)).ok()
    };
    let mut commit_lines: HashMap<(String, String), Option<CommitLines>> = HashMap::new();
    let missed = |fix: &Change, fixed: &FunctionRef, stale: &FunctionRef| {
        let Some(id) = ids.get(fix.commit.as_str()) else { return true };
        let Some((path, fixed_lines)) =
            committed(&fixed.file).map(|c| (c.repo_path.clone(), c.lines_of(fixed)))
        else {
            return true;
        };
        let Some(stale_lines) = committed(&stale.file).map(|c| c.lines_of(stale)) else { return true };
        let lines = commit_lines
            .entry((fix.commit.clone(), path.clone()))
            .or_insert_with(|| repo.commit_lines(id, &path).ok().flatten());
        let Some(lines) = lines else { return true };
        still_reads_as_before(lines, &fixed_lines, &stale_lines)
    };
    divergent_clones(
        report,
        |f: &FunctionRef| {
            let file = committed(&f.file)?;
            let start = new_to_old(&file.hunks, f.start_line - 1)?;
            let end = new_to_old(&file.hunks, f.end_line - 1)?;
            let Some(history_of) = by_path.get(file.repo_path.as_str()) else {
                // Committed, but no commit in the window changed the file.
                return Some(Vec::new());
            };
            Some(
                history_of
                    .commits_touching(start..end + 1)
                    .into_iter()
                    .map(|c| {
                        let commit = &history.commits[c as usize];
                        Change {
                            commit: commit.id.short().to_owned(),
                            summary: commit.summary.clone(),
                            time: commit.time,
                            is_fix: commit.is_fix,
                        }
                    })
                    .collect(),
            )
        },
        missed,
    )
}

/// Lines compared with whitespace runs collapsed.
fn normalise(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the stale copy still reads the way the fixed one did before the
/// fix: it keeps a line the fix took out (and the fixed copy no longer has);
/// or, for a fix that only added lines, it has none of the added lines the
/// fixed copy now has. Short lines (`}`, `else:`) say nothing either way.
fn still_reads_as_before(fix: &CommitLines, fixed: &HashSet<String>, stale: &HashSet<String>) -> bool {
    let telling = |lines: &[String]| -> Vec<String> {
        lines.iter().map(|l| normalise(l)).filter(|l| l.chars().count() >= 8).collect()
    };
    let removed: Vec<String> = telling(&fix.removed).into_iter().filter(|l| !fixed.contains(l)).collect();
    if !removed.is_empty() {
        return removed.iter().any(|l| stale.contains(l));
    }
    let added: Vec<String> = telling(&fix.added).into_iter().filter(|l| fixed.contains(l)).collect();
    !added.is_empty() && added.iter().all(|l| !stale.contains(l))
}

#[cfg(test)]
mod tests {
    use aura_git::testing::Script;
    use aura_shape::insights::{Cluster, Member};

    use super::*;

    const LOADER: &str = "def load_NAME(path):\n    with open(path) as f:\n        rows = json.load(f)\n    return [Row(**r) for r in rows if r.get(\"active\")]\n";

    fn function(file: &str, name: &str, start_line: u32) -> FunctionRef {
        FunctionRef {
            file: file.into(),
            name: name.into(),
            start_line,
            end_line: start_line + 3,
            name_range: 4..8,
        }
    }

    /// Two copies in a cluster, as the embedding analysis would report them.
    fn cluster_of(a: FunctionRef, b: FunctionRef) -> ShapeReport {
        let member = |function, nearest| Member { function, nearest, similarity: 0.97 };
        ShapeReport {
            clusters: vec![Cluster {
                members: vec![member(a, 1), member(b, 0)],
                similarity: 0.97,
                token_clone: false,
            }],
            ..ShapeReport::default()
        }
    }

    fn fixed(copy: &str) -> String {
        copy.replace("r.get(\"active\")]", "r.get(\"active\") and r.get(\"id\")]")
    }

    #[test]
    fn a_fix_to_one_copy_flags_the_other_until_it_gets_the_fix_too() {
        let mut git = Script::new();
        git.write("users.py", &LOADER.replace("NAME", "users"));
        git.write("admins.py", &format!("import json\n\n{}", LOADER.replace("NAME", "admins")));
        git.commit("add the loaders");
        git.write("users.py", &fixed(&LOADER.replace("NAME", "users")));
        let fix = git.commit("fix: skip rows without an id");
        let mut report =
            cluster_of(function("users.py", "load_users", 1), function("admins.py", "load_admins", 3));
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert_eq!(report.divergent.len(), 1, "{:?}", report.divergent);
        let d = &report.divergent[0];
        assert_eq!((d.stale.name.as_str(), d.fixed.name.as_str()), ("load_admins", "load_users"));
        assert_eq!(d.commit, fix[..d.commit.len()]);
        assert_eq!(d.summary, "fix: skip rows without an id");

        let diagnostics = aura_shape::insights::divergent_clone_diagnostics(&report, "admins.py");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].message,
            format!("near-copy `load_users` in users.py was fixed by {} \"fix: skip rows without an id\"; this copy was not", d.commit)
        );
        assert_eq!(diagnostics[0].related[0].file, "users.py");
        assert!(aura_shape::insights::divergent_clone_diagnostics(&report, "users.py").is_empty());

        // The same fix applied to the copy later: nothing left behind.
        git.write("admins.py", &fixed(&format!("import json\n\n{}", LOADER.replace("NAME", "admins"))));
        git.commit("apply the id check to admins too");
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert!(report.divergent.is_empty(), "{:?}", report.divergent);
    }

    #[test]
    fn non_fix_changes_copies_made_after_the_fix_and_unknown_history_are_not_flagged() {
        let mut git = Script::new();
        git.write("users.py", &LOADER.replace("NAME", "users"));
        git.write("admins.py", &LOADER.replace("NAME", "admins"));
        git.commit("add the loaders");
        git.write("users.py", &LOADER.replace("NAME", "users").replace("path", "source"));
        git.commit("rename the parameter");
        let mut report =
            cluster_of(function("users.py", "load_users", 1), function("admins.py", "load_admins", 1));
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert!(report.divergent.is_empty(), "a refactor is not a fix: {:?}", report.divergent);

        git.write("users.py", &fixed(&LOADER.replace("NAME", "users")));
        git.commit("fix: skip rows without an id");
        git.write("guests.py", &fixed(&LOADER.replace("NAME", "guests")));
        git.commit("add guests, copied from users");
        let mut report =
            cluster_of(function("users.py", "load_users", 1), function("guests.py", "load_guests", 1));
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert!(report.divergent.is_empty(), "copied after the fix: {:?}", report.divergent);

        // A copy that is not committed has no history to judge.
        git.write("staff.py", &LOADER.replace("NAME", "staff"));
        let mut report =
            cluster_of(function("users.py", "load_users", 1), function("staff.py", "load_staff", 1));
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert!(report.divergent.is_empty(), "{:?}", report.divergent);
    }

    #[test]
    fn working_tree_edits_above_a_copy_are_mapped_back_to_head_lines() {
        let mut git = Script::new();
        git.write("users.py", &LOADER.replace("NAME", "users"));
        git.write("admins.py", &LOADER.replace("NAME", "admins"));
        git.commit("add the loaders");
        git.write("users.py", &fixed(&LOADER.replace("NAME", "users")));
        git.commit("fix: skip rows without an id");
        git.write("admins.py", &fixed(&LOADER.replace("NAME", "admins")));
        git.commit("apply the id check to admins too");
        // Six new lines above the copy, not committed: read at its working
        // tree lines (7..10) the copy would look untouched since the fix.
        let header = "import json\nimport os\n\nLIMIT = 10\nDEBUG = False\n\n";
        git.write("admins.py", &format!("{header}{}", fixed(&LOADER.replace("NAME", "admins"))));
        let mut report =
            cluster_of(function("users.py", "load_users", 1), function("admins.py", "load_admins", 7));
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert!(report.divergent.is_empty(), "{:?}", report.divergent);
    }

    #[test]
    fn a_fix_to_lines_the_copy_never_had_or_that_made_the_function_is_not_flagged() {
        let mut git = Script::new();
        git.write("users.py", &LOADER.replace("NAME", "users"));
        git.write("admins.py", &LOADER.replace("NAME", "admins").replace("open(path)", "open(path, \"rb\")"));
        git.commit("add the loaders");
        git.write(
            "users.py",
            &LOADER.replace("NAME", "users").replace("open(path)", "open(path, encoding=\"utf-8\")"),
        );
        git.commit("fix: read users as UTF-8");
        let mut report =
            cluster_of(function("users.py", "load_users", 1), function("admins.py", "load_admins", 1));
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert!(
            report.divergent.is_empty(),
            "admins never had the line the fix replaced: {:?}",
            report.divergent
        );

        git.write("guests.py", &LOADER.replace("NAME", "guests"));
        git.commit("fix: guests could not log in (add their loader)");
        let mut report =
            cluster_of(function("guests.py", "load_guests", 1), function("admins.py", "load_admins", 1));
        add_divergent(&mut report, &git.repo(), git.path(), Window::default()).unwrap();
        assert!(report.divergent.is_empty(), "the fix made the copy: {:?}", report.divergent);
    }

    #[test]
    fn evidence_is_a_removed_line_the_copy_keeps_or_added_lines_it_lacks() {
        let set = |lines: &[&str]| lines.iter().map(|l| normalise(l)).collect::<HashSet<_>>();
        let fix = |removed: &[&str], added: &[&str]| CommitLines {
            removed: removed.iter().map(|l| l.to_string()).collect(),
            added: added.iter().map(|l| l.to_string()).collect(),
        };
        let replaced = fix(&["    x = parse(raw)"], &["    x = parse(raw or '')"]);
        assert!(still_reads_as_before(
            &replaced,
            &set(&["x = parse(raw or '')"]),
            &set(&["x  =  parse(raw)"])
        ));
        assert!(!still_reads_as_before(
            &replaced,
            &set(&["x = parse(raw or '')"]),
            &set(&["x = parse(raw or '')"])
        ));
        let added = fix(&[], &["    if raw is None:", "        return None"]);
        assert!(still_reads_as_before(
            &added,
            &set(&["if raw is None:", "return None"]),
            &set(&["x = parse(raw)"])
        ));
        assert!(!still_reads_as_before(
            &added,
            &set(&["if raw is None:", "return None"]),
            &set(&["return None"])
        ));
        assert!(
            !still_reads_as_before(&fix(&["}"], &["};"]), &set(&["};"]), &set(&["}"])),
            "short lines say nothing"
        );
    }
}
