//! Aura's configuration: the schema (`Config`), layered sources with
//! provenance, validation with file positions and suggestions, discovery of
//! the user and workspace files, and the generated JSON schema.
//!
//! Later layers win: defaults < user file < workspace file < `AURA_*`
//! environment < editor settings < command-line flags.

#![warn(missing_docs)]

mod discover;
mod layer;
mod schema;

use std::fmt;

pub use discover::{load_file, user_config_path, workspace_config_path};
pub use layer::{env_var_name, resolve, setting_keys, Layer, Origin, Resolved};
pub use schema::{
    json_schema, AiCacheConfig, AiConfig, CheckConfig, CompletionConfig, Config, DiagnosticsConfig, FailOn,
    FilesConfig, FimTemplate, GitConfig, LensConfig, OutputFormat, PrivacyConfig, ProviderConfig,
    ProviderKind, RolesConfig, RulesConfig, Thresholds, TimeoutsConfig,
};

/// An invalid configuration source, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// A file path, an environment variable or another source name.
    pub location: String,
    /// 1-based line, when the source is a file.
    pub line: Option<usize>,
    /// 1-based column in characters, when the source is a file.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{}:{line}:{column}: {}", self.location, self.message),
            _ => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests;
