//! Hierarchical document symbols from each language's `symbols.scm` query.

use std::ops::Range;

use ropey::Rope;
use tree_sitter::{Node, QueryCursor, StreamingIterator, TextProvider, Tree};

use crate::Language;

/// What a symbol is. Mapped to the protocol's kinds by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A module or package.
    Module,
    /// A namespace.
    Namespace,
    /// A class.
    Class,
    /// A struct, record or union.
    Struct,
    /// An enumeration.
    Enum,
    /// An interface.
    Interface,
    /// A trait.
    Trait,
    /// An `impl` block.
    Impl,
    /// A free function.
    Function,
    /// A function that belongs to a type.
    Method,
    /// A constructor.
    Constructor,
    /// A property.
    Property,
    /// A constant or static.
    Constant,
    /// A macro.
    Macro,
    /// A type alias or other type definition.
    Type,
}

impl SymbolKind {
    fn from_capture(name: &str) -> Option<SymbolKind> {
        Some(match name.strip_prefix("symbol.")? {
            "module" => SymbolKind::Module,
            "namespace" => SymbolKind::Namespace,
            "class" => SymbolKind::Class,
            "struct" => SymbolKind::Struct,
            "enum" => SymbolKind::Enum,
            "interface" => SymbolKind::Interface,
            "trait" => SymbolKind::Trait,
            "impl" => SymbolKind::Impl,
            "function" => SymbolKind::Function,
            "method" => SymbolKind::Method,
            "constructor" => SymbolKind::Constructor,
            "property" => SymbolKind::Property,
            "constant" => SymbolKind::Constant,
            "macro" => SymbolKind::Macro,
            "type" => SymbolKind::Type,
            _ => return None,
        })
    }

    /// Whether functions defined inside this symbol are methods.
    fn holds_methods(self) -> bool {
        matches!(
            self,
            SymbolKind::Class
                | SymbolKind::Struct
                | SymbolKind::Enum
                | SymbolKind::Interface
                | SymbolKind::Trait
                | SymbolKind::Impl
        )
    }

    /// Lower-case name, as used in query captures and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            SymbolKind::Module => "module",
            SymbolKind::Namespace => "namespace",
            SymbolKind::Class => "class",
            SymbolKind::Struct => "struct",
            SymbolKind::Enum => "enum",
            SymbolKind::Interface => "interface",
            SymbolKind::Trait => "trait",
            SymbolKind::Impl => "impl",
            SymbolKind::Function => "function",
            SymbolKind::Method => "method",
            SymbolKind::Constructor => "constructor",
            SymbolKind::Property => "property",
            SymbolKind::Constant => "constant",
            SymbolKind::Macro => "macro",
            SymbolKind::Type => "type",
        }
    }
}

/// A named definition with its children, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// The symbol's name as written.
    pub name: String,
    /// What kind of definition it is.
    pub kind: SymbolKind,
    /// The whole definition.
    pub range: Range<usize>,
    /// The name (or the header, for unnamed definitions such as `impl` blocks).
    pub selection_range: Range<usize>,
    /// Definitions nested inside this one.
    pub children: Vec<Symbol>,
}

/// Reads node text out of a rope for query predicates.
pub struct RopeText<'a>(pub &'a Rope);

impl<'a> TextProvider<&'a [u8]> for RopeText<'a> {
    type I = std::iter::Map<ropey::iter::Chunks<'a>, fn(&'a str) -> &'a [u8]>;

    fn text(&mut self, node: Node) -> Self::I {
        let range = node.byte_range();
        let end = range.end.min(self.0.len_bytes());
        let start = range.start.min(end);
        self.0.byte_slice(start..end).chunks().map(str::as_bytes as fn(&'a str) -> &'a [u8])
    }
}

/// The symbol tree of a parsed document.
pub fn document_symbols(language: &Language, tree: &Tree, text: &Rope) -> Vec<Symbol> {
    let query = language.symbols_query();
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), RopeText(text));
    // (pattern index, symbol) so the earliest pattern wins for the same node.
    let mut flat: Vec<(usize, Symbol)> = Vec::new();
    while let Some(m) = matches.next() {
        let mut definition = None;
        let mut name_node = None;
        for capture in m.captures() {
            let capture_name = names[capture.index as usize];
            if capture_name == "name" {
                name_node = Some(capture.node);
            } else if let Some(kind) = SymbolKind::from_capture(capture_name) {
                definition = Some((kind, capture.node));
            }
        }
        let Some((kind, node)) = definition else { continue };
        let (name, selection_range) = match name_node {
            Some(n) => (node_text(text, n.byte_range()), n.byte_range()),
            None => header(text, node.byte_range()),
        };
        if name.is_empty() {
            continue;
        }
        flat.push((
            m.pattern_index,
            Symbol { name, kind, range: node.byte_range(), selection_range, children: Vec::new() },
        ));
    }
    // Outer definitions first; for the same node, the earliest pattern.
    flat.sort_by(|(pa, a), (pb, b)| {
        a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)).then(pa.cmp(pb))
    });
    flat.dedup_by(|(_, later), (_, earlier)| later.range == earlier.range);
    nest(flat.into_iter().map(|(_, s)| s).collect())
}

/// The deepest symbol nesting kept; no editor shows an outline deeper.
const MAX_DEPTH: usize = 64;

/// Builds the hierarchy from symbols sorted by start, outermost first.
fn nest(flat: Vec<Symbol>) -> Vec<Symbol> {
    let mut roots: Vec<Symbol> = Vec::new();
    let mut stack: Vec<Symbol> = Vec::new();
    for mut symbol in flat {
        while let Some(top) = stack.last() {
            if symbol.range.start >= top.range.start && symbol.range.end <= top.range.end {
                break;
            }
            let done = stack.pop().into_iter().next();
            attach(&mut stack, &mut roots, done);
        }
        if symbol.kind == SymbolKind::Function
            && stack.last().is_some_and(|parent| parent.kind.holds_methods())
        {
            symbol.kind = SymbolKind::Method;
        }
        if stack.len() >= MAX_DEPTH {
            // Deeper symbols become leaves here: every consumer of the tree
            // (protocol conversion, JSON, drop) recurses once per level.
            if let Some(top) = stack.last_mut() {
                top.children.push(symbol);
            }
            continue;
        }
        stack.push(symbol);
    }
    while let Some(done) = stack.pop() {
        attach(&mut stack, &mut roots, Some(done));
    }
    roots
}

fn attach(stack: &mut [Symbol], roots: &mut Vec<Symbol>, done: Option<Symbol>) {
    let Some(done) = done else { return };
    match stack.last_mut() {
        Some(parent) => parent.children.push(done),
        None => roots.push(done),
    }
}

fn node_text(text: &Rope, range: Range<usize>) -> String {
    let end = range.end.min(text.len_bytes());
    let start = range.start.min(end);
    text.byte_slice(start..end).to_string()
}

/// An unnamed definition is named by its first line up to `{`, whitespace collapsed.
fn header(text: &Rope, range: Range<usize>) -> (String, Range<usize>) {
    const MAX: usize = 80;
    let mut end = range.start;
    for (i, c) in text.byte_slice(range.clone()).chars().enumerate() {
        if c == '{' || c == '\n' || i >= MAX {
            break;
        }
        end += c.len_utf8();
    }
    let raw = node_text(text, range.start..end);
    (raw.split_whitespace().collect::<Vec<_>>().join(" "), range.start..end)
}
