//! Per-language counting tables for the metrics walker: which tree-sitter node
//! kinds are functions, branches, loops, cases, and so on. The prose version
//! of these tables, with what counts and what does not, is `docs/metrics.md`;
//! a test checks that every kind named here exists in its grammar.

use std::sync::OnceLock;

use aura_syntax::Language;

/// How a case-like node decides whether it adds a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseRule {
    /// Always one path (`when`, Go `case`, PHP match arm).
    Always,
    /// One path when the node has a `value` field; `default:` has none.
    ValueField,
    /// One path unless the first token is `default` (Java `switch_label`).
    NotDefaultToken,
    /// One path per `case` token child (C# `switch_section` stacks labels).
    CaseTokens,
    /// One path unless the pattern is a wildcard or a bare capture (`_`, `case x:`).
    NotWildcard,
}

/// The counting table of one language. Lists hold node kind names.
#[derive(Debug)]
pub(crate) struct Spec {
    /// Function-like nodes measured as their own unit (when they have a body).
    pub units: &'static [&'static str],
    /// Lambdas and blocks counted inside the enclosing unit; they add cognitive nesting.
    pub inline_functions: &'static [&'static str],
    /// `if`-like: cyclomatic +1; cognitive +1 plus nesting (+1 flat for `else if`).
    pub ifs: &'static [&'static str],
    /// `elif`-like: cyclomatic +1, cognitive +1 flat.
    pub elifs: &'static [&'static str],
    /// `else`-like: cognitive +1 flat when attached to an `if`.
    pub elses: &'static [&'static str],
    /// Loops with a condition: cyclomatic +1, cognitive +1 plus nesting.
    pub loops: &'static [&'static str],
    /// Structures that add cognitive +1 plus nesting but no path (switch, match, `loop`).
    pub nesting_only: &'static [&'static str],
    /// Case arms: cyclomatic by rule, no cognitive increment.
    pub cases: &'static [(&'static str, CaseRule)],
    /// Exception handlers: cyclomatic +1, cognitive +1 plus nesting.
    pub catches: &'static [&'static str],
    /// `try` blocks: nesting depth only.
    pub tries: &'static [&'static str],
    /// Conditional expressions: cyclomatic +1, cognitive +1 plus nesting.
    pub ternaries: &'static [&'static str],
    /// Other decision points: cyclomatic +1 only.
    pub extra_branches: &'static [&'static str],
    /// Decision points counted as +1 whose contents add nothing (Python `assert`).
    pub opaque_branches: &'static [&'static str],
    /// Parents under which an `else` adds a path (Python `for`/`while`/`try` else).
    pub else_branch_parents: &'static [&'static str],
    /// Nodes carrying a boolean operator token.
    pub bool_parents: &'static [&'static str],
    /// Boolean operator tokens: cyclomatic +1 each, cognitive +1 per run.
    pub bool_ops: &'static [&'static str],
    /// Parenthesised expressions, looked through when reading operator runs.
    pub parens: &'static [&'static str],
    /// `goto`: cognitive +1.
    pub gotos: &'static [&'static str],
    /// `break`/`continue`: cognitive +1 when they name a label.
    pub labeled_jumps: &'static [&'static str],
    /// `return`, `throw`, `raise`: counted as exits.
    pub exits: &'static [&'static str],
    /// Nodes inside a parameter list that are not parameters.
    pub param_skip: &'static [&'static str],
    /// String-like nodes counted as one Halstead operand (their insides are not walked).
    pub atoms: &'static [&'static str],
    /// Comment nodes.
    pub comments: &'static [&'static str],
    /// Decorators and annotations, skipped when finding a function's first line.
    pub decorations: &'static [&'static str],
    /// Go declares `a, b int` as one parameter node with two names.
    pub multi_name_params: bool,
    /// A unit nested in another also counts toward the enclosing unit's
    /// cognitive complexity, one level deeper: the white paper's nested
    /// methods, as sonar-python and complexipy count them. Elsewhere nested
    /// units stand apart, as SonarJS measures them.
    pub fold_nested: bool,
    /// Class-like nodes: a method of a class declared inside a function
    /// folds into that function at the class's own level.
    pub classes: &'static [&'static str],
    /// Call nodes: a function that calls itself by its bare name (the
    /// call's `function` field) is recursive, cognitive +1 once (the white
    /// paper). Empty where overloads share a name (Java, C#, C++) and in
    /// JavaScript/TypeScript, where S3776 does not count recursion. Ruby's
    /// call names a `method` and no `receiver` instead.
    pub calls: &'static [&'static str],
    /// C and C++: an unexpanded statement macro before `if (…) {`
    /// (`Py_END_ALLOW_THREADS if (rc) {`) reads to tree-sitter as a function
    /// named `if` nested in the enclosing one; such a "function" is counted
    /// as the `if`, `while`, `for` or `switch` it is.
    pub misread_statements: bool,
}

const NONE: &[&str] = &[];

const PYTHON: Spec = Spec {
    units: &["function_definition"],
    inline_functions: &["lambda"],
    ifs: &["if_statement"],
    elifs: &["elif_clause"],
    elses: &["else_clause"],
    loops: &["for_statement", "while_statement"],
    nesting_only: &["match_statement"],
    cases: &[("case_clause", CaseRule::NotWildcard)],
    catches: &["except_clause"],
    tries: &["try_statement", "with_statement"],
    ternaries: &["conditional_expression"],
    extra_branches: &["for_in_clause", "if_clause"],
    opaque_branches: &["assert_statement"],
    else_branch_parents: &["for_statement", "while_statement", "try_statement"],
    bool_parents: &["boolean_operator"],
    bool_ops: &["and", "or"],
    parens: &["parenthesized_expression"],
    gotos: NONE,
    labeled_jumps: NONE,
    exits: &["return_statement", "raise_statement"],
    param_skip: &["positional_separator", "keyword_separator", "comment"],
    atoms: &["string"],
    comments: &["comment"],
    decorations: &["decorator"],
    multi_name_params: false,
    fold_nested: true,
    classes: &["class_definition"],
    calls: &["call"],
    misread_statements: false,
};

const JS_UNITS: &[&str] = &[
    "function_declaration",
    "function_expression",
    "generator_function_declaration",
    "generator_function",
    "arrow_function",
    "method_definition",
];

const JAVASCRIPT: Spec = Spec {
    units: JS_UNITS,
    inline_functions: NONE,
    ifs: &["if_statement"],
    elifs: NONE,
    elses: &["else_clause"],
    loops: &["for_statement", "for_in_statement", "while_statement", "do_statement"],
    nesting_only: &["switch_statement"],
    cases: &[("switch_case", CaseRule::ValueField)],
    catches: &["catch_clause"],
    tries: &["try_statement"],
    ternaries: &["ternary_expression"],
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary_expression"],
    bool_ops: &["&&", "||", "??"],
    parens: &["parenthesized_expression"],
    gotos: NONE,
    labeled_jumps: &["break_statement", "continue_statement"],
    exits: &["return_statement", "throw_statement"],
    param_skip: &["comment"],
    atoms: &["string", "template_string", "regex"],
    comments: &["comment", "html_comment"],
    decorations: &["decorator"],
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: NONE,
    misread_statements: false,
};

const TYPESCRIPT: Spec = Spec { comments: &["comment", "html_comment"], ..JAVASCRIPT };

const RUST: Spec = Spec {
    units: &["function_item"],
    inline_functions: &["closure_expression"],
    ifs: &["if_expression"],
    elifs: NONE,
    elses: &["else_clause"],
    loops: &["for_expression", "while_expression"],
    nesting_only: &["match_expression", "loop_expression"],
    cases: &[("match_arm", CaseRule::NotWildcard)],
    catches: NONE,
    tries: NONE,
    ternaries: NONE,
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary_expression"],
    bool_ops: &["&&", "||"],
    parens: &["parenthesized_expression"],
    gotos: NONE,
    labeled_jumps: &["break_expression", "continue_expression"],
    exits: &["return_expression"],
    param_skip: &["line_comment", "block_comment", "attribute_item"],
    atoms: &["string_literal", "raw_string_literal", "char_literal"],
    comments: &["line_comment", "block_comment"],
    decorations: &["attribute_item"],
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: &["call_expression"],
    misread_statements: false,
};

const GO: Spec = Spec {
    units: &["function_declaration", "method_declaration"],
    inline_functions: &["func_literal"],
    ifs: &["if_statement"],
    elifs: NONE,
    elses: NONE,
    loops: &["for_statement"],
    nesting_only: &["expression_switch_statement", "type_switch_statement", "select_statement"],
    cases: &[
        ("expression_case", CaseRule::Always),
        ("type_case", CaseRule::Always),
        ("communication_case", CaseRule::Always),
    ],
    catches: NONE,
    tries: NONE,
    ternaries: NONE,
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary_expression"],
    bool_ops: &["&&", "||"],
    parens: &["parenthesized_expression"],
    gotos: &["goto_statement"],
    labeled_jumps: &["break_statement", "continue_statement"],
    exits: &["return_statement"],
    param_skip: &["comment"],
    atoms: &["interpreted_string_literal", "raw_string_literal", "rune_literal"],
    comments: &["comment"],
    decorations: NONE,
    multi_name_params: true,
    fold_nested: false,
    classes: NONE,
    calls: &["call_expression"],
    misread_statements: false,
};

const JAVA: Spec = Spec {
    units: &["method_declaration", "constructor_declaration", "compact_constructor_declaration"],
    inline_functions: &["lambda_expression"],
    ifs: &["if_statement"],
    elifs: NONE,
    elses: NONE,
    loops: &["for_statement", "enhanced_for_statement", "while_statement", "do_statement"],
    nesting_only: &["switch_expression"],
    cases: &[("switch_label", CaseRule::NotDefaultToken)],
    catches: &["catch_clause"],
    tries: &["try_statement", "try_with_resources_statement"],
    ternaries: &["ternary_expression"],
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary_expression"],
    bool_ops: &["&&", "||"],
    parens: &["parenthesized_expression"],
    gotos: NONE,
    labeled_jumps: &["break_statement", "continue_statement"],
    exits: &["return_statement", "throw_statement"],
    param_skip: &["line_comment", "block_comment"],
    atoms: &["string_literal", "character_literal"],
    comments: &["line_comment", "block_comment"],
    decorations: &["annotation", "marker_annotation"],
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: NONE,
    misread_statements: false,
};

const C: Spec = Spec {
    units: &["function_definition"],
    inline_functions: NONE,
    ifs: &["if_statement"],
    elifs: NONE,
    elses: &["else_clause"],
    loops: &["for_statement", "while_statement", "do_statement"],
    nesting_only: &["switch_statement"],
    cases: &[("case_statement", CaseRule::ValueField)],
    catches: NONE,
    tries: NONE,
    ternaries: &["conditional_expression"],
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary_expression"],
    bool_ops: &["&&", "||"],
    parens: &["parenthesized_expression"],
    gotos: &["goto_statement"],
    labeled_jumps: NONE,
    exits: &["return_statement"],
    param_skip: &["comment"],
    atoms: &["string_literal", "char_literal", "concatenated_string", "system_lib_string"],
    comments: &["comment"],
    decorations: &["attribute_specifier", "attribute_declaration"],
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: &["call_expression"],
    misread_statements: true,
};

const CPP: Spec = Spec {
    inline_functions: &["lambda_expression"],
    loops: &["for_statement", "for_range_loop", "while_statement", "do_statement"],
    catches: &["catch_clause"],
    tries: &["try_statement"],
    exits: &["return_statement", "throw_statement", "co_return_statement"],
    atoms: &[
        "string_literal",
        "char_literal",
        "raw_string_literal",
        "concatenated_string",
        "system_lib_string",
    ],
    // Overloads share a name: a call to `f` in `f` may be another `f`.
    calls: NONE,
    ..C
};

const CSHARP: Spec = Spec {
    units: &[
        "method_declaration",
        "constructor_declaration",
        "destructor_declaration",
        "operator_declaration",
        "conversion_operator_declaration",
        "local_function_statement",
    ],
    inline_functions: &["lambda_expression", "anonymous_method_expression"],
    ifs: &["if_statement"],
    elifs: NONE,
    elses: NONE,
    loops: &["for_statement", "foreach_statement", "while_statement", "do_statement"],
    nesting_only: &["switch_statement", "switch_expression"],
    cases: &[("switch_section", CaseRule::CaseTokens), ("switch_expression_arm", CaseRule::NotWildcard)],
    catches: &["catch_clause"],
    tries: &["try_statement"],
    ternaries: &["conditional_expression"],
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary_expression"],
    bool_ops: &["&&", "||", "??"],
    parens: &["parenthesized_expression"],
    gotos: &["goto_statement"],
    labeled_jumps: NONE,
    exits: &["return_statement", "throw_statement"],
    param_skip: &["comment"],
    atoms: &[
        "string_literal",
        "verbatim_string_literal",
        "raw_string_literal",
        "interpolated_string_expression",
        "character_literal",
    ],
    comments: &["comment"],
    decorations: &["attribute_list"],
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: NONE,
    misread_statements: false,
};

const RUBY: Spec = Spec {
    units: &["method", "singleton_method"],
    inline_functions: &["block", "do_block", "lambda"],
    ifs: &["if", "unless", "if_modifier", "unless_modifier"],
    elifs: &["elsif"],
    elses: &["else"],
    loops: &["while", "until", "for", "while_modifier", "until_modifier"],
    nesting_only: &["case", "case_match"],
    cases: &[("when", CaseRule::Always), ("in_clause", CaseRule::Always)],
    catches: &["rescue", "rescue_modifier"],
    tries: &["begin"],
    ternaries: &["conditional"],
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary"],
    bool_ops: &["&&", "||", "and", "or"],
    parens: &["parenthesized_statements"],
    gotos: NONE,
    labeled_jumps: NONE,
    exits: &["return"],
    param_skip: &["comment"],
    atoms: &["string", "heredoc_body", "regex", "symbol_array", "string_array"],
    comments: &["comment"],
    decorations: NONE,
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: &["call"],
    misread_statements: false,
};

const PHP: Spec = Spec {
    units: &["function_definition", "method_declaration"],
    inline_functions: &["anonymous_function", "arrow_function"],
    ifs: &["if_statement"],
    elifs: &["else_if_clause"],
    elses: &["else_clause"],
    loops: &["for_statement", "foreach_statement", "while_statement", "do_statement"],
    nesting_only: &["switch_statement", "match_expression"],
    cases: &[("case_statement", CaseRule::ValueField), ("match_conditional_expression", CaseRule::Always)],
    catches: &["catch_clause"],
    tries: &["try_statement"],
    ternaries: &["conditional_expression"],
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["binary_expression"],
    bool_ops: &["&&", "||", "and", "or", "??"],
    parens: &["parenthesized_expression"],
    gotos: &["goto_statement"],
    labeled_jumps: NONE,
    exits: &["return_statement", "throw_expression"],
    param_skip: &["comment"],
    atoms: &["string", "encapsed_string", "heredoc", "nowdoc"],
    comments: &["comment"],
    decorations: &["attribute_list"],
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: &["function_call_expression"],
    misread_statements: false,
};

const BASH: Spec = Spec {
    units: &["function_definition"],
    inline_functions: NONE,
    ifs: &["if_statement"],
    elifs: &["elif_clause"],
    elses: &["else_clause"],
    loops: &["for_statement", "c_style_for_statement", "while_statement"],
    nesting_only: &["case_statement"],
    cases: &[("case_item", CaseRule::ValueField)],
    catches: NONE,
    tries: NONE,
    ternaries: &["ternary_expression"],
    extra_branches: NONE,
    opaque_branches: NONE,
    else_branch_parents: NONE,
    bool_parents: &["list", "binary_expression"],
    bool_ops: &["&&", "||"],
    parens: NONE,
    gotos: NONE,
    labeled_jumps: NONE,
    // `return` and `exit` are ordinary commands in the bash grammar.
    exits: NONE,
    param_skip: NONE,
    atoms: &["string", "raw_string", "ansi_c_string", "heredoc_body"],
    comments: &["comment"],
    decorations: NONE,
    multi_name_params: false,
    fold_nested: false,
    classes: NONE,
    calls: NONE,
    misread_statements: false,
};

/// The counting table for a language id, if Aura measures that language.
pub(crate) fn spec_for(id: &str) -> Option<&'static Spec> {
    Some(match id {
        "python" => &PYTHON,
        "javascript" => &JAVASCRIPT,
        "typescript" | "tsx" => &TYPESCRIPT,
        "rust" => &RUST,
        "go" => &GO,
        "java" => &JAVA,
        "c" => &C,
        "cpp" => &CPP,
        "csharp" => &CSHARP,
        "ruby" => &RUBY,
        "php" => &PHP,
        "bash" => &BASH,
        _ => return None,
    })
}

/// Bit flags per node kind, so the walker decides with one array lookup.
pub(crate) mod class {
    pub const UNIT: u32 = 1;
    pub const INLINE_FN: u32 = 1 << 1;
    pub const IF: u32 = 1 << 2;
    pub const ELIF: u32 = 1 << 3;
    pub const ELSE: u32 = 1 << 4;
    pub const LOOP: u32 = 1 << 5;
    pub const NESTING_ONLY: u32 = 1 << 6;
    pub const CASE: u32 = 1 << 7;
    pub const CATCH: u32 = 1 << 8;
    pub const TRY: u32 = 1 << 9;
    pub const TERNARY: u32 = 1 << 10;
    pub const EXTRA_BRANCH: u32 = 1 << 11;
    pub const OPAQUE_BRANCH: u32 = 1 << 12;
    pub const ELSE_BRANCH_PARENT: u32 = 1 << 13;
    pub const BOOL_PARENT: u32 = 1 << 14;
    pub const BOOL_OP: u32 = 1 << 15;
    pub const PAREN: u32 = 1 << 16;
    pub const GOTO: u32 = 1 << 17;
    pub const LABELED_JUMP: u32 = 1 << 18;
    pub const EXIT: u32 = 1 << 19;
    pub const PARAM_SKIP: u32 = 1 << 20;
    pub const ATOM: u32 = 1 << 21;
    pub const COMMENT: u32 = 1 << 22;
    pub const DECORATION: u32 = 1 << 23;
    /// A token that closes a bracket; not a Halstead operator (its opener is).
    pub const CLOSER: u32 = 1 << 24;
    pub const CLASS: u32 = 1 << 25;
    pub const CALL: u32 = 1 << 26;
    /// Structures whose body is nested one level deeper for cognitive complexity.
    pub const NESTS_BODY: u32 = IF | ELIF | LOOP | NESTING_ONLY | CATCH | TERNARY;
}

/// A spec resolved against one grammar: classes by kind id and the field ids it needs.
pub(crate) struct Resolved {
    pub spec: &'static Spec,
    classes: Vec<u32>,
    case_rules: Vec<Option<CaseRule>>,
    pub field_alternative: Option<std::num::NonZeroU16>,
    pub field_body: Option<std::num::NonZeroU16>,
    pub field_name: Option<std::num::NonZeroU16>,
    pub field_parameters: Option<std::num::NonZeroU16>,
    pub field_value: Option<std::num::NonZeroU16>,
    pub field_pattern: Option<std::num::NonZeroU16>,
    pub field_label: Option<std::num::NonZeroU16>,
    pub field_function: Option<std::num::NonZeroU16>,
    /// Ruby names a call's method and receiver instead of its function.
    pub field_method: Option<std::num::NonZeroU16>,
    pub field_receiver: Option<std::num::NonZeroU16>,
    /// Fields that hold a structure's header rather than its body (an `if`'s
    /// condition, a loop's iterable, a `switch`'s subject, a ternary's test).
    /// What they hold is not nested in the structure: SonarSource's own
    /// implementations and complexipy raise nesting for bodies only.
    pub header_fields: Vec<std::num::NonZeroU16>,
}

impl Resolved {
    pub fn class(&self, kind_id: u16) -> u32 {
        self.classes.get(kind_id as usize).copied().unwrap_or(0)
    }

    pub fn case_rule(&self, kind_id: u16) -> Option<CaseRule> {
        self.case_rules.get(kind_id as usize).copied().flatten()
    }
}

type Table = Vec<&'static str>;

fn lists(spec: &'static Spec) -> Vec<(u32, Table, bool)> {
    use class::*;
    let cases: Table = spec.cases.iter().map(|(k, _)| *k).collect();
    let table = |names: &'static [&'static str]| names.to_vec();
    vec![
        (UNIT, table(spec.units), true),
        (INLINE_FN, table(spec.inline_functions), true),
        (IF, table(spec.ifs), true),
        (ELIF, table(spec.elifs), true),
        (ELSE, table(spec.elses), true),
        (LOOP, table(spec.loops), true),
        (NESTING_ONLY, table(spec.nesting_only), true),
        (CASE, cases, true),
        (CATCH, table(spec.catches), true),
        (TRY, table(spec.tries), true),
        (TERNARY, table(spec.ternaries), true),
        (EXTRA_BRANCH, table(spec.extra_branches), true),
        (OPAQUE_BRANCH, table(spec.opaque_branches), true),
        (ELSE_BRANCH_PARENT, table(spec.else_branch_parents), true),
        (BOOL_PARENT, table(spec.bool_parents), true),
        (BOOL_OP, table(spec.bool_ops), false),
        (PAREN, table(spec.parens), true),
        (GOTO, table(spec.gotos), true),
        (LABELED_JUMP, table(spec.labeled_jumps), true),
        (EXIT, table(spec.exits), true),
        (PARAM_SKIP, table(spec.param_skip), true),
        (ATOM, table(spec.atoms), true),
        (COMMENT, table(spec.comments), true),
        (DECORATION, table(spec.decorations), true),
        (CLOSER, vec![")", "]", "}"], false),
        (CLASS, table(spec.classes), true),
        (CALL, table(spec.calls), true),
    ]
}

/// Kind names in the spec of `language` that its grammar does not have.
#[cfg(test)]
pub(crate) fn unknown_kinds(language: &Language) -> Vec<String> {
    let Some(spec) = spec_for(&language.id) else { return Vec::new() };
    let ts = language.ts_language();
    let mut missing = Vec::new();
    for (_, names, named) in lists(spec) {
        for name in &names {
            // A closing bracket may simply not exist in a grammar (bash has no `]` token kind).
            if ts.id_for_node_kind(name, named) == 0 && ![")", "]", "}"].contains(name) {
                missing.push(format!("{name} ({})", if named { "named" } else { "token" }));
            }
        }
    }
    missing
}

/// The resolved table of `language`, built once per language.
pub(crate) fn resolved(language: &'static Language) -> Option<&'static Resolved> {
    static CACHE: OnceLock<Vec<(String, Option<&'static Resolved>)>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        aura_syntax::registry()
            .iter()
            .map(|lang| {
                let built = spec_for(&lang.id).map(|spec| &*Box::leak(Box::new(resolve(lang, spec))));
                (lang.id.clone(), built)
            })
            .collect()
    });
    cache.iter().find(|(id, _)| *id == language.id).and_then(|(_, r)| *r)
}

fn resolve(language: &Language, spec: &'static Spec) -> Resolved {
    let ts = language.ts_language();
    let count = ts.node_kind_count();
    let mut classes = vec![0u32; count];
    let mut case_rules = vec![None; count];
    // A kind name can map to several ids (aliases), so scan every id by name.
    let mut ids_by_name: std::collections::HashMap<(&str, bool), Vec<u16>> = Default::default();
    for id in 0..count as u16 {
        if let Some(name) = ts.node_kind_for_id(id) {
            ids_by_name.entry((name, ts.node_kind_is_named(id))).or_default().push(id);
        }
    }
    for (bit, names, named) in lists(spec) {
        for name in &names {
            for &id in ids_by_name.get(&(*name, named)).map(Vec::as_slice).unwrap_or(&[]) {
                classes[id as usize] |= bit;
            }
        }
    }
    for (name, rule) in spec.cases {
        for &id in ids_by_name.get(&(*name, true)).map(Vec::as_slice).unwrap_or(&[]) {
            case_rules[id as usize] = Some(*rule);
        }
    }
    Resolved {
        spec,
        classes,
        case_rules,
        field_alternative: ts.field_id_for_name("alternative"),
        field_body: ts.field_id_for_name("body"),
        field_name: ts.field_id_for_name("name"),
        field_parameters: ts.field_id_for_name("parameters"),
        field_value: ts.field_id_for_name("value"),
        field_pattern: ts.field_id_for_name("pattern"),
        field_label: ts.field_id_for_name("label"),
        field_function: ts.field_id_for_name("function"),
        field_method: ts.field_id_for_name("method"),
        field_receiver: ts.field_id_for_name("receiver"),
        header_fields: [
            "condition",
            "value",
            "left",
            "right",
            "initializer",
            "increment",
            "update",
            "init",
            "subject",
        ]
        .iter()
        .filter_map(|name| ts.field_id_for_name(name))
        .collect(),
    }
}
