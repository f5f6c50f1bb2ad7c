//! Module registry activation: which languages, frameworks, libraries and
//! tools of the catalog a workspace uses, and why. Evidence comes from
//! manifests (a file, or a file naming a dependency), imports in source files
//! and file globs; dependencies are activated with the modules that need
//! them, and of two conflicting modules the one with less evidence is set
//! aside (and reported).
//!
//! The walk respects `.gitignore`, reads at most `MAX_FILES` files and only
//! the first `READ_LIMIT` bytes of each, so it stays fast on large trees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use aura_catalog::{Catalog, Module};
use globset::{Glob, GlobMatcher};
use serde::Serialize;

use crate::context::imports_in;

const MAX_FILES: usize = 20_000;
const MAX_SOURCE_FILES: usize = 2_000;
const READ_LIMIT: usize = 64 * 1024;
const SOURCE_EXTENSIONS: &[&str] =
    &["py", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "rs", "java", "kt", "cs", "rb", "php"];

#[derive(Debug, Clone, Serialize)]
pub struct ActiveModule {
    pub code: String,
    pub name: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Activation {
    pub active: Vec<ActiveModule>,
    /// Modules found but set aside because they conflict with a better-evidenced one.
    pub set_aside: Vec<ActiveModule>,
    pub files_seen: usize,
}

impl Activation {
    pub fn codes(&self) -> Vec<String> {
        self.active.iter().map(|m| m.code.clone()).collect()
    }
}

struct Matchers<'a> {
    module: &'a Module,
    manifests: Vec<(GlobMatcher, Option<String>)>,
    globs: Vec<GlobMatcher>,
}

fn glob(pattern: &str) -> Option<GlobMatcher> {
    Glob::new(pattern).ok().map(|g| g.compile_matcher())
}

/// Detect the active modules under `root`.
pub fn detect(root: &Path) -> Activation {
    let catalog = Catalog::builtin();
    let matchers: Vec<Matchers> = catalog
        .modules
        .iter()
        .map(|m| Matchers {
            module: m,
            manifests: m
                .detect
                .manifests
                .iter()
                .filter_map(|r| Some((glob(&r.file)?, r.dependency.clone())))
                .collect(),
            globs: m.detect.globs.iter().filter_map(|g| glob(g)).collect(),
        })
        .collect();
    let mut evidence: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut files_seen = 0;
    let mut sources = 0;
    let walker =
        ignore::WalkBuilder::new(root).hidden(false).filter_entry(|e| e.file_name() != ".git").build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        files_seen += 1;
        if files_seen > MAX_FILES {
            break;
        }
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut text: Option<String> = None;
        let mut read = || read_prefix(path);
        for m in &matchers {
            for g in &m.globs {
                if g.is_match(relative) {
                    evidence
                        .entry(&m.module.code)
                        .or_default()
                        .insert(format!("file {}", relative.display()));
                }
            }
            for (g, dependency) in &m.manifests {
                if !g.is_match(&name) {
                    continue;
                }
                match dependency {
                    None => {
                        evidence.entry(&m.module.code).or_default().insert(format!("{}", relative.display()));
                    }
                    Some(dep) => {
                        let body = text.get_or_insert_with(&mut read);
                        if manifest_names(&name, body, dep) {
                            evidence
                                .entry(&m.module.code)
                                .or_default()
                                .insert(format!("{} depends on {dep}", relative.display()));
                        }
                    }
                }
            }
        }
        let extension = path.extension().and_then(|e| e.to_str()).filter(|e| SOURCE_EXTENSIONS.contains(e));
        if let Some(extension) = extension.filter(|_| sources < MAX_SOURCE_FILES) {
            sources += 1;
            let body = text.get_or_insert_with(&mut read);
            for import in imports_in(extension, body) {
                for m in &matchers {
                    if m.module.detect.imports.iter().any(|i| imports_module(&import, i)) {
                        evidence
                            .entry(&m.module.code)
                            .or_default()
                            .insert(format!("{} imports {import}", relative.display()));
                    }
                }
            }
        }
    }
    resolve(catalog, evidence, files_seen.min(MAX_FILES))
}

/// Turn evidence into an activation: dependencies, then conflicts.
fn resolve(catalog: &Catalog, evidence: BTreeMap<&str, BTreeSet<String>>, files_seen: usize) -> Activation {
    let mut reasons: BTreeMap<String, Vec<String>> = evidence
        .into_iter()
        .map(|(code, why)| {
            let mut why: Vec<String> = why.into_iter().collect();
            let more = why.len().saturating_sub(3);
            why.truncate(3);
            if more > 0 {
                why.push(format!("and {more} more"));
            }
            (code.to_owned(), why)
        })
        .collect();
    let mut queue: Vec<String> = reasons.keys().cloned().collect();
    while let Some(code) = queue.pop() {
        let Some(module) = catalog.module(&code) else { continue };
        for dep in &module.depends {
            if !reasons.contains_key(dep) {
                reasons.insert(dep.clone(), vec![format!("required by {}", module.name)]);
                queue.push(dep.clone());
            }
        }
    }
    let mut set_aside = Vec::new();
    for module in &catalog.modules {
        for other in &module.conflicts {
            let (Some(a), Some(b)) = (reasons.get(&module.code), reasons.get(other)) else { continue };
            let loser = if a.len() >= b.len() { other.clone() } else { module.code.clone() };
            let winner = if loser == module.code { other.clone() } else { module.code.clone() };
            if let Some(mut why) = reasons.remove(&loser) {
                why.push(format!("set aside: conflicts with {winner}, which has more evidence"));
                set_aside.push(active(catalog, &loser, why));
            }
        }
    }
    let active = reasons.into_iter().map(|(code, why)| active(catalog, &code, why)).collect();
    Activation { active, set_aside, files_seen }
}

fn active(catalog: &Catalog, code: &str, reasons: Vec<String>) -> ActiveModule {
    let name = catalog.module(code).map_or_else(|| code.to_owned(), |m| m.name.clone());
    ActiveModule { code: code.to_owned(), name, reasons }
}

fn read_prefix(path: &Path) -> String {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(READ_LIMIT as u64).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// An import refers to a module's import name itself or something inside it.
fn imports_module(import: &str, name: &str) -> bool {
    import == name
        || import.strip_prefix(name).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('/'))
}

/// Whether the manifest `body` (file `name`) declares `dependency`.
fn manifest_names(name: &str, body: &str, dependency: &str) -> bool {
    if name == "package.json" || name == "composer.json" {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else { return false };
        return [
            "dependencies",
            "devDependencies",
            "peerDependencies",
            "optionalDependencies",
            "require",
            "require-dev",
        ]
        .iter()
        .filter_map(|section| json.get(section)?.as_object())
        .flat_map(|deps| deps.keys())
        .any(|k| k == dependency || k.starts_with(&format!("{dependency}/")));
    }
    // Other manifests: the name as a whole word, case-insensitively
    // (requirements lines, Cargo/pyproject tables, go.mod paths, XML, Gemfile).
    let hay = body.to_lowercase();
    let needle = dependency.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    hay.match_indices(&needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(word)
            && !after.is_some_and(|c| word(c) && c != '-' || c == '-' && !needle.ends_with('-'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn detects_from_manifests_imports_and_globs_with_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "requirements.txt", "Django==5.0\npsycopg2-binary\npytest>=8\n");
        write(root, "app/views.py", "from django.http import JsonResponse\nimport redis\n");
        write(
            root,
            "web/package.json",
            r#"{"dependencies": {"react": "^18"}, "devDependencies": {"jest": "29"}}"#,
        );
        write(root, "Dockerfile", "FROM python:3.12\n");
        write(root, ".github/workflows/ci.yml", "on: push\n");
        let a = detect(root);
        let codes = a.codes();
        for code in
            ["django", "python", "pytest", "redis", "react", "javascript", "jest", "docker", "github-actions"]
        {
            assert!(codes.contains(&code.to_owned()), "{code} missing from {codes:?}");
        }
        assert!(!codes.contains(&"flask".to_owned()));
        let django = a.active.iter().find(|m| m.code == "django").unwrap();
        assert!(
            django.reasons.iter().any(|r| r.contains("requirements.txt depends on django")),
            "{django:?}"
        );
        assert!(django.reasons.iter().any(|r| r.contains("imports django")), "{django:?}");
        let python = a.active.iter().find(|m| m.code == "python").unwrap();
        assert!(!python.reasons.is_empty());
    }

    #[test]
    fn conflicts_keep_the_better_evidenced_module() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "requirements.txt", "flask\ndjango\n");
        write(root, "a.py", "import django\n");
        write(root, "manage.py", "import django\n");
        let a = detect(root);
        assert!(a.codes().contains(&"django".to_owned()));
        assert!(!a.codes().contains(&"flask".to_owned()));
        assert_eq!(a.set_aside[0].code, "flask");
    }

    #[test]
    fn manifest_matching_respects_word_boundaries() {
        assert!(manifest_names("requirements.txt", "pandas==2.0\n", "pandas"));
        assert!(!manifest_names("requirements.txt", "geopandas==1\n", "pandas"));
        assert!(manifest_names(
            "go.mod",
            "require github.com/gin-gonic/gin v1.9.1\n",
            "github.com/gin-gonic/gin"
        ));
        assert!(manifest_names("package.json", r#"{"dependencies":{"@aws-sdk/client-s3":"3"}}"#, "@aws-sdk"));
        assert!(!manifest_names("package.json", "{not json", "react"));
    }
}
