//! Change impact: the functions a change touches and the places elsewhere
//! in the workspace that refer to them by name.
//!
//! The reference index is built on demand, the way a search tool would: one
//! regex pass over every source file finds the files that mention a changed
//! name at all (most do not), and only those are parsed, so that each hit is
//! checked to be an identifier (not a comment or a string), in a language
//! that can call the changed one, and not a definition. It is name-based:
//! a method called like a common word (`get`, `run`) matches every `get`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use aura_syntax::tree_sitter::Node;
use rayon::prelude::*;
use serde::Serialize;

use super::changes::{ChangedFile, ChangedFunction, FunctionStatus};
use super::{family, parse_functions};
use crate::check::{collect_files, CheckOptions};

/// One place that refers to a changed function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The referring file, relative to the workspace root.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The function the reference sits in, when it sits in one.
    pub function: Option<String>,
    /// The source line, trimmed.
    pub text: String,
}

/// A changed function and who refers to it.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactedFunction {
    /// The file it is in, relative to the workspace root.
    pub path: String,
    /// The function and how it changed.
    #[serde(flatten)]
    pub function: ChangedFunction,
    /// References from elsewhere (its own body excluded), sorted by path and line.
    pub references: Vec<Reference>,
}

impl ImpactedFunction {
    /// Distinct referring functions (top-level references count once per file).
    pub fn callers(&self) -> usize {
        self.references.iter().map(|r| (&r.path, &r.function)).collect::<BTreeSet<_>>().len()
    }
}

/// The impact of a change.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Impact {
    /// Changed functions, in file order.
    pub functions: Vec<ImpactedFunction>,
    /// Changed files none of whose functions Aura can name (text, binary, unknown languages).
    pub other_files: Vec<String>,
    /// Source files searched.
    pub files_searched: usize,
    /// Files that mentioned a changed name and were parsed.
    pub files_parsed: usize,
}

/// Who refers to the functions `changes` touch, searching the source files
/// under `root` (`.gitignore` respected).
pub fn impact(root: &Path, changes: &[ChangedFile], options: &CheckOptions) -> Impact {
    let mut impact = Impact::default();
    // name → (families that define it as changed, indices into impact.functions)
    let mut wanted: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    for file in changes {
        if file.functions.is_empty() {
            impact.other_files.push(file.change.path.clone());
            continue;
        }
        for f in &file.functions {
            let index = impact.functions.len();
            impact.functions.push(ImpactedFunction {
                path: file.change.path.clone(),
                function: f.clone(),
                references: Vec::new(),
            });
            if f.name.starts_with('<') || f.name.chars().count() < 2 {
                continue;
            }
            let fam = file.language.map(|l| family(l).to_owned()).unwrap_or_default();
            wanted.entry(f.name.clone()).or_default().push((fam, index));
        }
    }
    if wanted.is_empty() {
        return impact;
    }
    let mut names: Vec<&str> = wanted.keys().map(String::as_str).collect();
    names.sort_unstable();
    let alternation = names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|");
    let Ok(pattern) = regex::bytes::Regex::new(&format!(r"\b(?:{alternation})\b")) else { return impact };

    let files = collect_files(&[root.to_path_buf()], options).unwrap_or_default();
    let files: Vec<PathBuf> = files
        .into_iter()
        .map(|(path, _)| path)
        .filter(|p| aura_syntax::registry().for_path(p, None).is_some())
        .collect();
    impact.files_searched = files.len();
    let found: Vec<(usize, Vec<Hit>)> = files
        .par_iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            if meta.len() > options.max_file_size {
                return None;
            }
            let bytes = std::fs::read(path).ok()?;
            if !pattern.is_match(&bytes) {
                return None;
            }
            let relative = relative(root, path);
            Some((1, references_in(&relative, &bytes, &pattern)))
        })
        .collect();
    for (parsed, refs) in found {
        impact.files_parsed += parsed;
        for (name, family_id, reference) in refs {
            for (fam, index) in wanted.get(&name).into_iter().flatten() {
                let target = &impact.functions[*index];
                if *fam != family_id || is_inside(&reference, target) {
                    continue;
                }
                impact.functions[*index].references.push(reference.clone());
            }
        }
    }
    for f in &mut impact.functions {
        f.references.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        f.references.dedup();
    }
    impact
}

/// A reference inside the changed function itself (recursion) is not impact.
fn is_inside(reference: &Reference, target: &ImpactedFunction) -> bool {
    target.function.status != FunctionStatus::Deleted
        && reference.path == target.path
        && (target.function.start_line..=target.function.end_line).contains(&reference.line)
}

fn relative(root: &Path, path: &Path) -> String {
    aura_git::path_string(path.strip_prefix(root).unwrap_or(path))
}

/// A matching identifier: (name, language family, where).
type Hit = (String, String, Reference);

/// Every identifier in the file matching `pattern` that is not a function's
/// own name: (name, language family, where).
fn references_in(
    path: &str,
    bytes: &[u8],
    pattern: &regex::bytes::Regex,
) -> Vec<(String, String, Reference)> {
    let Some(parsed) = parse_functions(path, bytes) else { return Vec::new() };
    let definitions: BTreeSet<usize> = parsed.metrics.functions.iter().map(|f| f.name_range.start).collect();
    let fam = family(parsed.language).to_owned();
    let mut out = Vec::new();
    for m in pattern.find_iter(bytes) {
        if definitions.contains(&m.start()) {
            continue;
        }
        let Some(node) = parsed.tree.root_node().descendant_for_byte_range(m.start(), m.end()) else {
            continue;
        };
        if node.start_byte() != m.start() || node.end_byte() != m.end() || !is_identifier(node) {
            continue;
        }
        let name = String::from_utf8_lossy(m.as_bytes()).into_owned();
        let line = parsed.text.byte_to_line(m.start());
        let line_start = parsed.text.line_to_byte(line);
        let column = parsed.text.byte_slice(line_start..m.start()).chars().count() as u32 + 1;
        let function = parsed
            .metrics
            .functions
            .iter()
            .filter(|f| f.range.contains(&m.start()))
            .min_by_key(|f| f.range.len())
            .map(|f| f.name.clone());
        let text = parsed.text.line(line).to_string().trim().chars().take(160).collect();
        out.push((
            name,
            fam.clone(),
            Reference { path: path.to_owned(), line: line as u32 + 1, column, function, text },
        ));
    }
    out
}

/// Leaves that name things across the 13 grammars: `identifier`,
/// `field_identifier`, `property_identifier`, PHP's `name`, Ruby's
/// `constant`, a shell command's `word`.
fn is_identifier(node: Node<'_>) -> bool {
    let kind = node.kind();
    kind.ends_with("identifier")
        || kind == "name"
        || kind == "constant"
        || (kind == "word" && node.parent().is_some_and(|p| p.kind() == "command_name"))
}
