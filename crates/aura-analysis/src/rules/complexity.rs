//! Complexity rules (AUR101–AUR107): thresholds over the metrics of each
//! function and file. Thresholds come from `rules.thresholds` in config.

use super::{Context, Rule};
use crate::metrics::FunctionMetrics;
use crate::{Diagnostic, RuleInfo, Severity};

const fn info(
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: Severity,
    doc: &'static str,
) -> RuleInfo {
    RuleInfo {
        code,
        name,
        summary,
        default_severity: severity,
        category: "complexity",
        default_enabled: true,
        doc,
        fix: None,
    }
}

fn name_range(f: &FunctionMetrics) -> std::ops::Range<usize> {
    if f.name_range.is_empty() {
        f.range.start..f.range.start
    } else {
        f.name_range.clone()
    }
}

fn per_function(
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    code: &'static str,
    severity: Severity,
    over: impl Fn(&FunctionMetrics) -> Option<String>,
) {
    for f in &cx.metrics.functions {
        if let Some(message) = over(f) {
            out.push(Diagnostic::new(code, severity, message, name_range(f)));
        }
    }
}

/// The syntax node of a function from the metrics (its whole range).
fn function_node<'a>(cx: &Context<'a>, f: &FunctionMetrics) -> Option<aura_syntax::tree_sitter::Node<'a>> {
    let mut node = cx.file.tree.root_node().descendant_for_byte_range(f.range.start, f.range.end)?;
    while node.byte_range() != f.range {
        node = node.parent()?;
    }
    Some(node)
}

/// Lines of a Python function's docstring (the string its body starts with).
fn docstring_lines(cx: &Context<'_>, f: &FunctionMetrics) -> u32 {
    if cx.lang() != "python" {
        return 0;
    }
    let Some(body) = function_node(cx, f).and_then(|n| n.child_by_field_name("body")) else { return 0 };
    let Some(first) = body.named_child(0).filter(|s| s.kind() == "expression_statement") else { return 0 };
    match first.named_child(0) {
        Some(s) if s.kind() == "string" && first.named_child_count() == 1 => {
            (s.end_position().row - s.start_position().row + 1) as u32
        }
        _ => 0,
    }
}

/// Parameters a caller does not pass one by one: Python's `self`/`cls`,
/// `*args`, `**kwargs` and the bare `*` and `/` markers; Rust's `self`.
fn implicit_params(cx: &Context<'_>, f: &FunctionMetrics) -> u32 {
    let Some(params) = function_node(cx, f).and_then(|n| n.child_by_field_name("parameters")) else {
        return 0;
    };
    let mut cursor = params.walk();
    let implicit = params
        .named_children(&mut cursor)
        .enumerate()
        .filter(|(i, p)| match (cx.lang(), p.kind()) {
            (
                "python",
                "list_splat_pattern"
                | "dictionary_splat_pattern"
                | "keyword_separator"
                | "positional_separator",
            ) => true,
            ("python", "identifier" | "typed_parameter") => {
                *i == 0 && matches!(cx.text(*p).split(':').next().map(str::trim), Some("self" | "cls"))
            }
            ("rust", "self_parameter") => true,
            _ => false,
        })
        .count();
    (implicit as u32).min(f.params)
}

pub(super) const CYCLOMATIC: Rule = Rule {
    info: info(
        "AUR101",
        "high-cyclomatic-complexity",
        "a function with more independent paths than `rules.thresholds.cyclomatic`",
        Severity::Hint,
        include_str!("docs/AUR101.md"),
    ),
    check: |cx, out| {
        let limit = cx.thresholds.cyclomatic;
        per_function(cx, out, "AUR101", Severity::Hint, |f| {
            (f.cyclomatic > limit)
                .then(|| format!("`{}` has cyclomatic complexity {} (limit {limit})", f.name, f.cyclomatic))
        })
    },
};

pub(super) const COGNITIVE: Rule = Rule {
    info: info(
        "AUR102",
        "high-cognitive-complexity",
        "a function harder to follow than `rules.thresholds.cognitive`",
        Severity::Info,
        include_str!("docs/AUR102.md"),
    ),
    check: |cx, out| {
        let limit = cx.thresholds.cognitive;
        per_function(cx, out, "AUR102", Severity::Info, |f| {
            // A folded function's complexity is reported in its enclosing one.
            (f.cognitive > limit && !f.folded)
                .then(|| format!("`{}` has cognitive complexity {} (limit {limit})", f.name, f.cognitive))
        })
    },
};

pub(super) const NESTING: Rule = Rule {
    info: info(
        "AUR103",
        "deep-nesting",
        "control structures nested deeper than `rules.thresholds.nesting`",
        Severity::Info,
        include_str!("docs/AUR103.md"),
    ),
    check: |cx, out| {
        let limit = cx.thresholds.nesting;
        per_function(cx, out, "AUR103", Severity::Info, |f| {
            (f.nesting > limit)
                .then(|| format!("`{}` nests control flow {} deep (limit {limit})", f.name, f.nesting))
        })
    },
};

pub(super) const FUNCTION_LENGTH: Rule = Rule {
    info: info(
        "AUR104",
        "long-function",
        "a function with more source lines than `rules.thresholds.function_lines`",
        Severity::Hint,
        include_str!("docs/AUR104.md"),
    ),
    check: |cx, out| {
        let limit = cx.thresholds.function_lines;
        per_function(cx, out, "AUR104", Severity::Hint, |f| {
            // A docstring documents the function; it is not code to read through.
            let sloc =
                if f.lines.sloc > limit { f.lines.sloc - docstring_lines(cx, f) } else { f.lines.sloc };
            (sloc > limit).then(|| format!("`{}` has {sloc} source lines (limit {limit})", f.name))
        })
    },
};

pub(super) const PARAMS: Rule = Rule {
    info: info(
        "AUR105",
        "too-many-parameters",
        "a function with more parameters than `rules.thresholds.params`",
        Severity::Hint,
        include_str!("docs/AUR105.md"),
    ),
    check: |cx, out| {
        let limit = cx.thresholds.params;
        per_function(cx, out, "AUR105", Severity::Hint, |f| {
            let params = if f.params > limit { f.params - implicit_params(cx, f) } else { f.params };
            (params > limit).then(|| format!("`{}` takes {params} parameters (limit {limit})", f.name))
        })
    },
};

pub(super) const FILE_LENGTH: Rule = Rule {
    info: info(
        "AUR106",
        "long-file",
        "a file with more lines than `rules.thresholds.file_lines`",
        Severity::Hint,
        include_str!("docs/AUR106.md"),
    ),
    check: |cx, out| {
        // Lines of code: a licence header and API comments are not what makes a file long to read.
        let limit = cx.thresholds.file_lines;
        let sloc = cx.metrics.lines.sloc;
        if sloc > limit {
            out.push(Diagnostic::new(
                "AUR106",
                Severity::Hint,
                format!("file has {sloc} lines of code (limit {limit})"),
                0..0,
            ));
        }
    },
};

pub(super) const MAINTAINABILITY: Rule = Rule {
    info: info(
        "AUR107",
        "low-maintainability",
        "a function whose maintainability index is below `rules.thresholds.maintainability`",
        Severity::Hint,
        include_str!("docs/AUR107.md"),
    ),
    check: |cx, out| {
        let limit = cx.thresholds.maintainability;
        per_function(cx, out, "AUR107", Severity::Hint, |f| {
            (f.mi < limit)
                .then(|| format!("`{}` has maintainability index {:.0} (limit {limit})", f.name, f.mi))
        })
    },
};
