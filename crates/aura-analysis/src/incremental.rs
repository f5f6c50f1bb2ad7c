//! Incremental analysis for the editor. A file is cut into chunks: the
//! children of its root and, inside large declaration containers (classes,
//! impls, namespaces, modules), the containers' children. Each chunk's
//! function metrics, node-rule diagnostics and clone tokens are remembered
//! between analyses under a key made of its text (with the lines just above
//! it) and everything around it that the walk and the rules read: the kinds
//! of the containers it sits in, the walk's state there, and the file's
//! [`Facts`]. After an edit only the chunks whose key changed are walked and
//! checked again; the others are reused, moved to their new offsets.
//!
//! What depends on the whole file runs every time and is cheap: syntax
//! errors, the rules reading the containers themselves, the complexity rules
//! over the merged metrics, and suppression comments. The result equals
//! [`crate::analyze_and_tokenize`]'s, which the tests hold on every fixture
//! under random edits.

use std::collections::HashMap;
use std::num::NonZeroU16;
use std::ops::Range;
use std::sync::Arc;

use aura_syntax::tree_sitter::{Node, Tree};

use crate::clones::Token;
use crate::metrics::{
    file_lines, finish_function, index_node, ChunkOut, ChunkWalker, FileMetrics, FunctionMetrics,
};
use crate::rules::{self, Facts};
use crate::{syntax_error, Diagnostic, RuleSettings, SourceFile};

/// Lines above a chunk that belong to its key: a rule may read them (a
/// `// SAFETY:` comment over an `unsafe` block at the chunk's start).
const CONTEXT_LINES: usize = 3;

/// Chunks smaller than this (in bytes) are walked every time: remembering
/// them costs more than walking them.
const MIN_CACHED: usize = 64;

/// Containers smaller than this (in bytes) are one chunk.
const MIN_CONTAINER: usize = 1024;

/// Node kinds whose children may be chunks of their own: declarations that
/// hold other declarations, and their bodies.
const CONTAINERS: &[&str] = &[
    "class_definition",
    "class_declaration",
    "class",
    "class_body",
    "class_specifier",
    "struct_specifier",
    "declaration_list",
    "field_declaration_list",
    "interface_declaration",
    "interface_body",
    "enum_declaration",
    "enum_body",
    "record_declaration",
    "struct_declaration",
    "trait_declaration",
    "module",
    "namespace_definition",
    "namespace_declaration",
    "file_scoped_namespace_declaration",
    "impl_item",
    "mod_item",
    "trait_item",
    "decorated_definition",
    "export_statement",
];

/// A chunk's results with the syntax subtree it was last seen as
/// ([`subtree_identity`]; equal when the parser reused that very subtree,
/// and then its tree needs no checking).
type Remembered = (Option<usize>, Arc<Chunk>);

/// One chunk's results, with the offsets it was computed at.
struct Chunk {
    /// The shape of its syntax tree: the same text can parse differently
    /// (error recovery elsewhere in the file turned `<A>(x) => y` into a type
    /// assertion in the rxjs sources), and a chunk is reused only when its
    /// tree is the same.
    shape: u64,
    /// Computed in a tree without syntax errors, where the same text in the
    /// same place parses the same way: reused without a shape check while
    /// the file stays free of errors.
    certain: bool,
    start_byte: usize,
    start_row: usize,
    diagnostics: Vec<Diagnostic>,
    functions: Vec<FunctionMetrics>,
    flags: Vec<u8>,
    tokens: Vec<Token>,
}

/// What one document's last analysis left for the next: its chunks by key.
/// Keep one per open document; a cache used with other settings, another
/// language or without tokens starts over by itself.
pub struct AnalysisCache {
    settings: Option<(RuleSettings, &'static str, bool)>,
    /// The tree the chunks came from, kept alive so that no node of a later
    /// tree can have the id of one of them without being that same subtree.
    tree: Option<Tree>,
    /// `MIN_CACHED` and `MIN_CONTAINER`; the tests cut finer.
    limits: (usize, usize),
    chunks: HashMap<u64, Remembered>,
    /// Chunks the last analysis reused, and chunks it walked that it could
    /// have reused had they not changed (for tests and tracing).
    last: (usize, usize),
}

impl std::fmt::Debug for AnalysisCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalysisCache").field("chunks", &self.chunks.len()).field("last", &self.last).finish()
    }
}

impl Default for AnalysisCache {
    fn default() -> Self {
        AnalysisCache {
            settings: None,
            tree: None,
            limits: (MIN_CACHED, MIN_CONTAINER),
            chunks: HashMap::new(),
            last: (0, 0),
        }
    }
}

impl AnalysisCache {
    /// A cache with nothing in it.
    pub fn new() -> AnalysisCache {
        AnalysisCache::default()
    }

    /// How many chunks the last analysis reused, and how many it walked that
    /// are large and whole enough to be reused next time.
    pub fn last_run(&self) -> (usize, usize) {
        self.last
    }
}

/// A chunk as this analysis has it: reused (moved by a byte and row delta)
/// or freshly walked.
enum Piece {
    Reused {
        chunk: Arc<Chunk>,
        bytes: isize,
        rows: isize,
    },
    Fresh {
        out: ChunkOut,
        id: Option<usize>,
        node: Range<usize>,
        context: usize,
        row: usize,
        key: Option<u64>,
        found: Vec<Diagnostic>,
    },
}

/// As [`crate::analyze_and_tokenize`], reusing what `cache` kept of the
/// chunks this edit did not touch, and leaving this analysis's chunks in it.
pub fn analyze_incremental(
    file: SourceFile<'_>,
    settings: &RuleSettings,
    tokens: bool,
    cache: &mut AnalysisCache,
) -> (Vec<Diagnostic>, Option<Vec<Token>>) {
    if crate::too_deep(file.tree) {
        cache.chunks.clear();
        return crate::analyze_and_tokenize(file, settings, tokens);
    }
    let source = file.text.to_string();
    let Some(walker) = ChunkWalker::new(file, &source, tokens) else {
        return crate::analyze_and_tokenize(file, settings, tokens);
    };
    let lang: &'static str = &file.language.id;
    if cache.settings.as_ref().is_none_or(|(s, l, t)| s != settings || *l != lang || *t != tokens) {
        cache.chunks.clear();
        cache.settings = Some((settings.clone(), lang, tokens));
    }
    let facts = if Facts::matter_in(lang) { Facts::of(lang, &source) } else { Facts::default() };
    let mut run = Run {
        file,
        source: source.as_bytes(),
        walker,
        old: std::mem::take(&mut cache.chunks),
        new: HashMap::new(),
        pieces: Vec::new(),
        containers: Vec::new(),
        ancestors: Vec::new(),
        limits: cache.limits,
        errors: file.tree.root_node().has_error(),
        seed: hash_words(0, &[u64::from(facts.bits())]),
    };
    run.container(file.tree.root_node(), None);

    let Run { walker, mut pieces, containers, mut new, errors, .. } = run;
    let node_count = file.language.ts_language().node_kind_count();
    let found = rules::check_nodes(file, walker.into_index(), facts, &source, settings);
    let stray = attribute(&mut pieces, found);
    let mut by_kind = vec![Vec::new(); node_count];
    for node in containers {
        index_node(&mut by_kind, node);
    }
    let mut out = syntax_error::check_in(&file.language.id, file.tree, file.text);
    out.extend(rules::check_nodes(file, by_kind, facts, &source, settings));
    let remember = stray.is_empty();
    out.extend(stray);

    let mut flags = vec![0u8; file.text.len_lines()];
    let mut functions = Vec::new();
    let mut all_tokens = Vec::new();
    let (mut reused, mut walked) = (0, 0);
    for piece in pieces {
        let (chunk, bytes, rows) = match piece {
            Piece::Reused { chunk, bytes, rows } => {
                reused += 1;
                (chunk, bytes, rows)
            }
            Piece::Fresh { out: walk, id, node, context, row, key, found } => {
                walked += usize::from(key.is_some());
                let chunk = Arc::new(Chunk {
                    shape: walk.shape,
                    certain: !errors,
                    start_byte: node.start,
                    start_row: row,
                    diagnostics: found,
                    functions: walk.functions,
                    flags: walk.flags,
                    tokens: walk.tokens,
                });
                // Only what lies inside the key's text moves with it.
                let local = chunk.diagnostics.iter().all(|d| within(d, context..node.end));
                if let (Some(key), true, true) = (key, local, remember) {
                    new.insert(key, (id, chunk.clone()));
                }
                (chunk, 0, 0)
            }
        };
        let row = shift(chunk.start_row, rows);
        for (i, f) in chunk.flags.iter().enumerate() {
            if let Some(slot) = flags.get_mut(row + i) {
                *slot |= f;
            }
        }
        out.extend(chunk.diagnostics.iter().map(|d| moved(d, bytes)));
        functions.extend(chunk.functions.iter().map(|f| {
            let mut f = f.clone();
            f.start_line = shift(f.start_line as usize, rows) as u32;
            f.end_line = shift(f.end_line as usize, rows) as u32;
            f.range = shift(f.range.start, bytes)..shift(f.range.end, bytes);
            f.name_range = shift(f.name_range.start, bytes)..shift(f.name_range.end, bytes);
            f
        }));
        if tokens {
            all_tokens.extend(chunk.tokens.iter().map(|t| Token {
                line: shift(t.line as usize, rows) as u32,
                end_line: shift(t.end_line as usize, rows) as u32,
                start: shift(t.start as usize, bytes) as u32,
                end: shift(t.end as usize, bytes) as u32,
                ..*t
            }));
        }
    }
    for f in &mut functions {
        finish_function(f, &flags);
    }
    let metrics = FileMetrics { lines: file_lines(&flags, file.text), functions };
    out.extend(rules::check_metrics(file, &metrics, settings));
    rules::drop_suppressed(file.language, file.text, &mut out);
    crate::sort_by_position(&mut out);
    cache.chunks = new;
    cache.tree = Some(file.tree.clone());
    cache.last = (reused, walked);
    (out, tokens.then_some(all_tokens))
}

/// Hand each node-rule diagnostic to the fresh chunk it lies in; returns
/// those that lie in none (a rule reached outside its node), which are
/// reported but make this analysis remember nothing.
fn attribute(pieces: &mut [Piece], found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let fresh: Vec<(Range<usize>, usize)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Piece::Fresh { node, .. } => Some((node.clone(), i)),
            Piece::Reused { .. } => None,
        })
        .collect();
    let mut stray = Vec::new();
    for d in found {
        let at = fresh.partition_point(|(node, _)| node.end <= d.range.start);
        match fresh.get(at).filter(|(node, _)| node.start <= d.range.start) {
            Some((_, i)) => {
                if let Piece::Fresh { found, .. } = &mut pieces[*i] {
                    found.push(d);
                }
            }
            None => stray.push(d),
        }
    }
    stray
}

/// Whether everything `d` points at lies in `bytes`, and it points at no other file.
fn within(d: &Diagnostic, bytes: Range<usize>) -> bool {
    let inside = |r: &Range<usize>| bytes.start <= r.start && r.end <= bytes.end;
    inside(&d.range) && d.fixes.iter().all(|f| f.edits.iter().all(|(r, _)| inside(r))) && d.related.is_empty()
}

fn shift(at: usize, by: isize) -> usize {
    at.saturating_add_signed(by)
}

fn moved(d: &Diagnostic, bytes: isize) -> Diagnostic {
    let mut d = d.clone();
    if bytes != 0 {
        d.range = shift(d.range.start, bytes)..shift(d.range.end, bytes);
        for fix in &mut d.fixes {
            for (r, _) in &mut fix.edits {
                *r = shift(r.start, bytes)..shift(r.end, bytes);
            }
        }
    }
    d
}

struct Run<'a, 't> {
    file: SourceFile<'a>,
    source: &'a [u8],
    walker: ChunkWalker<'a, 't>,
    old: HashMap<u64, Remembered>,
    new: HashMap<u64, Remembered>,
    pieces: Vec<Piece>,
    /// Containers entered, for the rules that read them (always re-checked).
    containers: Vec<Node<'t>>,
    /// Kind ids of the containers around the current chunk.
    ancestors: Vec<u64>,
    /// Smallest chunk remembered, smallest container split.
    limits: (usize, usize),
    /// Whether the tree has syntax errors.
    errors: bool,
    seed: u64,
}

impl<'t> Run<'_, 't> {
    fn container(&mut self, node: Node<'t>, field: Option<NonZeroU16>) {
        self.walker.enter(node, field);
        self.containers.push(node);
        self.ancestors.push(u64::from(node.kind_id()));
        let mut cursor = node.walk();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                let field = cursor.field_id();
                if self.splits(child, node) {
                    self.container(child, field);
                } else {
                    self.chunk(child, field);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        self.ancestors.pop();
        self.walker.leave();
    }

    fn splits(&self, node: Node<'_>, parent: Node<'_>) -> bool {
        let kind = node.kind();
        let container = CONTAINERS.contains(&kind)
            // Python's class body; elsewhere a `block` is a function's or a statement's.
            || kind == "block" && parent.kind() == "class_definition";
        container
            && node.byte_range().len() >= self.limits.1
            && node.child_count() > 1
            && self.walker.can_contain(node)
    }

    fn chunk(&mut self, node: Node<'t>, field: Option<NonZeroU16>) {
        let text = self.file.text;
        let row = node.start_position().row;
        let range = node.byte_range();
        let context = text.line_to_byte(row.saturating_sub(CONTEXT_LINES).min(text.len_lines()));
        let identity = subtree_identity(node);
        let cacheable = range.len() >= self.limits.0 && !node.has_error() && range.end <= self.source.len();
        let key = cacheable.then(|| {
            let state = self.walker.state();
            let mut h = hash_words(
                self.seed,
                &[
                    u64::from(node.kind_id()),
                    field.map_or(0, |f| u64::from(f.get())),
                    node.descendant_count() as u64,
                    (range.start - context) as u64,
                    u64::from(state[0]) << 32 | u64::from(state[1]),
                    u64::from(state[2]) << 32 | u64::from(state[3]),
                    u64::from(state[4]),
                ],
            );
            h = hash_words(h, &self.ancestors);
            hash_bytes(h, &self.source[context..range.end])
        });
        let found = key.and_then(|k| self.old.get(&k).or_else(|| self.new.get(&k)));
        let same_tree = |(seen, c): &Remembered| {
            identity.is_some() && *seen == identity
                || c.certain && !self.errors
                || c.shape == self.walker.shape(node, field)
        };
        if let (Some(k), Some((_, chunk))) = (key, found.filter(|r| same_tree(r)).cloned()) {
            let bytes = range.start as isize - chunk.start_byte as isize;
            let rows = row as isize - chunk.start_row as isize;
            self.new.insert(k, (identity, chunk.clone()));
            self.pieces.push(Piece::Reused { chunk, bytes, rows });
            return;
        }
        let out = self.walker.walk(node, field);
        self.pieces.push(Piece::Fresh {
            out,
            id: identity,
            node: range,
            context,
            row,
            key,
            found: Vec::new(),
        });
    }
}

/// The address of `node`'s syntax subtree, for nodes with children.
///
/// [`Node::id`] is documented to stay the same when an incremental parse
/// reuses a node, but it is the address of the node's slot in its parent's
/// child array, and the parent of a chunk is rebuilt on every parse. The
/// subtree the slot points to is what the parser reuses, unchanged: it is
/// immutable once shared, and `AnalysisCache` keeps the tree it came from
/// alive, so its address cannot be handed to another subtree meanwhile.
/// Leaves are stored inline in the slot (its lowest bit set) and have no
/// identity; they are never chunks worth remembering.
fn subtree_identity(node: Node<'_>) -> Option<usize> {
    if node.child_count() == 0 {
        return None;
    }
    // SAFETY: tree-sitter's `ts_node_new` (0.27, `lib/src/node.c`) makes
    // `id` a `const Subtree *` into the live tree `node` borrows, and
    // `Subtree` is a pointer-sized union; reading it as a `usize` reads
    // initialised, aligned memory. A layout change would at worst stop
    // chunks from being reused (the reuse tests would fail), since the text
    // key is still checked.
    let slot = unsafe { std::ptr::read(node.id() as *const usize) };
    (slot & 1 == 0).then_some(slot)
}

const K: u64 = 0x517c_c1b7_2722_0a95;

fn hash_words(mut h: u64, words: &[u64]) -> u64 {
    for w in words {
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    h
}

/// A fast hash of `bytes` (FxHash's mixing, eight bytes at a time, and the
/// length): chunk keys are compared within one document, not across trust
/// boundaries.
fn hash_bytes(h: u64, bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    let mut h = h;
    for w in &mut words {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w.try_into().unwrap_or_default())).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash_words(h, &[u64::from_le_bytes(tail), bytes.len() as u64])
}

#[cfg(test)]
mod tests;
