//! The open-document store: edits applied in arrival order and checked against
//! version numbers. Locks are per document and never held across I/O: callers
//! take a [`Snapshot`] and release.

use std::ops::Range;

use aura_syntax::{offset_at, Document, LineCol, PositionEncoding, Snapshot};
use dashmap::DashMap;

/// One change from the editor: a range in the editor's encoding, or the whole text.
#[derive(Debug, Clone)]
pub struct Change {
    /// The replaced range, or `None` for a full-text replacement.
    pub range: Option<(LineCol, LineCol)>,
    /// The new text.
    pub text: String,
}

/// What happened to a batch of changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// All changes applied; the document is at the new version.
    Applied,
    /// Applied, but versions skipped some numbers (normal for some clients).
    AppliedAfterGap {
        /// The version the document had.
        previous: i32,
    },
    /// Refused: the version is not newer than the document's; nothing changed,
    /// and the document now waits for a full-text resync.
    Stale {
        /// The version the document has.
        current: i32,
    },
    /// Refused: a range did not fit the text. The document waits for a resync.
    BadRange(String),
    /// The document is not open.
    NotOpen,
    /// The document is waiting for a full-text resync; incremental changes are ignored.
    Desynced,
}

/// An open document with its editor version.
#[derive(Debug, Clone)]
pub struct OpenDocument {
    /// Text, language and tree.
    pub document: Document,
    /// The editor's version number.
    pub version: i32,
    /// Set when an edit could not be applied; cleared by a full-text change,
    /// a save carrying the text, or reopening.
    pub desynced: bool,
}

/// Syntax trees take 20–30 times the memory of their source, so only the most
/// recently used documents keep one; the others keep their text and are
/// parsed from scratch (a few milliseconds) when next needed. Edits happen in
/// the active document, which is always among the most recent.
pub const MAX_TREES: usize = 16;
/// ... and at most this much source behind those trees.
pub const MAX_TREE_SOURCE_BYTES: usize = 1_500_000;

/// All open documents, keyed by the editor's URI string.
#[derive(Debug, Default)]
pub struct Documents {
    docs: DashMap<String, OpenDocument>,
    /// Keys of documents holding a tree, least recently used first.
    trees: std::sync::Mutex<std::collections::VecDeque<String>>,
}

impl Documents {
    /// Open (or reopen) a document.
    pub fn open(&self, key: &str, version: i32, document: Document) {
        self.docs.insert(key.to_string(), OpenDocument { document, version, desynced: false });
    }

    /// Close a document; returns whether it was open.
    pub fn close(&self, key: &str) -> bool {
        if let Ok(mut lru) = self.trees.lock() {
            lru.retain(|k| k != key);
        }
        self.docs.remove(key).is_some()
    }

    /// Apply changes in order. Nothing is applied unless every change fits, so a
    /// bad batch never leaves the text half edited.
    pub fn apply(
        &self,
        key: &str,
        version: i32,
        changes: &[Change],
        encoding: PositionEncoding,
    ) -> ChangeOutcome {
        let Some(mut entry) = self.docs.get_mut(key) else { return ChangeOutcome::NotOpen };
        let open = entry.value_mut();
        if version <= open.version {
            open.desynced = true;
            return ChangeOutcome::Stale { current: open.version };
        }
        let has_full_text = changes.iter().any(|c| c.range.is_none());
        if open.desynced && !has_full_text {
            open.version = version;
            return ChangeOutcome::Desynced;
        }
        // Work on a copy (rope clones are cheap) so a failure leaves no trace.
        let mut document = open.document.clone();
        for change in changes {
            match change.range {
                None => document.set_text(&change.text),
                Some((start, end)) => {
                    let range = to_range(&document, start, end, encoding);
                    if let Err(err) = document.replace(range, &change.text) {
                        open.desynced = true;
                        return ChangeOutcome::BadRange(err.to_string());
                    }
                }
            }
        }
        let previous = open.version;
        open.document = document;
        open.version = version;
        open.desynced = false;
        if version == previous + 1 {
            ChangeOutcome::Applied
        } else {
            ChangeOutcome::AppliedAfterGap { previous }
        }
    }

    /// Replace the whole text (a save that carried the text); clears a desync.
    pub fn resync(&self, key: &str, text: &str) -> bool {
        let Some(mut entry) = self.docs.get_mut(key) else { return false };
        let open = entry.value_mut();
        let changed = open.document.text() != text;
        if changed {
            open.document.set_text(text);
        }
        open.desynced = false;
        changed
    }

    /// A snapshot and the version it belongs to.
    pub fn snapshot(&self, key: &str) -> Option<(Snapshot, i32, bool)> {
        self.docs.get(key).map(|d| (d.document.snapshot(), d.version, d.desynced))
    }

    /// Store a tree parsed from a snapshot, if the document has not moved on,
    /// and drop the trees of the least recently used documents over budget.
    pub fn store_tree(&self, key: &str, revision: u64, tree: aura_syntax::tree_sitter::Tree) {
        let stored = match self.docs.get_mut(key) {
            Some(mut d) => d.document.store_tree(revision, tree),
            None => false,
        };
        if !stored {
            return;
        }
        let Ok(mut lru) = self.trees.lock() else { return };
        lru.retain(|k| k != key);
        lru.push_back(key.to_string());
        let mut bytes: usize =
            lru.iter().filter_map(|k| self.docs.get(k).map(|d| d.document.text().len_bytes())).sum();
        while lru.len() > 1 && (lru.len() > MAX_TREES || bytes > MAX_TREE_SOURCE_BYTES) {
            let Some(oldest) = lru.pop_front() else { break };
            if let Some(mut d) = self.docs.get_mut(&oldest) {
                bytes = bytes.saturating_sub(d.document.text().len_bytes());
                d.document.drop_tree();
            }
        }
    }

    /// How many documents currently hold a syntax tree.
    pub fn trees_held(&self) -> usize {
        self.docs.iter().filter(|d| d.document.has_tree()).count()
    }

    /// The current version of an open document.
    pub fn version(&self, key: &str) -> Option<i32> {
        self.docs.get(key).map(|d| d.version)
    }

    /// The keys of all open documents.
    pub fn keys(&self) -> Vec<String> {
        self.docs.iter().map(|e| e.key().clone()).collect()
    }
}

fn to_range(document: &Document, start: LineCol, end: LineCol, encoding: PositionEncoding) -> Range<usize> {
    let a = offset_at(document.text(), start, encoding);
    let b = offset_at(document.text(), end, encoding);
    // A reversed range is a client bug; `replace` rejects it rather than guessing.
    a..b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    fn change(a: (u32, u32), b: (u32, u32), text: &str) -> Change {
        Change { range: Some((lc(a.0, a.1), lc(b.0, b.1))), text: text.to_string() }
    }

    fn text(docs: &Documents) -> String {
        docs.snapshot("k").unwrap().0.text.to_string()
    }

    #[test]
    fn applies_in_order_and_tracks_versions() {
        let docs = Documents::default();
        docs.open("k", 1, Document::new("hello\n", None));
        let enc = PositionEncoding::Utf16;
        assert_eq!(docs.apply("k", 2, &[change((0, 5), (0, 5), " world")], enc), ChangeOutcome::Applied);
        assert_eq!(
            docs.apply("k", 5, &[change((0, 0), (0, 5), "bye")], enc),
            ChangeOutcome::AppliedAfterGap { previous: 2 }
        );
        assert_eq!(text(&docs), "bye world\n");
    }

    #[test]
    fn stale_version_is_refused_until_resync() {
        let docs = Documents::default();
        docs.open("k", 3, Document::new("abc", None));
        let enc = PositionEncoding::Utf16;
        assert_eq!(
            docs.apply("k", 3, &[change((0, 0), (0, 0), "X")], enc),
            ChangeOutcome::Stale { current: 3 }
        );
        assert_eq!(text(&docs), "abc");
        assert_eq!(docs.apply("k", 4, &[change((0, 0), (0, 0), "Y")], enc), ChangeOutcome::Desynced);
        assert_eq!(text(&docs), "abc");
        let full = Change { range: None, text: "fresh".into() };
        assert_eq!(docs.apply("k", 5, &[full], enc), ChangeOutcome::Applied);
        assert_eq!(text(&docs), "fresh");
        assert!(!docs.snapshot("k").unwrap().2);
    }

    #[test]
    fn only_recent_documents_keep_trees() {
        let docs = Documents::default();
        let python = aura_syntax::registry().by_id("python").unwrap();
        for i in 0..(MAX_TREES + 5) {
            let key = format!("k{i}");
            docs.open(&key, 1, Document::new("def f():\n    return 1\n", Some(python)));
            let (snapshot, _, _) = docs.snapshot(&key).unwrap();
            docs.store_tree(&key, snapshot.revision, snapshot.tree().unwrap());
        }
        assert_eq!(docs.trees_held(), MAX_TREES);
        // An evicted document still analyses, from a fresh parse.
        let (snapshot, _, _) = docs.snapshot("k0").unwrap();
        assert!(snapshot.needs_parse());
        assert!(snapshot.tree().is_some());
    }

    #[test]
    fn a_bad_batch_changes_nothing() {
        let docs = Documents::default();
        docs.open("k", 1, Document::new("abc", None));
        let reversed = change((0, 2), (0, 1), "");
        let outcome = docs.apply("k", 2, &[change((0, 0), (0, 0), "Z"), reversed], PositionEncoding::Utf16);
        assert!(matches!(outcome, ChangeOutcome::BadRange(_)), "{outcome:?}");
        assert_eq!(text(&docs), "abc");
        assert!(docs.resync("k", "abc!"));
        assert_eq!(text(&docs), "abc!");
    }
}
