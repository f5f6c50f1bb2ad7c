//! Descriptions of the rules whose findings come from the workspace's shape
//! (`aura-shape`: embeddings and the import graph) rather than from one
//! file's tree. They are here so that `aura rules`, selection and SARIF see
//! them with the others.

use crate::diagnostic::Severity;
use crate::RuleInfo;

/// Code of semantic near-copies.
pub const NEAR_COPY: &str = "AUR403";
/// Code of near-copies that missed a fix.
pub const DIVERGENT_CLONE: &str = "AUR404";
/// Code of import cycles.
pub const IMPORT_CYCLE: &str = "AUR501";

/// AUR403's description.
pub static NEAR_COPY_RULE: RuleInfo = RuleInfo {
    code: NEAR_COPY,
    name: "semantic-near-copy",
    summary: "a function whose embedding is almost the same as another's (cosine similarity ≥ 0.95)",
    default_severity: Severity::Info,
    category: "duplicate",
    default_enabled: true,
    doc: include_str!("rules/docs/AUR403.md"),
    fix: None,
};

/// AUR501's description.
pub static IMPORT_CYCLE_RULE: RuleInfo = RuleInfo {
    code: IMPORT_CYCLE,
    name: "import-cycle",
    summary: "a cycle of imports between files, once per cycle: a warning in Python, information in JavaScript and TypeScript",
    default_severity: Severity::Warning,
    category: "design",
    default_enabled: true,
    doc: include_str!("rules/docs/AUR501.md"),
    fix: None,
};

/// AUR404's description.
pub static DIVERGENT_CLONE_RULE: RuleInfo = RuleInfo {
    code: DIVERGENT_CLONE,
    name: "divergent-clone",
    summary: "a near-copy of a function that a fix commit changed while leaving this copy alone",
    default_severity: Severity::Warning,
    category: "duplicate",
    default_enabled: true,
    doc: include_str!("rules/docs/AUR404.md"),
    fix: None,
};
