use aura_syntax::{parse, registry, Rope};
use proptest::prelude::*;

use super::*;
use crate::test_rng::Rng;
use crate::SourceFile;

fn tokens_of(language: &str, text: &str) -> Vec<Token> {
    let language = registry().by_id(language).expect("language");
    let rope = Rope::from_str(text);
    let tree = parse(language, &rope, None).expect("tree");
    tokenize(SourceFile { language, text: &rope, tree: &tree })
}

fn index_of(files: &[(&str, &str, &str)]) -> CloneIndex {
    let mut index = CloneIndex::new(CloneSettings::default());
    for (key, language, text) in files {
        index.insert(key, tokens_of(language, text));
    }
    index
}

const LOAD: &str = "\
def load_users(path, limit):
    with open(path) as f:
        rows = [line.split(',') for line in f if line.strip()]
    users = [User(r[0], r[1], int(r[2])) for r in rows if len(r) == 3]
    return users[:limit]
";

const LOAD_RENAMED: &str = "\
def load_admins(source, count):
    with open(source) as handle:
        entries = [row.split(';') for row in handle if row.strip()]
    admins = [Admin(e[0], e[1], int(e[2])) for e in entries if len(e) == 4]
    return admins[:count]
";

#[test]
fn exact_copies_across_files_point_at_each_other() {
    let other = format!("import os\n\n\n{LOAD}");
    let index = index_of(&[("a.py", "python", LOAD), ("lib/b.py", "python", &other)]);
    let clones = index.clones_of("a.py");
    assert_eq!(clones.len(), 1, "{clones:?}");
    let clone = &clones[0];
    assert!(clone.exact);
    assert_eq!(clone.other, "lib/b.py");
    assert_eq!(clone.lines, (0, 4));
    assert_eq!(clone.other_lines, (3, 7));
    assert!(clone.tokens >= 50, "{}", clone.tokens);
    assert_eq!(clone.range, 0..LOAD.trim_end().len());

    let back = index.clones_of("lib/b.py");
    assert_eq!(back.len(), 1);
    assert_eq!((back[0].other.as_str(), back[0].other_lines), ("a.py", (0, 4)));

    let found = diagnostics(&clones, true, true);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, EXACT);
    assert_eq!(found[0].message, format!("5 lines ({} tokens) duplicated at b.py:4–8", clone.tokens));
    assert_eq!(found[0].related[0].file, "lib/b.py");
}

#[test]
fn renamed_copies_are_near_duplicates() {
    let index = index_of(&[("a.py", "python", LOAD), ("b.py", "python", LOAD_RENAMED)]);
    let clones = index.clones_of("b.py");
    assert_eq!(clones.len(), 1, "{clones:?}");
    assert!(!clones[0].exact);
    let found = diagnostics(&clones, true, true);
    assert_eq!(found[0].code, RENAMED);
    assert!(found[0].message.contains("with only names or literals changed"), "{}", found[0].message);
    // With AUR402 off nothing is left; with AUR401 off an exact clone would be dropped.
    assert!(diagnostics(&clones, true, false).is_empty());
}

#[test]
fn comments_and_layout_do_not_hide_a_copy() {
    let commented = LOAD
        .replace("    return", "    # trim to the limit\n\n    return")
        .replace("(path) as", "( path )  as");
    let index = index_of(&[("a.py", "python", LOAD), ("b.py", "python", &commented)]);
    let clones = index.clones_of("a.py");
    assert_eq!(clones.len(), 1);
    assert!(clones[0].exact);
}

#[test]
fn short_copies_are_not_reported() {
    let short = "def f(a):\n    return g(a, 1) + h(a, 2)\n";
    let index = index_of(&[("a.py", "python", short), ("b.py", "python", short)]);
    assert!(index.clones_of("a.py").is_empty());
    // Long enough in tokens but on too few lines.
    let one_line = format!("x = [{}]\n", (0..60).map(|i| format!("f({i})")).collect::<Vec<_>>().join(", "));
    let index = index_of(&[("a.py", "python", &one_line), ("b.py", "python", &one_line)]);
    assert!(index.clones_of("a.py").is_empty());
}

#[test]
fn copies_within_one_file_are_found_but_repetition_is_not() {
    let twice = format!("{LOAD}\n\n{}", LOAD.replace("load_users", "load_again"));
    let index = index_of(&[("a.py", "python", &twice)]);
    let clones = index.clones_of("a.py");
    assert_eq!(clones.len(), 2, "each copy points at the other: {clones:?}");
    assert_eq!(clones[0].other, "a.py");
    assert_eq!((clones[0].lines.0, clones[0].other_lines.0), (0, 7));
    assert_eq!((clones[1].lines.0, clones[1].other_lines.0), (7, 0));

    let table: String = (0..80).map(|i| format!("register('name{i}', handler_{i}, {i})\n")).collect();
    let index = index_of(&[("t.py", "python", &table)]);
    assert!(index.clones_of("t.py").is_empty(), "{:?}", index.clones_of("t.py"));
}

#[test]
fn a_table_split_by_a_differing_row_is_still_repetition_but_its_rows_elsewhere_are_a_copy() {
    let rows = |range: std::ops::Range<usize>| -> String {
        range.map(|i| format!("register('name{i}', handler_{i}, {i})\n")).collect()
    };
    // Typing in the middle of a table breaks its period for a moment.
    let split = format!("{}register((\n{}", rows(0..40), rows(40..80));
    let index = index_of(&[("t.py", "python", &split)]);
    assert!(index.clones_of("t.py").is_empty(), "{:?}", index.clones_of("t.py"));

    // The same rows again, far from the first ones, are a copy.
    let far = format!(
        "{}\n{LOAD}\n{LOAD2}\n{}",
        rows(0..12),
        rows(0..12),
        LOAD2 = LOAD.replace("load_users", "other")
    );
    let index = index_of(&[("f.py", "python", &far)]);
    let lines: Vec<u32> = index.clones_of("f.py").iter().map(|c| c.lines.0).collect();
    assert!(lines.contains(&0), "the first rows are reported: {lines:?}");
}

#[test]
fn the_index_follows_edits() {
    let mut index = index_of(&[("a.py", "python", LOAD), ("b.py", "python", LOAD)]);
    assert_eq!(index.clones_of("a.py").len(), 1);
    index.insert("b.py", tokens_of("python", "print('changed')\n"));
    assert!(index.clones_of("a.py").is_empty());
    index.insert("c.py", tokens_of("python", LOAD));
    assert_eq!(index.clones_of("a.py")[0].other, "c.py");
    assert!(index.remove("c.py"));
    assert!(!index.remove("c.py"));
    assert!(index.clones_of("a.py").is_empty());
    assert!(index.clones_of("missing.py").is_empty());
    assert_eq!(index.len(), 2);
}

#[test]
fn clones_cross_languages_of_the_same_grammar_family_only_when_tokens_match() {
    let js = "function load(path, limit) {\n  const rows = read(path).split('\\n').filter(l => l.trim());\n  const users = rows.map(r => r.split(','));\n  const valid = users.filter(u => u.length === 3);\n  return valid.slice(0, limit).map(u => new User(u[0], u[1], Number(u[2])));\n}\n";
    let index = index_of(&[("a.js", "javascript", js), ("b.js", "javascript", js), ("a.py", "python", LOAD)]);
    let clones = index.clones_of("a.js");
    assert_eq!(clones.len(), 1, "{clones:?}");
    assert_eq!(clones[0].other, "b.js");
}

impl Rng {
    /// A made-up identifier for the synthetic corpus.
    fn name(&mut self) -> String {
        const PARTS: &[&str] =
            &["user", "item", "count", "total", "row", "path", "key", "value", "node", "size"];
        format!("{}_{}{}", PARTS[self.below(PARTS.len())], PARTS[self.below(PARTS.len())], self.below(100))
    }
}

/// A random Python function of 6 to 14 statements, drawn from enough shapes
/// that unrelated functions rarely share 50 tokens of structure by chance.
fn random_function(rng: &mut Rng) -> String {
    let mut out = format!("def {}({}, {}):\n", rng.name(), rng.name(), rng.name());
    for _ in 0..6 + rng.below(9) {
        let (a, b, c, n) = (rng.name(), rng.name(), rng.name(), rng.below(1000));
        let statement = match rng.below(14) {
            0 => format!("    {a} = {b}({c}, {n})\n"),
            1 => format!("    if {a} > {n}:\n        {b}.append({c})\n"),
            2 => format!("    for {a} in {b}:\n        {c} += {a} * {n}\n"),
            3 => format!("    {a}[{n}] = '{b}'\n"),
            4 => format!("    while {a} < {n}:\n        {a} = {a} - 1\n"),
            5 => format!("    {a} = [{b} for {b} in {c} if {b}]\n"),
            6 => format!(
                "    try:\n        {a}.{b}()\n    except {c}Error as err:\n        raise ValueError(err)\n"
            ),
            7 => format!("    with open({a}) as {b}:\n        {c} = {b}.read()\n"),
            8 => format!("    {a} = {{'{b}': {n}, '{c}': None}}\n"),
            9 => format!("    assert {a} is not None, '{b}'\n"),
            10 => format!("    {a}, {b} = {c}.split(':', {n})\n"),
            11 => format!("    {a} = lambda {b}: {b} ** {n}\n"),
            12 => format!("    if not {a}:\n        return {b}\n    elif {c}:\n        pass\n"),
            _ => format!("    print(f'{{{a}}} {b}', {n})\n"),
        };
        out.push_str(&statement);
    }
    out.push_str(&format!("    return {}\n\n", rng.name()));
    out
}

/// Rename every identifier-looking word (renamed clones) consistently.
fn rename(function: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in function.chars().chain(std::iter::once('\n')) {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if word.contains('_') {
            out.push_str("renamed_");
        }
        out.push_str(&word);
        word.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// The synthetic-recall check from the issue: 40 files of random functions,
/// 60 injected clones (half exact, half renamed; within and across files);
/// at least 95% must be found, each with the right kind.
#[test]
fn synthetic_corpus_recall() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut files: Vec<Vec<String>> =
        (0..40).map(|_| (0..8).map(|_| random_function(&mut rng)).collect()).collect();
    let mut injected = Vec::new();
    for i in 0..60 {
        let (from, at) = (rng.below(files.len()), rng.below(8));
        let source = files[from][at].clone();
        if source.lines().count() < 5 {
            continue;
        }
        let exact = i % 2 == 0;
        let copy = if exact { source.clone() } else { rename(&source) };
        let to = rng.below(files.len());
        let slot = rng.below(files[to].len() + 1);
        files[to].insert(slot, copy.clone());
        injected.push((from, source, to, copy, exact));
    }
    let texts: Vec<String> = files.iter().map(|f| f.concat()).collect();
    let mut index = CloneIndex::new(CloneSettings::default());
    for (i, text) in texts.iter().enumerate() {
        index.insert(&format!("f{i}.py"), tokens_of("python", text));
    }
    let mut found = 0;
    for (from, source, to, copy, exact) in &injected {
        // An exact copy in its source's file: the copy is the other occurrence.
        let same_text = from == to && copy == source;
        let start = if same_text { texts[*to].rfind(copy.as_str()) } else { texts[*to].find(copy.as_str()) };
        let start = start.expect("copy present");
        let line = texts[*to][..start].matches('\n').count() as u32;
        let source_at = texts[*from].find(source.as_str()).expect("source present");
        let source_line = texts[*from][..source_at].matches('\n').count() as u32;
        let hit = index.clones_of(&format!("f{to}.py")).iter().any(|c| {
            c.other == format!("f{from}.py")
                && c.lines.0 <= line
                && c.other_lines.0 <= source_line
                && c.lines.1 >= line + copy.lines().count() as u32 - 2
                && (c.exact || !exact)
        });
        if !hit {
            eprintln!("missed f{from}:{source_line} -> f{to}:{line} (exact: {exact})");
        }
        found += usize::from(hit);
    }
    let recall = found as f64 / injected.len() as f64;
    eprintln!("synthetic recall {recall:.3} ({found}/{})", injected.len());
    assert!(injected.len() >= 50, "{}", injected.len());
    assert!(recall >= 0.95, "recall {recall:.3} ({found}/{})", injected.len());
}

fn synthetic(values: &[u32]) -> Vec<Token> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| Token {
            exact: *v,
            norm: *v,
            line: i as u32,
            end_line: i as u32,
            start: i as u32,
            end: i as u32 + 1,
        })
        .collect()
}

proptest! {
    /// Winnowing's guarantee: a shared run of `min_tokens` tokens is always found,
    /// whatever surrounds it.
    #[test]
    fn every_shared_run_is_found(
        prefix_a in proptest::collection::vec(1000u32..2000, 0..80),
        prefix_b in proptest::collection::vec(3000u32..4000, 0..80),
        shared in proptest::collection::vec(0u32..50, 50..120),
        suffix in proptest::collection::vec(5000u32..6000, 0..40),
    ) {
        let a: Vec<u32> = prefix_a.iter().chain(&shared).chain(&suffix).copied().collect();
        let b: Vec<u32> = prefix_b.iter().chain(&shared).copied().collect();
        let mut index = CloneIndex::new(CloneSettings { min_tokens: 50, min_lines: 1 });
        index.insert("a", synthetic(&a));
        index.insert("b", synthetic(&b));
        let clones = index.clones_of("a");
        let hit = clones.iter().any(|c| c.other == "b"
            && c.range.start <= prefix_a.len()
            && c.range.end >= prefix_a.len() + shared.len());
        prop_assert!(hit, "{:?}", clones);
    }
}

fn clone_at(lines: (u32, u32), other: &str, other_lines: (u32, u32)) -> Clone {
    Clone { range: 0..1, lines, tokens: 60, exact: true, other: other.into(), other_lines }
}

#[test]
fn a_pair_of_copies_is_reported_once_on_the_later_copy() {
    let in_a = vec![clone_at((10, 20), "a.py", (40, 50)), clone_at((10, 20), "b.py", (0, 10))];
    let in_b = vec![clone_at((0, 10), "a.py", (10, 20))];
    let in_a_late = vec![clone_at((40, 50), "a.py", (10, 20))];
    // a.py:10 is the first copy: it reports nothing; a.py:40 and b.py report it.
    assert!(later_copies("a.py", in_a).is_empty());
    assert_eq!(later_copies("b.py", in_b).len(), 1);
    assert_eq!(later_copies("a.py", in_a_late).len(), 1);
}

#[test]
fn test_code_is_recognised_by_its_path() {
    for test in [
        "tests/test_client.py",
        "pkg/test_x.py",
        "go/parser/parser_test.go",
        "src/__tests__/a.tsx",
        "src/a.spec.ts",
        "lib/x.test.js",
        "src/test/java/FooTest.java",
        "spec/thor_spec.rb",
        "FooTests.cs",
        "conftest.py",
    ] {
        assert!(is_test_path(test), "{test}");
    }
    for code in [
        "src/client.py",
        "lib/attest.py",
        "contest.go",
        "src/Test.java",
        "latest/x.rs",
        "protest_spec_helper.rb",
    ] {
        assert!(!is_test_path(code), "{code}");
    }
}

#[test]
fn sync_async_and_wrapper_twins_are_deliberate() {
    let python = "class C:\n    def ws_connect(self, url):\n        body\n\n    async def _ws_connect(self, url):\n        body\n";
    assert!(deliberate_twins(python, (2, 2), python, (5, 5)), "wrapper and implementation");
    let aio = "def fetch(x):\n    a\n\nasync def afetch(x):\n    a\n";
    assert!(deliberate_twins(aio, (1, 1), aio, (4, 4)), "fetch and afetch");
    let rust = "pub fn read(&self) {\n    a\n}\npub async fn read_async(&self) {\n    a\n}\n";
    assert!(deliberate_twins(rust, (1, 1), rust, (4, 4)));
    let unrelated = "def load_users(p):\n    a\n\ndef load_admins(p):\n    a\n";
    assert!(!deliberate_twins(unrelated, (1, 1), unrelated, (4, 4)), "two functions that should share code");
    let same_name_two_files = "def parse(x):\n    a\n";
    assert!(!deliberate_twins(same_name_two_files, (1, 1), same_name_two_files, (1, 1)));
}

#[test]
fn type_stubs_and_tests_are_left_out_of_duplicates() {
    assert!(left_out("src/attr/__init__.pyi"));
    assert!(left_out("types/index.d.ts"));
    assert!(left_out("tests/test_x.py"));
    assert!(!left_out("src/attr/_make.py"));
    assert!(!left_out("src/index.ts"));
}
