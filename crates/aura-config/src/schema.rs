//! The configuration types. Every field is optional in files; defaults live in
//! the `Default` impls, and the JSON schema is generated from these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Aura's whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Diagnostics published while you type.
    pub diagnostics: DiagnosticsConfig,
    /// Which files Aura analyses.
    pub files: FilesConfig,
    /// `aura check` defaults.
    pub check: CheckConfig,
    /// Which rules run and their thresholds.
    pub rules: RulesConfig,
    /// Code lenses above functions.
    pub lens: LensConfig,
    /// Models: providers, per-role chains, budgets, cache and privacy.
    pub ai: AiConfig,
    /// Repository features: history window, hotspots, blame, change lenses.
    pub git: GitConfig,
}

/// Repository features. Everything here reads the local repository only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GitConfig {
    /// Use the repository at all (blame, change lenses, hotspots).
    pub enable: bool,
    /// History window for churn and hotspots: at most this many first-parent commits.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub window_commits: usize,
    /// History window in days (0: no limit in time).
    pub window_days: u32,
    /// Show the last change to the hovered line.
    pub blame_hover: bool,
    /// Show "changed · N callers" above functions changed since HEAD.
    pub changed_lens: bool,
    /// Information diagnostics on this many of the workspace's hottest functions
    /// (churn × cyclomatic) that are in open files; 0 turns them off.
    pub hotspot_diagnostics: u32,
    /// A function needs at least this many commits in the window to be called a hotspot.
    #[schemars(range(min = 1))]
    pub hotspot_min_commits: u32,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            enable: true,
            window_commits: 1000,
            window_days: 365,
            blame_hover: true,
            changed_lens: true,
            hotspot_diagnostics: 10,
            hotspot_min_commits: 3,
        }
    }
}

/// Which rules run and their thresholds. Codes match by prefix: `AUR1`
/// selects every complexity rule, `ALL` every rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {
    /// Rules to run instead of the default set (codes or prefixes).
    pub select: Vec<String>,
    /// Rules to run on top of the selection, such as the off-by-default `AUR209`.
    pub extend_select: Vec<String>,
    /// Rules never to run (codes or prefixes); wins over `select`.
    pub ignore: Vec<String>,
    /// Thresholds of the complexity rules.
    pub thresholds: Thresholds,
}

/// Limits above which the complexity rules report (below, for the maintainability index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// AUR101: cyclomatic complexity of a function.
    pub cyclomatic: u32,
    /// AUR102: cognitive complexity of a function.
    pub cognitive: u32,
    /// AUR103: nesting depth of control structures.
    pub nesting: u32,
    /// AUR104: source lines of a function.
    pub function_lines: u32,
    /// AUR105: parameters of a function.
    pub params: u32,
    /// AUR106: lines of a file.
    pub file_lines: u32,
    /// AUR107: maintainability index (0–100) below which a function is reported.
    pub maintainability: f64,
    /// AUR401/AUR402: tokens a duplicated stretch must have (comments excluded).
    #[schemars(range(min = 10))]
    pub duplicate_tokens: u32,
    /// AUR401/AUR402: lines a duplicated stretch must span.
    #[schemars(range(min = 1))]
    pub duplicate_lines: u32,
    /// AUR403: cosine distance (1 − similarity) of two functions' embeddings at or below
    /// which they are near-copies.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub near_copy_distance: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            cyclomatic: 10,
            cognitive: 15,
            nesting: 4,
            function_lines: 80,
            params: 5,
            file_lines: 1000,
            maintainability: 20.0,
            duplicate_tokens: 100,
            duplicate_lines: 10,
            near_copy_distance: 0.05,
        }
    }
}

/// Code lenses above functions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LensConfig {
    /// Show "cyclomatic N · cognitive M" above each function.
    pub complexity: bool,
    /// Show "near-copy of X (similarity S)" above functions with a semantic
    /// near-copy (AUR403); clicking opens the copy.
    pub near_copies: bool,
}

impl Default for LensConfig {
    fn default() -> Self {
        LensConfig { complexity: true, near_copies: true }
    }
}

/// Diagnostics published while you type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DiagnosticsConfig {
    /// Publish diagnostics at all.
    pub enable: bool,
    /// Quiet time after the last edit before diagnostics are computed, in milliseconds.
    #[schemars(range(max = 10_000))]
    pub debounce_ms: u64,
}

impl Default for DiagnosticsConfig {
    fn default() -> Self {
        DiagnosticsConfig { enable: true, debounce_ms: 50 }
    }
}

/// Which files Aura analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FilesConfig {
    /// Files larger than this many bytes are kept as plain text and not analysed.
    pub max_size: u64,
    /// Extra gitignore-style globs to skip in `aura check`, on top of `.gitignore`.
    pub exclude: Vec<String>,
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig { max_size: 2_000_000, exclude: Vec::new() }
    }
}

/// `aura check` defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// The lowest severity that makes `aura check` exit with status 1.
    pub fail_on: FailOn,
    /// Output format.
    pub format: OutputFormat,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { fail_on: FailOn::Error, format: OutputFormat::Text }
    }
}

/// The lowest severity that fails a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Information and above.
    Info,
    /// Any finding.
    Hint,
    /// Never fail on findings.
    Never,
}

/// How `aura check` prints findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// Compiler-style text with the source line and a caret.
    Text,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// Models and the AI pipeline. With no `providers`, Aura uses its embedded
/// model (SmolLM2-135M-Instruct, fetched by `scripts/fetch-model`) when the
/// file is present, and nothing otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AiConfig {
    /// Run AI programs at all (code actions, commands, `aura ask`).
    pub enable: bool,
    /// Named providers: `[ai.providers.NAME]` tables.
    pub providers: std::collections::BTreeMap<String, ProviderConfig>,
    /// Ordered failover chains per role, by provider name.
    pub roles: RolesConfig,
    /// Time limits per attempt.
    pub timeouts: TimeoutsConfig,
    /// Attempts per provider on transient errors (429, 5xx, resets).
    #[schemars(range(min = 1, max = 10))]
    pub retries: u32,
    /// Regenerations when an edit breaks the syntax or misses its diagnostic.
    #[schemars(range(max = 5))]
    pub verify_retries: u32,
    /// Run the code review program on each saved file and show its findings
    /// as `aura-ai` diagnostics (one model call per save; off by default).
    pub review_on_save: bool,
    /// Inline (ghost-text) completion from the completion chain.
    pub completion: CompletionConfig,
    /// The persistent response cache.
    pub cache: AiCacheConfig,
    /// What may leave the machine and what is recorded.
    pub privacy: PrivacyConfig,
}

impl Default for AiConfig {
    fn default() -> Self {
        AiConfig {
            enable: true,
            providers: std::collections::BTreeMap::new(),
            roles: RolesConfig::default(),
            timeouts: TimeoutsConfig::default(),
            retries: 2,
            verify_retries: 2,
            review_on_save: false,
            completion: CompletionConfig::default(),
            cache: AiCacheConfig::default(),
            privacy: PrivacyConfig::default(),
        }
    }
}

/// One model endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// The protocol.
    pub kind: ProviderKind,
    /// Base URL. Defaults: OpenAI `https://api.openai.com/v1`, Ollama
    /// `http://127.0.0.1:11434`, Anthropic `https://api.anthropic.com`.
    #[serde(default)]
    pub url: Option<String>,
    /// The model name to ask for (HTTP kinds).
    #[serde(default)]
    pub model: String,
    /// The environment variable holding the API key (never the key itself).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// A GGUF file (kind `local`); the embedded model when absent.
    #[serde(default)]
    pub path: Option<String>,
}

/// Provider protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// OpenAI-compatible: OpenAI, LM Studio, llama.cpp server, vLLM.
    Openai,
    /// Ollama's native API.
    Ollama,
    /// Anthropic Messages.
    Anthropic,
    /// A GGUF run inside Aura with candle.
    Local,
}

/// Failover chains per role: provider names, tried in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RolesConfig {
    /// Explanations, reviews, `aura ask`. Empty: every provider in name order.
    pub chat: Vec<String>,
    /// Code edits (repair, refactor, tests, docs). Empty: the chat chain.
    pub edit: Vec<String>,
    /// Inline completion. Empty: the edit chain.
    pub completion: Vec<String>,
}

/// Time limits per attempt, in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TimeoutsConfig {
    /// Establishing a connection.
    pub connect_ms: u64,
    /// Loading a local model's weights.
    pub model_load_ms: u64,
    /// From the request to the first token.
    pub first_token_ms: u64,
    /// From the request to the end of the answer.
    pub total_ms: u64,
}

impl Default for TimeoutsConfig {
    fn default() -> Self {
        TimeoutsConfig { connect_ms: 3_000, model_load_ms: 60_000, first_token_ms: 30_000, total_ms: 120_000 }
    }
}

/// Inline completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CompletionConfig {
    /// Answer `aura/inlineCompletion` (and `textDocument/inlineCompletion`).
    pub enable: bool,
    /// The fill-in-the-middle format of the completion model: `none` sends
    /// only the code before the cursor (any model); the others also send the
    /// code after it, in the format that model family was trained on.
    pub fim: FimTemplate,
}

impl Default for CompletionConfig {
    fn default() -> Self {
        CompletionConfig { enable: true, fim: FimTemplate::None }
    }
}

/// Fill-in-the-middle prompt formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum FimTemplate {
    /// The code before the cursor only.
    #[default]
    None,
    /// StarCoder, StarCoder2, SantaCoder: `<fim_prefix>…<fim_suffix>…<fim_middle>`.
    Starcoder,
    /// Code Llama: `<PRE> … <SUF>… <MID>`.
    Codellama,
    /// DeepSeek-Coder.
    Deepseek,
    /// Qwen2.5-Coder: `<|fim_prefix|>…<|fim_suffix|>…<|fim_middle|>`.
    Qwen,
}

/// The persistent response cache (greedy answers only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AiCacheConfig {
    /// Use the cache.
    pub enable: bool,
    /// Hours an answer stays valid.
    pub ttl_hours: u64,
    /// Answers kept; the oldest go first.
    pub max_entries: usize,
}

impl Default for AiCacheConfig {
    fn default() -> Self {
        AiCacheConfig { enable: true, ttl_hours: 24 * 7, max_entries: 2_000 }
    }
}

/// Privacy: remote providers are opt-in, some files never leave, secrets are
/// always redacted from outbound prompts, and each outbound request is logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Allow providers that are not on this machine.
    pub allow_remote: bool,
    /// Gitignore-style globs (relative to the workspace, or a file name)
    /// whose content never leaves the Aura process: only the embedded model
    /// answers requests about them, and they are never sent as context.
    pub local_only: Vec<String>,
    /// Let requests about local-only files go to a provider on this machine
    /// (a loopback llama.cpp or Ollama server) as well.
    pub local_only_loopback: bool,
    /// Keep the full prompt in the audit log (off: only its hash and size).
    pub audit_prompts: bool,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            allow_remote: false,
            local_only: [
                ".env",
                ".env.*",
                "**/secrets/**",
                "*.pem",
                "*.key",
                "*.p12",
                "*.pfx",
                "*.keystore",
                "*.jks",
                "id_rsa*",
                "id_dsa*",
                "id_ecdsa*",
                "id_ed25519*",
                ".npmrc",
                ".pypirc",
                ".netrc",
                ".pgpass",
                "credentials*",
                "**/.aws/**",
                "**/.docker/config.json",
            ]
            .map(String::from)
            .to_vec(),
            local_only_loopback: false,
            audit_prompts: false,
        }
    }
}

/// The JSON schema of [`Config`], pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
