//! The language registry: which languages Aura parses, how files are matched
//! to them, and their comment syntax. The data lives in `languages.toml`.

use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;
use tree_sitter::Query;

use crate::grammar;

/// One language Aura understands, as described in `languages.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// Stable identifier used in config and output (`python`, `tsx`, ...).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Grammar name resolved by `grammar.rs`.
    pub grammar: String,
    /// LSP `languageId` values that select this language.
    pub language_ids: Vec<String>,
    /// File extensions without the leading dot.
    pub extensions: Vec<String>,
    /// Exact file names.
    pub filenames: Vec<String>,
    /// Interpreters recognised on a `#!` line.
    pub shebangs: Vec<String>,
    /// Tokens starting a line comment.
    pub line_comment: Vec<String>,
    /// Block comment delimiters.
    pub block_comment: Vec<(String, String)>,
    #[serde(skip)]
    ts_language: OnceLock<tree_sitter::Language>,
    #[serde(skip)]
    symbols: OnceLock<Query>,
}

impl Language {
    /// The compiled tree-sitter grammar.
    pub fn ts_language(&self) -> &tree_sitter::Language {
        self.ts_language.get_or_init(|| {
            // Checked for every entry by `Registry::load`, so this cannot fail
            // for a registry built by this crate.
            grammar::grammar(&self.grammar).unwrap_or_else(|| unreachable_grammar(&self.grammar))
        })
    }

    /// The compiled symbol query (`queries/<id>/symbols.scm`).
    pub fn symbols_query(&self) -> &Query {
        self.symbols.get_or_init(|| {
            let source = grammar::symbols_query(&self.id).unwrap_or("");
            // The query files are part of the build and covered by tests, so a
            // broken one is a bug in Aura, found by `cargo test`.
            Query::new(self.ts_language(), source)
                .unwrap_or_else(|err| panic!("queries/{}/symbols.scm: {err}", self.id))
        })
    }
}

fn unreachable_grammar(name: &str) -> tree_sitter::Language {
    panic!("languages.toml names grammar `{name}` that grammar.rs does not provide")
}

impl PartialEq for Language {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Language {}

/// All languages, loaded once from the embedded `languages.toml`.
#[derive(Debug)]
pub struct Registry {
    languages: Vec<Language>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    language: Vec<Language>,
}

/// The process-wide registry.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Registry::load(include_str!("../languages.toml"))
            .unwrap_or_else(|err| panic!("languages.toml: {err}"))
    })
}

impl Registry {
    fn load(source: &str) -> Result<Registry, String> {
        let file: RegistryFile = toml::from_str(source).map_err(|err| err.to_string())?;
        for language in &file.language {
            if grammar::grammar(&language.grammar).is_none() {
                return Err(format!("{}: unknown grammar `{}`", language.id, language.grammar));
            }
        }
        Ok(Registry { languages: file.language })
    }

    /// Every registered language, in file order.
    pub fn iter(&'static self) -> impl Iterator<Item = &'static Language> {
        self.languages.iter()
    }

    /// The language with this stable id.
    pub fn by_id(&'static self, id: &str) -> Option<&'static Language> {
        self.iter().find(|l| l.id == id)
    }

    /// The language an editor means by this LSP `languageId`.
    pub fn by_language_id(&'static self, language_id: &str) -> Option<&'static Language> {
        self.iter().find(|l| l.language_ids.iter().any(|x| x == language_id))
    }

    /// The language of a file, from its name, its extension, then its shebang line.
    pub fn for_path(&'static self, path: &Path, first_line: Option<&str>) -> Option<&'static Language> {
        let file_name = path.file_name().and_then(|n| n.to_str());
        if let Some(name) = file_name {
            if let Some(l) = self.iter().find(|l| l.filenames.iter().any(|f| f == name)) {
                return Some(l);
            }
        }
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            if let Some(l) = self.iter().find(|l| l.extensions.iter().any(|e| e == ext)) {
                return Some(l);
            }
        }
        first_line.and_then(|line| self.for_shebang(line))
    }

    /// The language named by a `#!` line (`#!/usr/bin/env python3`, `#!/bin/sh -e`).
    pub fn for_shebang(&'static self, line: &str) -> Option<&'static Language> {
        let rest = line.strip_prefix("#!")?.trim();
        let mut words = rest.split_whitespace();
        let mut program = words.next()?.rsplit('/').next()?;
        if program == "env" {
            program = words.find(|w| !w.starts_with('-'))?;
        }
        // `python3.12` → `python3`, `python3` stays.
        let candidates = [program, program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')];
        self.iter().find(|l| candidates.iter().any(|c| l.shebangs.iter().any(|s| s == c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_the_thirteen_languages() {
        let ids: Vec<_> = registry().iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "python",
                "javascript",
                "typescript",
                "tsx",
                "rust",
                "go",
                "java",
                "c",
                "cpp",
                "csharp",
                "ruby",
                "php",
                "bash"
            ]
        );
    }

    #[test]
    fn every_language_has_a_grammar_and_a_symbol_query() {
        for language in registry().iter() {
            let _ = language.ts_language();
            assert!(grammar::symbols_query(&language.id).is_some(), "{}", language.id);
            let query = language.symbols_query();
            assert!(query.pattern_count() > 0, "{} has an empty symbol query", language.id);
        }
    }

    #[test]
    fn extensions_and_language_ids_are_unambiguous() {
        let mut seen = std::collections::HashMap::new();
        for language in registry().iter() {
            for key in language
                .extensions
                .iter()
                .map(|e| format!("ext:{e}"))
                .chain(language.language_ids.iter().map(|e| format!("id:{e}")))
            {
                if let Some(other) = seen.insert(key.clone(), &language.id) {
                    panic!("{key} claimed by both {other} and {}", language.id);
                }
            }
        }
    }

    #[test]
    fn detects_by_extension_name_and_shebang() {
        let r = registry();
        let id = |p: &str, first: Option<&str>| r.for_path(Path::new(p), first).map(|l| l.id.as_str());
        assert_eq!(id("a/b.py", None), Some("python"));
        assert_eq!(id("x.tsx", None), Some("tsx"));
        assert_eq!(id("x.ts", None), Some("typescript"));
        assert_eq!(id("x.hpp", None), Some("cpp"));
        assert_eq!(id("Gemfile", None), Some("ruby"));
        assert_eq!(id("script", Some("#!/usr/bin/env python3.12")), Some("python"));
        assert_eq!(id("script", Some("#!/bin/sh -e")), Some("bash"));
        assert_eq!(id("script", Some("#!/usr/bin/env -S node --flag")), Some("javascript"));
        assert_eq!(id("notes.txt", None), None);
        assert_eq!(id("script", Some("hello")), None);
        assert_eq!(r.by_language_id("typescriptreact").map(|l| l.id.as_str()), Some("tsx"));
        assert_eq!(r.by_language_id("shellscript").map(|l| l.id.as_str()), Some("bash"));
    }
}
