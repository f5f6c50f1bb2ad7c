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

    /// The language of a file whose text is at hand: an Emacs mode line
    /// (`-*- shell-script -*-`) or Vim modeline (`vim: ft=sh`) first, because
    /// it is the author's own word (bash-completion names files after the
    /// command they complete, `foo.py` included); then [`Registry::for_path`];
    /// then a `.h` header written in C++ is read as C++, not C.
    pub fn for_text(&'static self, path: &Path, text: &str) -> Option<&'static Language> {
        let mut end = text.len().min(4096);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let head = &text[..end];
        if let Some(l) = self.for_modeline(head) {
            return Some(l);
        }
        let language = self.for_path(path, head.lines().next())?;
        if language.id == "c" && path.extension().is_some_and(|e| e == "h") && looks_like_cpp(text) {
            return self.by_id("cpp");
        }
        Some(language)
    }

    /// The language a mode line in the first two lines, or a Vim modeline in
    /// the first five, names (only languages Aura knows).
    fn for_modeline(&'static self, head: &str) -> Option<&'static Language> {
        let named = |mode: &str| -> Option<&'static Language> {
            let id = match mode.trim().to_ascii_lowercase().as_str() {
                "sh" | "shell-script" | "bash" | "ksh" | "zsh" => "bash",
                "python" => "python",
                "c" => "c",
                "c++" | "cpp" => "cpp",
                "ruby" => "ruby",
                "php" => "php",
                "js" | "javascript" => "javascript",
                "go" => "go",
                "java" => "java",
                "rust" => "rust",
                _ => return None,
            };
            self.by_id(id)
        };
        for line in head.lines().take(2) {
            let Some(start) = line.find("-*-") else { continue };
            let Some(len) = line[start + 3..].find("-*-") else { continue };
            let inner = &line[start + 3..start + 3 + len];
            let mode = inner
                .split(';')
                .find_map(|kv| match kv.split_once(':') {
                    Some((k, v)) => k.trim().eq_ignore_ascii_case("mode").then_some(v),
                    None => Some(kv),
                })
                .unwrap_or("");
            if let Some(l) = named(mode) {
                return Some(l);
            }
        }
        for line in head.lines().take(5) {
            let Some(at) = line.find("vim:").or_else(|| line.find("vi:")) else { continue };
            for word in line[at..].split([' ', ':', '\t']) {
                if let Some(mode) = word.strip_prefix("ft=").or_else(|| word.strip_prefix("filetype=")) {
                    if let Some(l) = named(mode) {
                        return Some(l);
                    }
                }
            }
        }
        None
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

/// Whether a `.h` header is C++: a line that only C++ can start (a
/// namespace, template, access specifier, `using namespace`, a class with a
/// body) or an include of a standard C++ header (`<vector>`, no `.h`).
fn looks_like_cpp(text: &str) -> bool {
    text.lines().take(2000).any(|line| {
        let l = line.trim_start();
        let word = |w: &str| l.strip_prefix(w).is_some_and(|rest| rest.starts_with([' ', '\t', '<', ':']));
        word("namespace") && l.contains('{')
            || word("template")
            || l.starts_with("using namespace ")
            || ["public:", "private:", "protected:"].iter().any(|s| l.starts_with(s))
            || word("class") && !l.ends_with(';')
            || l.strip_prefix("#include")
                .map(str::trim)
                .and_then(|r| r.strip_prefix('<'))
                .and_then(|r| r.strip_suffix('>'))
                .is_some_and(|h| !h.contains('.') && !h.contains('/'))
            || l.starts_with("extern \"C++\"")
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn text_names_the_language_before_the_extension() {
        let r = registry();
        let id = |p: &str, text: &str| r.for_text(Path::new(p), text).map(|l| l.id.as_str());
        assert_eq!(
            id("completions/foo.py", "# foo(1) completion   -*- shell-script -*-\n_foo() { :; }\n"),
            Some("bash")
        );
        assert_eq!(id("x.h", "// -*- C++ -*-\nint f();\n"), Some("cpp"));
        assert_eq!(id("x.txt", "# vim: set ft=python :\nx = 1\n"), Some("python"));
        assert_eq!(id("gmock.h", "#include <vector>\nint f();\n"), Some("cpp"));
        assert_eq!(id("gtest.h", "namespace testing {\n}\n"), Some("cpp"));
        assert_eq!(id("git2.h", "#include <stdio.h>\n/* a class of errors */\nstruct s;\n"), Some("c"));
        assert_eq!(id("x.py", "# -*- coding: utf-8 -*-\nx = 1\n"), Some("python"));
        assert_eq!(id("x.c", "int main(void) { return 0; }\n"), Some("c"));
        // The look-ahead stops inside a multi-byte character without panicking.
        let long = format!("<?php\n/*{}*/\n", "═".repeat(2000));
        assert_eq!(id("x.php", &long), Some("php"));
    }
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
