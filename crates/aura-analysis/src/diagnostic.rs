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
    /// Mechanical fixes, most appropriate first.
    pub fixes: Vec<Fix>,
    /// Other places the finding involves, such as the other copies of a clone.
    pub related: Vec<Related>,
}

/// A place in another (or the same) file that a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The file, as the caller keyed it (a path or a URI).
    pub file: String,
    /// 0-based first and last line, inclusive.
    pub lines: (u32, u32),
    /// What is there.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic without fixes.
    pub fn new(
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
        range: Range<usize>,
    ) -> Self {
        Diagnostic { code, severity, message: message.into(), range, fixes: Vec::new(), related: Vec::new() }
    }

    /// The same diagnostic offering `fix`.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
}

/// Whether a fix keeps behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Behaviour is preserved: safe to apply without review.
    Safe,
    /// Behaviour may change (usually for the better): review before applying.
    Unsafe,
}

/// A mechanical change that resolves a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, as shown in the editor.
    pub title: String,
    /// Whether it keeps behaviour.
    pub applicability: Applicability,
    /// Replacements in byte offsets of the original text; non-overlapping.
    pub edits: Vec<(Range<usize>, String)>,
}
