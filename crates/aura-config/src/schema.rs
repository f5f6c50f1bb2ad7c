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
            duplicate_tokens: 50,
            duplicate_lines: 5,
        }
    }
}

/// Code lenses above functions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LensConfig {
    /// Show "cyclomatic N · cognitive M" above each function.
    pub complexity: bool,
}

impl Default for LensConfig {
    fn default() -> Self {
        LensConfig { complexity: true }
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

/// The JSON schema of [`Config`], pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
