//! Changed functions, impact, hotspots and commit drafts on scripted repositories.

use aura_git::testing::Script;
use aura_ide::check::CheckOptions;
use aura_ide::git::changes::{changed_files, changed_in_buffer, FunctionStatus};
use aura_ide::git::commit::{branch_name, draft};
use aura_ide::git::hotspots::hotspots;
use aura_ide::git::impact::impact;
use aura_ide::git::{Scope, Window};

const LIB: &str = "\
def parse_header(data):
    if not data:
        return None
    return data[:4]


def read_frame(stream):
    header = parse_header(stream.read(4))
    return header


def legacy_helper():
    return 1
";

fn project() -> Script {
    let mut s = Script::new();
    s.write("pkg/lib.py", LIB);
    s.write(
        "app/main.py",
        "from pkg.lib import parse_header\n\n\ndef run(stream):\n    # parse_header is documented elsewhere\n    text = \"parse_header\"\n    return parse_header(stream)\n\n\nvalue = parse_header(b'abcd')\n",
    );
    s.write("web/client.js", "function go() {\n  return parse_header(x);\n}\n");
    s.write("README.md", "# demo\n");
    s.commit("feat: first version");
    s
}

#[test]
fn functions_touched_by_a_working_tree_change() {
    let s = project();
    let changed = LIB.replace("return data[:4]", "return bytes(data[:4])").replace(
        "def legacy_helper():\n    return 1\n",
        "def checksum(frame):\n    return sum(frame) & 0xFF\n",
    );
    s.write("pkg/lib.py", &changed);
    let files = changed_files(&s.repo(), Scope::WorkingTree).unwrap();
    assert_eq!(files.len(), 1);
    let got: Vec<_> =
        files[0].functions.iter().map(|f| (f.name.as_str(), f.status, f.added, f.removed)).collect();
    assert_eq!(
        got,
        vec![
            ("parse_header", FunctionStatus::Modified, 1, 1),
            ("checksum", FunctionStatus::Added, 2, 2),
            ("legacy_helper", FunctionStatus::Deleted, 0, 2),
        ]
    );
    // Nothing staged yet.
    assert!(changed_files(&s.repo(), Scope::Staged).unwrap().is_empty());
    s.git(&["add", "pkg/lib.py"]);
    assert_eq!(changed_files(&s.repo(), Scope::Staged).unwrap()[0].functions.len(), 3);
}

#[test]
fn a_buffer_against_its_head_copy() {
    let buffer = LIB.replace(
        "header = parse_header",
        "header = parse_header  # read\n    header = header or b''\n    x = parse_header",
    );
    let got: Vec<_> = changed_in_buffer("pkg/lib.py", Some(LIB.as_bytes()), &buffer)
        .into_iter()
        .map(|f| (f.name, f.status, f.start_line))
        .collect();
    assert_eq!(got, vec![("read_frame".to_owned(), FunctionStatus::Modified, 7)]);
    let new: Vec<_> = changed_in_buffer("new.py", None, LIB).into_iter().map(|f| f.status).collect();
    assert_eq!(new, vec![FunctionStatus::Added; 3]);
}

#[test]
fn impact_finds_callers_across_files_but_not_comments_strings_or_other_languages() {
    let s = project();
    s.write("pkg/lib.py", &LIB.replace("return data[:4]", "return bytes(data[:4])"));
    let files = changed_files(&s.repo(), Scope::WorkingTree).unwrap();
    let report = impact(s.path(), &files, &CheckOptions::default());
    assert_eq!(report.functions.len(), 1);
    let f = &report.functions[0];
    assert_eq!(f.function.name, "parse_header");
    let refs: Vec<_> =
        f.references.iter().map(|r| (r.path.as_str(), r.line, r.function.as_deref())).collect();
    assert_eq!(
        refs,
        vec![
            ("app/main.py", 1, None),
            ("app/main.py", 7, Some("run")),
            ("app/main.py", 10, None),
            ("pkg/lib.py", 8, Some("read_frame")),
        ]
    );
    assert_eq!(f.callers(), 3);
    assert_eq!(report.files_searched, 3);
    assert_eq!(report.files_parsed, 3);
}

#[test]
fn hotspots_rank_churn_times_complexity() {
    let mut s = project();
    let mut text = LIB.to_owned();
    for i in 0..4i32 {
        // parse_header (cyclomatic 2) changes four more times, with fix wording half the time.
        text = text
            .replace("return data[:4]", &format!("return data[:4]  # v{i}"))
            .replace(&format!("  # v{}", i.wrapping_sub(1)), "");
        s.write("pkg/lib.py", &text);
        s.commit(if i % 2 == 0 { "fix: header slicing" } else { "tweak header" });
    }
    let hot = hotspots(&s.repo(), Window::default(), "").unwrap();
    assert_eq!(hot.commits, 5);
    assert_eq!(hot.fix_commits, 2);
    let top = &hot.functions[0];
    assert_eq!(
        (top.path.as_str(), top.name.as_str(), top.commits, top.fixes, top.cyclomatic, top.score),
        ("pkg/lib.py", "parse_header", 5, 2, 2, 10)
    );
    let read_frame = hot.functions.iter().find(|f| f.name == "read_frame").unwrap();
    assert_eq!(read_frame.commits, 1);
    assert_eq!(hot.files[0].path, "pkg/lib.py");
    assert_eq!(hot.files[0].commits, 5);
    // README.md has churn but no functions Aura can measure: not a hotspot.
    assert!(hot.files.iter().all(|f| f.path != "README.md"));
    // `under` narrows to a folder.
    assert!(hotspots(&s.repo(), Window::default(), "app/")
        .unwrap()
        .functions
        .iter()
        .all(|f| f.path.starts_with("app/")));
}

#[test]
fn commit_drafts_follow_the_kind_of_change() {
    let s = project();
    let repo = s.repo();
    s.write("pkg/lib.py", &format!("{LIB}\n\ndef checksum(frame):\n    return sum(frame)\n"));
    let d = draft(&changed_files(&repo, Scope::WorkingTree).unwrap()).unwrap();
    assert_eq!(d.subject(), "feat(pkg): add checksum");
    assert_eq!(d.body, vec!["- pkg/lib.py: add checksum (+4 −0)"]);
    assert_eq!(branch_name(&d), "feat/pkg-add-checksum");

    s.write("pkg/lib.py", &LIB.replace("if not data:", "if not data or len(data) < 4:"));
    let d = draft(&changed_files(&repo, Scope::WorkingTree).unwrap()).unwrap();
    assert_eq!(d.subject(), "fix(pkg): correct parse_header");

    s.write("pkg/lib.py", LIB);
    s.write("README.md", "# demo\n\nUsage.\n");
    let d = draft(&changed_files(&repo, Scope::WorkingTree).unwrap()).unwrap();
    assert_eq!(d.subject(), "docs(README): update README.md");

    s.write("README.md", "# demo\n");
    s.write(
        "pkg/lib.py",
        &LIB.replace("    return None", "        return None")
            .replace("        return None", "    return None "),
    );
    let d = draft(&changed_files(&repo, Scope::WorkingTree).unwrap()).unwrap();
    assert_eq!(d.kind, "style");

    s.write("pkg/lib.py", LIB);
    assert!(draft(&changed_files(&repo, Scope::WorkingTree).unwrap()).is_none());
}
