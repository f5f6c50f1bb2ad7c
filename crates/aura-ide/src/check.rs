//! Batch checking for `aura check`: walk paths (respecting .gitignore), read,
//! parse and analyse files in parallel, and report findings with 1-based
//! positions. Binary, oversized and non-UTF-8 files are skipped with a reason.
//! Findings that need every file (duplicates, import cycles) come from a
//! second pass over what the first one kept.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use aura_analysis::shape_rules::IMPORT_CYCLE;
use aura_analysis::{analyze_and_tokenize, RuleSettings, Severity, SourceFile};
use aura_shape::imports::{cycles, imports_of, Import, Resolver};
use aura_shape::insights::cycle_finding;
use aura_syntax::{line_col_at, parse, registry, Language, PositionEncoding, Rope};
use rayon::prelude::*;

/// What to check and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Files over this many bytes are skipped.
    pub max_file_size: u64,
    /// Extra gitignore-style globs to skip.
    pub exclude: Vec<String>,
    /// Which rules run.
    pub rules: RuleSettings,
    /// Where module paths start for import cycles (AUR501): `a/b.py` under
    /// it is module `a.b`. `None`: the current directory.
    pub import_root: Option<PathBuf>,
}

impl Default for CheckOptions {
    /// The configuration's defaults.
    fn default() -> Self {
        let files = aura_config::FilesConfig::default();
        CheckOptions {
            max_file_size: files.max_size,
            exclude: files.exclude,
            rules: RuleSettings::default(),
            import_root: None,
        }
    }
}

/// A finding with 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule code.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// 1-based start line.
    pub line: usize,
    /// 1-based start column, in characters.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column, in characters (exclusive).
    pub end_column: usize,
    /// The text of the start line, for display.
    pub source_line: String,
    /// Other places involved (the other copies of a clone), 0-based lines.
    pub related: Vec<aura_analysis::Related>,
}

/// One analysed file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as walked (relative when the input was relative).
    pub path: PathBuf,
    /// The language id.
    pub language: &'static str,
    /// Lines in the file.
    pub lines: usize,
    /// Findings, sorted by position.
    pub findings: Vec<Finding>,
}

/// Why a file was not analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Contains NUL bytes.
    Binary,
    /// Larger than the limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Not valid UTF-8.
    NotUtf8,
    /// Could not be read.
    Unreadable(String),
    /// An explicitly named file in no language Aura knows.
    UnknownLanguage,
    /// Written by a tool (`Code generated ... DO NOT EDIT`, `@generated`):
    /// its maintainers fix the generator, not the file.
    Generated,
    /// A template (Django/Jinja `{% ... %}` lines) with a code extension:
    /// not code until rendered.
    Template,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Binary => f.write_str("binary file"),
            SkipReason::TooLarge { size, limit } => {
                write!(f, "file is {size} bytes, over the {limit}-byte limit (files.max_size)")
            }
            SkipReason::NotUtf8 => f.write_str("not valid UTF-8"),
            SkipReason::Unreadable(e) => write!(f, "cannot read: {e}"),
            SkipReason::UnknownLanguage => f.write_str("no supported language for this file"),
            SkipReason::Generated => f.write_str("generated file (its header says so)"),
            SkipReason::Template => f.write_str("template, not code until rendered"),
        }
    }
}

/// A skipped file and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The path as walked.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: SkipReason,
}

/// The result of a check run.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Analysed files, sorted by path.
    pub files: Vec<FileReport>,
    /// Skipped files, sorted by path.
    pub skipped: Vec<Skipped>,
}

/// A path that does not exist or cannot be walked: a usage error.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// A path given on the command line does not exist.
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    /// An exclude glob is invalid.
    #[error("invalid exclude pattern `{0}`: {1}")]
    BadGlob(String, String),
}

/// The files `paths` name: files as given, directories walked with .gitignore
/// rules and `exclude`. Files in unknown languages found by walking are left out.
pub fn collect_files(paths: &[PathBuf], options: &CheckOptions) -> Result<Vec<(PathBuf, bool)>, CheckError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(CheckError::Missing(path.clone()));
        }
        if path.is_file() {
            files.push((path.clone(), true));
            continue;
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(path);
        for glob in &options.exclude {
            overrides
                .add(&format!("!{glob}"))
                .map_err(|e| CheckError::BadGlob(glob.clone(), e.to_string()))?;
        }
        let overrides =
            overrides.build().map_err(|e| CheckError::BadGlob(options.exclude.join(","), e.to_string()))?;
        // Go's tools skip `testdata` directories: they hold inputs, often broken on purpose.
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .overrides(overrides)
            .filter_entry(|e| {
                !(e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir()) && e.file_name() == "testdata")
            })
            .build();
        for entry in walker.flatten() {
            if entry.file_type().is_some_and(|t| t.is_file()) {
                files.push((entry.into_path(), false));
            }
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files)
}

/// Check `files` (from `collect_files`) in parallel; `on_progress` is called
/// once per file. Files come back in walk order; skipped files with a reason.
/// Duplicates (AUR401/AUR402) need every file first: the first pass keeps
/// each file's tokens, the index is built once, and a second parallel pass
/// asks it for each file's clones. Import cycles (AUR501) likewise: the first
/// pass keeps each file's load-time imports, and the files in a cycle get
/// their findings once the graph is whole.
pub fn check_files(
    files: &[(PathBuf, bool)],
    options: &CheckOptions,
    on_progress: &(dyn Fn() + Sync),
) -> CheckReport {
    let duplicates = options.rules.clones_enabled();
    let keys =
        options.rules.is_enabled(IMPORT_CYCLE).then(|| import_keys(files, options.import_root.as_deref()));
    let resolver = keys.as_ref().map(|keys| Resolver::new(keys.iter().map(String::as_str)));
    let results: Vec<Option<Result<Checked, Skipped>>> = files
        .par_iter()
        .enumerate()
        .map(|(i, (path, explicit))| {
            let imports = keys.as_ref().zip(resolver.as_ref()).map(|(keys, r)| (keys[i].as_str(), r));
            let result = load_file(path, *explicit, options).map(|loaded| {
                loaded.map(|(language, text)| {
                    analyse_text(path, language, &text, &options.rules, duplicates, imports)
                })
            });
            on_progress();
            result
        })
        .collect();
    let mut report = CheckReport::default();
    let mut checked = Vec::new();
    for result in results.into_iter().flatten() {
        match result {
            Ok(file) => checked.push(file),
            Err(skipped) => report.skipped.push(skipped),
        }
    }
    if duplicates {
        let mut index = aura_analysis::clones::CloneIndex::new(options.rules.clone_settings());
        for file in &mut checked {
            // Tests repeat themselves on purpose: neither reported nor a copy's source.
            let key = file.report.path.to_string_lossy().into_owned();
            if let Some(tokens) = file.tokens.take().filter(|_| !aura_analysis::clones::left_out(&key)) {
                index.insert(&key, tokens);
            }
        }
        checked.par_iter_mut().for_each(|file| add_clones(file, &index, &options.rules));
    }
    if keys.is_some() {
        add_import_cycles(&mut checked);
    }
    report.files = checked.into_iter().map(|c| c.report).collect();
    report
}

/// A checked file and what the second passes need from it.
struct Checked {
    report: FileReport,
    language: &'static Language,
    tokens: Option<Vec<aura_analysis::clones::Token>>,
    /// Its key in the import graph and its load-time imports (AUR501 on).
    imports: Option<(String, Vec<Import>)>,
}

/// Each file's key for the import resolver: its path relative to `root`
/// (the current directory when `None`), `/`-separated. Files outside it
/// keep their whole path and resolve no imports.
fn import_keys(files: &[(PathBuf, bool)], root: Option<&Path>) -> Vec<String> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = clean(&cwd.join(root.unwrap_or(Path::new("."))));
    files.iter().map(|(p, _)| crate::shape::relative(&root, &clean(&cwd.join(p)))).collect()
}

/// `/a/./b/../c` → `/a/c`, read lexically, so that `aura check ../x` is not
/// taken for a path under the current directory.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// AUR501 once per import cycle, in the cycle's first file, once all imports are known.
fn add_import_cycles(checked: &mut [Checked]) {
    let graph: HashMap<String, Vec<Import>> =
        checked.iter().filter_map(|c| c.imports.clone()).filter(|(_, imports)| !imports.is_empty()).collect();
    let owners: HashSet<String> = cycles(&graph).into_iter().filter_map(|c| c.into_iter().next()).collect();
    if owners.is_empty() {
        return;
    }
    checked.par_iter_mut().for_each(|file| {
        let Some((key, _)) = file.imports.as_ref().filter(|(key, _)| owners.contains(key)) else { return };
        let found = cycle_finding(&graph, key).into_iter().collect();
        add_findings(file, found);
    });
}

fn add_clones(file: &mut Checked, index: &aura_analysis::clones::CloneIndex, rules: &RuleSettings) {
    use aura_analysis::clones::{deliberate_twins, diagnostics, later_copies, EXACT, RENAMED};
    let key = file.report.path.to_string_lossy().into_owned();
    let mut clones = later_copies(&key, index.clones_of(&key));
    if clones.is_empty() {
        return;
    }
    // Findings are added only for a file that can be read again.
    let Ok(text) = std::fs::read_to_string(&file.report.path) else { return };
    // Deliberate twins (sync/async, wrapper/implementation) are read from the
    // function headers above each copy; only files with a clone are read.
    let mut others: HashMap<String, Option<String>> = HashMap::new();
    clones.retain(|c| {
        let other = others.entry(c.other.clone()).or_insert_with(|| std::fs::read_to_string(&c.other).ok());
        !other.as_deref().is_some_and(|o| deliberate_twins(&text, c.lines, o, c.other_lines))
    });
    add_findings_to(file, diagnostics(&clones, rules.is_enabled(EXACT), rules.is_enabled(RENAMED)), &text);
}

/// Add a second pass's diagnostics to `file`, less those a comment
/// suppresses. Texts are not kept between the passes (that would double the
/// peak memory); the few files with such findings are read again.
fn add_findings(file: &mut Checked, found: Vec<aura_analysis::Diagnostic>) {
    let Ok(text) = std::fs::read_to_string(&file.report.path) else { return };
    add_findings_to(file, found, &text);
}

/// As [`add_findings`], with the file's text already read.
fn add_findings_to(file: &mut Checked, mut found: Vec<aura_analysis::Diagnostic>, text: &str) {
    let rope = &Rope::from_str(text);
    aura_analysis::rules::drop_suppressed(file.language, rope, &mut found);
    file.report.findings.extend(found.into_iter().map(|d| finding(rope, d)));
    file.report.findings.sort_by_key(|f| (f.line, f.column, f.end_line, f.end_column, f.code));
}

/// Read a walked file for analysis: its language and text, a reason to skip
/// it, or `None` when a walked file is simply not source code Aura knows.
pub fn load_file(
    path: &Path,
    explicit: bool,
    options: &CheckOptions,
) -> Option<Result<(&'static Language, String), Skipped>> {
    let skip = |reason| Some(Err(Skipped { path: path.to_path_buf(), reason }));
    let by_name = registry().for_path(path, None);
    // Only extension-less files are worth opening to look for a shebang.
    if by_name.is_none() && path.extension().is_some() {
        return if explicit { skip(SkipReason::UnknownLanguage) } else { None };
    }
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return skip(SkipReason::Unreadable(e.to_string())),
    };
    if size > options.max_file_size {
        return if by_name.is_some() || explicit {
            skip(SkipReason::TooLarge { size, limit: options.max_file_size })
        } else {
            None
        };
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(SkipReason::Unreadable(e.to_string())),
    };
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return if by_name.is_some() || explicit { skip(SkipReason::Binary) } else { None };
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return if by_name.is_some() || explicit { skip(SkipReason::NotUtf8) } else { None };
    };
    // The text may name another language than the extension (a mode line, a C++ `.h`).
    let Some(language) = registry().for_text(path, &text) else {
        return if explicit { skip(SkipReason::UnknownLanguage) } else { None };
    };
    if !explicit {
        if is_generated(&text) {
            return skip(SkipReason::Generated);
        }
        if is_template(&text, language) {
            return skip(SkipReason::Template);
        }
    }
    Some(Ok((language, text)))
}

/// Drop what an editor should not show for a document whose text says it is
/// not hand-written code: a generated file keeps only its syntax errors (its
/// maintainers fix the generator), a template keeps nothing.
pub fn drop_for_text(text: &Rope, language: &Language, diagnostics: &mut Vec<aura_analysis::Diagnostic>) {
    // By characters: a byte limit could fall inside one.
    let head = text.slice(..text.len_chars().min(8192)).to_string();
    if is_template(&head, language) {
        diagnostics.clear();
    } else if is_generated(&head) {
        diagnostics.retain(|d| d.code == aura_analysis::syntax_error::CODE);
    }
}

/// Whether the file's header says a tool wrote it: Go's `Code generated ...
/// DO NOT EDIT.`, the `@generated` tag (Facebook, Rust, protobuf), Cython's
/// `Generated by Cython`, or a `DO NOT EDIT` banner, within its first 30 lines.
pub fn is_generated(text: &str) -> bool {
    text.lines().take(30).any(|line| {
        line.contains("@generated")
            || line.contains("DO NOT EDIT")
            || line.contains("Generated by Cython")
            || line.contains("automatically generated") && line.contains("do not")
    })
}

/// Whether the text is a template: a line that is a Django/Jinja `{% tag %}`,
/// or in a shell script a `{{ NAME }}` placeholder (Symfony's completion
/// script), which no shell syntax writes.
pub fn is_template(text: &str, language: &Language) -> bool {
    text.lines().any(|line| {
        let l = line.trim_start();
        l.starts_with("{%") && l.contains("%}")
            || language.id == "bash"
                && line.match_indices("{{ ").any(|(at, _)| {
                    // Inside quotes it is text for another tool (`--format '{{ title }}'`).
                    let before = &line[..at];
                    let quoted =
                        before.matches('\'').count() % 2 == 1 || before.matches('"').count() % 2 == 1;
                    !quoted
                        && line[at + 3..].split_once(" }}").is_some_and(|(name, _)| {
                            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        })
                })
    })
}

fn finding(rope: &Rope, d: aura_analysis::Diagnostic) -> Finding {
    let start = line_col_at(rope, d.range.start, PositionEncoding::Utf32);
    let end = line_col_at(rope, d.range.end, PositionEncoding::Utf32);
    let line_idx = start.line as usize;
    let line_len = aura_syntax::line_content_len(rope, line_idx);
    let line_start = rope.line_to_byte(line_idx);
    let source_line = rope.byte_slice(line_start..line_start + line_len).to_string();
    Finding {
        code: d.code,
        severity: d.severity,
        message: d.message,
        line: line_idx + 1,
        column: start.col as usize + 1,
        end_line: end.line as usize + 1,
        end_column: end.col as usize + 1,
        source_line,
        related: d.related,
    }
}

fn analyse_text(
    path: &Path,
    language: &'static Language,
    text: &str,
    rules: &RuleSettings,
    keep_tokens: bool,
    import_key: Option<(&str, &Resolver)>,
) -> Checked {
    let rope = Rope::from_str(text);
    let (findings, tokens, imports) = match parse(language, &rope, None) {
        Some(tree) => {
            let file = SourceFile { language, text: &rope, tree: &tree };
            let (mut diagnostics, tokens) = analyze_and_tokenize(file, rules, keep_tokens);
            aura_analysis::drop_for_path(&path.to_string_lossy(), &mut diagnostics);
            let imports = import_key.map(|(key, resolver)| (key.to_owned(), imports_of(key, file, resolver)));
            (diagnostics.into_iter().map(|d| finding(&rope, d)).collect(), tokens, imports)
        }
        None => (Vec::new(), None, None),
    };
    // A trailing newline does not start another line.
    let lines = rope.len_lines() - usize::from(text.ends_with('\n') || text.is_empty());
    let report = FileReport { path: path.to_path_buf(), language: language.id.as_str(), lines, findings };
    Checked { report, language, tokens, imports }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(dir: &Path) -> (Vec<String>, Vec<(String, String)>) {
        let options = CheckOptions::default();
        let files = collect_files(&[dir.to_path_buf()], &options).unwrap();
        let report = check_files(&files, &options, &|| {});
        let rel = |p: &Path| p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        let analysed = report.files.iter().map(|f| format!("{} {}", rel(&f.path), f.language)).collect();
        let skipped = report.skipped.iter().map(|s| (rel(&s.path), s.reason.to_string())).collect();
        (analysed, skipped)
    }

    /// What `aura check` walks into: generated files and templates are
    /// skipped with a reason, Go `testdata/` is not walked, and the text names
    /// the language before the extension.
    #[test]
    fn generated_files_templates_and_testdata_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("api.pb.go", "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\nfunc f( {\n");
        write("schema.rs", "// @generated by build.rs\nfn f( {}\n");
        write("static/app.js", "{% load static %}\nconst url = \"{% static 'x' %}\";\n");
        write("completion.bash", "_sf_{{ COMMAND_NAME }}() {\n    :\n}\n");
        write("neo.sh", "song=\"$(playerctl --format '{{ title }}')\"\n");
        write("parser/testdata/broken.go", "package p\nfunc (\n");
        write("completions/foo.py", "# foo(1) completion   -*- shell-script -*-\n_foo() { COMPREPLY=(); }\n");
        write("include/list.h", "namespace util {\ntemplate <class T> class List {};\n}\n");
        write("main.py", "x = 1\n");
        let (analysed, skipped) = checked(dir.path());
        // The editor's view of the same texts.
        let python = aura_syntax::registry().by_id("python").unwrap();
        let found = || {
            vec![
                aura_analysis::Diagnostic::new("AUR001", Severity::Error, "x", 0..1),
                aura_analysis::Diagnostic::new("AUR101", Severity::Hint, "y", 0..1),
            ]
        };
        let mut generated = found();
        drop_for_text(
            &Rope::from_str("# Code generated by x. DO NOT EDIT.\ndef f(:\n"),
            python,
            &mut generated,
        );
        assert_eq!(generated.iter().map(|d| d.code).collect::<Vec<_>>(), ["AUR001"]);
        let mut template = found();
        drop_for_text(&Rope::from_str("{% if x %}\nx = 1\n{% endif %}\n"), python, &mut template);
        assert!(template.is_empty());
        let mut plain = found();
        drop_for_text(&Rope::from_str(&format!("x = 1\n# {}\n", "═".repeat(5000))), python, &mut plain);
        assert_eq!(plain.len(), 2);
        assert_eq!(
            analysed,
            ["completions/foo.py bash", "include/list.h cpp", "main.py python", "neo.sh bash"],
            "{skipped:?}"
        );
        let reason = |name: &str| skipped.iter().find(|(p, _)| p == name).map(|(_, r)| r.clone());
        assert_eq!(reason("api.pb.go").as_deref(), Some("generated file (its header says so)"));
        assert_eq!(reason("schema.rs").as_deref(), Some("generated file (its header says so)"));
        assert_eq!(reason("static/app.js").as_deref(), Some("template, not code until rendered"));
        assert_eq!(reason("completion.bash").as_deref(), Some("template, not code until rendered"));
        assert_eq!(reason("parser/testdata/broken.go"), None, "testdata is not walked at all");
    }

    /// A file named on the command line is checked whatever its header says.
    #[test]
    fn an_explicit_generated_file_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("api.pb.go");
        std::fs::write(&path, "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n").unwrap();
        let options = CheckOptions::default();
        let files = collect_files(&[path], &options).unwrap();
        let report = check_files(&files, &options, &|| {});
        assert_eq!(report.files.len(), 1);
        assert!(report.skipped.is_empty());
    }
}
