//! What the router knows about a request besides its words: the languages it
//! names, the effective language, imports and context signals read from the
//! code (SQL, a stack trace, a diff, a test, a stub, an infrastructure file).
//!
//! Only the first `CODE_LIMIT` bytes of code are read: enough to recognise
//! its kind, and it keeps routing well under a millisecond on large selections.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::text::Terms;

const CODE_LIMIT: usize = 8 * 1024;

/// One routing request: the user's words plus what the editor knows.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub text: String,
    /// Language id of the file or selection (`python`, `typescript`, ...).
    pub language: Option<String>,
    /// The selection, or the code around the cursor.
    pub code: Option<String>,
    /// Diagnostic codes at the cursor (`AUR001`, `AUR301`, ...).
    pub diagnostics: Vec<String>,
    /// Active module codes of the workspace.
    pub modules: Vec<String>,
}

/// Everything derived from a request that the scorers read.
#[derive(Debug, Clone)]
pub struct Context {
    pub terms: Terms,
    /// Languages the text names explicitly (not through a framework).
    pub named_languages: Vec<&'static str>,
    /// The language the answer should be in: named in the text, implied by a
    /// framework the text names, or the file's.
    pub language: Option<String>,
    pub imports: BTreeSet<String>,
    pub signals: BTreeSet<&'static str>,
}

impl Context {
    pub fn new(request: &Request) -> Context {
        let text = request.text.as_str();
        let code = request.code.as_deref().map(|c| truncate(c, CODE_LIMIT)).unwrap_or("");
        let has_code = !code.trim().is_empty();
        let named_languages = named_languages(text);
        let implied = implied_languages(text);
        let language = match named_languages.as_slice() {
            [one] => Some((*one).to_owned()),
            _ if named_languages.len() > 1 => request.language.clone(),
            _ => match implied.as_slice() {
                [one] => Some((*one).to_owned()),
                _ => request.language.clone(),
            },
        }
        .map(|l| normalise_language(&l).to_owned());

        let mut signals = BTreeSet::new();
        signals.insert(if has_code { "has_code" } else { "no_code" });
        if is_sql(code) || sql_in_text(text) {
            signals.insert("sql");
        }
        if has_code && test_code().is_match(code) {
            signals.insert("test_code");
        }
        if error_in_text().is_match(text) || (has_code && trace_in_code().is_match(code)) {
            signals.insert("stack_trace");
        }
        if has_code && is_diff(code) {
            signals.insert("diff");
        }
        let distinct: BTreeSet<&str> =
            named_languages.iter().map(|l| if *l == "typescript" { "javascript" } else { l }).collect();
        if distinct.len() >= 2 {
            signals.insert("multi_language");
        }
        if has_code && infra_file().is_match(code) {
            signals.insert("infra_file");
        }
        if request.diagnostics.iter().any(|d| d == "AUR001") {
            signals.insert("syntax_error");
        } else if request.diagnostics.is_empty()
            && has_code
            && parses_with_errors(language_of_code(request), code)
        {
            // Code that only lacks its end (an open function at the end of the
            // snippet) is a stub to complete, not broken code to repair.
            if unfinished(language_of_code(request), code) {
                signals.insert("empty_body");
            } else {
                signals.insert("syntax_error");
            }
        }
        if is_question(text) {
            signals.insert("question");
        }
        if has_code && empty_body().is_match(code) {
            signals.insert("empty_body");
        }
        Context {
            terms: Terms::new(text),
            named_languages,
            language,
            imports: match request.language.as_deref() {
                Some(l) => imports_in(normalise_language(l), code),
                None => imports(code),
            },
            signals,
        }
    }

    pub fn has(&self, signal: &str) -> bool {
        self.signals.contains(signal)
    }
}

fn truncate(s: &str, limit: usize) -> &str {
    if s.len() <= limit {
        return s;
    }
    let mut end = limit;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Map editor language ids onto the ids the catalog uses.
pub fn normalise_language(id: &str) -> &str {
    match id {
        "typescriptreact" | "tsx" => "typescript",
        "javascriptreact" | "jsx" => "javascript",
        "c++" => "cpp",
        "c#" | "cs" => "csharp",
        "sh" | "shell" | "shellscript" | "zsh" => "bash",
        "golang" => "go",
        other => other,
    }
}

macro_rules! lazy_regex {
    ($name:ident, $re:expr) => {
        fn $name() -> &'static Regex {
            static RE: OnceLock<Regex> = OnceLock::new();
            RE.get_or_init(|| Regex::new($re).expect("valid regex"))
        }
    };
}

lazy_regex!(
    sql_code,
    r"(?is)\b(select\b.{1,400}?\bfrom|insert\s+into|update\s+\w+\s+set|delete\s+from|create\s+(unique\s+)?(table|index)|alter\s+table)\b"
);
lazy_regex!(sql_text, r"(?i)\b(sql|select\s+\*|postgres(ql)?|mysql|sqlite)\b");
lazy_regex!(
    test_code,
    r"(?m)(^\s*def test_|@Test\b|^\s*(describe|it|test)\(|#\[test\]|^func Test|\bassert(Equal|That|_eq!)?\b|\bexpect\()"
);
// Error names and messages the user quotes in the request.
lazy_regex!(
    error_in_text,
    r"(Traceback \(most recent call last\)|\b[A-Z]\w*(Error|Exception)\b|\bpanicked at\b|\bpanics?\b|\bsegmentation fault\b|\bUncaught\b|\bundefined is not\b|\bCannot read propert|\bnil pointer\b|\bstack trace\b|\bcore dumped\b|'[^']*' expected)"
);
// Traces pasted as code: frames and error lines, not mere class names.
lazy_regex!(
    trace_in_code,
    r"(?m)(Traceback \(most recent call last\)|^\s+at [\w.$<>]+\(|panicked at|Exception in thread|^\w*(Error|Exception): |core dumped)"
);
lazy_regex!(diff_marker, r"(?m)^(diff --git |@@ -\d|--- a/|\+\+\+ b/)");
lazy_regex!(
    infra_file,
    r"(?m)(^FROM\s+\S+|^\s*apiVersion:\s*\S+|^\s*runs-on:|^\s*jobs:\s*$|^resource\s+\x22|^\s*image:\s*\S+|^stages:\s*$)"
);
lazy_regex!(
    empty_body,
    r"(?m)(:\s*\n\s*(pass|\.\.\.)\s*$|\{\s*\}\s*$|\{\s*\n\s*\}\s*$|todo!\(|unimplemented!\(|NotImplementedError|NotImplementedException|//\s*TODO)"
);
lazy_regex!(
    question_start,
    r"(?i)^\s*(what|why|how|when|where|which|who|is|are|can|could|should|do|does|did|would|will)\b"
);

/// The language the code is written in (the file's, not the one the text asks for).
fn language_of_code(request: &Request) -> Option<&str> {
    request.language.as_deref()
}

/// Whether `code` fails to parse in `language`. Used only when the editor
/// sent no diagnostics (the CLI and the evaluation pass raw code); a fragment
/// that is valid code parses cleanly with every grammar Aura ships, so an
/// error here is real evidence of a syntax problem.
fn parses_with_errors(language: Option<&str>, code: &str) -> bool {
    let Some(id) = language.map(normalise_language) else { return false };
    // A TypeScript snippet may hold JSX (editors say "typescript" for both):
    // it has a syntax error only if neither grammar accepts it.
    let candidates: &[&str] = if id == "typescript" { &["typescript", "tsx"] } else { &[id] };
    let mut tried = false;
    for candidate in candidates {
        let Some(language) = aura_syntax::registry().by_id(candidate) else { continue };
        let mut parser = tree_sitter::Parser::new();
        if parser.set_language(language.ts_language()).is_err() {
            continue;
        }
        tried = true;
        if parser.parse(code, None).is_some_and(|tree| !tree.root_node().has_error()) {
            return false;
        }
    }
    tried
}

/// Whether closing what is open at the end makes `code` parse.
fn unfinished(language: Option<&str>, code: &str) -> bool {
    let endings: &[&str] = match language.map(normalise_language) {
        Some("python") => &["\n    pass\n"],
        Some("ruby") => &["\nend\n", "\nend\nend\n"],
        Some("bash") => &["\n}\n", "\nfi\n", "\ndone\n"],
        _ => &["\n}\n", "\n}\n}\n", "\n}\n}\n}\n"],
    };
    endings.iter().any(|end| !parses_with_errors(language, &format!("{code}{end}")))
}

fn is_sql(code: &str) -> bool {
    !code.is_empty() && sql_code().is_match(code)
}

fn sql_in_text(text: &str) -> bool {
    sql_text().is_match(text)
}

fn is_diff(code: &str) -> bool {
    if diff_marker().is_match(code) {
        return true;
    }
    let lines: Vec<&str> = code.lines().filter(|l| !l.trim().is_empty()).collect();
    let changed = lines.iter().filter(|l| l.starts_with('+') || l.starts_with('-')).count();
    lines.len() >= 4 && changed * 2 >= lines.len()
}

fn is_question(text: &str) -> bool {
    text.trim_end().ends_with('?') || question_start().is_match(text)
}

/// Languages the text names outright, in a fixed order.
pub fn named_languages(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '#' || c == '+'))
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let mut out = Vec::new();
    if has("python") {
        out.push("python");
    }
    if has("javascript") || has("js") || has("node") || lower.contains("node.js") {
        out.push("javascript");
    }
    if has("typescript") || has("ts") {
        out.push("typescript");
    }
    if has("golang") || names_go(text) {
        out.push("go");
    }
    if has("rust") {
        out.push("rust");
    }
    if has("java") {
        out.push("java");
    }
    if has("c#") || has("csharp") || lower.contains(".net") {
        out.push("csharp");
    }
    if has("c++") || has("cpp") {
        out.push("cpp");
    }
    if has("ruby") {
        out.push("ruby");
    }
    if has("php") {
        out.push("php");
    }
    if has("bash") || lower.contains("shell script") {
        out.push("bash");
    }
    if has("kotlin") {
        out.push("kotlin");
    }
    if has("swift") {
        out.push("swift");
    }
    out
}

/// "Go" the language, not the verb: capitalised, or lowercase right after
/// "in", "and", "or", "into"; never opening a phrasal verb ("go through").
fn names_go(text: &str) -> bool {
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        let language_position = *w == "Go"
            || (*w == "go"
                && i > 0
                && matches!(words[i - 1].to_lowercase().as_str(), "in" | "and" | "or" | "into"));
        language_position
            && !matches!(
                words.get(i + 1).map(|n| n.to_lowercase()).as_deref(),
                Some("through" | "ahead" | "back" | "over" | "to" | "for" | "with" | "on" | "away")
            )
    })
}

/// Languages implied by frameworks and tools the text names.
fn implied_languages(text: &str) -> Vec<&'static str> {
    const FRAMEWORKS: &[(&str, &str)] = &[
        ("django", "python"),
        ("flask", "python"),
        ("fastapi", "python"),
        ("pandas", "python"),
        ("pytorch", "python"),
        ("pytest", "python"),
        ("numpy", "python"),
        ("airflow", "python"),
        ("sqlalchemy", "python"),
        ("alembic", "python"),
        ("react", "javascript"),
        ("express", "javascript"),
        ("vue", "javascript"),
        ("jest", "javascript"),
        ("angular", "typescript"),
        ("nestjs", "typescript"),
        ("spring", "java"),
        ("junit", "java"),
        ("mockito", "java"),
        ("asp.net", "csharp"),
        ("linq", "csharp"),
        ("rails", "ruby"),
        ("rspec", "ruby"),
        ("laravel", "php"),
        ("tokio", "rust"),
        ("axum", "rust"),
        ("serde", "rust"),
        ("goroutine", "go"),
        ("goroutines", "go"),
    ];
    let lower = text.to_lowercase();
    let mut out: Vec<&'static str> = Vec::new();
    for word in lower.split(|c: char| !(c.is_alphanumeric() || c == '.')) {
        let word = word.trim_matches('.');
        if let Some((_, lang)) = FRAMEWORKS.iter().find(|(f, _)| *f == word) {
            if !out.contains(lang) {
                out.push(lang);
            }
        }
    }
    out
}

lazy_regex!(py_import, r"(?m)^\s*(?:from\s+([A-Za-z_][\w]*)[\w.]*\s+import|import\s+([A-Za-z_][\w]*))");
lazy_regex!(js_import, r#"(?m)(?:\bfrom\s+|\brequire\(\s*|^\s*import\s+)['"]((?:@[\w.-]+/)?[\w.-]+)"#);
lazy_regex!(go_import, r#"(?m)^\s*(?:import\s+)?(?:\w+\s+)?"([\w.-]+(?:/[\w.-]+)*)"\s*$"#);
lazy_regex!(rust_use, r"(?m)^\s*(?:pub\s+)?use\s+([a-z_][\w]*)::");
lazy_regex!(java_import, r"(?m)^\s*import\s+(?:static\s+)?([a-z][\w]*(?:\.[a-z][\w]*)?)");
lazy_regex!(cs_using, r"(?m)^\s*using\s+([A-Z]\w*(?:\.[A-Z]\w*)?)(?:\.\w+)*\s*;");

/// Top-level import names in `code` written in `language` (a language id or
/// a file extension); unknown languages try every syntax.
pub fn imports_in(language: &str, code: &str) -> BTreeSet<String> {
    let patterns: &[&Regex] = match language {
        "python" | "py" => &[py_import()],
        "javascript" | "typescript" | "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" => &[js_import()],
        "rust" | "rs" => &[rust_use()],
        "java" | "kotlin" | "kt" => &[java_import()],
        "csharp" | "cs" => &[cs_using()],
        "go" => return go_imports(code),
        _ => return imports(code),
    };
    let mut out = BTreeSet::new();
    for re in patterns {
        for c in re.captures_iter(code) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)) {
                out.insert(m.as_str().to_owned());
            }
        }
    }
    out
}

fn go_imports(code: &str) -> BTreeSet<String> {
    go_import()
        .captures_iter(code)
        .filter(|c| c[1].contains('/') || !c[1].contains('.'))
        .map(|c| c[1].to_owned())
        .collect()
}

/// Top-level import names in `code`, whatever its language: `django`,
/// `react`, `@playwright/test`, `org.junit`, `Microsoft.AspNetCore`.
pub fn imports(code: &str) -> BTreeSet<String> {
    if code.is_empty() {
        return BTreeSet::new();
    }
    ["python", "javascript", "rust", "java", "csharp", "go"]
        .into_iter()
        .flat_map(|l| imports_in(l, code))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str, language: Option<&str>, code: Option<&str>) -> Context {
        Context::new(&Request {
            text: text.into(),
            language: language.map(Into::into),
            code: code.map(Into::into),
            ..Request::default()
        })
    }

    #[test]
    fn languages_named_and_implied() {
        assert_eq!(named_languages("port it to Go and Rust"), ["go", "rust"]);
        assert!(named_languages("Go through this code").is_empty());
        assert_eq!(named_languages("a C# method and some C++"), ["csharp", "cpp"]);
        assert_eq!(ctx("create a django view", Some("javascript"), None).language.as_deref(), Some("python"));
        assert_eq!(ctx("create a view", Some("tsx"), None).language.as_deref(), Some("typescript"));
        assert!(ctx("same helper in python and go", None, None).has("multi_language"));
        assert!(!ctx("typescript or javascript", None, None).has("multi_language"));
    }

    #[test]
    fn signals_from_code() {
        assert!(ctx("faster?", None, Some("SELECT id FROM users WHERE x = 1")).has("sql"));
        assert!(
            ctx("why", None, Some("Traceback (most recent call last):\n KeyError: 'a'")).has("stack_trace")
        );
        assert!(ctx("look", None, Some("@@ -1,2 +1,2 @@\n-a\n+b\n")).has("diff"));
        assert!(ctx("x", None, Some("FROM python:3.12\nRUN pip install x")).has("infra_file"));
        assert!(ctx("x", None, Some("def f(x):\n    pass\n")).has("empty_body"));
        assert!(ctx("x", None, Some("def test_a():\n    assert f() == 1")).has("test_code"));
        assert!(ctx("what is this?", None, None).has("question"));
        assert!(ctx("fix", Some("python"), Some("def f(x)\n    return x\n")).has("syntax_error"));
        assert!(!ctx("fix", Some("typescript"), Some("const a = <div>{x}</div>;\n")).has("syntax_error"));
        assert!(ctx("fix", Some("typescript"), Some("const a = (1, 2;\n")).has("syntax_error"));
        let stub =
            ctx("finish it", Some("typescript"), Some("export function f(): number {\n  const a = 1;\n"));
        assert!(stub.has("empty_body") && !stub.has("syntax_error"));
        assert!(ctx("tidy", None, None).has("no_code"));
    }

    #[test]
    fn imports_across_languages() {
        let code = "import os\nfrom django.db import models\nimport React from 'react';\nconst x = require(\"express\");\nuse tokio::sync;\nimport org.junit.jupiter.api.Test;\nusing Microsoft.AspNetCore.Mvc;\nimport { test } from '@playwright/test';\n";
        let found = imports(code);
        for name in [
            "os",
            "django",
            "react",
            "express",
            "tokio",
            "org.junit",
            "Microsoft.AspNetCore",
            "@playwright/test",
        ] {
            assert!(found.contains(name), "{name} missing from {found:?}");
        }
    }
}
