//! The one place that maps a grammar name in `languages.toml` to its
//! tree-sitter grammar crate. Grammars are compiled in, so this is code, not data.

/// The compiled grammar called `name`, or `None` when no grammar crate provides it.
pub(crate) fn grammar(name: &str) -> Option<tree_sitter::Language> {
    let language_fn = match name {
        "bash" => tree_sitter_bash::LANGUAGE,
        "c" => tree_sitter_c::LANGUAGE,
        "c_sharp" => tree_sitter_c_sharp::LANGUAGE,
        "cpp" => tree_sitter_cpp::LANGUAGE,
        "go" => tree_sitter_go::LANGUAGE,
        "java" => tree_sitter_java::LANGUAGE,
        "javascript" => tree_sitter_javascript::LANGUAGE,
        "php" => tree_sitter_php::LANGUAGE_PHP,
        "python" => tree_sitter_python::LANGUAGE,
        "ruby" => tree_sitter_ruby::LANGUAGE,
        "rust" => tree_sitter_rust::LANGUAGE,
        "tsx" => tree_sitter_typescript::LANGUAGE_TSX,
        "typescript" => tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
        _ => return None,
    };
    Some(language_fn.into())
}

/// The symbol query source for a language id, embedded at build time.
pub(crate) fn symbols_query(id: &str) -> Option<&'static str> {
    Some(match id {
        "bash" => include_str!("../queries/bash/symbols.scm"),
        "c" => include_str!("../queries/c/symbols.scm"),
        "cpp" => include_str!("../queries/cpp/symbols.scm"),
        "csharp" => include_str!("../queries/csharp/symbols.scm"),
        "go" => include_str!("../queries/go/symbols.scm"),
        "java" => include_str!("../queries/java/symbols.scm"),
        "javascript" => include_str!("../queries/javascript/symbols.scm"),
        "php" => include_str!("../queries/php/symbols.scm"),
        "python" => include_str!("../queries/python/symbols.scm"),
        "ruby" => include_str!("../queries/ruby/symbols.scm"),
        "rust" => include_str!("../queries/rust/symbols.scm"),
        // TSX is TypeScript plus JSX; its definitions are TypeScript's.
        "tsx" | "typescript" => include_str!("../queries/typescript/symbols.scm"),
        _ => return None,
    })
}
