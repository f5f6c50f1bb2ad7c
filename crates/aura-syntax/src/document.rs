//! An open document: its text as a rope, its language and its syntax tree,
//! kept in step edit by edit with tree-sitter's incremental reparsing.

use std::ops::Range;

use ropey::Rope;
use tree_sitter::Tree;

use crate::parse::{input_edit, parse, point_at};
use crate::Language;

/// Why an edit could not be applied. The document is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The range reaches past the end of the text.
    #[error("edit range {start}..{end} is outside the document (length {len})")]
    OutOfBounds {
        /// Start byte of the rejected range.
        start: usize,
        /// End byte of the rejected range.
        end: usize,
        /// Document length in bytes.
        len: usize,
    },
    /// The range is reversed or splits a character.
    #[error("edit range {start}..{end} is not a valid character range")]
    InvalidRange {
        /// Start byte of the rejected range.
        start: usize,
        /// End byte of the rejected range.
        end: usize,
    },
}

/// A document's text, language and (possibly not yet reparsed) tree.
#[derive(Debug, Clone)]
pub struct Document {
    text: Rope,
    language: Option<&'static Language>,
    /// The last tree, edited to match `text`; reparsed lazily.
    tree: Option<Tree>,
    /// Whether `tree` already reflects `text` exactly.
    tree_fresh: bool,
    /// Counts changes, so a tree parsed from a snapshot can be put back safely.
    revision: u64,
}

/// A cheap, immutable copy of a document (rope clones share their nodes).
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The text at the time of the snapshot.
    pub text: Rope,
    /// The language, if Aura parses this document.
    pub language: Option<&'static Language>,
    /// The revision the snapshot was taken at.
    pub revision: u64,
    tree: Option<Tree>,
    tree_fresh: bool,
}

impl Document {
    /// A document with `text`; pass `None` as language for plain text.
    pub fn new(text: &str, language: Option<&'static Language>) -> Document {
        Document { text: Rope::from_str(text), language, tree: None, tree_fresh: false, revision: 0 }
    }

    /// The current text.
    pub fn text(&self) -> &Rope {
        &self.text
    }

    /// The document's language, if any.
    pub fn language(&self) -> Option<&'static Language> {
        self.language
    }

    /// The change counter.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Replace bytes `range` with `new_text`, keeping the tree in step.
    pub fn replace(&mut self, range: Range<usize>, new_text: &str) -> Result<(), EditError> {
        let Range { start, end } = range;
        let len = self.text.len_bytes();
        if end > len || start > len {
            return Err(EditError::OutOfBounds { start, end, len });
        }
        if start > end || !self.is_char_boundary(start) || !self.is_char_boundary(end) {
            return Err(EditError::InvalidRange { start, end });
        }
        let start_point = point_at(&self.text, start);
        let old_end_point = point_at(&self.text, end);
        let start_char = self.text.byte_to_char(start);
        let end_char = self.text.byte_to_char(end);
        self.text.remove(start_char..end_char);
        self.text.insert(start_char, new_text);
        if let Some(tree) = &mut self.tree {
            let edit = input_edit(start_point, old_end_point, &self.text, start, end, new_text.len());
            tree.edit(&edit);
        }
        self.tree_fresh = false;
        self.revision += 1;
        Ok(())
    }

    /// Replace the whole text (a full-document sync); the next parse starts afresh.
    pub fn set_text(&mut self, text: &str) {
        self.text = Rope::from_str(text);
        self.tree = None;
        self.tree_fresh = false;
        self.revision += 1;
    }

    /// A snapshot for analysis off the editing path.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            text: self.text.clone(),
            language: self.language,
            revision: self.revision,
            tree: self.tree.clone(),
            tree_fresh: self.tree_fresh,
        }
    }

    /// Store a tree parsed from a snapshot, if the document has not changed since.
    pub fn store_tree(&mut self, revision: u64, tree: Tree) -> bool {
        if revision != self.revision {
            return false;
        }
        self.tree = Some(tree);
        self.tree_fresh = true;
        true
    }

    /// Forget the tree to save memory; the next parse starts from scratch.
    pub fn drop_tree(&mut self) {
        self.tree = None;
        self.tree_fresh = false;
    }

    /// Whether a tree (fresh or edited) is held.
    pub fn has_tree(&self) -> bool {
        self.tree.is_some()
    }

    /// The up-to-date tree, reparsing incrementally if edits happened since.
    pub fn tree(&mut self) -> Option<&Tree> {
        if !self.tree_fresh {
            let language = self.language?;
            self.tree = parse(language, &self.text, self.tree.as_ref());
            self.tree_fresh = true;
        }
        self.tree.as_ref()
    }

    fn is_char_boundary(&self, byte: usize) -> bool {
        byte == self.text.len_bytes() || self.text.char_to_byte(self.text.byte_to_char(byte)) == byte
    }
}

impl Snapshot {
    /// The up-to-date tree for this snapshot, parsing incrementally from the
    /// document's last tree when needed. `None` for plain-text documents.
    pub fn tree(&self) -> Option<Tree> {
        let language = self.language?;
        if self.tree_fresh {
            return self.tree.clone();
        }
        parse(language, &self.text, self.tree.as_ref())
    }

    /// Whether [`Snapshot::tree`] will have to parse.
    pub fn needs_parse(&self) -> bool {
        self.language.is_some() && !self.tree_fresh
    }
}
