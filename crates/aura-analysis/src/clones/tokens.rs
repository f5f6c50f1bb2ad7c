//! Files as token streams for clone detection: the leaves of the syntax tree
//! in order, comments left out, each hashed as written and normalised.

use std::borrow::Cow;
use std::sync::OnceLock;

use aura_syntax::{registry, tree_sitter, Language};

use crate::SourceFile;

/// One token. 20 bytes: the index keeps these for every workspace file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Hash of the kind and text.
    pub exact: u32,
    /// Hash with identifiers and literals replaced by placeholders.
    pub norm: u32,
    /// 0-based line where it starts.
    pub line: u32,
    /// 0-based line where it ends (strings span lines).
    pub end_line: u32,
    /// First byte.
    pub start: u32,
    /// Byte after the last.
    pub end: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Plain,
    Identifier,
    Literal,
    Comment,
}

const IDENTIFIER: u32 = 0x9e37_79b9;
const LITERAL: u32 = 0x85eb_ca6b;

/// Identifier and literal kinds by name, so one rule covers every grammar:
/// `identifier`, `field_identifier`, `type_identifier`, PHP's `name`, Ruby's
/// `constant` and instance variables; strings, numbers, characters and other
/// `*_literal` leaves.
fn class_of(name: &str, named: bool) -> Class {
    if name.contains("comment") {
        return Class::Comment;
    }
    if !named {
        return Class::Plain;
    }
    let identifier = name.ends_with("identifier")
        || name.ends_with("_variable")
        || matches!(name, "name" | "constant" | "variable_name" | "simple_identifier");
    let literal = ["string", "number", "integer", "float", "char", "literal", "escape_sequence", "heredoc"]
        .iter()
        .any(|part| name.contains(part));
    match (identifier, literal) {
        (true, _) => Class::Identifier,
        (_, true) => Class::Literal,
        _ => Class::Plain,
    }
}

fn classes(language: &'static Language) -> &'static [Class] {
    static CACHE: OnceLock<Vec<(String, Vec<Class>)>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        registry()
            .iter()
            .map(|lang| {
                let ts = lang.ts_language();
                let table = (0..ts.node_kind_count() as u16)
                    .map(|id| {
                        let name = ts.node_kind_for_id(id).unwrap_or("");
                        class_of(name, ts.node_kind_is_named(id))
                    })
                    .collect();
                (lang.id.clone(), table)
            })
            .collect()
    });
    cache.iter().find(|(id, _)| *id == language.id).map(|(_, t)| t.as_slice()).unwrap_or(&[])
}

fn fnv(seed: u32, bytes: impl Iterator<Item = u8>) -> u32 {
    let mut h = 0x811c_9dc5u32 ^ seed;
    for b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The tokens of `file`: every leaf except comments and zero-width (missing)
/// nodes, in source order. Parse errors keep their leaves, so a half-typed
/// line only perturbs its own tokens.
pub fn tokenize(file: SourceFile<'_>) -> Vec<Token> {
    let mut tokenizer = Tokenizer::new(file);
    let mut cursor = file.tree.walk();
    'walk: loop {
        let node = cursor.node();
        let descend = !tokenizer.visit(node) && node.child_count() > 0;
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    tokenizer.finish()
}

/// Builds the token list from nodes visited in preorder, by [`tokenize`]'s
/// own walk or by the metrics walk (`analyze_and_tokenize`), which then need
/// no walk of their own.
pub(crate) struct Tokenizer<'s> {
    table: &'static [Class],
    // One copy of the text beats a rope lookup per token.
    source: Cow<'s, str>,
    out: Vec<Token>,
    /// The end of the last comment seen: nothing before it is a token.
    skip_until: usize,
}

impl<'s> Tokenizer<'s> {
    pub(crate) fn new(file: SourceFile<'_>) -> Tokenizer<'static> {
        Tokenizer::over(file.language, Cow::Owned(file.text.to_string()))
    }

    /// A tokenizer reading `source`, the text of a file in `language`.
    pub(crate) fn over(language: &'static Language, source: Cow<'s, str>) -> Tokenizer<'s> {
        let out = Vec::with_capacity(source.len() / 4);
        Tokenizer { table: classes(language), source, out, skip_until: 0 }
    }

    /// The tokens so far, leaving the tokenizer empty for the next subtree.
    pub(crate) fn take(&mut self) -> Vec<Token> {
        // Kept per chunk between edits: no spare capacity (the first chunk
        // would otherwise keep the whole file's reservation).
        let mut out = std::mem::take(&mut self.out);
        out.shrink_to_fit();
        out
    }

    /// Take in the next node in preorder; returns whether it is a comment,
    /// whose subtree holds no tokens (the caller may skip it).
    pub(crate) fn visit(&mut self, node: tree_sitter::Node<'_>) -> bool {
        let class = self.table.get(node.kind_id() as usize).copied().unwrap_or(Class::Plain);
        let range = node.byte_range();
        if class == Class::Comment {
            self.skip_until = self.skip_until.max(range.end);
            return true;
        }
        let source = self.source.as_bytes();
        if node.child_count() == 0
            && !range.is_empty()
            && range.end <= source.len()
            && range.start >= self.skip_until
        {
            let kind = u32::from(node.kind_id());
            let exact = fnv(kind, source[range.clone()].iter().copied());
            let norm = match class {
                Class::Identifier => IDENTIFIER,
                Class::Literal => LITERAL,
                _ => exact,
            };
            self.out.push(Token {
                exact,
                norm,
                line: node.start_position().row as u32,
                end_line: node.end_position().row as u32,
                start: range.start as u32,
                end: range.end as u32,
            });
        }
        false
    }

    pub(crate) fn finish(mut self) -> Vec<Token> {
        // The index keeps these for every file of the workspace.
        self.out.shrink_to_fit();
        self.out
    }
}
