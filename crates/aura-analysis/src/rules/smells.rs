//! Code smells (AUR201–AUR210): patterns that are legal but usually wrong or
//! costly to read. Each rule lists the node kinds it looks at per language;
//! languages without the construct are simply not listed.

use aura_syntax::tree_sitter::Node;

use super::ast::{calls, squash};
use super::Rule;
use crate::{Applicability, Diagnostic, Fix, RuleInfo, Severity};

const fn info(
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: Severity,
    default_enabled: bool,
    doc: &'static str,
    fix: Option<Applicability>,
) -> RuleInfo {
    RuleInfo { code, name, summary, default_severity: severity, category: "smell", default_enabled, doc, fix }
}

/// Named children that are not comments.
fn statements(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| !c.kind().contains("comment")).collect()
}

/// Whether `node` holds a comment on a line of its own (an explanation,
/// not a trailing remark on the handler's first line).
fn has_comment(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    let found = node.named_children(&mut cursor).any(|c| {
        c.kind().contains("comment")
            && c.prev_sibling()
                .is_none_or(|p| p.end_position().row < c.start_position().row || p.kind() == "{")
    });
    found
}

/// Whether an empty handler says it is on purpose: its variable is named so
/// (`ignore`, `ignored`, `_`, `_err`, `expected`, `cannotHappen`).
fn says_it_is_deliberate(cx: &super::Context<'_>, handler: Node<'_>) -> bool {
    let text = cx.text(handler);
    let head = text.lines().next().unwrap_or("");
    let named = |w: &str| {
        let w = w.trim_start_matches('$');
        w.starts_with('_')
            || w.to_ascii_lowercase().starts_with("ignore")
            || w == "expected"
            || w == "cannotHappen"
    };
    // `catch (Type name)`, `catch (name)`, `except E as name`: the last word
    // of the parentheses, or after `as`.
    let declared = match (head.split_once('('), head.split_once(" as ")) {
        (_, Some((_, after))) => after,
        (Some((_, inside)), None) => inside.split(')').next().unwrap_or(""),
        (None, None) => "",
    };
    let variable =
        declared.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).rfind(|w| !w.is_empty());
    variable.is_some_and(named)
}

pub(super) const EMPTY_CATCH: Rule = Rule {
    info: info(
        "AUR201",
        "empty-catch",
        "an exception handler that does nothing and says nothing about why",
        Severity::Info,
        true,
        include_str!("docs/AUR201.md"),
        None,
    ),
    check: |cx, out| {
        let kinds: &[&str] = match cx.lang() {
            "python" => &["except_clause"],
            "javascript" | "typescript" | "tsx" | "java" | "csharp" | "cpp" | "php" => &["catch_clause"],
            "ruby" => &["rescue"],
            _ => return,
        };
        for handler in cx.nodes(kinds) {
            let body = handler.child_by_field_name("body").or_else(|| {
                statements(handler)
                    .into_iter()
                    .rfind(|c| c.kind().contains("block") || c.kind() == "compound_statement")
            });
            let empty = match (cx.lang(), body) {
                ("python", _) => {
                    let Some(block) = statements(handler).into_iter().rfind(|c| c.kind() == "block") else {
                        continue;
                    };
                    let stmts = statements(block);
                    // EAFP: `except KeyError: pass` around one lookup is Python's
                    // idiom; only a handler that swallows everything is the smell.
                    let caught: Vec<Node<'_>> =
                        statements(handler).into_iter().filter(|c| c.kind() != "block").collect();
                    let broad = caught.is_empty()
                        || caught.iter().any(|c| {
                            let t = cx.text(*c);
                            let t = t.split(" as ").next().unwrap_or("").trim();
                            matches!(t, "Exception" | "BaseException")
                        });
                    // A comment on the `pass` line explains it (`pass  # already deleted`).
                    let explained = cx.text(block).contains('#');
                    broad
                        && !explained
                        && !has_comment(block)
                        && !has_comment(handler)
                        && !stmts.is_empty()
                        && stmts.iter().all(|s| s.kind() == "pass_statement" || cx.text(*s) == "...")
                }
                ("ruby", body) => {
                    body.is_none_or(|b| statements(b).is_empty() && !has_comment(b)) && !has_comment(handler)
                }
                (_, Some(block)) => {
                    // `catch (IOException x) {}    // no zip64 end`: a comment after
                    // the empty block, on its line, explains it.
                    let line = cx.file.text.byte_to_line(block.end_byte().min(cx.file.text.len_bytes()));
                    let line_end =
                        cx.file.text.line_to_byte(line) + aura_syntax::line_content_len(cx.file.text, line);
                    let after = cx.file.text.byte_slice(block.end_byte().min(line_end)..line_end).to_string();
                    let explained = after.contains("//") || after.contains("/*") || after.contains('#');
                    statements(block).is_empty() && !has_comment(block) && !explained
                }
                (_, None) => false,
            };
            if empty && !says_it_is_deliberate(cx, handler) {
                let start = handler.start_byte();
                let keyword_end = handler.child(0).map_or(start, |k| k.end_byte());
                out.push(Diagnostic::new(
                    "AUR201",
                    Severity::Info,
                    "exception handler does nothing; handle the error, log it, or say why it is safe to ignore",
                    start..keyword_end,
                ));
            }
        }
    },
};

pub(super) const BROAD_EXCEPT: Rule = Rule {
    info: info(
        "AUR202",
        "broad-except",
        "a handler that catches everything: a warning for Python's bare `except:`, information for the others",
        Severity::Warning,
        true,
        include_str!("docs/AUR202.md"),
        Some(Applicability::Unsafe),
    ),
    check: |cx, out| match cx.lang() {
        "python" => {
            for handler in cx.nodes(&["except_clause"]) {
                let caught: Vec<Node<'_>> =
                    statements(handler).into_iter().filter(|c| c.kind() != "block").collect();
                let keyword =
                    handler.child(0).map_or(handler.start_byte()..handler.start_byte(), |k| k.byte_range());
                // A handler that cleans up and re-raises (`except: undo(); raise`) lets everything through.
                let reraises = || {
                    statements(handler)
                        .into_iter()
                        .filter(|c| c.kind() == "block")
                        .flat_map(statements)
                        .any(|st| st.kind() == "raise_statement" && st.named_child_count() == 0)
                };
                if caught.is_empty() && !reraises() {
                    // The one broad handler ruff's defaults also flag (E722).
                    out.push(
                        Diagnostic::new(
                            "AUR202",
                            Severity::Warning,
                            "bare `except:` also catches KeyboardInterrupt and SystemExit",
                            keyword.clone(),
                        )
                        .with_fix(Fix {
                            title: "Catch `Exception` instead".into(),
                            applicability: Applicability::Unsafe,
                            edits: vec![(keyword.end..keyword.end, " Exception".into())],
                        }),
                    );
                } else if caught.len() == 1 && cx.text(caught[0]) == "BaseException" {
                    let body = cx.text(handler);
                    if !body.contains("raise") {
                        out.push(Diagnostic::new(
                            "AUR202",
                            Severity::Info,
                            "`except BaseException` without re-raising swallows KeyboardInterrupt and SystemExit",
                            caught[0].byte_range(),
                        ));
                    }
                }
            }
        }
        "java" => {
            for handler in cx.nodes(&["catch_type"]) {
                // A handler that rethrows (`throw t;`) or passes the error on
                // (`completeThrowable(ex)`, `exc = x`) handles it; only one
                // that drops it is reported.
                let uses_it = || {
                    let clause = handler.parent().and_then(|p| p.parent()).filter(|c| c.kind() == "catch_clause");
                    let name = handler.next_named_sibling().map(|n| cx.text(n)).unwrap_or_default();
                    let body = clause.and_then(|c| c.child_by_field_name("body")).map(|b| cx.text(b));
                    !name.is_empty()
                        && body.is_some_and(|b| {
                            b.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == name)
                        })
                };
                let deliberate = || {
                    handler.next_named_sibling().is_some_and(|n| {
                        let n = cx.text(n).to_ascii_lowercase();
                        n.starts_with("ignore") || n.starts_with('_')
                    })
                };
                if cx.text(handler) == "Throwable" && !uses_it() && !deliberate() {
                    out.push(Diagnostic::new(
                        "AUR202",
                        Severity::Info,
                        "catching `Throwable` also catches `Error`s such as OutOfMemoryError",
                        handler.byte_range(),
                    ));
                }
            }
        }
        "csharp" => {
            for handler in cx.nodes(&["catch_clause"]) {
                let declares = statements(handler).iter().any(|c| c.kind() == "catch_declaration");
                // `catch { cleanup(); throw; }` releases and rethrows: nothing is swallowed.
                let rethrows = handler.child_by_field_name("body").is_some_and(|b| {
                    statements(b).iter().any(|st| st.kind() == "throw_statement" && squash(&cx.text(*st)) == "throw;")
                });
                if !declares && !rethrows {
                    let keyword = handler.child(0).map_or(handler.byte_range(), |k| k.byte_range());
                    out.push(Diagnostic::new(
                        "AUR202",
                        Severity::Info,
                        "a bare `catch` catches every exception, including ones you cannot handle",
                        keyword,
                    ));
                }
            }
        }
        _ => {}
    },
};

/// Statements after which the rest of the block never runs.
fn is_jump(kind: &str) -> bool {
    matches!(
        kind,
        "return_statement" | "raise_statement" | "throw_statement" | "break_statement" | "continue_statement"
    )
}

pub(super) const UNREACHABLE: Rule = Rule {
    info: info(
        "AUR203",
        "unreachable-code",
        "statements after a return, raise, throw, break or continue in the same block",
        Severity::Warning,
        true,
        include_str!("docs/AUR203.md"),
        None,
    ),
    check: |cx, out| {
        let blocks: &[&str] = match cx.lang() {
            "python" | "java" | "csharp" => &["block"],
            "javascript" | "typescript" | "tsx" => &["statement_block"],
            "c" | "cpp" | "php" => &["compound_statement"],
            "go" => &["statement_list", "block"],
            _ => return,
        };
        for block in cx.nodes(blocks) {
            // A block the parser could not read (an unexpanded macro such as
            // `ASSERT_DEATH(...; return, "")`) says nothing about control flow.
            if block.has_error() {
                continue;
            }
            let stmts = statements(block);
            let Some(jump) = stmts.iter().position(|s| is_jump(s.kind())) else { continue };
            // A label is a goto target (a `case`, a switch's): what follows it is
            // reachable, so only the statements before the first one are dead.
            // A preprocessor directive may close one `#if` branch and open another.
            let is_target = |s: &Node<'_>| {
                matches!(s.kind(), "labeled_statement" | "case_statement") || s.kind().starts_with("preproc")
            };
            let after = &stmts[jump + 1..];
            let dead_run = &after[..after.iter().position(is_target).unwrap_or(after.len())];
            let dead = dead_run.iter().find(|s| {
                !matches!(
                    s.kind(),
                    // JS hoists function declarations; `;` is nothing.
                    "function_declaration"
                        | "empty_statement"
                        | "generator_function_declaration"
                        | "class_declaration"
                )
            });
            // `return s_error; /* UNREACHABLE */; abort();`: the author marked it.
            let marked = dead.is_some_and(|d| {
                let span = cx.file.text.byte_slice(stmts[jump].end_byte()..d.end_byte()).to_string();
                let lower = span.to_ascii_lowercase();
                lower.contains("unreachable") || lower.contains("notreached") || lower.contains("not reached")
            });
            if let Some(dead) = dead.filter(|_| !marked) {
                let what = cx
                    .text(stmts[jump])
                    .split_whitespace()
                    .next()
                    .unwrap_or("jump")
                    .trim_end_matches(';')
                    .to_owned();
                let end = dead_run.last().map_or(dead.end_byte(), |s| s.end_byte());
                out.push(Diagnostic::new(
                    "AUR203",
                    Severity::Warning,
                    format!("unreachable code after `{what}`"),
                    dead.start_byte()..end,
                ));
            }
        }
    },
};

/// The tokens of `node` (leaf texts, comments left out): two pieces of code
/// are the same when these are, whatever their layout, while `' '` and `''`
/// stay different.
fn tokens(cx: &super::Context<'_>, node: Node<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind().contains("comment") {
            continue;
        }
        if n.child_count() == 0 {
            out.push(cx.text(n));
            continue;
        }
        // A string's text is one token: its content's spaces matter.
        if n.kind().contains("string") {
            out.push(cx.text(n));
            continue;
        }
        let mut cursor = n.walk();
        let children: Vec<Node<'_>> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

fn same_code(cx: &super::Context<'_>, a: Node<'_>, b: Node<'_>) -> bool {
    // Cheap test first: most branches differ even with spaces removed.
    squash(&cx.text(a)) == squash(&cx.text(b)) && tokens(cx, a) == tokens(cx, b)
}

pub(super) const IDENTICAL_BRANCHES: Rule = Rule {
    info: info(
        "AUR204",
        "identical-branches",
        "an if/else or conditional expression whose branches are the same code",
        Severity::Warning,
        true,
        include_str!("docs/AUR204.md"),
        None,
    ),
    check: |cx, out| {
        let (ifs, ternaries): (&[&str], &[&str]) = match cx.lang() {
            "python" => (&["if_statement"], &["conditional_expression"]),
            "javascript" | "typescript" | "tsx" | "java" => (&["if_statement"], &["ternary_expression"]),
            "c" | "cpp" | "csharp" | "php" => (&["if_statement"], &["conditional_expression"]),
            "go" => (&["if_statement"], &[]),
            "rust" => (&["if_expression"], &[]),
            _ => return,
        };
        for node in cx.nodes(ifs) {
            // The last link of an else-if chain (`else if (c == OCTAL) f(GROUP);
            // else f(GROUP);`) lists a case on purpose; a lone if/else is the smell.
            if node.parent().is_some_and(|p| {
                p.kind() == "else_clause"
                    || p.kind().starts_with("if_") && p.child_by_field_name("alternative") == Some(node)
            }) {
                continue;
            }
            let consequence =
                node.child_by_field_name("consequence").or_else(|| node.child_by_field_name("body"));
            let Some(alternative) = node.child_by_field_name("alternative") else { continue };
            // Python keeps `elif`s next to the `else`: only a lone else compares.
            let mut cursor = node.walk();
            if node.children_by_field_name("alternative", &mut cursor).count() > 1 {
                continue;
            }
            let else_body = match alternative.kind() {
                "else_clause" => alternative
                    .child_by_field_name("body")
                    .or_else(|| statements(alternative).into_iter().next()),
                "if_statement" | "if_expression" | "elif_clause" | "else_if_clause" => continue,
                _ => Some(alternative),
            };
            let (Some(then), Some(otherwise)) = (consequence, else_body) else { continue };
            if otherwise.kind().starts_with("if_") {
                continue;
            }
            if same_code(cx, then, otherwise) && !cx.text(then).trim().is_empty() {
                out.push(Diagnostic::new(
                    "AUR204",
                    Severity::Warning,
                    "both branches of this `if` do the same thing",
                    node.child(0).map_or(node.byte_range(), |k| k.byte_range()),
                ));
            }
        }
        for node in cx.nodes(ternaries) {
            let (Some(a), Some(b)) =
                (node.child_by_field_name("consequence"), node.child_by_field_name("alternative"))
            else {
                // Python's conditional_expression has positional children: a if cond else b.
                let parts = statements(node);
                if parts.len() == 3 && same_code(cx, parts[0], parts[2]) {
                    out.push(Diagnostic::new(
                        "AUR204",
                        Severity::Warning,
                        "both outcomes of this conditional expression are the same",
                        node.byte_range(),
                    ));
                }
                continue;
            };
            if same_code(cx, a, b) {
                out.push(Diagnostic::new(
                    "AUR204",
                    Severity::Warning,
                    "both outcomes of this conditional expression are the same",
                    node.byte_range(),
                ));
            }
        }
    },
};

fn is_plain_place(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "identifier"
            | "attribute"
            | "member_expression"
            | "field_expression"
            | "field_access"
            | "selector_expression"
            | "variable_name"
            | "member_access_expression"
            | "instance_variable"
            | "this"
            | "self"
    ) && {
        // Calls or subscripts inside may have effects or differ per evaluation.
        let mut cursor = node.walk();
        let plain = node.named_children(&mut cursor).all(is_plain_place_or_name);
        plain
    }
}

fn is_plain_place_or_name(node: Node<'_>) -> bool {
    node.kind().ends_with("identifier") || node.kind() == "name" || is_plain_place(node)
}

pub(super) const SELF_ASSIGNMENT: Rule = Rule {
    info: info(
        "AUR205",
        "self-assignment",
        "a variable or field assigned to itself",
        Severity::Warning,
        true,
        include_str!("docs/AUR205.md"),
        None,
    ),
    check: |cx, out| {
        let kinds: &[&str] = match cx.lang() {
            "python" | "ruby" => &["assignment"],
            "go" => &["assignment_statement"],
            "bash" => return,
            _ => &["assignment_expression"],
        };
        for node in cx.nodes(kinds) {
            let (Some(left), Some(right)) =
                (node.child_by_field_name("left"), node.child_by_field_name("right"))
            else {
                continue;
            };
            // Only plain `=`, never `+=` and friends.
            let op = node.child_by_field_name("operator").map(|o| cx.text(o));
            if op.as_deref().is_some_and(|o| o != "=") {
                continue;
            }
            let (left, right) = match (left.kind(), right.kind()) {
                ("expression_list", "expression_list")
                    if left.named_child_count() == 1 && right.named_child_count() == 1 =>
                {
                    (left.named_child(0).unwrap_or(left), right.named_child(0).unwrap_or(right))
                }
                _ => (left, right),
            };
            // Cheap checks first: most assignments differ in kind or length.
            if left.kind() != right.kind() || !is_plain_place_or_name(left) {
                continue;
            }
            // `Database = Database` in a class body binds a class attribute to
            // the outer name; C#'s `new T { format = format }` sets a member
            // from a local. Neither assigns a place to itself.
            let in_class_body = cx.lang() == "python"
                && node.parent().and_then(|p| p.parent()).and_then(|p| p.parent()).is_some_and(|g| {
                    g.kind() == "class_definition"
                        || g.kind() == "block" && g.parent().is_some_and(|c| c.kind() == "class_definition")
                });
            let initialiser = cx.lang() == "csharp"
                && node.parent().is_some_and(|p| {
                    matches!(p.kind(), "initializer_expression" | "anonymous_object_creation_expression")
                });
            // `err.stack = err.stack` runs a setter on purpose (V8 materialises
            // the stack); on `self`/`this` it is the constructor typo
            // `self.name = self.name` for `self.name = name`.
            let member_of_other = left.kind() != "identifier" && left.kind() != "variable_name" && {
                let receiver = cx.text(left);
                let receiver = receiver.split(['.', '-']).next().unwrap_or("");
                !matches!(receiver, "self" | "this" | "$this" | "@")
            };
            // `str = str` at module level re-exports a builtin as an attribute
            // of the module (requests' compat.py): `from compat import str`.
            let reexport = cx.lang() == "python"
                && left.kind() == "identifier"
                && PYTHON_BUILTINS.contains(&cx.text(left).as_str())
                && node.parent().and_then(|p| p.parent()).is_some_and(|m| m.kind() == "module");
            if in_class_body || initialiser || member_of_other || reexport {
                continue;
            }
            if squash(&cx.text(left)) == squash(&cx.text(right)) {
                out.push(Diagnostic::new(
                    "AUR205",
                    Severity::Warning,
                    format!("`{}` is assigned to itself", cx.text(left)),
                    node.byte_range(),
                ));
            }
        }
    },
};

/// Whether a Python comparison is (through `|`, `&`, `~`, `and`, `or`, `not`
/// and parentheses) an argument of a call: a query expression being built.
fn builds_expression(node: Node<'_>) -> bool {
    let mut at = node;
    while let Some(parent) = at.parent() {
        match parent.kind() {
            "argument_list" | "keyword_argument" => return true,
            "parenthesized_expression"
            | "binary_operator"
            | "boolean_operator"
            | "not_operator"
            | "unary_operator" => at = parent,
            _ => return false,
        }
    }
    false
}

pub(super) const NONE_COMPARISON: Rule = Rule {
    info: info(
        "AUR206",
        "equality-with-none",
        "comparing with None or null by equality where the language has identity",
        Severity::Warning,
        true,
        include_str!("docs/AUR206.md"),
        Some(Applicability::Unsafe),
    ),
    check: |cx, out| match cx.lang() {
        "python" => {
            for node in cx.nodes(&["comparison_operator"]) {
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
                for window in children.windows(3) {
                    let [left, op, right] = window else { continue };
                    let op_text = op.kind();
                    if !(op_text == "==" || op_text == "!=")
                        || !(left.kind() == "none" || right.kind() == "none")
                    {
                        continue;
                    }
                    // `filter(Task.done == None)`: an ORM overloads `==` to build SQL;
                    // `is` would compare the column object and break the query.
                    if builds_expression(node) {
                        continue;
                    }
                    let replacement = if op_text == "==" { "is" } else { "is not" };
                    out.push(
                        Diagnostic::new(
                            "AUR206",
                            Severity::Warning,
                            format!("compare with None using `{replacement}`, not `{op_text}`"),
                            left.start_byte()..right.end_byte(),
                        )
                        .with_fix(Fix {
                            title: format!("Use `{replacement}`"),
                            // A class can override `==`; `is` skips that.
                            applicability: Applicability::Unsafe,
                            edits: vec![(op.byte_range(), replacement.to_owned())],
                        }),
                    );
                }
            }
        }
        // JS/TS `x == null` is the idiom for "null or undefined" (ESLint's
        // eqeqeq allows it): only PHP, whose loose `== null` is also true for
        // 0, "" and "0", is checked.
        "php" => {
            for node in cx.nodes(&["binary_expression"]) {
                let Some(op) = node.child_by_field_name("operator") else { continue };
                let op_text = op.kind();
                if op_text != "==" && op_text != "!=" {
                    continue;
                }
                let (Some(l), Some(r)) =
                    (node.child_by_field_name("left"), node.child_by_field_name("right"))
                else {
                    continue;
                };
                let is_null = |n: Node<'_>| {
                    n.kind() == "null" || cx.text(n).eq_ignore_ascii_case("null") && n.kind() != "string"
                };
                if !(is_null(l) || is_null(r)) {
                    continue;
                }
                let strict = format!("{op_text}=");
                out.push(
                    Diagnostic::new(
                        "AUR206",
                        Severity::Warning,
                        format!("loose `{op_text} null` also matches 0, \"\", \"0\" and []; use `{strict}` to mean null"),
                        node.byte_range(),
                    )
                    .with_fix(Fix {
                        title: format!("Use `{strict}`"),
                        applicability: Applicability::Unsafe,
                        edits: vec![(op.byte_range(), strict.clone())],
                    }),
                );
            }
        }
        _ => {}
    },
};

const PYTHON_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

/// Whether `node` binds a name in a class's namespace: the nearest enclosing
/// function or class is a class (through `if TYPE_CHECKING:`, `try` and
/// other blocks in the class body).
fn in_class_scope(node: Node<'_>) -> bool {
    let mut at = node.parent();
    while let Some(p) = at {
        match p.kind() {
            "class_definition" => return true,
            "function_definition" | "lambda" => return false,
            _ => at = p.parent(),
        }
    }
    false
}

pub(super) const SHADOWED_BUILTIN: Rule = Rule {
    info: info(
        "AUR207",
        "shadowed-builtin",
        "a Python variable or function named like a builtin (parameters are API and left alone)",
        Severity::Info,
        true,
        include_str!("docs/AUR207.md"),
        None,
    ),
    check: |cx, out| {
        if cx.lang() != "python" {
            return;
        }
        // Names are checked before their place: `Node::parent` walks down
        // from the root, and most names are not builtins.
        static BUILTINS: std::sync::OnceLock<std::collections::HashSet<&str>> = std::sync::OnceLock::new();
        let builtins = BUILTINS.get_or_init(|| PYTHON_BUILTINS.iter().copied().collect());
        let longest = PYTHON_BUILTINS.iter().map(|b| b.len()).max().unwrap_or(0);
        let is_builtin =
            |node: Node<'_>| node.byte_range().len() <= longest && builtins.contains(cx.text(node).as_str());
        let mut report = |node: Node<'_>, what: &str| {
            let name = cx.text(node);
            out.push(Diagnostic::new(
                "AUR207",
                Severity::Info,
                format!("{what} `{name}` shadows the builtin of the same name"),
                node.byte_range(),
            ));
        };
        for def in cx.nodes(&["function_definition"]) {
            // Methods live in a class namespace and do not shadow anything.
            if let Some(name) =
                def.child_by_field_name("name").filter(|n| is_builtin(*n) && !in_class_scope(def))
            {
                report(name, "function");
            }
            // Parameters are not reported: `type=`, `id=`, `filter=` are keyword
            // arguments of public APIs, which renaming would break.
        }
        for assignment in cx.nodes(&["assignment"]) {
            if let Some(left) = assignment
                .child_by_field_name("left")
                .filter(|l| l.kind() == "identifier" && is_builtin(*l) && !in_class_scope(assignment))
            {
                report(left, "variable");
            }
        }
        for stmt in cx.nodes(&["for_statement"]) {
            if let Some(left) =
                stmt.child_by_field_name("left").filter(|l| l.kind() == "identifier" && is_builtin(*l))
            {
                report(left, "loop variable");
            }
        }
    },
};

pub(super) const MUTABLE_DEFAULT: Rule = Rule {
    info: info(
        "AUR208",
        "mutable-default-argument",
        "a Python default argument that is a list, dict or set, shared between calls",
        Severity::Warning,
        true,
        include_str!("docs/AUR208.md"),
        None,
    ),
    check: |cx, out| {
        if cx.lang() != "python" {
            return;
        }
        for param in cx.nodes(&["default_parameter", "typed_default_parameter"]) {
            let Some(value) = param.child_by_field_name("value") else { continue };
            let mutable = match value.kind() {
                "list"
                | "dictionary"
                | "set"
                | "list_comprehension"
                | "dictionary_comprehension"
                | "set_comprehension" => true,
                "call" => value.child_by_field_name("function").is_some_and(|f| {
                    matches!(cx.text(f).as_str(), "list" | "dict" | "set" | "defaultdict" | "bytearray")
                }),
                _ => false,
            };
            if mutable {
                out.push(Diagnostic::new(
                    "AUR208",
                    Severity::Warning,
                    "this default is created once and shared by every call; default to None and create it inside",
                    value.byte_range(),
                ));
            }
        }
    },
};

pub(super) const DEBUG_OUTPUT: Rule = Rule {
    info: info(
        "AUR209",
        "debug-output",
        "print-style debugging output left in code (off by default)",
        Severity::Info,
        false,
        include_str!("docs/AUR209.md"),
        None,
    ),
    check: |cx, out| {
        let targets: &[&str] = match cx.lang() {
            "python" => &["print", "pprint", "breakpoint", "pdb.set_trace"],
            "javascript" | "typescript" | "tsx" => {
                &["console.log", "console.debug", "console.trace", "console.dir"]
            }
            "rust" => &["println!", "eprintln!", "dbg!", "print!", "eprint!"],
            "go" => &["fmt.Println", "fmt.Printf", "fmt.Print", "println", "print"],
            "java" => &[
                "System.out.println",
                "System.out.print",
                "System.err.println",
                "System.out.printf",
                "printStackTrace",
            ],
            "csharp" => &["Console.WriteLine", "Console.Write", "Debug.WriteLine"],
            "ruby" => &["puts", "p", "pp", "binding.pry", "byebug"],
            "php" => &["var_dump", "print_r", "dd", "dump"],
            _ => return,
        };
        for (call, name) in calls(cx) {
            if targets.iter().any(|t| {
                name == *t || !t.contains('.') && name.ends_with(&format!(".{t}")) && *t == "printStackTrace"
            }) {
                out.push(Diagnostic::new(
                    "AUR209",
                    Severity::Info,
                    format!("debug output `{name}` left in code"),
                    call.byte_range(),
                ));
            }
        }
    },
};

pub(super) const MAGIC_NUMBER: Rule = Rule {
    info: info(
        "AUR210",
        "magic-number",
        "an unnamed numeric constant in a comparison (off by default)",
        Severity::Info,
        false,
        include_str!("docs/AUR210.md"),
        None,
    ),
    check: |cx, out| {
        let (comparisons, numbers): (&[&str], &[&str]) = match cx.lang() {
            "python" => (&["comparison_operator"], &["integer", "float"]),
            "javascript" | "typescript" | "tsx" => (&["binary_expression"], &["number"]),
            "rust" => (&["binary_expression"], &["integer_literal", "float_literal"]),
            "go" => (&["binary_expression"], &["int_literal", "float_literal"]),
            "java" => {
                (&["binary_expression"], &["decimal_integer_literal", "decimal_floating_point_literal"])
            }
            "c" | "cpp" => (&["binary_expression"], &["number_literal"]),
            "csharp" => (&["binary_expression"], &["integer_literal", "real_literal"]),
            "ruby" => (&["binary"], &["integer", "float"]),
            "php" => (&["binary_expression"], &["integer", "float"]),
            _ => return,
        };
        for node in cx.nodes(comparisons) {
            let is_comparison = {
                let mut cursor = node.walk();
                let found = node
                    .children(&mut cursor)
                    .any(|c| matches!(c.kind(), "==" | "!=" | "<" | ">" | "<=" | ">=" | "===" | "!=="));
                found
            };
            if !is_comparison {
                continue;
            }
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if numbers.contains(&child.kind()) {
                    let text = cx.text(child);
                    if !matches!(text.as_str(), "0" | "1" | "2" | "0.0" | "1.0" | "-1") {
                        out.push(Diagnostic::new(
                            "AUR210",
                            Severity::Info,
                            format!("magic number {text}; name it as a constant"),
                            child.byte_range(),
                        ));
                    }
                }
            }
        }
    },
};
