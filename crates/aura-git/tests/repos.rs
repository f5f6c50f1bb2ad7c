//! Temporary repositories built with scripted `git` commands: every shape
//! the editor meets (fresh, renamed, binary, merged, detached, shallow, none).

use std::path::{Path, PathBuf};

use aura_git::testing::{run_git, Script};
use aura_git::{ChangeKind, GitError, Head, Repo, Scope, Side, Window};

use aura_git::testing::lines;

#[test]
fn no_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    // A folder of its own under the temp dir: /tmp itself is not a repository here.
    let err = Repo::discover(dir.path()).unwrap_err();
    assert!(matches!(err, GitError::NotARepository(_)), "{err:?}");
    assert!(err.to_string().contains("not inside a git repository"));
}

#[test]
fn an_empty_repository_has_an_unborn_head_and_only_untracked_changes() {
    let s = Script::new();
    s.write("src/app.py", "def main():\n    pass\n");
    let repo = s.repo();
    assert_eq!(repo.head().unwrap(), Head::Unborn { branch: "main".into() });
    let changes = repo.changes(Scope::WorkingTree).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].path.as_str(), changes[0].kind, changes[0].untracked),
        ("src/app.py", ChangeKind::Added, true)
    );
    assert_eq!(changes[0].added, 2);
    assert!(repo.changes(Scope::Staged).unwrap().is_empty());
    let history = repo.history(Window::default()).unwrap();
    assert!(history.commits.is_empty() && history.files.is_empty());
    assert!(matches!(repo.blame("src/app.py"), Err(GitError::NoCommits)));
    assert_eq!(repo.head_file("src/app.py").unwrap(), None);
}

#[test]
fn working_tree_and_staged_scopes_differ() {
    let mut s = Script::new();
    s.write("a.txt", &lines(0..10, "a"));
    s.write("b.txt", &lines(0..10, "b"));
    s.commit("init");
    s.write("a.txt", &lines(0..10, "a").replace("a 3\n", "A 3\nnew\n"));
    s.git(&["add", "a.txt"]);
    s.write("b.txt", &lines(0..9, "b"));
    let repo = s.repo();
    let staged = repo.changes(Scope::Staged).unwrap();
    assert_eq!(staged.len(), 1);
    assert_eq!(staged[0].path, "a.txt");
    assert_eq!(staged[0].hunks.len(), 1);
    assert_eq!((staged[0].hunks[0].old_range(), staged[0].hunks[0].new_range()), (3..4, 3..5));
    let all = repo.changes(Scope::WorkingTree).unwrap();
    let paths: Vec<_> = all.iter().map(|c| (c.path.as_str(), c.added, c.removed)).collect();
    assert_eq!(paths, vec![("a.txt", 2, 1), ("b.txt", 0, 1)]);
    assert_eq!(repo.file("b.txt", Side::Head).unwrap().unwrap(), lines(0..10, "b").into_bytes());
    assert_eq!(repo.file("b.txt", Side::WorkTree).unwrap().unwrap(), lines(0..9, "b").into_bytes());
    assert_eq!(
        repo.file("a.txt", Side::Index).unwrap().unwrap(),
        std::fs::read(s.path().join("a.txt")).unwrap()
    );
}

#[test]
fn history_maps_old_changes_onto_head_lines() {
    let mut s = Script::new();
    // f: lines 0-4, g: lines 5-9.
    s.write("m.py", &format!("{}{}", lines(0..5, "f"), lines(0..5, "g")));
    let c1 = s.commit("feat: f and g");
    s.write("m.py", &format!("{}{}", lines(0..5, "f"), lines(0..5, "g").replace("g 2", "G 2")));
    let c2 = s.commit("fix: g's second line");
    // Three lines on top shift everything down by three.
    s.write(
        "m.py",
        &format!("{}{}{}", lines(0..3, "top"), lines(0..5, "f"), lines(0..5, "g").replace("g 2", "G 2")),
    );
    let c3 = s.commit("docs: a header");
    let history = s.repo().history(Window::default()).unwrap();
    let ids: Vec<_> = history.commits.iter().map(|c| c.id.0.clone()).collect();
    assert_eq!(ids, vec![c3, c2, c1]);
    assert_eq!(history.commits.iter().map(|c| c.is_fix).collect::<Vec<_>>(), vec![false, true, false]);
    let file = &history.files[0];
    assert_eq!(file.path, "m.py");
    assert_eq!(file.commits, vec![0, 1, 2]);
    // HEAD: top 0-2, f 3-7, g 8-12; g's changed line is HEAD line 10.
    assert_eq!(file.commits_touching(0..3), vec![0]);
    // f's lines were added by c1 only.
    assert_eq!(file.commits_touching(3..8), vec![2]);
    assert_eq!(file.commits_touching(8..13), vec![1, 2]);
    assert_eq!(file.commits_touching(10..11), vec![1, 2]);
    assert_eq!(file.commits_touching(9..10), vec![2]);
    assert_eq!((file.added, file.removed), (14, 1));
}

#[test]
fn renames_are_followed_into_older_history() {
    let mut s = Script::new();
    s.write("old/name.rs", &lines(0..20, "x"));
    s.commit("add");
    s.write("old/name.rs", &lines(0..20, "x").replace("x 5\n", "y 5\n"));
    s.commit("edit line 5");
    s.git(&["mv", "old/name.rs", "new.rs"]);
    s.commit("move");
    s.write("new.rs", &format!("head\n{}", lines(0..20, "x").replace("x 5\n", "y 5\n")));
    s.commit("edit after move");
    let history = s.repo().history(Window::default()).unwrap();
    assert_eq!(history.files.len(), 1, "{:?}", history.files);
    let file = &history.files[0];
    assert_eq!(file.path, "new.rs");
    assert_eq!(file.commits, vec![0, 1, 2, 3]);
    // "y 5" is HEAD line 6 (after the new header): "edit line 5" rewrote what
    // "add" wrote; "x 0" (HEAD line 1) goes back through the move to "add".
    assert_eq!(file.commits_touching(6..7), vec![2, 3]);
    assert_eq!(file.commits_touching(1..2), vec![3]);
    assert_eq!(file.commits_touching(0..1), vec![0]);
}

#[test]
fn deleted_and_recreated_files_keep_only_their_current_life() {
    let mut s = Script::new();
    s.write("a.txt", &lines(0..5, "old"));
    s.commit("first life");
    std::fs::remove_file(s.path().join("a.txt")).unwrap();
    s.commit("delete");
    s.write("a.txt", &lines(0..3, "new"));
    s.commit("second life");
    let history = s.repo().history(Window::default()).unwrap();
    assert_eq!(history.files[0].commits, vec![0]);
    assert_eq!(history.files[0].commits_touching(0..100), vec![0]);
}

#[test]
fn binary_files_count_as_changed_without_lines() {
    let mut s = Script::new();
    std::fs::write(s.path().join("logo.png"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    s.commit("logo");
    std::fs::write(s.path().join("logo.png"), [0u8, 1, 2, 3, 0, 9]).unwrap();
    let changes = s.repo().changes(Scope::WorkingTree).unwrap();
    assert!(changes[0].binary && changes[0].hunks.is_empty(), "{changes:?}");
    s.commit("new logo");
    let history = s.repo().history(Window::default()).unwrap();
    assert_eq!(history.files[0].commits, vec![0, 1]);
    assert!(history.files[0].touches.is_empty());
}

#[test]
fn merges_are_one_change_on_the_first_parent_chain() {
    let mut s = Script::new();
    s.write("lib.c", &lines(0..10, "l"));
    s.commit("base");
    s.git(&["checkout", "-q", "-b", "topic"]);
    s.write("lib.c", &lines(0..10, "l").replace("l 1\n", "L 1\n"));
    s.commit("topic: one");
    s.write("lib.c", &lines(0..10, "l").replace("l 1\n", "L 1\n").replace("l 8\n", "L 8\n"));
    s.commit("topic: two");
    s.git(&["checkout", "-q", "main"]);
    s.write("other.c", "int x;\n");
    s.commit("main: other");
    s.clock += 60;
    s.git(&["merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic"]);
    let history = s.repo().history(Window::default()).unwrap();
    let summaries: Vec<_> = history.commits.iter().map(|c| (c.summary.as_str(), c.is_merge)).collect();
    assert_eq!(summaries, vec![("Merge branch 'topic'", true), ("main: other", false), ("base", false)]);
    let lib = history.files.iter().find(|f| f.path == "lib.c").unwrap();
    assert_eq!(lib.commits, vec![0, 2]);
    assert_eq!(lib.commits_touching(1..2), vec![0, 2]);
    assert_eq!(lib.commits_touching(8..9), vec![0, 2]);
    assert_eq!(lib.commits_touching(4..5), vec![2]);
}

#[test]
fn a_detached_head_and_a_window_limit() {
    let mut s = Script::new();
    let mut ids = Vec::new();
    for i in 0..5 {
        s.write("n.txt", &format!("{i}\n"));
        ids.push(s.commit(&format!("c{i}")));
    }
    s.git(&["checkout", "-q", "--detach", &ids[3]]);
    let repo = s.repo();
    assert_eq!(repo.head().unwrap(), Head::Detached { commit: aura_git::CommitId(ids[3].clone()) });
    let history = repo.history(Window { max_commits: 2, since: None }).unwrap();
    assert_eq!(history.commits.len(), 2);
    assert!(history.truncated);
    assert_eq!(history.commits[0].id.0, ids[3]);
    // Author times are one hour apart: a `since` between c1 and c2 keeps c2 and c3.
    let since = Some(1_700_000_000 + 3 * 3600 - 1);
    let history = repo.history(Window { max_commits: 100, since }).unwrap();
    assert_eq!(history.commits.iter().map(|c| c.summary.as_str()).collect::<Vec<_>>(), vec!["c3", "c2"]);
    assert!(!history.truncated);
}

#[test]
fn a_shallow_clone_stops_at_its_cut_without_claiming_every_file() {
    let mut s = Script::new();
    s.write("a.txt", &lines(0..5, "a"));
    s.write("b.txt", &lines(0..5, "b"));
    s.commit("one");
    s.write("a.txt", &lines(0..6, "a"));
    s.commit("two");
    s.write("a.txt", &lines(0..7, "a"));
    s.commit("three");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", s.path().display());
    let target: PathBuf = clone.path().join("c");
    run_git(clone.path(), &["clone", "-q", "--depth", "2", &url, target.to_str().unwrap()], s.clock);
    let repo = Repo::discover(&target).unwrap();
    assert!(repo.is_shallow());
    let history = repo.history(Window::default()).unwrap();
    assert!(history.shallow);
    assert_eq!(history.commits.iter().map(|c| c.summary.as_str()).collect::<Vec<_>>(), vec!["three", "two"]);
    // "two" is the cut: its diff is unknown, so only "three" counts, and b.txt not at all.
    assert_eq!(
        history.files.iter().map(|f| (f.path.as_str(), f.commits.clone())).collect::<Vec<_>>(),
        vec![("a.txt", vec![0])]
    );
}

#[test]
fn blame_names_the_last_change_per_line() {
    let mut s = Script::new();
    s.write("x.go", &lines(0..4, "x"));
    s.commit("first");
    s.write("x.go", &lines(0..4, "x").replace("x 2\n", "X 2\n"));
    let second = s.commit("second: line two");
    let blame = s.repo().blame("x.go").unwrap();
    assert_eq!(blame.len(), 4);
    assert_eq!(blame.at(0).unwrap().summary, "first");
    let two = blame.at(2).unwrap();
    assert_eq!(
        (two.id.0.as_str(), two.author.as_str(), two.summary.as_str()),
        (second.as_str(), "Ada", "second: line two")
    );
    assert_eq!(two.time, s.clock);
    assert!(blame.at(4).is_none());
    assert!(s.repo().blame("missing.go").is_err());
}

#[test]
fn relative_paths_through_the_workdir() {
    let s = Script::new();
    s.write("src/a.rs", "");
    let repo = s.repo();
    assert_eq!(repo.relative(&s.path().join("src/a.rs")).unwrap(), "src/a.rs");
    assert_eq!(repo.relative(&s.path().join("src/gone.rs")).unwrap(), "src/gone.rs");
    assert!(matches!(repo.relative(Path::new("/")), Err(GitError::OutsideWorkdir(_))));
}
