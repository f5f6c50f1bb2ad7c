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

/// Every syntax error in `tree`, in document order.
pub fn check(tree: &Tree, text: &Rope) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let root = tree.root_node();
    if root.has_error() {
        visit(root, text, &mut out);
    }
    out
}

fn visit(node: Node, text: &Rope, out: &mut Vec<Diagnostic>) {
    if out.len() >= MAX_ERRORS {
        return;
    }
    if node.is_missing() {
        out.push(missing(node));
        return;
    }
    if node.is_error() {
        out.push(unexpected(node, text));
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        // Only subtrees that contain an error are worth walking into.
        if child.has_error() || child.is_missing() {
            visit(child, text, out);
        }
    }
}

fn missing(node: Node) -> Diagnostic {
    let what = if node.is_named() { humanize(node.kind()) } else { format!("`{}`", node.kind()) };
    let message = match context(node) {
        Some(ctx) => format!("missing {what} in {ctx}"),
        None => format!("missing {what}"),
    };
    let at = node.start_byte();
    Diagnostic::new(CODE, Severity::Error, message, at..at)
}

fn unexpected(node: Node, text: &Rope) -> Diagnostic {
    let (what, range) = locate_error(node, text);
    let message = match context(node) {
        Some(ctx) => format!("{what} in {ctx}"),
        None => what,
    };
    Diagnostic::new(CODE, Severity::Error, message, range)
}

/// Tree-sitter's ERROR node covers everything it had to skip, often a whole
/// statement. Narrow it down to the token that broke the parse, in order of
/// confidence: an unbalanced bracket, a nested error, a lone stray token; else
/// the first line of the skipped region.
fn locate_error(node: Node, text: &Rope) -> (String, Range<usize>) {
    let leaves = leaves(node);
    if let Some(found) = unbalanced_bracket(&leaves) {
        return found;
    }
    let mut cursor = node.walk();
    if let Some(inner) = node.children(&mut cursor).find(|c| c.is_error()) {
        return locate_error(inner, text);
    }
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

/// The nearest named ancestor that says where the error is, such as "parameters".
fn context(node: Node) -> Option<String> {
    let mut parent = node.parent();
    while let Some(p) = parent {
        if p.is_named() && !p.is_error() {
            // The root (module, program, source_file) adds nothing.
            p.parent()?;
            return Some(humanize(p.kind()));
        }
        parent = p.parent();
    }
    None
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
