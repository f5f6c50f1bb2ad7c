//! Consistency checks over the whole catalog: what the type system cannot say
//! about the data (numbering, uniqueness, references, placeholders).

use std::collections::{BTreeSet, HashSet};

use crate::Catalog;

/// Context signals the router computes; programs may weight only these.
pub const KNOWN_SIGNALS: &[(&str, &str)] = &[
    ("has_code", "code was given (a selection or the code around the cursor)"),
    ("no_code", "no code was given"),
    ("sql", "the code or request contains SQL"),
    ("test_code", "the code is a test (test functions, assertions, test imports)"),
    ("stack_trace", "the request or code contains a stack trace or an error message"),
    ("diff", "the code is a unified diff"),
    ("multi_language", "the request names two or more programming languages"),
    ("infra_file", "the code is a Dockerfile, CI workflow, Kubernetes or Terraform file"),
    ("syntax_error", "the code has a syntax error (AUR001) at the cursor"),
    ("question", "the request is a question"),
    ("empty_body", "the code is a stub: a signature with an empty or placeholder body"),
];

/// Placeholders the prompt builder can fill.
pub const KNOWN_PLACEHOLDERS: &[&str] = &[
    "request",
    "language",
    "selection",
    "symbol",
    "file_path",
    "file",
    "diagnostics",
    "related",
    "git_diff",
    "test_framework",
    "modules",
];

/// Language ids a program may be specific to (the registry's ids).
pub const KNOWN_LANGUAGES: &[&str] = &[
    "python",
    "javascript",
    "typescript",
    "tsx",
    "go",
    "rust",
    "java",
    "c",
    "cpp",
    "csharp",
    "ruby",
    "php",
    "bash",
];

const ACTION_KINDS: &[&str] = &[
    "quickfix",
    "refactor",
    "refactor.rewrite",
    "refactor.extract",
    "refactor.inline",
    "source",
    "source.fixAll",
    "source.organizeImports",
    "none",
];

pub(crate) const FOUNDATION: &str = "foundation";

/// Every problem found, one line each; empty when the catalog is consistent.
pub fn validate(catalog: &Catalog) -> Vec<String> {
    let mut errors = Vec::new();
    let mut err = |msg: String| errors.push(msg);

    // Programs: 66, numbered 1..=66, 11 groups of 6 in number order.
    if catalog.programs.len() != 66 {
        err(format!("expected 66 programs, found {}", catalog.programs.len()));
    }
    for (i, p) in catalog.programs.iter().enumerate() {
        if usize::from(p.number) != i + 1 {
            err(format!("program numbers are not 1..=66: position {} holds {}", i + 1, p.number));
            break;
        }
    }
    if catalog.groups.len() != 11 {
        err(format!("expected 11 program groups, found {}", catalog.groups.len()));
    }
    for g in &catalog.groups {
        let members: Vec<u16> =
            catalog.programs.iter().filter(|p| p.group == g.code).map(|p| p.number).collect();
        let first = (g.number - 1) * 6 + 1;
        if members != (first..first + 6).collect::<Vec<_>>() {
            err(format!("group {} should hold programs {first}..{}, holds {members:?}", g.code, first + 5));
        }
    }
    unique("program code", catalog.programs.iter().map(|p| p.code.as_str()), &mut err);
    unique("group code", catalog.groups.iter().map(|g| g.code.as_str()), &mut err);

    let conversations: HashSet<&str> = catalog.conversations.iter().map(|c| c.code.as_str()).collect();
    if catalog.conversations.len() != 10 {
        err(format!("expected 10 conversation types, found {}", catalog.conversations.len()));
    }
    unique("conversation code", catalog.conversations.iter().map(|c| c.code.as_str()), &mut err);
    let domains: HashSet<&str> = catalog.domains.iter().map(|d| d.code.as_str()).collect();
    let signals: HashSet<&str> = KNOWN_SIGNALS.iter().map(|(s, _)| *s).collect();

    for p in &catalog.programs {
        let at = format!("program {} ({})", p.number, p.code);
        if p.conversation.is_empty() {
            err(format!("{at}: no conversation type"));
        }
        for c in &p.conversation {
            if !conversations.contains(c.as_str()) {
                err(format!("{at}: unknown conversation type `{c}`"));
            }
        }
        if p.intents.is_empty() || p.phrasings.len() < 2 || p.keywords.is_empty() {
            err(format!("{at}: needs intents, at least two phrasings and keywords"));
        }
        for s in p.signals.keys() {
            if !signals.contains(s.as_str()) {
                err(format!("{at}: unknown signal `{s}`"));
            }
        }
        for l in &p.languages {
            if !KNOWN_LANGUAGES.contains(&l.as_str()) {
                err(format!("{at}: unknown language `{l}`"));
            }
        }
        for d in &p.domains {
            if !domains.contains(d.as_str()) {
                err(format!("{at}: unknown domain `{d}`"));
            }
        }
        if p.foundation.is_empty() {
            err(format!("{at}: no default foundation tier"));
        }
        for t in &p.foundation {
            match catalog.tier(t) {
                Some(tier) if tier.domain == FOUNDATION => {}
                Some(_) => err(format!("{at}: `{t}` is not a foundation tier")),
                None => err(format!("{at}: unknown tier `{t}`")),
            }
        }
        if !ACTION_KINDS.contains(&p.action_kind.as_str()) {
            err(format!("{at}: unknown code action kind `{}`", p.action_kind));
        }
        let used = template_placeholders(&p.template);
        let declared: BTreeSet<&str> = p.placeholders.iter().map(String::as_str).collect();
        for name in &used {
            if !declared.contains(name.as_str()) {
                err(format!("{at}: template uses undeclared placeholder `{{{{{name}}}}}`"));
            }
        }
        for name in &declared {
            if !used.contains(*name) {
                err(format!("{at}: placeholder `{name}` is declared but unused"));
            }
            if !KNOWN_PLACEHOLDERS.contains(name) {
                err(format!("{at}: the prompt builder cannot fill `{name}`"));
            }
        }
    }

    // Tiers: 188, numbered 1..=188; 13 foundation, 13 per domain, 6 self-healing.
    if catalog.tiers.len() != 188 {
        err(format!("expected 188 tiers, found {}", catalog.tiers.len()));
    }
    for (i, t) in catalog.tiers.iter().enumerate() {
        if usize::from(t.number) != i + 1 {
            err(format!("tier numbers are not 1..=188: position {} holds {}", i + 1, t.number));
            break;
        }
    }
    if catalog.domains.len() != 15 {
        err(format!(
            "expected 15 tier domains (foundation, 13, self-healing), found {}",
            catalog.domains.len()
        ));
    }
    for d in &catalog.domains {
        let n = catalog.tiers.iter().filter(|t| t.domain == d.code).count();
        let expected = if d.code == "self-healing" { 6 } else { 13 };
        if n != expected {
            err(format!("domain {} holds {n} tiers, expected {expected}", d.code));
        }
    }
    unique("tier code", catalog.tiers.iter().map(|t| t.code.as_str()), &mut err);
    unique("domain code", catalog.domains.iter().map(|d| d.code.as_str()), &mut err);
    let modules: HashSet<&str> = catalog.modules.iter().map(|m| m.code.as_str()).collect();
    for t in &catalog.tiers {
        let at = format!("tier {} ({})", t.number, t.code);
        if !(3..=8).contains(&t.guidance.len()) {
            err(format!("{at}: {} guidance points, expected 3 to 8", t.guidance.len()));
        }
        for g in &t.guidance {
            if g.trim().is_empty() || g.len() > 240 {
                err(format!("{at}: guidance points must be non-empty and concise (≤ 240 bytes)"));
            }
        }
        for m in &t.triggers.modules {
            if !modules.contains(m.as_str()) {
                err(format!("{at}: unknown module `{m}`"));
            }
        }
        for l in &t.triggers.languages {
            if !KNOWN_LANGUAGES.contains(&l.as_str()) {
                err(format!("{at}: unknown language `{l}`"));
            }
        }
    }

    // Modules.
    unique("module code", catalog.modules.iter().map(|m| m.code.as_str()), &mut err);
    for m in &catalog.modules {
        let at = format!("module {}", m.code);
        for d in m.depends.iter().chain(&m.conflicts) {
            if !modules.contains(d.as_str()) {
                err(format!("{at}: unknown module `{d}`"));
            }
            if d == &m.code {
                err(format!("{at}: refers to itself"));
            }
        }
        if m.detect.manifests.is_empty() && m.detect.imports.is_empty() && m.detect.globs.is_empty() {
            err(format!("{at}: has no way to be detected"));
        }
    }
    errors
}

fn unique<'a>(what: &str, codes: impl Iterator<Item = &'a str>, err: &mut impl FnMut(String)) {
    let mut seen = HashSet::new();
    for code in codes {
        if !seen.insert(code) {
            err(format!("duplicate {what} `{code}`"));
        }
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            err(format!("{what} `{code}` must be lowercase ascii, digits and dashes"));
        }
    }
}

/// The `{{name}}` placeholders a template uses.
pub fn template_placeholders(template: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.insert(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    out
}
