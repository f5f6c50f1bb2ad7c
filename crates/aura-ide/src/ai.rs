//! The AI pipeline's last three steps (DESIGN §1 EXECUTE → VERIFY → heal),
//! shared by the server and the CLI: provider chains per role built from the
//! configuration, program execution with the answer turned into an edit, a
//! new file or a document, and verification — every generated edit is parsed
//! with tree-sitter, one that adds syntax errors (or, for a repair, leaves
//! its diagnostic in place) is sent back to the model with the failure, a
//! bounded number of times.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use aura_analysis::{analyze, SourceFile};
use aura_catalog::{OutputKind, Verify};
use aura_config::{AiConfig, ProviderKind};
use aura_dispatch::prompt::Prompt;
use aura_llm::audit::AuditLog;
use aura_llm::cache::Cache;
use aura_llm::{
    Budget, Call, CancellationToken, Chain, Event, GenRequest, Kind, LlmError, Message, Outcome, Policy,
    Privacy, Provider, ProviderSpec,
};
use aura_syntax::{parse, Language, Rope};
use globset::{Glob, GlobSet, GlobSetBuilder};

/// Which chain a request uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Explanations, reviews, questions.
    Chat,
    /// Code edits.
    Edit,
    /// Inline completion.
    Completion,
}

impl Role {
    /// Edit programs use the edit chain; everything else chats.
    pub fn for_output(output: OutputKind) -> Role {
        if output.is_edit() {
            Role::Edit
        } else {
            Role::Chat
        }
    }
}

/// The configured providers as chains per role, with the privacy rules.
#[derive(Debug)]
pub struct Providers {
    chat: Arc<Chain>,
    edit: Arc<Chain>,
    completion: Arc<Chain>,
    privacy: Privacy,
    local_only: GlobSet,
    root: Option<PathBuf>,
    /// Providers that could not be built, with why (a missing key, a bad path).
    pub problems: Vec<String>,
    enabled: bool,
    built: Vec<(String, Arc<dyn Provider>)>,
    maker: ChainMaker,
}

/// What every chain shares: budget, retry policy, audit log and cache.
#[derive(Debug, Clone)]
struct ChainMaker {
    budget: Budget,
    policy: Policy,
    state: Option<PathBuf>,
    cache: aura_config::AiCacheConfig,
}

impl ChainMaker {
    fn make(&self, providers: Vec<Arc<dyn Provider>>) -> Chain {
        let mut chain = Chain::new(providers, self.budget).with_policy(self.policy);
        if let Some(state) = &self.state {
            chain = chain.with_audit(Arc::new(AuditLog::new(&state.join("audit.jsonl"))));
            if self.cache.enable {
                chain = chain.with_cache(Cache::new(
                    &state.join("cache").join("llm"),
                    Duration::from_secs(self.cache.ttl_hours.saturating_mul(3600)),
                    self.cache.max_entries,
                ));
            }
        }
        chain
    }
}

impl Providers {
    /// Chains from `config`; the cache and audit log live under `root/.aura`
    /// (the user cache folder when there is no workspace).
    pub fn from_config(config: &AiConfig, root: Option<&Path>) -> Providers {
        let budget = budget(config);
        let mut problems = Vec::new();
        let mut built: Vec<(String, Arc<dyn Provider>)> = Vec::new();
        let specs = specs(config);
        for spec in &specs {
            match aura_llm::build(spec, &budget) {
                Ok(provider) => built.push((spec.name.clone(), provider)),
                Err(e) => problems.push(format!("provider {}: {e}", spec.name)),
            }
        }
        let maker = ChainMaker {
            budget,
            policy: Policy { attempts: config.retries.max(1), ..Policy::default() },
            state: state_dir(root),
            cache: config.cache.clone(),
        };
        let chain = |names: &[String]| -> Arc<Chain> {
            let providers: Vec<Arc<dyn Provider>> = if names.is_empty() {
                built.iter().map(|(_, p)| p.clone()).collect()
            } else {
                names
                    .iter()
                    .filter_map(|n| built.iter().find(|(name, _)| name == n).map(|(_, p)| p.clone()))
                    .collect()
            };
            Arc::new(maker.make(providers))
        };
        for role in [&config.roles.chat, &config.roles.edit, &config.roles.completion] {
            for name in role {
                if !config.providers.contains_key(name) {
                    problems.push(format!("ai.roles names `{name}`, which is not in ai.providers"));
                }
            }
        }
        let chat = chain(&config.roles.chat);
        let edit = if config.roles.edit.is_empty() { chat.clone() } else { chain(&config.roles.edit) };
        let completion =
            if config.roles.completion.is_empty() { edit.clone() } else { chain(&config.roles.completion) };
        let mut local_only = GlobSetBuilder::new();
        for pattern in &config.privacy.local_only {
            match Glob::new(pattern) {
                Ok(glob) => {
                    local_only.add(glob);
                }
                Err(e) => problems.push(format!("privacy.local_only `{pattern}`: {e}")),
            }
        }
        Providers {
            chat,
            edit,
            completion,
            privacy: Privacy {
                allow_remote: config.privacy.allow_remote,
                local_only: false,
                local_only_loopback: config.privacy.local_only_loopback,
                audit_prompts: config.privacy.audit_prompts,
            },
            local_only: local_only.build().unwrap_or_else(|_| GlobSet::empty()),
            root: root.map(Path::to_path_buf),
            problems,
            enabled: config.enable,
            built,
            maker,
        }
    }

    /// A chain of just the provider called `name` (`--provider NAME`).
    pub fn named(&self, name: &str) -> Option<Arc<Chain>> {
        let provider = self.built.iter().find(|(n, _)| n == name)?.1.clone();
        Some(Arc::new(self.maker.make(vec![provider])))
    }

    /// Every provider that was built, by name.
    pub fn all(&self) -> &[(String, Arc<dyn Provider>)] {
        &self.built
    }

    /// The chain for `role`.
    pub fn chain(&self, role: Role) -> Arc<Chain> {
        match role {
            Role::Chat => self.chat.clone(),
            Role::Edit => self.edit.clone(),
            Role::Completion => self.completion.clone(),
        }
    }

    /// Whether any provider is configured (or the embedded model was found) and AI is on.
    pub fn is_available(&self) -> bool {
        self.enabled && !self.chat.is_empty()
    }

    /// Whether `file` matches a `privacy.local_only` glob: its content never
    /// leaves the process, neither as the request's file nor as context.
    pub fn is_local_only(&self, file: &Path) -> bool {
        let relative = self.root.as_deref().and_then(|r| file.strip_prefix(r).ok()).unwrap_or(file);
        self.local_only.is_match(relative)
            || file.file_name().is_some_and(|name| self.local_only.is_match(Path::new(name)))
    }

    /// The call options for a request about `file` (local-only globs apply).
    pub fn call(&self, program: &str, file: Option<&Path>, bypass_cache: bool) -> Call {
        let local_only = file.is_some_and(|file| self.is_local_only(file));
        Call { program: program.to_string(), privacy: Privacy { local_only, ..self.privacy }, bypass_cache }
    }
}

/// Shrink the prompt budget when the chain starts with an in-process model:
/// on a CPU, prompt processing dominates the wait for the first token, and a
/// small model gains little from long tier guidance.
pub fn fit_budget(chain: &Chain, decision: &mut aura_dispatch::Decision) {
    let local_first = chain.providers().first().is_some_and(|p| p.host() == "in-process");
    if local_first {
        decision.budget.guidance = decision.budget.guidance.min(LOCAL_GUIDANCE_TOKENS);
        decision.budget.context = decision.budget.context.min(LOCAL_CONTEXT_TOKENS);
    }
}

/// Prompt budgets for in-process models (see [`fit_budget`]).
pub const LOCAL_GUIDANCE_TOKENS: usize = 120;
/// See [`fit_budget`].
pub const LOCAL_CONTEXT_TOKENS: usize = 1_000;

/// The per-attempt budget from the configured timeouts.
pub fn budget(config: &AiConfig) -> Budget {
    let t = &config.timeouts;
    Budget {
        connect: Duration::from_millis(t.connect_ms),
        model_load: Duration::from_millis(t.model_load_ms),
        first_token: Duration::from_millis(t.first_token_ms),
        total: Duration::from_millis(t.total_ms),
    }
}

/// The provider specs: the configured ones in name order, or the embedded
/// model when none is configured and its file exists.
pub fn specs(config: &AiConfig) -> Vec<ProviderSpec> {
    if config.providers.is_empty() {
        return aura_llm::default_model_path()
            .map(|path| ProviderSpec {
                name: "embedded".into(),
                kind: Kind::Local,
                url: None,
                model: String::new(),
                api_key_env: None,
                path: Some(path),
            })
            .into_iter()
            .collect();
    }
    config
        .providers
        .iter()
        .map(|(name, p)| ProviderSpec {
            name: name.clone(),
            kind: match p.kind {
                ProviderKind::Openai => Kind::OpenAi,
                ProviderKind::Ollama => Kind::Ollama,
                ProviderKind::Anthropic => Kind::Anthropic,
                ProviderKind::Local => Kind::Local,
            },
            url: p.url.clone(),
            model: p.model.clone(),
            api_key_env: p.api_key_env.clone(),
            path: p.path.as_ref().map(PathBuf::from),
        })
        .collect()
}

/// Where Aura keeps per-workspace state: `ROOT/.aura`, else the user cache folder.
fn state_dir(root: Option<&Path>) -> Option<PathBuf> {
    match root {
        Some(root) => Some(root.join(".aura")),
        None => std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|c| c.join("aura")),
    }
}

/// What a program's answer is applied to.
#[derive(Debug, Clone)]
pub struct Target {
    /// The file's language.
    pub language: Option<&'static Language>,
    /// The whole file.
    pub text: String,
    /// The bytes the answer replaces (or is inserted before).
    pub range: Range<usize>,
    /// For repair programs: the diagnostic code that must disappear.
    pub diagnostic: Option<String>,
}

/// A program's result, ready to apply.
#[derive(Debug, Clone)]
pub struct Execution {
    /// The model's whole answer (the last attempt's).
    pub answer: String,
    /// The code extracted from it, for edit and new-file outputs.
    pub code: Option<String>,
    /// The edit: `range` of the original text replaced by `new_text`.
    pub edit: Option<(Range<usize>, String)>,
    /// Whether the result passed verification (true when none applies).
    pub verified: bool,
    /// What verification found on each attempt.
    pub notes: Vec<String>,
    /// Generations made (1 + retries).
    pub attempts: u32,
    /// The last generation and the chain's report.
    pub outcome: Outcome,
}

/// Run `prompt` through `chain` and verify the answer against `target` as the
/// program's `output` and `verify` say, retrying up to `retries` times with
/// the failure fed back.
#[allow(clippy::too_many_arguments)]
pub async fn execute(
    chain: &Chain,
    prompt: &Prompt,
    output: OutputKind,
    verify: Verify,
    target: Option<&Target>,
    call: &Call,
    retries: u32,
    on_event: &(dyn Fn(Event<'_>) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<Execution, LlmError> {
    let edits = output.is_edit();
    let mut user = prompt.user.clone();
    if edits {
        // Last in the message: small models follow the most recent instruction best.
        user.push_str("\n\nAnswer with the complete code in one fenced code block (```), and nothing else inside the block.\n");
    }
    let mut messages = vec![Message::system(prompt.system.clone()), Message::user(user)];
    let max_tokens = output_tokens(output);
    let mut notes = Vec::new();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut request = GenRequest::chat(messages.clone(), max_tokens);
        if attempts > 1 {
            // A greedy retry of a near-identical prompt tends to repeat the same
            // mistake; sampling a little more each time explores alternatives.
            request.temperature = (0.3 * (attempts - 1) as f32).min(0.9);
            request.seed = u64::from(attempts);
        }
        let outcome = chain.generate(&request, call, on_event, cancel).await?;
        let answer = outcome.generation.text.clone();
        if !edits {
            return Ok(Execution {
                answer,
                code: None,
                edit: None,
                verified: true,
                notes,
                attempts,
                outcome,
            });
        }
        let code = extract_code(&answer);
        let (edit, problem) = match (output, target) {
            (OutputKind::NewFile, _) => {
                let problem = match target.and_then(|t| t.language) {
                    Some(language) if verify != Verify::None => syntax_problem(language, "", &code, 0..0),
                    _ => None,
                };
                (None, problem)
            }
            (_, Some(target)) => {
                let (range, new_text) = edit_for(target, &code, output);
                let problem = check(target, &range, &new_text, verify);
                (Some((range, new_text)), problem)
            }
            (_, None) => (None, None),
        };
        match problem {
            None => {
                return Ok(Execution {
                    answer,
                    code: Some(code),
                    edit,
                    verified: true,
                    notes,
                    attempts,
                    outcome,
                });
            }
            Some(problem) => {
                notes.push(format!("attempt {attempts}: {problem}"));
                if attempts > retries {
                    return Ok(Execution {
                        answer,
                        code: Some(code),
                        edit,
                        verified: false,
                        notes,
                        attempts,
                        outcome,
                    });
                }
                messages.push(Message::assistant(answer));
                messages.push(Message::user(format!(
                    "That code is not acceptable: {problem}. Return the corrected complete code in one fenced code block."
                )));
            }
        }
    }
}

/// Tokens to allow per output kind.
fn output_tokens(output: OutputKind) -> u32 {
    match output {
        OutputKind::CommitMessage => 160,
        OutputKind::Diagnostics | OutputKind::Markdown => 700,
        OutputKind::ReplaceRange | OutputKind::Insert => 700,
        OutputKind::NewFile => 1200,
    }
}

/// The first fenced code block's content, else the whole answer trimmed.
pub fn extract_code(answer: &str) -> String {
    let Some(open) = answer.find("```") else { return answer.trim_matches('\n').to_string() };
    let after = &answer[open + 3..];
    let body_start = after.find('\n').map_or(after.len(), |i| i + 1);
    let body = &after[body_start..];
    let end = body.find("```").unwrap_or(body.len());
    body[..end].trim_end().trim_start_matches('\n').to_string()
}

/// The edit that puts `code` in place of (or before) the target, re-indented
/// to the target's first line so methods stay inside their class.
fn edit_for(target: &Target, code: &str, output: OutputKind) -> (Range<usize>, String) {
    let text = &target.text;
    let start = target.range.start.min(text.len());
    let end = target.range.end.clamp(start, text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let whole_lines = text[line_start..start].trim().is_empty();
    let (start, indent) = if whole_lines {
        (line_start, text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect::<String>())
    } else {
        (start, String::new())
    };
    let code = reindent(code, &indent);
    match output {
        OutputKind::Insert => (start..start, format!("{code}\n")),
        _ => {
            // Keep the target's trailing newline: replace content, not line ends.
            let end = if text[..end].ends_with('\n') && !code.ends_with('\n') { end - 1 } else { end };
            (start..end.max(start), code)
        }
    }
}

fn reindent(code: &str, indent: &str) -> String {
    let common = code
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    code.lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{indent}{}", &l[common.min(l.len())..])
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why applying the edit is not acceptable, if it is not.
fn check(target: &Target, range: &Range<usize>, new_text: &str, verify: Verify) -> Option<String> {
    let language = target.language?;
    if verify == Verify::None {
        return None;
    }
    if new_text.trim().is_empty() {
        return Some("the answer has no code".into());
    }
    if let Some(problem) = syntax_problem(language, &target.text, new_text, range.clone()) {
        return Some(problem);
    }
    if verify == Verify::DiagnosticGone {
        let code = target.diagnostic.as_deref()?;
        let after = splice(&target.text, range, new_text);
        let rope = Rope::from_str(&after);
        let tree = parse(language, &rope, None)?;
        let new_range = range.start..range.start + new_text.len();
        let still = analyze(SourceFile { language, text: &rope, tree: &tree })
            .into_iter()
            .find(|d| d.code == code && d.range.start <= new_range.end && new_range.start <= d.range.end);
        if let Some(d) = still {
            let line = rope.byte_to_line(d.range.start.min(rope.len_bytes())) + 1;
            return Some(format!("{} is still reported at line {line}: {}", d.code, d.message));
        }
    }
    None
}

fn splice(text: &str, range: &Range<usize>, new_text: &str) -> String {
    format!("{}{new_text}{}", &text[..range.start], &text[range.end..])
}

/// Syntax errors the edit adds: `None` when the new file has no more
/// ERROR/MISSING nodes than the old one, else the first new one described.
pub(crate) fn syntax_problem(
    language: &Language,
    old: &str,
    new_text: &str,
    range: Range<usize>,
) -> Option<String> {
    let errors = |text: &str| -> Vec<(usize, String)> {
        let rope = Rope::from_str(text);
        let Some(tree) = parse(language, &rope, None) else { return Vec::new() };
        aura_analysis::syntax_error::check(&tree, &rope)
            .into_iter()
            .map(|d| (rope.byte_to_line(d.range.start.min(rope.len_bytes())) + 1, d.message))
            .collect()
    };
    let before = if old.is_empty() { Vec::new() } else { errors(old) };
    let after = errors(&splice(old, &range, new_text));
    if after.len() <= before.len() {
        return None;
    }
    let first_line = old[..range.start.min(old.len())].matches('\n').count() + 1;
    let (line, message) = after.iter().find(|e| !before.contains(e)).or(after.first())?;
    let relative = line.saturating_sub(first_line) + 1;
    Some(format!("it does not parse as {}: line {relative} of your code: {message}", language.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python() -> &'static Language {
        aura_syntax::registry().by_id("python").unwrap()
    }

    #[test]
    fn code_comes_from_the_first_fence() {
        assert_eq!(
            extract_code("Here:\n```python\ndef f():\n    return 1\n```\nDone."),
            "def f():\n    return 1"
        );
        assert_eq!(extract_code("```\nx = 1\n"), "x = 1");
        assert_eq!(extract_code("\nx = 1\n"), "x = 1");
    }

    #[test]
    fn edits_keep_the_targets_indentation() {
        let text = "class A:\n    def f(self)\n        return 1\n\nx = 2\n".to_string();
        let start = text.find("def").unwrap();
        let end = text.find("\n\nx").unwrap() + 1;
        let target =
            Target { language: Some(python()), text: text.clone(), range: start..end, diagnostic: None };
        let (range, new_text) = edit_for(&target, "def f(self):\n    return 1", OutputKind::ReplaceRange);
        let after = splice(&text, &range, &new_text);
        assert_eq!(after, "class A:\n    def f(self):\n        return 1\n\nx = 2\n");
        assert!(check(&target, &range, &new_text, Verify::Parse).is_none());
    }

    #[test]
    fn an_edit_that_adds_syntax_errors_is_refused_with_the_reason() {
        let text = "def f():\n    return 1\n".to_string();
        let target =
            Target { language: Some(python()), text: text.clone(), range: 0..text.len(), diagnostic: None };
        let (range, new_text) = edit_for(&target, "def f(:\n    return 1", OutputKind::ReplaceRange);
        let problem = check(&target, &range, &new_text, Verify::Parse).unwrap();
        assert!(problem.contains("does not parse as python") && problem.contains("line 1"), "{problem}");
    }

    #[test]
    fn a_repair_must_remove_its_diagnostic() {
        let text = "def f(a, b)\n    return a + b\n".to_string();
        let target = Target {
            language: Some(python()),
            text: text.clone(),
            range: 0..text.len(),
            diagnostic: Some("AUR001".into()),
        };
        let (range, same) = edit_for(&target, "def f(a, b)\n    return a + b", OutputKind::ReplaceRange);
        assert!(
            check(&target, &range, &same, Verify::DiagnosticGone).is_some(),
            "echoing the bug is refused"
        );
        let (range, fixed) = edit_for(&target, "def f(a, b):\n    return a + b", OutputKind::ReplaceRange);
        assert_eq!(check(&target, &range, &fixed, Verify::DiagnosticGone), None);
    }

    #[test]
    fn local_only_globs_match_relative_paths_and_names() {
        let root = Path::new("/ws");
        let providers = Providers::from_config(&AiConfig::default(), Some(root));
        assert!(providers.call("P01", Some(Path::new("/ws/.env")), false).privacy.local_only);
        assert!(providers.call("P01", Some(Path::new("/ws/deploy/secrets/db.py")), false).privacy.local_only);
        assert!(providers.call("P01", Some(Path::new("/ws/certs/server.pem")), false).privacy.local_only);
        assert!(!providers.call("P01", Some(Path::new("/ws/src/main.py")), false).privacy.local_only);
        for key in
            ["/home/me/.ssh/id_ed25519", "/ws/.npmrc", "/ws/.netrc", "/ws/.aws/credentials", "/ws/store.p12"]
        {
            assert!(providers.is_local_only(Path::new(key)), "{key}");
        }
    }
}
