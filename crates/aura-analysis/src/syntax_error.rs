//! AUR001 syntax-error: tree-sitter ERROR and MISSING nodes as diagnostics.
//!
//! **What it flags**: code the parser could not fit into the language's grammar,
//! either a token that does not belong (`unexpected `)``) or one that is absent
//! (`missing `:``).
//!
//! **Why it matters**: the file will not compile or run, and every other
//! analysis sees a partial tree around the error.
//!
//! **Example**: `def f(:` in Python reports ``unexpected `:` in parameters``.
//!
//! **Fix safety**: no automatic fix.

use aura_syntax::tree_sitter::{Node, Tree};
use std::ops::Range;

use aura_syntax::{line_content_len, Rope};

use crate::{Diagnostic, Severity};

/// The rule's code.
pub const CODE: &str = "AUR001";

/// The rule's description.
pub const RULE: crate::RuleInfo = crate::RuleInfo {
    code: CODE,
    name: "syntax-error",
    summary: "code the parser cannot fit into the language's grammar",
    default_severity: Severity::Error,
    category: "syntax",
    default_enabled: true,
    doc: "## What it flags\n\nCode the tree-sitter parser cannot fit into the language's grammar: an \
unclosed or stray bracket, a missing token, or text that parses as nothing.\n\n## Why it matters\n\n\
The file will not compile or run, and every other analysis sees a partial tree.\n\n## Example\n\n\
```python\ndef f(:\n    pass\n```\n\n## Fix safety\n\nNo automatic fix; only suppression.\n",
    fix: None,
};

/// At most this many syntax errors per file: after that, the rest is noise.
const MAX_ERRORS: usize = 100;

/// Longest token text quoted in a message.
const MAX_QUOTED: usize = 24;

/// Every syntax error in `tree`, in document order, as the grammar sees it.
pub fn check(tree: &Tree, text: &Rope) -> Vec<Diagnostic> {
    errors(tree, text).into_iter().map(|(d, _)| d).collect()
}

/// The syntax errors of a file in `language` that the code certainly has.
/// In C and C++ tree-sitter parses the text before the preprocessor runs, so
/// an unexpanded macro (`git_vector_foreach(v, i, x) {`, `PyObject_HEAD`,
/// `va_arg(ap, char *)`), a directive splitting a construct, or a C++ form the
/// grammar lacks reads as an error in code that compiles: errors whose
/// surroundings show such a construct are not reported.
pub fn check_in(language: &str, tree: &Tree, text: &Rope) -> Vec<Diagnostic> {
    let found = errors(tree, text);
    // The filters below walk up from each error; past the depth limit that
    // walk is what must not happen, and such input is not code that compiles.
    let language = if crate::too_deep(tree) { "" } else { language };
    match language {
        "c" | "cpp" => {
            // Scanned only when there is an error to judge.
            let namespace_macro = if found.is_empty() { None } else { first_statement_macro(text) };
            found
                .into_iter()
                .filter(|(_, node)| !preprocessor_explains(*node, text, language, namespace_macro))
                .map(|(d, _)| d)
                .collect()
        }
        "csharp" => {
            found.into_iter().filter(|(_, node)| !directive_nearby(*node, text)).map(|(d, _)| d).collect()
        }
        // A macro_rules! body and a macro call's arguments are token trees that
        // rustc reads only when the macro expands: `(~$($fuel:tt)*)` is valid
        // Rust the grammar rejects.
        "rust" => found
            .into_iter()
            .filter(|(_, node)| !inside(*node, &["macro_definition", "macro_invocation", "token_tree"]))
            .map(|(d, _)| d)
            .collect(),
        "bash" => found
            .into_iter()
            .filter(|(d, node)| !bash_grammar_gap(*node, d.range.start, text))
            .map(|(d, node)| bash_unclosed(node).unwrap_or(d))
            .collect(),
        _ => found.into_iter().map(|(d, _)| d).collect(),
    }
}

/// Bash that tree-sitter-bash 0.25 does not parse: extended globs
/// (`@(a|b)`, `!(-*)`, `+([0-9])`, on in bash-completion and common in `case`
/// patterns and `[[ == ]]`), an empty default (`${x-}`, `${x:-}`) and a
/// replacement ending in a backslash (`${a//\\/\\}`). One of them anywhere in
/// the top-level statement or function that holds an error (the parser loses
/// its place for the rest of a `case`), or within a few lines of it in a long
/// one, explains the error.
fn bash_grammar_gap(node: Node, reported_at: usize, text: &Rope) -> bool {
    let line_of = |byte: usize| text.byte_to_line(byte.min(text.len_bytes()));
    let mut top = node;
    while let Some(p) = top.parent().filter(|p| p.kind() != "program") {
        top = p;
    }
    let (first, last) = if line_of(top.end_byte()) - line_of(top.start_byte()) <= 400 {
        (line_of(top.start_byte()), line_of(top.end_byte()))
    } else {
        let first = line_of(node.start_byte());
        (first.saturating_sub(3), line_of(node.end_byte()).min(first + 10))
    };
    // A literal `$` ending a word (`grep -cv deinstall$)`) is valid Bash the
    // grammar rejects, and its ERROR can start a thousand lines earlier
    // (neofetch: reported at line 35, caused at line 1528): the whole ERROR
    // is searched for it.
    if node.is_error() {
        let mut previous = b' ';
        for chunk in text.byte_slice(node.byte_range()).chunks() {
            for &b in chunk.as_bytes() {
                if previous == b'$' && matches!(b, b')' | b' ' | b'\n' | b'\t' | b';' | b'|') {
                    return true;
                }
                previous = if previous == b'\\' { b' ' } else { b };
            }
        }
    }
    let reported = line_of(reported_at);
    let near_report = reported.saturating_sub(3)..=reported + 3;
    (first..=last).chain(near_report).filter(|l| *l < text.len_lines()).any(|l| {
        let line = text.line(l).to_string();
        let bytes = line.as_bytes();
        let extglob = bytes.windows(2).enumerate().any(|(i, w)| {
            matches!(w[0], b'@' | b'!' | b'?' | b'+' | b'*')
                && w[1] == b'('
                && (i == 0 || bytes[i - 1] != b'$')
        });
        // `esac done`: a closing word right after another is valid Bash the
        // grammar wants a `;` between (pass, the password store).
        let closers = line.split_whitespace().collect::<Vec<_>>();
        let stacked = closers
            .windows(2)
            .any(|w| matches!(w[0], "esac" | "fi" | "done" | "}") && matches!(w[1], "esac" | "fi" | "done"));
        extglob || stacked || line.contains("${") && (line.contains("-}") || line.contains("\\}"))
    })
}

/// A Bash `case`, `if`, loop or group left open is reported at its opening
/// keyword, where the mistake is, not at the end of the file where the
/// parser noticed it.
fn bash_unclosed(node: Node) -> Option<Diagnostic> {
    if !node.is_missing() || !matches!(node.kind(), "esac" | "fi" | "done" | "}" | ")") {
        return None;
    }
    let opener = node.parent()?;
    let keyword = opener.child(0)?;
    Some(Diagnostic::new(
        CODE,
        Severity::Error,
        format!("`{}` is never closed (missing `{}`)", keyword.kind(), node.kind()),
        keyword.byte_range(),
    ))
}

/// C# `#if` blocks can cut a statement or an initialiser in two (a `lock`
/// header, one field of an object initialiser): the grammar reads both arms.
/// An error with a conditional directive in the 30 lines above it, or within
/// it (the first 60 lines of a large one), is not reported.
fn directive_nearby(node: Node, text: &Rope) -> bool {
    let first = text.byte_to_line(node.start_byte().min(text.len_bytes()));
    let last = text.byte_to_line(node.end_byte().min(text.len_bytes())).min(first + 60);
    (first.saturating_sub(30)..=last).any(|l| {
        let line = text.line(l).to_string();
        let t = line.trim_start();
        ["#if", "#else", "#elif", "#endif"].iter().any(|d| t.starts_with(d))
    })
}

/// Whether an ancestor of `node` is of one of `kinds`.
fn inside(node: Node, kinds: &[&str]) -> bool {
    let mut up = node.parent();
    while let Some(p) = up {
        if kinds.contains(&p.kind()) {
            return true;
        }
        up = p.parent();
    }
    false
}

/// Each error with the ERROR or MISSING node it describes, in document order.
fn errors<'t>(tree: &'t Tree, text: &Rope) -> Vec<(Diagnostic, Node<'t>)> {
    let mut out = Vec::new();
    let root = tree.root_node();
    if !root.has_error() {
        return out;
    }
    // Iterative, and each node carries the context its ancestors give it:
    // nesting depth is the input's to choose, and tree-sitter's
    // `Node::parent` both costs O(depth) and recurses that deep in C.
    let mut stack: Vec<(Node<'t>, Option<Node<'t>>)> = vec![(root, None)];
    while let Some((node, context)) = stack.pop() {
        if out.len() >= MAX_ERRORS {
            break;
        }
        let say = |what: String| match context {
            Some(ctx) => format!("{what} in {}", humanize(ctx.kind())),
            None => what,
        };
        if node.is_missing() {
            let what = if node.is_named() { humanize(node.kind()) } else { format!("`{}`", node.kind()) };
            let at = node.start_byte();
            out.push((Diagnostic::new(CODE, Severity::Error, say(format!("missing {what}")), at..at), node));
            continue;
        }
        if node.is_error() {
            let (what, range) = locate_error(node, text);
            out.push((Diagnostic::new(CODE, Severity::Error, say(what), range), node));
            continue;
        }
        // The root (module, program, source_file) adds nothing.
        let inner = if node.is_named() && node != root { Some(node) } else { context };
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> =
            node.children(&mut cursor).filter(|c| c.has_error() || c.is_missing()).collect();
        // Only subtrees that contain an error are worth walking into.
        stack.extend(children.into_iter().rev().map(|c| (c, inner)));
    }
    out
}

/// Whether a C/C++ error can come from text the preprocessor rewrites or a
/// C++ form the grammar does not know: looked for on the error's lines and
/// the two lines before it (a statement macro leaves the error on the next
/// token), and in the call whose arguments hold it (macro arguments may be
/// types or statements).
fn preprocessor_explains(node: Node, text: &Rope, language: &str, namespace_macro: Option<usize>) -> bool {
    let line_of = |byte: usize| text.byte_to_line(byte.min(text.len_bytes()));
    let evidence_on = |l: usize| l < text.len_lines() && macro_evidence(&text.line(l).to_string(), language);
    let mut up = node.parent();
    while let Some(p) = up {
        if matches!(
            p.kind(),
            "argument_list"
                | "preproc_arg"
                | "preproc_function_def"
                | "preproc_def"
                | "preproc_if"
                | "preproc_ifdef"
                | "preproc_else"
                | "preproc_elif"
                | "preproc_elifdef"
        ) {
            return true;
        }
        // A macro in the header of an enclosing class, function or namespace
        // (`class GTEST_API_ Cardinality {`) throws off everything inside.
        if p.kind() != "translation_unit" && evidence_on(line_of(p.start_byte())) {
            return true;
        }
        up = p.parent();
    }
    // A statement macro just before the construct that holds the error
    // (`Py_END_ALLOW_THREADS` and then an `if`) leaves the parser off track.
    // Every earlier sibling that starts within 40 lines is looked at: an
    // if/else-if chain broken by the macro can be long.
    let first = line_of(node.start_byte());
    let mut at = Some(node);
    while let Some(n) = at.filter(|n| n.kind() != "translation_unit" && !n.kind().ends_with("_definition")) {
        let mut sibling = n.prev_sibling();
        while let Some(s) = sibling.filter(|s| line_of(s.start_byte()) + 40 >= first) {
            if evidence_on(line_of(s.start_byte())) || evidence_on(line_of(s.end_byte())) {
                return true;
            }
            sibling = s.prev_sibling();
        }
        at = n.parent();
    }
    // A statement macro at the top level before the error
    // (`PYBIND11_NAMESPACE_BEGIN(detail)`, which opens a namespace the
    // parser never sees) leaves everything after it unreliable.
    if namespace_macro.is_some_and(|l| l < first) {
        return true;
    }
    let last = line_of(node.end_byte());
    // A huge ERROR (the parser gave up on a region) is judged by its first
    // lines; the line after holds trailing annotations
    // (`void f() const\n    GTEST_LOCK_EXCLUDED_(mu) {`).
    if (first..=last.min(first + 40) + 1).any(evidence_on) {
        return true;
    }
    // The three lines of code before it: a statement macro leaves the error
    // on the next token, past blank lines and comments.
    (0..first)
        .rev()
        .filter(|l| {
            let line = text.line(*l).to_string();
            let t = line.trim();
            !(t.is_empty() || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*'))
        })
        .take(3)
        .any(evidence_on)
}

/// The first line that is a statement macro at the top level
/// (`PYBIND11_NAMESPACE_BEGIN(detail)`: a macro-style call at column 0 with
/// no `;`), found once per file rather than once per error.
fn first_statement_macro(text: &Rope) -> Option<usize> {
    (0..text.len_lines()).find(|&l| {
        let line = text.line(l).to_string();
        let head = line.split('(').next().unwrap_or("");
        !line.starts_with([' ', '\t', '#'])
            && line.trim_end().ends_with(')')
            && !head.is_empty()
            && head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && is_macro_name(head)
    })
}

/// Whether one line of C or C++ shows a construct the parser cannot see
/// through: a directive, a macro-style name, a call-shaped statement with no
/// `;` (`FOREACH(x) {`, `DECLARE(y)`), a compiler extension, or C++ the
/// grammar lacks.
fn macro_evidence(line: &str, language: &str) -> bool {
    let code = line.split("//").next().unwrap_or("").trim();
    if code.starts_with('#') || code.ends_with('\\') {
        return true;
    }
    const EXTENSIONS: &[&str] = &[
        "va_arg",
        "offsetof",
        "__attribute__",
        "__declspec",
        "_Pragma",
        "__asm",
        "asm(",
        "__extension__",
        "_Generic",
        "__typeof",
        "typeof(",
        "_Static_assert",
        "__inline",
        "__restrict",
    ];
    if EXTENSIONS.iter().any(|e| code.contains(e)) {
        return true;
    }
    const CPP: &[&str] = &[
        "operator",
        "decltype",
        "->*",
        ".*",
        "template",
        "typename",
        "friend ",
        "= delete",
        "= default",
        "noexcept",
        "requires",
        "concept ",
        "[[",
        "co_await",
        "co_return",
        "co_yield",
        "alignas",
        "...",
        "<<<",
        "::template",
        "constexpr",
        "consteval",
        "explicit(",
        "static_assert",
        // `new const T*[n]`: valid C++ that tree-sitter-cpp 0.23 does not parse.
        "new const",
    ];
    if language == "cpp" && CPP.iter().any(|e| code.contains(e)) {
        return true;
    }
    let words = code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty());
    if words.clone().any(is_macro_name) {
        return true;
    }
    // `local void f(...)`, `inline_hint int g(...)`: a name before a type at
    // the start of a declaration is a qualifier macro (zlib's `#define local static`).
    let mut first_two = code.split_whitespace();
    if let (Some(a), Some(b)) = (first_two.next(), first_two.next()) {
        const TYPES: &[&str] = &[
            "void", "int", "char", "unsigned", "signed", "long", "short", "float", "double", "const",
            "struct", "static", "size_t", "bool",
        ];
        const KEYWORDS: &[&str] = &[
            "return",
            "static",
            "extern",
            "const",
            "struct",
            "union",
            "enum",
            "typedef",
            "inline",
            "volatile",
            "register",
            "unsigned",
            "signed",
            "long",
            "short",
            "case",
            "else",
            "goto",
            "sizeof",
            "auto",
            "template",
            "typename",
            "virtual",
            "explicit",
            "friend",
            "using",
            "namespace",
            "public",
            "private",
            "protected",
        ];
        let is_name = a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !a.starts_with(|c: char| c.is_ascii_digit());
        // `b` a type: a primitive, or a typedef by the `_t` convention (`local z_crc_t f(...)`).
        let b_is_type = TYPES.contains(&b)
            || b.ends_with("_t") && b.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if is_name && !KEYWORDS.contains(&a) && !TYPES.contains(&a) && b_is_type {
            return true;
        }
    }

    // `name(args) {` or `name(args)` alone on a line: a macro used as a
    // statement, a loop header or a declaration.
    let head = code.split('(').next().unwrap_or("").trim_end();
    let call_shaped = code.contains('(')
        && !head.is_empty()
        && head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(head, "if" | "for" | "while" | "switch" | "return" | "sizeof");
    call_shaped && (code.ends_with('{') || code.ends_with(')') || code.ends_with(','))
}

/// A name written like a macro: its last `_`-separated part all capitals
/// (`GIT_INLINE`, `PyObject_HEAD`, `Py_BEGIN_ALLOW_THREADS`), other than the
/// few constants that are plain values everywhere.
fn is_macro_name(word: &str) -> bool {
    if matches!(word, "NULL" | "TRUE" | "FALSE" | "EOF") || word.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let capitals = word.chars().filter(char::is_ascii_uppercase).count();
    if capitals >= 2 && !word.chars().any(|c| c.is_ascii_lowercase()) {
        return true;
    }
    let last = word.rsplit('_').find(|p| !p.is_empty()).unwrap_or("");
    last.len() >= 2
        && last.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && last.chars().any(|c| c.is_ascii_uppercase())
}

/// Tree-sitter's ERROR node covers everything it had to skip, often a whole
/// statement. Narrow it down to the token that broke the parse, in order of
/// confidence: an unbalanced bracket, a nested error, a lone stray token; else
/// the first line of the skipped region.
fn locate_error(mut node: Node, text: &Rope) -> (String, Range<usize>) {
    // A loop, not recursion, and a bounded one: errors can nest as deep as
    // the input, and each level reads all the leaves below it.
    let mut levels = 0;
    let leaves = loop {
        let leaves = leaves(node);
        if let Some(found) = unbalanced_bracket(&leaves) {
            return found;
        }
        let mut cursor = node.walk();
        let inner = node.children(&mut cursor).find(|c| c.is_error());
        match inner {
            Some(inner) if levels < 16 => {
                node = inner;
                levels += 1;
            }
            _ => break leaves,
        }
    };
    match leaves.as_slice() {
        [] => ("unexpected end of file".to_string(), node.byte_range()),
        [only] => (format!("unexpected {}", describe_token(*only, text)), only.byte_range()),
        [first, ..] => {
            let start = first.start_byte();
            let line_idx = text.byte_to_line(start);
            let line_end = text.line_to_byte(line_idx) + line_content_len(text, line_idx);
            let end = node.end_byte().min(line_end).max(first.end_byte());
            let snippet = text.byte_slice(start..end).to_string();
            let range = start..start + snippet.trim_end().len();
            (format!("cannot parse {}", quote(&snippet)), range)
        }
    }
}

/// The first closing bracket without an opener, or else the last opener left unclosed.
fn unbalanced_bracket(leaves: &[Node]) -> Option<(String, Range<usize>)> {
    let mut open: Vec<Node> = Vec::new();
    for leaf in leaves {
        let close = leaf.kind();
        let expected = match close {
            "(" | "[" | "{" => {
                open.push(*leaf);
                continue;
            }
            ")" => "(",
            "]" => "[",
            "}" => "{",
            _ => continue,
        };
        match open.last() {
            Some(o) if o.kind() == expected => {
                open.pop();
            }
            _ => return Some((format!("unexpected `{close}`"), leaf.byte_range())),
        }
    }
    let last = open.pop()?;
    Some((format!("unclosed `{}`", last.kind()), last.byte_range()))
}

/// Every token with text inside `node`, in order.
fn leaves(node: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.child_count() == 0 {
            if !n.byte_range().is_empty() {
                out.push(n);
            }
            continue;
        }
        let mut cursor = n.walk();
        let children: Vec<Node> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

fn describe_token(leaf: Node, text: &Rope) -> String {
    let quoted = quote(&text.byte_slice(leaf.byte_range()).to_string());
    let kind = leaf.kind();
    // Named tokens (identifiers, numbers, strings) say what they are; punctuation
    // and keywords are clearest quoted alone.
    if leaf.is_named() && kind.chars().any(char::is_alphanumeric) {
        format!("{} {quoted}", humanize(kind))
    } else {
        quoted
    }
}

fn quote(raw: &str) -> String {
    let first_line = raw.lines().next().unwrap_or("").trim_end();
    let mut quoted: String = first_line.chars().take(MAX_QUOTED).collect();
    if quoted.len() < first_line.len() {
        quoted.push('…');
    }
    format!("`{}`", quoted.replace('`', "'"))
}

fn humanize(kind: &str) -> String {
    kind.trim_start_matches('_').replace('_', " ")
}

#[cfg(test)]
mod tests {
    use aura_syntax::{registry, Document};

    use super::*;

    fn messages(language: &str, source: &str) -> Vec<String> {
        let lang = registry().by_id(language).unwrap();
        let mut doc = Document::new(source, Some(lang));
        let tree = doc.tree().unwrap().clone();
        check(&tree, doc.text())
            .into_iter()
            .map(|d| {
                let text = doc.text().byte_slice(d.range.clone()).to_string();
                format!("{}..{} {:?}: {}", d.range.start, d.range.end, text, d.message)
            })
            .collect()
    }

    fn reported(language: &str, source: &str) -> Vec<String> {
        let lang = registry().by_id(language).unwrap();
        let mut doc = Document::new(source, Some(lang));
        let tree = doc.tree().unwrap().clone();
        check_in(language, &tree, doc.text()).into_iter().map(|d| d.message).collect()
    }

    /// Code that compiles, written the way C and C++ projects write it
    /// (libgit2, zstd's Python binding, googletest): the grammar sees errors,
    /// the rule must not report them.
    #[test]
    fn unexpanded_macros_are_not_syntax_errors() {
        for (language, source) in [
            ("c", "int f(git_vector *v) {\n\tsize_t i; char *p;\n\tgit_vector_foreach(v, i, p) {\n\t\tuse(p);\n\t}\n\treturn 0;\n}\n"),
            ("c", "int g(va_list ap) {\n    char *s = va_arg(ap, char *);\n    return s != NULL;\n}\n"),
            ("c", "typedef struct {\n    PyObject_HEAD\n    ZSTD_DCtx *dctx;\n} Decompressor;\n"),
            ("c", "PARAM_GETTER(hash_log, ZSTD_c_hashLog)\nPARAM_GETTER(chain_log, ZSTD_c_chainLog)\n"),
            ("c", "static int h(void) {\n    Py_BEGIN_ALLOW_THREADS rc = work();\n    Py_END_ALLOW_THREADS\n    return rc;\n}\n"),
            ("cpp", "template <typename T> auto f(T a, T b) -> decltype(a + b, a) { return a; }\n"),
            ("cpp", "void k(Matrix *p, int i) { p->operator[](i); }\n"),
            ("cpp", "NS_BEGIN(detail)\n\ninline void f() {\n    int x = 1;\n}\n\ninline void g() {\n    bool ok = run([&](state &state) {\n        return state.ready;\n    });\n}\n\nNS_END(detail)\n"),
            ("c", "local z_crc_t x2nmodp(z_off64_t n, unsigned k) {\n    return 0;\n}\n"),
            ("rust", "fn f() {\n    parse!(/* fuel */ (~~~~ ~~~~) $($tt)*);\n}\n"),
            ("bash", "while [ $# -gt 0 ]; do\n\tcase $1 in\n\t\t--) shift; break ;;\n\tesac done\n"),
            ("c", "local void gen_bitlen(deflate_state *s, tree_desc *desc) {\n    int h;\n    h = s->heap_max;\n}\n"),
            ("rust", "macro_rules! parse {\n    (0 $stack:tt (~$($fuel:tt)*) $($rest:tt)*) => {\n        parse!($stack ($($fuel)*) $($rest)*)\n    };\n}\n"),
            ("bash", "case $prev in\n    --older-than | -!(-*)@([Zoy]|V*))\n        return\n        ;;\nesac\nif [[ $cur == @(*/|[.~])* ]]; then\n    :\nfi\n"),
            ("bash", "bash_version=${BASH_VERSINFO[0]:-5}\nf() {\n    has kpm && ((n+=$(kpm --list | grep -cv deinstall$)))\n}\n"),
            ("csharp", "class F {\n    void Add(object o) {\n#if CHECK\n        lock (_q)\n#endif\n        {\n            _q.Add(new P {\n                O = o,\n#if TRACE\n                S = Trace(),\n#endif\n            });\n        }\n    }\n}\n"),
        ] {
            let raw = messages(language, source);
            assert!(!raw.is_empty(), "{language}: {source:?}: the grammar parses it, so it proves nothing here");
            let kept = reported(language, source);
            assert!(kept.is_empty(), "{language}: {source:?} reported {kept:?} (grammar saw {raw:?})");
        }
    }

    /// Without a macro in sight, a C error is still an error.
    /// An unclosed Bash `if` is reported at `if`, not at the end of the file.
    #[test]
    fn bash_reports_an_unclosed_construct_at_its_opener() {
        let source = "echo start\nif [ -f x ]; then\n    echo a\necho b\n\necho done\n";
        let lang = registry().by_id("bash").unwrap();
        let mut doc = Document::new(source, Some(lang));
        let tree = doc.tree().unwrap().clone();
        let found = check_in("bash", &tree, doc.text());
        assert!(!found.is_empty());
        assert_eq!(doc.text().byte_to_line(found[0].range.start), 1, "{found:?}");
    }

    #[test]
    fn plain_c_errors_are_still_reported() {
        assert_eq!(reported("c", "int main(void) {\n    int x = 1\n    return x;\n}\n").len(), 1);
        assert_eq!(reported("c", "int f(int a, {\n    return a;\n}\n").len(), 1);
        assert!(!reported("cpp", "int g() { return (1 + ; }\n").is_empty());
    }

    #[test]
    fn clean_code_has_no_syntax_errors() {
        assert!(messages("python", "def f(x):\n    return x\n").is_empty());
        assert!(messages("rust", "fn main() {}\n").is_empty());
    }

    #[test]
    fn messages_name_the_token() {
        insta::assert_debug_snapshot!((
            messages("python", "def f(x)\n    return x\n"),
            messages("python", "print(1))\n"),
            messages("python", "x = (1, 2\n"),
            messages("javascript", "function f( { return 1 }\n"),
            messages("rust", "fn main() { let x = ; }\n"),
            messages("go", "package main\nfunc main() { x := }\n"),
            messages("java", "class A { void f() { int x = 1 } }\n"),
            messages("c", "int main() { return 0 }\n"),
            messages("bash", "if [ -f x ]; then echo hi\n"),
            messages("python", "x = = 2\n"),
            messages("typescript", "let s: string = 'a' +;\n"),
            messages("php", "<?php\nfunction f() { return [1, 2; }\n"),
        ));
    }
}
