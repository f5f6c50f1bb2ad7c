//! The rule catalog: every rule Aura checks besides syntax errors, one file
//! each (code, docs, check), the selection from config (`select`,
//! `extend_select`, `ignore`, by code or prefix), and inline suppression
//! comments (`aura: ignore[AUR101]`) in each language's comment syntax.

mod ast;
mod complexity;
mod security;
mod smells;

use std::cell::OnceCell;

use aura_config::{RulesConfig, Thresholds};
use aura_syntax::tree_sitter::Node;

pub use ast::callee_name;

use crate::metrics::FileMetrics;
use crate::{node_text, Diagnostic, RuleInfo, SourceFile};

/// What a rule looks at: the file, its metrics and its nodes grouped by kind.
pub struct Context<'a> {
    /// The file.
    pub file: SourceFile<'a>,
    /// Its metrics.
    pub metrics: &'a FileMetrics,
    /// Complexity thresholds from config.
    pub thresholds: &'a Thresholds,
    /// Named nodes by kind id, each list in source order.
    by_kind: Vec<Vec<Node<'a>>>,
    /// Calls with their callee names, computed on first use.
    calls: OnceCell<Vec<(Node<'a>, String)>>,
    /// What the whole file says, computed on first use.
    facts: OnceCell<Facts>,
    /// The text in one piece, when the caller has it: node text without a
    /// rope descent per node.
    source: Option<&'a str>,
}

/// What rules learn from the whole file rather than from the nodes they
/// flag: whether it mentions a hardening library or flag. Kept as a few bits
/// so that incremental analysis can tell when a change elsewhere in the file
/// alters a rule's verdict on code that did not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Facts(u8);

impl Facts {
    /// Python imports `defusedxml`.
    pub(crate) const DEFUSEDXML: u8 = 1;
    /// Java configures a hardened XML parser factory somewhere.
    pub(crate) const XML_GUARDED: u8 = 2;
    /// PHP mentions `LIBXML_NOENT`.
    pub(crate) const LIBXML_NOENT: u8 = 4;
    /// C mentions `XML_PARSE_NOENT`.
    pub(crate) const XML_PARSE_NOENT: u8 = 8;
    /// Go imports `math/rand` (whose `Intn` has no `crypto/rand` twin).
    pub(crate) const MATH_RAND: u8 = 16;

    /// The facts of `text`, a whole file in language `lang`.
    pub fn of(lang: &str, text: &str) -> Facts {
        let mut bits = 0;
        let mut set = |bit: u8, found: bool| {
            if found {
                bits |= bit;
            }
        };
        match lang {
            "python" => set(Facts::DEFUSEDXML, text.contains("defusedxml")),
            "java" => set(
                Facts::XML_GUARDED,
                [
                    "disallow-doctype-decl",
                    "FEATURE_SECURE_PROCESSING",
                    "ACCESS_EXTERNAL_DTD",
                    "SUPPORT_DTD",
                    "external-general-entities",
                ]
                .iter()
                .any(|guard| text.contains(guard)),
            ),
            "php" => set(Facts::LIBXML_NOENT, text.contains("LIBXML_NOENT")),
            "c" | "cpp" => set(Facts::XML_PARSE_NOENT, text.contains("XML_PARSE_NOENT")),
            "go" => set(Facts::MATH_RAND, text.contains("\"math/rand")),
            _ => {}
        }
        Facts(bits)
    }

    /// The bits, for keys.
    pub(crate) fn bits(self) -> u8 {
        self.0
    }

    /// Whether `bit` (one of the constants) is set.
    pub(crate) fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// Whether any rule in `lang` reads facts (otherwise the text need not be scanned).
    pub fn matter_in(lang: &str) -> bool {
        matches!(lang, "python" | "java" | "php" | "c" | "cpp" | "go")
    }
}

impl<'a> Context<'a> {
    /// The rules' view of `file`: its named nodes grouped by kind, as the
    /// metrics walk collected them (`metrics::compute_with`) or, when
    /// `by_kind` is `None`, from a walk of its own.
    pub fn new(
        file: SourceFile<'a>,
        metrics: &'a FileMetrics,
        thresholds: &'a Thresholds,
        by_kind: Option<Vec<Vec<Node<'a>>>>,
    ) -> Self {
        let by_kind = by_kind.unwrap_or_else(|| crate::metrics::index_by_kind(file));
        Context {
            file,
            metrics,
            thresholds,
            by_kind,
            calls: OnceCell::new(),
            facts: OnceCell::new(),
            source: None,
        }
    }

    /// What the whole file says (see [`Facts`]).
    pub(crate) fn facts(&self) -> Facts {
        *self.facts.get_or_init(|| {
            if let Some(source) = self.source {
                Facts::of(self.lang(), source)
            } else if Facts::matter_in(self.lang()) {
                Facts::of(self.lang(), &self.text(self.file.tree.root_node()))
            } else {
                Facts::default()
            }
        })
    }

    /// Nodes of any of `kinds`, each list in source order.
    pub fn nodes<'s>(&'s self, kinds: &'s [&'s str]) -> impl Iterator<Item = Node<'a>> + 's {
        kinds
            .iter()
            .map(move |k| kind_id(self.file.language, k))
            .filter(|id| *id != 0)
            .filter_map(move |id| self.by_kind.get(id as usize))
            .flatten()
            .copied()
    }

    /// Calls in the file with their callee names.
    pub(crate) fn calls(&self) -> &[(Node<'a>, String)] {
        self.calls.get_or_init(|| {
            self.nodes(ast::call_kinds(self.lang()))
                .filter_map(|n| Some((n, callee_name(n, self.file.text)?)))
                .collect()
        })
    }

    /// The language id.
    pub fn lang(&self) -> &str {
        &self.file.language.id
    }

    /// The source text of `node`.
    pub fn text(&self, node: Node<'_>) -> String {
        match self.source.and_then(|s| s.get(node.byte_range())) {
            Some(text) => text.to_owned(),
            None => node_text(self.file.text, node),
        }
    }
}

/// The id of the named node kind `kind` in `language` (0 when it has none).
/// tree-sitter finds it by comparing every symbol name; rules ask for the
/// same few kinds in every file, so the answers are kept per thread.
fn kind_id(language: &aura_syntax::Language, kind: &str) -> u16 {
    thread_local! {
        static IDS: std::cell::RefCell<std::collections::HashMap<String, std::collections::HashMap<Box<str>, u16>>> =
            Default::default();
    }
    IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        let per_language = ids.entry(language.id.clone()).or_default();
        if let Some(id) = per_language.get(kind) {
            return *id;
        }
        let id = language.ts_language().id_for_node_kind(kind, true);
        per_language.insert(kind.into(), id);
        id
    })
}

/// A rule: what it declares and how it checks.
pub struct Rule {
    /// Code, name, docs and defaults.
    pub info: RuleInfo,
    check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

/// Every rule after AUR001, in code order.
pub static RULES: &[Rule] = &[
    complexity::CYCLOMATIC,
    complexity::COGNITIVE,
    complexity::NESTING,
    complexity::FUNCTION_LENGTH,
    complexity::PARAMS,
    complexity::FILE_LENGTH,
    complexity::MAINTAINABILITY,
    smells::EMPTY_CATCH,
    smells::BROAD_EXCEPT,
    smells::UNREACHABLE,
    smells::IDENTICAL_BRANCHES,
    smells::SELF_ASSIGNMENT,
    smells::NONE_COMPARISON,
    smells::SHADOWED_BUILTIN,
    smells::MUTABLE_DEFAULT,
    smells::DEBUG_OUTPUT,
    smells::MAGIC_NUMBER,
    security::SECRETS,
    security::EVAL,
    security::SQL_INJECTION,
    security::SHELL_INJECTION,
    security::WEAK_HASH,
    security::INSECURE_RANDOM,
    security::TLS_DISABLED,
    security::DESERIALISATION,
    security::XXE,
    security::UNSAFE_WITHOUT_SAFETY,
];

/// Which rules run, and their thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    enabled: Vec<bool>,
    /// Complexity thresholds.
    pub thresholds: Thresholds,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings::from_config(&RulesConfig::default()).0
    }
}

fn matches(selector: &str, code: &str) -> bool {
    selector.eq_ignore_ascii_case("ALL") || code.starts_with(&selector.to_ascii_uppercase())
}

/// Every rule that settings can turn on or off: the per-file rules, then the
/// workspace-wide duplicate rules (run by the caller over a clone index).
fn selectable() -> impl Iterator<Item = &'static RuleInfo> {
    RULES.iter().map(|r| &r.info).chain([&crate::clones::EXACT_RULE, &crate::clones::RENAMED_RULE]).chain([
        &crate::shape_rules::NEAR_COPY_RULE,
        &crate::shape_rules::DIVERGENT_CLONE_RULE,
        &crate::shape_rules::IMPORT_CYCLE_RULE,
    ])
}

/// Whether `selector` names at least one rule (AUR001 included).
pub fn is_known_selector(selector: &str) -> bool {
    matches(selector, crate::syntax_error::CODE) || selectable().any(|r| matches(selector, r.code))
}

impl RuleSettings {
    /// Settings from config, with a message for each selector that names no rule.
    pub fn from_config(config: &RulesConfig) -> (RuleSettings, Vec<String>) {
        let problems = config
            .select
            .iter()
            .chain(&config.extend_select)
            .chain(&config.ignore)
            .filter(|s| !is_known_selector(s))
            .map(|s| format!("rules: `{s}` matches no rule code (see `aura rules`)"))
            .collect();
        let enabled = selectable()
            .map(|info| {
                let code = info.code;
                let selected = if config.select.is_empty() {
                    info.default_enabled
                } else {
                    config.select.iter().any(|s| matches(s, code))
                };
                let selected = selected || config.extend_select.iter().any(|s| matches(s, code));
                selected && !config.ignore.iter().any(|s| matches(s, code))
            })
            .collect();
        (RuleSettings { enabled, thresholds: config.thresholds.clone() }, problems)
    }

    /// Whether the rule with `code` runs.
    pub fn is_enabled(&self, code: &str) -> bool {
        selectable().zip(&self.enabled).any(|(r, on)| *on && r.code == code)
    }

    /// Whether either duplicate rule (AUR401, AUR402) runs.
    pub fn clones_enabled(&self) -> bool {
        self.is_enabled(crate::clones::EXACT) || self.is_enabled(crate::clones::RENAMED)
    }

    /// Clone-detection limits from the thresholds.
    pub fn clone_settings(&self) -> crate::clones::CloneSettings {
        crate::clones::CloneSettings {
            min_tokens: self.thresholds.duplicate_tokens.max(10) as usize,
            min_lines: self.thresholds.duplicate_lines.max(1),
        }
    }
}

/// Run every enabled rule over `file`; `by_kind` is its named nodes grouped
/// by kind when the metrics walk collected them (otherwise walked here).
pub fn check<'a>(
    file: SourceFile<'a>,
    metrics: &'a FileMetrics,
    by_kind: Option<Vec<Vec<Node<'a>>>>,
    settings: &'a RuleSettings,
) -> Vec<Diagnostic> {
    check_with_source(file, metrics, by_kind, None, settings)
}

/// As [`check`], with the file's text in one piece when the caller has it.
pub(crate) fn check_with_source<'a>(
    file: SourceFile<'a>,
    metrics: &'a FileMetrics,
    by_kind: Option<Vec<Vec<Node<'a>>>>,
    source: Option<&'a str>,
    settings: &'a RuleSettings,
) -> Vec<Diagnostic> {
    let mut cx = Context::new(file, metrics, &settings.thresholds, by_kind);
    cx.source = source;
    run(&cx, settings, |_| true)
}

/// Whether a rule reads only the metrics (the complexity rules), not nodes.
fn reads_metrics(rule: &Rule) -> bool {
    rule.info.category == "complexity"
}

/// The enabled rules that look at nodes, over `by_kind` only (some of the
/// file's nodes), with the file's `facts`.
pub(crate) fn check_nodes<'a>(
    file: SourceFile<'a>,
    by_kind: Vec<Vec<Node<'a>>>,
    facts: Facts,
    source: &'a str,
    settings: &'a RuleSettings,
) -> Vec<Diagnostic> {
    let metrics = FileMetrics { lines: Default::default(), functions: Vec::new() };
    let mut cx = Context::new(file, &metrics, &settings.thresholds, Some(by_kind));
    cx.source = Some(source);
    cx.facts.get_or_init(|| facts);
    run(&cx, settings, |rule| !reads_metrics(rule))
}

/// The enabled rules that read only the metrics.
pub(crate) fn check_metrics(
    file: SourceFile<'_>,
    metrics: &FileMetrics,
    settings: &RuleSettings,
) -> Vec<Diagnostic> {
    let cx = Context::new(file, metrics, &settings.thresholds, Some(Vec::new()));
    run(&cx, settings, reads_metrics)
}

fn run(cx: &Context<'_>, settings: &RuleSettings, wanted: impl Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (rule, on) in RULES.iter().zip(&settings.enabled) {
        if *on && wanted(rule) {
            (rule.check)(cx, &mut out);
        }
    }
    out
}

/// The rule with `code`, ignoring case.
pub fn find(code: &str) -> Option<&'static RuleInfo> {
    if code.eq_ignore_ascii_case(crate::syntax_error::CODE) {
        return Some(&crate::syntax_error::RULE);
    }
    selectable().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Drop the diagnostics that a suppression comment silences.
pub fn drop_suppressed(
    language: &aura_syntax::Language,
    text: &aura_syntax::Rope,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.retain(|d| {
        let line = text.byte_to_line(d.range.start.min(text.len_bytes()));
        !is_suppressed(language, text, line, d.code)
    });
}

/// Whether a suppression comment on `line` (or alone on the line above)
/// silences `code`: `aura: ignore` or `aura: ignore[AUR101, AUR2]`. Needs only
/// the text, so it also serves files whose tree is gone (the duplicate pass).
pub fn is_suppressed(
    language: &aura_syntax::Language,
    text: &aura_syntax::Rope,
    line: usize,
    code: &str,
) -> bool {
    let comment_tokens: Vec<&str> = language
        .line_comment
        .iter()
        .map(String::as_str)
        .chain(language.block_comment.iter().map(|(open, _)| open.as_str()))
        .collect();
    let silences = |line_idx: usize, alone: bool| {
        if line_idx >= text.len_lines() {
            return false;
        }
        let line = text.line(line_idx).to_string();
        let Some(token_at) = comment_tokens.iter().filter_map(|t| line.find(t)).min() else { return false };
        if alone && !line[..token_at].trim().is_empty() {
            return false;
        }
        let comment = &line[token_at..];
        let Some(at) = comment.find("aura: ignore") else { return false };
        let rest = &comment[at + "aura: ignore".len()..];
        match rest.strip_prefix('[') {
            Some(list) => {
                let list = list.split(']').next().unwrap_or("");
                list.split(',').map(str::trim).any(|s| !s.is_empty() && matches(s, code))
            }
            // `aura: ignore-file` and friends are not this marker.
            None => !rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_'),
        }
    };
    silences(line, false) || line > 0 && silences(line - 1, true)
}

/// The text to insert at the start of `line` to suppress `code` there: a
/// comment line above, indented like the line.
pub fn suppression_edit(file: SourceFile<'_>, line: usize, code: &str) -> Option<(usize, String)> {
    let token = file
        .language
        .line_comment
        .first()
        .map(|t| (t.clone(), String::new()))
        .or_else(|| file.language.block_comment.first().map(|(o, c)| (o.clone(), format!(" {c}"))))?;
    let text = file.text;
    if line >= text.len_lines() {
        return None;
    }
    let content = text.line(line).to_string();
    let indent: String = content.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let at = text.line_to_byte(line);
    Some((at, format!("{indent}{} aura: ignore[{code}]{}\n", token.0, token.1)))
}

#[cfg(test)]
mod tests;
