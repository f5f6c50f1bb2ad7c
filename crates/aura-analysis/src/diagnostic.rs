//! The diagnostic type every analysis produces: plain data in byte offsets.

use std::fmt;
use std::ops::Range;

/// How serious a finding is, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Broken code or a definite bug.
    Error,
    /// Likely a problem.
    Warning,
    /// Worth knowing.
    Info,
    /// A suggestion.
    Hint,
}

impl Severity {
    /// Lower-case name, as written in config and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, such as `AUR001`.
    pub code: &'static str,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong, in one lower-case sentence without a trailing period.
    pub message: String,
    /// The bytes the finding is about; may be empty (a point).
    pub range: Range<usize>,
}
