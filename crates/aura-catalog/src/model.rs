//! The shapes of the data files. Unknown keys are rejected so a typo in a data
//! file fails the tests instead of silently dropping a field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgramFile {
    pub group: ProgramGroup,
    pub program: Vec<Program>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TierFile {
    pub domain: Domain,
    pub tier: Vec<Tier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ModuleFile {
    pub module: Vec<Module>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConversationFile {
    pub conversation: Vec<ConversationType>,
}

/// One of the 11 program groups ("Code Generation", programs 1–6, ...).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramGroup {
    pub number: u16,
    pub code: String,
    pub name: String,
}

/// An execution program: what a routed AI request runs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    pub number: u16,
    /// Stable, human-readable code (`python-generation`); never renumbered.
    pub code: String,
    pub name: String,
    /// Filled from the file's `[group]`.
    #[serde(default)]
    pub group: String,
    pub purpose: String,
    /// Conversation types this program answers, the most typical first.
    pub conversation: Vec<String>,
    /// Verbs and short verb phrases that ask for this program.
    pub intents: Vec<String>,
    /// Typical requests, written for documentation and as lexical evidence.
    pub phrasings: Vec<String>,
    /// Topic words and phrases with a weight (evidence for this program).
    #[serde(default)]
    pub keywords: BTreeMap<String, f32>,
    /// Context signals (see `KNOWN_SIGNALS`) with a weight, negative to penalise.
    #[serde(default)]
    pub signals: BTreeMap<String, f32>,
    /// Languages this program is specific to; empty means any language.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Diagnostic codes or code prefixes (`AUR3`) that make this program a fix.
    #[serde(default)]
    pub diagnostics: Vec<String>,
    pub context: Vec<ContextNeed>,
    /// LSP code action kind it is offered as (`quickfix`, `refactor.rewrite`, ...).
    pub action_kind: String,
    pub output: OutputKind,
    /// Task instructions; `{{name}}` placeholders must appear in `placeholders`.
    pub template: String,
    pub placeholders: Vec<String>,
    pub verify: Verify,
    /// Foundation tier codes composed into every prompt of this program.
    pub foundation: Vec<String>,
    /// Domain codes this program's work usually belongs to (tier selection prior).
    #[serde(default)]
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextNeed {
    Selection,
    EnclosingSymbol,
    File,
    RelatedSymbols,
    Diagnostics,
    GitDiff,
    TestFramework,
    Modules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputKind {
    ReplaceRange,
    Insert,
    NewFile,
    Markdown,
    Diagnostics,
    CommitMessage,
}

impl OutputKind {
    /// The output changes code (an edit or a new file), so it is verified and
    /// answered with one fenced code block.
    pub fn is_edit(self) -> bool {
        matches!(self, OutputKind::ReplaceRange | OutputKind::Insert | OutputKind::NewFile)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verify {
    /// The output must parse without new syntax errors.
    Parse,
    /// The output must parse and make the targeted diagnostic disappear.
    DiagnosticGone,
    None,
}

/// A tier domain: "Foundation", one of the 13 grandmaster domains, or
/// "Self-Healing & Autonomous Systems".
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub code: String,
    pub name: String,
    /// Words that point at the domain as a whole (weaker than a tier's own).
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// A knowledge tier: guidance composed into prompts when its triggers fire.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub number: u16,
    pub code: String,
    pub name: String,
    /// Filled from the file's `[domain]`.
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub triggers: Triggers,
    /// 3–8 concise points a senior engineer in the domain would give.
    pub guidance: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    #[serde(default)]
    pub languages: Vec<String>,
    /// Imported package names (top-level: `django`, `react`, `tokio`).
    #[serde(default)]
    pub imports: Vec<String>,
    /// Module codes from the registry.
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub globs: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub diagnostics: Vec<String>,
}

/// One of the 10 conversation types the detector distinguishes.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConversationType {
    pub code: String,
    pub name: String,
    pub description: String,
    /// Words and phrases with a weight.
    pub cues: BTreeMap<String, f32>,
}

/// A language, framework, library, tool or platform the registry can detect.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub code: String,
    pub name: String,
    pub kind: ModuleKind,
    #[serde(default)]
    pub detect: Detect,
    /// Modules that must also be active (activated with this one).
    #[serde(default)]
    pub depends: Vec<String>,
    /// Modules that cannot be active together with this one.
    #[serde(default)]
    pub conflicts: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleKind {
    Language,
    Framework,
    Library,
    Tool,
    Platform,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    /// `{ file = "package.json", dependency = "react" }`: a manifest naming a
    /// dependency; without `dependency` the file's presence is enough.
    #[serde(default)]
    pub manifests: Vec<ManifestRule>,
    /// Top-level import names seen in source files.
    #[serde(default)]
    pub imports: Vec<String>,
    /// Gitignore-style globs of files whose presence activates the module.
    #[serde(default)]
    pub globs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestRule {
    /// File name (`package.json`) or a glob of file names (`requirements*.txt`, `*.csproj`).
    pub file: String,
    #[serde(default)]
    pub dependency: Option<String>,
}
