//! Prompt building (DESIGN §1 BUILD): the routed program's template, the
//! chosen tiers' guidance and the context blocks, fitted into the decision's
//! token budget.
//!
//! Token counts are estimated as one token per four bytes (rounded up), the
//! usual figure for English and code with BPE tokenizers; a provider with a
//! real tokenizer can pass its own counter. Guidance is added tier by tier
//! while it fits; context blocks are filled in priority order (selection,
//! diagnostics, related code, diff, whole file) and cut at line boundaries,
//! with a marker saying how much was left out.

use std::fmt::Write as _;

use aura_catalog::Catalog;
use serde::Serialize;

use crate::route::Decision;

/// What the editor or CLI knows, for the template's placeholders.
#[derive(Debug, Clone, Default)]
pub struct PromptInput {
    pub request: String,
    pub language: Option<String>,
    pub file_path: Option<String>,
    pub selection: Option<String>,
    pub symbol: Option<String>,
    pub file: Option<String>,
    pub diagnostics: Vec<String>,
    pub related: Option<String>,
    pub git_diff: Option<String>,
    pub test_framework: Option<String>,
    pub modules: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Prompt {
    pub program: u16,
    pub tiers: Vec<u16>,
    pub system: String,
    pub user: String,
    /// Estimated tokens of system + user.
    pub tokens: usize,
    /// Context blocks that were shortened or dropped to fit the budget.
    pub truncated: Vec<String>,
}

/// Counts tokens; `estimate_tokens` unless a real tokenizer is plugged in.
pub type TokenCounter = fn(&str) -> usize;

pub fn estimate_tokens(text: &str) -> usize {
    text.len().div_ceil(4)
}

pub fn build(decision: &Decision, input: &PromptInput) -> Prompt {
    build_with(decision, input, estimate_tokens)
}

pub fn build_with(decision: &Decision, input: &PromptInput, count: TokenCounter) -> Prompt {
    let catalog = Catalog::builtin();
    let top = decision.top_program();
    let program = catalog.program_number(top.number).expect("routed program exists");
    let budget = decision.budget;

    let mut system = String::from(
        "You are Aura, a coding assistant working inside the user's editor. Answer precisely, keep the user's \
         code style, never invent APIs, and say when you are unsure.\n",
    );
    let mut tiers = Vec::new();
    let mut guidance = String::new();
    for ranked in &decision.tiers {
        let Some(tier) = catalog.tier_number(ranked.number) else { continue };
        let mut block = format!("\n{}:\n", tier.name);
        for point in &tier.guidance {
            let _ = writeln!(block, "- {point}");
        }
        if count(&guidance) + count(&block) > budget.guidance && !tiers.is_empty() {
            break;
        }
        guidance.push_str(&block);
        tiers.push(tier.number);
    }
    if !guidance.is_empty() {
        system.push_str("\nGuidance for this task:\n");
        system.push_str(&guidance);
    }

    // Context blocks in priority order share the context budget.
    let mut remaining = budget.context.saturating_sub(count(&program.template) + count(&input.request));
    let mut truncated = Vec::new();
    let mut fit = |name: &str, text: Option<&str>| -> String {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else { return "(none)".to_owned() };
        let (kept, cut) = cut_to(text, remaining, count);
        remaining = remaining.saturating_sub(count(&kept));
        if cut > 0 {
            truncated.push(format!("{name}: {cut} lines left out"));
        }
        kept
    };
    let selection = fit("selection", input.selection.as_deref());
    let diagnostics = fit("diagnostics", Some(&input.diagnostics.join("\n")));
    let related = fit("related", input.related.as_deref());
    let git_diff = fit("git_diff", input.git_diff.as_deref());
    let file = fit("file", input.file.as_deref());

    let language =
        input.language.clone().or_else(|| decision.language.clone()).unwrap_or_else(|| "code".into());
    let modules =
        if input.modules.is_empty() { "(none detected)".to_owned() } else { input.modules.join(", ") };
    let test_framework =
        input.test_framework.clone().unwrap_or_else(|| default_test_framework(&language).to_owned());
    let user = render(&program.template, |name| match name {
        "request" => input.request.clone(),
        "language" => language.clone(),
        "selection" => selection.clone(),
        "symbol" => input.symbol.clone().unwrap_or_else(|| "the code".into()),
        "file_path" => input.file_path.clone().unwrap_or_else(|| "the current file".into()),
        "file" => file.clone(),
        "diagnostics" => diagnostics.clone(),
        "related" => related.clone(),
        "git_diff" => git_diff.clone(),
        "test_framework" => test_framework.clone(),
        "modules" => modules.clone(),
        other => format!("{{{{{other}}}}}"),
    });
    let tokens = count(&system) + count(&user);
    Prompt { program: program.number, tiers, system, user, tokens, truncated }
}

/// Replace every `{{name}}` with `value(name)`.
fn render(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                out.push_str(&value(after[..end].trim()));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Keep whole lines from the start while they fit; report how many were cut.
fn cut_to(text: &str, budget: usize, count: TokenCounter) -> (String, usize) {
    if count(text) <= budget {
        return (text.to_owned(), 0);
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = String::new();
    let mut n = 0;
    for line in &lines {
        if count(&kept) + count(line) + 1 > budget.saturating_sub(8) {
            break;
        }
        kept.push_str(line);
        kept.push('\n');
        n += 1;
    }
    let cut = lines.len() - n;
    let _ = write!(kept, "… ({cut} more lines not shown)");
    (kept, cut)
}

/// The framework a test program uses when the workspace names none.
pub fn default_test_framework(language: &str) -> &'static str {
    match language {
        "python" => "pytest",
        "javascript" | "typescript" | "tsx" => "the project's test runner (Jest or Vitest)",
        "go" => "the standard testing package",
        "rust" => "Rust's built-in test harness",
        "java" => "JUnit 5",
        "csharp" => "xUnit",
        "ruby" => "RSpec",
        "php" => "PHPUnit",
        "cpp" | "c" => "GoogleTest",
        "bash" => "bats",
        _ => "the project's test framework",
    }
}

/// The test framework implied by active modules, if any.
pub fn test_framework_of(modules: &[String]) -> Option<String> {
    const KNOWN: &[(&str, &str)] = &[
        ("pytest", "pytest"),
        ("jest", "Jest"),
        ("vitest", "Vitest"),
        ("junit", "JUnit 5"),
        ("xunit", "xUnit"),
        ("rspec", "RSpec"),
        ("playwright", "Playwright"),
        ("cypress", "Cypress"),
    ];
    KNOWN.iter().find(|(code, _)| modules.iter().any(|m| m == code)).map(|(_, name)| (*name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Request, Router};

    fn decision(text: &str, code: &str) -> Decision {
        Router::new().route(&Request {
            text: text.into(),
            language: Some("python".into()),
            code: Some(code.into()),
            ..Request::default()
        })
    }

    #[test]
    fn renders_template_guidance_and_context() {
        let code = "def slug(t):\n    return t.lower()\n";
        let d = decision("write unit tests for this", code);
        let p = build(
            &d,
            &PromptInput {
                request: "write unit tests for this".into(),
                selection: Some(code.into()),
                symbol: Some("slug".into()),
                file_path: Some("app/text.py".into()),
                ..PromptInput::default()
            },
        );
        assert_eq!(p.program, 19);
        assert!(p.user.contains("with pytest for slug in app/text.py"), "{}", p.user);
        assert!(p.user.contains("return t.lower()"));
        assert!(!p.user.contains("{{"), "unfilled placeholder: {}", p.user);
        assert!(p.system.contains("Unit Testing Best Practices"), "{}", p.system);
        assert!(p.tokens > 0 && p.truncated.is_empty());
    }

    #[test]
    fn long_context_is_cut_at_line_boundaries_within_budget() {
        let code: String = (0..5000).map(|i| format!("x{i} = {i}\n")).collect();
        let d = Router::new().with_context_window(2048).route(&Request {
            text: "explain this code".into(),
            language: Some("python".into()),
            code: Some(code.clone()),
            ..Request::default()
        });
        let p = build(
            &d,
            &PromptInput { request: "explain this code".into(), selection: Some(code), ..Default::default() },
        );
        assert!(p.tokens <= 2048 - d.budget.output, "{} tokens", p.tokens);
        assert_eq!(p.truncated.len(), 1, "{:?}", p.truncated);
        assert!(p.user.contains("more lines not shown"));
    }

    #[test]
    fn render_leaves_unterminated_braces() {
        assert_eq!(render("a {{x}} b {{y", |n| n.to_uppercase()), "a X b {{y");
    }
}
