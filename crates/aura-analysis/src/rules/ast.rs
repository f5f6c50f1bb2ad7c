//! Syntax helpers shared by rules: call sites and their callee names, string
//! literals and the enclosing statement, across the 13 grammars.

use aura_syntax::tree_sitter::Node;

use super::Context;

/// `text` without its whitespace, to compare code whatever its layout.
pub(crate) fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Node kinds that are calls, per language.
pub(crate) fn call_kinds(lang: &str) -> &'static [&'static str] {
    match lang {
        "python" | "ruby" => &["call"],
        "javascript" | "typescript" | "tsx" => &["call_expression", "new_expression"],
        "rust" => &["call_expression", "macro_invocation"],
        "go" | "c" | "cpp" => &["call_expression"],
        "java" => &["method_invocation", "object_creation_expression"],
        "csharp" => &["invocation_expression", "object_creation_expression"],
        "php" => &["function_call_expression", "member_call_expression", "scoped_call_expression"],
        "bash" => &["command"],
        _ => &[],
    }
}

/// The dotted name a call invokes (`os.system`, `child_process.exec`,
/// `System.out.println`, `println!`, `new Function`), whitespace removed.
pub fn callee_name(node: Node<'_>, text: &aura_syntax::Rope) -> Option<String> {
    let t = |n: Node<'_>| -> String {
        let raw = crate::node_text(text, n);
        if raw.contains(char::is_whitespace) {
            raw.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            raw
        }
    };
    let name = match node.kind() {
        "macro_invocation" => format!("{}!", t(node.child_by_field_name("macro")?)),
        "new_expression" => format!("new {}", t(node.child_by_field_name("constructor")?)),
        "object_creation_expression" => format!("new {}", t(node.child_by_field_name("type")?)),
        "method_invocation" => match node.child_by_field_name("object") {
            Some(object) => format!("{}.{}", t(object), t(node.child_by_field_name("name")?)),
            None => t(node.child_by_field_name("name")?),
        },
        "call" if node.child_by_field_name("method").is_some() => {
            // Ruby: receiver.method
            match node.child_by_field_name("receiver") {
                Some(receiver) => format!("{}.{}", t(receiver), t(node.child_by_field_name("method")?)),
                None => t(node.child_by_field_name("method")?),
            }
        }
        "member_call_expression" | "scoped_call_expression" => {
            let object = node.child_by_field_name("object").or_else(|| node.child_by_field_name("scope"))?;
            format!("{}.{}", t(object), t(node.child_by_field_name("name")?))
        }
        "command" => t(node.child_by_field_name("name")?),
        _ => t(node.child_by_field_name("function")?),
    };
    if name.contains("->") || name.contains("::") {
        return Some(name.replace("->", ".").replace("::", "."));
    }
    Some(name)
}

/// The argument nodes of a call (named children of its argument list).
pub(crate) fn arguments(node: Node<'_>) -> Vec<Node<'_>> {
    // Bash passes words as `argument` fields directly on the command.
    let list = node.child_by_field_name("arguments");
    let mut cursor = node.walk();
    match list {
        Some(list) => {
            let mut c = list.walk();
            list.named_children(&mut c)
                .filter(|n| !n.kind().contains("comment"))
                // PHP and C# wrap each argument (`argument`, maybe named): the value is its last child.
                .map(|n| match n.kind() {
                    "argument" => n.named_child(n.named_child_count().saturating_sub(1) as u32).unwrap_or(n),
                    _ => n,
                })
                .collect()
        }
        None => node.children_by_field_name("argument", &mut cursor).collect(),
    }
}

/// Calls in the file with their callee names.
pub(crate) fn calls<'c, 'a>(cx: &'c Context<'a>) -> impl Iterator<Item = (Node<'a>, String)> + 'c {
    cx.calls().iter().map(|(n, name)| (*n, name.clone()))
}

/// String literal kinds per language (the whole literal, quotes included).
pub(crate) fn string_kinds(lang: &str) -> &'static [&'static str] {
    match lang {
        "python" | "javascript" | "typescript" | "tsx" | "ruby" | "bash" => &["string", "template_string"],
        "rust" => &["string_literal", "raw_string_literal"],
        "go" => &["interpreted_string_literal", "raw_string_literal"],
        "java" | "c" | "cpp" => &["string_literal"],
        "csharp" => &["string_literal", "verbatim_string_literal", "raw_string_literal"],
        "php" => &["string", "encapsed_string"],
        _ => &[],
    }
}

/// Whether `node` is a plain string literal with no interpolation inside.
pub(crate) fn is_constant_string(node: Node<'_>, lang: &str) -> bool {
    if !string_kinds(lang).contains(&node.kind()) {
        return false;
    }
    let mut cursor = node.walk();
    let interpolated = node.named_children(&mut cursor).any(|c| {
        matches!(
            c.kind(),
            "interpolation"
                | "template_substitution"
                | "expansion"
                | "simple_expansion"
                | "command_substitution"
        ) || c.kind().ends_with("variable_name")
    });
    !interpolated
}

/// The innermost statement-like ancestor (a line of code to reason about).
pub(crate) fn statement_of(node: Node<'_>) -> Node<'_> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        let kind = parent.kind();
        if kind.ends_with("_statement")
            || kind.ends_with("_declaration")
            || kind == "assignment"
            || kind == "let_declaration"
            || kind == "expression_statement"
        {
            return parent;
        }
        // A statement never reaches past a body of statements or declarations,
        // nor is the whole file (Rust's `source_file`, C's `translation_unit`).
        if kind == "block"
            || kind.ends_with("_block")
            || kind.ends_with("_body")
            || kind.ends_with("declaration_list")
            || parent.parent().is_none()
        {
            return current;
        }
        current = parent;
    }
    current
}
